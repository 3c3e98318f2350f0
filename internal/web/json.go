package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/demo"
)

// incidentJSON is an incident as the API shows it.
type incidentJSON struct {
	ID          testigo.IncidentID  `json:"id"`
	Title       string              `json:"title"`
	Type        testigo.EventType   `json:"type"`
	Date        string              `json:"date"`
	Country     string              `json:"country"`
	Admin1      string              `json:"admin1"`
	Admin2      string              `json:"admin2"`
	Location    string              `json:"location"`
	Lat         *float64            `json:"lat"`
	Lon         *float64            `json:"lon"`
	Killed      *testigo.Range      `json:"killed"`
	Injured     *testigo.Range      `json:"injured"`
	Grade       testigo.Grade       `json:"grade"`
	GradeReason string              `json:"grade_reason"`
	Derivation  string              `json:"derivation"`
	Review      testigo.ReviewState `json:"review"`
	ReportCount int                 `json:"report_count"`
	Version     int                 `json:"version"`
	CreatedAt   time.Time           `json:"created_at"`
	UpdatedAt   time.Time           `json:"updated_at"`
	URL         string              `json:"url"`
	// Assignee and Overrides are left out when empty.
	Assignee  string                  `json:"assignee,omitempty"`
	Overrides map[string]overrideJSON `json:"overrides,omitempty"`
	Reports   []reportJSON            `json:"reports,omitempty"`
}

// overrideJSON is a field value an analyst set by hand.
type overrideJSON struct {
	Value  string    `json:"value"`
	Actor  string    `json:"actor"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

func toIncidentJSON(inc *testigo.Incident) incidentJSON {
	return incidentJSON{
		ID: inc.ID, Title: inc.Title, Type: inc.Type, Date: inc.Date,
		Country: inc.Country, Admin1: inc.Admin1, Admin2: inc.Admin2, Location: inc.Location,
		Lat: inc.Lat, Lon: inc.Lon, Killed: inc.Killed, Injured: inc.Injured,
		Grade: inc.Grade, GradeReason: inc.GradeReason, Derivation: inc.Derivation,
		Review: inc.Review, ReportCount: inc.ReportCount, Version: inc.Version,
		CreatedAt: inc.CreatedAt, UpdatedAt: inc.UpdatedAt,
		Assignee: inc.Assignee, Overrides: toOverridesJSON(inc.Overrides),
		URL: fmt.Sprintf("/incidents/%d", inc.ID),
	}
}

func toOverridesJSON(m map[string]testigo.Override) map[string]overrideJSON {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]overrideJSON, len(m))
	for f, o := range m {
		out[f] = overrideJSON{Value: o.Value, Actor: o.Actor, Reason: o.Reason, At: o.At}
	}
	return out
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
