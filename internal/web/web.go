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
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

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
	// Users holds accounts and sessions. When nil, nobody can sign in and
	// the review queue is unavailable; when set and Tokens is nil, API
	// tokens are checked against it.
	Users testigo.UserStore
	// LogKey is the transparency log's verifier key; with it and Blobs,
	// incident pages offer their evidence bundle for download.
	LogKey string
	// SecureCookies marks the session cookie Secure; set it when the
	// server is reached over HTTPS.
	SecureCookies bool
}

// handler holds the parsed templates and the dependencies of every route.
type handler struct {
	Deps
	pages    map[string]map[string]*template.Template
	sessions *scs.SessionManager // nil without Deps.Users
	logins   *loginLimiter
	cop      *http.CrossOriginProtection
	index    *mapIndex
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
	if d.Users != nil && d.Tokens == nil {
		d.Tokens = UserTokens{Users: d.Users}
	}
	h := &handler{Deps: d, pages: pages, logins: newLoginLimiter(d.Now),
		cop: http.NewCrossOriginProtection(), index: newMapIndex(d.Store, d.Now)}
	h.cop.SetDenyHandler(h.page(func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("%w: a form on another site may not change anything here", errCrossOrigin)
	}))
	mux := http.NewServeMux()
	h.routes(mux, http.FileServerFS(static))
	root := h.withAPI(mux)
	if d.Users != nil {
		h.sessions = newSessions(d)
		root = h.withSessions(root)
	}
	return chain(root,
		withRequestID,
		logRequests(d.Logger, d.Now),
		recoverPanics(d.Logger),
		securityHeaders,
	), nil
}

// withSessions loads and saves the session of page requests; the API and
// the static files need none.
func (h *handler) withSessions(next http.Handler) http.Handler {
	pages := h.sessions.LoadAndSave(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	})
}

// healthz answers {"status":"ok"} once a cheap query through the store works.
func (h *handler) healthz(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.Store.FindDocuments(r.Context(), testigo.DocumentFilter{Limit: 1}); err != nil {
		return fmt.Errorf("store check: %w", err)
	}
	writeJSON(w, http.StatusOK, statusJSON{Status: "ok"})
	return nil
}
