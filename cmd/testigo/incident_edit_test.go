package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// shownIncident is the part of 'incident show' these tests read.
type shownIncident struct {
	Incident struct {
		ID        int64
		Title     string
		Killed    *struct{ Min, Max int }
		Review    string
		Version   int
		Assignee  string
		Overrides map[string]struct{ Value, Actor, Reason string }
	}
	Audit []struct{ Action, Actor, Reason, Before, After string }
}

func showIncidentJSON(t *testing.T, ctx context.Context, dir, id string) shownIncident {
	t.Helper()
	out, _, err := runCmd(t, ctx, "", "incident", "show", "--data", dir, id)
	if err != nil {
		t.Fatalf("incident show %s: %v", id, err)
	}
	var s shownIncident
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("incident show %s: %v\n%s", id, err, out)
	}
	return s
}

// TestIncidentEditAndAssign edits a field and assigns a reviewer from the
// command line, checks the bad inputs, and verifies the data directory.
func TestIncidentEditAndAssign(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, _, err := runCmd(t, ctx, "", "demo", "--data", dir, "--no-serve"); err != nil {
		t.Fatal(err)
	}
	v := showIncidentJSON(t, ctx, dir, "1").Incident.Version

	bad := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no reason", []string{"edit", "--field", "killed", "--value", "3-7", "1"}, 1, "a reason is required"},
		{"no field", []string{"edit", "--value", "3", "--reason", "x", "1"}, 2, "--field is required"},
		{"no value", []string{"edit", "--field", "killed", "--reason", "x", "1"}, 2, "--value is required"},
		{"value and clear", []string{"edit", "--field", "killed", "--value", "3", "--clear", "--reason", "x", "1"}, 2, "not both"},
		{"unknown field", []string{"edit", "--field", "grade", "--value", "fair", "--reason", "x", "1"}, 1, `field "grade" cannot be edited`},
		{"bad value", []string{"edit", "--field", "killed", "--value", "7-3", "--reason", "x", "1"}, 1, `killed "7-3" runs backwards`},
		{"stale version", []string{"edit", "--field", "killed", "--value", "3", "--reason", "x", "--version", "99", "1"}, 1, "not 99 (someone changed it)"},
		{"unknown incident", []string{"edit", "--field", "killed", "--value", "3", "--reason", "x", "999"}, 1, "incident 999: not found"},
		{"clear nothing", []string{"edit", "--field", "killed", "--clear", "--reason", "x", "1"}, 1, "has no analyst value to clear"},
		{"assign without --to", []string{"assign", "1"}, 2, "--to is required"},
		{"unassign nobody", []string{"unassign", "1"}, 1, "is not assigned to anyone"},
		{"assign two ids", []string{"assign", "--to", "ana", "1", "2"}, 2, "want 1 arguments, got 2"},
	}
	for _, tc := range bad {
		args := append([]string{"incident", tc.args[0], "--data", dir, "--as", "ana"}, tc.args[1:]...)
		_, _, err := runCmd(t, ctx, "", args...)
		if err == nil || exitCode(err) != tc.code || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v (exit %d), want exit %d and %q", tc.name, err, exitCode(err), tc.code, tc.want)
		}
	}
	if s := showIncidentJSON(t, ctx, dir, "1"); s.Incident.Version != v || s.Incident.Overrides != nil {
		t.Fatalf("refused commands changed incident 1: version %d (was %d), overrides %v", s.Incident.Version, v, s.Incident.Overrides)
	}

	out, _, err := runCmd(t, ctx, "", "incident", "edit", "--data", dir, "--as", "ana", "--field", "killed", "--value", "3–7",
		"--reason", "hospital count", "--version", strconv.Itoa(v), "1")
	if err != nil || !strings.Contains(out, `killed: "3-7"`) {
		t.Fatalf("edit: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, ctx, "", "incident", "edit", "--data", dir, "--as", "ana", "--field", "title", "--value", "Strike as named by the navy",
		"--reason", "official name", "1")
	if err != nil || !strings.Contains(out, "incident 1: Strike as named by the navy,") {
		t.Fatalf("edit title: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, ctx, "", "incident", "assign", "--data", dir, "--as", "ana", "--to", "ben", "1")
	if err != nil || !strings.Contains(out, "in_review, assigned to ben") {
		t.Fatalf("assign: %v\n%s", err, out)
	}
	s := showIncidentJSON(t, ctx, dir, "1")
	if s.Incident.Assignee != "ben" || s.Incident.Killed == nil || *s.Incident.Killed != (struct{ Min, Max int }{3, 7}) ||
		s.Incident.Overrides["killed"].Reason != "hospital count" || s.Incident.Overrides["title"].Actor != "ana" {
		t.Errorf("incident show after edit and assign: %+v", s.Incident)
	}
	last := s.Audit[len(s.Audit)-1]
	if last.Action != "assign" || last.After != `{"assignee":"ben","review":"in_review"}` {
		t.Errorf("last audit entry %+v", last)
	}

	out, _, err = runCmd(t, ctx, "", "incident", "list", "--data", dir, "--assignee", "ben")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 2 || !strings.HasPrefix(lines[1], "1 ") || !strings.HasSuffix(lines[1], "ben") {
		t.Errorf("list --assignee ben: %v\n%s", err, out)
	}

	// With accounts, only analysts and admins can be assigned.
	if _, _, err := runCmd(t, ctx, "correct horse battery\n", "user", "add", "cy", "--role", "viewer", "--data", dir); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, ctx, "", "incident", "assign", "--data", dir, "--as", "ana", "--to", "cy", "1"); err == nil ||
		!strings.Contains(err.Error(), "cy is a viewer") {
		t.Errorf("assign to a viewer: %v", err)
	}
	if _, _, err := runCmd(t, ctx, "", "incident", "assign", "--data", dir, "--as", "ana", "--to", "dora", "1"); err == nil ||
		!strings.Contains(err.Error(), `there is no user named "dora"`) {
		t.Errorf("assign to nobody: %v", err)
	}
	if out, _, err := runCmd(t, ctx, "", "incident", "edit", "--data", dir, "--as", "ana", "--field", "killed", "--clear",
		"--reason", "count withdrawn", "1"); err != nil || strings.Contains(out, `killed: "3-7"`) {
		t.Errorf("clear: %v\n%s", err, out)
	}
	if out, _, err := runCmd(t, ctx, "", "incident", "unassign", "--data", dir, "--as", "ana", "1"); err != nil || strings.Contains(out, "assigned to") {
		t.Errorf("unassign: %v\n%s", err, out)
	}
	if out, _, err := runCmd(t, ctx, "", "verify", "--data", dir); err != nil {
		t.Errorf("verify after edits: %v\n%s", err, out)
	}
}
