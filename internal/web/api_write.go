package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/review"
)

// TokenChecker checks the bearer tokens of API write requests.
type TokenChecker interface {
	// Check returns the name of the user an API token belongs to, which is
	// recorded as the actor of the change. It returns an error wrapping
	// testigo.ErrUnauthorized when the token is unknown, expired or revoked.
	Check(ctx context.Context, token string) (actor string, err error)
}

// errWritesDisabled answers write requests on a server without a
// TokenChecker.
var errWritesDisabled = errors.New("writes are disabled on this server")

// writeFunc is a write handler; actor is who the bearer token belongs to.
type writeFunc func(w http.ResponseWriter, r *http.Request, actor string) error

// conflictError is a stale-version error that knows the incident's current
// version, which the 409 body reports.
type conflictError struct {
	err     error
	current int
}

func (e *conflictError) Error() string { return e.err.Error() }
func (e *conflictError) Unwrap() error { return e.err }

// writeErrorJSON is the body of a failed write: errorJSON, plus the current
// version of the incident when the given one was stale.
type writeErrorJSON struct {
	Error          string `json:"error"`
	CurrentVersion int    `json:"current_version,omitempty"`
}

// writeResultJSON is the body of a successful write: the incident after the
// change and, for a split, the incident created from the moved reports.
type writeResultJSON struct {
	Incident incidentJSON  `json:"incident"`
	Created  *incidentJSON `json:"created,omitempty"`
}

// apiWrite authenticates a write request by its bearer token and runs fn,
// rendering its error as JSON with the status statusOf gives it.
func (h *handler) apiWrite(fn writeFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		actor, err := h.apiActor(r)
		if err == nil {
			err = fn(w, r, actor)
		}
		if err == nil {
			return
		}
		status := statusOf(err)
		body := writeErrorJSON{Error: h.publicMessage(r, err, status)}
		var ce *conflictError
		if errors.As(err, &ce) {
			body.CurrentVersion = ce.current
		}
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="testigo"`)
		}
		writeJSON(w, status, body)
	})
}

// apiActor returns the actor named by the request's bearer token.
func (h *handler) apiActor(r *http.Request) (string, error) {
	if h.Tokens == nil {
		return "", errWritesDisabled
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return "", fmt.Errorf("%w: no API token: send Authorization: Bearer <token>", testigo.ErrUnauthorized)
	}
	scheme, token, ok := strings.Cut(auth, " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", fmt.Errorf("%w: Authorization header is not \"Bearer <token>\"", testigo.ErrUnauthorized)
	}
	actor, err := h.Tokens.Check(r.Context(), token)
	if err != nil {
		if errors.Is(err, testigo.ErrUnauthorized) {
			// The checker's message might quote the token; say less.
			return "", fmt.Errorf("%w: unknown or revoked API token", testigo.ErrUnauthorized)
		}
		return "", fmt.Errorf("check API token: %w", err)
	}
	if strings.TrimSpace(actor) == "" {
		return "", fmt.Errorf("check API token: the token names no user")
	}
	return actor, nil
}

// mergeBody is the body of POST /api/v1/incidents/{id}/merge.
type mergeBody struct {
	From    *int64  `json:"from"`
	Reason  *string `json:"reason"`
	Version *int    `json:"version"`
}

// splitBody is the body of POST /api/v1/incidents/{id}/split.
type splitBody struct {
	Reports []int64 `json:"reports"`
	Reason  *string `json:"reason"`
	Version *int    `json:"version"`
}

// gradeBody is the body of POST /api/v1/incidents/{id}/grade.
type gradeBody struct {
	Grade   *string `json:"grade"`
	Reason  *string `json:"reason"`
	Version *int    `json:"version"`
}

// reviewBody is the body of POST /api/v1/incidents/{id}/review.
type reviewBody struct {
	State   *string `json:"state"`
	Reason  *string `json:"reason"`
	Version *int    `json:"version"`
}

// checkAPIVersion checks the version field every write body carries: the
// version of the incident the client saw.
func checkAPIVersion(v *int) (int, error) {
	if v == nil {
		return 0, fmt.Errorf("%w: body: version is required (the version of the incident you saw)", testigo.ErrInvalid)
	}
	if *v < 1 {
		return 0, fmt.Errorf("%w: body: version %d is not a version (versions start at 1)", testigo.ErrInvalid, *v)
	}
	return *v, nil
}

// derefString returns *s, or "" for nil.
func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// applyChange runs op on incident id in one transaction and answers the incident
// after the change. A stale version becomes a conflictError carrying the
// incident's current version.
func (h *handler) applyChange(w http.ResponseWriter, r *http.Request, id testigo.IncidentID, op func(ctx context.Context, tx testigo.Store) (*testigo.Incident, *testigo.Incident, error)) error {
	ctx := r.Context()
	var inc, created *testigo.Incident
	err := h.Store.Transact(ctx, func(tx testigo.Store) error {
		var err error
		inc, created, err = op(ctx, tx)
		return err
	})
	if errors.Is(err, testigo.ErrConflict) {
		if cur, ferr := h.Store.FindIncident(ctx, id); ferr == nil {
			return &conflictError{err: err, current: cur.Version}
		}
		return err
	}
	if err != nil {
		return err
	}
	out := writeResultJSON{Incident: toIncidentJSON(inc)}
	status := http.StatusOK
	if created != nil {
		c := toIncidentJSON(created)
		out.Created = &c
		status = http.StatusCreated
		w.Header().Set("Location", fmt.Sprintf("/api/v1/incidents/%d", created.ID))
	}
	writeJSON(w, status, out)
	return nil
}

// writeIncidentID reads the incident ID of a write route.
func writeIncidentID(r *http.Request) (testigo.IncidentID, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return 0, fmt.Errorf("incident %w", err)
	}
	return testigo.IncidentID(id), nil
}

// reviewRequest says that actor asks for a change now, for reason.
func (h *handler) reviewRequest(actor string, reason *string) review.Request {
	return review.Request{Actor: actor, Reason: strings.TrimSpace(derefString(reason)), At: h.Now().UTC()}
}

// mergeIncident folds incident "from" (the newer) into incident {id}.
func (h *handler) mergeIncident(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := writeIncidentID(r)
	if err != nil {
		return err
	}
	var b mergeBody
	if err := decodeAPIBody(r, &b); err != nil {
		return err
	}
	version, err := checkAPIVersion(b.Version)
	if err != nil {
		return err
	}
	if b.From == nil {
		return fmt.Errorf("%w: body: from is required (the ID of the incident to merge into %d)", testigo.ErrInvalid, id)
	}
	from := testigo.IncidentID(*b.From)
	if from <= 0 {
		return fmt.Errorf("%w: body: from %d is not an incident ID", testigo.ErrInvalid, from)
	}
	if from == id {
		return fmt.Errorf("%w: cannot merge incident %d into itself", testigo.ErrInvalid, id)
	}
	req := h.reviewRequest(actor, b.Reason)
	return h.applyChange(w, r, id, func(ctx context.Context, tx testigo.Store) (*testigo.Incident, *testigo.Incident, error) {
		into, err := tx.FindIncident(ctx, id)
		if err != nil {
			return nil, nil, fmt.Errorf("incident %d: %w", id, err)
		}
		if into.Version != version {
			return nil, nil, fmt.Errorf("%w: incident %d is at version %d, not %d (someone changed it)", testigo.ErrConflict, id, into.Version, version)
		}
		if _, err := tx.FindIncident(ctx, from); err != nil {
			return nil, nil, fmt.Errorf("incident %d: %w", from, err)
		}
		inc, err := jobs.Merge(ctx, tx, id, from, req)
		return inc, nil, err
	})
}

// splitIncident moves the named reports out of incident {id} into a new one.
func (h *handler) splitIncident(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := writeIncidentID(r)
	if err != nil {
		return err
	}
	var b splitBody
	if err := decodeAPIBody(r, &b); err != nil {
		return err
	}
	version, err := checkAPIVersion(b.Version)
	if err != nil {
		return err
	}
	if len(b.Reports) == 0 {
		return fmt.Errorf("%w: body: reports must list the IDs of the reports to move out of incident %d", testigo.ErrInvalid, id)
	}
	move := make([]testigo.ReportID, 0, len(b.Reports))
	for _, n := range b.Reports {
		if n <= 0 {
			return fmt.Errorf("%w: body: reports: %d is not a report ID", testigo.ErrInvalid, n)
		}
		move = append(move, testigo.ReportID(n))
	}
	req := h.reviewRequest(actor, b.Reason)
	return h.applyChange(w, r, id, func(ctx context.Context, tx testigo.Store) (*testigo.Incident, *testigo.Incident, error) {
		if _, err := tx.FindIncident(ctx, id); err != nil {
			return nil, nil, fmt.Errorf("incident %d: %w", id, err)
		}
		for _, rid := range move {
			if _, err := tx.FindReport(ctx, rid); err != nil {
				return nil, nil, fmt.Errorf("report %d: %w", rid, err)
			}
		}
		created, err := jobs.Split(ctx, tx, id, version, move, req)
		if err != nil {
			return nil, nil, err
		}
		inc, err := tx.FindIncident(ctx, id)
		if err != nil {
			return nil, nil, fmt.Errorf("incident %d after split: %w", id, err)
		}
		return inc, created, nil
	})
}

// gradeIncident overrides the grade of incident {id} with a reason.
func (h *handler) gradeIncident(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := writeIncidentID(r)
	if err != nil {
		return err
	}
	var b gradeBody
	if err := decodeAPIBody(r, &b); err != nil {
		return err
	}
	version, err := checkAPIVersion(b.Version)
	if err != nil {
		return err
	}
	if b.Grade == nil {
		return fmt.Errorf("%w: body: grade is required (confirmed, fair, weak, contested or discounted)", testigo.ErrInvalid)
	}
	if strings.TrimSpace(derefString(b.Reason)) == "" {
		return fmt.Errorf("%w: body: reason is required to override a grade", testigo.ErrInvalid)
	}
	req := h.reviewRequest(actor, b.Reason)
	return h.applyChange(w, r, id, func(ctx context.Context, tx testigo.Store) (*testigo.Incident, *testigo.Incident, error) {
		inc, err := jobs.SetGrade(ctx, tx, id, version, testigo.Grade(*b.Grade), req)
		return inc, nil, err
	})
}

// reviewIncident moves incident {id} to another review state.
func (h *handler) reviewIncident(w http.ResponseWriter, r *http.Request, actor string) error {
	id, err := writeIncidentID(r)
	if err != nil {
		return err
	}
	var b reviewBody
	if err := decodeAPIBody(r, &b); err != nil {
		return err
	}
	version, err := checkAPIVersion(b.Version)
	if err != nil {
		return err
	}
	if b.State == nil {
		return fmt.Errorf("%w: body: state is required (new, in_review, published or rejected)", testigo.ErrInvalid)
	}
	to := testigo.ReviewState(*b.State)
	if !to.Valid() {
		return fmt.Errorf("%w: body: state %q is not one of new, in_review, published, rejected", testigo.ErrInvalid, *b.State)
	}
	req := h.reviewRequest(actor, b.Reason)
	return h.applyChange(w, r, id, func(ctx context.Context, tx testigo.Store) (*testigo.Incident, *testigo.Incident, error) {
		inc, err := jobs.SetReview(ctx, tx, id, version, to, req)
		return inc, nil, err
	})
}
