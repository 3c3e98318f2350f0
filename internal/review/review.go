// Package review holds the rules of analyst review: which review-state
// changes are allowed, and how merges, splits and grade overrides change
// incidents. It is pure: each function checks its arguments, changes the
// incidents it is given and returns the audit entries that record the change;
// the caller loads and saves them in one transaction.
package review

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// transitions lists the review states each state may move to.
var transitions = map[testigo.ReviewState][]testigo.ReviewState{
	testigo.ReviewNew:       {testigo.ReviewInReview, testigo.ReviewPublished, testigo.ReviewRejected},
	testigo.ReviewInReview:  {testigo.ReviewNew, testigo.ReviewPublished, testigo.ReviewRejected},
	testigo.ReviewPublished: {testigo.ReviewInReview, testigo.ReviewRejected},
	testigo.ReviewRejected:  {testigo.ReviewNew, testigo.ReviewInReview},
}

// Request says who asks for a change, when and why.
type Request struct {
	Actor  string
	Reason string
	At     time.Time
}

func (r Request) check(needReason bool) error {
	if strings.TrimSpace(r.Actor) == "" {
		return fmt.Errorf("%w: no reviewer named", testigo.ErrInvalid)
	}
	if needReason && strings.TrimSpace(r.Reason) == "" {
		return fmt.Errorf("%w: a reason is required", testigo.ErrInvalid)
	}
	return nil
}

func (r Request) entry(id testigo.IncidentID, action testigo.AuditAction, before, after any) *testigo.AuditEntry {
	return &testigo.AuditEntry{
		IncidentID: id, Actor: r.Actor, Action: action, Reason: r.Reason,
		Before: toJSON(before), After: toJSON(after), At: r.At,
	}
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain values are passed in; keep the entry without them.
		return ""
	}
	return string(b)
}

// SetState moves inc to review state to. Rejecting needs a reason; a merged
// incident cannot change state.
func SetState(inc *testigo.Incident, to testigo.ReviewState, req Request) (*testigo.AuditEntry, error) {
	if !to.Valid() {
		return nil, fmt.Errorf("%w: review state %q is not one of new, in_review, published, rejected", testigo.ErrInvalid, to)
	}
	if err := req.check(to == testigo.ReviewRejected); err != nil {
		return nil, fmt.Errorf("set incident %d to %s: %w", inc.ID, to, err)
	}
	if inc.MergedInto != 0 {
		return nil, fmt.Errorf("%w: incident %d was merged into %d", testigo.ErrInvalid, inc.ID, inc.MergedInto)
	}
	if inc.Review == to {
		return nil, fmt.Errorf("%w: incident %d is already %s", testigo.ErrInvalid, inc.ID, to)
	}
	allowed := false
	for _, s := range transitions[inc.Review] {
		allowed = allowed || s == to
	}
	if !allowed {
		return nil, fmt.Errorf("%w: incident %d cannot go from %s to %s", testigo.ErrInvalid, inc.ID, inc.Review, to)
	}
	before := map[string]string{"review": string(inc.Review)}
	inc.Review = to
	return req.entry(inc.ID, testigo.ActionReview, before, map[string]string{"review": string(to)}), nil
}

// Merge folds incident from into incident into: from is marked as merged and
// its reports must then be attached to into by the caller, which re-derives
// into. The older incident (smaller ID) must survive, so that IDs stay stable.
func Merge(into, from *testigo.Incident, req Request) ([]*testigo.AuditEntry, error) {
	if err := req.check(true); err != nil {
		return nil, fmt.Errorf("merge incident %d into %d: %w", from.ID, into.ID, err)
	}
	switch {
	case into.ID == from.ID:
		return nil, fmt.Errorf("%w: cannot merge incident %d into itself", testigo.ErrInvalid, into.ID)
	case into.MergedInto != 0:
		return nil, fmt.Errorf("%w: incident %d was already merged into %d", testigo.ErrInvalid, into.ID, into.MergedInto)
	case from.MergedInto != 0:
		return nil, fmt.Errorf("%w: incident %d was already merged into %d", testigo.ErrInvalid, from.ID, from.MergedInto)
	case from.ID < into.ID:
		return nil, fmt.Errorf("%w: incident %d is older than %d; merge the newer into the older", testigo.ErrInvalid, from.ID, into.ID)
	}
	from.MergedInto = into.ID
	return []*testigo.AuditEntry{
		req.entry(from.ID, testigo.ActionMerge, nil, map[string]any{"merged_into": into.ID}),
		req.entry(into.ID, testigo.ActionMerge, nil, map[string]any{"absorbed": from.ID, "reports": from.ReportCount}),
	}, nil
}

// Split checks that moving the reports named in move out of inc leaves both
// sides non-empty, and returns the reports to move and the audit entry for
// inc. The caller creates the new incident, attaches the moved reports to it
// and re-derives both.
func Split(inc *testigo.Incident, reports []*testigo.Report, move []testigo.ReportID, req Request) ([]*testigo.Report, *testigo.AuditEntry, error) {
	if err := req.check(true); err != nil {
		return nil, nil, fmt.Errorf("split incident %d: %w", inc.ID, err)
	}
	if inc.MergedInto != 0 {
		return nil, nil, fmt.Errorf("%w: incident %d was merged into %d", testigo.ErrInvalid, inc.ID, inc.MergedInto)
	}
	if len(move) == 0 {
		return nil, nil, fmt.Errorf("%w: split of incident %d names no reports", testigo.ErrInvalid, inc.ID)
	}
	byID := map[testigo.ReportID]*testigo.Report{}
	for _, r := range reports {
		byID[r.ID] = r
	}
	seen := map[testigo.ReportID]bool{}
	var moved []*testigo.Report
	for _, id := range move {
		r, ok := byID[id]
		if !ok {
			return nil, nil, fmt.Errorf("%w: report %d is not part of incident %d", testigo.ErrInvalid, id, inc.ID)
		}
		if !seen[id] {
			seen[id] = true
			moved = append(moved, r)
		}
	}
	if len(moved) == len(reports) {
		return nil, nil, fmt.Errorf("%w: split would leave incident %d without reports", testigo.ErrInvalid, inc.ID)
	}
	return moved, req.entry(inc.ID, testigo.ActionSplit, nil, map[string]any{"moved_reports": move}), nil
}

// Grade overrides the computed grade of inc with the analyst's grade. It
// needs a reason, which becomes the grade's stated reason.
func Grade(inc *testigo.Incident, g testigo.Grade, req Request) (*testigo.AuditEntry, error) {
	if err := req.check(true); err != nil {
		return nil, fmt.Errorf("grade incident %d: %w", inc.ID, err)
	}
	switch g {
	case testigo.GradeConfirmed, testigo.GradeFair, testigo.GradeWeak, testigo.GradeContested, testigo.GradeDiscounted:
	default:
		return nil, fmt.Errorf("%w: grade %q is not one of confirmed, fair, weak, contested, discounted", testigo.ErrInvalid, g)
	}
	before := map[string]string{"grade": string(inc.Grade), "grade_reason": inc.GradeReason}
	inc.Grade = g
	inc.GradeSet = true
	inc.GradeReason = fmt.Sprintf("set by %s: %s", req.Actor, req.Reason)
	return req.entry(inc.ID, testigo.ActionGrade, before,
		map[string]string{"grade": string(g), "grade_reason": inc.GradeReason}), nil
}
