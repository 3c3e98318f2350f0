package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/web"
)

func TestETagsAndCaching(t *testing.T) {
	e := newWriteEnv(t)
	inc := e.seed.incidents[0]
	url := fmt.Sprintf("%s/api/v1/incidents/%d", e.srv.URL, inc.ID)

	first := apiDo(t, "GET", url, nil, nil)
	etag := first.resp.Header.Get("ETag")
	if first.resp.StatusCode != 200 || !strings.HasPrefix(etag, `"`) || len(etag) < 40 {
		t.Fatalf("GET = %d with ETag %q, want 200 and a strong quoted tag", first.resp.StatusCode, etag)
	}
	if cc := first.resp.Header.Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control = %q, want public, max-age=60", cc)
	}
	if cl := first.resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(first.got)) {
		t.Errorf("Content-Length = %q for %d bytes", cl, len(first.got))
	}
	if again := apiDo(t, "GET", url, nil, nil); again.resp.Header.Get("ETag") != etag || string(again.got) != string(first.got) {
		t.Errorf("the same resource gave ETag %q then %q", etag, again.resp.Header.Get("ETag"))
	}
	for _, tc := range []struct {
		ifNoneMatch string
		want        int
	}{
		{etag, http.StatusNotModified},
		{"W/" + etag, http.StatusNotModified},
		{`"other", ` + etag, http.StatusNotModified},
		{"*", http.StatusNotModified},
		{`"other"`, http.StatusOK},
		{strings.TrimSuffix(etag, `"`) + `x"`, http.StatusOK},
	} {
		x := apiDo(t, "GET", url, nil, map[string]string{"If-None-Match": tc.ifNoneMatch})
		e.spec.check(t, x)
		if x.resp.StatusCode != tc.want {
			t.Errorf("If-None-Match %s: %d, want %d", tc.ifNoneMatch, x.resp.StatusCode, tc.want)
		}
		if tc.want == http.StatusNotModified {
			if len(x.got) != 0 || x.resp.Header.Get("ETag") != etag || x.resp.Header.Get("Cache-Control") == "" {
				t.Errorf("304 has %d body bytes, ETag %q, Cache-Control %q", len(x.got), x.resp.Header.Get("ETag"), x.resp.Header.Get("Cache-Control"))
			}
		}
	}

	head := apiDo(t, "HEAD", url, nil, nil)
	if head.resp.StatusCode != 200 || head.resp.Header.Get("ETag") != etag || len(head.got) != 0 {
		t.Errorf("HEAD = %d, ETag %q, %d bytes; want 200, the GET's ETag, no body", head.resp.StatusCode, head.resp.Header.Get("ETag"), len(head.got))
	}

	// A change gives a new tag; the old one no longer matches.
	x := e.post(t, fmt.Sprintf("/api/v1/incidents/%d/review", inc.ID), map[string]any{"state": "in_review", "version": inc.Version})
	if x.resp.StatusCode != 200 {
		t.Fatalf("review: %d %s", x.resp.StatusCode, x.got)
	}
	if cc := x.resp.Header.Get("Cache-Control"); cc != "no-store" || x.resp.Header.Get("ETag") != "" {
		t.Errorf("write answered with Cache-Control %q and ETag %q, want no-store and none", cc, x.resp.Header.Get("ETag"))
	}
	after := apiDo(t, "GET", url, nil, map[string]string{"If-None-Match": etag})
	if after.resp.StatusCode != 200 || after.resp.Header.Get("ETag") == etag {
		t.Errorf("after a change: %d with ETag %q, want 200 and a new tag", after.resp.StatusCode, after.resp.Header.Get("ETag"))
	}

	for _, tc := range []struct{ path, cc string }{
		{"/api/v1/incidents/999999", "no-store"},
		{"/api/v1/incidents?limit=x", "no-store"},
		{"/healthz", "no-store"},
		{"/api/v1/openapi.json", "public, max-age=3600"},
		{"/api/v1/checkpoint", "public, max-age=60"},
	} {
		x := apiDo(t, "GET", e.srv.URL+tc.path, nil, nil)
		if got := x.resp.Header.Get("Cache-Control"); got != tc.cc {
			t.Errorf("GET %s: Cache-Control %q, want %q", tc.path, got, tc.cc)
		}
		if x.resp.StatusCode >= 400 && x.resp.Header.Get("ETag") != "" {
			t.Errorf("GET %s: error %d carries an ETag", tc.path, x.resp.StatusCode)
		}
	}
}

func TestCORS(t *testing.T) {
	e := newWriteEnv(t)
	inc := e.seed.incidents[0]
	origin := map[string]string{"Origin": "https://researcher.example"}

	for _, path := range []string{"/api/v1/incidents", fmt.Sprintf("/api/v1/incidents/%d", inc.ID), "/api/v1/incidents/999999", "/healthz"} {
		x := apiDo(t, "GET", e.srv.URL+path, nil, origin)
		if got := x.resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("GET %s: Access-Control-Allow-Origin %q, want *", path, got)
		}
		if got := x.resp.Header.Get("Access-Control-Expose-Headers"); !strings.Contains(got, "ETag") {
			t.Errorf("GET %s: Access-Control-Expose-Headers %q lacks ETag", path, got)
		}
	}
	if x := apiDo(t, "GET", e.srv.URL+"/", nil, origin); x.resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("the HTML listing answered with CORS headers")
	}

	preflight := func(path, method string) *apiExchange {
		return apiDo(t, "OPTIONS", e.srv.URL+path, nil, map[string]string{
			"Origin": "https://researcher.example", "Access-Control-Request-Method": method,
			"Access-Control-Request-Headers": "if-none-match",
		})
	}
	x := preflight(fmt.Sprintf("/api/v1/incidents/%d", inc.ID), "GET")
	hd := x.resp.Header
	if x.resp.StatusCode != http.StatusNoContent || hd.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(hd.Get("Access-Control-Allow-Methods"), "GET") ||
		!strings.Contains(strings.ToLower(hd.Get("Access-Control-Allow-Headers")), "if-none-match") ||
		hd.Get("Access-Control-Max-Age") == "" {
		t.Errorf("GET preflight = %d %v", x.resp.StatusCode, hd)
	}
	for _, tc := range []struct{ path, method string }{
		{fmt.Sprintf("/api/v1/incidents/%d/grade", inc.ID), "POST"},
		{fmt.Sprintf("/api/v1/incidents/%d/merge", inc.ID), "POST"},
		{"/api/v1/incidents", "DELETE"},
		{"/api/v1/nothing-here", "GET"},
	} {
		x := preflight(tc.path, tc.method)
		if got := x.resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("preflight %s %s allowed origin %q; only reads get CORS", tc.method, tc.path, got)
		}
		if got := x.resp.Header.Get("Access-Control-Allow-Methods"); strings.Contains(got, "POST") {
			t.Errorf("preflight %s %s allows methods %q", tc.method, tc.path, got)
		}
	}
}

// BenchmarkListing500 measures the largest listing page through the API
// middleware (ETag over the whole body included).
func BenchmarkListing500(b *testing.B) {
	st := sqlitetest.MustOpenTemp(b)
	ctx := context.Background()
	for i := range 600 {
		inc := &testigo.Incident{Title: fmt.Sprintf("Incident %d", i), Type: testigo.TypeVesselStrike,
			Date: fmt.Sprintf("2025-%02d-%02d", 1+i%12, 1+i%28), Place: testigo.Place{Country: "MX", Admin1: "Guerrero"},
			Killed: &testigo.Range{Min: 1, Max: 3}, Grade: testigo.GradeWeak, Review: testigo.ReviewNew}
		if err := st.CreateIncident(ctx, inc); err != nil {
			b.Fatal(err)
		}
	}
	h, err := web.NewHandler(web.Deps{Store: st, RateLimit: web.RateLimit{PerSecond: -1}})
	if err != nil {
		b.Fatal(err)
	}
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/incidents?limit=500", nil))
		if rec.Code != 200 || rec.Header().Get("ETag") == "" {
			b.Fatalf("listing: %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}
