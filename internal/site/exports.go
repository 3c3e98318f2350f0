package site

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/exporter"
	"github.com/testigo-project/testigo/internal/translog"
)

// exports writes every export format of the published incidents, each
// streamed through a temporary file. The six run at once over one shared
// cache of the per-incident reads, since they walk the listing in the same
// order: the first to reach an incident reads its log entries, reports and
// documents, the others mostly find them cached. The Atom feed's updated
// time is the latest change to a published incident, so an unchanged
// record gives an unchanged feed.
func (b *builder) exports(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rd := newCachingReader(b.rd, cacheSize)
	updated := b.updated
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error // the failure that stopped the others
	)
	for _, ef := range exportFiles {
		opt := exporter.Options{Format: ef.Format, BaseURL: b.opt.BaseURL, CountryName: b.opt.CountryName,
			Filter: exporter.Filter{Status: testigo.ReviewPublished}, Now: func() time.Time { return updated }}
		wg.Go(func() {
			err := b.files.stream(ef.Path, func(w io.Writer) error {
				_, err := exporter.Write(ctx, rd, w, opt)
				return err
			})
			if err != nil {
				once.Do(func() { first = err })
				cancel()
			}
		})
	}
	wg.Wait()
	if first != nil {
		return fmt.Errorf("build site: %w", first)
	}
	return nil
}

// cacheSize is how many incidents' reads the export cache keeps; the
// exporters stay within a few pages of each other.
const cacheSize = 8192

// cachingReader passes reads to a Reader, keeping the last cacheSize
// answers per kind of read. It is safe for concurrent use.
type cachingReader struct {
	Reader
	mu      sync.Mutex
	logs    *fifo[string, []*testigo.LogEntry]
	reports *fifo[testigo.IncidentID, []*testigo.Report]
	docs    *fifo[testigo.DocumentID, *testigo.Document]
}

func newCachingReader(rd Reader, n int) *cachingReader {
	return &cachingReader{Reader: rd, logs: newFIFO[string, []*testigo.LogEntry](n),
		reports: newFIFO[testigo.IncidentID, []*testigo.Report](n), docs: newFIFO[testigo.DocumentID, *testigo.Document](n)}
}

// FindLogEntriesBySubject answers from the cache or the store.
func (c *cachingReader) FindLogEntriesBySubject(ctx context.Context, subject string) ([]*testigo.LogEntry, error) {
	c.mu.Lock()
	v, ok := c.logs.get(subject)
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := c.Reader.FindLogEntriesBySubject(ctx, subject)
	if err == nil {
		c.mu.Lock()
		c.logs.put(subject, v)
		c.mu.Unlock()
	}
	return v, err
}

// FindIncident drops the incident's cached log entries before reading it:
// the exporter re-reads an incident that changed during the export, and
// then needs its new log entry too.
func (c *cachingReader) FindIncident(ctx context.Context, id testigo.IncidentID) (*testigo.Incident, error) {
	c.mu.Lock()
	c.logs.drop(translog.IncidentSubject(id))
	c.reports.drop(id)
	c.mu.Unlock()
	return c.Reader.FindIncident(ctx, id)
}

// FindReports answers the reports of one incident from the cache or the
// store; other filters go to the store.
func (c *cachingReader) FindReports(ctx context.Context, f testigo.ReportFilter) ([]*testigo.Report, error) {
	if f.IncidentID == 0 || f.DocumentID != 0 || f.Limit != 0 || f.IncidentIDs != nil {
		return c.Reader.FindReports(ctx, f)
	}
	c.mu.Lock()
	v, ok := c.reports.get(f.IncidentID)
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := c.Reader.FindReports(ctx, f)
	if err == nil {
		c.mu.Lock()
		c.reports.put(f.IncidentID, v)
		c.mu.Unlock()
	}
	return v, err
}

// FindDocument answers from the cache or the store. Cached documents have
// no text: the exports do not use it.
func (c *cachingReader) FindDocument(ctx context.Context, id testigo.DocumentID) (*testigo.Document, error) {
	c.mu.Lock()
	v, ok := c.docs.get(id)
	c.mu.Unlock()
	if ok {
		d := *v
		return &d, nil
	}
	v, err := c.Reader.FindDocument(ctx, id)
	if err == nil {
		v.Text = ""
		c.mu.Lock()
		c.docs.put(id, v)
		c.mu.Unlock()
		d := *v
		return &d, nil
	}
	return v, err
}

// fifo is a map that forgets its oldest key beyond a size.
type fifo[K comparable, V any] struct {
	m     map[K]V
	order []K // ring of keys in insertion order
	next  int
}

func newFIFO[K comparable, V any](n int) *fifo[K, V] {
	return &fifo[K, V]{m: make(map[K]V, n), order: make([]K, 0, n)}
}

func (f *fifo[K, V]) get(k K) (V, bool) {
	v, ok := f.m[k]
	return v, ok
}

func (f *fifo[K, V]) put(k K, v V) {
	if _, ok := f.m[k]; ok {
		f.m[k] = v
		return
	}
	if len(f.order) < cap(f.order) {
		f.order = append(f.order, k)
	} else {
		delete(f.m, f.order[f.next])
		f.order[f.next] = k
		f.next = (f.next + 1) % len(f.order)
	}
	f.m[k] = v
}

// drop forgets k; its slot in the ring stays until reused.
func (f *fifo[K, V]) drop(k K) { delete(f.m, k) }
