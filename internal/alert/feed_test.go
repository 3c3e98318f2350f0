package alert_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/alert"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
)

// atomFeed is what the test reads back of an Atom feed.
type atomFeed struct {
	ID      string `xml:"id"`
	Title   string `xml:"title"`
	Entries []struct {
		ID   string `xml:"id"`
		Link struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func TestWriteFeed(t *testing.T) {
	st := sqlitetest.MustOpenTemp(t)
	ve := newIncident(t, st, "VE", testigo.TypeVesselStrike)
	co := newIncident(t, st, "CO", testigo.TypeVesselStrike)
	ve2 := newIncident(t, st, "VE", testigo.TypeAirDroneStrike)
	draft := newIncident(t, st, "VE", testigo.TypeVesselStrike) // never published
	for _, inc := range []*testigo.Incident{ve, co, ve2} {
		setReview(t, st, inc.ID, testigo.ReviewPublished)
	}
	cases := []struct {
		a    testigo.Alert
		want []testigo.IncidentID
	}{
		{testigo.Alert{ID: 3, Name: "Venezuela", Country: "VE"}, []testigo.IncidentID{ve.ID, ve2.ID}},
		{testigo.Alert{ID: 4, Name: "sea", Type: testigo.TypeVesselStrike}, []testigo.IncidentID{ve.ID, co.ID}},
		{testigo.Alert{ID: 5, Name: "fair", Grade: testigo.GradeFair}, nil},
		{testigo.Alert{ID: 6, Name: "later", Since: "2025-12-01"}, nil},
	}
	now := func() time.Time { return time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC) }
	for _, tc := range cases {
		var buf bytes.Buffer
		res, err := alert.WriteFeed(t.Context(), st, &buf, &tc.a, "https://testigo.example.org", now)
		if err != nil {
			t.Fatalf("%s: %v", tc.a.Name, err)
		}
		var f atomFeed
		if err := xml.Unmarshal(buf.Bytes(), &f); err != nil {
			t.Fatalf("%s: not XML: %v\n%s", tc.a.Name, err, buf.Bytes())
		}
		if want := fmt.Sprintf("tag:testigo.example.org,2026:alert:%d", tc.a.ID); f.ID != want {
			t.Errorf("%s: feed id %q, want %q", tc.a.Name, f.ID, want)
		}
		if f.Title != "testigo alert: "+tc.a.Name {
			t.Errorf("%s: feed title %q", tc.a.Name, f.Title)
		}
		var got []testigo.IncidentID
		for _, e := range f.Entries {
			var id testigo.IncidentID
			if _, err := fmt.Sscanf(e.ID, "tag:testigo.example.org,2026:incident:%d", &id); err != nil {
				t.Errorf("%s: entry id %q", tc.a.Name, e.ID)
			}
			if e.Link.Href != fmt.Sprintf("https://testigo.example.org/incidents/%d", id) {
				t.Errorf("%s: entry link %q", tc.a.Name, e.Link.Href)
			}
			got = append(got, id)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) || res.Rows != int64(len(tc.want)) {
			t.Errorf("%s: entries %v (%d rows), want %v", tc.a.Name, got, res.Rows, tc.want)
		}
		if slices.Contains(got, draft.ID) {
			t.Errorf("%s: the unpublished incident %d is in the feed", tc.a.Name, draft.ID)
		}
	}
}
