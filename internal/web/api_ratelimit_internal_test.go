package web

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"
)

// limiterClock is a settable clock for the limiter.
type limiterClock struct{ t time.Time }

func (c *limiterClock) now() time.Time { return c.t }

func TestIPLimiterBucket(t *testing.T) {
	clk := &limiterClock{t: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)}
	l := newIPLimiter(RateLimit{PerSecond: 2, Burst: 3}, clk.now)
	for i := range 3 {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d of a burst of 3 refused", i+1)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("4th request: allowed %v, wait %v; want refused, wait 500ms", ok, wait)
	}
	if ok, _ := l.allow("b"); !ok {
		t.Errorf("another client was refused: buckets are shared")
	}
	clk.t = clk.t.Add(499 * time.Millisecond)
	if ok, _ := l.allow("a"); ok {
		t.Errorf("allowed before the bucket refilled")
	}
	clk.t = clk.t.Add(time.Millisecond)
	if ok, _ := l.allow("a"); !ok {
		t.Errorf("refused after the bucket refilled one token")
	}
}

func TestIPLimiterEvictsLeastRecent(t *testing.T) {
	clk := &limiterClock{t: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)}
	l := newIPLimiter(RateLimit{PerSecond: 1, Burst: 1, MaxClients: 3}, clk.now)
	for _, k := range []string{"a", "b", "c"} {
		l.allow(k) // each bucket now empty
	}
	l.allow("a") // a is the most recently seen again
	l.allow("d") // evicts b, the least recently seen
	if n := l.tracked(); n != 3 {
		t.Fatalf("tracking %d clients, want at most 3", n)
	}
	if ok, _ := l.allow("a"); ok {
		t.Errorf("a was forgotten although recently seen")
	}
	if ok, _ := l.allow("b"); !ok {
		t.Errorf("b still refused: it should have been evicted and start full")
	}
	for i := range 1000 {
		l.allow(fmt.Sprint("x", i))
	}
	if n := l.tracked(); n != 3 {
		t.Errorf("tracking %d clients after 1000 addresses, want 3", n)
	}
}

func TestIPLimiterDefaults(t *testing.T) {
	if l := newIPLimiter(RateLimit{PerSecond: -1}, time.Now); l != nil {
		t.Errorf("a negative rate should turn the limit off")
	}
	l := newIPLimiter(RateLimit{}, time.Now)
	if l == nil || l.limit != defaultPerSecond || l.burst != 5*defaultPerSecond || l.max != defaultMaxClients {
		t.Errorf("zero RateLimit gave %+v", l)
	}
}

func TestClientKey(t *testing.T) {
	direct := newIPLimiter(RateLimit{}, time.Now)
	proxied := newIPLimiter(RateLimit{ClientHeader: "X-Forwarded-For"}, time.Now)
	for _, tc := range []struct {
		name   string
		l      *ipLimiter
		remote string
		header string
		want   string
	}{
		{"ipv4", direct, "192.0.2.7:5123", "", "192.0.2.7"},
		{"ipv6 by /64", direct, "[2001:db8:1:2:aaaa::1]:443", "", "2001:db8:1:2::/64"},
		{"ipv6 neighbour", direct, "[2001:db8:1:2:ffff::9]:443", "", "2001:db8:1:2::/64"},
		{"mapped ipv4", direct, "[::ffff:192.0.2.7]:1", "", "192.0.2.7"},
		{"header ignored when not trusted", direct, "192.0.2.7:1", "198.51.100.1", "192.0.2.7"},
		{"last forwarded entry", proxied, "10.0.0.1:1", "203.0.113.9, 198.51.100.1", "198.51.100.1"},
		{"bad header falls back", proxied, "10.0.0.1:1", "unknown", "10.0.0.1"},
		{"no header falls back", proxied, "10.0.0.1:1", "", "10.0.0.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/v1/incidents", nil)
			r.RemoteAddr = tc.remote
			if tc.header != "" {
				r.Header.Set("X-Forwarded-For", tc.header)
			}
			if got := tc.l.clientKey(r); got != tc.want {
				t.Errorf("clientKey = %q, want %q", got, tc.want)
			}
		})
	}
}

// BenchmarkIPLimiterAllow measures one decision with the limiter full and
// every request from a new address, the case that evicts each time.
func BenchmarkIPLimiterAllow(b *testing.B) {
	l := newIPLimiter(RateLimit{MaxClients: 10_000}, time.Now)
	keys := make([]string, 50_000)
	for i := range keys {
		keys[i] = fmt.Sprintf("198.51.%d.%d", i/256, i%256)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		l.allow(keys[i%len(keys)])
	}
}
