// Package web serves testigo's JSON API and its server-rendered HTML pages
// over a testigo.Store. Every route is declared in routes.go; errors are
// mapped to HTTP statuses in errors.go only.
package web

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/testigo-project/testigo"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// BlobOpener opens archived raw captures by digest. It returns an error
// wrapping testigo.ErrNotFound when the blob is absent.
type BlobOpener interface {
	Open(d testigo.Digest) (io.ReadCloser, error)
}

// Deps is what the handler needs. Store is required. Blobs may be nil, in
// which case raw captures are reported as not found; a nil Logger discards
// the log and a nil Now means time.Now.
type Deps struct {
	Store  testigo.Store
	Blobs  BlobOpener
	Logger *slog.Logger
	Now    func() time.Time
	// Tokens checks the bearer tokens of the API's write endpoints; when
	// nil, writes answer 403.
	Tokens TokenChecker
	// RateLimit bounds each client's API requests; the zero value is the
	// default limit.
	RateLimit RateLimit
}

// handler holds the parsed templates and the dependencies of every route.
type handler struct {
	Deps
	pages map[string]*template.Template
}

// NewHandler returns the http.Handler serving the API and the pages. It
// parses every template first and fails if one is broken.
func NewHandler(d Deps) (http.Handler, error) {
	if d.Store == nil {
		return nil, errors.New("web: no store given")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	h := &handler{Deps: d, pages: pages}
	mux := http.NewServeMux()
	h.routes(mux, http.FileServerFS(static))
	return chain(h.withAPI(mux),
		withRequestID,
		logRequests(d.Logger, d.Now),
		recoverPanics(d.Logger),
		securityHeaders,
	), nil
}

// healthz answers {"status":"ok"} once a cheap query through the store works.
func (h *handler) healthz(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.Store.FindDocuments(r.Context(), testigo.DocumentFilter{Limit: 1}); err != nil {
		return fmt.Errorf("store check: %w", err)
	}
	writeJSON(w, http.StatusOK, statusJSON{Status: "ok"})
	return nil
}
