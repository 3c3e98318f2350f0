package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
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
			p = netip.PrefixFrom(p.Addr().Unmap(), max(0, p.Bits()-96))
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// guard decides which IP addresses may be dialled.
type guard struct {
	allow []netip.Prefix
}

// check returns nil if ip may be dialled for host, else a *BlockedError.
func (g guard) check(host string, ip netip.Addr) error {
	ip = ip.Unmap().WithZone("") // ::ffff:127.0.0.1 is 127.0.0.1
	if why := g.refused(ip); why != "" {
		return &BlockedError{Host: host, IP: ip, Reason: why}
	}
	return nil
}

// refused says why ip is refused, or "" if it may be dialled.
func (g guard) refused(ip netip.Addr) string {
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
		if why := (guard{}).refused(v4); why != "" {
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
// with a private one and win a race), and dials the checked addresses in
// turn by IP, so that nothing resolves the name again between the check
// and the connection. It runs for every connection, each redirect hop
// included.
func (g guard) dialContext(newDialer func() *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("dial %q: %w", addr, err)
		}
		var ips []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			ips = []netip.Addr{ip}
		} else {
			ips, err = net.DefaultResolver.LookupNetIP(ctx, ipNetwork(network), host)
			if err != nil {
				return nil, err
			}
		}
		for _, ip := range ips {
			if err := g.check(host, ip); err != nil {
				return nil, err
			}
		}
		d := newDialer()
		d.Control = g.control
		var first error
		for _, ip := range ips {
			c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
			if err == nil {
				return c, nil
			}
			if first == nil {
				first = err
			}
			if ctx.Err() != nil {
				break
			}
		}
		if first == nil {
			first = fmt.Errorf("dial %s: no address", host)
		}
		return nil, first
	}
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
func (g guard) control(_, address string, _ syscall.RawConn) error {
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
