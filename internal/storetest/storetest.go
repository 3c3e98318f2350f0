// Package storetest is the one test suite every testigo.Store implementation
// must pass. A backend's tests call Run with a function that opens a fresh,
// empty store for each test.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

// Opener returns a fresh, empty store; the store is closed by the suite.
type Opener func(tb testing.TB) testigo.Store

// Run runs the whole suite against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, testigo.Store)
	}{
		{"SourceRoundTrip", testSourceRoundTrip},
		{"DocumentRoundTrip", testDocumentRoundTrip},
		{"ReportRoundTrip", testReportRoundTrip},
		{"IncidentRoundTripAndVersion", testIncidentRoundTrip},
		{"IncidentListing", testIncidentListing},
		{"TransactRollback", testTransactRollback},
		{"AuditTrail", testAuditTrail},
		{"ConcurrentWriters", testConcurrentWriters},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() { st.Close() })
			tc.fn(t, st)
		})
	}
}

var ctx = context.Background()

// at is a fixed time with sub-second precision, to check it survives.
var at = time.Date(2025, 11, 3, 14, 5, 6, 789000000, time.UTC)

func f64(v float64) *float64 { return &v }

func wantErr(t *testing.T, err, kind error, what string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: err = %v, want %v", what, err, kind)
	}
}

func testSourceRoundTrip(t *testing.T, st testigo.Store) {
	src := &testigo.Source{Kind: testigo.SourceFeed, URL: "https://example.org/feed.xml", Name: "Example",
		Lang: "es", Every: 15 * time.Minute, Tags: []string{"mx", "press"}, Paused: true, CreatedAt: at}
	if err := st.CreateSource(ctx, src); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindSource(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(src, got); diff != "" {
		t.Errorf("FindSource mismatch (-want +got):\n%s", diff)
	}
	got, err = st.FindSourceByURL(ctx, testigo.SourceFeed, src.URL)
	if err != nil || got.ID != src.ID {
		t.Errorf("FindSourceByURL = %v, %v", got, err)
	}
	dup := *src
	wantErr(t, st.CreateSource(ctx, &dup), testigo.ErrConflict, "duplicate source")
	_, err = st.FindSource(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "missing source")
	all, err := st.FindSources(ctx)
	if err != nil || len(all) != 1 {
		t.Errorf("FindSources = %d sources, %v", len(all), err)
	}
}

func newDocument(n int) *testigo.Document {
	return &testigo.Document{
		SHA256:      testigo.DigestOf([]byte(fmt.Sprint("document ", n))),
		ExternalID:  fmt.Sprint("doc-", n),
		URL:         fmt.Sprintf("https://example.org/%d", n),
		Name:        fmt.Sprintf("in/%d.json", n),
		FetchedAt:   at,
		Published:   time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC),
		ContentType: "application/json",
		Lang:        "es",
		Title:       "Título",
		Text:        "Seis personas sin vida en Culiacán, Sinaloa.",
		Size:        120,
	}
}

func testDocumentRoundTrip(t *testing.T, st testigo.Store) {
	d := newDocument(1)
	if err := st.CreateDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindDocument(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("FindDocument mismatch (-want +got):\n%s", diff)
	}
	got, err = st.FindDocumentByDigest(ctx, d.SHA256)
	if err != nil || got.ID != d.ID {
		t.Errorf("FindDocumentByDigest = %v, %v", got, err)
	}
	dup := newDocument(1)
	wantErr(t, st.CreateDocument(ctx, dup), testigo.ErrConflict, "duplicate digest")
	_, err = st.FindDocument(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "missing document")
	_, err = st.FindDocumentByDigest(ctx, testigo.DigestOf([]byte("nothing")))
	wantErr(t, err, testigo.ErrNotFound, "missing digest")

	for i := 2; i <= 5; i++ {
		if err := st.CreateDocument(ctx, newDocument(i)); err != nil {
			t.Fatal(err)
		}
	}
	page, err := st.FindDocuments(ctx, testigo.DocumentFilter{Limit: 2})
	if err != nil || len(page) != 2 || page[0].ID <= page[1].ID {
		t.Fatalf("FindDocuments first page = %v, %v", page, err)
	}
	rest, err := st.FindDocuments(ctx, testigo.DocumentFilter{Before: page[1].ID})
	if err != nil || len(rest) != 3 {
		t.Errorf("FindDocuments after cursor = %d documents, %v; want 3", len(rest), err)
	}
}

func newReport(doc testigo.DocumentID, idx int) *testigo.Report {
	return &testigo.Report{
		DocumentID: doc, Index: idx,
		Event: testigo.Event{
			Type: testigo.TypeAirDroneStrike, Date: "2025-11-20",
			Place:    testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato", Location: "La Tuna", Lat: f64(25.3636), Lon: f64(-107.55)},
			Killed:   &testigo.Range{Min: 4, Max: 6},
			Injured:  &testigo.Range{Min: 0, Max: 0},
			Actors:   []testigo.Actor{{Name: "CIA", Group: "United States", Role: testigo.RolePerpetrator, Mention: "the CIA"}},
			Platform: testigo.PlatformDrone,
			Attribution: []testigo.Attribution{{Text: "two current and two former US officials",
				Kind: "official", Count: 4, Anonymous: true}},
			Modality: testigo.Asserted,
			Evidence: testigo.Evidence{"type": {Start: 2, End: 14, Quote: "drone strike"}},
		},
		ExtractorVersion: "extract/test",
		CreatedAt:        at,
	}
}

func testReportRoundTrip(t *testing.T, st testigo.Store) {
	d := newDocument(1)
	if err := st.CreateDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	r := newReport(d.ID, 0)
	if err := st.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := st.FindReport(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, got); diff != "" {
		t.Errorf("FindReport mismatch (-want +got):\n%s", diff)
	}
	bare := &testigo.Report{DocumentID: d.ID, Index: 1, Event: testigo.Event{Type: testigo.TypeOther}}
	if err := st.CreateReport(ctx, bare); err != nil {
		t.Fatal(err)
	}
	got, err = st.FindReport(ctx, bare.ID)
	if err != nil || got.Killed != nil || got.Lat != nil || len(got.Actors) != 0 {
		t.Errorf("report without optional fields came back as %+v, %v", got, err)
	}
	wantErr(t, st.CreateReport(ctx, newReport(d.ID, 0)), testigo.ErrConflict, "same document and index")
	wantErr(t, st.CreateReport(ctx, newReport(999, 0)), testigo.ErrNotFound, "report for a missing document")
	_, err = st.FindReport(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "missing report")

	inc := &testigo.Incident{Type: testigo.TypeAirDroneStrike}
	if err := st.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	if err := st.AttachReport(ctx, r.ID, inc.ID); err != nil {
		t.Fatal(err)
	}
	wantErr(t, st.AttachReport(ctx, 999, inc.ID), testigo.ErrNotFound, "attach a missing report")
	wantErr(t, st.AttachReport(ctx, r.ID, 999), testigo.ErrNotFound, "attach to a missing incident")
	byInc, err := st.FindReports(ctx, testigo.ReportFilter{IncidentID: inc.ID})
	if err != nil || len(byInc) != 1 || byInc[0].ID != r.ID || byInc[0].IncidentID != inc.ID {
		t.Errorf("FindReports by incident = %v, %v", byInc, err)
	}
	byDoc, err := st.FindReports(ctx, testigo.ReportFilter{DocumentID: d.ID})
	if err != nil || len(byDoc) != 2 {
		t.Errorf("FindReports by document = %d reports, %v; want 2", len(byDoc), err)
	}
}

func testIncidentRoundTrip(t *testing.T, st testigo.Store) {
	inc := &testigo.Incident{
		Title: "Drone strike in Badiraguato", Type: testigo.TypeAirDroneStrike, Date: "2025-11-20",
		Place:  testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato", Lat: f64(25.36), Lon: f64(-107.55)},
		Killed: &testigo.Range{Min: 4, Max: 6}, Injured: &testigo.Range{Min: 1, Max: 2},
		Grade: testigo.GradeFair, GradeReason: "two documents", GradeSet: true, Derivation: "killed min 4 from report 1",
		Review: testigo.ReviewInReview, ReportCount: 2, CreatedAt: at,
	}
	if err := st.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	if inc.Version != 1 || inc.ID == 0 {
		t.Fatalf("created incident has ID %d version %d", inc.ID, inc.Version)
	}
	got, err := st.FindIncident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(inc, got); diff != "" {
		t.Errorf("FindIncident mismatch (-want +got):\n%s", diff)
	}
	stale := *got
	got.Killed = &testigo.Range{Min: 5, Max: 9}
	if err := st.UpdateIncident(ctx, got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 {
		t.Errorf("version after update = %d, want 2", got.Version)
	}
	again, err := st.FindIncident(ctx, inc.ID)
	if err != nil || again.Version != 2 || again.Killed.Max != 9 {
		t.Errorf("after update: %+v, %v", again, err)
	}
	wantErr(t, st.UpdateIncident(ctx, &stale), testigo.ErrConflict, "stale version")
	missing := testigo.Incident{ID: 999, Version: 1}
	wantErr(t, st.UpdateIncident(ctx, &missing), testigo.ErrNotFound, "update of a missing incident")
	_, err = st.FindIncident(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "missing incident")
}

func testIncidentListing(t *testing.T, st testigo.Store) {
	dates := []string{"2025-11-20", "", "2025-11-22", "2025-11-20", "2025-10-01", "", "2025-11-22", "2025-11-25"}
	var ids []testigo.IncidentID
	for i, d := range dates {
		country := "MX"
		if i%3 == 2 {
			country = "VE"
		}
		inc := &testigo.Incident{Type: testigo.TypeArmedClash, Date: d, Place: testigo.Place{Country: country}}
		if i == 7 {
			inc.Type = testigo.TypeVesselStrike
			inc.Review = testigo.ReviewPublished
		}
		if err := st.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, inc.ID)
	}
	merged, err := st.FindIncident(ctx, ids[4])
	if err != nil {
		t.Fatal(err)
	}
	merged.MergedInto = ids[0]
	if err := st.UpdateIncident(ctx, merged); err != nil {
		t.Fatal(err)
	}

	// Walk the listing two at a time: every live incident once, in order.
	var walked []testigo.IncidentID
	var cursor *testigo.IncidentCursor
	for page := 0; page < 10; page++ {
		got, err := st.FindIncidents(ctx, testigo.IncidentFilter{Limit: 2, After: cursor})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			break
		}
		for _, inc := range got {
			walked = append(walked, inc.ID)
		}
		last := got[len(got)-1]
		cursor = &testigo.IncidentCursor{Date: last.Date, ID: last.ID}
	}
	want := []testigo.IncidentID{ids[7], ids[6], ids[2], ids[3], ids[0], ids[5], ids[1]}
	if diff := cmp.Diff(want, walked); diff != "" {
		t.Errorf("listing walk mismatch (-want +got):\n%s", diff)
	}

	count := func(f testigo.IncidentFilter) int {
		t.Helper()
		got, err := st.FindIncidents(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	checks := []struct {
		name string
		f    testigo.IncidentFilter
		want int
	}{
		{"country", testigo.IncidentFilter{Country: "VE"}, 2},
		{"type", testigo.IncidentFilter{Type: testigo.TypeVesselStrike}, 1},
		{"review", testigo.IncidentFilter{Review: testigo.ReviewPublished}, 1},
		{"since", testigo.IncidentFilter{Since: "2025-11-21"}, 3},
		{"until", testigo.IncidentFilter{Until: "2025-11-20"}, 2},
		{"window", testigo.IncidentFilter{Since: "2025-11-20", Until: "2025-11-22"}, 4},
		{"merged included", testigo.IncidentFilter{IncludeMerged: true}, 8},
	}
	for _, c := range checks {
		if got := count(c.f); got != c.want {
			t.Errorf("%s filter: %d incidents, want %d", c.name, got, c.want)
		}
	}
}

func testTransactRollback(t *testing.T, st testigo.Store) {
	boom := errors.New("boom")
	err := st.Transact(ctx, func(tx testigo.Store) error {
		if err := tx.CreateDocument(ctx, newDocument(1)); err != nil {
			return err
		}
		if err := tx.CreateIncident(ctx, &testigo.Incident{Type: testigo.TypeOther}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Transact returned %v, want the callback's error", err)
	}
	docs, _ := st.FindDocuments(ctx, testigo.DocumentFilter{})
	incs, _ := st.FindIncidents(ctx, testigo.IncidentFilter{IncludeMerged: true})
	if len(docs) != 0 || len(incs) != 0 {
		t.Errorf("rolled-back transaction left %d documents and %d incidents", len(docs), len(incs))
	}
	err = st.Transact(ctx, func(tx testigo.Store) error { return tx.CreateDocument(ctx, newDocument(2)) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.FindDocumentByDigest(ctx, newDocument(2).SHA256); err != nil {
		t.Errorf("committed document not found: %v", err)
	}
}

func testAuditTrail(t *testing.T, st testigo.Store) {
	inc := &testigo.Incident{Type: testigo.TypeOther}
	if err := st.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	var want []*testigo.AuditEntry
	for i, a := range []testigo.AuditAction{testigo.ActionCreate, testigo.ActionAttach, testigo.ActionReview} {
		e := &testigo.AuditEntry{IncidentID: inc.ID, Actor: "ana", Action: a, Reason: fmt.Sprint("step ", i),
			Before: `{"review":"new"}`, After: `{"review":"published"}`, At: at.Add(time.Duration(i) * time.Second)}
		if err := st.AddAuditEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	}
	got, err := st.FindAuditEntries(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindAuditEntries mismatch (-want +got):\n%s", diff)
	}
}

func testConcurrentWriters(t *testing.T, st testigo.Store) {
	const writers, each = 6, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := st.Transact(ctx, func(tx testigo.Store) error {
					d := newDocument(w*1000 + i)
					if err := tx.CreateDocument(ctx, d); err != nil {
						return err
					}
					return tx.CreateIncident(ctx, &testigo.Incident{Type: testigo.TypeOther, Date: "2025-11-20"})
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	docs, err := st.FindDocuments(ctx, testigo.DocumentFilter{})
	if err != nil || len(docs) != writers*each {
		t.Errorf("%d documents after concurrent writes (%v), want %d", len(docs), err, writers*each)
	}
}
