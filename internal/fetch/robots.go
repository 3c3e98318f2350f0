package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsTTL is how long a host's robots.txt is kept before it is fetched
// again.
const robotsTTL = 6 * time.Hour

// robotsCache keeps each host's robots.txt.
type robotsCache struct {
	f  *Fetcher
	mu sync.Mutex
	m  map[string]*robotsEntry
}

type robotsEntry struct {
	until   time.Time // set at creation, never changed
	once    sync.Once
	data    *robotstxt.RobotsData
	blocked bool // the server failed (5xx): disallow everything until retryAt
	retryAt time.Time
}

func newRobotsCache(f *Fetcher) *robotsCache { return &robotsCache{f: f, m: map[string]*robotsEntry{}} }

// allowed reports whether agent may fetch u, and the host's Crawl-delay.
func (c *robotsCache) allowed(ctx context.Context, u *url.URL, agent string) (bool, time.Duration, error) {
	key := u.Scheme + "://" + u.Host
	c.mu.Lock()
	e, ok := c.m[key]
	if !ok || time.Now().After(e.until) {
		e = &robotsEntry{until: time.Now().Add(robotsTTL)}
		c.m[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { c.load(ctx, key, e) })
	if e.blocked {
		if time.Now().After(e.retryAt) {
			c.mu.Lock()
			if c.m[key] == e {
				delete(c.m, key) // ask again next time
			}
			c.mu.Unlock()
		}
		return false, 0, fmt.Errorf("%w: %s/robots.txt answered a server error; retrying later", ErrRobots, key)
	}
	if e.data == nil {
		return true, 0, nil
	}
	g := e.data.FindGroup(agent)
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return g.Test(path), g.CrawlDelay, nil
}

// load fetches robots.txt: 2xx is parsed, 4xx means everything is allowed,
// 5xx or no answer disallows everything for a while (as RFC 9309 says).
func (c *robotsCache) load(ctx context.Context, key string, e *robotsEntry) {
	h := c.f.hosts.get(mustHost(key))
	resp, err := c.f.once(ctx, h, key+"/robots.txt", Conditional{})
	var se *StatusError
	switch {
	case err == nil:
		data, perr := robotstxt.FromStatusAndBytes(resp.Status, resp.Body)
		if perr == nil {
			e.data = data
		}
	case errors.As(err, &se) && se.Code >= 400 && se.Code < 500:
		// No robots.txt: everything is allowed.
	case errors.Is(err, ErrBlockedAddress):
		// The page fetch will be refused with the clearer error.
	default:
		e.blocked = true
		e.retryAt = time.Now().Add(10 * time.Minute)
	}
}

func mustHost(key string) string {
	u, err := url.Parse(key)
	if err != nil {
		return key
	}
	return u.Host
}
