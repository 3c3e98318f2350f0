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
// no --allow-net range lists it.
var ErrBlockedAddress = errors.New("address not allowed")

// blocked are the ranges never fetched unless allowed: loopback, private,
// carrier-grade NAT, link-local (with the cloud metadata address
// 169.254.169.254), multicast, unspecified, documentation, benchmarking
// and reserved ranges, and their IPv6 counterparts.
var blocked = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local or cloud metadata"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local-use NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
	{netip.MustParsePrefix("fc00::/7"), "private (unique local)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// ParseAllowNets reads a comma-separated list of CIDR ranges, as
// --allow-net and TESTIGO_ALLOW_NET give it. An empty string allows nothing.
func ParseAllowNets(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			if a, aerr := netip.ParseAddr(part); aerr == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			} else {
				return nil, fmt.Errorf("--allow-net: %q is not a CIDR range such as 127.0.0.0/8", part)
			}
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// guard decides which IP addresses may be dialled.
type guard struct {
	allow []netip.Prefix
}

// check returns nil if ip may be dialled, else an error wrapping
// ErrBlockedAddress that says why.
func (g guard) check(ip netip.Addr) error {
	ip = ip.Unmap() // ::ffff:127.0.0.1 is 127.0.0.1
	for _, p := range g.allow {
		if p.Contains(ip) {
			return nil
		}
	}
	for _, b := range blocked {
		if b.prefix.Contains(ip) {
			return fmt.Errorf("%w: refused to connect to %s (%s address); allow it with --allow-net", ErrBlockedAddress, ip, b.why)
		}
	}
	return nil
}

// control runs for every socket the dialer opens, after DNS resolution and
// for each redirect hop, so that no name or redirect can lead a fetch to a
// refused address.
func (g guard) control(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("%w: bad address %q", ErrBlockedAddress, address)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %q is not an IP address", ErrBlockedAddress, host)
	}
	return g.check(ip)
}

// dialer returns a dialer whose every connection passes the guard.
func (g guard) dialer(timeout func() *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := timeout()
		d.Control = g.control
		return d.DialContext(ctx, network, addr)
	}
}
