package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestGuardOnEveryHop starts a server on 127.0.0.1 (allowed) that
// redirects to addresses 127.0.0.0/8 does not cover: the refusal can only
// come from the check at dial time of the second hop.
func TestGuardOnEveryHop(t *testing.T) {
	var secret atomic.Int32
	var v6 *httptest.Server
	if l6, err := net.Listen("tcp", "[::1]:0"); err == nil {
		v6 = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			secret.Add(1)
			io.WriteString(w, "secret")
		}))
		v6.Listener = l6
		v6.Start()
		defer v6.Close()
	}
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-v6":
			http.Redirect(w, r, v6.URL+"/", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/to-private":
			http.Redirect(w, r, "http://10.0.0.5/admin", http.StatusFound)
		case "/to-mapped":
			http.Redirect(w, r, "http://[::ffff:169.254.169.254]/", http.StatusFound)
		default:
			io.WriteString(w, "ok")
		}
	})
	f := New(fast()) // allows 127.0.0.0/8 only
	if _, err := f.Get(t.Context(), s.URL+"/", Conditional{}); err != nil {
		t.Fatalf("the allowed first hop: %v", err)
	}
	cases := map[string][]string{
		"/to-metadata": {"redirected to http://169.254.169.254/latest/meta-data/: refused to connect to 169.254.169.254 (cloud metadata address); allow it with --allow-net"},
		"/to-private":  {"refused to connect to 10.0.0.5 (private address)"},
		"/to-mapped":   {"refused to connect to ::ffff:169.254.169.254 at 169.254.169.254 (cloud metadata address)"},
	}
	if v6 != nil {
		cases["/to-v6"] = []string{"refused to connect to ::1 (loopback address)"}
	} else {
		t.Log("no IPv6 loopback here: the [::1] hop is not tried")
	}
	for p, want := range cases {
		_, err := f.Get(t.Context(), s.URL+p, Conditional{})
		if !errors.Is(err, ErrBlockedAddress) || Outcome(err) != "blocked" || !Permanent(err) {
			t.Errorf("redirect %s: %v, want a refused address", p, err)
			continue
		}
		var be *BlockedError
		if !errors.As(err, &be) || !be.IP.IsValid() {
			t.Errorf("redirect %s: %v is not a *BlockedError", p, err)
		}
		oneLine(t, err, append(want, "fetch "+s.URL+p+": ")...)
	}
	if secret.Load() != 0 {
		t.Error("the [::1] server was reached")
	}
}

func TestGuardDefaults(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	// Without --allow-net, loopback itself is refused, by address and by name.
	f := New(Config{})
	_, err := f.Get(t.Context(), s.URL+"/", Conditional{})
	oneLine(t, err, "fetch "+s.URL+"/: refused to connect to 127.0.0.1 (loopback address); allow it with --allow-net")
	byName := strings.Replace(s.URL, "127.0.0.1", "localhost", 1) + "/"
	_, err = f.Get(t.Context(), byName, Conditional{})
	oneLine(t, err, "refused to connect to localhost at ", "(loopback address)")
	if !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("%s: %v", byName, err)
	}
	// The plain client a person's URLs go through has the same guard.
	_, err = f.Client().Get(s.URL + "/")
	if !errors.Is(err, ErrBlockedAddress) {
		t.Errorf("Client().Get: %v, want ErrBlockedAddress", err)
	}
}

func TestGuardCheck(t *testing.T) {
	for _, c := range []struct {
		allow string
		ip    string
		why   string // "" for allowed
	}{
		{"", "8.8.8.8", ""},
		{"", "2001:4860:4860::8888", ""},
		{"", "127.0.0.1", "loopback"},
		{"", "10.1.2.3", "private"},
		{"", "172.31.255.255", "private"},
		{"", "192.168.1.1", "private"},
		{"", "100.64.0.1", "carrier-grade NAT"},
		{"", "0.0.0.0", "unspecified"},
		{"", "0.1.2.3", "unspecified"},
		{"", "169.254.1.1", "link-local"},
		{"", "169.254.169.254", "cloud metadata"},
		{"", "224.0.0.1", "multicast"},
		{"", "255.255.255.255", "reserved or broadcast"},
		{"", "::", "unspecified"},
		{"", "::1", "loopback"},
		{"", "::ffff:127.0.0.1", "loopback"},
		{"", "::ffff:10.0.0.1", "private"},
		{"", "::127.0.0.1", "IPv4-compatible"},
		{"", "fd00::1", "private (unique local)"},
		{"", "fd00:ec2::254", "cloud metadata"},
		{"", "fe80::1%eth0", "link-local"},
		{"", "ff02::1", "multicast"},
		{"", "64:ff9b::7f00:1", "NAT64-embedded loopback"},
		{"", "64:ff9b::a9fe:a9fe", "NAT64-embedded cloud metadata"},
		{"", "64:ff9b::808:808", ""},
		{"", "2002:c0a8:0101::1", "6to4-embedded private"},
		{"", "2002:0808:0808::1", ""},
		{"", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo tunnel"},
		{"127.0.0.0/8", "127.0.0.1", ""},
		{"127.0.0.0/8", "::ffff:127.0.0.5", ""},
		{"127.0.0.0/8", "::1", "loopback"},
		{"127.0.0.0/8", "64:ff9b::7f00:1", "NAT64-embedded loopback"},
		{"10.0.0.0/8", "10.1.2.3", ""},
		{"10.0.0.0/8", "10.1.2.3", ""},
		{"10.0.0.0/8", "192.168.0.1", "private"},
		// The metadata address needs an entry of its own.
		{"169.254.0.0/16", "169.254.1.1", ""},
		{"169.254.0.0/16", "169.254.169.254", "cloud metadata"},
		{"0.0.0.0/0,::/0", "169.254.169.254", "cloud metadata"},
		{"0.0.0.0/0,::/0", "10.0.0.1", ""},
		{"169.254.169.254/32", "169.254.169.254", ""},
		{"169.254.169.254", "169.254.169.254", ""},
	} {
		nets, err := ParseAllowNets(c.allow)
		if err != nil {
			t.Fatal(err)
		}
		err = (&guard{allow: nets}).check("", netip.MustParseAddr(c.ip))
		got := ""
		var be *BlockedError
		if errors.As(err, &be) {
			got = be.Reason
		}
		if got != c.why || (err != nil) != (c.why != "") {
			t.Errorf("allow %q, check(%s) = %v; want reason %q", c.allow, c.ip, err, c.why)
		}
	}
}

func TestParseAllowNets(t *testing.T) {
	got, err := ParseAllowNets(" 127.0.0.0/8, ::1 ,10.1.2.3/8,::ffff:192.168.0.0/112")
	if err != nil || fmt.Sprint(got) != "[127.0.0.0/8 ::1/128 10.0.0.0/8 192.168.0.0/16]" {
		t.Errorf("ParseAllowNets = %v, %v", got, err)
	}
	for _, bad := range []string{"127.0.0.0/8,localnet", "10.0.0.0/33", "1.2.3", "::ffff:0:0/95"} {
		_, err := ParseAllowNets(bad)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "--allow-net: ") {
			t.Errorf("ParseAllowNets(%q) = %v", bad, err)
		}
	}
	if _, err := ParseAllowNets("127.0.0.0/8,localnet"); err == nil || !strings.Contains(err.Error(), `"localnet"`) {
		t.Errorf("bad range not named: %v", err)
	}
	if got, err := ParseAllowNets(""); err != nil || len(got) != 0 {
		t.Errorf("empty: %v, %v", got, err)
	}
}

// TestDialAddresses resolves a name to several addresses: a refused one
// refuses the name, a dead one costs a fallback, a silent one a short
// stagger, never the dial timeout.
func TestDialAddresses(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	u := "http://news.test:" + port + "/"
	newFetcher := func(addrs ...string) (*Fetcher, *atomic.Int32) {
		cfg := fast()
		cfg.IgnoreRobots, cfg.Retries, cfg.DialTimeout = true, -1, 5*time.Second
		f := New(cfg)
		f.guard.lookup = func(ctx context.Context, network, host string) ([]netip.Addr, error) {
			if host != "news.test" {
				return nil, fmt.Errorf("lookup %s: no such host", host)
			}
			var out []netip.Addr
			for _, a := range addrs {
				out = append(out, netip.MustParseAddr(a))
			}
			return out, nil
		}
		var dials atomic.Int32
		d := &net.Dialer{Timeout: cfg.DialTimeout, Control: f.guard.control}
		f.guard.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			if strings.HasPrefix(addr, "127.0.0.3:") { // a black hole: no answer at all
				<-ctx.Done()
				return nil, ctx.Err()
			}
			return d.DialContext(ctx, network, addr)
		}
		return f, &dials
	}

	// One refused address refuses the name, before any dial.
	f, dials := newFetcher("127.0.0.1", "10.0.0.7")
	_, err := f.Get(t.Context(), u, Conditional{})
	oneLine(t, err, "refused to connect to news.test at 10.0.0.7 (private address)")
	if dials.Load() != 0 {
		t.Errorf("%d dials for a refused name", dials.Load())
	}

	// 127.0.0.2 has nobody on the port: refused at once, the next is tried.
	f, dials = newFetcher("127.0.0.2", "127.0.0.1")
	if r, err := f.Get(t.Context(), u, Conditional{}); err != nil || string(r.Body) != "ok" || dials.Load() != 2 {
		t.Errorf("after a dead address: %v, %d dials", err, dials.Load())
	}

	// 127.0.0.3 never answers: the next address starts after the stagger.
	f, dials = newFetcher("127.0.0.3", "127.0.0.1")
	start := time.Now()
	if _, err := f.Get(t.Context(), u, Conditional{}); err != nil || dials.Load() != 2 {
		t.Errorf("after a silent address: %v, %d dials", err, dials.Load())
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a silent address cost %s", d)
	}

	// Every address dead: the first error.
	f, _ = newFetcher("127.0.0.2", "127.0.0.4")
	_, err = f.Get(t.Context(), u, Conditional{})
	oneLine(t, err, "127.0.0.2:"+port, "connection refused")
	if Outcome(err) != "network" {
		t.Errorf("all dead: outcome %q", Outcome(err))
	}
}

func TestInterleave(t *testing.T) {
	var in []netip.Addr
	for _, a := range []string{"2001:db8::1", "2001:db8::2", "192.0.2.1", "2001:db8::3", "192.0.2.2"} {
		in = append(in, netip.MustParseAddr(a))
	}
	if got := fmt.Sprint(interleave(in)); got != "[2001:db8::1 192.0.2.1 2001:db8::2 192.0.2.2 2001:db8::3]" {
		t.Errorf("interleave = %s", got)
	}
}

func FuzzParseAllowNets(f *testing.F) {
	f.Add("127.0.0.0/8,::1/128")
	f.Fuzz(func(t *testing.T, s string) {
		nets, err := ParseAllowNets(s)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") || !strings.HasPrefix(err.Error(), "--allow-net: ") {
				t.Fatalf("error %q", err)
			}
			return
		}
		var parts []string
		for _, p := range nets {
			if !p.IsValid() || p != p.Masked() || p.Addr().Is4In6() {
				t.Fatalf("ParseAllowNets(%q) gave %v", s, p)
			}
			parts = append(parts, p.String())
		}
		again, err := ParseAllowNets(strings.Join(parts, ","))
		if err != nil || fmt.Sprint(again) != fmt.Sprint(nets) {
			t.Fatalf("round trip of %v: %v, %v", nets, again, err)
		}
		// Whatever is allowed, the metadata address needs its own entry.
		g := &guard{allow: nets}
		if g.check("", netip.MustParseAddr("169.254.169.254")) == nil && !slices.Contains(nets, netip.MustParsePrefix("169.254.169.254/32")) {
			t.Fatalf("%q allows the metadata address", s)
		}
	})
}
