package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/testigo-project/testigo"
)

func (h *handler) loadDocument(ctx context.Context, idText string) (*testigo.Document, error) {
	id, err := pathID(idText)
	if err != nil {
		return nil, err
	}
	return h.Store.FindDocument(ctx, testigo.DocumentID(id))
}

func (h *handler) showDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toDocumentJSON(d))
	return nil
}

// rawDocument serves the archived raw bytes, always as plain text so that an
// archived page can never run in the reader's browser.
func (h *handler) rawDocument(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if h.Blobs == nil {
		return fmt.Errorf("%w: no archive is configured", testigo.ErrNotFound)
	}
	rc, err := h.Blobs.Open(d.SHA256)
	if err != nil {
		return fmt.Errorf("raw capture %s: %w", d.SHA256, err)
	}
	defer rc.Close()
	hd := w.Header()
	hd.Set("Content-Type", "text/plain; charset=utf-8")
	hd.Set("Content-Disposition", "inline")
	// Even a browser that ignored the type would get a sandboxed,
	// script-less document.
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	hd.Set("X-Testigo-SHA256", string(d.SHA256))
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are sent; the client sees a truncated body. Log only.
		h.Logger.Warn("raw capture copy failed", "sha256", d.SHA256, "err", err)
	}
	return nil
}

// segment is a piece of a document's text, marked when it is the evidence
// for an extracted field.
type segment struct {
	Text   string
	Start  int    // byte offset of Text in the document
	Fields string // comma-separated field names; empty for unmarked text
}

// documentPage is the data of one document's page.
type documentPage struct {
	Doc      *testigo.Document
	Reports  []*testigo.Report
	Segments []segment
}

func (h *handler) showDocumentPage(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	reports, err := h.Store.FindReports(r.Context(), testigo.ReportFilter{DocumentID: d.ID})
	if err != nil {
		return err
	}
	title := d.Title
	if title == "" {
		title = d.Name
	}
	return h.render(w, r, http.StatusOK, "document", title,
		documentPage{Doc: d, Reports: reports, Segments: highlight(d.Text, reports)})
}

// highlight cuts text into segments, marking each evidence span of the
// reports. Spans that do not match the text, cut a character in two or
// overlap an earlier span are left unmarked rather than guessed at.
func highlight(text string, reports []*testigo.Report) []segment {
	type mark struct {
		start, end int
		fields     []string
	}
	byRange := map[[2]int]*mark{}
	for _, r := range reports {
		for field, sp := range r.Evidence {
			if sp.Start < 0 || sp.End > len(text) || sp.Start >= sp.End ||
				text[sp.Start:sp.End] != sp.Quote || !utf8.ValidString(sp.Quote) {
				continue
			}
			k := [2]int{sp.Start, sp.End}
			if byRange[k] == nil {
				byRange[k] = &mark{start: sp.Start, end: sp.End}
			}
			byRange[k].fields = append(byRange[k].fields, field)
		}
	}
	marks := make([]*mark, 0, len(byRange))
	for _, m := range byRange {
		sort.Strings(m.fields)
		marks = append(marks, m)
	}
	sort.Slice(marks, func(i, j int) bool {
		if marks[i].start != marks[j].start {
			return marks[i].start < marks[j].start
		}
		return marks[i].end > marks[j].end
	})
	var out []segment
	pos := 0
	for _, m := range marks {
		if m.start < pos {
			continue
		}
		if m.start > pos {
			out = append(out, segment{Text: text[pos:m.start], Start: pos})
		}
		out = append(out, segment{Text: text[m.start:m.end], Start: m.start, Fields: strings.Join(m.fields, ", ")})
		pos = m.end
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:], Start: pos})
	}
	return out
}
