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
// time — after DNS resolution — against the loopback, private, link-local,
// metadata and other non-public ranges, which are refused unless listed in
// AllowNets; redirects are capped; bodies are capped after decompression,
// so neither an endless body nor a compression bomb can exhaust memory.
package fetch

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/testigo-project/testigo"
)

// Errors a fetch can end with, for errors.Is.
var (
	ErrTooLarge    = errors.New("response over the size limit")
	ErrRobots      = errors.New("disallowed by robots.txt")
	ErrBreakerOpen = errors.New("host failing: circuit breaker open")
	ErrStatus      = errors.New("HTTP error status")
	ErrRedirects   = errors.New("bad redirect")
)

// StatusError is an HTTP response with an error status.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from a 429 or 503, zero if none
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// Is makes errors.Is(err, ErrStatus) true.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// Config tunes a Fetcher. Zero fields take the defaults.
type Config struct {
	UserAgent          string        // default names testigo and its home page
	MaxBytes           int64         // body cap after decompression; default 20 MB
	MaxRedirects       int           // default 5
	DialTimeout        time.Duration // default 10 s
	TLSTimeout         time.Duration // default 10 s
	HeaderTimeout      time.Duration // time to the response headers; default 20 s
	BodyTimeout        time.Duration // time for the whole request; default 60 s
	PerHostRate        float64       // requests per second per host; default 1
	PerHostBurst       int           // default 2
	PerHostConcurrency int           // default 2
	Retries            int           // retries after the first try, for 5xx, 429 and network errors; default 3; -1 for none
	RetryBase          time.Duration // first backoff; default 1 s
	MaxRetryAfter      time.Duration // longest Retry-After honoured within one fetch; default 2 min
	BreakerFailures    int           // consecutive failures that open a host's breaker; default 5
	BreakerCooldown    time.Duration // how long it stays open; default 5 min
	IgnoreRobots       bool          // for URLs a person gives by hand
	AllowNets          []netip.Prefix
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
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Fetcher gets URLs. It is safe for concurrent use; its per-host state
// (limiters, breakers, robots.txt) lives as long as it does.
type Fetcher struct {
	cfg    Config
	client *http.Client
	hosts  *hostTable
	robots *robotsCache
}

// New returns a Fetcher with cfg's settings.
func New(cfg Config) *Fetcher {
	cfg.defaults()
	g := guard{allow: cfg.AllowNets}
	tr := &http.Transport{
		DialContext: g.dialer(func() *net.Dialer {
			return &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second}
		}),
		TLSHandshakeTimeout:   cfg.TLSTimeout,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		MaxIdleConnsPerHost:   cfg.PerHostConcurrency,
		IdleConnTimeout:       90 * time.Second,
		DisableCompression:    true, // we ask for gzip and br ourselves, to cap the decoded size
		ForceAttemptHTTP2:     true,
		// No Proxy: a proxy would dial on our behalf, past the guard.
	}
	f := &Fetcher{cfg: cfg, hosts: newHostTable(cfg)}
	f.client = &http.Client{
		Transport: tr,
		Timeout:   cfg.BodyTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return fmt.Errorf("%w: more than %d", ErrRedirects, cfg.MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("%w: to a %s: URL", ErrRedirects, req.URL.Scheme)
			}
			return nil
		},
	}
	f.robots = newRobotsCache(f)
	return f
}

// Client returns the fetcher's HTTP client: the address guard on every
// hop, the redirect cap and the timeouts, without robots.txt, rate limits
// or retries — for URLs a person gives by hand.
func (f *Fetcher) Client() *http.Client { return f.client }

// Conditional carries the validators of a previous response.
type Conditional struct {
	ETag         string
	LastModified string
}

// Response is a completed fetch.
type Response struct {
	URL         string // asked for
	FinalURL    string // after redirects
	Status      int
	Header      http.Header
	Body        []byte // decoded; empty for 304
	NotModified bool
	FetchedAt   time.Time
	Duration    time.Duration
	Attempts    int
	TLS         *CaptureTLS // nil for plain HTTP
}

// CaptureTLS is what the TLS handshake showed: the evidence of which server
// answered.
type CaptureTLS struct {
	Version     string   `json:"version"`
	CipherSuite string   `json:"cipher_suite"`
	ServerName  string   `json:"server_name"`
	PeerCerts   []string `json:"peer_certificates_pem"` // leaf first
}

// Get fetches u with a GET, conditional on cond when it holds validators.
// It retries transient failures (network errors, 5xx, 429) with backoff,
// honouring Retry-After up to MaxRetryAfter; a 304 is a success with
// NotModified set. Errors name the URL and what went wrong in one line.
func (f *Fetcher) Get(ctx context.Context, u string, cond Conditional) (*Response, error) {
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return nil, fmt.Errorf("fetch %q: not an http(s) URL", u)
	}
	h := f.hosts.get(pu.Host)
	if err := h.breakerAllows(time.Now()); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	if !f.cfg.IgnoreRobots {
		ok, delay, err := f.robots.allowed(ctx, pu, f.cfg.UserAgent)
		if err != nil {
			return nil, fmt.Errorf("fetch %s: %w", u, err)
		}
		if !ok {
			return nil, fmt.Errorf("fetch %s: %w", u, ErrRobots)
		}
		h.crawlDelay(delay)
	}
	start := time.Now()
	var last error
	for attempt := 0; ; attempt++ {
		resp, err := f.once(ctx, h, u, cond)
		if err == nil {
			h.success()
			resp.Attempts, resp.Duration = attempt+1, time.Since(start)
			return resp, nil
		}
		last = err
		wait, retry := f.retryable(err, attempt)
		if !retry {
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("fetch %s: %w", u, ctx.Err())
		case <-time.After(wait):
		}
	}
	if transientFailure(last) {
		h.failure(time.Now())
	}
	return nil, fmt.Errorf("fetch %s: %w", u, last)
}

// retryable says whether to try again after err on the given attempt, and
// after how long.
func (f *Fetcher) retryable(err error, attempt int) (time.Duration, bool) {
	if attempt >= f.cfg.Retries || f.cfg.Retries < 0 || !transientFailure(err) {
		return 0, false
	}
	var se *StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 {
		if se.RetryAfter > f.cfg.MaxRetryAfter {
			return 0, false // the next scheduled run will try again
		}
		return se.RetryAfter, true
	}
	d := f.cfg.RetryBase << attempt
	return time.Duration(float64(d) * (0.5 + rand.Float64())), true
}

// transientFailure reports errors worth retrying and counting against a
// host: network failures, timeouts, 5xx and 429 — not 4xx, refused
// addresses, robots or size.
func transientFailure(err error) bool {
	var se *StatusError
	switch {
	case err == nil, errors.Is(err, ErrBlockedAddress), errors.Is(err, ErrTooLarge), errors.Is(err, ErrRobots),
		errors.Is(err, context.Canceled):
		return false
	case errors.As(err, &se):
		return se.Code >= 500 || se.Code == http.StatusTooManyRequests
	case errors.Is(err, ErrRedirects):
		return false
	}
	return true
}

// once makes one request, within the host's rate and concurrency limits.
func (f *Fetcher) once(ctx context.Context, h *host, u string, cond Conditional) (*Response, error) {
	release, err := h.acquire(ctx)
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
	now := time.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer resp.Body.Close()
	out := &Response{URL: u, FinalURL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header,
		FetchedAt: now.UTC(), TLS: captureTLS(resp.TLS)}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode >= 400:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
		return nil, &StatusError{Code: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), now)}
	}
	body, err := readCapped(resp, f.cfg.MaxBytes)
	if err != nil {
		return nil, err
	}
	out.Body = body
	return out, nil
}

// unwrapURLError drops net/url's "Get \"…\": " prefix, since callers name
// the URL themselves, and keeps the cause for errors.Is.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// readCapped reads the body, decoding gzip or br, and fails with
// ErrTooLarge as soon as more than max decoded bytes arrive.
func readCapped(resp *http.Response, max int64) ([]byte, error) {
	if resp.ContentLength > max && resp.Header.Get("Content-Encoding") == "" {
		return nil, fmt.Errorf("%w: %d bytes declared, limit %d", ErrTooLarge, resp.ContentLength, max)
	}
	var r io.Reader = resp.Body
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("bad gzip body: %w", err)
		}
		defer zr.Close()
		r = zr
	case "br":
		r = brotli.NewReader(resp.Body)
	default:
		return nil, fmt.Errorf("unsupported content encoding %q", enc)
	}
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("%w: over %d bytes", ErrTooLarge, max)
	}
	return body, nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func captureTLS(cs *tls.ConnectionState) *CaptureTLS {
	if cs == nil {
		return nil
	}
	out := &CaptureTLS{Version: tls.VersionName(cs.Version), CipherSuite: tls.CipherSuiteName(cs.CipherSuite), ServerName: cs.ServerName}
	for _, c := range cs.PeerCertificates {
		out.PeerCerts = append(out.PeerCerts, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})))
	}
	return out
}

// Metadata is the capture record of a response: what an archive keeps
// beside the body to show where and how it was fetched.
type Metadata struct {
	URL       string              `json:"url"`
	FinalURL  string              `json:"final_url"`
	Status    int                 `json:"status"`
	Header    map[string][]string `json:"header"`
	FetchedAt time.Time           `json:"fetched_at"`
	Duration  string              `json:"duration"`
	TLS       *CaptureTLS         `json:"tls,omitempty"`
	Tool      string              `json:"tool"`
	BodySize  int                 `json:"body_size"`
}

// Metadata returns r's capture record.
func (r *Response) Metadata() Metadata {
	return Metadata{URL: r.URL, FinalURL: r.FinalURL, Status: r.Status, Header: r.Header, FetchedAt: r.FetchedAt,
		Duration: r.Duration.Round(time.Millisecond).String(), TLS: r.TLS, Tool: "testigo/" + testigo.Version,
		BodySize: len(r.Body)}
}

// Outcome names the outcome of a fetch for metrics: ok, blocked, robots,
// too_large, http_4xx, http_5xx, timeout, breaker_open or network.
func Outcome(err error) string {
	var se *StatusError
	var ne net.Error
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrBlockedAddress):
		return "blocked"
	case errors.Is(err, ErrRobots):
		return "robots"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrBreakerOpen):
		return "breaker_open"
	case errors.As(err, &se) && se.Code >= 500:
		return "http_5xx"
	case errors.As(err, &se):
		return "http_4xx"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "network"
}

// Permanent reports whether retrying err later cannot help: a refused
// address, robots.txt, a body over the cap, or a 4xx other than 408 and
// 429.
func Permanent(err error) bool {
	var se *StatusError
	switch {
	case errors.Is(err, ErrBlockedAddress), errors.Is(err, ErrRobots), errors.Is(err, ErrTooLarge), errors.Is(err, ErrRedirects):
		return true
	case errors.As(err, &se):
		return se.Code >= 400 && se.Code < 500 && se.Code != http.StatusRequestTimeout && se.Code != http.StatusTooManyRequests
	}
	return false
}

// hostTable holds per-host limiters and breakers.
type hostTable struct {
	cfg   Config
	mu    sync.Mutex
	hosts map[string]*host
}

func newHostTable(cfg Config) *hostTable { return &hostTable{cfg: cfg, hosts: map[string]*host{}} }

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
