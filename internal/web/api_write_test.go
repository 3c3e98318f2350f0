package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/web"
)

// apiWriteResult is the body of a successful write.
type apiWriteResult struct {
	Incident struct {
		ID          int64  `json:"id"`
		Version     int    `json:"version"`
		Grade       string `json:"grade"`
		GradeReason string `json:"grade_reason"`
		Review      string `json:"review"`
		ReportCount int    `json:"report_count"`
	} `json:"incident"`
	Created *struct {
		ID          int64 `json:"id"`
		Version     int   `json:"version"`
		ReportCount int   `json:"report_count"`
	} `json:"created"`
}

// apiWriteError is the body of a failed write.
type apiWriteError struct {
	Error          string `json:"error"`
	CurrentVersion int    `json:"current_version"`
}

// writeEnv is a seeded store served with one valid token, "tok-ana", whose
// user is ana.
type writeEnv struct {
	seed *apiSeed
	spec *apiSpec
	srv  *httptest.Server
}

func newWriteEnv(t *testing.T) *writeEnv {
	t.Helper()
	seed := seedAPIStore(t)
	srv := serveAPI(t, seed.st, func(d *web.Deps) { d.Tokens = tokenMap{"tok-ana": "ana"} })
	return &writeEnv{seed: seed, spec: loadSpec(t), srv: srv}
}

// post sends a write as ana and validates the exchange against the document.
func (e *writeEnv) post(t *testing.T, path string, body any) *apiExchange {
	t.Helper()
	x := apiDo(t, "POST", e.srv.URL+path, body, map[string]string{"Authorization": "Bearer tok-ana"})
	e.spec.check(t, x)
	return x
}

// state returns an incident's stored version and number of audit entries.
func (e *writeEnv) state(t *testing.T, id int64) (int, int) {
	t.Helper()
	ctx := context.Background()
	inc, err := e.seed.st.FindIncident(ctx, testigo.IncidentID(id))
	if err != nil {
		t.Fatal(err)
	}
	audit, err := e.seed.st.FindAuditEntries(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return inc.Version, len(audit)
}

// wantError checks a failed write: its status, a one-line message that
// contains want, and that the incident is unchanged.
func (e *writeEnv) wantError(t *testing.T, x *apiExchange, status int, want string) apiWriteError {
	t.Helper()
	var b apiWriteError
	apiDecode(t, x, &b)
	if x.resp.StatusCode != status || !strings.Contains(b.Error, want) || strings.Contains(b.Error, "\n") {
		t.Errorf("POST %s %s = %d %q, want %d with a one-line message containing %q", x.req.URL.Path, x.body, x.resp.StatusCode, b.Error, status, want)
	}
	return b
}

func TestWritesDisabledWithoutTokens(t *testing.T) {
	seed := seedAPIStore(t)
	spec := loadSpec(t)
	srv := serveAPI(t, seed.st, nil)
	inc := seed.incidents[0]
	x := apiDo(t, "POST", fmt.Sprintf("%s/api/v1/incidents/%d/grade", srv.URL, inc.ID),
		map[string]any{"grade": "fair", "reason": "two outlets", "version": inc.Version},
		map[string]string{"Authorization": "Bearer anything"})
	spec.check(t, x)
	var b apiWriteError
	apiDecode(t, x, &b)
	if x.resp.StatusCode != http.StatusForbidden || b.Error != "writes are disabled on this server" {
		t.Errorf("write without a token checker = %d %q, want 403 \"writes are disabled on this server\"", x.resp.StatusCode, b.Error)
	}
}

func TestWriteAuthentication(t *testing.T) {
	e := newWriteEnv(t)
	inc := e.seed.incidents[0]
	url := fmt.Sprintf("%s/api/v1/incidents/%d/grade", e.srv.URL, inc.ID)
	body := map[string]any{"grade": "fair", "reason": "two outlets", "version": inc.Version}
	for _, tc := range []struct{ name, auth, want string }{
		{"none", "", "no API token"},
		{"basic", "Basic YW5hOnB3", "not \"Bearer <token>\""},
		{"empty bearer", "Bearer ", "not \"Bearer <token>\""},
		{"unknown", "Bearer tok-eve", "unknown or revoked API token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hd := map[string]string{}
			if tc.auth != "" {
				hd["Authorization"] = tc.auth
			}
			x := apiDo(t, "POST", url, body, hd)
			e.spec.check(t, x)
			e.wantError(t, x, http.StatusUnauthorized, tc.want)
			if got := x.resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", got)
			}
			if got := x.resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("write answered with Access-Control-Allow-Origin %q; writes get no CORS", got)
			}
		})
	}
	if v, n := e.state(t, int64(inc.ID)); v != inc.Version || n == 0 {
		t.Errorf("after refused writes incident %d is at version %d (want %d) with %d audit entries", inc.ID, v, inc.Version, n)
	}
}

func TestGradeAndReview(t *testing.T) {
	e := newWriteEnv(t)
	inc := e.seed.incidents[0]
	id := int64(inc.ID)
	grade := fmt.Sprintf("/api/v1/incidents/%d/grade", id)
	rev := fmt.Sprintf("/api/v1/incidents/%d/review", id)
	v, audits := e.state(t, id)

	// Refusals change nothing.
	refusals := []struct {
		path   string
		body   any
		status int
		want   string
	}{
		{grade, map[string]any{"grade": "fair", "version": v}, 400, "reason is required"},
		{grade, map[string]any{"grade": "fair", "reason": "  ", "version": v}, 400, "reason is required"},
		{grade, map[string]any{"grade": "certain", "reason": "x", "version": v}, 400, `grade "certain" is not one of confirmed`},
		{grade, map[string]any{"reason": "x", "version": v}, 400, "grade is required"},
		{grade, map[string]any{"grade": "fair", "reason": "x"}, 400, "version is required"},
		{grade, map[string]any{"grade": "fair", "reason": "x", "version": 0}, 400, "version 0 is not a version"},
		{grade, map[string]any{"grade": "fair", "reason": "x", "version": v + 5}, 409, fmt.Sprintf("is at version %d, not %d", v, v+5)},
		{grade, `{"grade": "fair", "reason": "x", "version": "one"}`, 400, "version must be an integer, not a string"},
		{grade, `{"grade": "fair", "reason": "x", "version": 1, "extra": true}`, 400, `unknown field "extra"`},
		{grade, `{"grade": "fair", "reason": "x", "version": 1} {}`, 400, "unexpected data after the JSON object"},
		{grade, `{"grade": "fair", `, 400, "truncated JSON"},
		{grade, `{"grade": fair}`, 400, "not valid JSON"},
		{grade, ``, 400, "empty; want a JSON object"},
		{grade, `[1, 2]`, 400, "want a JSON object, not an array"},
		{grade, `{"reason": "` + strings.Repeat("x", 70<<10) + `"}`, 400, "larger than 65536 bytes"},
		{rev, map[string]any{"state": "archived", "version": v}, 400, `state "archived" is not one of new, in_review, published, rejected`},
		{rev, map[string]any{"state": "rejected", "version": v}, 400, "a reason is required"},
		{rev, map[string]any{"state": "new", "version": v}, 400, "is already new"},
		{rev, map[string]any{"version": v}, 400, "state is required"},
		{rev, map[string]any{"state": "published", "version": v - 1 + 3}, 409, "someone changed it"},
		{"/api/v1/incidents/999999/grade", map[string]any{"grade": "fair", "reason": "x", "version": 1}, 404, "not found"},
		{"/api/v1/incidents/abc/review", map[string]any{"state": "published", "version": 1}, 404, "not found"},
		{"/api/v1/incidents/999999/review", map[string]any{"state": "published", "version": 1}, 404, "not found"},
	}
	for _, r := range refusals {
		x := e.post(t, r.path, r.body)
		b := e.wantError(t, x, r.status, r.want)
		if r.status == http.StatusConflict && b.CurrentVersion != v {
			t.Errorf("409 body current_version = %d, want %d", b.CurrentVersion, v)
		}
	}
	x := apiDo(t, "POST", e.srv.URL+grade, map[string]any{"grade": "fair", "reason": "x", "version": v},
		map[string]string{"Authorization": "Bearer tok-ana", "Content-Type": "text/plain"})
	e.wantError(t, x, 400, `Content-Type "text/plain" is not application/json`)
	if nv, n := e.state(t, id); nv != v || n != audits {
		t.Fatalf("refused writes changed incident %d: version %d→%d, audit entries %d→%d", id, v, nv, audits, n)
	}

	// A grade override with a reason, then a review move.
	x = e.post(t, grade, map[string]any{"grade": "contested", "reason": "the navy denies it", "version": v})
	var res apiWriteResult
	apiDecode(t, x, &res)
	if x.resp.StatusCode != 200 || res.Incident.Grade != "contested" || res.Incident.Version != v+1 ||
		res.Incident.GradeReason != "set by ana: the navy denies it" || res.Created != nil {
		t.Fatalf("grade = %d %+v, want 200, contested, version %d, reason set by ana", x.resp.StatusCode, res, v+1)
	}
	x = e.post(t, rev, map[string]any{"state": "published", "version": v + 1})
	apiDecode(t, x, &res)
	if x.resp.StatusCode != 200 || res.Incident.Review != "published" || res.Incident.Version != v+2 {
		t.Fatalf("review = %d %+v, want 200, published, version %d", x.resp.StatusCode, res, v+2)
	}
	x = e.post(t, rev, map[string]any{"state": "rejected", "reason": "duplicate of a better-sourced incident", "version": v + 2})
	if x.resp.StatusCode != 200 {
		t.Fatalf("reject = %d %s", x.resp.StatusCode, x.got)
	}

	// The audit trail names ana, the action and the reason, and the API shows it.
	trail, err := e.seed.st.FindAuditEntries(context.Background(), inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(trail) != audits+3 {
		t.Fatalf("audit trail has %d entries, want %d", len(trail), audits+3)
	}
	for i, want := range []struct {
		action testigo.AuditAction
		reason string
	}{{testigo.ActionGrade, "the navy denies it"}, {testigo.ActionReview, ""}, {testigo.ActionReview, "duplicate of a better-sourced incident"}} {
		got := trail[audits+i]
		if got.Actor != "ana" || got.Action != want.action || got.Reason != want.reason {
			t.Errorf("audit entry %d = %s %s %q, want ana %s %q", audits+i, got.Actor, got.Action, got.Reason, want.action, want.reason)
		}
	}
	x = apiDo(t, "GET", fmt.Sprintf("%s/api/v1/incidents/%d/audit", e.srv.URL, id), nil, nil)
	e.spec.check(t, x)
	var shown struct {
		Entries []struct {
			Actor  string         `json:"actor"`
			Action string         `json:"action"`
			After  map[string]any `json:"after"`
		} `json:"entries"`
	}
	apiDecode(t, x, &shown)
	if len(shown.Entries) != len(trail) || shown.Entries[audits].Actor != "ana" || shown.Entries[audits].After["grade"] != "contested" {
		t.Errorf("GET audit = %s", x.got)
	}
}

func TestMergeAndSplit(t *testing.T) {
	e := newWriteEnv(t)
	ctx := context.Background()
	older, newer := e.seed.incidents[len(e.seed.incidents)-1], e.seed.incidents[len(e.seed.incidents)-2]
	if older.ID > newer.ID {
		older, newer = newer, older
	}
	third := e.seed.incidents[0]
	if third.ID == older.ID || third.ID == newer.ID {
		third = e.seed.incidents[1]
	}
	merge := fmt.Sprintf("/api/v1/incidents/%d/merge", older.ID)
	v, audits := e.state(t, int64(older.ID))
	for _, r := range []struct {
		path   string
		body   any
		status int
		want   string
	}{
		{merge, map[string]any{"from": older.ID, "reason": "same", "version": v}, 400, fmt.Sprintf("cannot merge incident %d into itself", older.ID)},
		{merge, map[string]any{"from": 999999, "reason": "same", "version": v}, 404, "incident 999999: not found"},
		{merge, map[string]any{"from": -3, "reason": "same", "version": v}, 400, "from -3 is not an incident ID"},
		{merge, map[string]any{"reason": "same", "version": v}, 400, "from is required"},
		{merge, map[string]any{"from": newer.ID, "version": v}, 400, "a reason is required"},
		{merge, map[string]any{"from": newer.ID, "reason": "same", "version": v + 1}, 409, "someone changed it"},
		{fmt.Sprintf("/api/v1/incidents/%d/merge", newer.ID), map[string]any{"from": older.ID, "reason": "same", "version": newer.Version}, 400, "merge the newer into the older"},
		{"/api/v1/incidents/999999/merge", map[string]any{"from": newer.ID, "reason": "same", "version": 1}, 404, "incident 999999: not found"},
	} {
		e.wantError(t, e.post(t, r.path, r.body), r.status, r.want)
	}
	if nv, n := e.state(t, int64(older.ID)); nv != v || n != audits {
		t.Fatalf("refused merges changed incident %d", older.ID)
	}

	x := e.post(t, merge, map[string]any{"from": newer.ID, "reason": "same boat, two dates", "version": v})
	var res apiWriteResult
	apiDecode(t, x, &res)
	want := older.ReportCount + newer.ReportCount
	if x.resp.StatusCode != 200 || res.Incident.ID != int64(older.ID) || res.Incident.ReportCount != want {
		t.Fatalf("merge = %d %s, want 200 with incident %d holding %d reports", x.resp.StatusCode, x.got, older.ID, want)
	}
	got := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/incidents/%d", e.srv.URL, newer.ID), nil, nil)
	if got.resp.StatusCode != http.StatusPermanentRedirect {
		t.Errorf("merged incident %d answers %d, want 308", newer.ID, got.resp.StatusCode)
	}
	e.wantError(t, e.post(t, merge, map[string]any{"from": newer.ID, "reason": "again", "version": res.Incident.Version}),
		400, "already merged")

	// Split the merged-in reports back out.
	reports, err := e.seed.st.FindReports(ctx, testigo.ReportFilter{IncidentID: older.ID})
	if err != nil || len(reports) != want || want < 2 {
		t.Fatalf("reports of %d: %d (%v), want %d", older.ID, len(reports), err, want)
	}
	var all, some []int64
	for _, r := range reports {
		all = append(all, int64(r.ID))
	}
	some = all[len(all)-newer.ReportCount:]
	other, err := e.seed.st.FindReports(ctx, testigo.ReportFilter{IncidentID: third.ID})
	if err != nil || len(other) == 0 {
		t.Fatalf("reports of %d: %v", third.ID, err)
	}
	split := fmt.Sprintf("/api/v1/incidents/%d/split", older.ID)
	v, audits = e.state(t, int64(older.ID))
	for _, r := range []struct {
		body   any
		status int
		want   string
	}{
		{map[string]any{"reports": all, "reason": "x", "version": v}, 400, "would leave incident"},
		{map[string]any{"reports": []int64{}, "reason": "x", "version": v}, 400, "reports must list"},
		{map[string]any{"reports": []int64{999999}, "reason": "x", "version": v}, 404, "report 999999: not found"},
		{map[string]any{"reports": []int64{int64(other[0].ID)}, "reason": "x", "version": v}, 400, fmt.Sprintf("is not part of incident %d", older.ID)},
		{map[string]any{"reports": []int64{0}, "reason": "x", "version": v}, 400, "0 is not a report ID"},
		{map[string]any{"reports": some, "version": v}, 400, "a reason is required"},
		{map[string]any{"reports": some, "reason": "x", "version": v - 1}, 409, "someone changed it"},
		{`{"reports": ["a"], "reason": "x", "version": 1}`, 400, "reports must be an integer, not a string"},
	} {
		e.wantError(t, e.post(t, split, r.body), r.status, r.want)
	}
	if nv, n := e.state(t, int64(older.ID)); nv != v || n != audits {
		t.Fatalf("refused splits changed incident %d", older.ID)
	}
	x = e.post(t, split, map[string]any{"reports": some, "reason": "two different boats", "version": v})
	apiDecode(t, x, &res)
	if x.resp.StatusCode != http.StatusCreated || res.Created == nil || res.Created.ReportCount != len(some) ||
		res.Incident.ReportCount != want-len(some) || res.Incident.Version != v+1 {
		t.Fatalf("split = %d %s", x.resp.StatusCode, x.got)
	}
	if loc := x.resp.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/incidents/%d", res.Created.ID) {
		t.Errorf("split Location = %q", loc)
	}
	created, err := e.seed.st.FindIncident(ctx, testigo.IncidentID(res.Created.ID))
	if err != nil || created.ReportCount != len(some) {
		t.Errorf("created incident %d: %+v %v", res.Created.ID, created, err)
	}
	trail, err := e.seed.st.FindAuditEntries(ctx, created.ID)
	if err != nil || len(trail) != 1 || trail[0].Actor != "ana" || trail[0].Action != testigo.ActionSplit {
		t.Errorf("audit trail of the new incident: %v %v", trail, err)
	}
}

// TestConcurrentEdits sends conflicting edits of one incident version at
// once: exactly one applies, the others get 409 with the new version.
func TestConcurrentEdits(t *testing.T) {
	e := newWriteEnv(t)
	inc := e.seed.incidents[0]
	v, audits := e.state(t, int64(inc.ID))
	const n = 6
	results := make([]*apiExchange, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			path := fmt.Sprintf("/api/v1/incidents/%d/grade", inc.ID)
			body := map[string]any{"grade": []string{"fair", "contested"}[i%2], "reason": fmt.Sprintf("analyst %d", i), "version": v}
			if i%3 == 2 {
				path = fmt.Sprintf("/api/v1/incidents/%d/review", inc.ID)
				body = map[string]any{"state": "in_review", "version": v}
			}
			results[i] = apiDo(t, "POST", e.srv.URL+path, body, map[string]string{"Authorization": "Bearer tok-ana"})
		})
	}
	close(start)
	wg.Wait()
	ok, conflicts := 0, 0
	for _, x := range results {
		e.spec.check(t, x)
		switch x.resp.StatusCode {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflicts++
			var b apiWriteError
			apiDecode(t, x, &b)
			if b.CurrentVersion != v+1 {
				t.Errorf("409 current_version = %d, want %d", b.CurrentVersion, v+1)
			}
		default:
			t.Errorf("concurrent edit answered %d: %s", x.resp.StatusCode, x.got)
		}
	}
	if ok != 1 || conflicts != n-1 {
		t.Errorf("%d edits applied and %d conflicted, want 1 and %d", ok, conflicts, n-1)
	}
	if nv, na := e.state(t, int64(inc.ID)); nv != v+1 || na != audits+1 {
		t.Errorf("incident is at version %d with %d audit entries, want %d and %d", nv, na, v+1, audits+1)
	}
}
