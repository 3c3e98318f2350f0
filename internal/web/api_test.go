package web_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// keysOf decodes a JSON object and returns its keys, sorted.
func keysOf(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, raw)
	}
	return slices.Sorted(maps.Keys(m))
}

var incidentKeys = []string{
	"admin1", "admin2", "country", "created_at", "date", "derivation", "grade", "grade_reason", "id",
	"injured", "killed", "lat", "location", "lon", "report_count", "review", "title", "type",
	"updated_at", "url", "version",
}

// TestJSONShapes pins the keys of every API object, so that a renamed field
// is a deliberate change.
func TestJSONShapes(t *testing.T) {
	f := newFixture(t, 1)
	inc := f.incidents[0]

	_, body := get(t, f.srv.URL+"/api/v1/incidents")
	var list struct {
		Incidents []json.RawMessage `json:"incidents"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Incidents) != 1 {
		t.Fatalf("listing = %s (%v)", body, err)
	}
	if d := cmp.Diff(incidentKeys, keysOf(t, list.Incidents[0])); d != "" {
		t.Errorf("listed incident keys (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"incidents"}, keysOf(t, json.RawMessage(body))); d != "" {
		t.Errorf("last page should omit next_cursor (-want +got):\n%s", d)
	}

	resp, body := get(t, fmt.Sprintf("%s/api/v1/incidents/%d", f.srv.URL, inc.ID))
	if resp.StatusCode != 200 {
		t.Fatalf("incident: %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	var one struct {
		ID      int64             `json:"id"`
		URL     string            `json:"url"`
		Killed  map[string]int    `json:"killed"`
		Injured *json.RawMessage  `json:"injured"`
		Reports []json.RawMessage `json:"reports"`
	}
	if err := json.Unmarshal([]byte(body), &one); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(append(slices.Clone(incidentKeys), "reports"), keysOf(t, json.RawMessage(body)), cmp.Transformer("sort", func(s []string) []string { return slices.Sorted(slices.Values(s)) })); d != "" {
		t.Errorf("incident keys (-want +got):\n%s", d)
	}
	want := struct {
		ID     int64
		URL    string
		Killed map[string]int
	}{int64(inc.ID), fmt.Sprintf("/incidents/%d", inc.ID), map[string]int{"min": 4, "max": 6}}
	got := struct {
		ID     int64
		URL    string
		Killed map[string]int
	}{one.ID, one.URL, one.Killed}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("incident fields (-want +got):\n%s", d)
	}
	if one.Injured != nil {
		t.Errorf("unknown injured should be null, got %s", *one.Injured)
	}
	if len(one.Reports) != 1 {
		t.Fatalf("got %d reports, want 1", len(one.Reports))
	}
	reportKeys := []string{
		"actors", "admin1", "admin2", "attribution", "country", "date", "document", "evidence",
		"extractor_version", "id", "illustrative", "injured", "killed", "lat", "location", "lon",
		"modality", "platform", "type",
	}
	if d := cmp.Diff(reportKeys, keysOf(t, one.Reports[0])); d != "" {
		t.Errorf("report keys (-want +got):\n%s", d)
	}
	var rep struct {
		Document json.RawMessage            `json:"document"`
		Evidence map[string]json.RawMessage `json:"evidence"`
	}
	if err := json.Unmarshal(one.Reports[0], &rep); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"id", "name", "sha256", "url"}, keysOf(t, rep.Document)); d != "" {
		t.Errorf("document reference keys (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"end", "quote", "start"}, keysOf(t, rep.Evidence["type"])); d != "" {
		t.Errorf("evidence span keys (-want +got):\n%s", d)
	}

	_, body = get(t, fmt.Sprintf("%s/api/v1/documents/%d", f.srv.URL, f.doc.ID))
	docKeys := []string{
		"content_type", "fetched_at", "id", "illustrative", "lang", "name", "published", "sha256",
		"size", "text", "title", "url",
	}
	if d := cmp.Diff(docKeys, keysOf(t, json.RawMessage(body))); d != "" {
		t.Errorf("document keys (-want +got):\n%s", d)
	}
	var doc struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || doc.Text != f.doc.Text {
		t.Errorf("document text = %q (%v), want the stored text", doc.Text, err)
	}
}

// TestListingOrderAndFilters walks the listing under each filter and checks
// the order (newest first, undated last, then ID descending) and that every
// listed incident matches.
func TestListingOrderAndFilters(t *testing.T) {
	f := newFixture(t, 30)
	tests := []struct {
		query string
		want  int
	}{
		{"", 30},
		{"country=VE", 6},
		{"country=ve", 6},
		{"since=2025-11-10&until=2025-11-19", 8}, // incidents 9–18 fall on the 10th–19th; 10 and 17 are undated
		{"type=air_drone_strike", 30},
		{"type=arrest", 0},
		{"review=new", 30},
		{"review=published", 0},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			var all []struct {
				ID   int64
				Date string
			}
			next := f.srv.URL + "/api/v1/incidents?limit=4&" + tc.query
			for range 20 {
				resp, body := get(t, next)
				if resp.StatusCode != 200 {
					t.Fatalf("%s: %d %s", next, resp.StatusCode, body)
				}
				var l listJSON
				if err := json.Unmarshal([]byte(body), &l); err != nil {
					t.Fatal(err)
				}
				for _, inc := range l.Incidents {
					all = append(all, struct {
						ID   int64
						Date string
					}{inc.ID, inc.Date})
				}
				if l.NextCursor == "" {
					break
				}
				next = f.srv.URL + "/api/v1/incidents?limit=4&cursor=" + l.NextCursor + "&" + tc.query
			}
			if len(all) != tc.want {
				t.Errorf("got %d incidents, want %d", len(all), tc.want)
			}
			for i := 1; i < len(all); i++ {
				a, b := all[i-1], all[i]
				ok := (a.Date != "" && b.Date == "") || (a.Date == b.Date && a.ID > b.ID) ||
					(a.Date != "" && b.Date != "" && a.Date > b.Date)
				if !ok {
					t.Errorf("out of order: %+v before %+v", a, b)
				}
			}
			if strings.Contains(tc.query, "since") {
				for _, inc := range all {
					if inc.Date < "2025-11-10" || inc.Date > "2025-11-19" {
						t.Errorf("incident %d dated %q is outside the range", inc.ID, inc.Date)
					}
				}
			}
		})
	}
}
