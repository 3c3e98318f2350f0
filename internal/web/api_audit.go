package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/testigo-project/testigo"
)

// auditEntryJSON is one entry of an incident's audit trail as the API shows
// it. Before and After are the changed fields as JSON objects, or null.
type auditEntryJSON struct {
	ID         testigo.AuditEntryID `json:"id"`
	IncidentID testigo.IncidentID   `json:"incident_id"`
	Actor      string               `json:"actor"`
	Action     testigo.AuditAction  `json:"action"`
	Reason     string               `json:"reason"`
	Before     json.RawMessage      `json:"before"`
	After      json.RawMessage      `json:"after"`
	At         time.Time            `json:"at"`
}

// auditJSON is the audit trail of one incident, oldest entry first.
type auditJSON struct {
	IncidentID testigo.IncidentID `json:"incident_id"`
	Entries    []auditEntryJSON   `json:"entries"`
}

// rawOrNull returns the stored JSON text s, or null when it is empty or not
// JSON (which the audit trail never stores, but a reader must not break).
func rawOrNull(s string) json.RawMessage {
	if s == "" || !json.Valid([]byte(s)) {
		return json.RawMessage("null")
	}
	return json.RawMessage(s)
}

// showAudit answers the audit trail of an incident: who changed what, when
// and why. A merged incident keeps its own trail, so there is no redirect.
func (h *handler) showAudit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return fmt.Errorf("incident %w", err)
	}
	inc, err := h.Store.FindIncident(r.Context(), testigo.IncidentID(id))
	if err != nil {
		return err
	}
	entries, err := h.Store.FindAuditEntries(r.Context(), inc.ID)
	if err != nil {
		return err
	}
	out := auditJSON{IncidentID: inc.ID, Entries: make([]auditEntryJSON, 0, len(entries))}
	for _, e := range entries {
		out.Entries = append(out.Entries, auditEntryJSON{
			ID: e.ID, IncidentID: e.IncidentID, Actor: e.Actor, Action: e.Action, Reason: e.Reason,
			Before: rawOrNull(e.Before), After: rawOrNull(e.After), At: e.At,
		})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
