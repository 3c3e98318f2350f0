package web

import (
	"container/list"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit bounds how fast one client may call the API: each client
// address has a token bucket refilled at PerSecond requests a second that
// holds at most Burst. IPv6 clients are counted per /64 network, which is
// what one host usually holds.
type RateLimit struct {
	// PerSecond is the sustained rate; 0 means 20, a negative value turns
	// the limit off.
	PerSecond float64
	// Burst is how many requests a client may make at once; 0 means 5×
	// PerSecond (at least 1).
	Burst int
	// MaxClients bounds how many addresses are tracked; 0 means 10,000.
	// When full, the least recently seen address is forgotten (its next
	// request starts with a full bucket).
	MaxClients int
	// ClientHeader, when set, names a header that a trusted reverse proxy
	// sets to the client's address (e.g. X-Real-IP or X-Forwarded-For,
	// whose last entry is used). Leave it empty when clients connect
	// directly: they could otherwise claim any address.
	ClientHeader string
}

// Defaults of RateLimit.
const (
	defaultPerSecond  = 20
	defaultMaxClients = 10_000
)

// errTooManyRequests answers a client over its rate limit.
var errTooManyRequests = errors.New("too many requests")

// ipLimiter keeps one token bucket per client address, at most max of them,
// in least-recently-used order.
type ipLimiter struct {
	limit  rate.Limit
	burst  int
	max    int
	header string
	now    func() time.Time

	mu    sync.Mutex
	order *list.List // of *ipBucket, most recently seen first
	byKey map[string]*list.Element
}

type ipBucket struct {
	key string
	lim *rate.Limiter
}

// newIPLimiter returns the limiter cfg describes, or nil when the limit is
// off.
func newIPLimiter(cfg RateLimit, now func() time.Time) *ipLimiter {
	if cfg.PerSecond < 0 {
		return nil
	}
	if cfg.PerSecond == 0 {
		cfg.PerSecond = defaultPerSecond
	}
	if cfg.Burst <= 0 {
		cfg.Burst = max(1, int(math.Ceil(5*cfg.PerSecond)))
	}
	if cfg.MaxClients <= 0 {
		cfg.MaxClients = defaultMaxClients
	}
	return &ipLimiter{
		limit: rate.Limit(cfg.PerSecond), burst: cfg.Burst, max: cfg.MaxClients,
		header: cfg.ClientHeader, now: now,
		order: list.New(), byKey: map[string]*list.Element{},
	}
}

// allow takes a token from the bucket of key. When there is none it returns
// false and how long until there will be.
func (l *ipLimiter) allow(key string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.byKey[key]
	if ok {
		l.order.MoveToFront(el)
	} else {
		if l.order.Len() >= l.max {
			oldest := l.order.Back()
			l.order.Remove(oldest)
			delete(l.byKey, oldest.Value.(*ipBucket).key)
		}
		el = l.order.PushFront(&ipBucket{key: key, lim: rate.NewLimiter(l.limit, l.burst)})
		l.byKey[key] = el
	}
	lim := el.Value.(*ipBucket).lim
	if lim.AllowN(now, 1) {
		return true, 0
	}
	res := lim.ReserveN(now, 1)
	wait := res.DelayFrom(now)
	res.CancelAt(now)
	return false, wait
}

// tracked returns how many addresses the limiter holds, for tests.
func (l *ipLimiter) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

// clientKey names the client of r for the limiter: its IPv4 address or the
// /64 network of its IPv6 address.
func (l *ipLimiter) clientKey(r *http.Request) string {
	raw := ""
	if l.header != "" {
		v := r.Header.Get(l.header)
		if i := strings.LastIndexByte(v, ','); i >= 0 {
			v = v[i+1:]
		}
		raw = strings.TrimSpace(v)
	}
	addr, err := netip.ParseAddr(raw)
	if err != nil {
		host, _, splitErr := net.SplitHostPort(r.RemoteAddr)
		if splitErr != nil {
			host = r.RemoteAddr
		}
		if addr, err = netip.ParseAddr(host); err != nil {
			return host
		}
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, err := addr.Prefix(64)
		if err == nil {
			return p.String()
		}
	}
	return addr.String()
}

// withRateLimit answers 429 Too Many Requests, with Retry-After and a JSON
// error, to a client over its limit; /healthz is not limited, so that probes
// from a shared address keep working.
func (h *handler) withRateLimit(l *ipLimiter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		if l == nil {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/healthz" {
				next.ServeHTTP(w, r)
				return
			}
			ok, wait := l.allow(l.clientKey(r))
			if ok {
				next.ServeHTTP(w, r)
				return
			}
			secs := max(1, int(math.Ceil(wait.Seconds())))
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			w.Header().Set("Cache-Control", cacheNoStore)
			h.api(func(http.ResponseWriter, *http.Request) error {
				return fmt.Errorf("%w: at most %g a second from one address; retry in %d s", errTooManyRequests, float64(l.limit), secs)
			}).ServeHTTP(w, r)
		})
	}
}
