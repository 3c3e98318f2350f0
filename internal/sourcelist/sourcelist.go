// Package sourcelist reads and writes lists of sources for bulk setup: the
// CSV source-list format documented in the README and OPML, the outline
// format feed readers import and export.
//
// The CSV format has a header line naming its columns, in any order:
//
//	url,kind,lang,every,tags,name
//
// Only url is required. kind is feed (default), page or sitemap; lang is en,
// es or empty; every is a Go duration such as 15m or 1h (empty: the
// watcher's default); tags are separated by semicolons. Lines starting with
// # are comments.
package sourcelist

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// columns are the CSV columns, in the order Write uses.
var columns = []string{"url", "kind", "lang", "every", "tags", "name"}

// LineError is a problem with one line of a source list.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }

// ReadCSV reads a CSV source list. It returns the good sources and one
// *LineError for each bad line; a missing or unusable header is a single
// error and no sources.
func ReadCSV(r io.Reader) ([]*testigo.Source, []error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, []error{errors.New("source list is empty: want a header line such as url,kind,lang,every,tags,name")}
	}
	if err != nil {
		return nil, []error{fmt.Errorf("source list header: %w", err)}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(columns, h) {
			return nil, []error{fmt.Errorf("source list header: unknown column %q (known: %s)", h, strings.Join(columns, ", "))}
		}
		col[h] = i
	}
	if _, ok := col["url"]; !ok {
		return nil, []error{errors.New("source list header: no url column")}
	}
	var (
		out  []*testigo.Source
		errs []error
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs = append(errs, &LineError{Line: pe.Line, Err: pe.Err})
				continue
			}
			errs = append(errs, fmt.Errorf("source list: %w", err))
			break
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		src, err := Parse(get("url"), get("kind"), get("lang"), get("every"), get("tags"), get("name"))
		if err != nil {
			errs = append(errs, &LineError{Line: line, Err: err})
			continue
		}
		out = append(out, src)
	}
	return out, errs
}

// Parse builds a source from the text of its fields, as a CSV line or the
// command line gives them, and validates it.
func Parse(url, kind, lang, every, tags, name string) (*testigo.Source, error) {
	src := &testigo.Source{URL: url, Kind: testigo.SourceKind(strings.ToLower(kind)), Lang: strings.ToLower(lang), Name: name}
	if src.Kind == "" {
		src.Kind = testigo.SourceFeed
	}
	if src.Kind == testigo.SourceUpload {
		return nil, fmt.Errorf("%w: source kind upload cannot be watched (use feed, page or sitemap)", testigo.ErrInvalid)
	}
	if every != "" {
		d, err := time.ParseDuration(every)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%w: interval %q is not a positive duration such as 15m or 1h", testigo.ErrInvalid, every)
		}
		if d < time.Minute {
			return nil, fmt.Errorf("%w: interval %s is under one minute, which is impolite to any server", testigo.ErrInvalid, d)
		}
		src.Every = d
	}
	for t := range strings.SplitSeq(tags, ";") {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(src.Tags, t) {
			src.Tags = append(src.Tags, t)
		}
	}
	if err := src.Validate(); err != nil {
		return nil, err
	}
	return src, nil
}

// WriteCSV writes srcs as a CSV source list that ReadCSV reads back.
func WriteCSV(w io.Writer, srcs []*testigo.Source) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(columns); err != nil {
		return fmt.Errorf("write source list: %w", err)
	}
	for _, s := range srcs {
		every := ""
		if s.Every > 0 {
			every = s.Every.String()
		}
		if err := cw.Write([]string{s.URL, string(s.Kind), s.Lang, every, strings.Join(s.Tags, ";"), s.Name}); err != nil {
			return fmt.Errorf("write source list: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write source list: %w", err)
	}
	return nil
}
