package translog

import (
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
)

// TestIncidentStateAssigneeAndOverrides checks that the logged state of an
// incident commits to its assignee and override values, and that an
// incident with neither hashes as it did before the fields existed.
func TestIncidentStateAssigneeAndOverrides(t *testing.T) {
	inc := &testigo.Incident{ID: 4, Type: testigo.TypeVesselStrike, Date: "2025-11-20",
		Killed: &testigo.Range{Min: 3, Max: 3}, Grade: testigo.GradeWeak, Review: testigo.ReviewNew, Version: 2, ReportCount: 1}
	plain := string(IncidentState(inc))
	for _, key := range []string{"assignee", "overrides"} {
		if strings.Contains(plain, key) {
			t.Errorf("state without %s mentions it: %s", key, plain)
		}
	}
	inc.Overrides = map[string]testigo.Override{}
	if got := string(IncidentState(inc)); got != plain {
		t.Errorf("an empty override map changed the state:\n%s\n%s", got, plain)
	}

	inc.Assignee = "ana"
	assigned := IncidentStateHash(inc)
	if !strings.Contains(string(IncidentState(inc)), `"assignee":"ana"`) || assigned == sha256Hex([]byte(plain)) {
		t.Errorf("state does not commit to the assignee: %s", IncidentState(inc))
	}
	inc.Overrides = map[string]testigo.Override{"killed": {Value: "3-7", Actor: "ana", Reason: "hospital", At: time.Unix(0, 0)}}
	edited := IncidentStateHash(inc)
	if edited == assigned || !strings.Contains(string(IncidentState(inc)), `"overrides":{"killed":"3-7"}`) {
		t.Errorf("state does not commit to the override value: %s", IncidentState(inc))
	}
	inc.Overrides["killed"] = testigo.Override{Value: "3-8", Actor: "ana", Reason: "hospital", At: time.Unix(0, 0)}
	if IncidentStateHash(inc) == edited {
		t.Error("a changed override value hashes like the old one")
	}
}
