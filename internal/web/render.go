package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/demo"
)

// demoBadge is shown beside every document or report read from the
// invented part of the demo corpus.
const demoBadge = "illustrative demo data — not real reporting"

// funcs are the helpers templates may call. The map never changes.
var funcs = template.FuncMap{
	"rangeText": func(r *testigo.Range) string {
		if r == nil {
			return "—"
		}
		return r.String()
	},
	"place": placeText,
	"label": func(s any) string { return strings.ReplaceAll(fmt.Sprint(s), "_", " ") },
	"illustrative": func(d *testigo.Document) bool {
		return d != nil && demo.Illustrative(d.Name)
	},
	"demoBadge": func() string { return demoBadge },
}

// placeText joins the known parts of a place, most specific first, without
// repeating a name (e.g. a municipality named like its state).
func placeText(p testigo.Place) string {
	var parts []string
	for _, s := range []string{p.Location, p.Admin2, p.Admin1, p.Country} {
		if s != "" && (len(parts) == 0 || parts[len(parts)-1] != s) {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// parsePages parses each page template together with the layout.
func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// pageNames lists the page templates.
var pageNames = []string{"incidents", "incident", "document", "error"}

// layoutData wraps a page's data with what the layout needs.
type layoutData struct {
	Title string
	Page  any
}

// render executes a page into a buffer and writes it only if that worked,
// so that a failing template never sends half a page.
func (h *handler) render(w http.ResponseWriter, status int, name, title string, data any) error {
	t, ok := h.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", layoutData{Title: title, Page: data}); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the client may be gone; nothing to do about it
	return nil
}

// errorPage is the data of the error page.
type errorPage struct {
	Status     int
	StatusText string
	Message    string
}
