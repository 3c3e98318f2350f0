// Package warc writes every web capture as WARC 1.1 records (through
// github.com/nlnwa/gowarc), so that standard web-archive tools (pywb,
// ReplayWeb.page, warcio) can open what testigo captured: a response record
// with the HTTP status line, headers and body, and a metadata record with
// testigo's capture record (final URL, TLS certificate chain, tool version)
// concurrent to it. Files rotate at a size limit and are gzip-compressed per
// record, so a crash can only cut the last record short.
//
// The body is stored as testigo received it after decompression: the
// transfer and content encodings are recorded under X-Archive-Orig- names
// and the Content-Length is that of the stored body, which replay tools
// expect.
package warc

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nlnwa/gowarc/v2"
)

// Writer appends captures to rotating WARC files in one directory.
type Writer struct {
	w   *gowarc.WarcFileWriter
	dir string
	// mu serialises record building: gowarc's record builder sets a
	// package-level option of github.com/google/uuid each time it is made,
	// which races when workers capture at once.
	mu sync.Mutex
}

// Open starts a writer of .warc.gz files in dir (created if needed), each
// up to maxSize bytes (1 GB when zero). Close it to flush and finish the
// open file.
func Open(dir string, maxSize int64) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("warc: %w", err)
	}
	if maxSize <= 0 {
		maxSize = 1 << 30
	}
	fw := gowarc.NewWarcFileWriter(
		// The process ID keeps two processes (a watcher and the one that
		// replaced it in the same second) from choosing the same name.
		gowarc.WithFileNameGenerator(&gowarc.PatternNameGenerator{Directory: dir, Prefix: "testigo-" + strconv.Itoa(os.Getpid()) + "-"}),
		gowarc.WithCompression(true),
		gowarc.WithMaxFileSize(maxSize),
		gowarc.WithMaxConcurrentWriters(1),
		gowarc.WithFlush(true),
		gowarc.WithRecordOptions(gowarc.WithDefaultDigestAlgorithm("sha256")),
	)
	return &Writer{w: fw, dir: dir}, nil
}

// Capture is one HTTP exchange to record.
type Capture struct {
	URL       string // final URL, after redirects
	Status    int
	Header    http.Header
	Body      []byte
	FetchedAt time.Time
	Record    []byte // testigo's capture record (JSON), for the metadata record
}

// Write records c. It returns the file and offset of the response record.
func (w *Writer) Write(c Capture) (file string, offset int64, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	resp, id, err := responseRecord(c)
	if err != nil {
		return "", 0, err
	}
	recs := []gowarc.WarcRecord{resp}
	if len(c.Record) > 0 {
		meta, err := metadataRecord(c, id)
		if err != nil {
			return "", 0, err
		}
		recs = append(recs, meta)
	}
	res := w.w.Write(recs...)
	for _, r := range res {
		if r.Err != nil {
			return "", 0, fmt.Errorf("warc: write %s: %w", c.URL, r.Err)
		}
	}
	if len(res) == 0 {
		return "", 0, errors.New("warc: nothing written")
	}
	return res[0].FileName, res[0].FileOffset, nil
}

// Close finishes the open file.
func (w *Writer) Close() error {
	if err := w.w.Close(); err != nil {
		return fmt.Errorf("warc: close: %w", err)
	}
	return nil
}

func responseRecord(c Capture) (gowarc.WarcRecord, string, error) {
	var block bytes.Buffer
	fmt.Fprintf(&block, "HTTP/1.1 %d %s\r\n", c.Status, http.StatusText(c.Status))
	keys := make([]string, 0, len(c.Header))
	for k := range c.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := k
		switch strings.ToLower(k) {
		case "content-encoding", "transfer-encoding", "content-length":
			name = "X-Archive-Orig-" + k
		}
		for _, v := range c.Header[k] {
			fmt.Fprintf(&block, "%s: %s\r\n", name, strings.NewReplacer("\r", " ", "\n", " ").Replace(v))
		}
	}
	fmt.Fprintf(&block, "Content-Length: %s\r\n\r\n", strconv.Itoa(len(c.Body)))
	block.Write(c.Body)

	b := gowarc.NewRecordBuilder(gowarc.Response, gowarc.WithDefaultDigestAlgorithm("sha256"),
		gowarc.WithAddMissingDigest(true), gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingContentLength(true))
	if _, err := b.Write(block.Bytes()); err != nil {
		return nil, "", fmt.Errorf("warc: response of %s: %w", c.URL, err)
	}
	b.AddWarcHeader(gowarc.WarcTargetURI, c.URL)
	b.AddWarcHeaderTime(gowarc.WarcDate, c.FetchedAt.UTC())
	b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	rec, _, err := b.Build()
	if err != nil {
		return nil, "", fmt.Errorf("warc: response of %s: %w", c.URL, err)
	}
	return rec, rec.WarcHeader().Get(gowarc.WarcRecordID), nil
}

func metadataRecord(c Capture, concurrentTo string) (gowarc.WarcRecord, error) {
	b := gowarc.NewRecordBuilder(gowarc.Metadata, gowarc.WithDefaultDigestAlgorithm("sha256"),
		gowarc.WithAddMissingDigest(true), gowarc.WithAddMissingRecordId(true), gowarc.WithAddMissingContentLength(true))
	if _, err := b.Write(c.Record); err != nil {
		return nil, fmt.Errorf("warc: metadata of %s: %w", c.URL, err)
	}
	b.AddWarcHeader(gowarc.WarcTargetURI, c.URL)
	b.AddWarcHeaderTime(gowarc.WarcDate, c.FetchedAt.UTC())
	b.AddWarcHeader(gowarc.WarcConcurrentTo, concurrentTo)
	b.AddWarcHeader(gowarc.ContentType, "application/json")
	rec, _, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("warc: metadata of %s: %w", c.URL, err)
	}
	return rec, nil
}
