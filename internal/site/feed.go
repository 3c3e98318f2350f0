package site

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/exporter"
)

// FeedName is the site's Atom feed of the most recently changed published
// incidents, the one feed readers and alerts should poll; the full feed of
// every published incident is among the exports.
const FeedName = "feed.atom"

// feedSize is how many incidents the feed holds.
const feedSize = 50

// recent keeps the feedSize published incidents changed last.
type recent struct {
	incs []*testigo.Incident
}

// newer reports whether a changed after b, ties broken by ID.
func newer(a, b *testigo.Incident) bool {
	if !a.UpdatedAt.Equal(b.UpdatedAt) {
		return a.UpdatedAt.After(b.UpdatedAt)
	}
	return a.ID > b.ID
}

// add keeps inc if it is among the feedSize changed last so far.
func (r *recent) add(inc *testigo.Incident) {
	if len(r.incs) < feedSize {
		r.incs = append(r.incs, inc)
		return
	}
	oldest := 0
	for i, x := range r.incs {
		if newer(r.incs[oldest], x) {
			oldest = i
		}
	}
	if newer(inc, r.incs[oldest]) {
		r.incs[oldest] = inc
	}
}

// feedReader serves the kept incidents, changed last first, as the whole
// listing, and passes every other read to the store; the exporter then
// writes the feed exactly as it writes the full one (same entry IDs,
// links and log checks).
type feedReader struct {
	Reader
	incs []*testigo.Incident
}

// FindIncidents returns the kept incidents in one page.
func (f feedReader) FindIncidents(ctx context.Context, _ testigo.IncidentFilter) ([]*testigo.Incident, error) {
	return f.incs, nil
}

// feed writes feed.atom.
func (b *builder) feed(ctx context.Context) error {
	incs := append([]*testigo.Incident(nil), b.recent.incs...)
	sort.Slice(incs, func(i, j int) bool { return newer(incs[i], incs[j]) })
	updated := b.updated
	opt := exporter.Options{Format: exporter.Atom, BaseURL: b.opt.BaseURL, CountryName: b.opt.CountryName,
		Filter: exporter.Filter{Status: testigo.ReviewPublished}, Now: func() time.Time { return updated }}
	err := b.files.stream(FeedName, func(w io.Writer) error {
		_, err := exporter.Write(ctx, feedReader{Reader: b.rd, incs: incs}, w, opt)
		return err
	})
	if err != nil {
		return fmt.Errorf("build site: %w", err)
	}
	return nil
}
