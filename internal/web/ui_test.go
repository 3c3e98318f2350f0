package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/review"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/web"
)

// uiPassword is the password of every account the UI tests make.
const uiPassword = "a long test password"

// uiFixture is newFixture plus placed incidents with actors, two
// near-duplicates for the review queue, and accounts.
type uiFixture struct {
	*fixture
	placed []*testigo.Incident // with coordinates; [1] and [2] are near-duplicates
}

func newUIFixture(t *testing.T) *uiFixture {
	t.Helper()
	return newUIFixtureLogged(t, nil)
}

// newUIFixtureLogged is newUIFixture with the server's log written to log
// (as text) when it is not nil.
func newUIFixtureLogged(t *testing.T, log io.Writer) *uiFixture {
	t.Helper()
	return newUIFixtureWith(t, func(d *web.Deps) {
		if log != nil {
			d.Logger = slog.New(slog.NewTextHandler(log, nil))
		}
	})
}

// newUIFixtureWith is newUIFixture with the handler's dependencies changed
// by edit.
func newUIFixtureWith(t *testing.T, edit func(*web.Deps)) *uiFixture {
	t.Helper()
	var users testigo.UserStore
	f := newFixtureWith(t, 3, func(d *web.Deps) {
		users = d.Store.(*sqlite.Store)
		d.Users = users
		edit(d)
	})
	ctx := t.Context()
	for _, u := range []struct {
		name string
		role testigo.Role
	}{{"ana", testigo.RoleAnalyst}, {"vic", testigo.RoleViewer}} {
		hash, err := web.HashPasswordCheap(uiPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := users.CreateUser(ctx, &testigo.User{Name: u.name, Role: u.role, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	uf := &uiFixture{fixture: f}
	lat, lon := 25.3, -107.5
	for i, spec := range []struct {
		typ    testigo.EventType
		date   string
		grade  testigo.Grade
		killed int
		actor  string
	}{
		{testigo.TypeVesselStrike, "2025-09-02", testigo.GradeConfirmed, 11, "US military"},
		{testigo.TypeAirDroneStrike, "2025-10-20", testigo.GradeWeak, 3, "CIA"},
		{testigo.TypeAirDroneStrike, "2025-10-21", testigo.GradeWeak, 4, "CIA"},
	} {
		la, lo := lat+float64(i), lon+float64(i)
		inc := &testigo.Incident{Title: fmt.Sprintf("Placed %d %s", i, xss), Type: spec.typ, Date: spec.date,
			Place:  testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán", Lat: &la, Lon: &lo},
			Killed: &testigo.Range{Min: spec.killed - 1, Max: spec.killed}, Grade: spec.grade, Review: testigo.ReviewNew,
			GradeReason: "one source", Derivation: "from one report"}
		if err := f.st.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		r := &testigo.Report{DocumentID: f.doc.ID, Index: i + 1, IncidentID: inc.ID, Event: testigo.Event{
			Type: spec.typ, Date: spec.date, Place: inc.Place, Killed: inc.Killed,
			Actors: []testigo.Actor{{Name: spec.actor, Role: testigo.RolePerpetrator}}}}
		if err := f.st.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		inc.ReportCount = 1
		if err := f.st.UpdateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		uf.placed = append(uf.placed, inc)
	}
	return uf
}

// client is a browser-like client: it keeps cookies, does not follow
// redirects and says its requests come from the same origin.
type client struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: base, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, form url.Values, hdr map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

func (c *client) login(name, password string) *http.Response {
	c.t.Helper()
	resp, _ := c.do("POST", "/login", url.Values{"name": {name}, "password": {password}, "next": {"/review"}}, nil)
	return resp
}

func TestMapDataAndFilters(t *testing.T) {
	f := newUIFixture(t)
	var g struct {
		Type     string `json:"type"`
		Unplaced int    `json:"unplaced"`
		Features []struct {
			Geometry struct {
				Coordinates [2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				ID     int64  `json:"id"`
				Type   string `json:"type"`
				Killed int    `json:"killed"`
			} `json:"properties"`
		} `json:"features"`
	}
	cases := []struct {
		query    string
		features int
	}{
		{"", 3},
		{"?type=air_drone_strike", 2},
		{"?grade=confirmed", 1},
		{"?actor=cia", 2},
		{"?actor=nobody", 0},
		{"?since=2025-10-21&country=mx", 1},
		{"?grade=&actor=&lang=es", 3},
	}
	for _, c := range cases {
		resp, body := get(t, f.srv.URL+"/map/incidents.geojson"+c.query)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", c.query, resp.StatusCode, body)
		}
		if err := json.Unmarshal([]byte(body), &g); err != nil {
			t.Fatal(err)
		}
		if g.Type != "FeatureCollection" || len(g.Features) != c.features {
			t.Errorf("%s: %d features, want %d", c.query, len(g.Features), c.features)
		}
	}
	_, body := get(t, f.srv.URL+"/map/incidents.geojson?type=vessel_strike")
	if err := json.Unmarshal([]byte(body), &g); err != nil {
		t.Fatal(err)
	}
	if p := g.Features[0]; p.Properties.Killed != 11 || p.Geometry.Coordinates != [2]float64{-107.5, 25.3} || g.Unplaced != 0 {
		t.Errorf("vessel strike feature %+v, unplaced %d", p, g.Unplaced)
	}
	_, body = get(t, f.srv.URL+"/map/incidents.geojson?country=MX&type=air_drone_strike&grade=weak&since=2025-01-01")
	if err := json.Unmarshal([]byte(body), &g); err != nil {
		t.Fatal(err)
	}
	// The fixture's incidents without coordinates are counted, not drawn.
	if len(g.Features) != 2 || g.Unplaced == 0 {
		t.Errorf("features %d, unplaced %d", len(g.Features), g.Unplaced)
	}

	// Clustered on the server: at zoom 0 the three placed points share a
	// cell; a view elsewhere gets none, but the totals stay.
	var cl struct {
		Placed   int        `json:"placed"`
		Bounds   [4]float64 `json:"bounds"`
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	_, body = get(t, f.srv.URL+"/map/incidents.geojson?z=0&country=MX")
	if err := json.Unmarshal([]byte(body), &cl); err != nil {
		t.Fatal(err)
	}
	if len(cl.Features) != 1 || cl.Features[0].Properties["point_count"] != 3.0 || cl.Features[0].Properties["killed"] != 18.0 ||
		cl.Placed != 3 || cl.Bounds != [4]float64{-107.5, 25.3, -105.5, 27.3} {
		t.Errorf("zoom 0: %s", body)
	}
	_, body = get(t, f.srv.URL+"/map/incidents.geojson?z=12&bbox=-107.6,25.2,-107.4,25.4")
	if err := json.Unmarshal([]byte(body), &cl); err != nil {
		t.Fatal(err)
	}
	if len(cl.Features) != 1 || cl.Features[0].Properties["type"] != "vessel_strike" || cl.Placed != 3 {
		t.Errorf("zoom 12 around one point: %s", body)
	}
	_, body = get(t, f.srv.URL+"/map/incidents.geojson?z=5&bbox=10,40,20,50")
	if err := json.Unmarshal([]byte(body), &cl); err != nil {
		t.Fatal(err)
	}
	if len(cl.Features) != 0 || cl.Placed != 3 {
		t.Errorf("a view over Europe: %s", body)
	}

	for _, c := range []struct {
		path, want string
		status     int
	}{
		{"/map/incidents.geojson?z=30", "zoom level", 400},
		{"/map/incidents.geojson?z=1&z=2", "zoom level", 400},
		{"/map/incidents.geojson?bbox=1,2,3", "bbox", 400},
		{"/map/incidents.geojson?bbox=1,50,3,40", "bbox", 400},
		{"/map/incidents.geojson?bbox=a,b,c,d", "bbox", 400},
		{"/map/incidents.geojson?grade=certain", `grade \"certain\"`, 400},
		{"/map/incidents.geojson?grade=weak&grade=fair", "given 2 times", 400},
		{"/map/incidents.geojson?actor=" + strings.Repeat("x", 101), "actor is 101 bytes", 400},
		{"/map/incidents.geojson?colour=red", `unknown parameter \"colour\"`, 400},
		{"/map/incidents.geojson?limit=5", `unknown parameter \"limit\"`, 400},
		{"/map/timeline.json?since=yesterday", "since", 400},
		{"/map/timeline.json?country=" + strings.Repeat("M", 5000), "too long", 414},
		{"/?grade=nope", "grade", 400},
	} {
		resp, body := get(t, f.srv.URL+c.path)
		if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("GET %s: %d %s, want %d and %q", c.path, resp.StatusCode, body, c.status, c.want)
		}
	}
}

func TestTimelineData(t *testing.T) {
	f := newUIFixture(t)
	resp, body := get(t, f.srv.URL+"/map/timeline.json?since=2025-09-01&until=2025-10-31")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var tl struct {
		Weeks     []int64           `json:"weeks"`
		Types     []string          `json:"types"`
		Counts    [][]int           `json:"counts"`
		KilledMin []int             `json:"killed_min"`
		KilledMax []int             `json:"killed_max"`
		Labels    map[string]string `json:"labels"`
	}
	if err := json.Unmarshal([]byte(body), &tl); err != nil {
		t.Fatal(err)
	}
	// 2025-09-01 is a Monday; 2025-10-20 and -21 fall in the week of
	// 2025-10-20, eight weeks later.
	first := time.Unix(tl.Weeks[0], 0).UTC().Format(testigo.DateLayout)
	if first != "2025-09-01" || len(tl.Weeks) != 8 {
		t.Fatalf("weeks start %s, %d weeks; want 2025-09-01 and 8", first, len(tl.Weeks))
	}
	if len(tl.Types) != 2 || tl.Types[0] != "air_drone_strike" || tl.Counts[0][7] != 2 || tl.Counts[1][0] != 1 {
		t.Errorf("types %v counts %v", tl.Types, tl.Counts)
	}
	if tl.KilledMin[7] != 5 || tl.KilledMax[7] != 7 || tl.KilledMax[0] != 11 {
		t.Errorf("killed min %v max %v", tl.KilledMin, tl.KilledMax)
	}
	_, body = get(t, f.srv.URL+"/map/timeline.json?lang=es&type=vessel_strike")
	if !strings.Contains(body, `"vessel_strike":"ataque a embarcación"`) {
		t.Errorf("Spanish labels missing: %s", body)
	}
}

func TestListingPageFiltersAndMap(t *testing.T) {
	f := newUIFixture(t)
	_, body := get(t, f.srv.URL+"/?grade=confirmed&actor=US&country=")
	for _, want := range []string{
		`<option value="confirmed" selected>confirmed</option>`,
		`<input name="actor" value="US"`,
		`data-src="/map/incidents.geojson?actor=US&amp;grade=confirmed"`,
		`data-src="/map/timeline.json?actor=US&amp;grade=confirmed"`,
		`<script type="module" src="/static/map.js"></script>`,
		`<script defer src="/static/vendor/uplot-1.6.32/uPlot.iife.min.js"></script>`,
		`href="/static/vendor/maplibre-gl-6.17.0/maplibre-gl.css"`,
		`Placed 0 &lt;script&gt;`,
		`<time datetime="2025-09-02">2 Sep 2025</time>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("listing lacks %q", want)
		}
	}
	if n := len(incidentLink.FindAllString(body, -1)); n != 1 {
		t.Errorf("%d incidents listed, want 1", n)
	}
	// Paging over the filtered list, by the same cursors as the store.
	seen := map[string]bool{}
	next := "/?grade=weak&limit=2"
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		_, body := get(t, f.srv.URL+strings.ReplaceAll(next, "&amp;", "&"))
		for _, m := range incidentLink.FindAllStringSubmatch(body, -1) {
			if seen[m[1]] {
				t.Errorf("incident %s listed twice", m[1])
			}
			seen[m[1]] = true
		}
		next = ""
		if m := nextLink.FindStringSubmatch(body); m != nil {
			next = m[1]
		}
	}
	if len(seen) != 5 { // 3 fixture incidents and 2 placed ones are weak
		t.Errorf("walked %d weak incidents, want 5", len(seen))
	}
	for _, p := range []string{"/static/map.js", "/static/timeline.js", "/static/review.js",
		"/static/vendor/maplibre-gl-6.17.0/maplibre-gl-worker.mjs", "/static/vendor/world-atlas-2.0.2/countries-50m.json"} {
		if resp, _ := get(t, f.srv.URL+p); resp.StatusCode != 200 {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	resp, _ := get(t, f.srv.URL+"/")
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self';", "worker-src 'self'", "style-src 'self'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q allows something unsafe", csp)
	}
}

func TestIncidentPageClaims(t *testing.T) {
	f := newUIFixture(t)
	_, body := get(t, fmt.Sprintf("%s/incidents/%d", f.srv.URL, f.incidents[0].ID))
	for _, want := range []string{
		// The claim in its sentence, with the quote marked, linking to the span.
		fmt.Sprintf(`<a class="claim" href="/documents/%d#span-2">…A <mark>drone strike</mark> killed four people in Badiraguato, Sinaloa.…</a>`, f.doc.ID),
		`How the figures were derived`,
		`inclusion proof of this version`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("incident page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
		t.Error("archived text rendered as HTML")
	}
	_, body = get(t, fmt.Sprintf("%s/incidents/%d?lang=es", f.srv.URL, f.placed[0].ID))
	for _, want := range []string{`<html lang="es">`, "Cómo se derivaron las cifras", `2 sept 2025`, "ataque a embarcación", "confirmado"} {
		if !strings.Contains(body, want) {
			t.Errorf("Spanish incident page lacks %q", want)
		}
	}
}

func TestLanguageNegotiation(t *testing.T) {
	f := newUIFixture(t)
	c := newClient(t, f.srv.URL)
	for _, tc := range []struct {
		accept, want string
	}{
		{"es-MX,es;q=0.9,en;q=0.5", `<html lang="es">`},
		{"fr-FR, en;q=0.8, es;q=0.9", `<html lang="es">`},
		{"fr, de", `<html lang="en">`},
		{"en-GB", `<html lang="en">`},
		{"", `<html lang="en">`},
	} {
		_, body := c.do("GET", "/", nil, map[string]string{"Accept-Language": tc.accept})
		if !strings.Contains(body, tc.want) {
			t.Errorf("Accept-Language %q: want %s", tc.accept, tc.want)
		}
	}
	// The switch sets a cookie that wins over Accept-Language.
	_, body := c.do("GET", "/?lang=es", nil, map[string]string{"Accept-Language": "en"})
	if !strings.Contains(body, `Incidentes`) || !strings.Contains(body, `id="lang-switch">English</a>`) {
		t.Error("lang=es did not switch to Spanish")
	}
	_, body = c.do("GET", "/", nil, map[string]string{"Accept-Language": "en"})
	if !strings.Contains(body, `<html lang="es">`) {
		t.Error("the language cookie was not kept")
	}
}

func TestLoginAndReviewAccess(t *testing.T) {
	f := newUIFixture(t)
	anon := newClient(t, f.srv.URL)
	resp, _ := anon.do("GET", "/review", nil, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Freview" {
		t.Errorf("anonymous /review: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := anon.do("POST", fmt.Sprintf("/review/incidents/%d/state", f.placed[0].ID),
		url.Values{"state": {"published"}, "reason": {"x"}, "version": {"1"}}, nil)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "sign in again") {
		t.Errorf("anonymous review action: %d", resp.StatusCode)
	}
	resp, body = anon.do("GET", "/login?next=//evil.example/", nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `name="next" value="/review"`) {
		t.Errorf("login page keeps an off-site next: %s", body)
	}

	ana := newClient(t, f.srv.URL)
	if resp := ana.login("ana", "wrong password!"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", resp.StatusCode)
	}
	if resp := ana.login("nobody", uiPassword); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unknown user: %d", resp.StatusCode)
	}
	resp = ana.login("ana", uiPassword)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/review" {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var sess *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "testigo_session" {
			sess = c
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode {
		t.Errorf("session cookie %+v", sess)
	}
	resp, body = ana.do("GET", "/review", nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Signed in as ana (analyst)") {
		t.Fatalf("review queue: %d", resp.StatusCode)
	}

	vic := newClient(t, f.srv.URL)
	if resp := vic.login("vic", uiPassword); resp.Header.Get("Location") != "/" {
		t.Errorf("a viewer signing in is sent to %q, want /", resp.Header.Get("Location"))
	}
	if resp, _ := vic.do("GET", "/review", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer on the review queue: %d, want 403", resp.StatusCode)
	}

	// Forged cross-site form posts are refused, even with the cookie.
	resp, _ = ana.do("POST", fmt.Sprintf("/review/incidents/%d/state", f.placed[0].ID),
		url.Values{"state": {"published"}, "reason": {"forged"}, "version": {"1"}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", resp.StatusCode)
	}
	resp, _ = ana.do("POST", "/logout", nil, map[string]string{"Sec-Fetch-Site": "", "Origin": "https://evil.example"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin logout: %d, want 403", resp.StatusCode)
	}
	inc, err := f.st.FindIncident(t.Context(), f.placed[0].ID)
	if err != nil || inc.Review != testigo.ReviewNew {
		t.Errorf("a forged request changed the incident: %+v %v", inc, err)
	}

	// Expired sessions count as signed out.
	if _, err := f.st.(*sqlite.Store).DeleteExpiredSessions(t.Context(), time.Now().Add(sessionLife)); err != nil {
		t.Fatal(err)
	}
	if resp, _ := ana.do("GET", "/review", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("expired session: %d, want a redirect to sign in", resp.StatusCode)
	}
	ana.login("ana", uiPassword)
	if resp, _ := ana.do("POST", "/logout", url.Values{}, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %d", resp.StatusCode)
	}
	if resp, _ := ana.do("GET", "/review", nil, nil); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: %d", resp.StatusCode)
	}
}

// sessionLife is longer than any session lasts.
const sessionLife = 13 * time.Hour

func TestLoginRateLimit(t *testing.T) {
	// A stopped clock: no attempt comes back while the test runs, however
	// slowly.
	stopped := time.Now()
	f := newUIFixtureWith(t, func(d *web.Deps) { d.Now = func() time.Time { return stopped } })
	c := newClient(t, f.srv.URL)
	var statuses []int
	for range 7 {
		statuses = append(statuses, c.login("ana", "wrong password!").StatusCode)
	}
	if statuses[0] != 401 || statuses[4] != 401 || statuses[5] != 429 || statuses[6] != 429 {
		t.Errorf("statuses %v, want five 401 then 429", statuses)
	}
	// Even the right password waits.
	if s := c.login("ana", uiPassword).StatusCode; s != 429 {
		t.Errorf("right password while limited: %d", s)
	}
}

func TestReviewQueueActions(t *testing.T) {
	f := newUIFixture(t)
	ana := newClient(t, f.srv.URL)
	ana.login("ana", uiPassword)
	_, body := ana.do("GET", "/review", nil, nil)
	older, newer := f.placed[1], f.placed[2]
	for _, want := range []string{
		fmt.Sprintf(`id="merge-%d-%d"`, older.ID, newer.ID),
		fmt.Sprintf(`<input type="hidden" name="into" value="%d">`, older.ID),
		`hx-post="/review/merge"`,
		`<script defer src="/static/vendor/htmx.org-2.0.11/htmx.min.js"></script>`,
		`Placed 1 &lt;script&gt;`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("review queue lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("a title was rendered as HTML")
	}
	hx := map[string]string{"HX-Request": "true"}

	// A missing reason is refused, in words.
	resp, body := ana.do("POST", "/review/merge", url.Values{"into": {fmt.Sprint(older.ID)}, "into_version": {"2"},
		"from": {fmt.Sprint(newer.ID)}, "from_version": {"2"}, "reason": {"  "}}, hx)
	if resp.StatusCode != 400 || !strings.Contains(body, "a reason is required") || !strings.Contains(body, `class="queue-item result failed"`) {
		t.Errorf("merge without reason: %d %s", resp.StatusCode, body)
	}
	// A stale version is a conflict with a clear message.
	resp, body = ana.do("POST", "/review/merge", url.Values{"into": {fmt.Sprint(older.ID)}, "into_version": {"1"},
		"from": {fmt.Sprint(newer.ID)}, "from_version": {"2"}, "reason": {"same strike"}}, hx)
	if resp.StatusCode != 409 || !strings.Contains(body, "Someone else changed this incident") {
		t.Errorf("stale merge: %d %s", resp.StatusCode, body)
	}
	resp, body = ana.do("POST", "/review/merge", url.Values{"into": {fmt.Sprint(older.ID)}, "into_version": {"2"},
		"from": {fmt.Sprint(newer.ID)}, "from_version": {"2"}, "reason": {"same strike, two outlets"}}, hx)
	if resp.StatusCode != 200 || !strings.Contains(body, `class="queue-item result ok"`) ||
		!strings.Contains(body, fmt.Sprintf(`<div id="item-%d" hx-swap-oob="delete"></div>`, newer.ID)) {
		t.Fatalf("merge: %d %s", resp.StatusCode, body)
	}
	got, err := f.st.FindIncident(t.Context(), newer.ID)
	if err != nil || got.MergedInto != older.ID {
		t.Errorf("after merge: %+v %v", got, err)
	}
	audit, err := f.st.FindAuditEntries(t.Context(), older.ID)
	if err != nil || len(audit) == 0 || audit[len(audit)-1].Actor != "ana" || audit[len(audit)-1].Reason != "same strike, two outlets" {
		t.Errorf("audit trail: %v %v", audit, err)
	}

	// Without htmx, actions redirect back to the queue.
	resp, _ = ana.do("POST", fmt.Sprintf("/review/incidents/%d/grade", older.ID),
		url.Values{"grade": {"fair"}, "reason": {"two outlets"}, "version": {fmt.Sprint(versionOf(t, f, older.ID))}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/review?done=1" {
		t.Errorf("grade: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = ana.do("POST", fmt.Sprintf("/review/incidents/%d/state", older.ID),
		url.Values{"state": {"published"}, "reason": {"checked"}, "version": {fmt.Sprint(versionOf(t, f, older.ID))}}, hx)
	if resp.StatusCode != 200 {
		t.Errorf("publish: %d", resp.StatusCode)
	}
	got, _ = f.st.FindIncident(t.Context(), older.ID)
	if got.Grade != testigo.GradeFair || !got.GradeSet || got.Review != testigo.ReviewPublished {
		t.Errorf("after grade and publish: %+v", got)
	}
	// Split the two reports of the merged incident apart again.
	reports, err := f.st.FindReports(t.Context(), testigo.ReportFilter{IncidentID: older.ID})
	if err != nil || len(reports) != 2 {
		t.Fatalf("reports of the merged incident: %v %v", reports, err)
	}
	resp, body = ana.do("POST", fmt.Sprintf("/review/incidents/%d/split", older.ID),
		url.Values{"report": {fmt.Sprint(reports[1].ID)}, "reason": {"two strikes after all"}, "version": {fmt.Sprint(versionOf(t, f, older.ID))}}, hx)
	if resp.StatusCode != 200 || !regexp.MustCompile(`<a href="/incidents/\d+">`).MatchString(body) {
		t.Errorf("split: %d %s", resp.StatusCode, body)
	}
	for _, bad := range []url.Values{
		{"state": {"gone"}, "reason": {"x"}, "version": {"1"}},
		{"state": {"published"}, "reason": {"x"}, "version": {"one"}},
	} {
		if resp, _ := ana.do("POST", fmt.Sprintf("/review/incidents/%d/state", f.placed[0].ID), bad, hx); resp.StatusCode != 400 {
			t.Errorf("%v: %d, want 400", bad, resp.StatusCode)
		}
	}
}

func versionOf(t *testing.T, f *uiFixture, id testigo.IncidentID) int {
	t.Helper()
	inc, err := f.st.FindIncident(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return inc.Version
}

func TestPasswordHashes(t *testing.T) {
	h, err := web.HashPassword(uiPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=65536,t=3,p=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h) {
		t.Errorf("hash %q is not the PHC form", h)
	}
	if ok, err := web.CheckPassword(h, uiPassword); !ok || err != nil {
		t.Errorf("CheckPassword of the right password = %v, %v", ok, err)
	}
	// The rest with cheap parameters: argon2 at 64 MiB is slow under -race.
	cheap, _ := web.HashPasswordCheap(uiPassword)
	if cheap2, _ := web.HashPasswordCheap(uiPassword); cheap2 == cheap {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{{uiPassword, true}, {uiPassword + " ", false}, {"", false}} {
		if ok, err := web.CheckPassword(cheap, c.pw); ok != c.want || err != nil {
			t.Errorf("CheckPassword(%q) = %v, %v", c.pw, ok, err)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=65536,t=3,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=65536,t=3,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$argon2id$v=19$m=0,t=3,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=65536,t=3,p=2$!!$aGFzaGhhc2hoYXNoaGFzaA"} {
		if _, err := web.CheckPassword(bad, uiPassword); err == nil {
			t.Errorf("CheckPassword accepted the hash %q", bad)
		}
	}
	if _, err := web.HashPassword("short"); err == nil {
		t.Error("a short password was hashed")
	}
	tok, hash, err := web.NewAPIToken()
	if err != nil || !strings.HasPrefix(tok, "tgo_") || web.HashAPIToken(tok) != hash || len(hash) != 64 {
		t.Errorf("NewAPIToken = %q %q %v", tok, hash, err)
	}
}

// TestAPIWriteWithUserToken checks that a token made for an account
// authorises the write API, and that revoked tokens and viewers' tokens do
// not.
func TestAPIWriteWithUserToken(t *testing.T) {
	f := newUIFixture(t)
	users := f.st.(*sqlite.Store)
	ctx := t.Context()
	tokenFor := func(name string) (string, int64) {
		u, err := users.FindUser(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		tok, hash, err := web.NewAPIToken()
		if err != nil {
			t.Fatal(err)
		}
		at := &testigo.APIToken{UserID: u.ID, Hash: hash}
		if err := users.AddAPIToken(ctx, at); err != nil {
			t.Fatal(err)
		}
		return tok, at.ID
	}
	grade := func(tok string) (int, string) {
		inc, err := f.st.FindIncident(ctx, f.placed[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf(`{"grade":"fair","reason":"two outlets","version":%d}`, inc.Version)
		req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/incidents/%d/grade", f.srv.URL, inc.ID), strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	anaTok, anaID := tokenFor("ana")
	if code, body := grade(anaTok); code != 200 {
		t.Fatalf("analyst token: %d %s", code, body)
	}
	audit, err := f.st.FindAuditEntries(ctx, f.placed[0].ID)
	if err != nil || audit[len(audit)-1].Actor != "ana" {
		t.Errorf("the write is not recorded as ana's: %v %v", audit, err)
	}
	vicTok, _ := tokenFor("vic")
	if code, _ := grade(vicTok); code != 401 {
		t.Errorf("viewer token: %d, want 401", code)
	}
	if err := users.RevokeAPIToken(ctx, anaID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if code, _ := grade(anaTok); code != 401 {
		t.Errorf("revoked token: %d, want 401", code)
	}
	if code, _ := grade("tgo_made_up"); code != 401 {
		t.Errorf("unknown token: %d, want 401", code)
	}
}

// TestXSSStaysText sends markup through every echoed field: the sign-in
// name, filters that end in error messages, the actor filter.
func TestXSSStaysText(t *testing.T) {
	f := newUIFixture(t)
	c := newClient(t, f.srv.URL)
	_, body := c.do("POST", "/login", url.Values{"name": {xss}, "password": {"wrong password!"}}, nil)
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, `value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) {
		t.Errorf("sign-in name echoed unescaped:\n%s", body)
	}
	for _, p := range []string{
		"/?type=" + url.QueryEscape(xss),
		"/?actor=" + url.QueryEscape(xss),
		"/?country=" + url.QueryEscape(xss),
		"/login?next=" + url.QueryEscape("javascript:alert(1)"),
		"/nowhere/" + url.PathEscape(xss),
	} {
		_, body := c.do("GET", p, nil, nil)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, `value="javascript:`) {
			t.Errorf("GET %s rendered markup:\n%s", p, body)
		}
	}
	_, body = c.do("GET", "/map/incidents.geojson?actor="+url.QueryEscape(xss), nil, nil)
	if !strings.HasPrefix(body, `{"type":"FeatureCollection"`) {
		t.Errorf("actor filter with markup: %s", body)
	}
}

// TestMapFollowsChanges checks that the map's in-memory copy follows a
// change made outside the pages (here the operation the CLI runs), which
// grows the transparency log.
func TestMapFollowsChanges(t *testing.T) {
	f := newUIFixture(t)
	count := func() int {
		_, body := get(t, f.srv.URL+"/map/incidents.geojson?grade=contested")
		var g struct {
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal([]byte(body), &g); err != nil {
			t.Fatal(err)
		}
		return len(g.Features)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d contested incidents before the change", n)
	}
	ctx := t.Context()
	err := f.st.Transact(ctx, func(tx testigo.Store) error {
		_, err := jobs.SetGrade(ctx, tx, f.placed[0].ID, 0, testigo.GradeContested,
			review.Request{Actor: "cli", Reason: "the navy denies it", At: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Errorf("%d contested incidents after the change, want 1", n)
	}
}
