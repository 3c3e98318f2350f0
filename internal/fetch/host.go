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
type host struct {
	limiter *rate.Limiter
	slots   chan struct{}
	cfg     Config

	mu        sync.Mutex
	failures  int       // consecutive
	openUntil time.Time // breaker open until then
	delaySet  bool
}

func newHost(cfg Config) *host {
	return &host{
		limiter: rate.NewLimiter(rate.Limit(cfg.PerHostRate), cfg.PerHostBurst),
		slots:   make(chan struct{}, cfg.PerHostConcurrency),
		cfg:     cfg,
	}
}

// acquire waits for the host's rate limit and a free slot; release frees
// the slot.
func (h *host) acquire(ctx context.Context) (release func(), err error) {
	if err := h.limiter.Wait(ctx); err != nil {
		return nil, fmt.Errorf("rate limit: %w", err)
	}
	select {
	case h.slots <- struct{}{}:
		return func() { <-h.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// crawlDelay slows the host to robots.txt's Crawl-delay when that is
// slower than the configured rate. It is applied once.
func (h *host) crawlDelay(d time.Duration) {
	if d <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.delaySet {
		return
	}
	h.delaySet = true
	if r := rate.Every(d); r < h.limiter.Limit() {
		h.limiter.SetLimit(r)
		h.limiter.SetBurst(1)
	}
}

// breakerAllows refuses requests while the breaker is open; once the
// cool-down has passed one request goes through (half-open) and its outcome
// closes or reopens the breaker.
func (h *host) breakerAllows(now time.Time) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if now.Before(h.openUntil) {
		return fmt.Errorf("%w until %s after %d failures", ErrBreakerOpen, h.openUntil.UTC().Format(time.RFC3339), h.failures)
	}
	return nil
}

func (h *host) success() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures, h.openUntil = 0, time.Time{}
}

func (h *host) failure(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures++
	if h.failures >= h.cfg.BreakerFailures {
		h.openUntil = now.Add(h.cfg.BreakerCooldown)
	}
}
