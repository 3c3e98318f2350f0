package review

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
)

var req = Request{Actor: "ana", Reason: "same boat, two outlets", At: time.Date(2025, 11, 30, 12, 0, 0, 0, time.UTC)}

func TestSetState(t *testing.T) {
	tests := []struct {
		name     string
		from, to testigo.ReviewState
		merged   testigo.IncidentID
		req      Request
		wantErr  string
	}{
		{"publish new", testigo.ReviewNew, testigo.ReviewPublished, 0, req, ""},
		{"start review", testigo.ReviewNew, testigo.ReviewInReview, 0, req, ""},
		{"reject without reason", testigo.ReviewNew, testigo.ReviewRejected, 0, Request{Actor: "ana"}, "a reason is required"},
		{"no reviewer", testigo.ReviewNew, testigo.ReviewPublished, 0, Request{}, "no reviewer named"},
		{"unknown state", testigo.ReviewNew, "archived", 0, req, `review state "archived"`},
		{"same state", testigo.ReviewPublished, testigo.ReviewPublished, 0, req, "already published"},
		{"rejected straight to published", testigo.ReviewRejected, testigo.ReviewPublished, 0, req, "cannot go from rejected to published"},
		{"merged incident", testigo.ReviewNew, testigo.ReviewPublished, 3, req, "was merged into 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inc := &testigo.Incident{ID: 7, Review: tc.from, MergedInto: tc.merged}
			e, err := SetState(inc, tc.to, tc.req)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, testigo.ErrInvalid) {
					t.Fatalf("err = %v, want ErrInvalid containing %q", err, tc.wantErr)
				}
				if inc.Review != tc.from {
					t.Errorf("state changed to %s on error", inc.Review)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if inc.Review != tc.to || e.Action != testigo.ActionReview || e.IncidentID != 7 || e.Actor != "ana" ||
				!strings.Contains(e.Before, string(tc.from)) || !strings.Contains(e.After, string(tc.to)) {
				t.Errorf("got state %s and entry %+v", inc.Review, e)
			}
		})
	}
}

func TestMerge(t *testing.T) {
	a := func() *testigo.Incident { return &testigo.Incident{ID: 2, ReportCount: 3} }
	b := func() *testigo.Incident { return &testigo.Incident{ID: 5, ReportCount: 1} }
	if _, err := Merge(a(), a(), req); err == nil || !strings.Contains(err.Error(), "into itself") {
		t.Errorf("self merge: %v", err)
	}
	if _, err := Merge(b(), a(), req); err == nil || !strings.Contains(err.Error(), "merge the newer into the older") {
		t.Errorf("older into newer: %v", err)
	}
	gone := b()
	gone.MergedInto = 9
	if _, err := Merge(a(), gone, req); err == nil || !strings.Contains(err.Error(), "already merged into 9") {
		t.Errorf("merged source: %v", err)
	}
	into, from := a(), b()
	es, err := Merge(into, from, req)
	if err != nil {
		t.Fatal(err)
	}
	if from.MergedInto != 2 || len(es) != 2 || es[0].IncidentID != 5 || es[1].IncidentID != 2 {
		t.Errorf("merge gave %+v and entries %+v", from, es)
	}

	// The absorbed incident's overrides carry over where the survivor has none.
	into, from = a(), b()
	into.Overrides = map[string]testigo.Override{"killed": {Value: "3", Actor: "ana", Reason: "hospital"}}
	from.Overrides = map[string]testigo.Override{
		"killed":   {Value: "9", Actor: "ben", Reason: "press"},
		"location": {Value: "Güiria", Actor: "ben", Reason: "coast guard"},
	}
	es, err = Merge(into, from, req)
	if err != nil {
		t.Fatal(err)
	}
	if into.Overrides["killed"].Value != "3" || into.Overrides["location"].Value != "Güiria" || len(into.Overrides) != 2 {
		t.Errorf("overrides after merge: %+v", into.Overrides)
	}
	if !strings.Contains(es[1].After, `"overrides_carried":["location"]`) {
		t.Errorf("merge entry does not name the carried override: %s", es[1].After)
	}
}

func TestSplit(t *testing.T) {
	inc := &testigo.Incident{ID: 4}
	reports := []*testigo.Report{{ID: 10}, {ID: 11}, {ID: 12}}
	tests := []struct {
		name    string
		move    []testigo.ReportID
		req     Request
		want    int
		wantErr string
	}{
		{"one out", []testigo.ReportID{11}, req, 1, ""},
		{"duplicates collapse", []testigo.ReportID{11, 11, 12}, req, 2, ""},
		{"all out", []testigo.ReportID{10, 11, 12}, req, 0, "without reports"},
		{"none named", nil, req, 0, "names no reports"},
		{"foreign report", []testigo.ReportID{99}, req, 0, "report 99 is not part of incident 4"},
		{"no reason", []testigo.ReportID{11}, Request{Actor: "ana"}, 0, "a reason is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			moved, e, err := Split(inc, reports, tc.move, tc.req)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || len(moved) != tc.want || e.Action != testigo.ActionSplit {
				t.Errorf("moved %d (err %v), want %d", len(moved), err, tc.want)
			}
		})
	}
}

func TestGrade(t *testing.T) {
	inc := &testigo.Incident{ID: 1, Grade: testigo.GradeWeak}
	if _, err := Grade(inc, testigo.GradeConfirmed, Request{Actor: "ana"}); err == nil {
		t.Error("grade override without a reason was accepted")
	}
	if _, err := Grade(inc, "certain", req); err == nil || !strings.Contains(err.Error(), `grade "certain"`) {
		t.Errorf("unknown grade: %v", err)
	}
	e, err := Grade(inc, testigo.GradeConfirmed, req)
	if err != nil || inc.Grade != testigo.GradeConfirmed || !strings.Contains(inc.GradeReason, req.Reason) ||
		!strings.Contains(e.Before, "weak") {
		t.Errorf("grade override: %v, %+v, %+v", err, inc, e)
	}
}
