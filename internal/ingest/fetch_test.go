package ingest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"
)

const strikePage = `<html><head><title>Strike near Aguililla</title>
<meta property="article:published_time" content="2025-11-20T09:00:00Z"></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><p>A drone strike hit a pickup truck outside Aguililla, in Mexico's Michoacán state, killing two men, according to municipal police who spoke to reporters on Thursday.</p>
<p>Residents said they heard the aircraft for several minutes before the explosion and that no group had claimed the attack.</p></article>
<footer>© Example</footer></body></html>`

const nota = `<html><head><meta charset="iso-8859-1"><title>Ataque en Culiacán</title></head><body><article>
<p>Seis personas sin vida dejó el ataque con dron contra un laboratorio clandestino en la sierra de Badiraguato, Sinaloa, según la Fiscalía.</p>
<p>Vecinos dijeron que escucharon dos explosiones antes del amanecer y que el laboratorio quedó destruido.</p></article></body></html>`

// newServer serves the pages the fetch tests read.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	latin1, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(nota))
	if err != nil {
		t.Fatal(err)
	}
	serve := func(ct string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if ct == "" {
				w.Header()["Content-Type"] = nil // no header, and no sniffing by the server
			} else {
				w.Header().Set("Content-Type", ct)
			}
			w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/strike", serve("text/html; charset=utf-8", []byte(strikePage)))
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/strike", http.StatusFound) })
	mux.Handle("/nota", serve("text/html; charset=iso-8859-1", latin1))
	mux.Handle("/untyped", serve("", []byte(strikePage)))
	mux.Handle("/octets", serve("application/octet-stream", []byte(strikePage)))
	mux.Handle("/mislabelled", serve("text/plain", []byte(strikePage)))
	mux.Handle("/plain", serve("text/plain; charset=utf-8", []byte("Dos muertos dejó un ataque armado en Reynosa.\r\n")))
	mux.Handle("/doc.json", serve("application/json", []byte(`{"id":"r1","text":"Tres muertos en Culiacán.","lang":"es","published":"2025-11-22"}`)))
	mux.Handle("/report.pdf", serve("application/pdf", []byte("%PDF-1.7")))
	mux.Handle("/binary", serve("text/plain", []byte("ab\x00cd")))
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "5000")
		w.Write(bytes.Repeat([]byte("a"), 5000))
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		for range 5 {
			w.Write(bytes.Repeat([]byte("b"), 1000))
			w.(http.Flusher).Flush() // chunked: no Content-Length to refuse by
		}
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReadURL(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		path string
		want Input // Name, URL and Raw are checked apart
		text string
	}{
		{"/strike", Input{ContentType: "text/html", Title: "Strike near Aguililla", Lang: "en",
			Published: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)}, "A drone strike hit a pickup truck outside Aguililla"},
		{"/nota", Input{ContentType: "text/html", Title: "Ataque en Culiacán", Lang: "es"}, "Seis personas sin vida dejó el ataque"},
		{"/untyped", Input{ContentType: "text/html", Title: "Strike near Aguililla", Lang: "en",
			Published: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)}, "A drone strike hit"},
		{"/octets", Input{ContentType: "text/html", Title: "Strike near Aguililla", Lang: "en",
			Published: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)}, "A drone strike hit"},
		{"/mislabelled", Input{ContentType: "text/html", Title: "Strike near Aguililla", Lang: "en",
			Published: time.Date(2025, 11, 20, 0, 0, 0, 0, time.UTC)}, "A drone strike hit"},
		{"/plain", Input{ContentType: "text/plain"}, "Dos muertos dejó un ataque armado en Reynosa."},
		{"/doc.json", Input{ContentType: "application/json", ExternalID: "r1", Lang: "es", Published: day("2025-11-22")}, "Tres muertos en Culiacán."},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			u := srv.URL + tc.path
			ins, errs := Read(context.Background(), srv.Client(), u, 0)
			if len(errs) != 0 || len(ins) != 1 {
				t.Fatalf("got %d inputs, errors %v", len(ins), errs)
			}
			got := ins[0]
			if !strings.HasPrefix(got.Text, tc.text) || strings.Contains(got.Text, "Sport") || strings.Contains(got.Text, "©") {
				t.Errorf("text = %q, want the article starting %q and nothing else", got.Text, tc.text)
			}
			if got.Name != u || got.URL != u || len(got.Raw) == 0 {
				t.Errorf("Name %q URL %q, %d raw bytes", got.Name, got.URL, len(got.Raw))
			}
			tc.want.Name, tc.want.URL, tc.want.Text = got.Name, got.URL, got.Text
			got.Published = got.Published.UTC().Truncate(24 * time.Hour)
			if diff := cmp.Diff(tc.want, got, inputOpts); diff != "" {
				t.Errorf("input (-want +got):\n%s", diff)
			}
		})
	}

	// A redirect is followed and the final URL recorded; Name stays the
	// argument.
	ins, errs := Read(context.Background(), srv.Client(), srv.URL+"/moved", 0)
	if len(errs) != 0 || len(ins) != 1 || ins[0].URL != srv.URL+"/strike" || ins[0].Name != srv.URL+"/moved" {
		t.Errorf("redirect: %+v %v", ins, errs)
	}
}

func TestReadURLErrors(t *testing.T) {
	srv := newServer(t)
	client := srv.Client()
	client.Timeout = 300 * time.Millisecond
	tests := []struct {
		path string
		max  int64
		want string // the error after "URL: ", or its start when it ends in "…"
	}{
		{"/report.pdf", 0, `unsupported content type "application/pdf" (want HTML, plain text, Markdown or JSON)`},
		{"/missing", 0, "fetch: HTTP status 404 Not Found"},
		{"/binary", 0, "binary data (NUL byte at offset 2), not text"},
		{"/big", 1000, "response of 5000 bytes is over the 1000 bytes limit"},
		{"/stream", 1000, "response is over the 1000 bytes limit"},
		{"/slow", 0, "fetch: Get …"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			u := srv.URL + tc.path
			start := time.Now()
			ins, errs := Read(context.Background(), client, u, tc.max)
			if len(ins) != 0 || len(errs) != 1 {
				t.Fatalf("got %d inputs, errors %v, want one error", len(ins), errs)
			}
			got, want := errs[0].Error(), u+": "+tc.want
			if prefix, ok := strings.CutSuffix(want, "…"); ok {
				if !strings.HasPrefix(got, prefix) {
					t.Errorf("error %q, want it to start %q", got, prefix)
				}
			} else if got != want {
				t.Errorf("error %q, want %q", got, want)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("error %q is not one line", got)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %s: the timeout did not apply", d)
			}
		})
	}
}
