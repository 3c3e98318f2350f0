package fetch

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// host is the politeness state of one host: a rate limiter, a concurrency
// limit and a circuit breaker.
//
// The breaker is closed while fewer than BreakerFailures fetches in a row
// have failed. Then it opens: fetches are refused with ErrBreakerOpen
// without touching the network. After BreakerCooldown it is half-open: one
// fetch (the probe) goes through while others are still refused; the
// probe's success closes the breaker, its failure opens it for another
// cool-down.
type host struct {
	limiter *rate.Limiter
	slots   chan struct{}
	cfg     *Config

	mu        sync.Mutex
	failures  int       // consecutive
	openUntil time.Time // breaker open until then
	probing   bool      // half-open, a probe in flight
}

func newHost(cfg *Config) *host {
	return &host{
		limiter: rate.NewLimiter(rate.Limit(cfg.PerHostRate), cfg.PerHostBurst),
		slots:   make(chan struct{}, cfg.PerHostConcurrency),
		cfg:     cfg,
	}
}

// acquire waits for the host's rate limit and, with slot, a free slot
// among PerHostConcurrency; release frees it. robots.txt fetches take no
// slot: one may run from a redirect check while its own host's page
// request holds the last slot.
func (h *host) acquire(ctx context.Context, slot bool) (release func(), err error) {
	if err := h.limiter.Wait(ctx); err != nil {
		return nil, fmt.Errorf("per-host rate limit: %w", err)
	}
	if !slot {
		return func() {}, nil
	}
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// crawlDelay slows the host to robots.txt's Crawl-delay (capped at
// MaxCrawlDelay) when that is slower than the configured rate, and back to
// the configured rate when robots.txt no longer asks for a delay.
func (h *host) crawlDelay(d time.Duration) {
	d = min(d, h.cfg.MaxCrawlDelay)
	lim, burst := rate.Limit(h.cfg.PerHostRate), h.cfg.PerHostBurst
	if d > 0 && rate.Every(d) < lim {
		lim, burst = rate.Every(d), 1
	}
	if h.limiter.Limit() != lim || h.limiter.Burst() != burst {
		h.limiter.SetLimit(lim)
		h.limiter.SetBurst(burst)
	}
}

// admit refuses a fetch while the breaker is open or while it is half-open
// with a probe in flight; probe reports that this fetch is the probe.
func (h *host) admit(now time.Time) (probe bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.failures < h.cfg.BreakerFailures {
		return false, nil
	}
	if now.Before(h.openUntil) {
		return false, &breakerError{until: h.openUntil, failures: h.failures}
	}
	if h.probing {
		return false, &breakerError{failures: h.failures}
	}
	h.probing = true
	return true, nil
}

// done records a fetch's end: failed counts against the host, otherwise
// the host answered and the breaker closes. A fetch that ended for neither
// reason (cancelled, refused before any request) leaves the count alone.
func (h *host) done(probe bool, outcome hostOutcome, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if probe {
		h.probing = false
	}
	switch outcome {
	case hostAnswered:
		h.failures, h.openUntil = 0, time.Time{}
	case hostFailed:
		h.failures++
		if h.failures >= h.cfg.BreakerFailures {
			h.openUntil = now.Add(h.cfg.BreakerCooldown)
		}
	}
}

type hostOutcome int

const (
	hostNeutral  hostOutcome = iota // nothing learnt about the host
	hostAnswered                    // the host answered (2xx, 3xx, 4xx but 429)
	hostFailed                      // network error, timeout, 5xx or 429
)

// hostTable holds per-host limiters and breakers.
type hostTable struct {
	cfg   *Config
	mu    sync.Mutex
	hosts map[string]*host
}

func newHostTable(cfg *Config) *hostTable { return &hostTable{cfg: cfg, hosts: map[string]*host{}} }

// get returns the state of host (a URL's host[:port]), creating it.
func (t *hostTable) get(name string) *host {
	t.mu.Lock()
	defer t.mu.Unlock()
	h, ok := t.hosts[name]
	if !ok {
		h = newHost(t.cfg)
		t.hosts[name] = h
	}
	return h
}

// breakerError is a fetch refused by an open (or half-open) breaker.
type breakerError struct {
	until    time.Time // zero when half-open, a probe in flight
	failures int
}

func (e *breakerError) Error() string {
	if e.until.IsZero() {
		return fmt.Sprintf("%v: half-open, waiting for a probe after %d failures in a row", ErrBreakerOpen, e.failures)
	}
	return fmt.Sprintf("%v until %s after %d failures in a row", ErrBreakerOpen, e.until.UTC().Format(time.RFC3339), e.failures)
}

// Is makes errors.Is(err, ErrBreakerOpen) true.
func (e *breakerError) Is(target error) bool { return target == ErrBreakerOpen }
