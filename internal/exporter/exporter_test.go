package exporter_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/exporter"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/translog"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func ptr[T any](v T) *T { return &v }

// t0 is when the fixture incidents were created.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fixture is one incident of the test set and the reports about it.
type fixture struct {
	inc     testigo.Incident
	actors  []testigo.Actor
	urls    []string
	noLog   bool // stored without a log entry
	version int  // extra logged versions
}

func fixtures() []fixture {
	return []fixture{
		{inc: testigo.Incident{Title: "US drone strike kills three in Marib", Type: testigo.TypeAirDroneStrike, Date: "2026-02-10",
			Place:  testigo.Place{Country: "YE", Admin1: "Marib", Admin2: "Al Abdiyah", Location: "Al Abdiyah", Lat: ptr(14.7), Lon: ptr(45.3)},
			Killed: &testigo.Range{Min: 3, Max: 5}, Injured: &testigo.Range{Min: 1, Max: 1}, Grade: testigo.GradeFair, GradeReason: "two outlets",
			Review: testigo.ReviewPublished, Derivation: "range of 2 reports", ReportCount: 2},
			actors: []testigo.Actor{{Name: "United States", Role: testigo.RolePerpetrator}, {Name: "AQAP", Role: testigo.RoleTarget}, {Name: "CIA", Role: testigo.RolePerpetrator}},
			urls:   []string{"https://www.reuters.com/world/a", "https://aljazeera.com/news/b"}, version: 1},
		{inc: testigo.Incident{Title: "Strike on a boat off the coast", Type: testigo.TypeVesselStrike, Date: "2026-02-12",
			Place:  testigo.Place{Lat: ptr(12.5), Lon: ptr(-66.9)},
			Killed: &testigo.Range{Min: 3, Max: 3}, Grade: testigo.GradeConfirmed, Review: testigo.ReviewPublished, ReportCount: 1},
			actors: []testigo.Actor{{Name: "US military", Role: testigo.RolePerpetrator}},
			urls:   []string{"https://apnews.com/article/c"}},
		{inc: testigo.Incident{Title: "Gunmen attack a ranch", Type: testigo.TypeAttack, Date: "2026-01-20",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}, Grade: testigo.GradeWeak, Review: testigo.ReviewNew, ReportCount: 1}},
		{inc: testigo.Incident{Title: "Clash reported, later denied", Type: testigo.TypeArmedClash, Date: "2026-01-25",
			Place: testigo.Place{Country: "SO"}, Grade: testigo.GradeDiscounted, Review: testigo.ReviewRejected}},
		{inc: testigo.Incident{Title: "Ministry statement on strikes", Type: testigo.TypeOfficialStatement,
			Place: testigo.Place{Country: "VE"}, Grade: testigo.GradeWeak, Review: testigo.ReviewInReview}},
		{inc: testigo.Incident{Title: `Shelling, "reported" by residents`, Type: testigo.TypeShellingArtilleryMissile, Date: "2026-02-01",
			Place:  testigo.Place{Country: "PK", Admin1: "Khyber Pakhtunkhwa", Location: "Miranshah", Lat: ptr(95.0), Lon: ptr(70.1)},
			Killed: &testigo.Range{Min: 0, Max: 2}, Grade: testigo.GradeContested, Review: testigo.ReviewPublished}},
		{inc: testigo.Incident{Title: "Duplicate of the Marib strike", Type: testigo.TypeAirDroneStrike, Date: "2026-02-10",
			Place: testigo.Place{Country: "YE"}, Grade: testigo.GradeWeak, Review: testigo.ReviewNew, MergedInto: 1}},
		{inc: testigo.Incident{Title: "Raid without a log entry", Type: testigo.TypeGroundRaid, Date: "2026-02-05",
			Place: testigo.Place{Country: "SY", Admin1: "Idlib"}, Grade: testigo.GradeWeak, Review: testigo.ReviewPublished}, noLog: true},
	}
}

// mustFixture stores the fixture incidents, their reports and documents
// and their log entries, in one transaction.
func mustFixture(tb testing.TB) *sqlite.Store {
	tb.Helper()
	ctx := context.Background()
	st := sqlitetest.MustOpenTemp(tb)
	err := st.Transact(ctx, func(tx testigo.Store) error {
		for i, f := range fixtures() {
			inc := f.inc
			inc.CreatedAt = t0.Add(time.Duration(i) * time.Hour)
			if err := tx.CreateIncident(ctx, &inc); err != nil {
				return err
			}
			for j, u := range f.urls {
				doc := &testigo.Document{SHA256: testigo.DigestOf([]byte(u)), URL: u, Name: u, FetchedAt: t0, Text: "text"}
				if err := tx.CreateDocument(ctx, doc); err != nil {
					return err
				}
				r := &testigo.Report{DocumentID: doc.ID, IncidentID: inc.ID, Event: testigo.Event{Type: inc.Type, Actors: f.actors}}
				if j > 0 {
					r.Actors = f.actors[:1]
				}
				if err := tx.CreateReport(ctx, r); err != nil {
					return err
				}
			}
			if f.noLog {
				continue
			}
			for v := 0; v <= f.version; v++ {
				e := &testigo.AuditEntry{IncidentID: inc.ID, Actor: "test", Action: testigo.ActionCreate, At: inc.CreatedAt}
				if err := jobs.LogIncidentChange(ctx, tx, &inc, e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("store fixtures: %v", err)
	}
	return st
}

func export(t *testing.T, st *sqlite.Store, opt exporter.Options) ([]byte, exporter.Result) {
	t.Helper()
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) }
	}
	if opt.CountryName == nil {
		names := map[string]string{"YE": "Yemen", "MX": "Mexico", "PK": "Pakistan", "VE": "Venezuela", "SY": "Syria"}
		opt.CountryName = func(cc string) string { return names[cc] }
	}
	var buf bytes.Buffer
	res, err := exporter.Write(context.Background(), st, &buf, opt)
	if err != nil {
		t.Fatalf("export %s: %v", opt.Format, err)
	}
	return buf.Bytes(), res
}

func TestGolden(t *testing.T) {
	st := mustFixture(t)
	for _, f := range exporter.Formats {
		t.Run(string(f), func(t *testing.T) {
			got, res := export(t, st, exporter.Options{Format: f, BaseURL: "https://testigo.example.org"})
			want := 6 // not rejected, not merged
			if f == exporter.Atom {
				want = 4 // published only
			}
			if res.Rows != int64(want) {
				t.Errorf("rows = %d, want %d", res.Rows, want)
			}
			path := filepath.Join("testdata", "golden", "incidents"+f.Ext())
			if f == exporter.ACLEDCSV || f == exporter.UCDPCSV {
				path = filepath.Join("testdata", "golden", "incidents."+string(f)+".csv")
			}
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want2, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want2) {
				t.Errorf("%s differs from the golden file %s (run go test -update to accept):\n%s", f, path, got)
			}
		})
	}
}

// lastIncidentEntry returns the index of the latest log entry about id.
func lastIncidentEntry(t *testing.T, st *sqlite.Store, id testigo.IncidentID) string {
	t.Helper()
	es, err := st.FindLogEntriesBySubject(context.Background(), translog.IncidentSubject(id))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		return ""
	}
	return fmt.Sprint(es[len(es)-1].Index)
}

func TestACLEDColumns(t *testing.T) {
	st := mustFixture(t)
	out, _ := export(t, st, exporter.Options{Format: exporter.ACLEDCSV})
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	wantHeader := strings.Split("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"+
		"actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"+
		"admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp,"+
		"fatalities_min,fatalities_max,grade,review_status,evidence_url,log_index", ",")
	if strings.Join(recs[0], ",") != strings.Join(wantHeader, ",") {
		t.Fatalf("header = %v\nwant     %v", recs[0], wantHeader)
	}
	rows := map[string]map[string]string{}
	for _, rec := range recs[1:] {
		if len(rec) != len(wantHeader) {
			t.Fatalf("row has %d fields, want %d: %v", len(rec), len(wantHeader), rec)
		}
		m := map[string]string{}
		for i, v := range rec {
			m[wantHeader[i]] = v
		}
		rows[m["event_id_cnty"]] = m
	}
	if len(rows) != 6 {
		t.Fatalf("got %d rows, want 6 (rejected and merged left out): %v", len(rows), recs)
	}
	check := func(id string, want map[string]string) {
		t.Helper()
		row, ok := rows[id]
		if !ok {
			t.Fatalf("no row %s", id)
		}
		for col, w := range want {
			if row[col] != w {
				t.Errorf("%s: %s = %q, want %q", id, col, row[col], w)
			}
		}
	}
	check("YE1", map[string]string{
		"event_date": "2026-02-10", "year": "2026", "time_precision": "1", "disorder_type": "Political violence",
		"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
		"actor1": "United States", "assoc_actor_1": "CIA", "inter1": "", "actor2": "AQAP", "assoc_actor_2": "",
		"civilian_targeting": "", "iso": "887", "region": "Middle East", "country": "Yemen",
		"admin1": "Marib", "admin2": "Al Abdiyah", "admin3": "", "location": "Al Abdiyah",
		"latitude": "14.7", "longitude": "45.3", "geo_precision": "1", "source": "reuters.com; aljazeera.com",
		"notes": "US drone strike kills three in Marib", "fatalities": "3", "tags": "",
		"timestamp": fmt.Sprint(t0.Unix()), "fatalities_min": "3", "fatalities_max": "5", "grade": "fair",
		"review_status": "published", "evidence_url": "/incidents/1", "log_index": lastIncidentEntry(t, st, 1),
	})
	check("XX2", map[string]string{
		"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "tags": "testigo_type=vessel_strike",
		"country": "", "iso": "", "location": "", "latitude": "12.5", "longitude": "-66.9", "geo_precision": "3",
		"fatalities": "3", "source": "apnews.com", "log_index": lastIncidentEntry(t, st, 2),
	})
	check("MX3", map[string]string{
		"disorder_type": "Political violence", "event_type": "Violence against civilians", "sub_event_type": "Attack",
		"civilian_targeting": "Civilian targeting", "iso": "484", "region": "Central America", "location": "Culiacán",
		"geo_precision": "2", "fatalities": "0", "fatalities_min": "", "review_status": "new", "actor1": "",
	})
	check("VE5", map[string]string{
		"event_date": "", "year": "", "time_precision": "", "disorder_type": "Strategic developments",
		"event_type": "Strategic developments", "sub_event_type": "Other", "tags": "testigo_type=official_statement",
		"review_status": "in_review", "location": "Venezuela",
	})
	check("SY8", map[string]string{"log_index": "", "event_type": "Battles", "sub_event_type": "Armed clash"})
	if lastIncidentEntry(t, st, 1) == "0" {
		t.Error("incident 1 has two log entries; the row must name the latest")
	}
}

func TestEveryTypeMapped(t *testing.T) {
	// A fixture per event type: every one must land in an ACLED event type.
	ctx := context.Background()
	st := sqlitetest.MustOpenTemp(t)
	err := st.Transact(ctx, func(tx testigo.Store) error {
		for _, typ := range testigo.EventTypes {
			inc := &testigo.Incident{Type: typ, Date: "2026-01-01", Grade: testigo.GradeWeak}
			if err := tx.CreateIncident(ctx, inc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := export(t, st, exporter.Options{Format: exporter.ACLEDCSV})
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(testigo.EventTypes)+1 {
		t.Fatalf("%d rows, want %d", len(recs)-1, len(testigo.EventTypes))
	}
	events := map[string]bool{"Battles": true, "Explosions/Remote violence": true, "Violence against civilians": true,
		"Protests": true, "Riots": true, "Strategic developments": true}
	for _, rec := range recs[1:] {
		if !events[rec[5]] || rec[4] == "" || rec[6] == "" {
			t.Errorf("row %s: disorder %q, event %q, sub-event %q", rec[0], rec[4], rec[5], rec[6])
		}
	}
}

func TestGeoJSONRFC7946(t *testing.T) {
	st := mustFixture(t)
	out, _ := export(t, st, exporter.Options{Format: exporter.GeoJSON})
	var fc map[string]json.RawMessage
	if err := json.Unmarshal(out, &fc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if _, ok := fc["crs"]; ok {
		t.Error("RFC 7946 removed crs")
	}
	var typ string
	json.Unmarshal(fc["type"], &typ)
	if typ != "FeatureCollection" {
		t.Fatalf("type = %q", typ)
	}
	var features []struct {
		Type     string          `json:"type"`
		ID       json.RawMessage `json:"id"`
		Geometry json.RawMessage `json:"geometry"`
		Props    map[string]any  `json:"properties"`
	}
	if err := json.Unmarshal(fc["features"], &features); err != nil {
		t.Fatal(err)
	}
	if len(features) != 6 {
		t.Fatalf("%d features, want 6", len(features))
	}
	var points, nulls int
	for _, f := range features {
		if f.Type != "Feature" || f.Props == nil {
			t.Errorf("feature %s: type %q, properties %v", f.ID, f.Type, f.Props)
		}
		for _, k := range []string{"id", "title", "type", "date", "country", "killed", "grade", "review_status", "evidence_url", "log_index"} {
			if _, ok := f.Props[k]; !ok {
				t.Errorf("feature %s has no property %s", f.ID, k)
			}
		}
		if string(f.Geometry) == "null" {
			nulls++
			continue
		}
		var g struct {
			Type        string    `json:"type"`
			Coordinates []float64 `json:"coordinates"`
		}
		if err := json.Unmarshal(f.Geometry, &g); err != nil {
			t.Fatal(err)
		}
		if g.Type != "Point" || len(g.Coordinates) != 2 {
			t.Fatalf("feature %s geometry %s", f.ID, f.Geometry)
		}
		lon, lat := g.Coordinates[0], g.Coordinates[1]
		if lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			t.Errorf("feature %s coordinates out of range: %v", f.ID, g.Coordinates)
		}
		// Longitude first: the properties carry lat and lon by name.
		if lat != f.Props["lat"] || lon != f.Props["lon"] {
			t.Errorf("feature %s: coordinates %v, want [lon %v, lat %v]", f.ID, g.Coordinates, f.Props["lon"], f.Props["lat"])
		}
		points++
	}
	// Marib and the boat have points; the out-of-range one and those without
	// coordinates have null geometry.
	if points != 2 || nulls != 4 {
		t.Errorf("%d points and %d null geometries, want 2 and 4", points, nulls)
	}
}

func TestAtom(t *testing.T) {
	st := mustFixture(t)
	out, _ := export(t, st, exporter.Options{Format: exporter.Atom, BaseURL: "https://testigo.example.org/"})
	var feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(out, &feed); err != nil {
		t.Fatalf("not an Atom feed: %v\n%s", err, out)
	}
	if feed.ID != "tag:testigo.example.org,2026:incidents" || feed.Updated != "2026-03-02T00:00:00Z" {
		t.Errorf("feed id %q, updated %q", feed.ID, feed.Updated)
	}
	if len(feed.Entries) != 4 {
		t.Fatalf("%d entries, want the 4 published", len(feed.Entries))
	}
	e := feed.Entries[0]
	if e.ID != "tag:testigo.example.org,2026:incident:2" || e.Link.Href != "https://testigo.example.org/incidents/2" ||
		e.Updated != t0.Add(time.Hour).Format(time.RFC3339) {
		t.Errorf("first entry %+v", e)
	}
	if _, err := exporter.Write(context.Background(), st, &bytes.Buffer{}, exporter.Options{Format: exporter.Atom,
		Filter: exporter.Filter{Status: testigo.ReviewNew}}); !errors.Is(err, testigo.ErrInvalid) {
		t.Errorf("atom of new incidents: err = %v, want ErrInvalid", err)
	}
}

func TestFilters(t *testing.T) {
	st := mustFixture(t)
	for _, tc := range []struct {
		f    exporter.Filter
		want string // IDs in listing order
	}{
		{exporter.Filter{}, "2 1 8 6 3 5"},
		{exporter.Filter{Status: testigo.ReviewPublished}, "2 1 8 6"},
		{exporter.Filter{Status: testigo.ReviewRejected}, "4"},
		{exporter.Filter{Grade: testigo.GradeWeak}, "8 3 5"},
		{exporter.Filter{Country: "YE"}, "1"},
		{exporter.Filter{Type: testigo.TypeVesselStrike}, "2"},
		{exporter.Filter{Since: "2026-02-01", Until: "2026-02-10"}, "1 8 6"},
	} {
		out, _ := export(t, st, exporter.Options{Format: exporter.JSONL, Filter: tc.f})
		var ids []string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if line == "" {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			ids = append(ids, fmt.Sprint(m["id"]))
		}
		if got := strings.Join(ids, " "); got != tc.want {
			t.Errorf("filter %+v: ids %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestBadOptions(t *testing.T) {
	st := sqlitetest.MustOpenTemp(t)
	for _, tc := range []struct {
		opt  exporter.Options
		want string
	}{
		{exporter.Options{Format: "xlsx"}, "jsonl, csv, acled-csv, ucdp-csv, geojson, atom"},
		{exporter.Options{Format: exporter.CSV, Filter: exporter.Filter{Type: "bombing"}}, "air_drone_strike"},
		{exporter.Options{Format: exporter.CSV, Filter: exporter.Filter{Grade: "good"}}, "confirmed, fair, weak, contested, discounted"},
		{exporter.Options{Format: exporter.CSV, Filter: exporter.Filter{Status: "done"}}, "new, in_review, published, rejected"},
		{exporter.Options{Format: exporter.CSV, Filter: exporter.Filter{Since: "10/02/2026"}}, "--since"},
		{exporter.Options{Format: exporter.CSV, Filter: exporter.Filter{Since: "2026-02-02", Until: "2026-02-01"}}, "after"},
		{exporter.Options{Format: exporter.CSV, Filter: exporter.Filter{Country: "yemen"}}, "--country"},
	} {
		var buf bytes.Buffer
		_, err := exporter.Write(context.Background(), st, &buf, tc.opt)
		if !errors.Is(err, testigo.ErrInvalid) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%+v: err = %v, want a one-line ErrInvalid naming %q", tc.opt, err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%+v: wrote %d bytes before refusing", tc.opt, buf.Len())
		}
	}
}

func TestPaging(t *testing.T) {
	// More than two pages, with dates that repeat, so the cursor must use
	// the ID to continue.
	ctx := context.Background()
	st := sqlitetest.MustOpenTemp(t)
	const n = 2345
	mustIncidents(t, st, n)
	out, res := export(t, st, exporter.Options{Format: exporter.CSV})
	if res.Rows != n {
		t.Fatalf("rows = %d, want %d", res.Rows, n)
	}
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rec := range recs[1:] {
		if seen[rec[0]] {
			t.Fatalf("incident %s written twice", rec[0])
		}
		seen[rec[0]] = true
		if rec[len(rec)-1] == "" {
			t.Fatalf("incident %s has no log_index", rec[0])
		}
	}
	if len(seen) != n {
		t.Errorf("%d distinct incidents, want %d", len(seen), n)
	}
	_ = ctx
}

// mustIncidents stores n incidents, each with its creation log entry, in
// one transaction.
func mustIncidents(tb testing.TB, st *sqlite.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	types := testigo.EventTypes
	err := st.Transact(ctx, func(tx testigo.Store) error {
		entries := make([]*testigo.LogEntry, 0, 1000)
		for i := 0; i < n; i++ {
			inc := &testigo.Incident{
				Title: fmt.Sprintf("Incident %d", i), Type: types[i%len(types)],
				Date:   fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28),
				Place:  testigo.Place{Country: "YE", Admin1: "Marib", Lat: ptr(15.0 + float64(i%100)/100), Lon: ptr(45.0)},
				Killed: &testigo.Range{Min: i % 4, Max: i%4 + 2}, Grade: testigo.GradeWeak, Review: testigo.ReviewPublished,
				CreatedAt: t0,
			}
			if err := tx.CreateIncident(ctx, inc); err != nil {
				return err
			}
			e := &testigo.AuditEntry{IncidentID: inc.ID, Actor: "test", Action: testigo.ActionCreate, At: t0}
			le, err := translog.NewEntry(testigo.LogIncident, translog.IncidentSubject(inc.ID), translog.IncidentContent(inc, e), nil)
			if err != nil {
				return err
			}
			entries = append(entries, le)
			if len(entries) == cap(entries) {
				if err := translog.AppendAll(ctx, tx, entries); err != nil {
					return err
				}
				entries = entries[:0]
			}
		}
		return translog.AppendAll(ctx, tx, entries)
	})
	if err != nil {
		tb.Fatalf("store %d incidents: %v", n, err)
	}
}

func TestStaleRowRefused(t *testing.T) {
	// An incident changed without a log entry can name no entry: the export
	// fails rather than write a row the log does not back.
	ctx := context.Background()
	st := mustFixture(t)
	inc, err := st.FindIncident(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	inc.Title = "changed behind the log's back"
	if err := st.UpdateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	_, err = exporter.Write(ctx, st, &bytes.Buffer{}, exporter.Options{Format: exporter.JSONL})
	if err == nil || !strings.Contains(err.Error(), "incident 3") {
		t.Errorf("err = %v, want one naming incident 3", err)
	}
}

func TestPublicationContent(t *testing.T) {
	p := exporter.Publication{Format: exporter.ACLEDCSV, SHA256: strings.Repeat("ab", 32), Rows: 5,
		Filter: exporter.Filter{Status: testigo.ReviewPublished, Country: "YE"}}
	b, err := p.Content()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"subject":"export:acled-csv","format":"acled-csv","sha256":"` + strings.Repeat("ab", 32) +
		`","rows":5,"filter":{"country":"YE","status":"published"}}`
	if string(b) != want {
		t.Errorf("content = %s\nwant %s", b, want)
	}
}
