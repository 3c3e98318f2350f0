package fetch

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/testigo-project/testigo"
)

// Errors a fetch can end with, for errors.Is (ErrBlockedAddress is in
// guard.go).
var (
	ErrTooLarge    = errors.New("response over the size limit")
	ErrRobots      = errors.New("disallowed by robots.txt")
	ErrBreakerOpen = errors.New("host failing: circuit breaker open")
	ErrStatus      = errors.New("HTTP error status")
	ErrRedirects   = errors.New("bad redirect")
	errEncoding    = errors.New("bad content encoding")
)

// robotsUnavailable is a robots.txt that could not be read (5xx or no
// answer): the host is left alone for a while, not for good. It counts as
// ErrRobots.
type robotsUnavailable struct {
	url   string
	cause string
	until time.Time
}

func (e *robotsUnavailable) Error() string {
	return fmt.Sprintf("robots.txt unavailable: %s: %s; trying again after %s", e.url, e.cause, e.until.UTC().Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrRobots) true.
func (e *robotsUnavailable) Is(target error) bool { return target == ErrRobots }

// StatusError is an HTTP response with an error status (400 or more).
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from Retry-After, zero if none
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// Is makes errors.Is(err, ErrStatus) true.
func (e *StatusError) Is(target error) bool { return target == ErrStatus }

// Response is a completed fetch.
type Response struct {
	URL      string // asked for
	FinalURL string // after redirects
	Status   int
	Header   http.Header // of the final response
	// RequestHeader is what the final request sent (User-Agent, Accept,
	// validators), for an archive's request record.
	RequestHeader http.Header
	RemoteAddr    string    // IP:port of the server that answered the final request
	Body          []byte    // decoded; empty for 304
	NotModified   bool      // a 304 to a conditional GET
	FetchedAt     time.Time // when the successful attempt's request was sent, UTC
	Duration      time.Duration
	Attempts      int         // tries it took, retries included
	Redirects     []string    // URLs redirected to, in order; the last is FinalURL
	TLS           *CaptureTLS // nil for plain HTTP
}

// CaptureTLS is what the TLS handshake showed: the evidence of which server
// answered.
type CaptureTLS struct {
	Version            string   `json:"version"`
	CipherSuite        string   `json:"cipher_suite"`
	ServerName         string   `json:"server_name"`
	NegotiatedProtocol string   `json:"negotiated_protocol,omitempty"`
	PeerCerts          []string `json:"peer_certificates_pem"`    // PEM of each DER certificate, leaf first
	PeerCertsSHA256    []string `json:"peer_certificates_sha256"` // hex SHA-256 of each DER certificate
}

func captureTLS(cs *tls.ConnectionState) *CaptureTLS {
	if cs == nil {
		return nil
	}
	out := &CaptureTLS{Version: tls.VersionName(cs.Version), CipherSuite: tls.CipherSuiteName(cs.CipherSuite),
		ServerName: cs.ServerName, NegotiatedProtocol: cs.NegotiatedProtocol}
	for _, c := range cs.PeerCertificates {
		out.PeerCerts = append(out.PeerCerts, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})))
		sum := sha256.Sum256(c.Raw)
		out.PeerCertsSHA256 = append(out.PeerCertsSHA256, hex.EncodeToString(sum[:]))
	}
	return out
}

// Metadata is the capture record of a response: what an archive keeps
// beside the body to show where, when and how it was fetched. It
// marshals to JSON as is.
type Metadata struct {
	URL        string              `json:"url"`
	FinalURL   string              `json:"final_url"`
	Redirects  []string            `json:"redirects,omitempty"`
	Status     int                 `json:"status"`
	Header     map[string][]string `json:"header"`
	Request    map[string][]string `json:"request_header,omitempty"`
	RemoteAddr string              `json:"remote_addr,omitempty"`
	FetchedAt  time.Time           `json:"fetched_at"`
	Duration   string              `json:"duration"`
	TLS        *CaptureTLS         `json:"tls,omitempty"`
	Tool       string              `json:"tool"`
	BodySize   int                 `json:"body_size"`
	BodySHA256 string              `json:"body_sha256,omitempty"` // of the decoded body; empty for a 304
}

// Metadata returns r's capture record.
func (r *Response) Metadata() Metadata {
	m := Metadata{URL: r.URL, FinalURL: r.FinalURL, Redirects: r.Redirects, Status: r.Status, Header: r.Header,
		Request: r.RequestHeader, RemoteAddr: r.RemoteAddr,
		FetchedAt: r.FetchedAt, Duration: r.Duration.Round(time.Millisecond).String(), TLS: r.TLS,
		Tool: "testigo/" + testigo.Version, BodySize: len(r.Body)}
	if !r.NotModified {
		sum := sha256.Sum256(r.Body)
		m.BodySHA256 = hex.EncodeToString(sum[:])
	}
	return m
}

// Outcome names r's outcome for metrics: ok or not_modified. For a failed
// fetch use the function Outcome.
func (r *Response) Outcome() string {
	if r.NotModified {
		return "not_modified"
	}
	return "ok"
}

// Outcome names the outcome of a fetch's error for metrics: ok (nil),
// blocked, robots, too_large, breaker_open, http_4xx, http_5xx, timeout,
// canceled or network. With a response in hand, r.Outcome() also tells
// not_modified apart.
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
	case errors.Is(err, context.Canceled):
		return "canceled"
	}
	return "network"
}

// NotBefore returns the earliest time worth trying a failed fetch again,
// when err says: the end of a Retry-After (counted from now), of an open
// circuit breaker, or of an unavailable robots.txt's wait. It returns the
// zero time when err gives no such hint; a scheduler then uses its own
// backoff.
func NotBefore(err error, now time.Time) time.Time {
	var se *StatusError
	var be *breakerError
	var ru *robotsUnavailable
	switch {
	case errors.As(err, &se) && se.RetryAfter > 0:
		return now.Add(se.RetryAfter)
	case errors.As(err, &be):
		return be.until
	case errors.As(err, &ru):
		return ru.until
	}
	return time.Time{}
}

// Permanent reports whether retrying err later cannot help: a refused
// address, robots.txt (but not an unavailable one), a body over the cap, a
// bad redirect, or a 4xx other than 408 and 429.
func Permanent(err error) bool {
	var se *StatusError
	switch {
	case errors.As(err, new(*robotsUnavailable)):
		return false
	case errors.Is(err, ErrRobots), errors.Is(err, ErrBlockedAddress), errors.Is(err, ErrTooLarge), errors.Is(err, ErrRedirects):
		return true
	case errors.As(err, &se):
		return se.Code >= 400 && se.Code < 500 && se.Code != http.StatusRequestTimeout && se.Code != http.StatusTooManyRequests
	}
	return false
}

// readCapped reads the body, decoding gzip or br, and fails with
// ErrTooLarge as soon as more than max decoded bytes arrive, returning the
// first max bytes with it. It never reads more than max+1 decoded bytes.
func readCapped(resp *http.Response, max int64) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if (enc == "" || enc == "identity") && resp.ContentLength > max {
		return nil, fmt.Errorf("%w: %d bytes declared, limit %d", ErrTooLarge, resp.ContentLength, max)
	}
	var r io.Reader = resp.Body
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %v", errEncoding, err)
		}
		defer zr.Close()
		r = zr
	case "br":
		r = brotli.NewReader(resp.Body)
	default:
		return nil, fmt.Errorf("%w: unsupported content encoding %q", errEncoding, enc)
	}
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > max {
		return body[:max], fmt.Errorf("%w: over %d bytes", ErrTooLarge, max)
	}
	return body, nil
}

// drain reads a little of an error response's body so that the connection
// can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // an error here only costs the connection
}

// retryAfter reads a Retry-After header: seconds or an HTTP date. Zero
// when absent, unreadable or in the past.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(min(s, 1<<31)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
