package site_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/site"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/translog"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// fixture is one incident of the test store and the documents reporting it.
type fixture struct {
	inc  testigo.Incident
	docs []string // URLs
}

func fixtures() []fixture {
	return []fixture{
		{inc: testigo.Incident{Title: "Air drone strike in Marib", Type: testigo.TypeAirDroneStrike, Date: "2026-02-14",
			Place:  testigo.Place{Country: "YE", Admin1: "Marib", Location: "Marib", Lat: ptr(15.46), Lon: ptr(45.32)},
			Killed: &testigo.Range{Min: 3, Max: 5}, Grade: testigo.GradeFair, GradeReason: "two independent documents report it",
			Derivation: "killed 3–5 from reports 1 and 2", Review: testigo.ReviewPublished},
			docs: []string{"https://news.example.org/marib-strike", "https://wire.example.net/yemen/strike"}},
		{inc: testigo.Incident{Title: "Vessel strike off La Guaira", Type: testigo.TypeVesselStrike, Date: "2026-02-03",
			Place:  testigo.Place{Country: "VE", Admin1: "La Guaira", Lat: ptr(10.7), Lon: ptr(-66.9)},
			Killed: &testigo.Range{Min: 4, Max: 4}, Grade: testigo.GradeConfirmed, Review: testigo.ReviewPublished},
			docs: []string{"https://diario.example.com/lancha"}},
		{inc: testigo.Incident{Title: "Strike at sea in the Caribbean", Type: testigo.TypeVesselStrike, Date: "2026-01-20",
			Grade: testigo.GradeWeak, Review: testigo.ReviewPublished},
			docs: []string{"https://wire.example.net/caribbean"}},
		{inc: testigo.Incident{Title: "Raid near Sana'a, date unknown", Type: testigo.TypeGroundRaid,
			Place: testigo.Place{Country: "YE", Admin1: "Sana'a"}, Grade: testigo.GradeWeak, Review: testigo.ReviewPublished}},
		{inc: testigo.Incident{Title: "Drone strike in review", Type: testigo.TypeAirDroneStrike, Date: "2026-02-20",
			Place: testigo.Place{Country: "YE", Lat: ptr(15.0), Lon: ptr(44.0)}, Grade: testigo.GradeWeak, Review: testigo.ReviewInReview}},
		{inc: testigo.Incident{Title: "Rejected <script>alert(1)</script>", Type: testigo.TypeOther, Date: "2026-02-21",
			Grade: testigo.GradeDiscounted, Review: testigo.ReviewRejected}},
	}
}

// mustStore returns a store holding the fixtures, each incident with its
// reports, audit entry and log entry.
func mustStore(tb testing.TB) *sqlite.Store {
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
			for j, u := range f.docs {
				doc := &testigo.Document{SHA256: testigo.DigestOf([]byte(u)), URL: u, Name: u, FetchedAt: t0,
					Published: t0.AddDate(0, 0, -j), Title: fmt.Sprintf("Report on %s", inc.Title), Text: "text"}
				if err := tx.CreateDocument(ctx, doc); err != nil {
					return err
				}
				r := &testigo.Report{DocumentID: doc.ID, IncidentID: inc.ID, Event: testigo.Event{
					Type: inc.Type, Date: inc.Date, Place: inc.Place, Killed: inc.Killed,
					Actors:      []testigo.Actor{{Name: "United States", Role: testigo.RolePerpetrator}},
					Attribution: []testigo.Attribution{{Text: "two officials", Kind: "official", Count: 2, Anonymous: true}},
					Evidence: testigo.Evidence{"type": {Start: 0, End: 12, Quote: "drone strike"},
						"date": {Basis: "published"}},
				}}
				if err := tx.CreateReport(ctx, r); err != nil {
					return err
				}
			}
			e := &testigo.AuditEntry{IncidentID: inc.ID, Actor: "ana", Action: testigo.ActionCreate, Reason: "new report", At: inc.CreatedAt}
			if err := jobs.LogIncidentChange(ctx, tx, &inc, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("store fixtures: %v", err)
	}
	return st
}

func options() site.Options {
	names := map[string]string{"YE": "Yemen", "VE": "Venezuela"}
	return site.Options{Title: "testigo test", BaseURL: "https://testigo.example.org",
		CountryName: func(cc string) string { return names[cc] }}
}

func mustBuild(t *testing.T, st site.Reader, dir string, opt site.Options) site.Result {
	t.Helper()
	res, err := site.Build(context.Background(), st, dir, opt)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return res
}

// listFiles returns the site's files, slash-separated, sorted.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p) // p is under dir
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestBuildFiles(t *testing.T) {
	st := mustStore(t)
	dir := t.TempDir()
	res := mustBuild(t, st, dir, options())
	want := []string{
		".testigo-site.json", "SHA256SUMS",
		"countries/VE.html", "countries/YE.html", "countries/none.html",
		"exports/incidents-acled.csv", "exports/incidents-ucdp.csv", "exports/incidents.atom",
		"exports/incidents.csv", "exports/incidents.geojson", "exports/incidents.jsonl", "favicon.svg", "feed.atom",
		"incidents/1/index.html", "incidents/2/index.html", "incidents/3/index.html", "incidents/4/index.html",
		"index.html", "months/2026-01.html", "months/2026-02.html", "months/undated.html",
		"site.css", "verify/index.html",
	}
	if diff := cmp.Diff(want, listFiles(t, dir)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if res.Incidents != 4 || res.Written != len(want)-1 || res.Unchanged != 0 || res.Removed != 0 || res.Files != len(want)-2 || res.Skipped {
		t.Errorf("result %+v, want 4 incidents, %d written, %d files", res, len(want)-1, len(want)-2)
	}
	sums, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(sums), "\n"); n != len(want)-2 {
		t.Errorf("SHA256SUMS lists %d files, want %d", n, len(want)-2)
	}
}

// TestLinks parses every page and checks that each link and resource is
// relative and names a file of the site (and an element, for a fragment),
// that no page has a script, and that nothing unpublished shows.
func TestLinks(t *testing.T) {
	st := mustStore(t)
	dir := t.TempDir()
	mustBuild(t, st, dir, options())
	ids := map[string]map[string]bool{} // page → element ids
	type link struct{ from, to string }
	var links []link
	for _, rel := range listFiles(t, dir) {
		if !strings.HasSuffix(rel, ".html") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"Drone strike in review", "Rejected", "alert(1)"} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s shows %q, which is not published", rel, bad)
			}
		}
		doc, err := html.Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		ids[rel] = map[string]bool{}
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			if n.Data == "script" {
				t.Errorf("%s has a script element", rel)
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "id":
					ids[rel][a.Val] = true
				case a.Key == "href" || a.Key == "src":
					links = append(links, link{rel, a.Val})
				case strings.HasPrefix(a.Key, "on"):
					t.Errorf("%s: inline handler %s on <%s>", rel, a.Key, n.Data)
				}
			}
		}
	}
	if len(links) < 50 {
		t.Fatalf("only %d links found", len(links))
	}
	for _, l := range links {
		if strings.HasPrefix(l.to, "https://") || strings.HasPrefix(l.to, "http://") {
			continue // a report's original URL
		}
		if strings.HasPrefix(l.to, "/") || strings.Contains(l.to, "://") {
			t.Errorf("%s links to %q, which is not relative", l.from, l.to)
			continue
		}
		target, frag, _ := strings.Cut(l.to, "#")
		if target == "" {
			target = l.from
		} else {
			target = path.Join(path.Dir(l.from), target)
		}
		switch target {
		case "verify/checkpoint.txt", "verify/log.pub", "verify/publication.json":
			continue // written by WriteVerification, after the log entry
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target))); err != nil {
			t.Errorf("%s links to %q: %v", l.from, l.to, err)
			continue
		}
		if frag != "" && strings.HasSuffix(target, ".html") && !ids[target][frag] {
			t.Errorf("%s links to %q: no element with id %q", l.from, l.to, frag)
		}
	}
}

func TestIncidentPage(t *testing.T) {
	st := mustStore(t)
	dir := t.TempDir()
	mustBuild(t, st, dir, options())
	b, err := os.ReadFile(filepath.Join(dir, "incidents", "1", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	es, err := st.FindLogEntriesBySubject(context.Background(), "incident:1")
	if err != nil || len(es) != 1 {
		t.Fatalf("log entries of incident 1: %v %v", es, err)
	}
	for _, want := range []string{
		"<h1>Air drone strike in Marib</h1>",
		"Marib, Yemen", // location and admin1 named once, then the country
		"3–5",
		fmt.Sprintf("<code>%d</code>: the transparency-log entry", es[0].Index),
		`<a href="https://news.example.org/marib-strike" rel="nofollow noopener">`,
		"<q>drone strike</q>",
		"(published)",
		"“two officials”",
		"United States (perpetrator)",
		`href="../../countries/YE.html"`,
		`href="../../months/2026-02.html"`,
		"new report",
	} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("incident page lacks %q", want)
		}
	}
	if bytes.Contains(b, []byte("ana")) {
		t.Error("incident page names the analyst")
	}
}

func TestGolden(t *testing.T) {
	st := mustStore(t)
	dir := t.TempDir()
	mustBuild(t, st, dir, options())
	for _, rel := range []string{"index.html", "incidents/1/index.html", "countries/YE.html", "countries/none.html", "months/undated.html"} {
		t.Run(rel, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
			if err != nil {
				t.Fatal(err)
			}
			// The dates the store sets on update are today's; the
			// fixtures' are fixed, so the pages are too.
			golden := filepath.Join("testdata", "golden", strings.ReplaceAll(rel, "/", "_"))
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", rel, diff)
			}
		})
	}
}

func TestMap(t *testing.T) {
	st := mustStore(t)
	dir := t.TempDir()
	basemap, err := os.ReadFile(filepath.Join("testdata", "basemap.topojson"))
	if err != nil {
		t.Fatal(err)
	}
	opt := options()
	opt.Basemap = basemap
	mustBuild(t, st, dir, opt)
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Two incidents have coordinates, far apart: two circles, each a link.
	if n := bytes.Count(b, []byte(`<circle class="incident"`)); n != 2 {
		t.Errorf("%d circles on the index map, want 2", n)
	}
	for _, id := range []int{1, 2} {
		if !bytes.Contains(b, fmt.Appendf(nil, `<a href="incidents/%d/index.html"><circle`, id)) {
			t.Errorf("no map link to incident %d", id)
		}
	}
	if !regexp.MustCompile(`<path class="land" d="M[-0-9.]+ [-0-9.]+L`).Match(b) {
		t.Error("index map draws no land outline")
	}
	// Timeline: two months with incidents, each bar a link.
	for _, m := range []string{"2026-01", "2026-02"} {
		if !bytes.Contains(b, []byte(`<a href="months/`+m+`.html"><rect class="bar"`)) {
			t.Errorf("no timeline bar for %s", m)
		}
	}
	if _, err := site.Build(context.Background(), st, t.TempDir(), site.Options{Basemap: []byte(`{"type":"Topology"}`)}); err == nil {
		t.Error("a basemap without countries was accepted")
	}
}

// TestIncremental rebuilds unchanged (nothing written), after one
// incident changes (only the files showing it), and after one is
// withdrawn (its page removed).
func TestIncremental(t *testing.T) {
	ctx := context.Background()
	st := mustStore(t)
	dir := t.TempDir()
	first := mustBuild(t, st, dir, options())
	sums1 := readSums(t, dir)

	full := options()
	full.Full = true
	for _, opt := range []site.Options{options(), full} {
		again := mustBuild(t, st, dir, opt)
		if again.Written != 0 || again.Unchanged != first.Written || again.ManifestSHA256 != first.ManifestSHA256 ||
			again.Incidents != first.Incidents || !again.Updated.Equal(first.Updated) || again.Skipped == opt.Full {
			t.Errorf("rebuild without changes (full %v): %+v, want 0 written, %d unchanged, same manifest", opt.Full, again, first.Written)
		}
	}

	// Incident 2 (Venezuela, February) gets a new toll.
	change(t, st, 2, func(inc *testigo.Incident) { inc.Killed = &testigo.Range{Min: 5, Max: 6} })
	res := mustBuild(t, st, dir, options())
	sums2 := readSums(t, dir)
	var changed []string
	for p, s := range sums2 {
		if sums1[p] != s {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	want := []string{
		"countries/VE.html",
		"exports/incidents-acled.csv", "exports/incidents-ucdp.csv", "exports/incidents.atom",
		"exports/incidents.csv", "exports/incidents.geojson", "exports/incidents.jsonl", "feed.atom",
		"incidents/2/index.html", "index.html", "months/2026-02.html",
	}
	if diff := cmp.Diff(want, changed); diff != "" {
		t.Errorf("changed files (-want +got):\n%s", diff)
	}
	if res.Written != len(want)+1 || res.Unchanged != first.Written-len(want)-1 { // +1: SHA256SUMS
		t.Errorf("after one change: %+v, want %d written", res, len(want)+1)
	}

	// Incident 3, the only one without a country, is withdrawn.
	change(t, st, 3, func(inc *testigo.Incident) { inc.Review = testigo.ReviewRejected })
	res = mustBuild(t, st, dir, options())
	if res.Removed != 3 || res.Incidents != 3 {
		t.Errorf("after a withdrawal: %+v, want 3 removed (page, country page, month page), 3 incidents", res)
	}
	for _, p := range []string{"incidents/3", "countries/none.html", "months/2026-01.html"} {
		if _, err := os.Stat(filepath.Join(dir, p)); !os.IsNotExist(err) {
			t.Errorf("%s still there: %v", p, err)
		}
	}
	if _, ok := readSums(t, dir)["incidents/3/index.html"]; ok {
		t.Error("SHA256SUMS still lists the withdrawn incident")
	}
	_ = ctx
}

// change updates incident id through fn with its audit and log entries, as
// a review action does.
func change(t testing.TB, st *sqlite.Store, id testigo.IncidentID, fn func(*testigo.Incident)) {
	t.Helper()
	ctx := context.Background()
	err := st.Transact(ctx, func(tx testigo.Store) error {
		inc, err := tx.FindIncident(ctx, id)
		if err != nil {
			return err
		}
		fn(inc)
		if err := tx.UpdateIncident(ctx, inc); err != nil {
			return err
		}
		return jobs.LogIncidentChange(ctx, tx, inc, &testigo.AuditEntry{IncidentID: id, Actor: "ana", Action: testigo.ActionEdit, At: t0})
	})
	if err != nil {
		t.Fatalf("change incident %d: %v", id, err)
	}
}

func readSums(t *testing.T, dir string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		sum, p, _ := strings.Cut(line, "  ")
		m[p] = sum
	}
	return m
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	st := mustStore(t)

	// A directory holding other files is not taken over.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(ctx, st, dir, options()); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("build into a foreign directory: %v, want a refusal", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the foreign directory now holds %d files", len(ents))
	}

	// A page never names a log entry that does not back it.
	inc, err := st.FindIncident(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	inc.Title = "changed behind the log's back"
	if err := st.UpdateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Build(ctx, st, t.TempDir(), options()); err == nil || !strings.Contains(err.Error(), "incident 1") {
		t.Errorf("build over an incident changed outside the log: %v, want an error naming incident 1", err)
	}
}

// TestRebuildStable rebuilds a site of many nearby incidents, whose map
// circles each merge several cells, and expects every byte to be the same.
func TestRebuildStable(t *testing.T) {
	st := sqlitetest.MustOpenTemp(t)
	mustMany(t, st, 150)
	dir := t.TempDir()
	first := mustBuild(t, st, dir, options())
	full := options()
	full.Full = true // render everything, not the shortcut of an unchanged log
	for range 1 {
		if res := mustBuild(t, st, dir, full); res.Written != 0 || res.Unchanged != first.Written || res.Skipped {
			t.Fatalf("rebuild: %+v, want nothing written", res)
		}
	}
}

// TestFeed checks that feed.atom holds the 50 incidents changed last,
// newest first, in the exporter's Atom form.
func TestFeed(t *testing.T) {
	st := sqlitetest.MustOpenTemp(t)
	mustMany(t, st, 60) // all created at t0: ties go to the higher ID
	change(t, st, 3, func(inc *testigo.Incident) { inc.Title = "Incident 3, corrected" })
	dir := t.TempDir()
	mustBuild(t, st, dir, options())
	b, err := os.ReadFile(filepath.Join(dir, "feed.atom"))
	if err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Entries []struct {
			ID    string `xml:"id"`
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b, &feed); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range feed.Entries {
		got = append(got, e.ID[strings.LastIndex(e.ID, ":")+1:])
	}
	want := []string{"3"}
	for id := 60; len(want) < 50; id-- {
		if id != 3 {
			want = append(want, strconv.Itoa(id))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("feed entries by incident ID (-want +got):\n%s", diff)
	}
	if len(feed.Entries) > 0 && feed.Entries[0].Title != "Incident 3, corrected" {
		t.Errorf("first entry %q", feed.Entries[0].Title)
	}
}

// TestUnchangedLog checks the shortcut: with no incident log entry since
// the last build nothing is rendered, while an incident entry, a missing
// file, other options or Full each bring a real build.
func TestUnchangedLog(t *testing.T) {
	ctx := context.Background()
	st := mustStore(t)
	dir := t.TempDir()
	mustBuild(t, st, dir, options())

	// A log entry of another kind (a release) changes nothing shown.
	err := st.Transact(ctx, func(tx testigo.Store) error {
		e, err := translog.NewEntry(testigo.LogPublication, site.PublicationSubject, []byte(`{}`), nil)
		if err != nil {
			return err
		}
		return translog.Append(ctx, tx, e)
	})
	if err != nil {
		t.Fatal(err)
	}
	if res := mustBuild(t, st, dir, options()); !res.Skipped || res.Incidents != 4 {
		t.Errorf("after a publication entry: %+v, want skipped", res)
	}

	// A deleted file is noticed and written again.
	if err := os.Remove(filepath.Join(dir, "incidents", "2", "index.html")); err != nil {
		t.Fatal(err)
	}
	if res := mustBuild(t, st, dir, options()); res.Skipped || res.Written != 1 {
		t.Errorf("after deleting a page: %+v, want a build writing 1 file", res)
	}

	// An edited file is left alone, unless the build is Full.
	page := filepath.Join(dir, "incidents", "2", "index.html")
	if err := os.WriteFile(page, []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := mustBuild(t, st, dir, options()); !res.Skipped {
		t.Errorf("after editing a page: %+v, want skipped", res)
	}
	full := options()
	full.Full = true
	if res := mustBuild(t, st, dir, full); res.Skipped || res.Written != 1 {
		t.Errorf("full build after editing a page: %+v, want 1 written", res)
	}

	// Other options: a different title shows on every page.
	other := options()
	other.Title = "another title"
	if res := mustBuild(t, st, dir, other); res.Skipped || res.Written < 10 {
		t.Errorf("build with another title: %+v, want every page written", res)
	}

	// An incident change is an incident log entry: that incident's page is
	// rendered, the other incidents' pages are kept as they are (an edit
	// by hand stays), the lists and exports are rendered.
	if err := os.WriteFile(page, []byte("edited again"), 0o644); err != nil {
		t.Fatal(err)
	}
	change(t, st, 1, func(inc *testigo.Incident) { inc.Title = "retitled" })
	res := mustBuild(t, st, dir, other)
	if res.Skipped || res.Written == 0 {
		t.Errorf("after an incident change: %+v, want a build", res)
	}
	if b, _ := os.ReadFile(page); string(b) != "edited again" {
		t.Errorf("page of unchanged incident 2 was rendered again")
	}
	for _, p := range []string{"incidents/1/index.html", "index.html", "countries/YE.html", "exports/incidents.csv"} {
		if b, _ := os.ReadFile(filepath.Join(dir, p)); !bytes.Contains(b, []byte("retitled")) {
			t.Errorf("%s does not show the new title", p)
		}
	}
}

// cancellingReader cancels the build's context once the listing has been
// read `after` times, as an interrupt would.
type cancellingReader struct {
	*sqlite.Store
	cancel context.CancelFunc
	after  int64
	calls  atomic.Int64 // the exports read the listing concurrently
}

func (r *cancellingReader) FindIncidents(ctx context.Context, f testigo.IncidentFilter) ([]*testigo.Incident, error) {
	if r.calls.Add(1) > r.after {
		r.cancel()
	}
	return r.Store.FindIncidents(ctx, f)
}

// TestInterrupted interrupts builds at several points and checks that the
// next build repairs the site: every file then matches SHA256SUMS, no
// temporary file is left, and a full rebuild finds nothing to write.
func TestInterrupted(t *testing.T) {
	st := sqlitetest.MustOpenTemp(t)
	mustMany(t, st, 150)
	dir := t.TempDir()
	mustBuild(t, st, dir, options())
	for i := 3; i <= 5; i++ { // incidents 30, 40, 50
		change(t, st, testigo.IncidentID(i*10), func(inc *testigo.Incident) { inc.Title = fmt.Sprintf("changed %d", i) })
	}
	// The listing is read once for the pages, once per country (2), once
	// per export format (6): cancel before the pages, in the country pages
	// and in the exports.
	for _, after := range []int64{0, 2, 5} {
		ctx, cancel := context.WithCancel(context.Background())
		rd := &cancellingReader{Store: st, cancel: cancel, after: after}
		_, err := site.Build(ctx, rd, dir, options())
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("build cancelled after %d listings: %v, want context.Canceled", after, err)
		}
		if _, err := os.Stat(filepath.Join(dir, site.StateName)); !os.IsNotExist(err) {
			t.Errorf("state file left by an interrupted build: %v", err)
		}
	}
	res := mustBuild(t, st, dir, options())
	if res.Skipped {
		t.Fatalf("build after interruptions skipped: %+v", res)
	}
	for rel, want := range readSums(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprintf("%x", sha256.Sum256(b)); got != want {
			t.Errorf("%s does not match SHA256SUMS", rel)
		}
	}
	for _, f := range listFiles(t, dir) {
		if strings.Contains(f, ".tmp-") {
			t.Errorf("temporary file left: %s", f)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "incidents", "40", "index.html"))
	if err != nil || !bytes.Contains(b, []byte("changed 4")) {
		t.Errorf("incident 40's page does not show its change: %v", err)
	}
	full := options()
	full.Full = true
	if res := mustBuild(t, st, dir, full); res.Written != 0 {
		t.Errorf("full rebuild after the repair wrote %d files", res.Written)
	}
}
