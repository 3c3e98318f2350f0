package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/sqlite"
)

// oneEvent stands in for the extractor (another package): it reads one
// fixed event from every text, with evidence on the text's first word.
type oneEvent struct{}

func (oneEvent) Extract(text, lang string, published time.Time) []testigo.Event {
	end := strings.IndexAny(text, " \n")
	if end < 0 {
		end = len(text)
	}
	return []testigo.Event{{Type: testigo.TypeAttack, Place: testigo.Place{Country: "MX"},
		Evidence: testigo.Evidence{"type": {Start: 0, End: end, Quote: text[:end]}}}}
}

// panicky is an extractor with a bug.
type panicky struct{}

func (panicky) Extract(string, string, time.Time) []testigo.Event { panic("index out of range") }

var fixedNow = time.Date(2025, 11, 24, 12, 0, 0, 0, time.UTC)

// newPipeline returns a pipeline over a real SQLite store and blob
// directory in a temporary directory.
func newPipeline(t *testing.T) *Pipeline {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "testigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := archive.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return &Pipeline{Store: st, Blobs: blobs, Extract: oneEvent{}, Now: func() time.Time { return fixedNow },
		ExtractorVersion: "test-1"}
}

func countRows(t *testing.T, p *Pipeline) (docs, reports int) {
	t.Helper()
	ds, err := p.Store.FindDocuments(context.Background(), testigo.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := p.Store.FindReports(context.Background(), testigo.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(ds), len(rs)
}

func TestIngestStoresDocument(t *testing.T) {
	ctx := context.Background()
	p := newPipeline(t)
	var attached []testigo.ReportID
	p.Attach = func(ctx context.Context, tx testigo.Store, r *testigo.Report) error {
		if _, err := tx.FindReport(ctx, r.ID); err != nil {
			return fmt.Errorf("report not visible in the transaction: %w", err)
		}
		attached = append(attached, r.ID)
		return nil
	}
	raw := []byte("Hombres armados asesinaron a tres personas en Culiacán, Sinaloa, según la Fiscalía.\r\n")
	in := Input{Name: "a.txt", Raw: raw, ContentType: "text/plain", ExternalID: "x1", URL: "https://example.org/a",
		Published: day("2025-11-22"), Title: "Ataque", Text: string(raw)}
	out, err := p.Ingest(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := &testigo.Document{SHA256: testigo.DigestOf(raw), ExternalID: "x1", URL: "https://example.org/a", Name: "a.txt",
		FetchedAt: fixedNow, Published: day("2025-11-22"), ContentType: "text/plain", Lang: "es", Title: "Ataque",
		Text: "Hombres armados asesinaron a tres personas en Culiacán, Sinaloa, según la Fiscalía.", Size: int64(len(raw))}
	stored, err := p.Store.FindDocumentByDigest(ctx, testigo.DigestOf(raw))
	if err != nil {
		t.Fatal(err)
	}
	opts := []cmp.Option{cmpopts.IgnoreFields(testigo.Document{}, "ID"), cmpopts.EquateApproxTime(time.Second)}
	if diff := cmp.Diff(want, stored, opts...); diff != "" {
		t.Errorf("stored document (-want +got):\n%s", diff)
	}
	if out.Duplicate || out.Document == nil || out.Document.ID != stored.ID || out.ExtractErr != nil {
		t.Errorf("outcome %+v", out)
	}
	if len(out.Reports) != 1 || len(attached) != 1 || attached[0] != out.Reports[0].ID {
		t.Fatalf("reports %+v, attached %v", out.Reports, attached)
	}
	r, err := p.Store.FindReport(ctx, out.Reports[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.DocumentID != stored.ID || r.Index != 0 || r.ExtractorVersion != "test-1" || r.Type != testigo.TypeAttack ||
		stored.Text[r.Evidence["type"].Start:r.Evidence["type"].End] != "Hombres" {
		t.Errorf("report %+v", r)
	}
	rc, err := p.Blobs.Open(stored.SHA256)
	if err != nil {
		t.Fatalf("blob not archived: %v", err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(rc); err != nil || !bytes.Equal(buf.Bytes(), raw) {
		t.Errorf("archived blob differs from the raw bytes: %q %v", buf.Bytes(), err)
	}
}

// TestIngestDuplicate re-ingests the same bytes: nothing new is stored, the
// outcome names the existing document, and a lost blob is put back.
func TestIngestDuplicate(t *testing.T) {
	ctx := context.Background()
	p := newPipeline(t)
	ins, errs := ReadBytes("a.jsonl", []byte(`{"id":"1","text":"uno"}`+"\n"+`{"id":"2","text":"dos"}`))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	var sum Summary
	first := map[string]testigo.DocumentID{}
	for _, in := range ins {
		out, err := p.Ingest(ctx, in)
		sum.Add(in, out, err)
		if err == nil {
			first[in.Name] = out.Document.ID
		}
	}
	if err := os.Remove(p.Blobs.(*archive.Dir).Path(testigo.DigestOf(ins[0].Raw))); err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		out, err := p.Ingest(ctx, in)
		sum.Add(in, out, err)
		if err != nil || !out.Duplicate || out.Document.ID != first[in.Name] || len(out.Reports) != 0 {
			t.Errorf("re-ingest of %s: %+v, %v", in.Name, out, err)
		}
	}
	var buf bytes.Buffer
	sum.Print(&buf)
	if diff := cmp.Diff("2 new, 2 duplicate, 0 failed\n", buf.String()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if docs, reports := countRows(t, p); docs != 2 || reports != 2 {
		t.Errorf("%d documents and %d reports stored, want 2 and 2", docs, reports)
	}
	if _, err := os.Stat(p.Blobs.(*archive.Dir).Path(testigo.DigestOf(ins[0].Raw))); err != nil {
		t.Errorf("lost blob not restored: %v", err)
	}
}

// TestIngestBatch runs a batch as the command does, with bad files between
// good ones: the good ones are stored, each bad one is one line of the
// summary.
func TestIngestBatch(t *testing.T) {
	ctx := context.Background()
	p := newPipeline(t)
	dir := t.TempDir()
	args := []string{
		writeFile(t, dir, "good.txt", []byte("Gunmen killed three people in Culiacán, Sinaloa, police said.")),
		writeFile(t, dir, "binary.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00")),
		garbage(t, dir, "garbage.txt", 21<<20),
		writeFile(t, dir, "notes.docx", []byte("PK\x03\x04")),
		writeFile(t, dir, "good.md", []byte("# Ataque\n\nDos muertos dejó un ataque armado en Reynosa.")),
		writeFile(t, dir, "mixed.jsonl", []byte(`{"id":"a","text":"uno dos tres"}`+"\n{oops}\n"+`{"id":"b","text":"cuatro"}`+"\n")),
		writeFile(t, dir, "empty.json", []byte("  ")),
	}
	var sum Summary
	for _, arg := range args {
		ins, errs := Read(ctx, nil, arg, 0)
		for _, err := range errs {
			sum.Fail(err)
		}
		for _, in := range ins {
			out, err := p.Ingest(ctx, in)
			sum.Add(in, out, err)
		}
	}
	var buf bytes.Buffer
	sum.Print(&buf)
	want := strings.Join([]string{
		"4 new, 0 duplicate, 5 failed",
		"  failed: " + args[1] + ": binary data (NUL byte at offset 8), not text",
		"  failed: " + args[2] + ": 21.0 MB is over the 20.0 MB limit",
		"  failed: " + args[3] + `: unsupported file type ".docx" (want .txt, .md, .html, .json or .jsonl)`,
		"  failed: " + args[5] + " line 2: invalid JSON: invalid character 'o' looking for beginning of object key string",
		"  failed: " + args[6] + ": empty",
	}, "\n") + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	docs, err := p.Store.FindDocuments(ctx, testigo.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range docs {
		names = append(names, filepath.Base(d.Name)+" "+d.Lang+" "+d.Text)
	}
	wantNames := []string{
		"mixed.jsonl#line 3  cuatro", // one word: language unknown
		"mixed.jsonl#line 1 es uno dos tres",
		"good.md es Ataque\n\nDos muertos dejó un ataque armado en Reynosa.",
		"good.txt en Gunmen killed three people in Culiacán, Sinaloa, police said.",
	}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("stored documents, newest first (-want +got):\n%s", diff)
	}
}

// TestIngestURL fetches an HTML page from a test server and stores its
// readable text.
func TestIngestURL(t *testing.T) {
	ctx := context.Background()
	p := newPipeline(t)
	srv := newServer(t)
	ins, errs := Read(ctx, srv.Client(), srv.URL+"/moved", 0)
	if len(errs) != 0 || len(ins) != 1 {
		t.Fatalf("read: %d inputs, %v", len(ins), errs)
	}
	out, err := p.Ingest(ctx, ins[0])
	if err != nil {
		t.Fatal(err)
	}
	d, err := p.Store.FindDocument(ctx, out.Document.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != srv.URL+"/moved" || d.URL != srv.URL+"/strike" || d.ContentType != "text/html" || d.Lang != "en" ||
		d.Title != "Strike near Aguililla" || d.SHA256 != testigo.DigestOf([]byte(strikePage)) ||
		!strings.HasPrefix(d.Text, "A drone strike hit a pickup truck outside Aguililla") || strings.Contains(d.Text, "<") {
		t.Errorf("stored document %+v", d)
	}
	if d.Published.Format(testigo.DateLayout) != "2025-11-20" {
		t.Errorf("published %s, want the page's date 2025-11-20", d.Published)
	}
}

// TestIngestFailures checks that a failing step stores nothing and a
// panicking extractor loses no document.
func TestIngestFailures(t *testing.T) {
	ctx := context.Background()
	p := newPipeline(t)
	in := Input{Name: "c.txt", Raw: []byte("tres muertos"), Text: "tres muertos"}

	p.Attach = func(context.Context, testigo.Store, *testigo.Report) error { return errors.New("cluster down") }
	if _, err := p.Ingest(ctx, in); err == nil || err.Error() != "ingest c.txt: cluster report 0: cluster down" {
		t.Errorf("failing attach: %v", err)
	}
	if docs, reports := countRows(t, p); docs != 0 || reports != 0 {
		t.Errorf("failed ingest left %d documents and %d reports", docs, reports)
	}

	p.Attach, p.Extract = nil, panicky{}
	out, err := p.Ingest(ctx, in)
	if err != nil || out.Document == nil || out.Document.ID == 0 || len(out.Reports) != 0 || out.ExtractErr == nil {
		t.Fatalf("panicking extractor: %+v, %v", out, err)
	}
	var sum Summary
	sum.Add(in, out, err)
	var buf bytes.Buffer
	sum.Print(&buf)
	want := "1 new, 0 duplicate, 0 failed\n  warning: c.txt: stored without reports: extractor panicked: index out of range\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}

	for _, bad := range []Input{{Name: "no raw", Text: "x"}, {Name: "no text", Raw: []byte("x"), Text: " \n"}} {
		if _, err := p.Ingest(ctx, bad); !errors.Is(err, testigo.ErrInvalid) || err.Error() != bad.Name+": no text to ingest" {
			t.Errorf("Ingest(%s): %v, want ErrInvalid", bad.Name, err)
		}
	}
}

// racer is an extractor that, while the pipeline is between its duplicate
// check and its transaction, stores a document with the same digest
// through the real store, as another process ingesting the same bytes at
// the same moment would.
type racer struct {
	st  testigo.Store
	doc *testigo.Document
}

func (r racer) Extract(text, lang string, published time.Time) []testigo.Event {
	if err := r.st.CreateDocument(context.Background(), r.doc); err != nil {
		panic(err)
	}
	return oneEvent{}.Extract(text, lang, published)
}

// TestIngestConcurrentDuplicate checks that losing the race to store the
// same bytes is a duplicate, not a failure, and writes nothing more.
func TestIngestConcurrentDuplicate(t *testing.T) {
	ctx := context.Background()
	p := newPipeline(t)
	raw := []byte("A drone strike killed two people.")
	other := &testigo.Document{SHA256: testigo.DigestOf(raw), Name: "other.txt", FetchedAt: fixedNow,
		Text: string(raw), Size: int64(len(raw))}
	p.Extract = racer{st: p.Store, doc: other}
	out, err := p.Ingest(ctx, Input{Name: "a.txt", Raw: raw, Text: string(raw)})
	if err != nil {
		t.Fatal(err)
	}
	if !out.Duplicate || out.Document == nil || out.Document.ID != other.ID || len(out.Reports) != 0 {
		t.Errorf("outcome %+v, want a duplicate of document %d", out, other.ID)
	}
	if docs, reports := countRows(t, p); docs != 1 || reports != 0 {
		t.Errorf("%d documents and %d reports stored, want 1 and 0", docs, reports)
	}
}
