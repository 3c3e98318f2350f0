package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrBlockedAddress reports a connection refused because the address it
// would reach is not public (loopback, private, link-local, metadata…) and
// no --allow-net range lists it. Errors wrapping it are *BlockedError.
var ErrBlockedAddress = errors.New("address not allowed")

// BlockedError is a refused connection: which host, which of its
// addresses, and why that address is refused.
type BlockedError struct {
	Host   string     // the name or address being dialled
	IP     netip.Addr // the refused address it resolved to
	Reason string     // "private", "loopback", "cloud metadata"…
}

func (e *BlockedError) Error() string {
	if e.Host == "" || e.Host == e.IP.String() {
		return fmt.Sprintf("refused to connect to %s (%s address); allow it with --allow-net", e.IP, e.Reason)
	}
	return fmt.Sprintf("refused to connect to %s at %s (%s address); allow it with --allow-net", e.Host, e.IP, e.Reason)
}

// Is makes errors.Is(err, ErrBlockedAddress) true.
func (e *BlockedError) Is(target error) bool { return target == ErrBlockedAddress }

// blocked are the ranges never fetched unless allowed: loopback, private,
// carrier-grade NAT, link-local, multicast, unspecified, documentation,
// benchmarking and reserved ranges, and their IPv6 counterparts.
// IPv4-mapped addresses (::ffff:a.b.c.d) are checked as IPv4; NAT64,
// 6to4 and IPv4-compatible addresses also by the IPv4 address they embed.
var blocked = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved or broadcast"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("::/96"), "IPv4-compatible"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001::/32"), "Teredo tunnel"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fc00::/7"), "private (unique local)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// metadata are the cloud instance-metadata addresses. They stay refused
// even inside an allowed range: only an allow entry naming exactly the
// address (169.254.169.254/32) lets a fetch reach one.
var metadata = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), // AWS, GCP, Azure, OpenStack…
	netip.MustParseAddr("169.254.170.2"),   // AWS ECS task metadata
	netip.MustParseAddr("100.100.100.200"), // Alibaba Cloud
	netip.MustParseAddr("fd00:ec2::254"),   // AWS over IPv6
}

// nat64 and sixToFour are the IPv6 ranges that carry an IPv4 address the
// traffic ends up reaching: NAT64 in the low 32 bits, 6to4 in bits 16–47.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// ParseAllowNets reads a comma-separated list of CIDR ranges, as
// --allow-net and TESTIGO_ALLOW_NET give it; a bare address counts as a
// one-address range. An empty string allows nothing.
func ParseAllowNets(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return nil, fmt.Errorf("--allow-net: %q is not a CIDR range such as 127.0.0.0/8", part)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Is4In6() {
			if p.Bits() < 96 {
				return nil, fmt.Errorf("--allow-net: %q is wider than the IPv4-mapped range; write the IPv4 range itself", part)
			}
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// guard decides which IP addresses may be dialled, and dials them.
type guard struct {
	allow   []netip.Prefix
	stagger time.Duration // Happy Eyeballs delay before trying the next address
	// lookup and dial replace the resolver and the dialler in tests.
	lookup func(ctx context.Context, network, host string) ([]netip.Addr, error)
	dial   func(ctx context.Context, network, addr string) (net.Conn, error)
}

// check returns nil if ip may be dialled for host, else a *BlockedError.
func (g *guard) check(host string, ip netip.Addr) error {
	ip = ip.Unmap().WithZone("") // ::ffff:127.0.0.1 is 127.0.0.1
	if why := g.refused(ip); why != "" {
		return &BlockedError{Host: host, IP: ip, Reason: why}
	}
	return nil
}

// refused says why ip is refused, or "" if it may be dialled.
func (g *guard) refused(ip netip.Addr) string {
	for _, m := range metadata {
		if ip == m {
			for _, p := range g.allow {
				if p.IsSingleIP() && p.Addr() == ip {
					return ""
				}
			}
			return "cloud metadata"
		}
	}
	for _, p := range g.allow {
		if p.Contains(ip) {
			return ""
		}
	}
	for _, b := range blocked {
		if b.prefix.Contains(ip) {
			return b.why
		}
	}
	// A public IPv6 form of a refused IPv4 address reaches that address
	// through a translator or tunnel.
	if v4, kind := embeddedIPv4(ip); v4.IsValid() {
		if why := (&guard{}).refused(v4); why != "" {
			return kind + "-embedded " + why
		}
	}
	return ""
}

// embeddedIPv4 returns the IPv4 address a NAT64 or 6to4 address carries.
func embeddedIPv4(ip netip.Addr) (netip.Addr, string) {
	b := ip.As16()
	switch {
	case !ip.Is6():
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte(b[12:16])), "NAT64"
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte(b[2:6])), "6to4"
	}
	return netip.Addr{}, ""
}

// dialContext resolves addr's host itself, refuses the whole name if any
// of its addresses is refused (so that a name cannot mix a public address
// with a private one and win a race), and dials the checked addresses by
// IP, so that nothing resolves the name again between the check and the
// connection. It runs for every connection, each redirect hop included.
func (g *guard) dialContext(newDialer func() *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("dial %q: %w", addr, err)
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else {
			lookup := net.DefaultResolver.LookupNetIP
			if g.lookup != nil {
				lookup = g.lookup
			}
			if ips, err = lookup(ctx, ipNetwork(network), host); err != nil {
				return nil, err
			}
			if len(ips) == 0 {
				return nil, fmt.Errorf("lookup %s: no address", host)
			}
		}
		for _, ip := range ips {
			if err := g.check(host, ip); err != nil {
				return nil, err
			}
		}
		dial := g.dial
		if dial == nil {
			d := newDialer()
			d.Control = g.control
			dial = d.DialContext
		}
		addrs := make([]string, 0, len(ips))
		for _, ip := range interleave(ips) {
			addrs = append(addrs, net.JoinHostPort(ip.Unmap().WithZone("").String(), port))
		}
		return raceDial(ctx, dial, network, addrs, g.stagger)
	}
}

// interleave orders addresses as RFC 8305 asks: the resolver's first
// family first, then alternating families in the resolver's order.
func interleave(ips []netip.Addr) []netip.Addr {
	var first, other []netip.Addr
	for _, ip := range ips {
		if ip.Unmap().Is4() == ips[0].Unmap().Is4() {
			first = append(first, ip)
		} else {
			other = append(other, ip)
		}
	}
	out := make([]netip.Addr, 0, len(ips))
	for i := 0; i < len(first) || i < len(other); i++ {
		if i < len(first) {
			out = append(out, first[i])
		}
		if i < len(other) {
			out = append(out, other[i])
		}
	}
	return out
}

// raceDial dials addrs in order, starting the next one as soon as the
// previous fails or after stagger without an answer (Happy Eyeballs), so
// that one dead address costs a fraction of a second, not the dial
// timeout. The first connection wins; the other attempts are cancelled
// and any connection they still make is closed before raceDial returns.
func raceDial(ctx context.Context, dial func(context.Context, string, string) (net.Conn, error), network string, addrs []string, stagger time.Duration) (net.Conn, error) {
	ctx, cancel := context.WithCancel(ctx)
	type result struct {
		c   net.Conn
		err error
	}
	results := make(chan result, len(addrs))
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
		close(results)
		for r := range results {
			if r.c != nil {
				r.c.Close()
			}
		}
	}()
	timer := time.NewTimer(stagger)
	defer timer.Stop()
	next, pending := 0, 0
	startNext := func() {
		if next == len(addrs) {
			return
		}
		a := addrs[next]
		next, pending = next+1, pending+1
		wg.Go(func() {
			c, err := dial(ctx, network, a)
			results <- result{c, err}
		})
		timer.Reset(stagger)
	}
	startNext()
	var first error
	for pending > 0 {
		select {
		case r := <-results:
			pending--
			if r.err == nil {
				return r.c, nil
			}
			if first == nil {
				first = r.err
			}
			startNext()
		case <-timer.C:
			startNext()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, first
}

func ipNetwork(network string) string {
	switch network {
	case "tcp4":
		return "ip4"
	case "tcp6":
		return "ip6"
	}
	return "ip"
}

// control runs on every socket before it connects: a second check of the
// address actually dialled, in case a connection ever bypasses
// dialContext's resolution.
func (g *guard) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: bad address %q", ErrBlockedAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %q is not an IP address", ErrBlockedAddress, host)
	}
	return g.check("", ip)
}
