package review

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/cluster"
)

// editReports are two reports of one strike: 3 and 5 killed.
func editReports() []*testigo.Report {
	ev := func(n int) testigo.Event {
		return testigo.Event{Type: testigo.TypeVesselStrike, Date: "2025-09-15",
			Place: testigo.Place{Country: "VE", Admin1: "Sucre"}, Killed: &testigo.Range{Min: n, Max: n}}
	}
	return []*testigo.Report{{ID: 1, DocumentID: 1, Event: ev(3)}, {ID: 2, DocumentID: 2, Event: ev(5)}}
}

func derivedIncident(t *testing.T) (*testigo.Incident, func(*testigo.Incident)) {
	t.Helper()
	reports := editReports()
	inc := &testigo.Incident{ID: 7, Review: testigo.ReviewNew, Version: 3}
	cluster.Derive(inc, reports)
	return inc, func(i *testigo.Incident) { cluster.Derive(i, reports) }
}

func entryJSON(t *testing.T, s string) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("audit JSON %q: %v", s, err)
	}
	return m
}

func TestEdit(t *testing.T) {
	inc, rederive := derivedIncident(t)
	e, err := Edit(inc, "killed", "5–9", req, rederive)
	if err != nil {
		t.Fatal(err)
	}
	if *inc.Killed != (testigo.Range{Min: 5, Max: 9}) {
		t.Errorf("killed after edit = %v, want 5-9", inc.Killed)
	}
	want := testigo.Override{Value: "5-9", Actor: "ana", Reason: req.Reason, At: req.At}
	if diff := cmp.Diff(map[string]testigo.Override{"killed": want}, inc.Overrides); diff != "" {
		t.Errorf("overrides after edit (-want +got):\n%s", diff)
	}
	if !strings.Contains(inc.Derivation, `killed set to "5-9" by analyst ana (the reports give "5")`) {
		t.Errorf("derivation %q does not name the analyst's value", inc.Derivation)
	}
	if e.Action != testigo.ActionEdit || e.IncidentID != 7 || e.Actor != "ana" || e.Reason != req.Reason || !e.At.Equal(req.At) {
		t.Errorf("audit entry %+v", e)
	}
	if diff := cmp.Diff(map[string]string{"killed": "5"}, entryJSON(t, e.Before)); diff != "" {
		t.Errorf("before (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"killed": "5-9", "override": "set"}, entryJSON(t, e.After)); diff != "" {
		t.Errorf("after (-want +got):\n%s", diff)
	}

	// The same value again is refused; a new one replaces it; a second field
	// joins it without changing the map the first edit gave.
	if _, err := Edit(inc, "killed", "5-9", req, rederive); err == nil || !strings.Contains(err.Error(), `already set to "5-9" by ana`) {
		t.Errorf("same value again: %v", err)
	}
	first := inc.Overrides
	if _, err := Edit(inc, "title", "Strike on a fishing boat", req, rederive); err != nil {
		t.Fatal(err)
	}
	if len(first) != 1 || len(inc.Overrides) != 2 || inc.Title != "Strike on a fishing boat" {
		t.Errorf("second edit: earlier map %v, overrides %v, title %q", first, inc.Overrides, inc.Title)
	}

	// Clearing lets the reports decide again.
	e, err = ClearEdit(inc, "killed", Request{Actor: "ben", Reason: "the hospital withdrew its count", At: req.At}, rederive)
	if err != nil {
		t.Fatal(err)
	}
	if *inc.Killed != (testigo.Range{Min: 5, Max: 5}) || len(inc.Overrides) != 1 || strings.Contains(inc.Derivation, "killed set to") {
		t.Errorf("after clearing: killed %v, overrides %v, derivation %q", inc.Killed, inc.Overrides, inc.Derivation)
	}
	if diff := cmp.Diff(map[string]string{"killed": "5", "override": "cleared"}, entryJSON(t, e.After)); diff != "" {
		t.Errorf("after clearing (-want +got):\n%s", diff)
	}
	if _, err := ClearEdit(inc, "title", req, rederive); err != nil {
		t.Fatal(err)
	}
	if inc.Overrides != nil || inc.Title != "Vessel strike in Sucre, 2025-09-15" {
		t.Errorf("after clearing the last override: %v, title %q", inc.Overrides, inc.Title)
	}
}

func TestEditWithoutReports(t *testing.T) {
	inc := &testigo.Incident{ID: 8, Date: "2025-09-15"}
	if _, err := Edit(inc, "date", "2025-09-14", req, nil); err != nil {
		t.Fatal(err)
	}
	if inc.Date != "2025-09-14" || inc.Overrides["date"].Value != "2025-09-14" {
		t.Errorf("edit without reports: date %q, overrides %v", inc.Date, inc.Overrides)
	}
}

func TestEditRefused(t *testing.T) {
	noReason := Request{Actor: "ana", At: req.At}
	tests := []struct {
		name, field, value string
		clear              bool
		req                Request
		merged             testigo.IncidentID
		wantErr            string
	}{
		{"no reason", "killed", "4", false, noReason, 0, "a reason is required"},
		{"blank reason", "killed", "4", false, Request{Actor: "ana", Reason: "  "}, 0, "a reason is required"},
		{"no reviewer", "killed", "4", false, Request{Reason: "x"}, 0, "no reviewer named"},
		{"unknown field", "grade", "fair", false, req, 0, `field "grade" cannot be edited`},
		{"bad value", "killed", "many", false, req, 0, `killed "many" is not a count`},
		{"bad type", "type", "boat", false, req, 0, `type "boat" is not a known event type`},
		{"bad country", "country", "Venezuela", false, req, 0, "not an ISO 3166-1 alpha-2 code"},
		{"merged", "killed", "4", false, req, 3, "was merged into 3"},
		{"clear without reason", "killed", "", true, noReason, 0, "a reason is required"},
		{"clear unknown field", "grade", "", true, req, 0, `field "grade" cannot be edited`},
		{"clear without override", "date", "", true, req, 0, "date of incident 7 has no analyst value to clear"},
		{"clear merged", "killed", "", true, req, 3, "was merged into 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inc, rederive := derivedIncident(t)
			inc.Overrides = map[string]testigo.Override{"killed": {Value: "3-4", Actor: "ben", Reason: "x", At: req.At}}
			rederive(inc)
			inc.MergedInto = tc.merged
			before := *inc
			var err error
			if tc.clear {
				_, err = ClearEdit(inc, tc.field, tc.req, rederive)
			} else {
				_, err = Edit(inc, tc.field, tc.value, tc.req, rederive)
			}
			if !errors.Is(err, testigo.ErrInvalid) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want ErrInvalid containing %q", err, tc.wantErr)
			}
			if diff := cmp.Diff(&before, inc); diff != "" {
				t.Errorf("refused edit changed the incident (-before +after):\n%s", diff)
			}
		})
	}
}

func TestAssign(t *testing.T) {
	tests := []struct {
		name         string
		from         testigo.ReviewState
		assignee, to string
		wantState    testigo.ReviewState
		wantBefore   map[string]string
		wantAfter    map[string]string
	}{
		{"new starts review", testigo.ReviewNew, "", "ben", testigo.ReviewInReview,
			map[string]string{"assignee": "", "review": "new"}, map[string]string{"assignee": "ben", "review": "in_review"}},
		{"published stays", testigo.ReviewPublished, "", "ben", testigo.ReviewPublished,
			map[string]string{"assignee": ""}, map[string]string{"assignee": "ben"}},
		{"reassign", testigo.ReviewInReview, "ana", " ben ", testigo.ReviewInReview,
			map[string]string{"assignee": "ana"}, map[string]string{"assignee": "ben"}},
		{"unassign new", testigo.ReviewNew, "ana", "", testigo.ReviewNew,
			map[string]string{"assignee": "ana"}, map[string]string{"assignee": ""}},
		{"rejected stays", testigo.ReviewRejected, "", "ben", testigo.ReviewRejected,
			map[string]string{"assignee": ""}, map[string]string{"assignee": "ben"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inc := &testigo.Incident{ID: 7, Review: tc.from, Assignee: tc.assignee}
			e, err := Assign(inc, tc.to, Request{Actor: "ana", At: req.At})
			if err != nil {
				t.Fatal(err)
			}
			if inc.Assignee != strings.TrimSpace(tc.to) || inc.Review != tc.wantState || e.Action != testigo.ActionAssign {
				t.Errorf("got assignee %q, state %s, action %s", inc.Assignee, inc.Review, e.Action)
			}
			if diff := cmp.Diff(tc.wantBefore, entryJSON(t, e.Before)); diff != "" {
				t.Errorf("before (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantAfter, entryJSON(t, e.After)); diff != "" {
				t.Errorf("after (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAssignRefused(t *testing.T) {
	tests := []struct {
		name, assignee, to string
		merged             testigo.IncidentID
		req                Request
		wantErr            string
	}{
		{"same", "ana", "ana", 0, req, "already assigned to ana"},
		{"nobody to nobody", "", " ", 0, req, "is not assigned to anyone"},
		{"two lines", "", "ana\nben", 0, req, "is not a user name"},
		{"too long", "", strings.Repeat("a", 101), 0, req, "is not a user name"},
		{"merged", "", "ana", 4, req, "was merged into 4"},
		{"no reviewer", "", "ana", 0, Request{}, "no reviewer named"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inc := &testigo.Incident{ID: 7, Review: testigo.ReviewNew, Assignee: tc.assignee, MergedInto: tc.merged}
			before := *inc
			_, err := Assign(inc, tc.to, tc.req)
			if !errors.Is(err, testigo.ErrInvalid) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want ErrInvalid containing %q", err, tc.wantErr)
			}
			if diff := cmp.Diff(&before, inc); diff != "" {
				t.Errorf("refused assignment changed the incident (-before +after):\n%s", diff)
			}
		})
	}
}
