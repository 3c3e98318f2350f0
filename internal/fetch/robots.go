package fetch

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsMaxBytes is how much of a robots.txt is read; RFC 9309 asks
// crawlers to parse at least 500 KiB.
const robotsMaxBytes = 512 << 10

// robotsCache keeps each origin's robots.txt for Config.RobotsTTL. One
// fetch of a given robots.txt is in flight at a time; other callers wait
// for it.
type robotsCache struct {
	f  *Fetcher
	mu sync.Mutex
	m  map[string]*robotsEntry // by scheme://host[:port]
}

type robotsEntry struct {
	ready chan struct{} // closed once loaded; the fields below are then fixed
	// aborted: the loader's context ended before an answer; the entry was
	// dropped and the next caller loads again.
	aborted     bool
	expires     time.Time
	data        *robotstxt.RobotsData // nil: everything allowed
	unavailable bool                  // 5xx or unreachable: everything disallowed until expires
	cause       string                // why it is unavailable
}

func newRobotsCache(f *Fetcher) *robotsCache { return &robotsCache{f: f, m: map[string]*robotsEntry{}} }

// allowed reports whether the fetcher's user agent may fetch u, with the
// Crawl-delay robots.txt asks of it. An unavailable robots.txt gives an
// error wrapping ErrRobots.
func (c *robotsCache) allowed(ctx context.Context, u *url.URL) (bool, time.Duration, error) {
	key := u.Scheme + "://" + u.Host
	for {
		e, loader := c.entry(key)
		if loader {
			c.load(ctx, key, e)
			if e.aborted {
				c.drop(key, e)
				close(e.ready)
				return false, 0, ctx.Err()
			}
			close(e.ready)
		} else {
			select {
			case <-e.ready:
			case <-ctx.Done():
				return false, 0, ctx.Err()
			}
			if e.aborted {
				continue // its loader gave up; load it ourselves
			}
		}
		switch {
		case e.unavailable:
			return false, 0, &robotsUnavailable{url: key + "/robots.txt", cause: e.cause, until: e.expires}
		case e.data == nil:
			return true, 0, nil
		}
		g := e.data.FindGroup(c.f.cfg.UserAgent)
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		if u.RawQuery != "" {
			path += "?" + u.RawQuery
		}
		return g.Test(path), g.CrawlDelay, nil
	}
}

// entry returns key's entry, creating a fresh one when there is none or
// the stored one expired; loader reports that the caller must load it.
func (c *robotsCache) entry(key string) (e *robotsEntry, loader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if ok {
		select {
		case <-e.ready:
			if c.f.cfg.Now().Before(e.expires) {
				return e, false
			}
		default:
			return e, false // being loaded
		}
	}
	e = &robotsEntry{ready: make(chan struct{})}
	c.m[key] = e
	return e, true
}

func (c *robotsCache) drop(key string, e *robotsEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[key] == e {
		delete(c.m, key)
	}
}

// load fetches robots.txt as RFC 9309 says: 2xx is parsed (its first
// 512 KiB), 4xx means everything is allowed, 5xx or no answer disallows
// everything for a while. Redirects are followed like any fetch's.
func (c *robotsCache) load(ctx context.Context, key string, e *robotsEntry) {
	cfg := &c.f.cfg
	h := c.f.hosts.get(hostOf(key))
	// robots.txt's own redirects are not checked against robots.txt: two
	// origins redirecting to each other would wait on each other.
	ctx = context.WithValue(ctx, robotsCheck{}, nil)
	resp, err := c.f.once(ctx, h, key+"/robots.txt", Conditional{}, robotsMaxBytes, false)
	e.expires = cfg.Now().Add(cfg.RobotsTTL)
	var se *StatusError
	switch {
	case ctx.Err() != nil:
		e.aborted = true
	case err == nil, errors.Is(err, ErrTooLarge) && resp != nil:
		if resp.NotModified {
			return
		}
		data, perr := robotstxt.FromStatusAndBytes(resp.Status, resp.Body)
		if perr == nil {
			e.data = data
		}
	case errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != 429:
		// No robots.txt: everything is allowed.
	case errors.Is(err, ErrBlockedAddress):
		// The page fetch will be refused with the clearer error.
		e.expires = cfg.Now()
	default:
		e.unavailable, e.cause = true, err.Error()
		e.expires = cfg.Now().Add(cfg.RobotsRetry)
	}
}

func hostOf(key string) string {
	u, err := url.Parse(key)
	if err != nil {
		return key
	}
	return u.Host
}
