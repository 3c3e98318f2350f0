// Package ingest turns files and URLs into archived documents: it reads and
// checks each input, archives its raw bytes, stores the document and the
// reports the extractor reads from it, and hands each report to clustering,
// all in one transaction per document.
package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/readable"
)

// Input is one document to ingest, as read from a file, a JSONL line or a
// URL.
type Input struct {
	Name        string // file path (with "#line N" for JSONL) or URL
	URL         string
	Raw         []byte // the bytes whose SHA-256 names the document
	ContentType string
	ExternalID  string
	Published   time.Time
	Lang        string
	Title       string
	Text        string // readable text
}

// InputError is a problem with one input; the rest of the batch goes on.
type InputError struct {
	Name string
	Err  error
}

func (e *InputError) Error() string { return e.Name + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

func inputErr(name, format string, args ...any) error {
	return &InputError{Name: name, Err: fmt.Errorf("%w: "+format, append([]any{testigo.ErrInvalid}, args...)...)}
}

// Read expands one command-line argument, a file path or an http(s) URL,
// into inputs. Problems come back in errs, one per bad input, each naming
// it; good inputs are returned even when others fail.
func Read(ctx context.Context, client *http.Client, arg string, maxBytes int64) ([]Input, []error) {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		in, err := fetch(ctx, client, arg, maxBytes)
		if err != nil {
			return nil, []error{err}
		}
		return []Input{in}, nil
	}
	fi, err := os.Stat(arg)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, []error{inputErr(arg, "no such file")}
	case err != nil:
		return nil, []error{&InputError{Name: arg, Err: err}}
	case fi.IsDir():
		return nil, []error{inputErr(arg, "is a directory; give the files in it")}
	case fi.Size() > maxBytes:
		return nil, []error{inputErr(arg, "%s is over the %s limit", sizeText(fi.Size()), sizeText(maxBytes))}
	}
	data, err := os.ReadFile(arg)
	if err != nil {
		return nil, []error{&InputError{Name: arg, Err: err}}
	}
	return ReadBytes(arg, data)
}

func sizeText(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// ReadBytes parses the bytes of a file named name; its extension decides the
// format: .txt, .md, .html/.htm, .json (one document) or .jsonl (one
// document per line).
func ReadBytes(name string, data []byte) ([]Input, []error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".txt", ".md", ".html", ".htm":
		in, err := readText(name, ext, data)
		if err != nil {
			return nil, []error{err}
		}
		return []Input{in}, nil
	case ".json":
		in, err := readJSON(name, data)
		if err != nil {
			return nil, []error{err}
		}
		return []Input{in}, nil
	case ".jsonl":
		return readJSONL(name, data)
	}
	if ext == "" {
		ext = "no extension"
	}
	return nil, []error{inputErr(name, "unsupported file type %q (want .txt, .md, .html, .json or .jsonl)", ext)}
}

// checkText rejects what cannot be a text document: empty input, NUL bytes
// and invalid UTF-8.
func checkText(name string, data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return inputErr(name, "empty")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return inputErr(name, "binary data (NUL byte at offset %d), not text", i)
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return inputErr(name, "not valid UTF-8 (bad byte at offset %d)", i)
	}
	return nil
}

func readText(name, ext string, data []byte) (Input, error) {
	if err := checkText(name, data); err != nil {
		return Input{}, err
	}
	in := Input{Name: name, Raw: data}
	switch ext {
	case ".html", ".htm":
		doc, err := readable.FromHTML(data, "")
		if err != nil {
			return Input{}, &InputError{Name: name, Err: err}
		}
		in.ContentType, in.Text, in.Title, in.Lang, in.Published = "text/html", doc.Text, doc.Title, doc.Lang, doc.Published
	case ".md":
		in.ContentType, in.Text = "text/markdown", string(data)
	default:
		in.ContentType = "text/plain"
		if err := parseHeader(name, string(data), &in); err != nil {
			return Input{}, err
		}
	}
	if strings.TrimSpace(in.Text) == "" {
		return Input{}, inputErr(name, "no text after the header")
	}
	return in, nil
}

// parseHeader reads an optional header block at the top of a text file —
// lines "source:", "published:", "language:", "note:" followed by a blank
// line — into in, and sets in.Text to what follows it.
func parseHeader(name, s string, in *Input) error {
	in.Text = s
	head, body, ok := strings.Cut(s, "\n\n")
	if !ok {
		return nil
	}
	fields := map[string]string{}
	for _, line := range strings.Split(head, "\n") {
		k, v, found := strings.Cut(line, ":")
		k = strings.ToLower(strings.TrimSpace(k))
		switch {
		case !found, k != "source" && k != "published" && k != "language" && k != "lang" && k != "note" && k != "url" && k != "title":
			return nil // not a header: the whole file is text
		}
		fields[k] = strings.TrimSpace(v)
	}
	if p := fields["published"]; p != "" {
		t, err := parseDate(p)
		if err != nil {
			return inputErr(name, "header published %q is not a YYYY-MM-DD date", p)
		}
		in.Published = t
	}
	lang := fields["language"]
	if lang == "" {
		lang = fields["lang"]
	}
	if lang != "" && lang != "en" && lang != "es" {
		return inputErr(name, "header language %q is not en or es", lang)
	}
	in.Lang, in.URL, in.Title = lang, fields["url"], fields["title"]
	in.Text = strings.TrimLeft(body, "\n")
	return nil
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(testigo.DateLayout, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// jsonDoc is one document in .json and .jsonl inputs.
type jsonDoc struct {
	ID        json.RawMessage `json:"id"`
	Text      *string         `json:"text"`
	URL       string          `json:"url"`
	Published string          `json:"published"`
	Lang      string          `json:"lang"`
	Title     string          `json:"title"`
}

func readJSON(name string, data []byte) (Input, error) {
	if err := checkText(name, data); err != nil {
		return Input{}, err
	}
	var d jsonDoc
	if err := json.Unmarshal(data, &d); err != nil {
		return Input{}, inputErr(name, "invalid JSON: %v", err)
	}
	return d.input(name, data)
}

func (d jsonDoc) input(name string, raw []byte) (Input, error) {
	if d.Text == nil {
		return Input{}, inputErr(name, `no "text" field`)
	}
	if strings.TrimSpace(*d.Text) == "" {
		return Input{}, inputErr(name, `"text" is empty`)
	}
	in := Input{Name: name, Raw: raw, ContentType: "application/json", URL: d.URL, Text: *d.Text, Title: d.Title}
	if len(d.ID) > 0 && string(d.ID) != "null" {
		var s string
		if err := json.Unmarshal(d.ID, &s); err != nil {
			s = string(d.ID) // a numeric id is kept as written
		}
		in.ExternalID = s
	}
	if d.Published != "" {
		t, err := parseDate(d.Published)
		if err != nil {
			return Input{}, inputErr(name, `"published" %q is not a YYYY-MM-DD or RFC 3339 date`, d.Published)
		}
		in.Published = t
	}
	if d.Lang != "" && d.Lang != "en" && d.Lang != "es" {
		return Input{}, inputErr(name, `"lang" %q is not en or es`, d.Lang)
	}
	in.Lang = d.Lang
	return in, nil
}

func readJSONL(name string, data []byte) ([]Input, []error) {
	if err := checkText(name, data); err != nil {
		return nil, []error{err}
	}
	var (
		ins  []Input
		errs []error
	)
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		lineName := fmt.Sprintf("%s#line %d", name, i+1)
		var d jsonDoc
		if err := json.Unmarshal(line, &d); err != nil {
			errs = append(errs, inputErr(lineName, "invalid JSON: %v", err))
			continue
		}
		in, err := d.input(lineName, line)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ins = append(ins, in)
	}
	return ins, errs
}

// fetch downloads a URL given by hand, refusing bodies over maxBytes.
func fetch(ctx context.Context, client *http.Client, u string, maxBytes int64) (Input, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Input{}, inputErr(u, "bad URL: %v", err)
	}
	req.Header.Set("User-Agent", "testigo/"+testigo.Version+" (+https://github.com/testigo-project/testigo)")
	resp, err := client.Do(req)
	if err != nil {
		return Input{}, &InputError{Name: u, Err: fmt.Errorf("fetch: %w", err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Input{}, inputErr(u, "fetch: HTTP status %s", resp.Status)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return Input{}, &InputError{Name: u, Err: fmt.Errorf("fetch: %w", err)}
	}
	if int64(len(raw)) > maxBytes {
		return Input{}, inputErr(u, "response is over the %s limit", sizeText(maxBytes))
	}
	final := resp.Request.URL.String()
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == "" {
		ct = http.DetectContentType(raw)
		ct, _, _ = mime.ParseMediaType(ct)
	}
	switch ct {
	case "text/html", "application/xhtml+xml":
		if err := checkText(u, raw); err != nil {
			return Input{}, err
		}
		doc, err := readable.FromHTML(raw, final)
		if err != nil {
			return Input{}, &InputError{Name: u, Err: err}
		}
		return Input{Name: u, URL: final, Raw: raw, ContentType: ct, Text: doc.Text, Title: doc.Title,
			Lang: doc.Lang, Published: doc.Published}, nil
	case "text/plain":
		if err := checkText(u, raw); err != nil {
			return Input{}, err
		}
		return Input{Name: u, URL: final, Raw: raw, ContentType: ct, Text: string(raw)}, nil
	}
	return Input{}, inputErr(u, "unsupported content type %q (want HTML or plain text)", ct)
}
