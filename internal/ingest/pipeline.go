package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/readable"
)

// Extractor reads events out of a document's text. Evidence offsets point
// into text.
type Extractor interface {
	Extract(text, lang string, published time.Time) []testigo.Event
}

// Pipeline archives inputs and stores what is read from them.
type Pipeline struct {
	Store   testigo.Store
	Blobs   archive.Blobs
	Extract Extractor // may be nil: documents are then stored without reports
	// Record, when set, is called in the document's transaction after the
	// document and its reports are stored (the transparency log).
	Record func(ctx context.Context, tx testigo.Store, doc *testigo.Document, reports []*testigo.Report) error
	// Attach, when set, clusters each stored report into an incident, in
	// the same transaction.
	Attach           func(ctx context.Context, tx testigo.Store, r *testigo.Report) error
	Now              func() time.Time // time.Now when nil
	ExtractorVersion string
}

// Outcome is what ingesting one input did.
type Outcome struct {
	Document  *testigo.Document
	Duplicate bool // the bytes were ingested before; nothing was written
	Reports   []*testigo.Report
	// ExtractErr is set when the extractor failed (panicked) on the text:
	// the document is stored all the same, without reports.
	ExtractErr error
}

// Ingest archives in's raw bytes, then stores the document, the reports the
// extractor reads from it and their clustering in one transaction. The text
// is normalised (readable.Normalize) before it is stored and extracted, so
// evidence offsets point into the stored text. Bytes ingested before are a
// no-op reported as Duplicate (their blob is put back if it went missing).
// A failure leaves the store as it was; a blob written before it is harmless,
// being named by its content. An input without raw bytes or text is an
// *InputError wrapping testigo.ErrInvalid.
func (p *Pipeline) Ingest(ctx context.Context, in Input) (Outcome, error) {
	text := readable.Normalize(in.Text)
	if len(in.Raw) == 0 || text == "" {
		return Outcome{}, invalid(in.Name, "no text to ingest")
	}
	digest := testigo.DigestOf(in.Raw)
	if d, err := p.Store.FindDocumentByDigest(ctx, digest); err == nil {
		if _, _, err := p.Blobs.Put(ctx, in.Raw); err != nil {
			return Outcome{}, fmt.Errorf("ingest %s: restore blob of stored document: %w", in.Name, err)
		}
		return Outcome{Document: d, Duplicate: true}, nil
	} else if !errors.Is(err, testigo.ErrNotFound) {
		return Outcome{}, fmt.Errorf("ingest %s: %w", in.Name, err)
	}
	if _, _, err := p.Blobs.Put(ctx, in.Raw); err != nil {
		return Outcome{}, fmt.Errorf("ingest %s: %w", in.Name, err)
	}
	var capture testigo.Digest
	if len(in.Capture) > 0 {
		var err error
		if capture, _, err = p.Blobs.Put(ctx, in.Capture); err != nil {
			return Outcome{}, fmt.Errorf("ingest %s: archive capture record: %w", in.Name, err)
		}
	}
	lang, err := parseLang(in.Lang)
	if err != nil || lang == "" {
		lang = readable.DetectLang(text)
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	doc := &testigo.Document{
		SHA256: digest, ExternalID: in.ExternalID, URL: in.URL, Name: in.Name, FetchedAt: now().UTC(),
		Published: in.Published, ContentType: in.ContentType, Lang: lang, Title: in.Title,
		Text: text, Size: int64(len(in.Raw)), SourceID: in.SourceID, Capture: capture,
	}
	events, extractErr := p.extract(doc)
	var reports []*testigo.Report
	err = p.Store.Transact(ctx, func(tx testigo.Store) error {
		reports = make([]*testigo.Report, 0, len(events))
		if err := tx.CreateDocument(ctx, doc); err != nil {
			return err
		}
		for i, ev := range events {
			r := &testigo.Report{DocumentID: doc.ID, Index: i, Event: ev, ExtractorVersion: p.ExtractorVersion}
			if err := tx.CreateReport(ctx, r); err != nil {
				return fmt.Errorf("store report %d: %w", i, err)
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
					return fmt.Errorf("cluster report %d: %w", r.Index, err)
				}
			}
		}
		return nil
	})
	if errors.Is(err, testigo.ErrConflict) {
		// Another process stored the same bytes between our check and our
		// write: that is a duplicate, not a failure.
		if d, ferr := p.Store.FindDocumentByDigest(ctx, digest); ferr == nil {
			return Outcome{Document: d, Duplicate: true}, nil
		}
	}
	if err != nil {
		return Outcome{}, fmt.Errorf("ingest %s: %w", in.Name, err)
	}
	return Outcome{Document: doc, Reports: reports, ExtractErr: extractErr}, nil
}

// extract runs the extractor, which must never panic; if it does anyway the
// document is still stored, with no reports, rather than lost.
func (p *Pipeline) extract(doc *testigo.Document) (events []testigo.Event, err error) {
	if p.Extract == nil {
		return nil, nil
	}
	defer func() {
		if v := recover(); v != nil {
			events, err = nil, fmt.Errorf("extractor panicked: %v", v)
		}
	}()
	return p.Extract.Extract(doc.Text, doc.Lang, doc.Published), nil
}
