// Package fetch gets web pages and feeds politely and safely for the
// watcher and for URLs given by hand.
//
// Politely: a user agent that names the project, robots.txt honoured (with
// its Crawl-delay), a rate limit and a concurrency limit per host,
// conditional GETs, retries with exponential backoff and jitter that honour
// Retry-After, and a circuit breaker per host that stops hammering a host
// that keeps failing.
//
// Safely: every connection, including each redirect hop, is checked at dial
// time — after DNS resolution, on the address actually dialled — against
// the loopback, private, link-local, cloud-metadata and other non-public
// ranges, which are refused unless listed in Config.AllowNets; redirects
// are capped; bodies are capped after decompression, so neither an endless
// body nor a compression bomb can exhaust memory.
//
// Use:
//
//	nets, err := fetch.ParseAllowNets(flagValue) // "" in production, "127.0.0.0/8" in tests
//	cfg := fetch.Config{AllowNets: nets}
//	if err := cfg.Validate(); err != nil { … }
//	f := fetch.New(cfg) // one per process: it holds the per-host state
//	r, err := f.Get(ctx, u, fetch.Conditional{ETag: prevETag, LastModified: prevLM})
//	switch {
//	case err != nil:       // fetch.Outcome(err) names it for metrics; fetch.Permanent(err) says retrying cannot help;
//	                       // fetch.NotBefore(err, now) says when a retry is welcome (Retry-After, breaker, robots.txt)
//	case r.NotModified:    // 304: nothing new
//	default:               // r.Body, r.Header.Get("ETag"), json.Marshal(r.Metadata()) for the archive,
//	                       // r.WriteWARC(w, true) for request, response and metadata WARC records
//	}
//
// Metrics: fetch.Outcome(err) for failures and r.Outcome() for successes
// give ok, not_modified, blocked, robots, too_large, breaker_open,
// http_4xx, http_5xx, timeout, canceled or network.
//
// Every error from Get is one line that starts with "fetch <url>: ";
// errors.Is works with ErrBlockedAddress, ErrRobots, ErrTooLarge,
// ErrBreakerOpen, ErrRedirects, ErrStatus and context errors, and
// errors.As with *BlockedError and *StatusError.
//
// Limits worth knowing: rate, concurrency and breaker are kept per URL
// host (host:port) of the URL asked for, not per redirect target; a
// redirect to another origin is checked against that origin's
// robots.txt. A name is refused as a whole when any of its addresses is
// refused. Client() has the guard and the timeouts but no size cap.
package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/testigo-project/testigo"
)

// Config tunes a Fetcher. Zero fields take the defaults.
type Config struct {
	UserAgent          string        // default "testigo/<version> (+https://github.com/testigo-project/testigo)"
	MaxBytes           int64         // body cap after decompression; default 20 MB
	MaxRedirects       int           // default 5
	DialTimeout        time.Duration // TCP connect, per address; default 10 s
	TLSTimeout         time.Duration // TLS handshake; default 10 s
	HeaderTimeout      time.Duration // from the request sent to the response headers; default 20 s
	BodyTimeout        time.Duration // the whole request, body included, per attempt; default 60 s
	PerHostRate        float64       // requests per second per host; default 1
	PerHostBurst       int           // default 2
	PerHostConcurrency int           // requests in flight per host; default 2
	Retries            int           // retries after the first try, for 5xx, 429 and network errors; default 3; -1 for none
	RetryBase          time.Duration // first backoff, doubled each retry, ±50 % jitter; default 1 s
	MaxRetryAfter      time.Duration // longest wait (Retry-After or backoff) within one Get; a longer Retry-After ends the Get; default 2 min
	BreakerFailures    int           // failed Gets in a row that open a host's breaker; default 5
	BreakerCooldown    time.Duration // how long it stays open before a probe; default 5 min
	IgnoreRobots       bool          // for URLs a person gives by hand
	RobotsTTL          time.Duration // how long a robots.txt is kept; default 6 h
	RobotsRetry        time.Duration // how long an unavailable robots.txt (5xx) disallows the host; default 10 min
	MaxCrawlDelay      time.Duration // longest robots.txt Crawl-delay honoured; default 1 min
	AllowNets          []netip.Prefix
	// RootCAs, when set, replaces the system's roots for https (a private
	// CA, or a test server's certificate).
	RootCAs *x509.CertPool
	// Now and Sleep replace the clock and the waits between retries, for
	// tests; Sleep returns early with ctx's error.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Validate reports the first setting New cannot use, in one line naming
// it. Zero values are fine: they take the defaults.
func (c Config) Validate() error {
	switch {
	case strings.ContainsAny(c.UserAgent, "\r\n"):
		return fmt.Errorf("fetch config: user agent %q has a line break", c.UserAgent)
	case c.MaxBytes < 0:
		return fmt.Errorf("fetch config: MaxBytes %d is negative", c.MaxBytes)
	case c.MaxRedirects < 0:
		return fmt.Errorf("fetch config: MaxRedirects %d is negative", c.MaxRedirects)
	case c.PerHostRate < 0:
		return fmt.Errorf("fetch config: PerHostRate %g is negative", c.PerHostRate)
	case c.PerHostBurst < 0:
		return fmt.Errorf("fetch config: PerHostBurst %d is negative", c.PerHostBurst)
	case c.PerHostConcurrency < 0:
		return fmt.Errorf("fetch config: PerHostConcurrency %d is negative", c.PerHostConcurrency)
	case c.Retries < -1:
		return fmt.Errorf("fetch config: Retries %d; use -1 for none", c.Retries)
	case c.BreakerFailures < 0:
		return fmt.Errorf("fetch config: BreakerFailures %d is negative", c.BreakerFailures)
	}
	for _, d := range []struct {
		name string
		d    time.Duration
	}{{"DialTimeout", c.DialTimeout}, {"TLSTimeout", c.TLSTimeout}, {"HeaderTimeout", c.HeaderTimeout},
		{"BodyTimeout", c.BodyTimeout}, {"RetryBase", c.RetryBase}, {"MaxRetryAfter", c.MaxRetryAfter},
		{"BreakerCooldown", c.BreakerCooldown}, {"RobotsTTL", c.RobotsTTL}, {"RobotsRetry", c.RobotsRetry},
		{"MaxCrawlDelay", c.MaxCrawlDelay}} {
		if d.d < 0 {
			return fmt.Errorf("fetch config: %s %s is negative", d.name, d.d)
		}
	}
	for _, p := range c.AllowNets {
		if !p.IsValid() {
			return fmt.Errorf("fetch config: invalid allowed range %v", p)
		}
	}
	return nil
}

func (c *Config) defaults() {
	if c.UserAgent == "" {
		c.UserAgent = "testigo/" + testigo.Version + " (+https://github.com/testigo-project/testigo)"
	}
	setDefault(&c.MaxBytes, 20<<20)
	setDefault(&c.MaxRedirects, 5)
	setDefault(&c.DialTimeout, 10*time.Second)
	setDefault(&c.TLSTimeout, 10*time.Second)
	setDefault(&c.HeaderTimeout, 20*time.Second)
	setDefault(&c.BodyTimeout, 60*time.Second)
	setDefault(&c.PerHostRate, 1)
	setDefault(&c.PerHostBurst, 2)
	setDefault(&c.PerHostConcurrency, 2)
	setDefault(&c.Retries, 3)
	setDefault(&c.RetryBase, time.Second)
	setDefault(&c.MaxRetryAfter, 2*time.Minute)
	setDefault(&c.BreakerFailures, 5)
	setDefault(&c.BreakerCooldown, 5*time.Minute)
	setDefault(&c.RobotsTTL, 6*time.Hour)
	setDefault(&c.RobotsRetry, 10*time.Minute)
	setDefault(&c.MaxCrawlDelay, time.Minute)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
}

// sanitize zeroes the settings Validate refuses, so that defaults replace
// them.
func (c *Config) sanitize() {
	if strings.ContainsAny(c.UserAgent, "\r\n") {
		c.UserAgent = ""
	}
	for _, v := range []*int{&c.MaxRedirects, &c.PerHostBurst, &c.PerHostConcurrency, &c.BreakerFailures} {
		*v = max(*v, 0)
	}
	c.MaxBytes, c.PerHostRate, c.Retries = max(c.MaxBytes, 0), max(c.PerHostRate, 0), max(c.Retries, -1)
	for _, d := range []*time.Duration{&c.DialTimeout, &c.TLSTimeout, &c.HeaderTimeout, &c.BodyTimeout, &c.RetryBase,
		&c.MaxRetryAfter, &c.BreakerCooldown, &c.RobotsTTL, &c.RobotsRetry, &c.MaxCrawlDelay} {
		*d = max(*d, 0)
	}
	c.AllowNets = slices.DeleteFunc(slices.Clone(c.AllowNets), func(p netip.Prefix) bool { return !p.IsValid() })
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Fetcher gets URLs. It is safe for concurrent use; its per-host state
// (limiters, breakers, robots.txt) lives as long as it does, so a process
// makes one and shares it.
type Fetcher struct {
	cfg    Config
	guard  *guard
	client *http.Client
	hosts  *hostTable
	robots *robotsCache
}

// New returns a Fetcher with cfg's settings, zero fields taking their
// defaults. Settings Validate refuses are replaced by their defaults too,
// so check cfg with Validate first when it comes from a person.
func New(cfg Config) *Fetcher {
	cfg.sanitize()
	cfg.defaults()
	g := &guard{allow: cfg.AllowNets, stagger: 250 * time.Millisecond}
	tr := &http.Transport{
		DialContext: g.dialContext(func() *net.Dialer {
			return &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second}
		}),
		TLSClientConfig:        &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    cfg.TLSTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		MaxResponseHeaderBytes: 1 << 20,
		MaxIdleConnsPerHost:    cfg.PerHostConcurrency,
		IdleConnTimeout:        90 * time.Second,
		DisableCompression:     true, // we ask for gzip and br ourselves, to cap the decoded size
		ForceAttemptHTTP2:      true,
		// No Proxy: a proxy would dial on our behalf, past the guard.
	}
	f := &Fetcher{cfg: cfg, guard: g}
	f.hosts = newHostTable(&f.cfg)
	f.client = &http.Client{
		Transport: tr,
		Timeout:   cfg.BodyTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return fmt.Errorf("%w: more than %d redirects", ErrRedirects, cfg.MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("%w: to a %s: URL", ErrRedirects, req.URL.Scheme)
			}
			return f.robotsOnHop(req, via[len(via)-1])
		},
	}
	f.robots = newRobotsCache(f)
	return f
}

// robotsCheck marks the context of a Get whose redirect hops to another
// origin must pass that origin's robots.txt too.
type robotsCheck struct{}

// robotsOnHop checks a redirect to another origin against that origin's
// robots.txt, for Gets that honour robots.txt.
func (f *Fetcher) robotsOnHop(req, prev *http.Request) error {
	if req.Context().Value(robotsCheck{}) == nil || (req.URL.Scheme == prev.URL.Scheme && req.URL.Host == prev.URL.Host) {
		return nil
	}
	ok, _, err := f.robots.allowed(req.Context(), req.URL)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w for %s", ErrRobots, f.cfg.UserAgent)
	}
	return nil
}

// Config returns the settings in use, defaults filled in.
func (f *Fetcher) Config() Config { return f.cfg }

// Client returns the fetcher's HTTP client: the address guard on every
// hop, the redirect cap and the timeouts, without robots.txt, rate limits,
// size cap or retries — for URLs a person gives by hand.
func (f *Fetcher) Client() *http.Client { return f.client }

// Conditional carries the validators of a previous response.
type Conditional struct {
	ETag         string
	LastModified string
}

// Get fetches u with a GET, conditional on cond when it holds validators.
// It checks the host's breaker and robots.txt, waits for the host's rate
// and concurrency limits, and retries transient failures (network errors,
// timeouts, 5xx, 429) with exponential backoff and jitter, honouring
// Retry-After up to MaxRetryAfter. A 304 is a success with NotModified
// set; any other status of 400 or more is a *StatusError. Errors start
// with "fetch <u>: " and stay on one line.
func (f *Fetcher) Get(ctx context.Context, u string, cond Conditional) (*Response, error) {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return nil, fmt.Errorf("fetch %q: not an http(s) URL", u)
	}
	h := f.hosts.get(pu.Host)
	probe, err := h.admit(f.cfg.Now())
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	outcome := hostNeutral
	defer func() { h.done(probe, outcome, f.cfg.Now()) }()
	if !f.cfg.IgnoreRobots {
		ok, delay, err := f.robots.allowed(ctx, pu)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", u, err)
		}
		if !ok {
			return nil, fmt.Errorf("fetch %s: %w for %s", u, ErrRobots, f.cfg.UserAgent)
		}
		h.crawlDelay(delay)
		ctx = context.WithValue(ctx, robotsCheck{}, true)
	}
	start := f.cfg.Now()
	for attempt := 0; ; attempt++ {
		resp, err := f.once(ctx, h, u, cond, f.cfg.MaxBytes, true)
		outcome = hostOutcomeOf(ctx, err)
		if err == nil {
			resp.Attempts, resp.Duration = attempt+1, f.cfg.Now().Sub(start)
			return resp, nil
		}
		wait, retry := f.retryable(err, attempt)
		if !retry {
			return nil, fmt.Errorf("fetch %s: %w", u, err)
		}
		if serr := f.cfg.Sleep(ctx, wait); serr != nil {
			return nil, fmt.Errorf("fetch %s: %w (waiting to retry after %v)", u, serr, err)
		}
	}
}

// retryable says whether to try again after err on the given attempt, and
// after how long.
func (f *Fetcher) retryable(err error, attempt int) (time.Duration, bool) {
	if f.cfg.Retries < 0 || attempt >= f.cfg.Retries || !transientFailure(err) {
		return 0, false
	}
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		if se.RetryAfter > f.cfg.MaxRetryAfter {
			return 0, false // the caller's next scheduled run will try again
		}
		return se.RetryAfter, true
	}
	d := f.cfg.RetryBase << attempt
	d = time.Duration(float64(d) * (0.5 + rand.Float64()))
	return min(d, f.cfg.MaxRetryAfter), true
}

// transientFailure reports errors worth retrying and counting against a
// host: network failures, timeouts, 5xx and 429 — not other 4xx, refused
// addresses, robots, size, redirects or a cancelled context.
func transientFailure(err error) bool {
	var se *StatusError
	switch {
	case err == nil, errors.Is(err, ErrBlockedAddress), errors.Is(err, ErrTooLarge), errors.Is(err, ErrRobots),
		errors.Is(err, ErrRedirects), errors.Is(err, errEncoding), errors.Is(err, context.Canceled):
		return false
	case errors.As(err, &se):
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests
	}
	return true
}

// hostOutcomeOf says what an attempt's result says about its host, for the
// breaker. The caller's own deadline or cancellation says nothing.
func hostOutcomeOf(ctx context.Context, err error) hostOutcome {
	switch {
	case ctx.Err() != nil, errors.Is(err, ErrBlockedAddress):
		return hostNeutral
	case transientFailure(err):
		return hostFailed
	}
	return hostAnswered
}

// once makes one request within the host's rate limit (and its
// concurrency limit, with slot) and reads at most max decoded bytes of the
// body. With ErrTooLarge it
// also returns the response with the first max bytes.
func (f *Fetcher) once(ctx context.Context, h *host, u string, cond Conditional, max int64, slot bool) (*Response, error) {
	release, err := h.acquire(ctx, slot)
	if err != nil {
		return nil, err
	}
	defer release()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept-Encoding", "gzip, br")
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/html;q=0.9, text/xml;q=0.8, */*;q=0.5")
	if cond.ETag != "" {
		req.Header.Set("If-None-Match", cond.ETag)
	}
	if cond.LastModified != "" {
		req.Header.Set("If-Modified-Since", cond.LastModified)
	}
	// The address of the connection that served the last hop: with the
	// certificates, the evidence of which server answered.
	var remote atomic.Value
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(ci httptrace.GotConnInfo) { remote.Store(ci.Conn.RemoteAddr().String()) },
	}))
	now := f.cfg.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, clientError(err, u)
	}
	defer resp.Body.Close()
	out := &Response{URL: u, FinalURL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header,
		RequestHeader: resp.Request.Header.Clone(), FetchedAt: now.UTC(), Redirects: redirects(resp), TLS: captureTLS(resp.TLS)}
	if a, ok := remote.Load().(string); ok {
		out.RemoteAddr = a
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode >= 400:
		drain(resp)
		return nil, &StatusError{Code: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), now)}
	}
	out.Body, err = readCapped(resp, max)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return out, err
		}
		return nil, err
	}
	return out, nil
}

// clientError drops net/http's `Get "…": ` prefix, since Get names the URL
// itself, but says which redirect hop failed when it was not the first,
// and keeps the cause for errors.Is. A refused address is shown alone,
// without the dialler's wrapping.
func clientError(err error, requested string) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	cause := ue.Err
	var be *BlockedError
	if errors.As(cause, &be) {
		cause = be
	}
	if ue.URL != "" && ue.URL != requested {
		return fmt.Errorf("redirected to %s: %w", ue.URL, cause)
	}
	return cause
}

// redirects lists the URLs resp's request was redirected to, in order.
func redirects(resp *http.Response) []string {
	var out []string
	for r := resp.Request; r != nil && r.Response != nil; r = r.Response.Request {
		out = append(out, r.URL.String())
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
