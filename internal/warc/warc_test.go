package warc

import (
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v2"
)

func TestWriteAndReadBack(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte("<html><body>Seis personas sin vida en Culiacán.</body></html>")
	h := http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Encoding": {"gzip"}, "Etag": {`"v1"`}}
	at := time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC)
	if _, _, err := w.Write(Capture{URL: "https://example.org/nota", Status: 200, Header: h, Body: body, FetchedAt: at,
		Record: []byte(`{"final_url":"https://example.org/nota"}`)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.Write(Capture{URL: "https://example.org/otra", Status: 200, Header: http.Header{}, Body: []byte("hola"), FetchedAt: at}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) != 1 {
		t.Fatalf("%d WARC files, want 1: %v", len(files), files)
	}
	r, err := gowarc.NewWarcFileReader(files[0], 0, gowarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var types []string
	for {
		rec, _, validation, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if !validation.Valid() {
			t.Errorf("record %s not valid: %s", rec, validation)
		}
		types = append(types, rec.Type().String())
		if rec.Type() == gowarc.Response && rec.WarcHeader().Get(gowarc.WarcTargetURI) == "https://example.org/nota" {
			hb, ok := rec.Block().(gowarc.HttpResponseBlock)
			if !ok {
				t.Fatalf("response block is %T", rec.Block())
			}
			rc, err := hb.PayloadBytes()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(rc)
			if string(got) != string(body) {
				t.Errorf("payload = %q", got)
			}
			hdr := hb.HttpHeader()
			if hdr.Get("X-Archive-Orig-Content-Encoding") != "gzip" || hdr.Get("Content-Encoding") != "" {
				t.Errorf("headers = %v; want the original encoding kept under X-Archive-Orig-", hdr)
			}
			if !strings.HasPrefix(rec.WarcHeader().Get(gowarc.WarcBlockDigest), "sha256:") {
				t.Errorf("block digest %q is not sha256", rec.WarcHeader().Get(gowarc.WarcBlockDigest))
			}
		}
	}
	want := "warcinfo response metadata response"
	if strings.Join(types, " ") != want && strings.Join(types, " ") != "response metadata response" {
		t.Errorf("record types %v, want %s", types, want)
	}
	if _, err := os.Stat(files[0]); err != nil {
		t.Fatal(err)
	}
}
