package watch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/ingest"
)

// FetchSource fetches src once, with the validators of its last fetch, and
// captures every item it lists that was not captured before. It saves the
// source's state (validators, last success or error, item count) whatever
// happens. The error is about the source itself (unreachable, not a feed);
// items that fail are counted in the summary and logged, and do not stop
// the others.
func (w *Watcher) FetchSource(ctx context.Context, src *testigo.Source) (Summary, error) {
	state, err := w.Store.FindSourceState(ctx, src.ID)
	if err != nil {
		return Summary{Failed: 1}, fmt.Errorf("source %d: %w", src.ID, err)
	}
	state.LastFetchAt = w.now()
	s, err := w.fetchSource(ctx, src, state)
	if err != nil {
		state.LastError = oneLine(err.Error())
		state.Failures++
		s.Failed++
	} else {
		state.LastError, state.Failures, state.LastSuccessAt = "", 0, w.now()
	}
	state.Items += int64(s.New)
	if serr := w.Store.SaveSourceState(context.WithoutCancel(ctx), state); serr != nil {
		return s, errors.Join(err, fmt.Errorf("source %d: %w", src.ID, serr))
	}
	return s, err
}

func (w *Watcher) fetchSource(ctx context.Context, src *testigo.Source, state *testigo.SourceState) (Summary, error) {
	var s Summary
	start := time.Now()
	c, err := w.Fetcher.Fetch(ctx, src.URL, Validators{ETag: state.ETag, LastModified: state.LastModified})
	w.Metrics.observeFetch("source", c, err, time.Since(start))
	if err != nil {
		return s, err // the fetcher's errors name the URL
	}
	if c.NotModified {
		s.Unchanged++
		return s, nil
	}
	listing, err := w.List(src.Kind, c.Body, c.FinalURL, c.ContentType)
	if err != nil {
		return s, fmt.Errorf("read %s %s: %w", src.Kind, src.URL, err)
	}
	for _, p := range listing.Problems {
		w.log().Warn("skipped an item", "source", src.ID, "problem", p)
		s.Failed++
	}
	for _, it := range listing.Items {
		if ctx.Err() != nil {
			return s, ctx.Err()
		}
		switch err := w.captureItem(ctx, src, it); {
		case err == nil:
			s.New++
		case errors.Is(err, errSeen):
			s.Unchanged++
		default:
			s.Failed++
			w.log().Warn("item not captured", "source", src.ID, "item", it.URL, "err", err)
		}
	}
	// Keep the validators only once every item is done: an interrupted or
	// failed run fetches the whole listing again next time.
	state.ETag, state.LastModified = c.Validators.ETag, c.Validators.LastModified
	return s, nil
}

// errSeen says an item was captured before.
var errSeen = errors.New("item seen before")

// captureItem fetches and ingests one item, and records it as seen in the
// transaction that stores its document. Items that can never be captured
// (a 404, a refused address, no text) are recorded without a document so
// that they are not fetched again; transient failures are left for the next
// run.
func (w *Watcher) captureItem(ctx context.Context, src *testigo.Source, it Item) error {
	if it.Key == "" {
		it.Key = it.URL
	}
	if _, err := w.Store.FindSourceItem(ctx, src.ID, it.Key); err == nil {
		return errSeen
	} else if !errors.Is(err, testigo.ErrNotFound) {
		return err
	}
	start := time.Now()
	c, err := w.Fetcher.Fetch(ctx, it.URL, Validators{})
	w.Metrics.observeFetch("item", c, err, time.Since(start))
	if err != nil {
		if Permanent(err) {
			return w.giveUp(ctx, src, it, err)
		}
		return err
	}
	if c.NotModified || len(c.Body) == 0 {
		return w.giveUp(ctx, src, it, errors.New("empty response"))
	}
	in, err := ingest.FromResponse(it.URL, c.FinalURL, c.ContentType, c.Body)
	if err != nil {
		return w.giveUp(ctx, src, it, err)
	}
	in.Name, in.SourceID, in.Capture = it.URL, src.ID, c.Record
	if in.URL == "" {
		in.URL = c.FinalURL
	}
	if in.Published.IsZero() {
		in.Published = it.Published
	}
	if in.Title == "" {
		in.Title = it.Title
	}
	if in.Lang == "" {
		in.Lang = src.Lang
	}
	seen := &testigo.SourceItem{SourceID: src.ID, Key: it.Key, URL: it.URL}
	p := *w.Pipeline
	record := p.Record
	p.Record = func(ctx context.Context, tx testigo.Store, doc *testigo.Document, reports []*testigo.Report) error {
		if record != nil {
			if err := record(ctx, tx, doc, reports); err != nil {
				return err
			}
		}
		seen.DocumentID = doc.ID
		return tx.AddSourceItem(ctx, seen)
	}
	start = time.Now()
	out, err := p.Ingest(ctx, in)
	w.Metrics.observeIngest(time.Since(start))
	if err != nil {
		if errors.Is(err, testigo.ErrInvalid) {
			return w.giveUp(ctx, src, it, err)
		}
		return err
	}
	if out.Duplicate {
		// The same bytes came earlier (another feed, or a run killed after
		// the capture): record the item against that document.
		seen.DocumentID = out.Document.ID
		if err := w.Store.AddSourceItem(ctx, seen); err != nil && !errors.Is(err, testigo.ErrConflict) {
			return err
		}
		return errSeen
	}
	return nil
}

// giveUp records an item that cannot be captured, so that it is not fetched
// again, and returns why.
func (w *Watcher) giveUp(ctx context.Context, src *testigo.Source, it Item, why error) error {
	err := w.Store.AddSourceItem(ctx, &testigo.SourceItem{SourceID: src.ID, Key: it.Key, URL: it.URL})
	if err != nil && !errors.Is(err, testigo.ErrConflict) {
		return errors.Join(why, err)
	}
	return why
}

// oneLine keeps the first line of a message.
func oneLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
