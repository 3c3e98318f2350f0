package jobs

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/review"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
)

// editFixture is a SQLite store with one incident made of one report of a
// strike in Guerrero with 3 killed; addReport attaches another.
type editFixture struct {
	st  *sqlite.Store
	id  testigo.IncidentID
	n   int
	now time.Time
}

func newEditFixture(t *testing.T) *editFixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &editFixture{st: st, now: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)}
	f.id = f.addReport(t, 3)
	return f
}

func (f *editFixture) addReport(t *testing.T, killed int) testigo.IncidentID {
	t.Helper()
	ctx := context.Background()
	var r *testigo.Report
	err := f.st.Transact(ctx, func(tx testigo.Store) error {
		f.n++
		d := &testigo.Document{SHA256: testigo.DigestOf([]byte(fmt.Sprint("doc", f.n))), Text: "t", Size: 1}
		if err := tx.CreateDocument(ctx, d); err != nil {
			return err
		}
		r = &testigo.Report{DocumentID: d.ID, Event: testigo.Event{Type: testigo.TypeVesselStrike, Date: "2025-11-25",
			Place: testigo.Place{Country: "MX", Admin1: "Guerrero"}, Killed: &testigo.Range{Min: killed, Max: killed}}}
		if err := tx.CreateReport(ctx, r); err != nil {
			return err
		}
		return AttachReport(ctx, tx, r, f.now)
	})
	if err != nil {
		t.Fatal(err)
	}
	return r.IncidentID
}

// do runs op in one transaction.
func (f *editFixture) do(op func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error)) (*testigo.Incident, error) {
	ctx := context.Background()
	var inc *testigo.Incident
	err := f.st.Transact(ctx, func(tx testigo.Store) error {
		var err error
		inc, err = op(ctx, tx)
		return err
	})
	return inc, err
}

func (f *editFixture) find(t *testing.T) (*testigo.Incident, int) {
	t.Helper()
	ctx := context.Background()
	inc, err := f.st.FindIncident(ctx, f.id)
	if err != nil {
		t.Fatal(err)
	}
	trail, err := f.st.FindAuditEntries(ctx, f.id)
	if err != nil {
		t.Fatal(err)
	}
	return inc, len(trail)
}

// wantLogged checks that the incident's last log entry commits to its row.
func (f *editFixture) wantLogged(t *testing.T, inc *testigo.Incident) {
	t.Helper()
	entries, err := f.st.FindLogEntriesBySubject(context.Background(), translog.IncidentSubject(inc.ID))
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	if state, _ := translog.IncidentStateOf(last.Content); state != translog.IncidentStateHash(inc) {
		t.Errorf("the last log entry of incident %d does not match its row", inc.ID)
	}
}

func TestEditSurvivesAttach(t *testing.T) {
	f := newEditFixture(t)
	req := review.Request{Actor: "ana", Reason: "the hospital counted seven", At: f.now}
	inc, _ := f.find(t)
	edited, err := f.do(func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
		return Edit(ctx, tx, f.id, inc.Version, "killed", "3-7", req)
	})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Version != inc.Version+1 || *edited.Killed != (testigo.Range{Min: 3, Max: 7}) {
		t.Errorf("after edit: version %d, killed %v", edited.Version, edited.Killed)
	}

	// A later report with a higher count attaches; the analyst's value stands
	// and the derivation gives both.
	if got := f.addReport(t, 9); got != f.id {
		t.Fatalf("the second report went to incident %d, not %d", got, f.id)
	}
	inc, n := f.find(t)
	if *inc.Killed != (testigo.Range{Min: 3, Max: 7}) || inc.ReportCount != 2 {
		t.Errorf("after a new report: killed %v from %d reports, want the analyst's 3-7", inc.Killed, inc.ReportCount)
	}
	if o := inc.Overrides["killed"]; o.Value != "3-7" || o.Actor != "ana" || o.Reason != req.Reason || !o.At.Equal(f.now) {
		t.Errorf("stored override %+v", o)
	}
	if !strings.Contains(inc.Derivation, `killed set to "3-7" by analyst ana (the reports give "9"): the hospital counted seven`) {
		t.Errorf("derivation %q", inc.Derivation)
	}
	f.wantLogged(t, inc)

	// Clearing lets the reports decide; both changes are audited.
	cleared, err := f.do(func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
		return ClearEdit(ctx, tx, f.id, inc.Version, "killed", review.Request{Actor: "ben", Reason: "count withdrawn", At: f.now})
	})
	if err != nil {
		t.Fatal(err)
	}
	if *cleared.Killed != (testigo.Range{Min: 9, Max: 9}) || cleared.Overrides != nil {
		t.Errorf("after clearing: killed %v, overrides %v", cleared.Killed, cleared.Overrides)
	}
	trail, err := f.st.FindAuditEntries(context.Background(), f.id)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range trail {
		actions = append(actions, string(e.Action))
	}
	if got := strings.Join(actions, " "); got != "create edit attach edit" || len(trail) != n+1 {
		t.Errorf("audit trail: %s", got)
	}
	last := trail[len(trail)-1]
	if last.Actor != "ben" || last.Reason != "count withdrawn" || last.Before != `{"killed":"3-7"}` ||
		last.After != `{"killed":"9","override":"cleared"}` {
		t.Errorf("clear entry %+v", last)
	}
	inc, _ = f.find(t)
	f.wantLogged(t, inc)
}

func TestEditAndAssignRefused(t *testing.T) {
	f := newEditFixture(t)
	ctx := context.Background()
	req := review.Request{Actor: "ana", Reason: "checked", At: f.now}
	inc, n := f.find(t)
	for _, u := range []*testigo.User{
		{Name: "ben", Role: testigo.RoleAnalyst}, {Name: "vic", Role: testigo.RoleViewer},
		{Name: "old", Role: testigo.RoleAdmin, Disabled: true},
	} {
		if err := f.st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	type op func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error)
	tests := []struct {
		name string
		op   op
		kind error
		want string
	}{
		{"stale version", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Edit(ctx, tx, f.id, inc.Version+1, "killed", "4", req)
		}, testigo.ErrConflict, fmt.Sprintf("is at version %d, not %d", inc.Version, inc.Version+1)},
		{"unknown incident", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Edit(ctx, tx, 999, 0, "killed", "4", req)
		}, testigo.ErrNotFound, "incident 999"},
		{"no reason", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Edit(ctx, tx, f.id, 0, "killed", "4", review.Request{Actor: "ana"})
		}, testigo.ErrInvalid, "a reason is required"},
		{"unknown field", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Edit(ctx, tx, f.id, 0, "grade", "fair", req)
		}, testigo.ErrInvalid, `field "grade" cannot be edited`},
		{"bad value", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Edit(ctx, tx, f.id, 0, "date", "yesterday", req)
		}, testigo.ErrInvalid, `date "yesterday" is not a date`},
		{"clear nothing", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return ClearEdit(ctx, tx, f.id, 0, "killed", req)
		}, testigo.ErrInvalid, "has no analyst value to clear"},
		{"unknown user", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Assign(ctx, tx, f.id, 0, "eve", req)
		}, testigo.ErrInvalid, `there is no user named "eve"`},
		{"viewer", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Assign(ctx, tx, f.id, 0, "vic", req)
		}, testigo.ErrInvalid, "vic is a viewer"},
		{"disabled", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Assign(ctx, tx, f.id, 0, "old", req)
		}, testigo.ErrInvalid, "user old is disabled"},
		{"assign stale", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Assign(ctx, tx, f.id, inc.Version-1+3, "ben", req)
		}, testigo.ErrConflict, "someone changed it"},
		{"unassign nobody", func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Assign(ctx, tx, f.id, 0, "", req)
		}, testigo.ErrInvalid, "is not assigned to anyone"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.do(tc.op)
			if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %v containing %q", err, tc.kind, tc.want)
			}
			got, m := f.find(t)
			if got.Version != inc.Version || m != n || got.Assignee != "" || got.Overrides != nil {
				t.Errorf("a refused change was stored: version %d, %d audit entries, assignee %q, overrides %v", got.Version, m, got.Assignee, got.Overrides)
			}
		})
	}
}

func TestAssign(t *testing.T) {
	f := newEditFixture(t)
	ctx := context.Background()
	req := review.Request{Actor: "ana", At: f.now}
	assign := func(to string) *testigo.Incident {
		t.Helper()
		inc, err := f.do(func(ctx context.Context, tx testigo.Store) (*testigo.Incident, error) {
			return Assign(ctx, tx, f.id, 0, to, req)
		})
		if err != nil {
			t.Fatalf("assign to %q: %v", to, err)
		}
		return inc
	}
	// Without accounts any name goes; a new incident starts its review.
	inc := assign("someone")
	if inc.Assignee != "someone" || inc.Review != testigo.ReviewInReview {
		t.Errorf("after assigning: %q, %s", inc.Assignee, inc.Review)
	}
	if err := f.st.CreateUser(ctx, &testigo.User{Name: "ben", Role: testigo.RoleAnalyst}); err != nil {
		t.Fatal(err)
	}
	inc = assign("ben")
	got, err := f.st.FindIncidents(ctx, testigo.IncidentFilter{Assignee: "ben"})
	if err != nil || len(got) != 1 || got[0].ID != f.id {
		t.Errorf("incidents of ben: %v %v", got, err)
	}
	f.wantLogged(t, inc)
	inc = assign("")
	if inc.Assignee != "" || inc.Review != testigo.ReviewInReview {
		t.Errorf("after unassigning: %q, %s", inc.Assignee, inc.Review)
	}
	trail, err := f.st.FindAuditEntries(ctx, f.id)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"assignee":"","review":"new"} → {"assignee":"someone","review":"in_review"}`,
		`{"assignee":"someone"} → {"assignee":"ben"}`,
		`{"assignee":"ben"} → {"assignee":""}`,
	}
	if len(trail) != 1+len(want) {
		t.Fatalf("%d audit entries, want create and %d assignments", len(trail), len(want))
	}
	for i, e := range trail[1:] {
		if got := e.Before + " → " + e.After; e.Action != testigo.ActionAssign || i >= len(want) || got != want[i] {
			t.Errorf("audit entry %d: %s %s", i+1, e.Action, got)
		}
	}
	f.wantLogged(t, inc)
}
