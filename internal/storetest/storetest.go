// Package storetest is the one test suite every testigo.Store implementation
// must pass. A backend's tests call Run with a function that opens a fresh,
// empty store; the suite checks behaviour only through the testigo.Store
// interface, so it holds for any database behind it.
package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

// Opener returns a fresh, empty store. The suite closes it when the subtest
// that asked for it ends.
type Opener func(tb testing.TB) testigo.Store

// Run runs the whole suite against stores made by open, one fresh store per
// subtest. Besides classifying errors as the Store interface says, a store
// must return every time it is given or sets exactly and in UTC. The times
// the suite gives have microsecond precision, so a backend that keeps only
// microseconds must truncate the times it sets itself.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, testigo.Store)
	}{
		{"SourceRoundTrip", testSourceRoundTrip},
		{"DocumentRoundTrip", testDocumentRoundTrip},
		{"DocumentPages", testDocumentPages},
		{"ReportRoundTrip", testReportRoundTrip},
		{"ReportAttachAndFilter", testReportAttach},
		{"IncidentRoundTrip", testIncidentRoundTrip},
		{"IncidentUpdateVersion", testIncidentUpdate},
		{"IncidentFilters", testIncidentFilters},
		{"IncidentPagination", testIncidentPagination},
		{"TransactRollback", testTransactRollback},
		{"TransactNested", testTransactNested},
		{"TransactPanic", testTransactPanic},
		{"AuditTrail", testAuditTrail},
		{"ConcurrentWriters", testConcurrentWriters},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"LogEntries", testLogEntries},
		{"Checkpoints", testCheckpoints},
		{"SourceUpdate", testSourceUpdate},
		{"SourceState", testSourceState},
		{"SourceItems", testSourceItems},
		{"JobLifecycle", testJobLifecycle},
		{"JobLeaseConcurrent", testJobLeaseConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("close store: %v", err)
				}
			})
			tc.fn(t, st)
		})
	}
}

// at is a fixed time with sub-second precision, to check that it survives.
var at = time.Date(2025, 11, 3, 14, 5, 6, 789123000, time.UTC)

// mexico is a fixed zone west of UTC, to check that stores return UTC.
var mexico = time.FixedZone("CST", -6*60*60)

func f64(v float64) *float64 { return &v }

// wantErr fails the test unless err wraps kind.
func wantErr(t *testing.T, err, kind error, what string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Errorf("%s: err = %v, want one wrapping %q", what, err, kind)
	}
}

// must fails the test at once if err is not nil.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantUTC fails the test unless every time in ts is in UTC.
func wantUTC(t *testing.T, what string, ts ...time.Time) {
	t.Helper()
	for _, tm := range ts {
		if tm.Location() != time.UTC {
			t.Errorf("%s: time %v is in %v, want UTC", what, tm, tm.Location())
		}
	}
}

func testSourceRoundTrip(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	feed := &testigo.Source{Kind: testigo.SourceFeed, URL: "https://example.org/feed.xml", Name: "Example",
		Lang: "es", Every: 15 * time.Minute, Tags: []string{"mx", "press"}, Paused: true, CreatedAt: at.In(mexico)}
	upload := &testigo.Source{Kind: testigo.SourceUpload, Name: "uploads"}
	must(t, st.CreateSource(ctx, feed))
	must(t, st.CreateSource(ctx, upload))
	if feed.ID == 0 || upload.ID == 0 || feed.ID == upload.ID {
		t.Fatalf("source IDs %d and %d, want two distinct non-zero IDs", feed.ID, upload.ID)
	}
	if upload.CreatedAt.IsZero() {
		t.Error("CreateSource left CreatedAt zero")
	}
	wantUTC(t, "created source", feed.CreatedAt, upload.CreatedAt)

	got, err := st.FindSource(ctx, feed.ID)
	must(t, err)
	if diff := cmp.Diff(feed, got); diff != "" {
		t.Errorf("FindSource mismatch (-want +got):\n%s", diff)
	}
	wantUTC(t, "found source", got.CreatedAt)
	got, err = st.FindSourceByURL(ctx, testigo.SourceFeed, feed.URL)
	must(t, err)
	if diff := cmp.Diff(feed, got); diff != "" {
		t.Errorf("FindSourceByURL mismatch (-want +got):\n%s", diff)
	}
	all, err := st.FindSources(ctx)
	must(t, err)
	if diff := cmp.Diff([]*testigo.Source{feed, upload}, all); diff != "" {
		t.Errorf("FindSources mismatch (-want +got):\n%s", diff)
	}

	dup := &testigo.Source{Kind: testigo.SourceFeed, URL: feed.URL, Name: "again"}
	wantErr(t, st.CreateSource(ctx, dup), testigo.ErrConflict, "source with the same kind and URL")
	_, err = st.FindSource(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "FindSource(999)")
	_, err = st.FindSourceByURL(ctx, testigo.SourcePage, feed.URL)
	wantErr(t, err, testigo.ErrNotFound, "FindSourceByURL of another kind")
}

// newDocument returns a document with every field set, distinct for each n.
func newDocument(src testigo.SourceID, n int) *testigo.Document {
	return &testigo.Document{
		SHA256:      testigo.DigestOf([]byte(fmt.Sprint("document ", n))),
		SourceID:    src,
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
		Capture:     testigo.DigestOf([]byte(fmt.Sprint("capture ", n))),
	}
}

func testDocumentRoundTrip(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	src := &testigo.Source{Kind: testigo.SourceUpload}
	must(t, st.CreateSource(ctx, src))
	d := newDocument(src.ID, 1)
	d.FetchedAt = at.In(mexico)
	must(t, st.CreateDocument(ctx, d))
	wantUTC(t, "created document", d.FetchedAt, d.Published)
	bare := &testigo.Document{SHA256: testigo.DigestOf([]byte("bare")), FetchedAt: at}
	must(t, st.CreateDocument(ctx, bare))

	for _, want := range []*testigo.Document{d, bare} {
		got, err := st.FindDocument(ctx, want.ID)
		must(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FindDocument(%d) mismatch (-want +got):\n%s", want.ID, diff)
		}
		wantUTC(t, "found document", got.FetchedAt)
		got, err = st.FindDocumentByDigest(ctx, want.SHA256)
		must(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FindDocumentByDigest(%s) mismatch (-want +got):\n%s", want.SHA256, diff)
		}
	}

	dup := newDocument(0, 1)
	dup.Name = "another capture of the same bytes"
	wantErr(t, st.CreateDocument(ctx, dup), testigo.ErrConflict, "document with a stored digest")
	wantErr(t, st.CreateDocument(ctx, newDocument(999, 2)), testigo.ErrNotFound, "document of a missing source")
	_, err := st.FindDocument(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "FindDocument(999)")
	_, err = st.FindDocumentByDigest(ctx, testigo.DigestOf([]byte("nothing")))
	wantErr(t, err, testigo.ErrNotFound, "FindDocumentByDigest of an unknown digest")
}

func testDocumentPages(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	var want []testigo.DocumentID
	for i := range 7 {
		d := newDocument(0, i)
		must(t, st.CreateDocument(ctx, d))
		want = append([]testigo.DocumentID{d.ID}, want...)
	}
	all, err := st.FindDocuments(ctx, testigo.DocumentFilter{})
	must(t, err)
	if diff := cmp.Diff(want, documentIDs(all)); diff != "" {
		t.Errorf("FindDocuments without limit (-want +got):\n%s", diff)
	}
	for _, limit := range []int{1, 2, 3, 7, 8} {
		var walked []testigo.DocumentID
		f := testigo.DocumentFilter{Limit: limit}
		for range 10 {
			page, err := st.FindDocuments(ctx, f)
			must(t, err)
			if len(page) > limit {
				t.Fatalf("limit %d: page of %d documents", limit, len(page))
			}
			if len(page) == 0 {
				break
			}
			walked = append(walked, documentIDs(page)...)
			f.Before = page[len(page)-1].ID
		}
		if diff := cmp.Diff(want, walked); diff != "" {
			t.Errorf("walk with limit %d (-want +got):\n%s", limit, diff)
		}
	}

	// By ID, newest first, with and without the text.
	some, err := st.FindDocuments(ctx, testigo.DocumentFilter{IDs: []testigo.DocumentID{want[6], want[1], 999, want[3]}})
	must(t, err)
	if diff := cmp.Diff([]testigo.DocumentID{want[1], want[3], want[6]}, documentIDs(some)); diff != "" {
		t.Errorf("FindDocuments by IDs (-want +got):\n%s", diff)
	}
	if len(some) > 0 && some[0].Text == "" {
		t.Error("FindDocuments by IDs dropped the text")
	}
	bare, err := st.FindDocuments(ctx, testigo.DocumentFilter{IDs: []testigo.DocumentID{want[1], want[3]}, WithoutText: true})
	must(t, err)
	if len(bare) != 2 {
		t.Fatalf("FindDocuments by IDs without text: %d documents, want 2", len(bare))
	}
	if bare[0].Text != "" || bare[0].SHA256 != some[0].SHA256 || bare[0].URL != some[0].URL || bare[0].Size != some[0].Size {
		t.Errorf("FindDocuments without text = %+v, want %+v without its text", bare[0], some[0])
	}
	if none, err := st.FindDocuments(ctx, testigo.DocumentFilter{IDs: []testigo.DocumentID{}}); err != nil || len(none) != 0 {
		t.Errorf("FindDocuments of no IDs = %d documents, %v; want none", len(none), err)
	}
	if page, err := st.FindDocuments(ctx, testigo.DocumentFilter{IDs: []testigo.DocumentID{want[1], want[3]}, Before: want[1]}); err != nil || len(page) != 1 || page[0].ID != want[3] {
		t.Errorf("FindDocuments by IDs before %d = %v, %v; want [%d]", want[1], documentIDs(page), err, want[3])
	}
}

func documentIDs(ds []*testigo.Document) []testigo.DocumentID {
	var ids []testigo.DocumentID
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	return ids
}
