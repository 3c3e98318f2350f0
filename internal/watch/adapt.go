package watch

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/feed"
	"github.com/testigo-project/testigo/internal/fetch"
	"github.com/testigo-project/testigo/internal/warc"
)

// HTTPFetcher adapts an internal/fetch Fetcher: its capture metadata
// becomes the archived capture record, and its permanent failures are
// marked so that items failing that way are not fetched again. With WARC
// set, every capture is also written there as WARC records.
type HTTPFetcher struct {
	F    *fetch.Fetcher
	WARC *warc.Writer
}

// Fetch gets url through the fetcher.
func (h HTTPFetcher) Fetch(ctx context.Context, url string, cond Validators) (*Capture, error) {
	r, err := h.F.Get(ctx, url, fetch.Conditional{ETag: cond.ETag, LastModified: cond.LastModified})
	if err != nil {
		if fetch.Permanent(err) {
			return nil, &PermanentError{Err: err}
		}
		return nil, err
	}
	c := &Capture{URL: r.URL, FinalURL: r.FinalURL, Status: r.Status, ContentType: r.Header.Get("Content-Type"),
		Validators:  Validators{ETag: r.Header.Get("ETag"), LastModified: r.Header.Get("Last-Modified")},
		NotModified: r.NotModified, Body: r.Body}
	if !r.NotModified {
		rec, err := json.Marshal(r.Metadata())
		if err != nil {
			return nil, fmt.Errorf("capture record of %s: %w", url, err)
		}
		c.Record = rec
		if h.WARC != nil {
			if _, _, err := h.WARC.Write(warc.Capture{URL: r.FinalURL, Status: r.Status, Header: r.Header, Body: r.Body,
				FetchedAt: r.FetchedAt, Record: rec}); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}

// ListItems is the Lister for the three kinds of source: feeds through
// feed.Parse, sitemaps through feed.ParseSitemap and pages through
// feed.Links.
func ListItems(kind testigo.SourceKind, body []byte, baseURL, contentType string) (*Listing, error) {
	var (
		l   *feed.Listing
		err error
	)
	switch kind {
	case testigo.SourceFeed:
		l, err = feed.Parse(body, baseURL, contentType)
	case testigo.SourceSitemap:
		l, err = feed.ParseSitemap(body, baseURL)
	case testigo.SourcePage:
		l, err = feed.Links(body, baseURL)
	default:
		return nil, fmt.Errorf("source kind %q cannot be watched", kind)
	}
	if err != nil {
		return nil, err
	}
	out := &Listing{Problems: l.Problems}
	for _, it := range l.Items {
		out.Items = append(out.Items, Item{Key: it.Key(), URL: it.Link, Title: it.Title, Published: it.Published})
	}
	return out, nil
}
