package web

import (
	"net/http"

	"github.com/testigo-project/testigo"
)

// routes declares every route of the API and the pages.
func (h *handler) routes(mux *http.ServeMux, static http.Handler) {
	mux.Handle("GET /{$}", h.page(h.listIncidentsPage))
	mux.Handle("GET /incidents/{id}", h.page(h.showIncidentPage))
	mux.Handle("GET /incidents/{id}/bundle.zip", h.page(h.incidentBundle))
	mux.Handle("GET /documents/{id}", h.page(h.showDocumentPage))
	mux.Handle("GET /documents/{id}/raw", h.page(h.rawDocument))
	mux.Handle("GET /static/", http.StripPrefix("/static/", static))

	// The map and the timeline on / read these, with the page's filters.
	mux.Handle("GET /map/incidents.geojson", h.api(h.mapData))
	mux.Handle("GET /map/timeline.json", h.api(h.timeline))

	// Browsers report violations of the pages' Content-Security-Policy here.
	mux.HandleFunc("POST /csp-report", h.cspReport)

	// Accounts and the review queue. Every state-changing form goes
	// through cross-origin protection; the session cookie is SameSite=Lax.
	mux.Handle("GET /login", h.page(h.loginForm))
	mux.Handle("POST /login", h.cop.Handler(h.page(h.login)))
	mux.Handle("POST /logout", h.cop.Handler(h.page(h.logout)))
	mux.Handle("GET /review", h.page(h.requireRole(testigo.RoleAnalyst, h.reviewQueue)))
	mux.Handle("POST /review/incidents/{id}/state", h.cop.Handler(h.page(h.requireRole(testigo.RoleAnalyst, h.reviewAction(h.setState)))))
	mux.Handle("POST /review/incidents/{id}/grade", h.cop.Handler(h.page(h.requireRole(testigo.RoleAnalyst, h.reviewAction(h.setGrade)))))
	mux.Handle("POST /review/incidents/{id}/split", h.cop.Handler(h.page(h.requireRole(testigo.RoleAnalyst, h.reviewAction(h.splitReports)))))
	mux.Handle("POST /review/merge", h.cop.Handler(h.page(h.requireRole(testigo.RoleAnalyst, h.reviewAction(h.mergeIncidents)))))

	mux.Handle("GET /api/v1/incidents", h.api(h.listIncidents))
	mux.Handle("GET /api/v1/incidents/{id}", h.api(h.showIncident))
	mux.Handle("GET /api/v1/documents/{id}", h.api(h.showDocument))
	mux.Handle("GET /api/v1/checkpoint", h.api(h.checkpoint))
	mux.Handle("GET /api/v1/proof/{id}", h.api(h.proofOf))
	mux.Handle("GET /api/v1/incidents/{id}/audit", h.api(h.showAudit))
	mux.Handle("GET /api/v1/openapi.json", h.api(h.openAPI))
	mux.Handle("GET /healthz", h.api(h.healthz))

	// Writes need a bearer API token (api_write.go).
	mux.Handle("POST /api/v1/incidents/{id}/merge", h.apiWrite(h.mergeIncident))
	mux.Handle("POST /api/v1/incidents/{id}/split", h.apiWrite(h.splitIncident))
	mux.Handle("POST /api/v1/incidents/{id}/grade", h.apiWrite(h.gradeIncident))
	mux.Handle("POST /api/v1/incidents/{id}/review", h.apiWrite(h.reviewIncident))
	mux.Handle("POST /api/v1/incidents/{id}/edit", h.apiWrite(h.editIncident))
	mux.Handle("POST /api/v1/incidents/{id}/assign", h.apiWrite(h.assignIncident))

	// Alerts (alerts.go): a public Atom feed each; admins manage them
	// with an API token.
	mux.Handle("GET /api/v1/alerts/{id}/feed.atom", h.api(h.alertFeed))
	mux.Handle("GET /api/v1/alerts", h.apiWrite(h.requireAdmin(h.listAlerts)))
	mux.Handle("POST /api/v1/alerts", h.apiWrite(h.requireAdmin(h.createAlert)))
	mux.Handle("DELETE /api/v1/alerts/{id}", h.apiWrite(h.requireAdmin(h.deleteAlert)))

	mux.Handle("/api/", h.api(notFound))
	mux.Handle("/", h.page(notFound))
}
