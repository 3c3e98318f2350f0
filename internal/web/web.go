// Package web serves testigo's JSON API and its server-rendered HTML pages
// over a testigo.Store. Every route is declared in routes.go; errors are
// mapped to HTTP statuses in errors.go only.
package web

import (
	"embed"
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

// Deps is what the handler needs. Blobs may be nil, in which case raw
// captures are reported as not found.
type Deps struct {
	Store  testigo.Store
	Blobs  BlobOpener
	Logger *slog.Logger
	Now    func() time.Time
}

// handler holds the parsed templates and the dependencies of every route.
type handler struct {
	Deps
	pages map[string]*template.Template
}

// pageNames lists the page templates; each is parsed together with the
// layout.
var pageNames = []string{"incidents", "incident", "document", "error"}

// NewHandler returns the http.Handler serving the API and the pages. It
// parses every template first and fails if one is broken.
func NewHandler(d Deps) (http.Handler, error) {
	if d.Store == nil {
		return nil, fmt.Errorf("web: no store given")
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	h := &handler{Deps: d, pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	mux := http.NewServeMux()
	h.routes(mux, http.FileServerFS(static))
	return h.middleware(mux), nil
}
