package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// loopback allows the tests' local servers, and nothing else.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

// clock is a fake clock whose Sleep records the wait and moves time on
// without waiting.
type clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newClock() *clock { return &clock{now: time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// fast is a configuration for tests: loopback allowed, quick retries, no
// rate limit to wait for.
func fast() Config {
	return Config{AllowNets: loopback, RetryBase: 5 * time.Millisecond, PerHostRate: 1000, PerHostBurst: 100,
		PerHostConcurrency: 4, HeaderTimeout: 2 * time.Second, BodyTimeout: 5 * time.Second}
}

// withClock is fast with a fake clock.
func withClock(c *clock) Config {
	cfg := fast()
	cfg.Now, cfg.Sleep = c.Now, c.Sleep
	return cfg
}

// serve starts a server with no robots.txt (404) and h for everything else.
func serve(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/", h)
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func oneLine(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", want)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error is not one line: %q", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	const lm = "Mon, 03 Nov 2025 10:00:00 GMT"
	var agent atomic.Value
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		agent.Store(r.Header.Get("User-Agent"))
		if r.Header.Get("If-None-Match") == `"v1"` || r.Header.Get("If-Modified-Since") == lm {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", lm)
		io.WriteString(w, "<rss/>")
	})
	f := New(fast())
	r, err := f.Get(t.Context(), s.URL+"/feed", Conditional{})
	if err != nil || string(r.Body) != "<rss/>" || r.NotModified || r.Header.Get("ETag") != `"v1"` || r.Outcome() != "ok" {
		t.Fatalf("first Get = %+v, %v", r, err)
	}
	if a, _ := agent.Load().(string); !strings.HasPrefix(a, "testigo/") || !strings.Contains(a, "https://github.com/testigo-project/testigo") {
		t.Errorf("user agent %q does not name testigo and its home", a)
	}
	for _, c := range []Conditional{{ETag: `"v1"`}, {LastModified: lm}} {
		r, err = f.Get(t.Context(), s.URL+"/feed", c)
		if err != nil || !r.NotModified || len(r.Body) != 0 || r.Outcome() != "not_modified" {
			t.Fatalf("Get with %+v = %+v, %v; want 304", c, r, err)
		}
	}
	m := r.Metadata()
	if m.Status != 304 || m.FinalURL != s.URL+"/feed" || !strings.HasPrefix(m.Tool, "testigo/") || m.BodySHA256 != "" {
		t.Errorf("metadata = %+v", m)
	}
}

func TestCompressedBodies(t *testing.T) {
	text := strings.Repeat("Seis personas sin vida en Culiacán. ", 200)
	// 16 MB of zeros, compressed once to a few kilobytes.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(make([]byte, 16<<20))
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
		case "/zstd":
			w.Header().Set("Content-Encoding", "zstd")
			buf.WriteString("whatever")
		case "/bad-gzip":
			w.Header().Set("Content-Encoding", "gzip")
			buf.WriteString("not gzip at all")
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
	for _, p := range []string{"/zstd", "/bad-gzip"} {
		_, err := f.Get(t.Context(), s.URL+p, Conditional{})
		oneLine(t, err, "content encoding", s.URL+p)
		if !Permanent(err) && transientFailure(err) {
			t.Errorf("%s: %v is retried", p, err)
		}
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
	var sent atomic.Int64
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		buf := make([]byte, 32<<10)
		for sent.Load() < 1<<30 { // 1 GB, streamed
			n, err := w.Write(endlessFill(buf))
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	cfg := fast()
	cfg.MaxBytes = 2 << 20
	start := time.Now()
	r, err := New(cfg).Get(t.Context(), s.URL+"/", Conditional{})
	if !errors.Is(err, ErrTooLarge) || r != nil {
		t.Fatalf("endless body: %v, want ErrTooLarge and no response", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("stopping at the cap took %s", d)
	}
	s.Close() // waits for the handler to notice the closed connection
	if n := sent.Load(); n > 64<<20 {
		t.Errorf("the server sent %d MB before the fetcher hung up", n>>20)
	}
	if Outcome(err) != "too_large" || !Permanent(err) {
		t.Errorf("Outcome %q, Permanent %v", Outcome(err), Permanent(err))
	}
	oneLine(t, err, "fetch "+s.URL+"/", "over 2097152 bytes")
}

func endlessFill(b []byte) []byte {
	endless{}.Read(b)
	return b
}

func TestDeclaredLengthOverCap(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5000000")
		w.WriteHeader(http.StatusOK)
	})
	cfg := fast()
	cfg.MaxBytes = 1000
	_, err := New(cfg).Get(t.Context(), s.URL+"/", Conditional{})
	oneLine(t, err, "5000000 bytes declared, limit 1000")
}

func TestRetries(t *testing.T) {
	var n429, nDate, n503 atomic.Int32
	var always atomic.Int32
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/429":
			if n429.Add(1) == 1 {
				w.Header().Set("Retry-After", "7")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
		case "/429-date":
			if nDate.Add(1) == 1 {
				// The fake clock says 10:00:00; the server asks for 90 s.
				w.Header().Set("Retry-After", "Mon, 03 Nov 2025 10:01:30 GMT")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
		case "/503":
			if n503.Add(1) <= 2 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
		case "/always-500":
			always.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
			return
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

	c := newClock()
	f := New(withClock(c))
	r, err := f.Get(t.Context(), s.URL+"/429", Conditional{})
	if err != nil || r.Attempts != 2 {
		t.Fatalf("429 then 200: %+v, %v", r, err)
	}
	if got := c.Sleeps(); len(got) != 1 || got[0] != 7*time.Second {
		t.Errorf("waits after a 429 with Retry-After: 7 = %v", got)
	}

	c = newClock()
	f = New(withClock(c))
	r, err = f.Get(t.Context(), s.URL+"/429-date", Conditional{})
	if err != nil || r.Attempts != 2 {
		t.Fatalf("429 with an HTTP date, then 200: %+v, %v", r, err)
	}
	if got := c.Sleeps(); len(got) != 1 || got[0] != 90*time.Second {
		t.Errorf("waits after a Retry-After date 90 s ahead = %v", got)
	}

	c = newClock()
	cfg := withClock(c)
	cfg.RetryBase = time.Second
	f = New(cfg)
	r, err = f.Get(t.Context(), s.URL+"/503", Conditional{})
	if err != nil || r.Attempts != 3 {
		t.Fatalf("503, 503, 200: %+v, %v", r, err)
	}
	// Exponential backoff with ±50 % jitter: 1 s then 2 s.
	if got := c.Sleeps(); len(got) != 2 || got[0] < 500*time.Millisecond || got[0] >= 1500*time.Millisecond ||
		got[1] < time.Second || got[1] >= 3*time.Second {
		t.Errorf("backoff waits = %v, want about 1 s then 2 s", got)
	}

	c = newClock()
	f = New(withClock(c))
	_, err = f.Get(t.Context(), s.URL+"/always-500", Conditional{})
	if always.Load() != 4 || Outcome(err) != "http_5xx" || Permanent(err) {
		t.Errorf("always 500: %d attempts, %v; want 4 (3 retries) and a retryable 5xx", always.Load(), err)
	}

	_, err = f.Get(t.Context(), s.URL+"/404", Conditional{})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 404 || !Permanent(err) || Outcome(err) != "http_4xx" || !errors.Is(err, ErrStatus) {
		t.Errorf("404: %v", err)
	}

	c = newClock()
	f = New(withClock(c))
	_, err = f.Get(t.Context(), s.URL+"/long-retry", Conditional{})
	if !errors.As(err, &se) || se.Code != 429 || se.RetryAfter != time.Hour || len(c.Sleeps()) != 0 || Permanent(err) {
		t.Errorf("Retry-After of an hour: %v after waits %v; want a prompt, retryable 429 error", err, c.Sleeps())
	}
	oneLine(t, err, "fetch "+s.URL+"/long-retry: HTTP 429")
	if nb := NotBefore(err, c.Now()); !nb.Equal(c.Now().Add(time.Hour)) {
		t.Errorf("NotBefore(429 with Retry-After: 3600) = %v", nb)
	}
	if nb := NotBefore(errors.New("x"), c.Now()); !nb.IsZero() {
		t.Errorf("NotBefore without a hint = %v", nb)
	}

	// A cancelled context stops the waits.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := New(fast()).Get(ctx, s.URL+"/", Conditional{}); !errors.Is(err, context.Canceled) || Outcome(err) != "canceled" {
		t.Errorf("cancelled: %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		" 5 ":                           5 * time.Second,
		"-3":                            0,
		"0":                             0,
		"soon":                          0,
		"Mon, 03 Nov 2025 10:00:30 GMT": 30 * time.Second,
		"Mon, 03 Nov 2025 09:00:00 GMT": 0,
		"99999999999999999999":          0,
	} {
		if got := retryAfter(v, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestSlowServerTimesOut(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/trickle" {
			w.WriteHeader(http.StatusOK)
			for {
				if _, err := io.WriteString(w, "x"); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-time.After(50 * time.Millisecond):
				case <-r.Context().Done():
					return
				}
			}
		}
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	cfg := fast()
	cfg.HeaderTimeout = 200 * time.Millisecond
	cfg.BodyTimeout = 600 * time.Millisecond
	cfg.Retries = -1
	for _, p := range []string{"/", "/trickle"} {
		start := time.Now()
		_, err := New(cfg).Get(t.Context(), s.URL+p, Conditional{})
		if err == nil || Outcome(err) != "timeout" || Permanent(err) {
			t.Errorf("%s: %v (outcome %q), want a retryable timeout", p, err, Outcome(err))
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: timed out after %s", p, d)
		}
	}
}

func TestRedirects(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusMovedPermanently)
		case "/b":
			http.Redirect(w, r, "/c?x=1", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/ftp":
			http.Redirect(w, r, "ftp://example.org/x", http.StatusFound)
		default:
			io.WriteString(w, "here")
		}
	})
	f := New(fast())
	r, err := f.Get(t.Context(), s.URL+"/a", Conditional{})
	if err != nil || r.URL != s.URL+"/a" || r.FinalURL != s.URL+"/c?x=1" ||
		strings.Join(r.Redirects, " ") != s.URL+"/b "+s.URL+"/c?x=1" {
		t.Fatalf("redirected Get = %+v, %v", r, err)
	}
	if m := r.Metadata(); len(m.Redirects) != 2 || m.RemoteAddr != s.Listener.Addr().String() ||
		!strings.HasPrefix(http.Header(m.Request).Get("User-Agent"), "testigo/") {
		t.Errorf("metadata = %+v", m)
	}
	_, err = f.Get(t.Context(), s.URL+"/loop", Conditional{})
	if !errors.Is(err, ErrRedirects) || !Permanent(err) {
		t.Errorf("redirect loop: %v, want ErrRedirects", err)
	}
	oneLine(t, err, "more than 5 redirects")
	_, err = f.Get(t.Context(), s.URL+"/ftp", Conditional{})
	if !errors.Is(err, ErrRedirects) {
		t.Errorf("redirect to ftp: %v", err)
	}
}

func TestTLSCapture(t *testing.T) {
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, "secure")
	}))
	defer s.Close()
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())
	cfg := fast()
	cfg.RootCAs = pool
	r, err := New(cfg).Get(t.Context(), s.URL+"/x", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	tl := r.TLS
	if tl == nil || !strings.HasPrefix(tl.Version, "TLS 1.") || tl.CipherSuite == "" || len(tl.PeerCerts) != 1 {
		t.Fatalf("TLS capture = %+v", tl)
	}
	block, _ := pem.Decode([]byte(tl.PeerCerts[0]))
	sum := sha256.Sum256(s.Certificate().Raw)
	if block == nil || !bytes.Equal(block.Bytes, s.Certificate().Raw) || tl.PeerCertsSHA256[0] != hex.EncodeToString(sum[:]) {
		t.Errorf("captured certificate is not the server's")
	}
	js, err := json.Marshal(r.Metadata())
	if err != nil {
		t.Fatal(err)
	}
	var back Metadata
	if err := json.Unmarshal(js, &back); err != nil || back.TLS == nil || back.TLS.PeerCerts[0] != tl.PeerCerts[0] ||
		back.BodySize != 6 || back.URL != s.URL+"/x" || !back.FetchedAt.Equal(r.FetchedAt) {
		t.Errorf("metadata JSON round trip: %s, %v", js, err)
	}
	// Without the test CA, the server is not trusted.
	_, err = New(fast()).Get(t.Context(), s.URL+"/x", Conditional{})
	oneLine(t, err, "certificate")

	plain := serve(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "plain") })
	if r, err := New(fast()).Get(t.Context(), plain.URL, Conditional{}); err != nil || r.TLS != nil {
		t.Errorf("plain HTTP: TLS %+v, %v", r.TLS, err)
	}
}

func TestPerHostLimits(t *testing.T) {
	var inFlight, peak atomic.Int32
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(30 * time.Millisecond)
		io.WriteString(w, "ok")
	})
	cfg := fast()
	cfg.PerHostConcurrency = 2
	f := New(cfg)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := f.Get(t.Context(), s.URL+"/", Conditional{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if peak.Load() != 2 {
		t.Errorf("peak concurrency %d, want 2", peak.Load())
	}

	cfg = fast()
	cfg.PerHostRate, cfg.PerHostBurst = 20, 1
	f = New(cfg)
	start := time.Now()
	for range 5 {
		if _, err := f.Get(t.Context(), s.URL+"/", Conditional{}); err != nil {
			t.Fatal(err)
		}
	}
	// robots.txt and five pages at 20/s after a burst of one: ≥ 250 ms.
	if d := time.Since(start); d < 240*time.Millisecond {
		t.Errorf("6 requests at 20/s took %s", d)
	}
}

func TestValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
	for want, c := range map[string]Config{
		"user agent":            {UserAgent: "x\r\nHost: evil"},
		"MaxBytes -1":           {MaxBytes: -1},
		"Retries -2":            {Retries: -2},
		"HeaderTimeout -1s":     {HeaderTimeout: -time.Second},
		"PerHostConcurrency -1": {PerHostConcurrency: -1},
		"invalid allowed range": {AllowNets: []netip.Prefix{{}}},
		"BreakerCooldown -1m0s": {BreakerCooldown: -time.Minute},
	} {
		err := c.Validate()
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "fetch config: ") ||
			!strings.Contains(err.Error(), want) {
			t.Errorf("Validate(%+v) = %v, want one line naming %q", c, err, want)
		}
		got := New(c).Config() // New replaces the bad setting by its default
		if got.MaxBytes != 20<<20 || got.Retries < -1 || got.HeaderTimeout <= 0 || got.BreakerCooldown <= 0 ||
			strings.ContainsAny(got.UserAgent, "\r\n") || got.Validate() != nil {
			t.Errorf("New(%+v) kept a bad setting: %+v", c, got)
		}
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

func BenchmarkGetParallel(b *testing.B) {
	body := strings.Repeat("x", 8<<10)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	defer s.Close()
	cfg := fast()
	cfg.PerHostRate, cfg.PerHostBurst, cfg.PerHostConcurrency, cfg.IgnoreRobots = 1e9, 1000, 8, true
	f := New(cfg)
	b.SetBytes(int64(len(body)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.Get(b.Context(), s.URL+"/", Conditional{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func TestNetworkErrors(t *testing.T) {
	// A port nobody listens on: refused, retried, not permanent.
	s := httptest.NewServer(http.NotFoundHandler())
	closed := s.URL
	s.Close()
	c := newClock()
	cfg := withClock(c)
	cfg.IgnoreRobots = true
	_, err := New(cfg).Get(t.Context(), closed+"/", Conditional{})
	if Outcome(err) != "network" || Permanent(err) || len(c.Sleeps()) != 3 {
		t.Errorf("closed port: %v (outcome %q), %d retries", err, Outcome(err), len(c.Sleeps()))
	}
	oneLine(t, err, "fetch "+closed+"/: ", "connection refused")
	// A server that hangs up without answering.
	hangup := serve(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	cfg.Retries = -1
	if _, err := New(cfg).Get(t.Context(), hangup.URL+"/", Conditional{}); Outcome(err) != "network" || Permanent(err) {
		t.Errorf("hang-up: %v", err)
	}
	// Huge response headers are refused.
	big := serve(t, func(w http.ResponseWriter, r *http.Request) {
		for i := range 600 {
			w.Header().Set(fmt.Sprintf("X-Pad-%d", i), strings.Repeat("x", 2000))
		}
	})
	if _, err := New(cfg).Get(t.Context(), big.URL+"/", Conditional{}); err == nil {
		t.Error("1.2 MB of response headers accepted")
	}
}
