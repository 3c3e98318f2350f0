package fetch

import (
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

func TestCircuitBreaker(t *testing.T) {
	var hits atomic.Int32
	var healthy atomic.Bool
	probeStarted := make(chan struct{}, 1)
	probeGo := make(chan struct{})
	var holdProbe atomic.Bool
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if holdProbe.Load() {
			probeStarted <- struct{}{}
			<-probeGo
		}
		if !healthy.Load() {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		io.WriteString(w, "ok")
	})
	c := newClock()
	cfg := withClock(c)
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
	_, err := f.Get(t.Context(), s.URL+"/other", Conditional{})
	if !errors.Is(err, ErrBreakerOpen) || Outcome(err) != "breaker_open" || Permanent(err) {
		t.Errorf("after 3 failures: %v, want the breaker open", err)
	}
	oneLine(t, err, "circuit breaker open until 2025-11-03T11:00:00Z after 3 failures in a row")
	if nb := NotBefore(err, c.Now()); !nb.Equal(c.Now().Add(time.Hour)) {
		t.Errorf("NotBefore(open breaker) = %v", nb)
	}
	if hits.Load() != before {
		t.Error("the open breaker let a request through")
	}

	// After the cool-down one probe goes through; others wait for it.
	c.Advance(time.Hour)
	holdProbe.Store(true)
	probeErr := make(chan error, 1)
	go func() {
		_, err := f.Get(t.Context(), s.URL+"/", Conditional{})
		probeErr <- err
	}()
	<-probeStarted
	holdProbe.Store(false)
	if _, err := f.Get(t.Context(), s.URL+"/", Conditional{}); !errors.Is(err, ErrBreakerOpen) {
		t.Errorf("during the probe: %v, want refused", err)
	}
	probeGo <- struct{}{}
	if err := <-probeErr; Outcome(err) != "http_5xx" {
		t.Fatalf("probe: %v", err)
	}
	// The failed probe opened it again for a whole cool-down.
	c.Advance(59 * time.Minute)
	if _, err := f.Get(t.Context(), s.URL+"/", Conditional{}); !errors.Is(err, ErrBreakerOpen) {
		t.Errorf("after a failed probe: %v, want open", err)
	}
	// A successful probe closes it.
	c.Advance(time.Minute)
	healthy.Store(true)
	for i := range 3 {
		if _, err := f.Get(t.Context(), s.URL+"/", Conditional{}); err != nil {
			t.Errorf("request %d after a good probe: %v", i, err)
		}
	}
}

func TestBreakerIgnoresClientSideEnds(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	cfg := fast()
	cfg.BreakerFailures = 2
	f := New(cfg)
	for range 5 {
		// A host that answers 404 is alive: the breaker stays closed.
		if _, err := f.Get(t.Context(), s.URL+"/gone", Conditional{}); Outcome(err) != "http_4xx" {
			t.Fatalf("404: %v", err)
		}
	}
	// Neither does a blocked address count against the host.
	cfg = fast()
	cfg.AllowNets, cfg.BreakerFailures = nil, 1
	blocked := New(cfg)
	for range 3 {
		if _, err := blocked.Get(t.Context(), s.URL+"/", Conditional{}); Outcome(err) != "blocked" {
			t.Fatalf("want blocked, got %v", err)
		}
	}
}
