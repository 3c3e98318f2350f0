// Package ingest turns files and URLs into archived documents: it reads and
// checks each input, archives its raw bytes, stores the document and the
// reports the extractor reads from it, and hands each report to clustering,
// all in one transaction per document.
//
// Read and ReadBytes never stop at a bad input: each problem comes back as
// an *InputError naming the input (and the line, in a .jsonl file) on one
// line, and the good inputs are returned with it.
package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/readable"
)

// DefaultMaxBytes is the largest input Read accepts when given no limit.
const DefaultMaxBytes = 20 << 20

// Input is one document to ingest, as read from a file, a JSONL line or a
// URL. Text is the readable text, already normalised; Raw is the bytes whose
// SHA-256 names the document.
type Input struct {
	Name        string // file path ("path#line N" for a JSONL line) or URL
	URL         string
	Raw         []byte
	ContentType string
	ExternalID  string
	Published   time.Time
	Lang        string // "en", "es" or "" when not given
	Title       string
	Text        string
	// SourceID is the watched source the input came from; zero for inputs
	// given by hand.
	SourceID testigo.SourceID
	// Capture is the capture record of a web fetch (JSON: final URL, HTTP
	// status and headers, TLS peer certificates, tool version). It is
	// archived beside the raw bytes and its digest kept with the document.
	Capture []byte
}

// Read expands one command-line argument, a file path or an http(s) URL,
// into inputs. A file is judged by its extension (.txt, .md, .html, .htm,
// .json, .jsonl); a URL by the content type of the response. Files and
// responses over maxBytes (DefaultMaxBytes when maxBytes <= 0) are refused
// without being read in full. Problems come back in errs as *InputError
// values, one per bad input or bad .jsonl line; the good inputs are
// returned even when others fail.
func Read(ctx context.Context, client *http.Client, arg string, maxBytes int64) (inputs []Input, errs []error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if isURL(arg) {
		in, err := fetch(ctx, client, arg, maxBytes)
		if err != nil {
			return nil, []error{err}
		}
		return []Input{in}, nil
	}
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		return nil, []error{invalid(arg, "is a directory; give the files in it")}
	}
	if _, err := format(arg); err != nil {
		return nil, []error{err}
	}
	data, err := readFile(arg, maxBytes)
	if err != nil {
		return nil, []error{err}
	}
	return ReadBytes(arg, data)
}

func isURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// readFile reads the file name, refusing one larger than maxBytes before
// reading it, and stopping at maxBytes+1 if it grows while being read.
func readFile(name string, maxBytes int64) ([]byte, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, invalid(name, "no such file")
	}
	if err != nil {
		return nil, &InputError{Name: name, Err: pathErr(err)}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, &InputError{Name: name, Err: pathErr(err)}
	}
	if fi.IsDir() {
		return nil, invalid(name, "is a directory; give the files in it")
	}
	if fi.Mode().IsRegular() && fi.Size() > maxBytes {
		return nil, invalid(name, "%s is over the %s limit", sizeText(fi.Size()), sizeText(maxBytes))
	}
	data, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return nil, &InputError{Name: name, Err: pathErr(err)}
	}
	if int64(len(data)) > maxBytes {
		return nil, invalid(name, "over the %s limit", sizeText(maxBytes))
	}
	return data, nil
}

// pathErr drops the path from an *fs.PathError, which InputError names
// already.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// sizeText formats a size in bytes for an error message: "20.0 MB", or
// "1000 bytes" below a megabyte.
func sizeText(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// format returns the lower-case extension of name if ingest reads it.
func format(name string) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".txt", ".md", ".html", ".htm", ".json", ".jsonl":
		return ext, nil
	case "":
		ext = "no extension"
	}
	return "", invalid(name, "unsupported file type %q (want .txt, .md, .html, .json or .jsonl)", ext)
}

// ReadBytes parses the bytes of a file named name; its extension decides the
// format: .txt, .md, .html/.htm, .json (one document) or .jsonl (one
// document per line). Errors are as for Read.
func ReadBytes(name string, data []byte) ([]Input, []error) {
	ext, err := format(name)
	if err != nil {
		return nil, []error{err}
	}
	var in Input
	switch ext {
	case ".jsonl":
		return readJSONL(name, data)
	case ".json":
		in, err = readJSON(name, data)
	case ".html", ".htm":
		in, err = readHTML(name, data, "")
	default:
		in, err = readText(name, ext, data)
	}
	if err != nil {
		return nil, []error{err}
	}
	return []Input{in}, nil
}

// checkBinary rejects empty input and input with NUL bytes, which text in
// any encoding we read never has.
func checkBinary(name string, data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return invalid(name, "empty")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return invalid(name, "binary data (NUL byte at offset %d), not text", i)
	}
	return nil
}

// checkText is checkBinary plus valid UTF-8.
func checkText(name string, data []byte) error {
	if err := checkBinary(name, data); err != nil {
		return err
	}
	if i := badUTF8(data); i >= 0 {
		return invalid(name, "not valid UTF-8 (bad byte at offset %d)", i)
	}
	return nil
}

// badUTF8 returns the offset of the first byte that is not valid UTF-8, or
// -1.
func badUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// readHTML reads an HTML page. Pages may be in any character set the page
// declares or that can be detected, so only binary data is refused up front.
func readHTML(name string, data []byte, pageURL string) (Input, error) {
	if err := checkBinary(name, data); err != nil {
		return Input{}, err
	}
	doc, err := readable.FromHTML(data, pageURL)
	if err != nil {
		return Input{}, &InputError{Name: name, Err: err}
	}
	return Input{Name: name, URL: pageURL, Raw: data, ContentType: "text/html", Text: doc.Text,
		Title: doc.Title, Lang: doc.Lang, Published: doc.Published}, nil
}

// readText reads a .txt or .md file, with its optional header block.
func readText(name, ext string, data []byte) (Input, error) {
	if err := checkText(name, data); err != nil {
		return Input{}, err
	}
	in := Input{Name: name, Raw: data, ContentType: "text/plain"}
	body, err := parseHeader(name, readable.Normalize(string(data)), &in)
	if err != nil {
		return Input{}, err
	}
	if ext == ".md" {
		in.ContentType, in.Text = "text/markdown", readable.FromMarkdown(body)
	} else {
		in.Text = readable.Normalize(body)
	}
	if in.Text == "" {
		return Input{}, invalid(name, "no text after the header")
	}
	return in, nil
}

// headerKeys are the lines a header block may have.
var headerKeys = map[string]bool{"source": true, "published": true, "language": true, "lang": true,
	"note": true, "url": true, "title": true}

// parseHeader reads an optional header block at the top of a text — lines
// "source:", "published:", "language:", "note:" (also "url:", "title:")
// followed by a blank line — into in, and returns the text after it. A
// first paragraph with any other line is text, not a header.
func parseHeader(name, s string, in *Input) (string, error) {
	head, body, ok := strings.Cut(s, "\n\n")
	if !ok {
		head, body = s, "" // a header with nothing after it, or no header
	}
	fields := map[string]string{}
	for line := range strings.SplitSeq(head, "\n") {
		k, v, found := strings.Cut(line, ":")
		k = strings.ToLower(strings.TrimSpace(k))
		if !found || !headerKeys[k] {
			return s, nil
		}
		fields[k] = strings.TrimSpace(v)
	}
	if p := fields["published"]; p != "" {
		t, err := parseDate(p)
		if err != nil {
			return "", invalid(name, "header published %q is not a YYYY-MM-DD or RFC 3339 date", p)
		}
		in.Published = t
	}
	lang := fields["language"]
	if lang == "" {
		lang = fields["lang"]
	}
	l, err := parseLang(lang)
	if err != nil {
		return "", invalid(name, "header language %q is not en or es", lang)
	}
	in.Lang, in.URL, in.Title = l, fields["url"], fields["title"]
	return body, nil
}

// parseDate reads a document date: YYYY-MM-DD or RFC 3339.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(testigo.DateLayout, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// parseLang accepts "en", "es" and tags such as "es-MX", in any case.
func parseLang(s string) (string, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	if len(l) > 2 && (l[2] == '-' || l[2] == '_') {
		l = l[:2]
	}
	switch l {
	case "", "en", "es":
		return l, nil
	}
	return "", fmt.Errorf("language %q is not en or es", s)
}

// jsonDoc is one document in .json and .jsonl inputs.
type jsonDoc struct {
	ID        json.RawMessage `json:"id"`
	Text      *string         `json:"text"`
	URL       string          `json:"url"`
	Published *string         `json:"published"`
	Lang      *string         `json:"lang"`
	Title     string          `json:"title"`
}

func readJSON(name string, data []byte) (Input, error) {
	if err := checkText(name, data); err != nil {
		return Input{}, err
	}
	var d jsonDoc
	if err := json.Unmarshal(data, &d); err != nil {
		return Input{}, invalid(name, "invalid JSON: %v", err)
	}
	in, err := d.input(name, data)
	if err != nil {
		return Input{}, invalid(name, "%v", err)
	}
	return in, nil
}

// input checks d and returns it as an Input named name with raw bytes raw.
func (d jsonDoc) input(name string, raw []byte) (Input, error) {
	if d.Text == nil {
		return Input{}, errors.New(`no "text" field`)
	}
	text := readable.Normalize(*d.Text)
	if text == "" {
		return Input{}, errors.New(`"text" is empty`)
	}
	in := Input{Name: name, Raw: raw, ContentType: "application/json", URL: d.URL, Text: text,
		Title: readable.Normalize(d.Title)}
	if len(d.ID) > 0 && string(d.ID) != "null" {
		var s string
		if err := json.Unmarshal(d.ID, &s); err != nil {
			s = string(d.ID) // a numeric id is kept as written
		}
		in.ExternalID = s
	}
	if d.Published != nil && *d.Published != "" {
		t, err := parseDate(*d.Published)
		if err != nil {
			return Input{}, fmt.Errorf(`"published" %q is not a YYYY-MM-DD or RFC 3339 date`, *d.Published)
		}
		in.Published = t
	}
	if d.Lang != nil {
		l, err := parseLang(*d.Lang)
		if err != nil {
			return Input{}, fmt.Errorf(`"lang" %q is not en or es`, *d.Lang)
		}
		in.Lang = l
	}
	return in, nil
}

// readJSONL reads one document per line. Each line is judged on its own, so
// one bad line costs only itself; a binary file is refused as a whole.
func readJSONL(name string, data []byte) ([]Input, []error) {
	if err := checkBinary(name, data); err != nil {
		return nil, []error{err}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	var (
		ins  []Input
		errs []error
	)
	n := 0
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		n++
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if i := badUTF8(line); i >= 0 {
			errs = append(errs, invalidLine(name, n, "not valid UTF-8 (bad byte at column %d)", i+1))
			continue
		}
		var d jsonDoc
		if err := json.Unmarshal(line, &d); err != nil {
			errs = append(errs, invalidLine(name, n, "invalid JSON: %v", err))
			continue
		}
		in, err := d.input(fmt.Sprintf("%s#line %d", name, n), line)
		if err != nil {
			errs = append(errs, invalidLine(name, n, "%v", err))
			continue
		}
		ins = append(ins, in)
	}
	if len(ins) == 0 && len(errs) == 0 {
		return nil, []error{invalid(name, "empty")}
	}
	return ins, errs
}
