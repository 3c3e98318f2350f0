package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo/internal/web"
)

// TestRateLimit429 exhausts one client's bucket under a stopped clock and
// checks the 429: Retry-After, the JSON error, CORS still readable; other
// clients and /healthz are unaffected.
func TestRateLimit429(t *testing.T) {
	seed := seedAPIStore(t)
	spec := loadSpec(t)
	stopped := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	srv := serveAPI(t, seed.st, func(d *web.Deps) {
		d.Now = func() time.Time { return stopped }
		d.RateLimit = web.RateLimit{PerSecond: 0.5, Burst: 2, ClientHeader: "X-Real-IP"}
	})
	as := func(ip string) map[string]string { return map[string]string{"X-Real-IP": ip} }
	for i := range 2 {
		if x := apiDo(t, "GET", srv.URL+"/api/v1/incidents", nil, as("192.0.2.1")); x.resp.StatusCode != 200 {
			t.Fatalf("request %d within the burst: %d", i+1, x.resp.StatusCode)
		}
	}
	x := apiDo(t, "GET", srv.URL+"/api/v1/incidents", nil, as("192.0.2.1"))
	spec.check(t, x)
	var b struct {
		Error string `json:"error"`
	}
	apiDecode(t, x, &b)
	if x.resp.StatusCode != http.StatusTooManyRequests || x.resp.Header.Get("Retry-After") != "2" ||
		!strings.Contains(b.Error, "too many requests") || x.resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("over the limit: %d, Retry-After %q, ACAO %q, %s", x.resp.StatusCode, x.resp.Header.Get("Retry-After"),
			x.resp.Header.Get("Access-Control-Allow-Origin"), x.got)
	}
	// Writes count against the same bucket.
	w := apiDo(t, "POST", srv.URL+"/api/v1/incidents/1/grade", map[string]any{"grade": "fair", "reason": "x", "version": 1}, as("192.0.2.1"))
	spec.check(t, w)
	if w.resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("write over the limit: %d", w.resp.StatusCode)
	}
	if x := apiDo(t, "GET", srv.URL+"/api/v1/incidents", nil, as("192.0.2.2")); x.resp.StatusCode != 200 {
		t.Errorf("another client got %d", x.resp.StatusCode)
	}
	for range 5 {
		if x := apiDo(t, "GET", srv.URL+"/healthz", nil, as("192.0.2.1")); x.resp.StatusCode != 200 {
			t.Fatalf("/healthz is rate limited: %d", x.resp.StatusCode)
		}
	}
	if x := apiDo(t, "GET", srv.URL+"/", nil, as("192.0.2.1")); x.resp.StatusCode == http.StatusTooManyRequests {
		t.Errorf("HTML pages are rate limited too; only the API should be")
	}
}
