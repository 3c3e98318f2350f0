package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
)

// editBody is the body of POST /api/v1/incidents/{id}/edit: set field to
// value, or with clear drop the analyst's value of field.
type editBody struct {
	Field   *string `json:"field"`
	Value   *string `json:"value"`
	Clear   bool    `json:"clear"`
	Reason  *string `json:"reason"`
	Version *int    `json:"version"`
}

// assignBody is the body of POST /api/v1/incidents/{id}/assign; an empty
// to unassigns.
type assignBody struct {
	To      *string `json:"to"`
	Reason  *string `json:"reason"`
	Version *int    `json:"version"`
}

// editIncident sets one field of incident {id} to an analyst's value, or
// clears that value, with a reason.
func (h *handler) editIncident(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := writeIncidentID(r)
	if err != nil {
		return err
	}
	var b editBody
	if err := decodeAPIBody(r, &b); err != nil {
		return err
	}
	version, err := checkAPIVersion(b.Version)
	if err != nil {
		return err
	}
	fields := strings.Join(testigo.EditableFields, ", ")
	switch {
	case b.Field == nil:
		return fmt.Errorf("%w: body: field is required (one of %s)", testigo.ErrInvalid, fields)
	case b.Clear && b.Value != nil:
		return fmt.Errorf("%w: body: give value or clear, not both", testigo.ErrInvalid)
	case !b.Clear && b.Value == nil:
		return fmt.Errorf("%w: body: value is required (or clear: true to drop the analyst's value)", testigo.ErrInvalid)
	case strings.TrimSpace(derefString(b.Reason)) == "":
		return fmt.Errorf("%w: body: reason is required to edit a field", testigo.ErrInvalid)
	}
	req := h.reviewRequest(actor, b.Reason)
	return h.applyChange(w, r, id, func(ctx context.Context, tx testigo.Store) (*testigo.Incident, *testigo.Incident, error) {
		var inc *testigo.Incident
		var err error
		if b.Clear {
			inc, err = jobs.ClearEdit(ctx, tx, id, version, *b.Field, req)
		} else {
			inc, err = jobs.Edit(ctx, tx, id, version, *b.Field, *b.Value, req)
		}
		return inc, nil, err
	})
}

// assignIncident assigns incident {id} to a reviewer, or unassigns it.
func (h *handler) assignIncident(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := writeIncidentID(r)
	if err != nil {
		return err
	}
	var b assignBody
	if err := decodeAPIBody(r, &b); err != nil {
		return err
	}
	version, err := checkAPIVersion(b.Version)
	if err != nil {
		return err
	}
	if b.To == nil {
		return fmt.Errorf("%w: body: to is required (the reviewer's user name, or \"\" to unassign)", testigo.ErrInvalid)
	}
	req := h.reviewRequest(actor, b.Reason)
	return h.applyChange(w, r, id, func(ctx context.Context, tx testigo.Store) (*testigo.Incident, *testigo.Incident, error) {
		inc, err := jobs.Assign(ctx, tx, id, version, *b.To, req)
		return inc, nil, err
	})
}
