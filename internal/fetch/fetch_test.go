package fetch

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// loopback allows the tests' local servers, and nothing else.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// fast is a configuration for tests: loopback allowed, quick retries, no
// rate limit to wait for.
func fast() Config {
	return Config{AllowNets: loopback, RetryBase: 5 * time.Millisecond, PerHostRate: 1000, PerHostBurst: 100,
		PerHostConcurrency: 4, HeaderTimeout: 2 * time.Second, BodyTimeout: 5 * time.Second}
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/", h)
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestConditionalGet(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if !strings.HasPrefix(r.Header.Get("User-Agent"), "testigo/") {
			t.Errorf("user agent %q does not name testigo", r.Header.Get("User-Agent"))
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 03 Nov 2025 10:00:00 GMT")
		io.WriteString(w, "<rss/>")
	})
	f := New(fast())
	r, err := f.Get(t.Context(), s.URL+"/feed", Conditional{})
	if err != nil || string(r.Body) != "<rss/>" || r.NotModified || r.Header.Get("ETag") != `"v1"` {
		t.Fatalf("first Get = %+v, %v", r, err)
	}
	r, err = f.Get(t.Context(), s.URL+"/feed", Conditional{ETag: `"v1"`})
	if err != nil || !r.NotModified || len(r.Body) != 0 {
		t.Fatalf("conditional Get = %+v, %v; want 304", r, err)
	}
	m := r.Metadata()
	if m.Status != 304 || m.FinalURL != s.URL+"/feed" || !strings.HasPrefix(m.Tool, "testigo/") {
		t.Errorf("metadata = %+v", m)
	}
}

func TestCompressedBodies(t *testing.T) {
	text := strings.Repeat("Seis personas sin vida en Culiacán. ", 200)
	// 64 MB of zeros, compressed once to a few tens of kilobytes.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(make([]byte, 64<<20))
	zw.Close()
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		switch r.URL.Path {
		case "/gz":
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(&buf)
			zw.Write([]byte(text))
			zw.Close()
		case "/br":
			w.Header().Set("Content-Encoding", "br")
			bw := brotli.NewWriter(&buf)
			bw.Write([]byte(text))
			bw.Close()
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			buf.Write(bomb.Bytes())
		}
		w.Write(buf.Bytes())
	})
	f := New(fast())
	for _, p := range []string{"/gz", "/br"} {
		r, err := f.Get(t.Context(), s.URL+p, Conditional{})
		if err != nil || string(r.Body) != text {
			t.Errorf("%s: %d bytes, %v", p, len(r.Body), err)
		}
	}
	cfg := fast()
	cfg.MaxBytes = 1 << 20
	_, err := New(cfg).Get(t.Context(), s.URL+"/bomb", Conditional{})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("gzip bomb: %v, want ErrTooLarge", err)
	}
}

// endless is a body that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestEndlessBodyStopsAtCap(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.Copy(w, io.LimitReader(endless{}, 1<<30)) // 1 GB, streamed
	})
	cfg := fast()
	cfg.MaxBytes = 2 << 20
	start := time.Now()
	_, err := New(cfg).Get(t.Context(), s.URL+"/", Conditional{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("endless body: %v, want ErrTooLarge", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopping at the cap took %s", d)
	}
	if Outcome(err) != "too_large" || !Permanent(err) {
		t.Errorf("Outcome %q, Permanent %v", Outcome(err), Permanent(err))
	}
}

func TestRetries(t *testing.T) {
	var n429, n503 atomic.Int32
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			if n429.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
		case "/503":
			if n503.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
		case "/404":
			http.NotFound(w, r)
			return
		case "/long-retry":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	})
	f := New(fast())
	start := time.Now()
	r, err := f.Get(t.Context(), s.URL+"/429", Conditional{})
	if err != nil || r.Attempts != 2 {
		t.Fatalf("429 then 200: %+v, %v", r, err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retried after %s, before Retry-After's 1 s", d)
	}
	r, err = f.Get(t.Context(), s.URL+"/503", Conditional{})
	if err != nil || r.Attempts != 3 {
		t.Errorf("503, 503, 200: %+v, %v", r, err)
	}
	_, err = f.Get(t.Context(), s.URL+"/404", Conditional{})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 || !Permanent(err) || Outcome(err) != "http_4xx" {
		t.Errorf("404: %v", err)
	}
	start = time.Now()
	_, err = f.Get(t.Context(), s.URL+"/long-retry", Conditional{})
	if !errors.As(err, &se) || se.Code != 429 || time.Since(start) > time.Second || Permanent(err) {
		t.Errorf("Retry-After of an hour: %v after %s; want a prompt, retryable 429 error", err, time.Since(start))
	}
	if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), s.URL+"/long-retry") {
		t.Errorf("error %q is not one line naming the URL", err)
	}
}

func TestSlowServerTimesOut(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	cfg := fast()
	cfg.HeaderTimeout = 200 * time.Millisecond
	cfg.Retries = -1
	_, err := New(cfg).Get(t.Context(), s.URL+"/", Conditional{})
	if err == nil || Outcome(err) != "timeout" {
		t.Errorf("slow server: %v (outcome %q), want a timeout", err, Outcome(err))
	}
}

func TestRobots(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	s := httptest.NewServer(mux)
	defer s.Close()
	f := New(fast())
	if _, err := f.Get(t.Context(), s.URL+"/private/x", Conditional{}); !errors.Is(err, ErrRobots) {
		t.Errorf("disallowed path: %v, want ErrRobots", err)
	}
	if _, err := f.Get(t.Context(), s.URL+"/public", Conditional{}); err != nil {
		t.Errorf("allowed path: %v", err)
	}
	cfg := fast()
	cfg.IgnoreRobots = true
	if _, err := New(cfg).Get(t.Context(), s.URL+"/private/x", Conditional{}); err != nil {
		t.Errorf("IgnoreRobots: %v", err)
	}
}

func TestSSRFGuard(t *testing.T) {
	// A server on IPv6 loopback, for a redirect hop that 127.0.0.0/8 does
	// not cover.
	l6, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback here:", err)
	}
	v6 := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "secret") }))
	v6.Listener = l6
	v6.Start()
	defer v6.Close()
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-v6":
			http.Redirect(w, r, v6.URL+"/", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			io.WriteString(w, "ok")
		}
	})
	f := New(fast()) // allows 127.0.0.0/8 only
	for _, p := range []string{"/to-v6", "/to-metadata"} {
		_, err := f.Get(t.Context(), s.URL+p, Conditional{})
		if !errors.Is(err, ErrBlockedAddress) || Outcome(err) != "blocked" || !strings.Contains(err.Error(), "--allow-net") {
			t.Errorf("redirect %s: %v, want a refused address", p, err)
		}
	}
	if _, err := f.Get(t.Context(), s.URL+"/loop", Conditional{}); !errors.Is(err, ErrRedirects) {
		t.Errorf("redirect loop: %v, want ErrRedirects", err)
	}
	// Without --allow-net, loopback itself is refused, by name too.
	def := Config{RetryBase: time.Millisecond}
	for _, u := range []string{s.URL + "/", strings.Replace(s.URL, "127.0.0.1", "localhost", 1) + "/"} {
		if _, err := New(def).Get(t.Context(), u, Conditional{}); !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s with the default guard: %v, want ErrBlockedAddress", u, err)
		}
	}
	// The metadata address stays refused even when its neighbours are allowed.
	g := guard{allow: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}
	for _, c := range []struct {
		ip   string
		want bool
	}{{"169.254.169.254", false}, {"10.1.2.3", true}, {"::ffff:127.0.0.1", false}, {"fd00::1", false},
		{"192.168.1.1", false}, {"100.64.0.1", false}, {"224.0.0.1", false}, {"8.8.8.8", true}, {"2001:4860::8888", true}} {
		err := g.check(netip.MustParseAddr(c.ip))
		if (err == nil) != c.want {
			t.Errorf("check(%s) = %v, want allowed=%v", c.ip, err, c.want)
		}
	}
}

func TestParseAllowNets(t *testing.T) {
	got, err := ParseAllowNets(" 127.0.0.0/8, ::1 ,10.1.2.3/8")
	if err != nil || fmt.Sprint(got) != "[127.0.0.0/8 ::1/128 10.0.0.0/8]" {
		t.Errorf("ParseAllowNets = %v, %v", got, err)
	}
	if _, err := ParseAllowNets("127.0.0.0/8,localnet"); err == nil || !strings.Contains(err.Error(), `"localnet"`) {
		t.Errorf("bad range: %v", err)
	}
	if got, err := ParseAllowNets(""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v, %v", got, err)
	}
}

func TestCircuitBreaker(t *testing.T) {
	var hits atomic.Int32
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	})
	cfg := fast()
	cfg.Retries = -1
	cfg.BreakerFailures = 3
	cfg.BreakerCooldown = time.Hour
	f := New(cfg)
	for range 3 {
		if _, err := f.Get(t.Context(), s.URL+"/", Conditional{}); Outcome(err) != "http_5xx" {
			t.Fatalf("want a 502, got %v", err)
		}
	}
	before := hits.Load()
	_, err := f.Get(t.Context(), s.URL+"/", Conditional{})
	if !errors.Is(err, ErrBreakerOpen) || Outcome(err) != "breaker_open" {
		t.Errorf("after 3 failures: %v, want the breaker open", err)
	}
	if hits.Load() != before {
		t.Error("the open breaker let a request through")
	}
}

func TestBadURLs(t *testing.T) {
	f := New(fast())
	for _, u := range []string{"ftp://example.org/", "not a url", "http://", "javascript:alert(1)"} {
		if _, err := f.Get(t.Context(), u, Conditional{}); err == nil || !strings.Contains(err.Error(), "not an http(s) URL") {
			t.Errorf("Get(%q) = %v", u, err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	body := strings.Repeat("x", 8<<10)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	defer s.Close()
	cfg := fast()
	cfg.PerHostRate, cfg.PerHostBurst, cfg.IgnoreRobots = 1e9, 1000, true
	f := New(cfg)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := f.Get(b.Context(), s.URL+"/", Conditional{}); err != nil {
			b.Fatal(err)
		}
	}
}
