package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
)

// Cache lifetimes of successful API reads. Public data changes when reports
// arrive or analysts review, so shared caches may keep it briefly and then
// revalidate with the ETag; the API description changes only with a release.
const (
	cacheData    = "public, max-age=60"
	cacheSpec    = "public, max-age=3600"
	cacheNoStore = "no-store"
)

// cacheControlFor returns the Cache-Control of a successful read of path.
func cacheControlFor(path string) string {
	switch path {
	case "/healthz", "/api/v1/alerts": // the alert list is for admins only
		return cacheNoStore
	case "/api/v1/openapi.json":
		return cacheSpec
	}
	return cacheData
}

// bufferedWriter holds a response back so that its ETag can be computed
// from the whole body before anything is sent.
type bufferedWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// etagOf is the strong entity tag of body: a hash of its bytes.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:]) + `"`
}

// noneMatch reports whether an If-None-Match header value fails to match
// etag, i.e. whether the full response must be sent. It uses the weak
// comparison RFC 9110 prescribes for If-None-Match.
func noneMatch(header, etag string) bool {
	if header == "" {
		return true
	}
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return false
		}
	}
	return true
}

// withETags gives successful GET and HEAD answers a strong ETag and a
// Cache-Control, and answers 304 Not Modified when If-None-Match names the
// current ETag. Failed reads are marked no-store; other methods pass through.
func withETags(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		buf := &bufferedWriter{ResponseWriter: w}
		next.ServeHTTP(buf, r)
		status := buf.status
		if status == 0 {
			status = http.StatusOK
		}
		hd := w.Header()
		switch {
		case status == http.StatusOK:
			etag := etagOf(buf.body.Bytes())
			hd.Set("ETag", etag)
			hd.Set("Cache-Control", cacheControlFor(r.URL.Path))
			if !noneMatch(r.Header.Get("If-None-Match"), etag) {
				hd.Del("Content-Type")
				hd.Del("Content-Length")
				w.WriteHeader(http.StatusNotModified)
				return
			}
		case status >= 400:
			hd.Set("Cache-Control", cacheNoStore)
		}
		hd.Set("Content-Length", strconv.Itoa(buf.body.Len()))
		w.WriteHeader(status)
		_, _ = w.Write(buf.body.Bytes()) // the client may be gone; nothing to do about it
	})
}
