package feed

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// maxSitemap is the largest sitemap read after decompression: the
// sitemaps protocol's own limit.
const maxSitemap = 50 << 20

// sitemap is an XML sitemap or sitemap index, news extension included.
// Elements are matched by local name, whatever their namespace.
type sitemap struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		News    struct {
			Title       string `xml:"title"`
			Date        string `xml:"publication_date"`
			Publication struct {
				Language string `xml:"language"`
			} `xml:"publication"`
		} `xml:"news"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

// ParseSitemap reads an XML sitemap fetched from baseURL, gzip-compressed
// or not (sitemap.xml.gz). Each <url> is an item: its <loc>, its
// news:title, and its news:publication_date or else <lastmod> as the date.
// A sitemap index gives its child sitemaps as items and sets Index.
func ParseSitemap(body []byte, baseURL string) (*Listing, error) {
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		if body, err = gunzip(body); err != nil {
			return nil, err
		}
	}
	var sm sitemap
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.CharsetReader = charset.NewReaderLabel
	if err := dec.Decode(&sm); err != nil {
		if looksHTML(body) {
			return nil, fmt.Errorf("%w: looks like an HTML page, not a sitemap", ErrNotFeed)
		}
		return nil, fmt.Errorf("malformed sitemap: %s", oneLine(err.Error()))
	}
	l := &Listing{Index: sm.XMLName.Local == "sitemapindex"}
	if sm.XMLName.Local != "urlset" && !l.Index {
		hint := ""
		if r := sm.XMLName.Local; r == "rss" || r == "feed" || r == "RDF" {
			hint = " (a feed: a source of kind feed)"
		}
		return nil, fmt.Errorf("%w: root element <%s>, not <urlset> or <sitemapindex>%s", ErrNotFeed, clip(sm.XMLName.Local), hint)
	}
	seen := map[string]bool{}
	add := func(i int, loc, title, date, lang string) {
		loc = strings.TrimSpace(loc)
		if loc == "" {
			l.Problems = append(l.Problems, fmt.Sprintf("entry %d: no <loc>", i+1))
			return
		}
		abs, err := resolve(base, loc)
		if err != nil {
			l.Problems = append(l.Problems, fmt.Sprintf("entry %d: %v", i+1, err))
			return
		}
		if seen[abs] {
			return
		}
		seen[abs] = true
		l.Items = append(l.Items, Item{Link: abs, Title: clean(title), Published: w3cDate(date), Lang: langTag(lang)})
	}
	for i, u := range sm.URLs {
		date := u.News.Date
		if strings.TrimSpace(date) == "" {
			date = u.LastMod
		}
		add(i, u.Loc, u.News.Title, date, u.News.Publication.Language)
	}
	for i, s := range sm.Sitemaps {
		add(len(sm.URLs)+i, s.Loc, "", s.LastMod, "")
	}
	return l, nil
}

// gunzip decompresses a gzip sitemap, at most maxSitemap bytes of it.
func gunzip(body []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("malformed sitemap: gzip: %s", oneLine(err.Error()))
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxSitemap+1))
	if err != nil {
		return nil, fmt.Errorf("malformed sitemap: gzip: %s", oneLine(err.Error()))
	}
	if len(out) > maxSitemap {
		return nil, fmt.Errorf("sitemap over %d MB once decompressed", maxSitemap>>20)
	}
	return out, nil
}

// w3cDate reads the W3C datetime forms sitemaps use, from a year to a
// fraction of a second; zero when it cannot.
func w3cDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
