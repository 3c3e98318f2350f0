package ingest

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/sqlite"
)

func TestReadBytesBadInput(t *testing.T) {
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"binary", "a.txt", []byte("ab\x00cd"), "binary data (NUL byte at offset 2)"},
		{"empty", "a.txt", nil, "empty"},
		{"blank", "a.md", []byte(" \n\t "), "empty"},
		{"invalid utf-8", "a.txt", []byte("caf\xe9"), "not valid UTF-8 (bad byte at offset 3)"},
		{"unknown type", "a.xlsx", []byte("PK"), `unsupported file type ".xlsx"`},
		{"no extension", "README", []byte("x"), `unsupported file type "no extension"`},
		{"broken json", "a.json", []byte(`{"text": "x`), "invalid JSON"},
		{"json without text", "a.json", []byte(`{"id": "1"}`), `no "text" field`},
		{"json bad date", "a.json", []byte(`{"text": "x", "published": "ayer"}`), `"published" "ayer"`},
		{"json bad lang", "a.json", []byte(`{"text": "x", "lang": "fr"}`), `"lang" "fr"`},
		{"header bad date", "a.txt", []byte("published: soon\n\nbody"), `header published "soon"`},
		{"html without text", "a.html", []byte("<html><body></body></html>"), "no main text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ins, errs := ReadBytes(tc.file, tc.data)
			if len(ins) != 0 || len(errs) != 1 {
				t.Fatalf("got %d inputs and %d errors, want one error", len(ins), len(errs))
			}
			msg := errs[0].Error()
			if !strings.HasPrefix(msg, tc.file) || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line naming %s and containing %q", msg, tc.file, tc.want)
			}
		})
	}
}

func TestReadBytesFormats(t *testing.T) {
	seed := "source: UNN\npublished: 2025-11-03\nlanguage: en\nnote: fixture\n\nThe administration has begun planning."
	ins, errs := ReadBytes("seed.txt", []byte(seed))
	if len(errs) != 0 || len(ins) != 1 || ins[0].Text != "The administration has begun planning." ||
		ins[0].Lang != "en" || ins[0].Published.Format(testigo.DateLayout) != "2025-11-03" || string(ins[0].Raw) != seed {
		t.Errorf("header file: %+v %v", ins, errs)
	}
	ins, _ = ReadBytes("plain.txt", []byte("Gunmen: killed three.\n\nSecond paragraph."))
	if len(ins) != 1 || !strings.HasPrefix(ins[0].Text, "Gunmen") {
		t.Errorf("a file whose first paragraph is not a header lost text: %+v", ins)
	}
	jl := `{"id":"a","text":"uno","published":"2025-11-03T10:00:00Z","lang":"es"}` + "\n\nnot json\n" + `{"id":7,"text":"dos"}` + "\n"
	ins, errs = ReadBytes("b.jsonl", []byte(jl))
	if len(ins) != 2 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "b.jsonl#line 3: ") ||
		ins[0].ExternalID != "a" || ins[1].ExternalID != "7" || ins[1].Name != "b.jsonl#line 4" ||
		string(ins[0].Raw) != `{"id":"a","text":"uno","published":"2025-11-03T10:00:00Z","lang":"es"}` {
		t.Errorf("jsonl: %+v %v", ins, errs)
	}
}

func TestReadFiles(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, bytes.Repeat([]byte("x"), 2<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errs := Read(context.Background(), nil, big, 1<<20); len(errs) != 1 || !strings.Contains(errs[0].Error(), "over the 1.0 MB limit") {
		t.Errorf("big file: %v", errs)
	}
	if _, errs := Read(context.Background(), nil, filepath.Join(dir, "nope.txt"), 1<<20); len(errs) != 1 || !strings.Contains(errs[0].Error(), "no such file") {
		t.Errorf("missing file: %v", errs)
	}
	if _, errs := Read(context.Background(), nil, dir, 1<<20); len(errs) != 1 || !strings.Contains(errs[0].Error(), "is a directory") {
		t.Errorf("directory: %v", errs)
	}
}

func TestReadURL(t *testing.T) {
	page := `<html><head><title>Strike</title></head><body><article><p>A drone strike hit a pickup truck outside Aguililla, in Mexico's Michoacán state, killing two men, according to municipal police who spoke to reporters on Thursday.</p><p>Residents said they heard the aircraft for several minutes before the explosion and that no group had claimed the attack.</p></article></body></html>`
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF"))
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write(bytes.Repeat([]byte("a"), 5000)) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()
	ins, errs := Read(ctx, srv.Client(), srv.URL+"/moved", 1<<20)
	if len(errs) != 0 || len(ins) != 1 || !strings.Contains(ins[0].Text, "Aguililla") || ins[0].URL != srv.URL+"/a" || ins[0].Title != "Strike" {
		t.Fatalf("URL ingest: %+v %v", ins, errs)
	}
	for path, want := range map[string]string{"/pdf": "unsupported content type", "/missing": "404", "/big": "over the"} {
		if _, errs := Read(ctx, srv.Client(), srv.URL+path, 1000); len(errs) != 1 || !strings.Contains(errs[0].Error(), want) {
			t.Errorf("%s: %v, want %q", path, errs, want)
		}
	}
}

// oneEvent is a stand-in for the extractor (another package): it reads one
// fixed event from every text.
type oneEvent struct{}

func (oneEvent) Extract(text, lang string, published time.Time) []testigo.Event {
	return []testigo.Event{{Type: testigo.TypeAttack, Place: testigo.Place{Country: "MX"}}}
}

type panicky struct{}

func (panicky) Extract(string, string, time.Time) []testigo.Event { panic("extractor bug") }

func TestPipeline(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	blobs, err := archive.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	attached := 0
	p := &Pipeline{Store: st, Blobs: blobs, Extract: oneEvent{}, Now: time.Now, ExtractorVersion: "test",
		Attach: func(ctx context.Context, tx testigo.Store, r *testigo.Report) error { attached++; return nil }}
	ins, _ := ReadBytes("a.jsonl", []byte(`{"id":"1","text":"uno"}`+"\n"+`{"id":"2","text":"dos"}`))
	var sum Summary
	for _, in := range ins {
		out, err := p.Ingest(ctx, in)
		sum.Add(in, out, err)
	}
	for _, in := range ins {
		out, err := p.Ingest(ctx, in)
		sum.Add(in, out, err)
	}
	var buf bytes.Buffer
	sum.Print(&buf)
	if !strings.HasPrefix(buf.String(), "2 new, 2 duplicate, 0 failed\n") || attached != 2 {
		t.Errorf("summary %q, attached %d", buf.String(), attached)
	}
	rc, err := blobs.Open(testigo.DigestOf(ins[0].Raw))
	if err != nil {
		t.Errorf("blob not archived: %v", err)
	} else {
		rc.Close()
	}

	// A failing attach rolls the whole document back.
	p.Attach = func(context.Context, testigo.Store, *testigo.Report) error { return errors.New("cluster down") }
	in := Input{Name: "c.txt", Raw: []byte("tres"), Text: "tres"}
	if _, err := p.Ingest(ctx, in); err == nil || !strings.Contains(err.Error(), "cluster down") {
		t.Fatalf("failing attach: %v", err)
	}
	if _, err := st.FindDocumentByDigest(ctx, testigo.DigestOf(in.Raw)); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("failed ingest left a document behind: %v", err)
	}

	// A panicking extractor still stores the document.
	p.Attach, p.Extract = nil, panicky{}
	out, err := p.Ingest(ctx, in)
	if err != nil || out.Document == nil || len(out.Reports) != 0 {
		t.Errorf("panicking extractor: %+v, %v", out, err)
	}
}
