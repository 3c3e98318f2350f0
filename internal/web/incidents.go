package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

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

// incidentsPage is the data of the incident listing page.
type incidentsPage struct {
	Filter    testigo.IncidentFilter
	Types     []testigo.EventType
	Reviews   []testigo.ReviewState
	Incidents []*testigo.Incident
	NextURL   string // empty on the last page
	FirstURL  string // set when this is not the first page
}

// reviewStates lists the review states in the order the filter offers them.
var reviewStates = []testigo.ReviewState{
	testigo.ReviewNew, testigo.ReviewInReview, testigo.ReviewPublished, testigo.ReviewRejected,
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
	data := incidentsPage{Filter: f, Types: testigo.EventTypes, Reviews: reviewStates, Incidents: list.Incidents}
	if list.NextCursor != "" {
		data.NextURL = listURL(q, list.NextCursor)
	}
	if f.After != nil {
		data.FirstURL = listURL(q, "")
	}
	return h.render(w, http.StatusOK, "incidents", "Incidents", data)
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
	Reports  []sourcedReport
}

func (h *handler) showIncidentPage(w http.ResponseWriter, r *http.Request) error {
	inc, reports, err := h.loadIncident(r.Context(), r.PathValue("id"), "/incidents")
	if err != nil {
		return err
	}
	return h.render(w, http.StatusOK, "incident", inc.Title, incidentPage{Incident: inc, Reports: reports})
}
