package fetch

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/nlnwa/gowarc/v2"
)

func TestWriteWARC(t *testing.T) {
	const page = "<html><body>Seis personas sin vida en Culiacán.</body></html>"
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/nota?id=7", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"n7"`)
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("X-Evil", "a\r\nX-Forged: 1")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, page)
		zw.Close()
	})
	r, err := New(fast()).Get(t.Context(), s.URL+"/old", Conditional{})
	if err != nil {
		t.Fatal(err)
	}
	for _, compress := range []bool{false, true} {
		var buf bytes.Buffer
		if err := r.WriteWARC(&buf, compress); err != nil {
			t.Fatal(err)
		}
		if got := bytes.HasPrefix(buf.Bytes(), []byte{0x1f, 0x8b}); got != compress {
			t.Errorf("compress %v: gzip magic %v", compress, got)
		}
		recs := readWARC(t, buf.Bytes())
		if len(recs) != 3 {
			t.Fatalf("compress %v: %d records, want request, response, metadata", compress, len(recs))
		}
		req, resp, meta := recs[0], recs[1], recs[2]
		if req.Type() != gowarc.Request || resp.Type() != gowarc.Response || meta.Type() != gowarc.Metadata {
			t.Fatalf("record types %v %v %v", req.Type(), resp.Type(), meta.Type())
		}
		id := req.WarcHeader().Get(gowarc.WarcRecordID)
		for _, rec := range recs {
			h := rec.WarcHeader()
			if h.Get(gowarc.WarcTargetURI) != s.URL+"/nota?id=7" || !strings.HasPrefix(h.Get(gowarc.WarcBlockDigest), "sha256:") {
				t.Errorf("%v record header %v", rec.Type(), h)
			}
		}
		if resp.WarcHeader().Get(gowarc.WarcConcurrentTo) != id || meta.WarcHeader().Get(gowarc.WarcConcurrentTo) != id ||
			resp.WarcHeader().Get(gowarc.WarcIPAddress) != "127.0.0.1" {
			t.Errorf("response and metadata not linked to request %s: %v / %v", id, resp.WarcHeader(), meta.WarcHeader())
		}
		// gowarc gives the request target as the request line.
		rb, ok := req.Block().(gowarc.HttpRequestBlock)
		if !ok || rb.HttpRequestLine() != "/nota?id=7" || !strings.HasPrefix(rb.HttpHeader().Get("User-Agent"), "testigo/") {
			t.Errorf("request block %T: %q", req.Block(), rb.HttpRequestLine())
		}
		hb, ok := resp.Block().(gowarc.HttpResponseBlock)
		if !ok || hb.HttpStatusCode() != 200 || hb.HttpHeader().Get("ETag") != `"n7"` ||
			hb.HttpHeader().Get("X-Archive-Orig-Content-Encoding") != "gzip" || hb.HttpHeader().Get("Content-Encoding") != "" ||
			hb.HttpHeader().Get("X-Forged") != "" {
			t.Fatalf("response block %T: %v", resp.Block(), hb.HttpHeader())
		}
		payload, err := hb.PayloadBytes()
		if err != nil {
			t.Fatal(err)
		}
		if body, _ := io.ReadAll(payload); string(body) != page {
			t.Errorf("payload %q, want the decoded page", body)
		}
		raw, err := meta.Block().RawBytes()
		if err != nil {
			t.Fatal(err)
		}
		var m Metadata
		if err := json.NewDecoder(raw).Decode(&m); err != nil || m.URL != s.URL+"/old" || m.FinalURL != s.URL+"/nota?id=7" ||
			len(m.Redirects) != 1 || m.BodySize != len(page) {
			t.Errorf("metadata record = %+v, %v", m, err)
		}
		if !compress {
			// One changed byte in the stored page breaks its digest.
			bad := bytes.Replace(buf.Bytes(), []byte("Seis personas"), []byte("Diez personas"), 1)
			if _, errs := parseWARC(bad); len(errs) == 0 {
				t.Error("a changed page went unnoticed by the digest check")
			}
		}
	}
}

// readWARC reads every record back with gowarc's own reader, which
// checks their digests and lengths.
func readWARC(t *testing.T, b []byte) []gowarc.WarcRecord {
	t.Helper()
	recs, errs := parseWARC(b)
	for _, err := range errs {
		t.Error(err)
	}
	return recs
}

func parseWARC(b []byte) ([]gowarc.WarcRecord, []error) {
	rd, err := gowarc.NewWarcFileReaderFromStream(bytes.NewReader(b), 0, gowarc.WithStrictValidation())
	if err != nil {
		return nil, []error{err}
	}
	defer rd.Close()
	var out []gowarc.WarcRecord
	var errs []error
	for {
		rec, _, v, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return out, errs
		}
		if err != nil {
			return out, append(errs, fmt.Errorf("record %d: %w", len(out)+1, err))
		}
		if v != nil && !v.Valid() {
			errs = append(errs, fmt.Errorf("record %d: %v", len(out)+1, v))
		}
		// Reading the block to its end checks its digest.
		if raw, err := rec.Block().RawBytes(); err == nil {
			_, _ = io.Copy(io.Discard, raw) // a read error shows in ValidateDigest
		}
		if err := rec.ValidateDigest(v); err != nil || !v.Valid() {
			errs = append(errs, fmt.Errorf("record %d digest: %v %v", len(out)+1, err, v))
		}
		out = append(out, rec)
	}
}
