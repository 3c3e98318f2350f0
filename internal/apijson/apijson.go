// Package apijson holds the JSON form of an incident that the API serves
// (GET /api/v1/incidents and /api/v1/incidents/{id}) and that alert
// webhooks carry, so that both always name and shape its fields alike.
// (The export formats have a schema of their own, in internal/exporter.)
package apijson

import (
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
)

// Incident is an incident as the API lists it.
type Incident struct {
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
	// URL is the path of the incident's page on the server.
	URL string `json:"url"`
	// Assignee and Overrides are left out when empty.
	Assignee  string              `json:"assignee,omitempty"`
	Overrides map[string]Override `json:"overrides,omitempty"`
}

// Override is a field value an analyst set by hand.
type Override struct {
	Value  string    `json:"value"`
	Actor  string    `json:"actor"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// FromIncident returns inc in its API form.
func FromIncident(inc *testigo.Incident) Incident {
	out := Incident{
		ID: inc.ID, Title: inc.Title, Type: inc.Type, Date: inc.Date,
		Country: inc.Country, Admin1: inc.Admin1, Admin2: inc.Admin2, Location: inc.Location,
		Lat: inc.Lat, Lon: inc.Lon, Killed: inc.Killed, Injured: inc.Injured,
		Grade: inc.Grade, GradeReason: inc.GradeReason, Derivation: inc.Derivation,
		Review: inc.Review, ReportCount: inc.ReportCount, Version: inc.Version,
		CreatedAt: inc.CreatedAt, UpdatedAt: inc.UpdatedAt,
		URL:      fmt.Sprintf("/incidents/%d", inc.ID),
		Assignee: inc.Assignee,
	}
	if len(inc.Overrides) > 0 {
		out.Overrides = make(map[string]Override, len(inc.Overrides))
		for f, o := range inc.Overrides {
			out.Overrides[f] = Override{Value: o.Value, Actor: o.Actor, Reason: o.Reason, At: o.At}
		}
	}
	return out
}
