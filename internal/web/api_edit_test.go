package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/testigo-project/testigo"
)

// apiEditedIncident is the part of an incident these tests read.
type apiEditedIncident struct {
	ID         int64          `json:"id"`
	Version    int            `json:"version"`
	Review     string         `json:"review"`
	Title      string         `json:"title"`
	Killed     *testigo.Range `json:"killed"`
	Derivation string         `json:"derivation"`
	Assignee   string         `json:"assignee"`
	Overrides  map[string]struct {
		Value  string `json:"value"`
		Actor  string `json:"actor"`
		Reason string `json:"reason"`
	} `json:"overrides"`
}

func TestEditIncident(t *testing.T) {
	e := newWriteEnv(t)
	inc := e.seed.incidents[0]
	id := int64(inc.ID)
	edit := fmt.Sprintf("/api/v1/incidents/%d/edit", id)
	v, audits := e.state(t, id)

	refusals := []struct {
		path   string
		body   any
		status int
		want   string
	}{
		{edit, map[string]any{"field": "killed", "value": "3-7", "version": v}, 400, "reason is required to edit a field"},
		{edit, map[string]any{"field": "killed", "value": "3-7", "reason": " ", "version": v}, 400, "reason is required to edit a field"},
		{edit, map[string]any{"value": "3-7", "reason": "x", "version": v}, 400, "field is required (one of title, type,"},
		{edit, map[string]any{"field": "killed", "reason": "x", "version": v}, 400, "value is required"},
		{edit, map[string]any{"field": "killed", "value": "3", "clear": true, "reason": "x", "version": v}, 400, "give value or clear, not both"},
		{edit, map[string]any{"field": "grade", "value": "fair", "reason": "x", "version": v}, 400, `field "grade" cannot be edited`},
		{edit, map[string]any{"field": "killed", "value": "lots", "reason": "x", "version": v}, 400, `killed "lots" is not a count`},
		{edit, map[string]any{"field": "coords", "value": "200,5", "reason": "x", "version": v}, 400, "out of range"},
		{edit, map[string]any{"field": "type", "value": "riot", "reason": "x", "version": v}, 400, `type "riot" is not a known event type`},
		{edit, map[string]any{"field": "killed", "clear": true, "reason": "x", "version": v}, 400, "has no analyst value to clear"},
		{edit, map[string]any{"field": "killed", "value": "3", "reason": "x"}, 400, "version is required"},
		{edit, map[string]any{"field": "killed", "value": "3", "reason": "x", "version": v + 1}, 409, fmt.Sprintf("is at version %d, not %d", v, v+1)},
		{edit, `{"field": "killed", "value": 3, "reason": "x", "version": 1}`, 400, "value must be a string, not a number"},
		{edit, `{"field": "killed", "value": "3", "reason": "x", "version": 1, "why": "x"}`, 400, `unknown field "why"`},
		{"/api/v1/incidents/999999/edit", map[string]any{"field": "killed", "value": "3", "reason": "x", "version": 1}, 404, "incident 999999: not found"},
	}
	for _, r := range refusals {
		b := e.wantError(t, e.post(t, r.path, r.body), r.status, r.want)
		if r.status == http.StatusConflict && b.CurrentVersion != v {
			t.Errorf("409 body current_version = %d, want %d", b.CurrentVersion, v)
		}
	}
	if nv, n := e.state(t, id); nv != v || n != audits {
		t.Fatalf("refused edits changed incident %d: version %d→%d, audit entries %d→%d", id, v, nv, audits, n)
	}

	x := e.post(t, edit, map[string]any{"field": "killed", "value": "3–7", "reason": "the hospital counted seven", "version": v})
	var res struct {
		Incident apiEditedIncident `json:"incident"`
	}
	apiDecode(t, x, &res)
	got := res.Incident
	if x.resp.StatusCode != 200 || got.Version != v+1 || got.Killed == nil || *got.Killed != (testigo.Range{Min: 3, Max: 7}) ||
		got.Overrides["killed"].Value != "3-7" || got.Overrides["killed"].Actor != "ana" ||
		!strings.Contains(got.Derivation, `killed set to "3-7" by analyst ana`) {
		t.Fatalf("edit = %d %s", x.resp.StatusCode, x.got)
	}

	// The incident read back shows the override; clearing it is audited too.
	x = apiDo(t, "GET", fmt.Sprintf("%s/api/v1/incidents/%d", e.srv.URL, id), nil, nil)
	e.spec.check(t, x)
	var shown apiEditedIncident
	apiDecode(t, x, &shown)
	if shown.Overrides["killed"].Reason != "the hospital counted seven" {
		t.Errorf("GET incident after edit: %s", x.got)
	}
	x = e.post(t, edit, map[string]any{"field": "killed", "clear": true, "reason": "count withdrawn", "version": v + 1})
	var cleared struct {
		Incident apiEditedIncident `json:"incident"`
	}
	apiDecode(t, x, &cleared)
	if x.resp.StatusCode != 200 || cleared.Incident.Overrides != nil || strings.Contains(string(x.got), `"overrides"`) {
		t.Errorf("clear = %d %s", x.resp.StatusCode, x.got)
	}
	x = apiDo(t, "GET", fmt.Sprintf("%s/api/v1/incidents/%d/audit", e.srv.URL, id), nil, nil)
	e.spec.check(t, x)
	var trail struct {
		Entries []struct {
			Actor  string         `json:"actor"`
			Action string         `json:"action"`
			Reason string         `json:"reason"`
			After  map[string]any `json:"after"`
		} `json:"entries"`
	}
	apiDecode(t, x, &trail)
	if n := len(trail.Entries); n != audits+2 || trail.Entries[n-2].Action != "edit" || trail.Entries[n-2].After["killed"] != "3-7" ||
		trail.Entries[n-1].Reason != "count withdrawn" || trail.Entries[n-1].After["override"] != "cleared" {
		t.Errorf("GET audit = %s", x.got)
	}
}

func TestAssignIncident(t *testing.T) {
	e := newWriteEnv(t)
	var inc *testigo.Incident
	for _, i := range e.seed.incidents {
		if i.Review == testigo.ReviewNew {
			inc = i
			break
		}
	}
	if inc == nil {
		t.Fatal("the demo corpus has no new incident")
	}
	id := int64(inc.ID)
	assign := fmt.Sprintf("/api/v1/incidents/%d/assign", id)
	users, ok := e.seed.st.(testigo.UserStore)
	if !ok {
		t.Fatal("the seed store keeps no user accounts")
	}
	for _, u := range []*testigo.User{{Name: "ben", Role: testigo.RoleAnalyst}, {Name: "vic", Role: testigo.RoleViewer}} {
		if err := users.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	v, audits := e.state(t, id)

	refusals := []struct {
		path   string
		body   any
		status int
		want   string
	}{
		{assign, map[string]any{"version": v}, 400, "to is required"},
		{assign, map[string]any{"to": "eve", "version": v}, 400, `there is no user named "eve"`},
		{assign, map[string]any{"to": "vic", "version": v}, 400, "vic is a viewer"},
		{assign, map[string]any{"to": "", "version": v}, 400, "is not assigned to anyone"},
		{assign, map[string]any{"to": "ben"}, 400, "version is required"},
		{assign, map[string]any{"to": "ben", "version": v + 2}, 409, "someone changed it"},
		{assign, `{"to": ["ben"], "version": 1}`, 400, "to must be a string, not an array"},
		{"/api/v1/incidents/999999/assign", map[string]any{"to": "ben", "version": 1}, 404, "incident 999999: not found"},
	}
	for _, r := range refusals {
		b := e.wantError(t, e.post(t, r.path, r.body), r.status, r.want)
		if r.status == http.StatusConflict && b.CurrentVersion != v {
			t.Errorf("409 body current_version = %d, want %d", b.CurrentVersion, v)
		}
	}
	if nv, n := e.state(t, id); nv != v || n != audits {
		t.Fatalf("refused assignments changed incident %d: version %d→%d, audit entries %d→%d", id, v, nv, audits, n)
	}

	x := e.post(t, assign, map[string]any{"to": "ben", "reason": "knows the coast", "version": v})
	var res struct {
		Incident apiEditedIncident `json:"incident"`
	}
	apiDecode(t, x, &res)
	if x.resp.StatusCode != 200 || res.Incident.Assignee != "ben" || res.Incident.Review != "in_review" || res.Incident.Version != v+1 {
		t.Fatalf("assign = %d %s", x.resp.StatusCode, x.got)
	}
	x = apiDo(t, "GET", e.srv.URL+"/api/v1/incidents?review=in_review", nil, nil)
	e.spec.check(t, x)
	if !strings.Contains(string(x.got), `"assignee": "ben"`) {
		t.Errorf("listing does not show the assignee: %s", x.got)
	}
	x = e.post(t, assign, map[string]any{"to": "", "version": v + 1})
	var unassigned struct {
		Incident apiEditedIncident `json:"incident"`
	}
	apiDecode(t, x, &unassigned)
	if x.resp.StatusCode != 200 || unassigned.Incident.Assignee != "" || unassigned.Incident.Review != "in_review" || strings.Contains(string(x.got), `"assignee"`) {
		t.Errorf("unassign = %d %s", x.resp.StatusCode, x.got)
	}
	x = apiDo(t, "GET", fmt.Sprintf("%s/api/v1/incidents/%d/audit", e.srv.URL, id), nil, nil)
	e.spec.check(t, x)
	if !strings.Contains(string(x.got), `"action": "assign"`) || !strings.Contains(string(x.got), "knows the coast") {
		t.Errorf("GET audit after assign: %s", x.got)
	}
}
