package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

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

// parsePages parses each page template together with the layout, once per
// interface language, with the translating helpers bound to it.
func parsePages() (map[string]map[string]*template.Template, error) {
	out := map[string]map[string]*template.Template{}
	for _, lang := range langs {
		pages := map[string]*template.Template{}
		for _, name := range pageNames {
			t, err := template.New("layout.html").Funcs(funcs).Funcs(langFuncs(lang)).
				ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
			if err != nil {
				return nil, fmt.Errorf("parse template %s: %w", name, err)
			}
			pages[name] = t
		}
		out[lang] = pages
	}
	return out, nil
}

// langFuncs are the template helpers that depend on the language.
func langFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"t":           func(s string) string { return message(lang, s) },
		"typeLabel":   func(t testigo.EventType) string { return typeLabel(lang, t) },
		"gradeLabel":  func(g testigo.Grade) string { return gradeLabel(lang, g) },
		"reviewLabel": func(s testigo.ReviewState) string { return reviewLabel(lang, s) },
		"day": func(d string) string {
			if d == "" {
				return message(lang, "undated")
			}
			return formatDay(lang, d)
		},
		"when": func(t time.Time) string { return formatTime(lang, t) },
	}
}

// pageNames lists the page templates.
var pageNames = []string{"incidents", "incident", "document", "error", "login", "review"}

// layoutData wraps a page's data with what the layout needs.
type layoutData struct {
	Title string
	Lang  string
	// SwitchURL is this page in the other language, SwitchLang that
	// language's name in itself.
	SwitchURL  string
	SwitchLang string
	User       *sessionUser // nil when nobody is signed in
	Scripts    []script     // deferred, in this order
	Styles     []string     // stylesheets besides style.css
	Preloads   []preload    // files the page's scripts will ask for
	Page       any
}

// preload is a file a page's scripts fetch later, named in the page's head
// so that the browser fetches it at once instead of after the script that
// asks for it: As is "module" for an ES module imported by a page module,
// "fetch" for data read with fetch().
type preload struct {
	Href string
	As   string
}

// script is a script file of this server; Module marks ES modules.
type script struct {
	Src    string
	Module bool
}

// pageScripts are the scripts each page loads; the others run none.
var pageScripts = map[string][]script{
	"incidents": {{Src: "/static/vendor/uplot-1.6.32/uPlot.iife.min.js"}, {Src: "/static/map.js", Module: true}, {Src: "/static/timeline.js", Module: true}},
	"review":    {{Src: "/static/vendor/htmx.org-2.0.11/htmx.min.js"}, {Src: "/static/review.js", Module: true}},
}

// pagePreloads are the files each page's scripts fetch: the map's library
// and basemap, which would otherwise wait for map.js to load and run.
var pagePreloads = map[string][]preload{
	"incidents": {
		{Href: "/static/vendor/maplibre-gl-6.17.0/maplibre-gl.mjs", As: "module"},
		{Href: "/static/vendor/topojson-client-3.1.0/topojson-client.min.js", As: "module"},
		{Href: "/static/vendor/world-atlas-2.0.2/countries-110m.json", As: "fetch"},
	},
}

// pageStyles are the extra stylesheets of each page.
var pageStyles = map[string][]string{
	"incidents": {"/static/vendor/maplibre-gl-6.17.0/maplibre-gl.css", "/static/vendor/uplot-1.6.32/uPlot.min.css"},
}

// render executes a page into a buffer and writes it only if that worked,
// so that a failing template never sends half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	lang := h.lang(r)
	t, ok := h.pages[lang][name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	other := langES
	if lang == langES {
		other = langEN
	}
	q := r.URL.Query()
	q.Set("lang", other)
	ld := layoutData{Title: title, Lang: lang, SwitchURL: r.URL.Path + "?" + q.Encode(),
		SwitchLang: map[string]string{langEN: "English", langES: "Español"}[other],
		User:       h.currentUser(r), Scripts: pageScripts[name], Styles: pageStyles[name],
		Preloads: pagePreloads[name], Page: data}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", ld); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	rememberLang(w, r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", lang)
	w.Header().Set("Vary", "Accept-Language, Cookie")
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
