package web

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/testigo-project/testigo"
)

// incidentList is one page of the incident listing and the cursor of the next.
type incidentList struct {
	Incidents  []*testigo.Incident
	NextCursor string
}

// findIncidents runs the listing for f, fetching one extra row to know
// whether a next page exists.
func (h *handler) findIncidents(ctx context.Context, f testigo.IncidentFilter) (incidentList, error) {
	limit := f.Limit
	f.Limit = limit + 1
	incs, err := h.Store.FindIncidents(ctx, f)
	if err != nil {
		return incidentList{}, err
	}
	var out incidentList
	if len(incs) > limit {
		incs = incs[:limit]
		out.NextCursor = encodeCursor(incs[len(incs)-1])
	}
	out.Incidents = incs
	return out, nil
}

// sourcedReport is a report together with the document it was read from.
type sourcedReport struct {
	*testigo.Report
	Doc *testigo.Document
}

// loadIncident loads an incident with its reports and their documents. A
// merged incident answers with a redirect to the one that absorbed it.
func (h *handler) loadIncident(ctx context.Context, idText, prefix string) (*testigo.Incident, []sourcedReport, error) {
	id, err := pathID(idText)
	if err != nil {
		return nil, nil, err
	}
	inc, err := h.Store.FindIncident(ctx, testigo.IncidentID(id))
	if err != nil {
		return nil, nil, err
	}
	if inc.MergedInto != 0 {
		return nil, nil, &redirectError{to: fmt.Sprintf("%s/%d", prefix, inc.MergedInto)}
	}
	reports, err := h.Store.FindReports(ctx, testigo.ReportFilter{IncidentID: inc.ID})
	if err != nil {
		return nil, nil, err
	}
	docs := map[testigo.DocumentID]*testigo.Document{}
	out := make([]sourcedReport, 0, len(reports))
	for _, r := range reports {
		d, ok := docs[r.DocumentID]
		if !ok {
			if d, err = h.Store.FindDocument(ctx, r.DocumentID); err != nil {
				return nil, nil, err
			}
			docs[r.DocumentID] = d
		}
		out = append(out, sourcedReport{Report: r, Doc: d})
	}
	return inc, out, nil
}

func (h *handler) listIncidents(w http.ResponseWriter, r *http.Request) error {
	f, err := parseIncidentFilter(r.URL.Query())
	if err != nil {
		return err
	}
	list, err := h.findIncidents(r.Context(), f)
	if err != nil {
		return err
	}
	out := incidentListJSON{Incidents: []incidentJSON{}, NextCursor: list.NextCursor}
	for _, inc := range list.Incidents {
		out.Incidents = append(out.Incidents, toIncidentJSON(inc))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (h *handler) showIncident(w http.ResponseWriter, r *http.Request) error {
	inc, reports, err := h.loadIncident(r.Context(), r.PathValue("id"), "/api/v1/incidents")
	if err != nil {
		return err
	}
	out := toIncidentJSON(inc)
	out.Reports = []reportJSON{}
	for _, sr := range reports {
		out.Reports = append(out.Reports, toReportJSON(sr.Report, sr.Doc))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// incidentsPage is the data of the incident listing page: the filters,
// the map and timeline that read the same filters, and one page of the
// table.
type incidentsPage struct {
	Filter  testigo.IncidentFilter
	Grade   testigo.Grade
	Actor   string
	Types   []testigo.EventType
	Reviews []testigo.ReviewState
	Grades  []testigo.Grade
	Legend  []legendEntry
	Colours string // type=colour;… for map.js
	// Placed and Unplaced count the matching incidents with and without
	// coordinates; Bounds ("w,s,e,n") frames the placed ones, so that the
	// map opens on them with one request for its points.
	Placed, Unplaced int
	Bounds           string
	// MapSrc and TimelineSrc are the data routes with the page's filters.
	MapSrc, TimelineSrc string
	Incidents           []*testigo.Incident
	NextURL             string // empty on the last page
	FirstURL            string // set when this is not the first page
}

// reviewStates lists the review states in the order the filter offers them.
var reviewStates = []testigo.ReviewState{
	testigo.ReviewNew, testigo.ReviewInReview, testigo.ReviewPublished, testigo.ReviewRejected,
}

func (h *handler) listIncidentsPage(w http.ResponseWriter, r *http.Request) error {
	vf, q, err := parseViewFilter(r.URL.Query(), true)
	if err != nil {
		return err
	}
	var list incidentList
	all, err := h.indexed(r.Context(), vf)
	if err != nil {
		return err
	}
	if vf.needsScan() {
		list = pageIncidents(all, vf.IncidentFilter)
	} else if list, err = h.findIncidents(r.Context(), vf.IncidentFilter); err != nil {
		return err
	}
	lang := h.lang(r)
	data := incidentsPage{Filter: vf.IncidentFilter, Grade: vf.Grade, Actor: vf.Actor, Types: testigo.EventTypes,
		Reviews: reviewStates, Grades: grades, Incidents: list.Incidents, Colours: mapColours()}
	data.Placed, data.Unplaced, data.Bounds = placedBounds(all)
	for _, t := range legendTypes {
		data.Legend = append(data.Legend, legendEntry{Type: t, Label: typeLabel(lang, t), Colour: colourOf(t)})
	}
	dq := url.Values{}
	for k, v := range q {
		if k != "limit" && k != "cursor" {
			dq[k] = v
		}
	}
	data.MapSrc, data.TimelineSrc = "/map/incidents.geojson", "/map/timeline.json"
	if len(dq) > 0 {
		data.MapSrc += "?" + dq.Encode()
		data.TimelineSrc += "?" + dq.Encode()
	}
	if list.NextCursor != "" {
		data.NextURL = listURL(q, list.NextCursor)
	}
	if vf.After != nil {
		data.FirstURL = listURL(q, "")
	}
	return h.render(w, r, http.StatusOK, "incidents", message(lang, "Incidents"), data)
}

// listURL is the listing page with the filters of q, starting at cursor.
func listURL(q url.Values, cursor string) string {
	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Del("cursor")
	if cursor != "" {
		next.Set("cursor", cursor)
	}
	if len(next) == 0 {
		return "/"
	}
	return "/?" + next.Encode()
}

// incidentPage is the data of one incident's page.
type incidentPage struct {
	Incident *testigo.Incident
	Bundle   bool // whether the evidence bundle can be downloaded
	Reports  []reportView
	Audit    []*testigo.AuditEntry
}

// reportView is a report with each of its claims set in the sentence of
// the archived text it was read from.
type reportView struct {
	sourcedReport
	Claims []claim
}

// claim is one extracted field and the words supporting it, with the text
// around them.
type claim struct {
	Field  string
	Start  int
	Before string
	Quote  string
	After  string
	Basis  string // set when the value has no words of its own
}

// claimContext is how many bytes of text around a quote a claim shows, at
// most, on either side; it stops earlier at a sentence boundary.
const claimContext = 160

// claimsOf sets each evidence span of r in its sentence of text. Spans that
// do not match the text are shown as bare quotes.
func claimsOf(text string, r *testigo.Report) []claim {
	var out []claim
	for _, field := range slices.Sorted(maps.Keys(r.Evidence)) {
		sp := r.Evidence[field]
		c := claim{Field: field, Start: sp.Start, Quote: sp.Quote, Basis: sp.Basis}
		if sp.Start >= 0 && sp.End <= len(text) && sp.Start < sp.End && text[sp.Start:sp.End] == sp.Quote {
			c.Before = sentenceBefore(text[:sp.Start])
			c.After = sentenceAfter(text[sp.End:])
		} else {
			c.Start = -1
		}
		out = append(out, c)
	}
	return out
}

// sentenceBefore returns the end of s back to the start of its sentence, at
// most claimContext bytes, cut at a character boundary.
func sentenceBefore(s string) string {
	from := max(0, len(s)-claimContext)
	if i := strings.LastIndexAny(s[from:], ".!?\n"); i >= 0 {
		from += i + 1
	}
	for from < len(s) && !utf8.RuneStart(s[from]) {
		from++
	}
	return strings.TrimLeft(s[from:], " \n")
}

// sentenceAfter returns the start of s up to the end of its sentence, at
// most claimContext bytes, cut at a character boundary.
func sentenceAfter(s string) string {
	to := min(len(s), claimContext)
	if i := strings.IndexAny(s[:to], ".!?\n"); i >= 0 {
		to = i + 1
	}
	for to < len(s) && to > 0 && !utf8.RuneStart(s[to]) {
		to--
	}
	return strings.TrimRight(s[:to], " \n")
}

func (h *handler) showIncidentPage(w http.ResponseWriter, r *http.Request) error {
	inc, reports, err := h.loadIncident(r.Context(), r.PathValue("id"), "/incidents")
	if err != nil {
		return err
	}
	audit, err := h.Store.FindAuditEntries(r.Context(), inc.ID)
	if err != nil {
		return err
	}
	page := incidentPage{Incident: inc, Audit: audit, Bundle: h.LogKey != "" && h.Blobs != nil}
	for _, sr := range reports {
		page.Reports = append(page.Reports, reportView{sourcedReport: sr, Claims: claimsOf(sr.Doc.Text, sr.Report)})
	}
	return h.render(w, r, http.StatusOK, "incident", inc.Title, page)
}
