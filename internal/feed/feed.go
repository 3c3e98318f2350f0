// Package feed reads the items a watched source lists: the entries of an
// RSS, Atom or JSON feed (through github.com/mmcdole/gofeed), the URLs of an
// XML sitemap or sitemap index (news sitemaps included), and the article
// links of a press-release page. It is pure: bytes in, items out, no
// network.
//
// Every item gets an absolute http(s) link (fragment and campaign-tracking
// parameters such as utm_* dropped) and a stable key (Item.Key); a second
// entry with a GUID or link already seen in the same listing is dropped,
// and an item that cannot be used is reported on its own line in
// Listing.Problems without failing the others. Errors are one line; a body
// that is not a feed at all wraps ErrNotFeed. Titles, summaries and
// contents are plain text (HTML removed, entities decoded); charsets are
// decoded whatever the body declares.
//
// Use, with a body fetched by internal/fetch:
//
//	l, err := feed.Parse(r.Body, r.FinalURL, r.Header.Get("Content-Type")) // kind feed
//	l, err := feed.ParseSitemap(r.Body, r.FinalURL)                        // kind sitemap; l.Index: items are child sitemaps
//	l, err := feed.Links(r.Body, r.FinalURL)                               // kind page
//	for _, it := range l.Items { seen[it.Key()] … it.Link, it.Title, it.Published (zero if none) }
//	for _, p := range l.Problems { log each }
//
// When err wraps ErrNotFeed because an HTML page was served as a feed, l is
// not nil and l.Alternates lists the feeds the page advertises.
package feed

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/text/language"
)

// Item is one entry of a source.
type Item struct {
	GUID      string    `json:"guid,omitempty"`
	Link      string    `json:"link"` // absolute http(s), without fragment
	Title     string    `json:"title,omitempty"`
	Summary   string    `json:"summary,omitempty"`  // the entry's description as plain text
	Content   string    `json:"content,omitempty"`  // the entry's full content as plain text, when the feed carries it
	Published time.Time `json:"published,omitzero"` // zero when the source gives no date
	Lang      string    `json:"lang,omitempty"`     // BCP 47 tag (es, es-MX) from the item or its feed, "" if unknown
}

// Key is the item's stable identity within its source: its GUID, or its
// link when it has none. The watcher stores it to capture each item once.
func (it Item) Key() string {
	if it.GUID != "" {
		return it.GUID
	}
	return it.Link
}

// Listing is what a source lists.
type Listing struct {
	Title    string   `json:"title,omitempty"`
	Link     string   `json:"link,omitempty"` // the site the feed is about, absolute
	Lang     string   `json:"lang,omitempty"` // the feed's declared language
	Items    []Item   `json:"items"`
	Problems []string `json:"problems,omitempty"` // one line per entry skipped
	// Index is true for a sitemap index: its items are child sitemaps to
	// read with ParseSitemap, not pages.
	Index bool `json:"index,omitempty"`
	// Alternates are feed URLs an HTML page advertises, when an HTML page
	// was given as a feed.
	Alternates []string `json:"alternates,omitempty"`
}

// ErrNotFeed reports a body that is not a feed (an HTML page, JSON that is
// not JSON Feed, plain text).
var ErrNotFeed = errors.New("not a feed")

// Parse reads a feed body fetched from baseURL (the final URL, after
// redirects). contentType is the response's Content-Type, whose charset is
// used when the body is not valid UTF-8; a body whose declared charset
// lies is decoded all the same. Relative links are resolved against the
// feed's own link, else baseURL.
func Parse(body []byte, baseURL, contentType string) (*Listing, error) {
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	body = toUTF8(body, contentType)
	if looksHTML(body) {
		l := &Listing{Alternates: alternates(body, base)}
		msg := "looks like an HTML page"
		if len(l.Alternates) > 0 {
			msg += "; it advertises the feed " + l.Alternates[0]
		}
		return l, fmt.Errorf("%w: %s", ErrNotFeed, msg)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			if head := body[:min(len(body), 1024)]; bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex")) {
				return nil, fmt.Errorf("%w: looks like an XML sitemap (a source of kind sitemap)", ErrNotFeed)
			}
			return nil, fmt.Errorf("%w: no RSS, Atom or JSON Feed found", ErrNotFeed)
		}
		return nil, fmt.Errorf("malformed feed: %s", oneLine(err.Error()))
	}
	if f.FeedType == "json" && !bytes.Contains(body, []byte("jsonfeed.org/version")) {
		return nil, fmt.Errorf("%w: JSON without a JSON Feed version", ErrNotFeed)
	}
	l := &Listing{Title: clean(htmlText(f.Title)), Lang: langTag(f.Language)}
	if l.Lang == "" && f.DublinCoreExt != nil && len(f.DublinCoreExt.Language) > 0 {
		l.Lang = langTag(f.DublinCoreExt.Language[0])
	}
	feedBase := base
	if f.Link != "" {
		if u, err := base.Parse(strings.TrimSpace(f.Link)); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			feedBase = u
			l.Link = u.String()
		}
	}
	seen := map[string]bool{}
	for i, e := range f.Items {
		if e == nil {
			continue
		}
		it, problem := item(e, feedBase, l.Lang)
		if problem != "" {
			l.Problems = append(l.Problems, fmt.Sprintf("item %d (%q): %s", i+1, clip(it.Title), problem))
			continue
		}
		if seen["k "+it.Key()] || seen["l "+it.Link] {
			continue // the same entry twice in one feed
		}
		seen["k "+it.Key()], seen["l "+it.Link] = true, true
		l.Items = append(l.Items, it)
	}
	return l, nil
}

// item converts one gofeed item; problem says why it cannot be used.
func item(e *gofeed.Item, base *url.URL, feedLang string) (it Item, problem string) {
	it = Item{GUID: strings.TrimSpace(e.GUID), Title: clean(htmlText(e.Title)), Summary: htmlText(e.Description),
		Content: htmlText(e.Content), Lang: feedLang}
	if it.Summary == it.Content {
		it.Summary = ""
	}
	if e.DublinCoreExt != nil && len(e.DublinCoreExt.Language) > 0 {
		if t := langTag(e.DublinCoreExt.Language[0]); t != "" {
			it.Lang = t
		}
	}
	link := strings.TrimSpace(e.Link)
	for _, alt := range e.Links {
		if link != "" {
			break
		}
		link = strings.TrimSpace(alt)
	}
	if link == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
		link = it.GUID
	}
	if link == "" {
		if it.GUID == "" {
			return it, "no link and no GUID"
		}
		return it, "no link"
	}
	abs, err := resolve(base, link)
	if err != nil {
		return it, err.Error()
	}
	it.Link = abs
	switch {
	case e.PublishedParsed != nil:
		it.Published = e.PublishedParsed.UTC()
	case e.UpdatedParsed != nil:
		it.Published = e.UpdatedParsed.UTC()
	}
	return it, ""
}

// langTag normalises a language tag ("es-mx" → "es-MX"), or returns "".
func langTag(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	t, err := language.Parse(s)
	if err != nil {
		return ""
	}
	return t.String()
}

// parseBase reads the URL a body came from.
func parseBase(baseURL string) (*url.URL, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("base URL %q is not an absolute http(s) URL", baseURL)
	}
	return u, nil
}

// resolve makes link absolute against base and accepts only http(s).
func resolve(base *url.URL, link string) (string, error) {
	u, err := base.Parse(strings.TrimSpace(link))
	if err != nil {
		return "", fmt.Errorf("bad link %q", clip(link))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("link %q is not http(s)", clip(link))
	}
	if u.Host == "" {
		return "", fmt.Errorf("link %q has no host", clip(link))
	}
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = dropTrackers(u.RawQuery)
	return u.String(), nil
}

// dropTrackers removes campaign-tracking parameters (utm_*, fbclid…) from
// a query, keeping the others in their order, so that one article keeps
// one link however the feed tags it.
func dropTrackers(rawQuery string) string {
	if rawQuery == "" {
		return ""
	}
	var kept []string
	for part := range strings.SplitSeq(rawQuery, "&") {
		name, _, _ := strings.Cut(part, "=")
		name = strings.ToLower(name)
		if strings.HasPrefix(name, "utm_") || trackers[name] {
			continue
		}
		kept = append(kept, part)
	}
	return strings.Join(kept, "&")
}

// trackers are query parameters that only track who clicked where.
var trackers = map[string]bool{"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "mc_cid": true, "mc_eid": true,
	"_ga": true, "_gl": true, "yclid": true, "igshid": true, "ocid": true, "cmpid": true, "ncid": true}

func oneLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// clean collapses runs of white space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
