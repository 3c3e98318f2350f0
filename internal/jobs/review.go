package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/cluster"
	"github.com/testigo-project/testigo/internal/review"
)

// The analyst operations below are what the CLI, the API and the web pages
// call. Each loads what it needs, applies the rules of package review,
// re-derives the incidents it changed and saves them with their audit and
// log entries. Run each inside one transaction, so that nothing is half
// applied. version, when non-zero, is the version of the incident the
// analyst saw: a stale one gives ErrConflict.

func loadIncident(ctx context.Context, tx testigo.Store, id testigo.IncidentID, version int) (*testigo.Incident, error) {
	inc, err := tx.FindIncident(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && inc.Version != version {
		return nil, fmt.Errorf("%w: incident %d is at version %d, not %d (someone changed it)", testigo.ErrConflict, id, inc.Version, version)
	}
	return inc, nil
}

// saveChange stores inc and logs the audit entry e for it.
func saveChange(ctx context.Context, tx testigo.Store, inc *testigo.Incident, e *testigo.AuditEntry) error {
	if err := tx.UpdateIncident(ctx, inc); err != nil {
		return err
	}
	return LogIncidentChange(ctx, tx, inc, e)
}

// SetReview moves an incident to another review state. Publishing it also
// queues the webhook deliveries of the alerts it matches (QueueAlerts).
func SetReview(ctx context.Context, tx testigo.Store, id testigo.IncidentID, version int, to testigo.ReviewState, req review.Request) (*testigo.Incident, error) {
	inc, err := loadIncident(ctx, tx, id, version)
	if err != nil {
		return nil, err
	}
	e, err := review.SetState(inc, to, req)
	if err != nil {
		return nil, err
	}
	if err := saveChange(ctx, tx, inc, e); err != nil {
		return nil, err
	}
	if to == testigo.ReviewPublished {
		if _, err := QueueAlerts(ctx, tx, inc, req.At); err != nil {
			return nil, err
		}
	}
	return inc, nil
}

// SetGrade overrides an incident's grade with a reason.
func SetGrade(ctx context.Context, tx testigo.Store, id testigo.IncidentID, version int, g testigo.Grade, req review.Request) (*testigo.Incident, error) {
	inc, err := loadIncident(ctx, tx, id, version)
	if err != nil {
		return nil, err
	}
	e, err := review.Grade(inc, g, req)
	if err != nil {
		return nil, err
	}
	return inc, saveChange(ctx, tx, inc, e)
}

// Merge folds incident from into incident into (the older one): every
// report of from moves to into, from is marked merged and into re-derived.
func Merge(ctx context.Context, tx testigo.Store, into, from testigo.IncidentID, req review.Request) (*testigo.Incident, error) {
	a, err := loadIncident(ctx, tx, into, 0)
	if err != nil {
		return nil, err
	}
	b, err := loadIncident(ctx, tx, from, 0)
	if err != nil {
		return nil, err
	}
	entries, err := review.Merge(a, b, req)
	if err != nil {
		return nil, err
	}
	moved, err := tx.FindReports(ctx, testigo.ReportFilter{IncidentID: b.ID})
	if err != nil {
		return nil, err
	}
	for _, r := range moved {
		if err := tx.AttachReport(ctx, r.ID, a.ID); err != nil {
			return nil, err
		}
	}
	b.ReportCount = 0
	if err := saveChange(ctx, tx, b, entries[0]); err != nil {
		return nil, err
	}
	all, err := tx.FindReports(ctx, testigo.ReportFilter{IncidentID: a.ID})
	if err != nil {
		return nil, err
	}
	cluster.Derive(a, all)
	return a, saveChange(ctx, tx, a, entries[1])
}

// Split moves the named reports out of an incident into a new one and
// re-derives both. It returns the new incident.
func Split(ctx context.Context, tx testigo.Store, id testigo.IncidentID, version int, move []testigo.ReportID, req review.Request) (*testigo.Incident, error) {
	inc, err := loadIncident(ctx, tx, id, version)
	if err != nil {
		return nil, err
	}
	reports, err := tx.FindReports(ctx, testigo.ReportFilter{IncidentID: inc.ID})
	if err != nil {
		return nil, err
	}
	moved, e, err := review.Split(inc, reports, move, req)
	if err != nil {
		return nil, err
	}
	created := &testigo.Incident{Review: testigo.ReviewNew}
	cluster.Derive(created, moved)
	if err := tx.CreateIncident(ctx, created); err != nil {
		return nil, err
	}
	keep := make([]*testigo.Report, 0, len(reports))
	movedIDs := map[testigo.ReportID]bool{}
	for _, r := range moved {
		movedIDs[r.ID] = true
		if err := tx.AttachReport(ctx, r.ID, created.ID); err != nil {
			return nil, err
		}
	}
	for _, r := range reports {
		if !movedIDs[r.ID] {
			keep = append(keep, r)
		}
	}
	cluster.Derive(inc, keep)
	if err := saveChange(ctx, tx, inc, e); err != nil {
		return nil, err
	}
	ce := &testigo.AuditEntry{IncidentID: created.ID, Actor: req.Actor, Action: testigo.ActionSplit,
		Reason: fmt.Sprintf("split from incident %d: %s", inc.ID, req.Reason), After: snapshot(created), At: req.At}
	return created, LogIncidentChange(ctx, tx, created, ce)
}

// rederiveFunc returns the function that re-derives inc from its reports,
// or nil when it has none.
func rederiveFunc(ctx context.Context, tx testigo.Store, inc *testigo.Incident) (func(*testigo.Incident), error) {
	reports, err := tx.FindReports(ctx, testigo.ReportFilter{IncidentID: inc.ID})
	if err != nil {
		return nil, err
	}
	if len(reports) == 0 {
		return nil, nil
	}
	return func(i *testigo.Incident) { cluster.Derive(i, reports) }, nil
}

// Edit sets one of an incident's fields to an analyst's value, in its text
// form (see testigo.EditableFields), with a reason. The incident is then
// re-derived from its reports with the value applied, and so is every
// later time a report is attached: the value stands until ClearEdit.
func Edit(ctx context.Context, tx testigo.Store, id testigo.IncidentID, version int, field, value string, req review.Request) (*testigo.Incident, error) {
	inc, err := loadIncident(ctx, tx, id, version)
	if err != nil {
		return nil, err
	}
	rederive, err := rederiveFunc(ctx, tx, inc)
	if err != nil {
		return nil, err
	}
	e, err := review.Edit(inc, field, value, req, rederive)
	if err != nil {
		return nil, err
	}
	return inc, saveChange(ctx, tx, inc, e)
}

// ClearEdit removes an analyst's value of one of an incident's fields, with
// a reason, and re-derives the incident so that its reports decide the
// field again.
func ClearEdit(ctx context.Context, tx testigo.Store, id testigo.IncidentID, version int, field string, req review.Request) (*testigo.Incident, error) {
	inc, err := loadIncident(ctx, tx, id, version)
	if err != nil {
		return nil, err
	}
	rederive, err := rederiveFunc(ctx, tx, inc)
	if err != nil {
		return nil, err
	}
	e, err := review.ClearEdit(inc, field, req, rederive)
	if err != nil {
		return nil, err
	}
	return inc, saveChange(ctx, tx, inc, e)
}

// Assign assigns an incident to the reviewer named to, or unassigns it when
// to is empty; assigning a new incident moves it to in_review (see
// review.Assign). When tx also keeps user accounts (a testigo.UserStore, as
// both SQL stores are) and any account exists, to must name an enabled user
// whose role is analyst or admin; otherwise the error wraps ErrInvalid. A
// store without accounts accepts any name.
func Assign(ctx context.Context, tx testigo.Store, id testigo.IncidentID, version int, to string, req review.Request) (*testigo.Incident, error) {
	inc, err := loadIncident(ctx, tx, id, version)
	if err != nil {
		return nil, err
	}
	if users, ok := tx.(testigo.UserStore); ok {
		if err := checkReviewer(ctx, users, strings.TrimSpace(to)); err != nil {
			return nil, fmt.Errorf("assign incident %d: %w", id, err)
		}
	}
	e, err := review.Assign(inc, to, req)
	if err != nil {
		return nil, err
	}
	return inc, saveChange(ctx, tx, inc, e)
}

// checkReviewer checks that name is an account that may review incidents,
// when there are accounts at all. The empty name (unassign) always passes.
func checkReviewer(ctx context.Context, users testigo.UserStore, name string) error {
	if name == "" {
		return nil
	}
	u, err := users.FindUser(ctx, name)
	if errors.Is(err, testigo.ErrNotFound) {
		all, ferr := users.FindUsers(ctx)
		if ferr != nil {
			return ferr
		}
		if len(all) == 0 {
			return nil // no accounts: names are free text
		}
		return fmt.Errorf("%w: there is no user named %q", testigo.ErrInvalid, name)
	}
	if err != nil {
		return err
	}
	switch {
	case u.Disabled:
		return fmt.Errorf("%w: user %s is disabled", testigo.ErrInvalid, u.Name)
	case !u.Role.Allows(testigo.RoleAnalyst):
		return fmt.Errorf("%w: user %s is a %s; only analysts and admins review incidents", testigo.ErrInvalid, u.Name, u.Role)
	}
	return nil
}
