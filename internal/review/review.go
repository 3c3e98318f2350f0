// Package review holds the rules of analyst review: which review-state
// changes are allowed, and how merges, splits, grade overrides, field edits
// and assignments change incidents. It is pure: each function checks its arguments, changes the
// incidents it is given and returns the audit entries that record the change;
// the caller loads and saves them in one transaction.
package review

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	// An analyst's values on the absorbed incident carry over for the
	// fields the surviving one leaves to its reports; where both set a
	// field, the surviving incident's value stands.
	var kept []string
	for f, o := range from.Overrides {
		if _, ok := into.Overrides[f]; ok {
			continue
		}
		if into.Overrides == nil {
			into.Overrides = map[string]testigo.Override{}
		}
		into.Overrides[f] = o
		kept = append(kept, f)
	}
	slices.Sort(kept)
	after := map[string]any{"absorbed": from.ID, "reports": from.ReportCount}
	if len(kept) > 0 {
		after["overrides_carried"] = kept
	}
	return []*testigo.AuditEntry{
		req.entry(from.ID, testigo.ActionMerge, nil, map[string]any{"merged_into": into.ID}),
		req.entry(into.ID, testigo.ActionMerge, nil, after),
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

// Edit sets one of inc's editable fields (testigo.EditableFields) to the
// analyst's value, in its text form, and records it in inc.Overrides, so
// that re-deriving the incident from its reports keeps it. It needs a
// reason; a merged incident cannot be edited. rederive re-derives inc from
// its reports (the caller passes cluster.Derive over them), which applies
// the override and says so in the derivation; nil sets the field directly.
// The audit entry gives the field's text before and after.
func Edit(inc *testigo.Incident, field, value string, req Request, rederive func(*testigo.Incident)) (*testigo.AuditEntry, error) {
	if err := req.check(true); err != nil {
		return nil, fmt.Errorf("edit %s of incident %d: %w", field, inc.ID, err)
	}
	if err := checkEditable(inc, field); err != nil {
		return nil, err
	}
	v, err := testigo.ParseField(field, value)
	if err != nil {
		return nil, fmt.Errorf("edit incident %d: %w", inc.ID, err)
	}
	if o, ok := inc.Overrides[field]; ok && o.Value == v {
		return nil, fmt.Errorf("%w: %s of incident %d is already set to %q by %s", testigo.ErrInvalid, field, inc.ID, v, o.Actor)
	}
	before, _ := inc.Field(field) // checkEditable accepted field
	overrides := copyOverrides(inc.Overrides)
	overrides[field] = testigo.Override{Value: v, Actor: req.Actor, Reason: req.Reason, At: req.At}
	inc.Overrides = overrides
	if rederive != nil {
		rederive(inc)
	} else if err := inc.SetField(field, v); err != nil {
		return nil, fmt.Errorf("edit incident %d: %w", inc.ID, err) // ParseField accepted v
	}
	after, _ := inc.Field(field)
	return req.entry(inc.ID, testigo.ActionEdit, map[string]string{field: before},
		map[string]string{field: after, "override": "set"}), nil
}

// ClearEdit removes the analyst's value of one of inc's fields, so that its
// reports decide it again. It needs a reason and fails if the field has no
// analyst value. rederive is as for Edit; with nil the field keeps its value
// until the incident is next derived.
func ClearEdit(inc *testigo.Incident, field string, req Request, rederive func(*testigo.Incident)) (*testigo.AuditEntry, error) {
	if err := req.check(true); err != nil {
		return nil, fmt.Errorf("clear %s of incident %d: %w", field, inc.ID, err)
	}
	if err := checkEditable(inc, field); err != nil {
		return nil, err
	}
	if _, ok := inc.Overrides[field]; !ok {
		return nil, fmt.Errorf("%w: %s of incident %d has no analyst value to clear", testigo.ErrInvalid, field, inc.ID)
	}
	before, _ := inc.Field(field) // checkEditable accepted field
	overrides := copyOverrides(inc.Overrides)
	delete(overrides, field)
	if len(overrides) == 0 {
		overrides = nil
	}
	inc.Overrides = overrides
	if rederive != nil {
		rederive(inc)
	}
	after, _ := inc.Field(field)
	return req.entry(inc.ID, testigo.ActionEdit, map[string]string{field: before},
		map[string]string{field: after, "override": "cleared"}), nil
}

// checkEditable checks that field may be edited on inc.
func checkEditable(inc *testigo.Incident, field string) error {
	if inc.MergedInto != 0 {
		return fmt.Errorf("%w: incident %d was merged into %d; edit that one", testigo.ErrInvalid, inc.ID, inc.MergedInto)
	}
	if _, err := inc.Field(field); err != nil {
		return fmt.Errorf("edit incident %d: %w", inc.ID, err)
	}
	return nil
}

// copyOverrides returns a copy of m that the caller may change without
// changing an incident that shares m.
func copyOverrides(m map[string]testigo.Override) map[string]testigo.Override {
	out := make(map[string]testigo.Override, len(m)+1)
	for f, o := range m {
		out[f] = o
	}
	return out
}

// maxAssignee bounds the length of a reviewer's name.
const maxAssignee = 100

// Assign assigns inc to the reviewer named to, or unassigns it when to is
// empty. Assigning an incident that is new starts its review: it moves to
// in_review. Other states are kept, and unassigning never changes the
// state, so assigning never publishes, rejects or reopens anything. The
// reason is optional. Whether to names an account that may review is for
// the caller to check; Assign only checks that it is one line of text.
func Assign(inc *testigo.Incident, to string, req Request) (*testigo.AuditEntry, error) {
	if err := req.check(false); err != nil {
		return nil, fmt.Errorf("assign incident %d: %w", inc.ID, err)
	}
	if inc.MergedInto != 0 {
		return nil, fmt.Errorf("%w: incident %d was merged into %d; assign that one", testigo.ErrInvalid, inc.ID, inc.MergedInto)
	}
	to = strings.TrimSpace(to)
	if utf8.RuneCountInString(to) > maxAssignee || strings.IndexFunc(to, unicode.IsControl) >= 0 || !utf8.ValidString(to) {
		return nil, fmt.Errorf("%w: %q is not a user name (one line, at most %d characters)", testigo.ErrInvalid, to, maxAssignee)
	}
	switch {
	case to == inc.Assignee && to == "":
		return nil, fmt.Errorf("%w: incident %d is not assigned to anyone", testigo.ErrInvalid, inc.ID)
	case to == inc.Assignee:
		return nil, fmt.Errorf("%w: incident %d is already assigned to %s", testigo.ErrInvalid, inc.ID, to)
	}
	before := map[string]string{"assignee": inc.Assignee}
	after := map[string]string{"assignee": to}
	inc.Assignee = to
	if to != "" && inc.Review == testigo.ReviewNew {
		before["review"], after["review"] = string(inc.Review), string(testigo.ReviewInReview)
		inc.Review = testigo.ReviewInReview
	}
	return req.entry(inc.ID, testigo.ActionAssign, before, after), nil
}
