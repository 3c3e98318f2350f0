package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/apijson"
	"github.com/testigo-project/testigo/internal/demo"
)

// incidentJSON is an incident as the API shows it: its API form
// (apijson.Incident, shared with alert webhooks) and, on its own page,
// its reports.
type incidentJSON struct {
	apijson.Incident
	Reports []reportJSON `json:"reports,omitempty"`
}

func toIncidentJSON(inc *testigo.Incident) incidentJSON {
	return incidentJSON{Incident: apijson.FromIncident(inc)}
}

// documentRef names the archived document a report was read from.
type documentRef struct {
	ID     testigo.DocumentID `json:"id"`
	SHA256 testigo.Digest     `json:"sha256"`
	URL    string             `json:"url"`
	Name   string             `json:"name"`
}

// reportJSON is a report as the API shows it.
type reportJSON struct {
	ID               testigo.ReportID      `json:"id"`
	Type             testigo.EventType     `json:"type"`
	Date             string                `json:"date"`
	Country          string                `json:"country"`
	Admin1           string                `json:"admin1"`
	Admin2           string                `json:"admin2"`
	Location         string                `json:"location"`
	Lat              *float64              `json:"lat"`
	Lon              *float64              `json:"lon"`
	Killed           *testigo.Range        `json:"killed"`
	Injured          *testigo.Range        `json:"injured"`
	Actors           []testigo.Actor       `json:"actors"`
	Attribution      []testigo.Attribution `json:"attribution"`
	Platform         testigo.Platform      `json:"platform"`
	Modality         testigo.Modality      `json:"modality"`
	Evidence         testigo.Evidence      `json:"evidence"`
	ExtractorVersion string                `json:"extractor_version"`
	Illustrative     bool                  `json:"illustrative"`
	Document         documentRef           `json:"document"`
}

func toReportJSON(r *testigo.Report, d *testigo.Document) reportJSON {
	out := reportJSON{
		ID: r.ID, Type: r.Type, Date: r.Date, Country: r.Country, Admin1: r.Admin1, Admin2: r.Admin2,
		Location: r.Location, Lat: r.Lat, Lon: r.Lon, Killed: r.Killed, Injured: r.Injured,
		Actors: r.Actors, Attribution: r.Attribution, Platform: r.Platform, Modality: r.Modality,
		Evidence: r.Evidence, ExtractorVersion: r.ExtractorVersion,
		Illustrative: demo.Illustrative(d.Name),
		Document:     documentRef{ID: d.ID, SHA256: d.SHA256, URL: d.URL, Name: d.Name},
	}
	if out.Actors == nil {
		out.Actors = []testigo.Actor{}
	}
	if out.Attribution == nil {
		out.Attribution = []testigo.Attribution{}
	}
	if out.Evidence == nil {
		out.Evidence = testigo.Evidence{}
	}
	return out
}

// documentJSON is a document as the API shows it.
type documentJSON struct {
	ID           testigo.DocumentID `json:"id"`
	SHA256       testigo.Digest     `json:"sha256"`
	URL          string             `json:"url"`
	Name         string             `json:"name"`
	FetchedAt    time.Time          `json:"fetched_at"`
	Published    string             `json:"published"`
	ContentType  string             `json:"content_type"`
	Lang         string             `json:"lang"`
	Title        string             `json:"title"`
	Size         int64              `json:"size"`
	Illustrative bool               `json:"illustrative"`
	Text         string             `json:"text"`
}

func toDocumentJSON(d *testigo.Document) documentJSON {
	out := documentJSON{
		ID: d.ID, SHA256: d.SHA256, URL: d.URL, Name: d.Name, FetchedAt: d.FetchedAt,
		ContentType: d.ContentType, Lang: d.Lang, Title: d.Title, Size: d.Size,
		Illustrative: demo.Illustrative(d.Name), Text: d.Text,
	}
	if !d.Published.IsZero() {
		out.Published = d.Published.Format(testigo.DateLayout)
	}
	return out
}

// incidentListJSON is one page of the incident listing. NextCursor is empty
// on the last page.
type incidentListJSON struct {
	Incidents  []incidentJSON `json:"incidents"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// errorJSON is the body of every failed API request.
type errorJSON struct {
	Error string `json:"error"`
}

// statusJSON is the body of a healthy /healthz.
type statusJSON struct {
	Status string `json:"status"`
}

// writeJSON writes v as an indented JSON response, encoded into a buffer
// first so that a failure never sends half a body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error": "encoding the response failed"}` + "\n")) // the client may be gone
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the client may be gone; nothing to do about it
}
