package testigo

import (
	"fmt"
	"net/url"
	"time"
)

// SourceID identifies a Source in the store.
type SourceID int64

// SourceKind says how a source is read.
type SourceKind string

// The kinds of source testigo knows.
const (
	SourceFeed    SourceKind = "feed"    // an RSS, Atom or JSON feed
	SourcePage    SourceKind = "page"    // a page whose links are followed
	SourceSitemap SourceKind = "sitemap" // an XML sitemap
	SourceUpload  SourceKind = "upload"  // files and URLs given by hand
)

// Source is somewhere documents come from: a watched feed or page, or the
// hand-fed "upload" source.
type Source struct {
	ID        SourceID
	Kind      SourceKind
	URL       string // empty for uploads
	Name      string
	Lang      string // expected language, "en" or "es"; empty if mixed
	Every     time.Duration
	Tags      []string
	Paused    bool
	Removed   bool // removed by a person: kept for the documents it brought, never fetched
	CreatedAt time.Time
}

// Validate reports whether the source is well formed. It returns an error
// wrapping ErrInvalid that names the bad field.
func (s *Source) Validate() error {
	switch s.Kind {
	case SourceFeed, SourcePage, SourceSitemap:
		u, err := url.Parse(s.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: source URL %q is not an http(s) URL", ErrInvalid, s.URL)
		}
	case SourceUpload:
	default:
		return fmt.Errorf("%w: source kind %q is not one of feed, page, sitemap, upload", ErrInvalid, s.Kind)
	}
	if s.Lang != "" && s.Lang != "en" && s.Lang != "es" {
		return fmt.Errorf("%w: source language %q is not en or es", ErrInvalid, s.Lang)
	}
	if s.Every < 0 {
		return fmt.Errorf("%w: source interval %s is negative", ErrInvalid, s.Every)
	}
	return nil
}

// SourceState is what watching a source has learnt: the validators for the
// next conditional GET and the outcome of the last fetches. It is kept apart
// from Source, which holds only what a person configured.
type SourceState struct {
	SourceID      SourceID
	ETag          string
	LastModified  string
	LastFetchAt   time.Time // zero if never fetched
	LastSuccessAt time.Time // zero if never fetched successfully
	LastError     string    // empty after a success
	Failures      int       // consecutive failed fetches
	Items         int64     // items captured from the source so far
}

// SourceItem records that one item of a watched source (a feed entry, a
// sitemap URL or a link on a page) has been captured, so that it is never
// ingested twice. Key is the item's stable identity within its source: the
// feed GUID, or the URL when there is none.
type SourceItem struct {
	SourceID   SourceID
	Key        string
	URL        string
	DocumentID DocumentID // the captured document; 0 if the item could not be captured
	SeenAt     time.Time
}
