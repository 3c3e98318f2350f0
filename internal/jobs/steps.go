// Package jobs runs testigo's pipeline steps against the store. steps.go holds
// one function per step: each loads what the step needs, calls the pure step
// package and saves the result, so that the step packages never see a store.
package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/cluster"
	"github.com/testigo-project/testigo/internal/translog"
)

// AutoActor is the actor recorded in the audit trail for changes testigo
// makes by itself.
const AutoActor = "testigo"

// undatedLimit bounds how many incidents of an undated report's block are
// scored: such a block has no date bounds, so it is cut to the newest ones.
const undatedLimit = 500

// AttachReport clusters a stored report into an incident. It looks up the
// incidents in the report's date window and country, attaches the report to
// the best match or to a new incident, re-derives that incident from all its
// reports and records the change in the audit trail, dated now. tx should be bound to a
// transaction so that a failure leaves nothing half-applied.
func AttachReport(ctx context.Context, tx testigo.Store, r *testigo.Report, now time.Time) error {
	cands, err := Candidates(ctx, tx, &r.Event)
	if err != nil {
		return fmt.Errorf("attach report %d: %w", r.ID, err)
	}
	best := cluster.Best(&r.Event, cands)
	if best == nil {
		inc := &testigo.Incident{Review: testigo.ReviewNew}
		cluster.Derive(inc, []*testigo.Report{r})
		if err := tx.CreateIncident(ctx, inc); err != nil {
			return fmt.Errorf("attach report %d: %w", r.ID, err)
		}
		if err := tx.AttachReport(ctx, r.ID, inc.ID); err != nil {
			return fmt.Errorf("attach report %d: %w", r.ID, err)
		}
		r.IncidentID = inc.ID
		return audit(ctx, tx, now, inc, testigo.ActionCreate,
			fmt.Sprintf("new incident from report %d", r.ID), nil)
	}

	if err := tx.AttachReport(ctx, r.ID, best.ID); err != nil {
		return fmt.Errorf("attach report %d: %w", r.ID, err)
	}
	r.IncidentID = best.ID
	reports, err := tx.FindReports(ctx, testigo.ReportFilter{IncidentID: best.ID})
	if err != nil {
		return fmt.Errorf("attach report %d: %w", r.ID, err)
	}
	before := *best
	cluster.Derive(best, reports)
	if err := tx.UpdateIncident(ctx, best); err != nil {
		return fmt.Errorf("attach report %d: %w", r.ID, err)
	}
	return audit(ctx, tx, now, best, testigo.ActionAttach,
		fmt.Sprintf("report %d matched (score %.2f)", r.ID, cluster.Score(&r.Event, &before)), &before)
}

// Candidates returns the stored incidents in the cluster blocks of ev (see
// cluster.Blocks): every incident ev can score above zero against, read
// with one indexed query per block, whatever the size of the store.
func Candidates(ctx context.Context, tx testigo.Store, ev *testigo.Event) ([]*testigo.Incident, error) {
	seen := map[testigo.IncidentID]bool{}
	var out []*testigo.Incident
	for _, b := range cluster.Blocks(ev) {
		f := testigo.IncidentFilter{
			Countries: b.Countries, Admin1s: b.Admin1s, Admin2: b.Admin2, Types: b.Types,
			Since: b.Since, Until: b.Until,
		}
		if b.Since == "" {
			f.Limit = undatedLimit
		}
		incs, err := tx.FindIncidents(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, inc := range incs {
			if !seen[inc.ID] {
				seen[inc.ID] = true
				out = append(out, inc)
			}
		}
	}
	return out, nil
}

// snapshot is what the audit trail records of an incident's state: the
// same fields the transparency log commits to.
func snapshot(inc *testigo.Incident) string {
	if inc == nil {
		return ""
	}
	return string(translog.IncidentState(inc))
}

// audit records a change to inc (already saved) in the audit trail and the
// transparency log.
func audit(ctx context.Context, tx testigo.Store, now time.Time, inc *testigo.Incident, action testigo.AuditAction,
	reason string, before *testigo.Incident) error {
	e := &testigo.AuditEntry{
		IncidentID: inc.ID, Actor: AutoActor, Action: action, Reason: reason,
		Before: snapshot(before), After: snapshot(inc), At: now,
	}
	return LogIncidentChange(ctx, tx, inc, e)
}
