// Package feed reads the items a watched source lists: the entries of an
// RSS, Atom or JSON feed (through github.com/mmcdole/gofeed), the URLs of an
// XML sitemap or sitemap index, and the article links of a press-release
// page. Every item gets an absolute link and a stable key, duplicates are
// dropped, and an item that cannot be used is reported on its own line
// without failing the others.
package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// Item is one entry of a source.
type Item struct {
	GUID      string
	Link      string // absolute
	Title     string
	Published time.Time // zero when the source gives no date
}

// Key is the item's stable identity within its source: its GUID, or its
// link when it has none.
func (it Item) Key() string {
	if it.GUID != "" {
		return it.GUID
	}
	return it.Link
}

// Listing is what a source lists.
type Listing struct {
	Title    string
	Items    []Item
	Problems []string // one line per item skipped
	// Alternates are feed URLs an HTML page advertises, when an HTML page
	// was given as a feed.
	Alternates []string
}

// ErrNotFeed reports a body that is not a feed (an HTML page, JSON that is
// not JSON Feed, plain text).
var ErrNotFeed = errors.New("not a feed")

// Parse reads a feed body fetched from baseURL. contentType is the
// response's Content-Type, used for the declared charset.
func Parse(body []byte, baseURL, contentType string) (*Listing, error) {
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("feed URL %q: %w", baseURL, err)
	}
	trimmed := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if looksHTML(trimmed) {
		l := &Listing{Alternates: alternates(body, base)}
		msg := "looks like an HTML page"
		if len(l.Alternates) > 0 {
			msg += "; it advertises the feed " + l.Alternates[0]
		}
		return l, fmt.Errorf("%w: %s", ErrNotFeed, msg)
	}
	fp := gofeed.NewParser()
	f, err := fp.Parse(decodeCharset(body, contentType))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return nil, fmt.Errorf("%w: no RSS, Atom or JSON Feed found", ErrNotFeed)
		}
		return nil, fmt.Errorf("malformed feed: %s", oneLine(err.Error()))
	}
	l := &Listing{Title: strings.TrimSpace(f.Title)}
	feedBase := base
	if f.Link != "" {
		if u, err := base.Parse(f.Link); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			feedBase = u
		}
	}
	seen := map[string]bool{}
	for i, e := range f.Items {
		it := Item{GUID: strings.TrimSpace(e.GUID), Title: strings.TrimSpace(e.Title)}
		link := strings.TrimSpace(e.Link)
		if link == "" && len(e.Links) > 0 {
			link = strings.TrimSpace(e.Links[0])
		}
		if link == "" && strings.HasPrefix(it.GUID, "http") {
			link = it.GUID
		}
		if link == "" {
			l.Problems = append(l.Problems, fmt.Sprintf("item %d (%q): no link", i+1, clip(it.Title)))
			continue
		}
		abs, err := resolve(feedBase, link)
		if err != nil {
			l.Problems = append(l.Problems, fmt.Sprintf("item %d (%q): %v", i+1, clip(it.Title), err))
			continue
		}
		it.Link = abs
		switch {
		case e.PublishedParsed != nil:
			it.Published = e.PublishedParsed.UTC()
		case e.UpdatedParsed != nil:
			it.Published = e.UpdatedParsed.UTC()
		}
		if seen[it.Key()] {
			continue // the same entry twice in one feed
		}
		seen[it.Key()] = true
		l.Items = append(l.Items, it)
	}
	return l, nil
}

// resolve makes link absolute against base and accepts only http(s).
func resolve(base *url.URL, link string) (string, error) {
	u, err := base.Parse(link)
	if err != nil {
		return "", fmt.Errorf("bad link %q", link)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("link %q is not http(s)", link)
	}
	u.Fragment = ""
	return u.String(), nil
}

// decodeCharset converts a body declared (or sniffed) in another charset
// to UTF-8; XML declarations that lie are common in the wild.
func decodeCharset(body []byte, contentType string) io.Reader {
	_, params, _ := mime.ParseMediaType(contentType)
	cs := strings.ToLower(params["charset"])
	if cs == "" || cs == "utf-8" || cs == "utf8" {
		return bytes.NewReader(body)
	}
	r, err := charset.NewReaderLabel(cs, bytes.NewReader(body))
	if err != nil {
		return bytes.NewReader(body)
	}
	converted, err := io.ReadAll(r)
	if err != nil {
		return bytes.NewReader(body)
	}
	// The XML declaration may still name the old encoding; say UTF-8.
	if i := bytes.Index(converted, []byte("?>")); bytes.HasPrefix(bytes.TrimSpace(converted), []byte("<?xml")) && i > 0 {
		converted = append([]byte(`<?xml version="1.0" encoding="UTF-8"?>`), converted[i+2:]...)
	}
	return bytes.NewReader(converted)
}

func looksHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 512)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		(strings.Contains(head, "<html") && !strings.Contains(head, "<rss") && !strings.Contains(head, "<feed"))
}

// alternates returns the feeds an HTML page advertises with
// <link rel="alternate" type="application/rss+xml|atom+xml" href>.
func alternates(body []byte, base *url.URL) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if t.Data != "link" {
				continue
			}
			var rel, typ, href string
			for _, a := range t.Attr {
				switch a.Key {
				case "rel":
					rel = strings.ToLower(a.Val)
				case "type":
					typ = strings.ToLower(a.Val)
				case "href":
					href = a.Val
				}
			}
			if rel == "alternate" && (strings.Contains(typ, "rss") || strings.Contains(typ, "atom") || strings.Contains(typ, "feed+json")) {
				if u, err := resolve(base, href); err == nil {
					out = append(out, u)
				}
			}
		}
	}
}

// sitemap is an XML sitemap or sitemap index, news extension included.
type sitemap struct {
	XMLName xml.Name `xml:""`
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    struct {
			Title string `xml:"title"`
			Date  string `xml:"publication_date"`
		} `xml:"news"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

// ParseSitemap reads an XML sitemap (or a sitemap index, whose child
// sitemaps come back as items) fetched from baseURL.
func ParseSitemap(body []byte, baseURL string) (*Listing, error) {
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("sitemap URL %q: %w", baseURL, err)
	}
	var sm sitemap
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = charset.NewReaderLabel
	if err := dec.Decode(&sm); err != nil {
		return nil, fmt.Errorf("malformed sitemap: %s", oneLine(err.Error()))
	}
	if sm.XMLName.Local != "urlset" && sm.XMLName.Local != "sitemapindex" {
		return nil, fmt.Errorf("not a sitemap: root element <%s>", sm.XMLName.Local)
	}
	l := &Listing{}
	seen := map[string]bool{}
	add := func(i int, loc, title, date string) {
		abs, err := resolve(base, strings.TrimSpace(loc))
		if err != nil || strings.TrimSpace(loc) == "" {
			l.Problems = append(l.Problems, fmt.Sprintf("entry %d: no usable <loc>", i+1))
			return
		}
		if seen[abs] {
			return
		}
		seen[abs] = true
		it := Item{Link: abs, Title: strings.TrimSpace(title)}
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z07:00", "2006-01-02"} {
			if t, err := time.Parse(layout, strings.TrimSpace(date)); err == nil {
				it.Published = t.UTC()
				break
			}
		}
		l.Items = append(l.Items, it)
	}
	for i, u := range sm.URLs {
		date := u.News.Date
		if date == "" {
			date = u.LastMod
		}
		add(i, u.Loc, u.News.Title, date)
	}
	for i, s := range sm.Sitemaps {
		add(len(sm.URLs)+i, s.Loc, "", "")
	}
	return l, nil
}

// Links reads the article links of an HTML page fetched from baseURL: links
// to the same site whose path looks like an article (at least two path
// segments or a long last segment), in page order, without duplicates.
func Links(body []byte, baseURL string) (*Listing, error) {
	base, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("page URL %q: %w", baseURL, err)
	}
	l := &Listing{}
	seen := map[string]bool{base.String(): true}
	z := html.NewTokenizer(bytes.NewReader(body))
	var href string
	var text strings.Builder
	inA := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return l, nil
		case html.StartTagToken:
			t := z.Token()
			if t.Data == "base" {
				for _, a := range t.Attr {
					if a.Key == "href" {
						if u, err := base.Parse(a.Val); err == nil {
							base = u
						}
					}
				}
			}
			if t.Data == "a" {
				inA, href = true, ""
				text.Reset()
				for _, a := range t.Attr {
					if a.Key == "href" {
						href = a.Val
					}
				}
			}
		case html.TextToken:
			if inA {
				text.Write(z.Text())
			}
		case html.EndTagToken:
			if t := z.Token(); t.Data != "a" || !inA {
				continue
			}
			inA = false
			abs, err := resolve(base, strings.TrimSpace(href))
			if err != nil || seen[abs] || !articleLike(base, abs) {
				continue
			}
			seen[abs] = true
			l.Items = append(l.Items, Item{Link: abs, Title: strings.Join(strings.Fields(text.String()), " ")})
		}
	}
}

// articleLike keeps links on the page's own site whose path looks like an
// article rather than navigation: three or more segments (dated paths), or
// two with a last segment of several words, a long slug or a number.
func articleLike(base *url.URL, link string) bool {
	u, err := url.Parse(link)
	if err != nil || !strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), strings.TrimPrefix(base.Hostname(), "www.")) {
		return false
	}
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(segs) == 0 {
		return false
	}
	last := strings.ToLower(segs[len(segs)-1])
	for _, skip := range []string{"tag", "tags", "category", "categoria", "author", "autor", "page", "pagina", "search", "buscar", "login", "contacto", "contact"} {
		for _, s := range segs {
			if strings.ToLower(s) == skip {
				return false
			}
		}
	}
	return len(segs) >= 3 || len(segs) >= 2 && (strings.Count(last, "-") >= 2 || len(last) >= 12 || strings.ContainsAny(last, "0123456789"))
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}
