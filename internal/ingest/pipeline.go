package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/readable"
)

// Extractor reads events out of a document's text.
type Extractor interface {
	Extract(text, lang string, published time.Time) []testigo.Event
}

// Pipeline archives inputs and stores what is read from them.
type Pipeline struct {
	Store   testigo.Store
	Blobs   *archive.Dir
	Extract Extractor
	// Record, when set, is called in the document's transaction after the
	// document and its reports are stored (the transparency log).
	Record func(ctx context.Context, tx testigo.Store, doc *testigo.Document, reports []*testigo.Report) error
	// Attach, when set, clusters each stored report into an incident, in
	// the same transaction.
	Attach           func(ctx context.Context, tx testigo.Store, r *testigo.Report) error
	Now              func() time.Time
	ExtractorVersion string
}

// Outcome is what ingesting one input did.
type Outcome struct {
	Document  *testigo.Document
	Duplicate bool // the bytes were ingested before; nothing was written
	Reports   []*testigo.Report
}

// Ingest archives in's raw bytes, then stores the document, the reports the
// extractor reads from it and their clustering in one transaction. Bytes
// ingested before are a no-op reported as Duplicate. A failure leaves the
// store as it was (the blob, if written, is harmless: it is content-addressed).
func (p *Pipeline) Ingest(ctx context.Context, in Input) (out Outcome, err error) {
	if len(in.Raw) == 0 || in.Text == "" {
		return Outcome{}, &InputError{Name: in.Name, Err: fmt.Errorf("%w: no text to ingest", testigo.ErrInvalid)}
	}
	digest := testigo.DigestOf(in.Raw)
	if d, err := p.Store.FindDocumentByDigest(ctx, digest); err == nil {
		return Outcome{Document: d, Duplicate: true}, nil
	} else if !errors.Is(err, testigo.ErrNotFound) {
		return Outcome{}, fmt.Errorf("ingest %s: %w", in.Name, err)
	}
	if _, _, err := p.Blobs.Put(ctx, in.Raw); err != nil {
		return Outcome{}, fmt.Errorf("ingest %s: %w", in.Name, err)
	}
	lang := in.Lang
	if lang == "" {
		lang = readable.DetectLang(in.Text)
	}
	doc := &testigo.Document{
		SHA256: digest, ExternalID: in.ExternalID, URL: in.URL, Name: in.Name, FetchedAt: p.Now().UTC(),
		Published: in.Published, ContentType: in.ContentType, Lang: lang, Title: in.Title,
		Text: in.Text, Size: int64(len(in.Raw)),
	}
	events := p.extract(doc)
	err = p.Store.Transact(ctx, func(tx testigo.Store) error {
		if err := tx.CreateDocument(ctx, doc); err != nil {
			return err
		}
		reports := make([]*testigo.Report, 0, len(events))
		for i, ev := range events {
			r := &testigo.Report{DocumentID: doc.ID, Index: i, Event: ev, ExtractorVersion: p.ExtractorVersion}
			if err := tx.CreateReport(ctx, r); err != nil {
				return err
			}
			reports = append(reports, r)
		}
		if p.Record != nil {
			if err := p.Record(ctx, tx, doc, reports); err != nil {
				return err
			}
		}
		if p.Attach != nil {
			for _, r := range reports {
				if err := p.Attach(ctx, tx, r); err != nil {
					return err
				}
			}
		}
		out.Reports = reports
		return nil
	})
	if errors.Is(err, testigo.ErrConflict) {
		// Another process stored the same bytes between our check and our
		// write: that is a duplicate, not a failure.
		d, ferr := p.Store.FindDocumentByDigest(ctx, digest)
		if ferr == nil {
			return Outcome{Document: d, Duplicate: true}, nil
		}
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("ingest %s: %w", in.Name, err)
	}
	out.Document = doc
	return out, nil
}

// extract runs the extractor, which must never panic; if it does anyway the
// document is still stored, with no reports, rather than lost.
func (p *Pipeline) extract(doc *testigo.Document) (events []testigo.Event) {
	if p.Extract == nil {
		return nil
	}
	defer func() {
		if recover() != nil {
			events = nil
		}
	}()
	return p.Extract.Extract(doc.Text, doc.Lang, doc.Published)
}

// Summary counts the outcomes of a batch.
type Summary struct {
	New, Duplicate int
	failures       []string
}

// Add counts one ingested input.
func (s *Summary) Add(in Input, out Outcome, err error) {
	switch {
	case err != nil:
		s.Fail(err)
	case out.Duplicate:
		s.Duplicate++
	default:
		s.New++
	}
}

// Fail counts a failed input; err should name it.
func (s *Summary) Fail(err error) { s.failures = append(s.failures, err.Error()) }

// Failed returns how many inputs failed.
func (s *Summary) Failed() int { return len(s.failures) }

// Total returns how many inputs were counted.
func (s *Summary) Total() int { return s.New + s.Duplicate + len(s.failures) }

// Print writes "N new, N duplicate, N failed" and then one line per failure.
func (s *Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "%d new, %d duplicate, %d failed\n", s.New, s.Duplicate, len(s.failures))
	for _, f := range s.failures {
		fmt.Fprintf(w, "  failed: %s\n", f)
	}
}
