package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/web"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// panickingBlobs is an archive whose every read panics.
type panickingBlobs struct{}

func (panickingBlobs) Open(testigo.Digest) (io.ReadCloser, error) { panic("archive exploded") }

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	f := newFixture(t, 1)
	paths := []string{
		"/", "/?type=nope", fmt.Sprintf("/incidents/%d", f.incidents[0].ID), "/incidents/nope",
		fmt.Sprintf("/documents/%d", f.doc.ID), fmt.Sprintf("/documents/%d/raw", f.doc.ID),
		"/api/v1/incidents", "/api/v1/incidents?limit=x", "/healthz", "/static/style.css", "/nowhere",
	}
	for _, p := range paths {
		resp, _ := get(t, f.srv.URL+p)
		h := resp.Header
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src '") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("Referrer-Policy") == "" || len(h.Get("X-Request-ID")) != 12 {
			t.Errorf("GET %s: missing security headers: %v", p, h)
		}
	}
	resp, body := get(t, f.srv.URL+"/static/style.css")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || !strings.Contains(body, "mark") {
		t.Errorf("style.css: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestRawCaptureIsInert(t *testing.T) {
	f := newFixture(t, 1)
	resp, body := get(t, fmt.Sprintf("%s/documents/%d/raw", f.srv.URL, f.doc.ID))
	want := map[string]string{
		"Content-Type":            "text/plain; charset=utf-8",
		"Content-Disposition":     "inline",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; sandbox",
		"X-Testigo-Sha256":        string(f.doc.SHA256),
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if resp.StatusCode != 200 || testigo.DigestOf([]byte(body)) != f.doc.SHA256 {
		t.Errorf("raw capture: %d, body digest differs from the document's", resp.StatusCode)
	}
}

// TestServerErrorsNameTheRequest breaks the store under a running server and
// checks that readers get a generic message with the request ID, and that the
// log has the real error under the same ID.
func TestServerErrorsNameTheRequest(t *testing.T) {
	var logs syncBuffer
	f := newFixtureWith(t, 1, func(d *web.Deps) {
		d.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/healthz", "/api/v1/incidents", "/"} {
		resp, body := get(t, f.srv.URL+p)
		id := resp.Header.Get("X-Request-ID")
		if resp.StatusCode != 500 || id == "" || !strings.Contains(body, "internal error (request "+id+")") {
			t.Errorf("GET %s: %d %q with request ID %q", p, resp.StatusCode, body, id)
		}
		if strings.Contains(body, "closed") || strings.Contains(body, "sql") {
			t.Errorf("GET %s: the internal error leaked to the reader: %s", p, body)
		}
		if !strings.Contains(logs.String(), "request_id="+id) || !strings.Contains(logs.String(), "msg=\"request failed\"") {
			t.Errorf("GET %s: the log does not have request %s:\n%s", p, id, logs.String())
		}
	}
	_, body := get(t, f.srv.URL+"/healthz")
	var e map[string]string
	if err := json.Unmarshal([]byte(body), &e); err != nil || len(e) != 1 || e["error"] == "" {
		t.Errorf("API error body = %s, want {\"error\": …}", body)
	}
}

func TestPanicRecovery(t *testing.T) {
	var logs syncBuffer
	f := newFixtureWith(t, 1, func(d *web.Deps) {
		d.Blobs = panickingBlobs{}
		d.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	resp, body := get(t, fmt.Sprintf("%s/documents/%d/raw", f.srv.URL, f.doc.ID))
	id := resp.Header.Get("X-Request-ID")
	if resp.StatusCode != 500 || !strings.Contains(body, id) || strings.Contains(body, "exploded") {
		t.Errorf("panicking handler: %d %q", resp.StatusCode, body)
	}
	if l := logs.String(); !strings.Contains(l, "archive exploded") || !strings.Contains(l, "status=500") {
		t.Errorf("log lacks the panic or the 500:\n%s", l)
	}
	if resp, _ := get(t, f.srv.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("after a panic, healthz = %d", resp.StatusCode)
	}
}
