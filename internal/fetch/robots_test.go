package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// robotsServer serves robots.txt with the status and body in its fields,
// counting requests for it, and "ok" for every other path.
type robotsServer struct {
	*httptest.Server
	status atomic.Int32
	body   atomic.Value
	hits   atomic.Int32
	pages  atomic.Int32
}

func newRobotsServer(t *testing.T, status int, body string) *robotsServer {
	rs := &robotsServer{}
	rs.status.Store(int32(status))
	rs.body.Store(body)
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			rs.hits.Add(1)
			w.WriteHeader(int(rs.status.Load()))
			io.WriteString(w, rs.body.Load().(string))
			return
		}
		rs.pages.Add(1)
		io.WriteString(w, "ok")
	}))
	t.Cleanup(rs.Close)
	return rs
}

func TestRobots(t *testing.T) {
	s := newRobotsServer(t, 200, "User-agent: *\nDisallow: /private/\n\nUser-agent: testigo\nDisallow: /no-testigo\nDisallow: /private/\n")
	f := New(fast())
	_, err := f.Get(t.Context(), s.URL+"/private/x", Conditional{})
	if !errors.Is(err, ErrRobots) || Outcome(err) != "robots" || !Permanent(err) {
		t.Errorf("disallowed path: %v, want ErrRobots", err)
	}
	oneLine(t, err, "fetch "+s.URL+"/private/x: disallowed by robots.txt")
	if _, err := f.Get(t.Context(), s.URL+"/no-testigo", Conditional{}); !errors.Is(err, ErrRobots) {
		t.Errorf("path disallowed to testigo by name: %v", err)
	}
	for range 5 {
		if _, err := f.Get(t.Context(), s.URL+"/public", Conditional{}); err != nil {
			t.Errorf("allowed path: %v", err)
		}
	}
	if s.hits.Load() != 1 {
		t.Errorf("robots.txt fetched %d times, want once (cached)", s.hits.Load())
	}
	cfg := fast()
	cfg.IgnoreRobots = true
	if _, err := New(cfg).Get(t.Context(), s.URL+"/private/x", Conditional{}); err != nil {
		t.Errorf("IgnoreRobots: %v", err)
	}
}

func TestRobotsExpiry(t *testing.T) {
	s := newRobotsServer(t, 200, "User-agent: *\nDisallow: /a\n")
	c := newClock()
	f := New(withClock(c))
	if _, err := f.Get(t.Context(), s.URL+"/a", Conditional{}); !errors.Is(err, ErrRobots) {
		t.Fatalf("/a: %v", err)
	}
	s.body.Store("User-agent: *\nDisallow: /b\n")
	c.Advance(5 * time.Hour)
	if _, err := f.Get(t.Context(), s.URL+"/a", Conditional{}); !errors.Is(err, ErrRobots) {
		t.Errorf("/a within the TTL: %v, want the cached robots.txt", err)
	}
	c.Advance(2 * time.Hour)
	if _, err := f.Get(t.Context(), s.URL+"/a", Conditional{}); err != nil {
		t.Errorf("/a after the TTL: %v, want the new robots.txt", err)
	}
	if s.hits.Load() != 2 {
		t.Errorf("robots.txt fetched %d times, want 2", s.hits.Load())
	}
}

func TestRobotsStatuses(t *testing.T) {
	// 4xx: no rules, everything allowed.
	s := newRobotsServer(t, 404, "")
	if _, err := New(fast()).Get(t.Context(), s.URL+"/x", Conditional{}); err != nil {
		t.Errorf("robots.txt 404: %v", err)
	}
	// 5xx: everything disallowed for a while, then asked again.
	s = newRobotsServer(t, 503, "")
	c := newClock()
	cfg := withClock(c)
	cfg.Retries = -1
	f := New(cfg)
	_, err := f.Get(t.Context(), s.URL+"/x", Conditional{})
	if !errors.Is(err, ErrRobots) || Permanent(err) || s.pages.Load() != 0 {
		t.Errorf("robots.txt 503: %v (permanent %v, %d pages fetched), want a temporary refusal", err, Permanent(err), s.pages.Load())
	}
	oneLine(t, err, "fetch "+s.URL+"/x: robots.txt unavailable: "+s.URL+"/robots.txt: HTTP 503 Service Unavailable; trying again after 2025-11-03T10:10:00Z")
	if nb := NotBefore(err, c.Now()); !nb.Equal(c.Now().Add(10 * time.Minute)) {
		t.Errorf("NotBefore(unavailable robots.txt) = %v", nb)
	}
	s.status.Store(200)
	s.body.Store("")
	if _, err := f.Get(t.Context(), s.URL+"/x", Conditional{}); !errors.Is(err, ErrRobots) {
		t.Errorf("robots.txt 503 a moment ago: %v, want still refused", err)
	}
	c.Advance(11 * time.Minute)
	if _, err := f.Get(t.Context(), s.URL+"/x", Conditional{}); err != nil || s.pages.Load() != 1 {
		t.Errorf("robots.txt back: %v", err)
	}
}

func TestRobotsCrawlDelay(t *testing.T) {
	s := newRobotsServer(t, 200, "User-agent: *\nCrawl-delay: 2\n")
	f := New(fast())
	if _, err := f.Get(t.Context(), s.URL+"/x", Conditional{}); err != nil {
		t.Fatal(err)
	}
	h := f.hosts.get(s.Listener.Addr().String())
	if h.limiter.Limit() != rate.Every(2*time.Second) || h.limiter.Burst() != 1 {
		t.Errorf("after Crawl-delay: 2, limit %v burst %d", h.limiter.Limit(), h.limiter.Burst())
	}
	// The next request to the host waits for the delay.
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if _, err := f.Get(ctx, s.URL+"/y", Conditional{}); err == nil {
		t.Error("a second request went through at once despite Crawl-delay: 2")
	}
	// An absurd delay is capped.
	s2 := newRobotsServer(t, 200, "User-agent: *\nCrawl-delay: 86400\n")
	f.Get(t.Context(), s2.URL+"/x", Conditional{})
	if h := f.hosts.get(s2.Listener.Addr().String()); h.limiter.Limit() != rate.Every(time.Minute) {
		t.Errorf("Crawl-delay: 86400 gave limit %v, want one a minute", h.limiter.Limit())
	}
}

func TestRobotsConcurrentAndCancelled(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			if hits.Add(1) == 1 {
				select { // the first robots.txt request hangs until cancelled
				case <-release:
				case <-r.Context().Done():
				}
				return
			}
			io.WriteString(w, "User-agent: *\nAllow: /\n")
			return
		}
		io.WriteString(w, "ok")
	}))
	defer s.Close()
	defer close(release)
	f := New(fast())
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if _, err := f.Get(ctx, s.URL+"/x", Conditional{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get whose robots.txt hangs past the deadline: %v", err)
	}
	// The abandoned load is not cached as "unavailable": the next callers
	// load it again, once.
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if _, err := f.Get(t.Context(), s.URL+"/x", Conditional{}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if hits.Load() != 2 {
		t.Errorf("robots.txt requested %d times, want 2", hits.Load())
	}
}

func TestRobotsOnRedirectHops(t *testing.T) {
	other := newRobotsServer(t, 200, "User-agent: *\nDisallow: /private/\n")
	// loop's robots.txt redirects to another origin's: robots.txt hops
	// are followed without a robots.txt check of their own.
	first := newRobotsServer(t, 200, "")
	loop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.Redirect(w, r, first.URL+"/robots.txt", http.StatusFound)
		case "/to-private":
			http.Redirect(w, r, other.URL+"/private/x", http.StatusFound)
		case "/to-public":
			http.Redirect(w, r, other.URL+"/public", http.StatusFound)
		case "/same-origin":
			http.Redirect(w, r, "/to-public", http.StatusFound)
		default:
			io.WriteString(w, "ok")
		}
	}))
	defer loop.Close()
	f := New(fast())
	_, err := f.Get(t.Context(), loop.URL+"/to-private", Conditional{})
	if !errors.Is(err, ErrRobots) || other.pages.Load() != 0 {
		t.Errorf("redirect to a path the target's robots.txt disallows: %v", err)
	}
	oneLine(t, err, "redirected to "+other.URL+"/private/x: disallowed by robots.txt")
	r, err := f.Get(t.Context(), loop.URL+"/same-origin", Conditional{})
	if err != nil || r.FinalURL != other.URL+"/public" || len(r.Redirects) != 2 {
		t.Errorf("allowed hops: %+v, %v", r, err)
	}
	if other.hits.Load() != 1 {
		t.Errorf("the target's robots.txt fetched %d times, want once", other.hits.Load())
	}
	cfg := fast()
	cfg.IgnoreRobots = true
	if _, err := New(cfg).Get(t.Context(), loop.URL+"/to-private", Conditional{}); err != nil {
		t.Errorf("IgnoreRobots on a redirect: %v", err)
	}
}

// TestRobotsHopWithAllSlotsTaken redirects http://h:p/ to https://h:p/:
// another origin on the same host, whose robots.txt must be fetched while
// the page request holds the host's only slot.
func TestRobotsHopWithAllSlotsTaken(t *testing.T) {
	var s *httptest.Server
	s = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nAllow: /\n")
		case "/a":
			http.Redirect(w, r, strings.Replace(s.URL, "http:", "https:", 1)+"/b", http.StatusFound)
		}
	}))
	defer s.Close()
	cfg := fast()
	cfg.PerHostConcurrency, cfg.Retries = 1, -1
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	start := time.Now()
	_, err := New(cfg).Get(ctx, s.URL+"/a", Conditional{})
	// The https origin does not speak TLS: its robots.txt is unavailable.
	if !errors.Is(err, ErrRobots) || time.Since(start) > time.Second {
		t.Errorf("after %s: %v, want an unavailable robots.txt at once", time.Since(start), err)
	}
}
