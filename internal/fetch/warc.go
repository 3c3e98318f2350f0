package fetch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/nlnwa/gowarc/v2"
)

// WriteWARC writes r to w as WARC 1.1 records that standard replay tools
// read: a request record (the request line and the headers sent), a
// response record (status line, headers and the decoded body) and a
// metadata record holding the capture record (Metadata as JSON), the
// last two WARC-Concurrent-To the request. Every record carries a
// SHA-256 block digest, the response also a payload digest. With
// compress, each record is a gzip member of its own, as in a .warc.gz
// file; without it, the records are plain WARC.
//
// The body is the decoded one, so Content-Encoding, Transfer-Encoding and
// Content-Length are kept as X-Archive-Orig- headers and Content-Length
// states the stored body's size. A 304 is written with no body.
func (r *Response) WriteWARC(w io.Writer, compress bool) error {
	req, err := r.requestRecord()
	if err != nil {
		return fmt.Errorf("warc request record of %s: %w", r.FinalURL, err)
	}
	id := req.WarcHeader().Get(gowarc.WarcRecordID)
	resp, err := r.responseRecord(id)
	if err != nil {
		return fmt.Errorf("warc response record of %s: %w", r.FinalURL, err)
	}
	meta, err := r.metadataRecord(id)
	if err != nil {
		return fmt.Errorf("warc metadata record of %s: %w", r.FinalURL, err)
	}
	m := gowarc.NewMarshaler()
	for _, rec := range []gowarc.WarcRecord{req, resp, meta} {
		out, zw := w, (*gzip.Writer)(nil)
		if compress {
			zw = gzip.NewWriter(w)
			out = zw
		}
		_, _, err := m.Marshal(out, rec, 0)
		if cerr := rec.Close(); err == nil {
			err = cerr
		}
		if err == nil && zw != nil {
			err = zw.Close()
		}
		if err != nil {
			return fmt.Errorf("write warc records of %s: %w", r.FinalURL, err)
		}
	}
	return nil
}

func (r *Response) requestRecord() (gowarc.WarcRecord, error) {
	u, err := url.Parse(r.FinalURL)
	if err != nil {
		return nil, err
	}
	var block bytes.Buffer
	fmt.Fprintf(&block, "GET %s HTTP/1.1\r\nHost: %s\r\n", u.RequestURI(), u.Host)
	writeHeader(&block, r.RequestHeader, nil)
	block.WriteString("\r\n")
	return r.build(gowarc.Request, "application/http;msgtype=request", block.Bytes(), "")
}

func (r *Response) responseRecord(concurrentTo string) (gowarc.WarcRecord, error) {
	var block bytes.Buffer
	fmt.Fprintf(&block, "HTTP/1.1 %d %s\r\n", r.Status, http.StatusText(r.Status))
	writeHeader(&block, r.Header, map[string]bool{"Content-Encoding": true, "Transfer-Encoding": true, "Content-Length": true})
	fmt.Fprintf(&block, "Content-Length: %s\r\n\r\n", strconv.Itoa(len(r.Body)))
	block.Write(r.Body)
	return r.build(gowarc.Response, "application/http;msgtype=response", block.Bytes(), concurrentTo)
}

func (r *Response) metadataRecord(concurrentTo string) (gowarc.WarcRecord, error) {
	js, err := json.Marshal(r.Metadata())
	if err != nil {
		return nil, err
	}
	return r.build(gowarc.Metadata, "application/json", js, concurrentTo)
}

// build makes one record of r's capture.
func (r *Response) build(typ gowarc.RecordType, contentType string, block []byte, concurrentTo string) (gowarc.WarcRecord, error) {
	b := gowarc.NewRecordBuilder(typ, gowarc.WithDefaultDigestAlgorithm("sha256"),
		gowarc.WithAddMissingDigest(true), gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingContentLength(true))
	if _, err := b.Write(block); err != nil {
		return nil, err
	}
	b.AddWarcHeader(gowarc.WarcTargetURI, r.FinalURL)
	b.AddWarcHeaderTime(gowarc.WarcDate, r.FetchedAt.UTC())
	b.AddWarcHeader(gowarc.ContentType, contentType)
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil && typ != gowarc.Metadata {
		b.AddWarcHeader(gowarc.WarcIPAddress, host)
	}
	if concurrentTo != "" {
		b.AddWarcHeader(gowarc.WarcConcurrentTo, concurrentTo)
	}
	rec, _, err := b.Build()
	return rec, err
}

// writeHeader writes h sorted by name, one line per value, renaming the
// names in orig to X-Archive-Orig-<name>. Line breaks inside values become
// spaces, so that no value can forge a header line.
func writeHeader(w *bytes.Buffer, h http.Header, orig map[string]bool) {
	keys := slices.Sorted(maps.Keys(h))
	clean := strings.NewReplacer("\r", " ", "\n", " ")
	for _, k := range keys {
		name := k
		if orig[http.CanonicalHeaderKey(k)] {
			name = "X-Archive-Orig-" + k
		}
		for _, v := range h[k] {
			fmt.Fprintf(w, "%s: %s\r\n", name, clean.Replace(v))
		}
	}
}
