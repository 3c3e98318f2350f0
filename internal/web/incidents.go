package web

import (
	"context"
	"fmt"
	"net/http"

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
	out := struct {
		Incidents  []incidentJSON `json:"incidents"`
		NextCursor string         `json:"next_cursor"`
	}{Incidents: []incidentJSON{}, NextCursor: list.NextCursor}
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

func (h *handler) healthz(w http.ResponseWriter, r *http.Request) error {
	if _, err := h.Store.FindDocuments(r.Context(), testigo.DocumentFilter{Limit: 1}); err != nil {
		return fmt.Errorf("store check: %w", err)
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
