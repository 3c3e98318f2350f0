package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/demo"
)

// funcs are the helpers templates may call.
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
}

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

// layoutData wraps a page's data with what the layout needs.
type layoutData struct {
	Title string
	Page  any
}

// render executes a page into a buffer and writes it only if that worked,
// so that a failing template never sends half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
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

type errorPage struct {
	Status     int
	StatusText string
	Message    string
}

type incidentsPage struct {
	Filter    testigo.IncidentFilter
	Types     []testigo.EventType
	Incidents []*testigo.Incident
	NextURL   string
}

func (h *handler) listIncidentsPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	// The filter form sends empty fields; drop them before validating.
	for k, vs := range q {
		if len(vs) == 1 && vs[0] == "" {
			q.Del(k)
		}
	}
	f, err := parseIncidentFilter(q)
	if err != nil {
		return err
	}
	list, err := h.findIncidents(r.Context(), f)
	if err != nil {
		return err
	}
	data := incidentsPage{Filter: f, Types: testigo.EventTypes, Incidents: list.Incidents}
	if list.NextCursor != "" {
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("cursor", list.NextCursor)
		data.NextURL = "/?" + next.Encode()
	}
	return h.render(w, r, http.StatusOK, "incidents", "Incidents", data)
}

type incidentPage struct {
	Incident *testigo.Incident
	Reports  []sourcedReport
}

func (h *handler) showIncidentPage(w http.ResponseWriter, r *http.Request) error {
	inc, reports, err := h.loadIncident(r.Context(), r.PathValue("id"), "/incidents")
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "incident", inc.Title, incidentPage{Incident: inc, Reports: reports})
}

// segment is a piece of a document's text, marked when it is the evidence
// for an extracted field.
type segment struct {
	Text   string
	Start  int    // byte offset of Text in the document
	Fields string // comma-separated field names; empty for unmarked text
}

type documentPage struct {
	Doc      *testigo.Document
	Reports  []*testigo.Report
	Segments []segment
}

func (h *handler) showDocumentPage(w http.ResponseWriter, r *http.Request) error {
	d, err := h.loadDocument(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	reports, err := h.Store.FindReports(r.Context(), testigo.ReportFilter{DocumentID: d.ID})
	if err != nil {
		return err
	}
	title := d.Title
	if title == "" {
		title = d.Name
	}
	return h.render(w, r, http.StatusOK, "document", title,
		documentPage{Doc: d, Reports: reports, Segments: highlight(d.Text, reports)})
}

// highlight cuts text into segments, marking each evidence span of the
// reports. Spans that do not match the text or overlap an earlier span are
// left unmarked rather than guessed at.
func highlight(text string, reports []*testigo.Report) []segment {
	type mark struct {
		start, end int
		fields     []string
	}
	byRange := map[[2]int]*mark{}
	for _, r := range reports {
		for field, sp := range r.Evidence {
			if sp.Start < 0 || sp.End > len(text) || sp.Start >= sp.End || text[sp.Start:sp.End] != sp.Quote {
				continue
			}
			k := [2]int{sp.Start, sp.End}
			if byRange[k] == nil {
				byRange[k] = &mark{start: sp.Start, end: sp.End}
			}
			byRange[k].fields = append(byRange[k].fields, field)
		}
	}
	marks := make([]*mark, 0, len(byRange))
	for _, m := range byRange {
		sort.Strings(m.fields)
		marks = append(marks, m)
	}
	sort.Slice(marks, func(i, j int) bool {
		if marks[i].start != marks[j].start {
			return marks[i].start < marks[j].start
		}
		return marks[i].end > marks[j].end
	})
	var out []segment
	pos := 0
	for _, m := range marks {
		if m.start < pos {
			continue
		}
		if m.start > pos {
			out = append(out, segment{Text: text[pos:m.start], Start: pos})
		}
		out = append(out, segment{Text: text[m.start:m.end], Start: m.start, Fields: strings.Join(m.fields, ", ")})
		pos = m.end
	}
	if pos < len(text) {
		out = append(out, segment{Text: text[pos:], Start: pos})
	}
	return out
}
