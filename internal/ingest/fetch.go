package ingest

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/testigo-project/testigo"
)

// DefaultTimeout limits fetching one URL when the client has no timeout of
// its own.
const DefaultTimeout = 30 * time.Second

// fetch downloads a URL given by hand and reads it by its content type:
// HTML pages through readable.FromHTML, plain text and Markdown as text,
// JSON as one document. Responses over maxBytes are refused, by their
// Content-Length when they declare one, before reading them.
func fetch(ctx context.Context, client *http.Client, u string, maxBytes int64) (Input, error) {
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	if client.Timeout == 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Input{}, invalid(u, "bad URL: %v", err)
	}
	req.Header.Set("User-Agent", "testigo/"+testigo.Version+" (+https://github.com/testigo-project/testigo)")
	req.Header.Set("Accept", "text/html, application/xhtml+xml, text/plain;q=0.9, text/markdown;q=0.9, application/json;q=0.8")
	resp, err := client.Do(req)
	if err != nil {
		return Input{}, &InputError{Name: u, Err: fmt.Errorf("fetch: %w", err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Input{}, &InputError{Name: u, Err: fmt.Errorf("fetch: HTTP status %s", resp.Status)}
	}
	if resp.ContentLength > maxBytes {
		return Input{}, invalid(u, "response of %s is over the %s limit", sizeText(resp.ContentLength), sizeText(maxBytes))
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return Input{}, &InputError{Name: u, Err: fmt.Errorf("fetch: %w", err)}
	}
	if int64(len(raw)) > maxBytes {
		return Input{}, invalid(u, "response is over the %s limit", sizeText(maxBytes))
	}
	return FromResponse(u, resp.Request.URL.String(), resp.Header.Get("Content-Type"), raw)
}

// FromResponse reads the body of a successful web fetch by its content type:
// HTML pages through readable.FromHTML, plain text and Markdown as text,
// JSON as one document. u is the URL asked for and final the URL after
// redirects, which relative links in the page resolve against.
func FromResponse(u, final, declared string, raw []byte) (Input, error) {
	var (
		in  Input
		err error
	)
	switch ct := contentType(declared, raw); ct {
	case "text/html", "application/xhtml+xml":
		in, err = readHTML(u, raw, final)
	case "text/plain":
		in, err = readText(u, ".txt", raw)
	case "text/markdown", "text/x-markdown":
		in, err = readText(u, ".md", raw)
	case "application/json":
		in, err = readJSON(u, raw)
	default:
		return Input{}, invalid(u, "unsupported content type %q (want HTML, plain text, Markdown or JSON)", ct)
	}
	if err != nil {
		return Input{}, err
	}
	in.ContentType = contentTypeOr(in.ContentType, declared)
	if in.URL == "" {
		in.URL = final
	}
	return in, nil
}

// contentType returns the media type of a response: the declared one, or
// the sniffed one when the server declares none, a generic binary type, or
// plain text for what is plainly an HTML page.
func contentType(declared string, body []byte) string {
	ct, _, _ := mime.ParseMediaType(declared)
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(body))
	switch {
	case ct == "", ct == "application/octet-stream":
		return sniffed
	case ct == "text/plain" && sniffed == "text/html":
		return sniffed
	}
	return ct
}

// contentTypeOr keeps the declared media type (without parameters) when it
// names what was read, else the type the reader settled on.
func contentTypeOr(read, declared string) string {
	ct, _, _ := mime.ParseMediaType(declared)
	if ct == "" || ct == "application/octet-stream" || ct == "text/plain" && read == "text/html" {
		return read
	}
	return ct
}
