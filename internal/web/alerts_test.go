package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/alert"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/review"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/web"
)

// alertEnv is a server over a real SQLite store with two published
// incidents (VE and CO), one draft, and API tokens of an admin and an
// analyst.
type alertEnv struct {
	url          string
	st           testigo.Store
	admin, other map[string]string // Authorization headers
	ve, co       *testigo.Incident
	draft        *testigo.Incident
}

func newAlertEnv(t *testing.T) *alertEnv {
	t.Helper()
	ctx := t.Context()
	st := sqlitetest.MustOpenTemp(t)
	e := &alertEnv{st: st}
	for _, c := range []struct {
		inc     **testigo.Incident
		country string
		publish bool
	}{{&e.ve, "VE", true}, {&e.co, "CO", true}, {&e.draft, "VE", false}} {
		inc := &testigo.Incident{Title: "Strike off " + c.country, Type: testigo.TypeVesselStrike, Date: "2025-11-03",
			Place: testigo.Place{Country: c.country}, Grade: testigo.GradeWeak, Review: testigo.ReviewNew}
		if err := st.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		if c.publish {
			err := st.Transact(ctx, func(tx testigo.Store) error {
				var err error
				inc, err = jobs.SetReview(ctx, tx, inc.ID, 0, testigo.ReviewPublished, review.Request{Actor: "ana", At: time.Now()})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		*c.inc = inc
	}
	users := st
	token := func(name string, role testigo.Role) map[string]string {
		u := &testigo.User{Name: name, Role: role}
		if err := users.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		tok, hash, err := web.NewAPIToken()
		if err != nil {
			t.Fatal(err)
		}
		if err := users.AddAPIToken(ctx, &testigo.APIToken{UserID: u.ID, Hash: hash}); err != nil {
			t.Fatal(err)
		}
		return map[string]string{"Authorization": "Bearer " + tok}
	}
	e.admin, e.other = token("root", testigo.RoleAdmin), token("ana", testigo.RoleAnalyst)
	e.url = serveAPI(t, st, func(d *web.Deps) { d.Users = users }).URL
	return e
}

const hookSecret = "0123456789abcdef-secret"

// TestAlertAPI creates, lists, reads the feed of and deletes alerts through
// the API, checking every answer against openapi.json.
func TestAlertAPI(t *testing.T) {
	e := newAlertEnv(t)
	spec := loadSpec(t)
	do := func(method, path string, body any, header map[string]string) *apiExchange {
		t.Helper()
		x := apiDo(t, method, e.url+path, body, header)
		spec.check(t, x)
		return x
	}
	wantError := func(x *apiExchange, status int, want ...string) {
		t.Helper()
		var b struct{ Error string }
		apiDecode(t, x, &b)
		if x.resp.StatusCode != status || strings.Contains(b.Error, "\n") {
			t.Errorf("%s %s: %d %q, want %d and one line", x.req.Method, x.req.URL.Path, x.resp.StatusCode, b.Error, status)
		}
		for _, w := range want {
			if !strings.Contains(b.Error, w) {
				t.Errorf("%s %s: error %q does not say %q", x.req.Method, x.req.URL.Path, b.Error, w)
			}
		}
	}

	hook := map[string]any{"name": "Venezuela", "country": "ve", "webhook_url": "https://hooks.example.org/t", "secret": hookSecret}
	wantError(do("POST", "/api/v1/alerts", hook, nil), 401, "no API token")
	wantError(do("POST", "/api/v1/alerts", hook, e.other), 403, "admin")
	x := do("POST", "/api/v1/alerts", hook, e.admin)
	if x.resp.StatusCode != 201 {
		t.Fatalf("create: %d %s", x.resp.StatusCode, x.got)
	}
	var created map[string]any
	apiDecode(t, x, &created)
	id := int64(created["id"].(float64))
	if x.resp.Header.Get("Location") != fmt.Sprintf("/api/v1/alerts/%d", id) || created["country"] != "VE" ||
		created["has_secret"] != true || created["feed_url"] != fmt.Sprintf("/api/v1/alerts/%d/feed.atom", id) {
		t.Errorf("create: Location %q, body %s", x.resp.Header.Get("Location"), x.got)
	}
	if strings.Contains(string(x.got), hookSecret) {
		t.Errorf("create answered the secret: %s", x.got)
	}
	wantError(do("POST", "/api/v1/alerts", hook, e.admin), 409, `"Venezuela" exists already`)
	for _, c := range []struct {
		body any
		want []string
	}{
		{map[string]any{"name": "x", "type": "drone"}, []string{`type "drone" is not one of`, "air_drone_strike", "attribution_claim"}},
		{map[string]any{"name": "x", "grade": "good"}, []string{"confirmed, fair, weak, contested, discounted"}},
		{map[string]any{"name": "x", "webhook_url": "file:///etc/passwd", "secret": hookSecret}, []string{"not an http or https URL"}},
		{map[string]any{"name": "x", "webhook_url": "https://example.org/"}, []string{"a webhook needs a secret"}},
		{map[string]any{"name": ""}, []string{"name is empty"}},
		{map[string]any{"name": "x", "colour": "red"}, []string{`unknown field "colour"`}},
	} {
		wantError(do("POST", "/api/v1/alerts", c.body, e.admin), 400, c.want...)
	}

	sea := map[string]any{"name": "sea", "type": "vessel_strike"}
	if x := do("POST", "/api/v1/alerts", sea, e.admin); x.resp.StatusCode != 201 {
		t.Fatalf("create sea: %d %s", x.resp.StatusCode, x.got)
	}
	x = do("GET", "/api/v1/alerts", nil, e.admin)
	var list struct {
		Alerts []map[string]any `json:"alerts"`
	}
	apiDecode(t, x, &list)
	if x.resp.StatusCode != 200 || len(list.Alerts) != 2 || list.Alerts[0]["name"] != "Venezuela" || list.Alerts[1]["name"] != "sea" {
		t.Errorf("list: %d %s", x.resp.StatusCode, x.got)
	}
	if cc := x.resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("list: Cache-Control %q, want no-store", cc)
	}
	if strings.Contains(string(x.got), hookSecret) {
		t.Errorf("list shows the secret: %s", x.got)
	}
	wantError(do("GET", "/api/v1/alerts", nil, nil), 401)
	wantError(do("GET", "/api/v1/alerts", nil, e.other), 403)

	// Feeds are public.
	feed := func(id int64) string {
		t.Helper()
		x := do("GET", fmt.Sprintf("/api/v1/alerts/%d/feed.atom", id), nil, nil)
		if x.resp.StatusCode != 200 || !strings.HasPrefix(x.resp.Header.Get("Content-Type"), "application/atom+xml") {
			t.Fatalf("feed %d: %d %s", id, x.resp.StatusCode, x.resp.Header.Get("Content-Type"))
		}
		return string(x.got)
	}
	entry := func(inc *testigo.Incident) string { return fmt.Sprintf("<link href=\"/incidents/%d\"", inc.ID) }
	ve := feed(id)
	if !strings.Contains(ve, entry(e.ve)) || strings.Contains(ve, entry(e.co)) || strings.Contains(ve, entry(e.draft)) {
		t.Errorf("feed of the Venezuela alert:\n%s", ve)
	}
	all := feed(id + 1)
	if strings.Count(all, "<entry>") != 2 || !strings.Contains(all, entry(e.co)) {
		t.Errorf("feed of the sea alert:\n%s", all)
	}
	wantError(do("GET", "/api/v1/alerts/999999/feed.atom", nil, nil), 404)

	wantError(do("DELETE", fmt.Sprintf("/api/v1/alerts/%d", id), nil, e.other), 403)
	if x := do("DELETE", fmt.Sprintf("/api/v1/alerts/%d", id), nil, e.admin); x.resp.StatusCode != 204 {
		t.Errorf("delete: %d %s", x.resp.StatusCode, x.got)
	}
	wantError(do("DELETE", fmt.Sprintf("/api/v1/alerts/%d", id), nil, e.admin), 404)
	wantError(do("GET", fmt.Sprintf("/api/v1/alerts/%d/feed.atom", id), nil, nil), 404)
}

// TestAlertPayloadMatchesAPI checks that the incident in a webhook body is
// the incident as GET /api/v1/incidents lists it, field for field.
func TestAlertPayloadMatchesAPI(t *testing.T) {
	e := newAlertEnv(t)
	inc, err := e.st.FindIncident(t.Context(), e.ve.ID)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := alert.Snapshot(inc)
	if err != nil {
		t.Fatal(err)
	}
	x := apiDo(t, "GET", e.url+"/api/v1/incidents?country=VE&review=published", nil, nil)
	var list struct {
		Incidents []map[string]any `json:"incidents"`
	}
	apiDecode(t, x, &list)
	if len(list.Incidents) != 1 {
		t.Fatalf("listing: %s", x.got)
	}
	var got map[string]any
	if err := json.Unmarshal(snap, &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(list.Incidents[0], got); diff != "" {
		t.Errorf("webhook incident differs from the API's (-api +webhook):\n%s", diff)
	}
	if x.resp.StatusCode != http.StatusOK {
		t.Errorf("listing: %d", x.resp.StatusCode)
	}
}
