package web_test

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/review"
)

// routerRoutes parses routes.go and returns "METHOD /path" of every route
// the mux declares for the API and /healthz.
func routerRoutes(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: route pattern is not a string literal", fset.Position(call.Pos()))
			return true
		}
		pattern, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		method, path, ok := strings.Cut(pattern, " ")
		if !ok || method == "" || strings.HasPrefix(method, "/") {
			return true // no method: the catch-alls
		}
		if strings.HasPrefix(path, "/api/") || path == "/healthz" {
			out = append(out, method+" "+path)
		}
		return true
	})
	slices.Sort(out)
	return out
}

// TestOpenAPIMatchesRoutes fails when a route of the router is missing from
// openapi.json or the document describes a route the router lacks.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	spec := loadSpec(t)
	var documented []string
	for path, item := range spec.doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(documented)
	routes := routerRoutes(t)
	if len(routes) < 10 {
		t.Fatalf("found only %d API routes in routes.go: %v", len(routes), routes)
	}
	if d := cmp.Diff(routes, documented); d != "" {
		t.Errorf("routes.go (-) and openapi.json (+) differ:\n%s", d)
	}
}

// TestOpenAPIEnums keeps the document's enumerations equal to the Go ones.
func TestOpenAPIEnums(t *testing.T) {
	spec := loadSpec(t)
	enum := func(name string) []string {
		s := spec.doc.Components.Schemas[name]
		if s == nil {
			t.Fatalf("no schema %s", name)
		}
		var out []string
		for _, v := range s.Value.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	var types []string
	for _, et := range testigo.EventTypes {
		types = append(types, string(et))
	}
	if d := cmp.Diff(types, enum("EventType")); d != "" {
		t.Errorf("EventType enum (-Go +openapi.json):\n%s", d)
	}
	grades := []string{string(testigo.GradeConfirmed), string(testigo.GradeFair), string(testigo.GradeWeak),
		string(testigo.GradeContested), string(testigo.GradeDiscounted)}
	if d := cmp.Diff(grades, enum("Grade")); d != "" {
		t.Errorf("Grade enum (-Go +openapi.json):\n%s", d)
	}
	states := []string{string(testigo.ReviewNew), string(testigo.ReviewInReview), string(testigo.ReviewPublished), string(testigo.ReviewRejected)}
	if d := cmp.Diff(states, enum("ReviewState")); d != "" {
		t.Errorf("ReviewState enum (-Go +openapi.json):\n%s", d)
	}
}

// TestOpenAPIServed checks that the server hands out the file in the
// repository, byte for byte.
func TestOpenAPIServed(t *testing.T) {
	srv := serveAPI(t, seedAPIStore(t).st, nil)
	x := apiDo(t, "GET", srv.URL+"/api/v1/openapi.json", nil, nil)
	want, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if x.resp.StatusCode != 200 || !bytes.Equal(x.got, want) {
		t.Errorf("GET /api/v1/openapi.json = %d, %d bytes; want 200 and the %d bytes of openapi.json", x.resp.StatusCode, len(x.got), len(want))
	}
	loadSpec(t).check(t, x)
}

// TestGETResponsesMatchOpenAPI calls every documented GET route on a store
// seeded by the ingest pipeline — successes, revalidations, redirects and
// errors — and validates each answer against openapi.json.
func TestGETResponsesMatchOpenAPI(t *testing.T) {
	seed := seedAPIStore(t)
	ctx := context.Background()
	// A merged incident, merged the way analysts do it.
	a, b := seed.incidents[len(seed.incidents)-1], seed.incidents[len(seed.incidents)-2]
	if a.ID > b.ID {
		a, b = b, a
	}
	err := seed.st.Transact(ctx, func(tx testigo.Store) error {
		_, err := jobs.Merge(ctx, tx, a.ID, b.ID, review.Request{Actor: "ana", Reason: "same event", At: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	spec := loadSpec(t)
	srv := serveAPI(t, seed.st, nil)
	reports, err := seed.st.FindReports(ctx, testigo.ReportFilter{IncidentID: a.ID})
	if err != nil || len(reports) == 0 {
		t.Fatalf("reports of incident %d: %v (%d)", a.ID, err, len(reports))
	}

	var urls []string
	add := func(format string, args ...any) { urls = append(urls, fmt.Sprintf(format, args...)) }
	add("/api/v1/incidents")
	add("/api/v1/incidents?limit=1")
	add("/api/v1/incidents?country=mx&review=new&since=2025-01-01&until=2026-12-31&limit=500")
	add("/api/v1/incidents?type=vessel_strike")
	add("/api/v1/incidents?limit=0")
	add("/api/v1/incidents?bogus=1")
	add("/api/v1/incidents?cursor=%%21%%21")
	urls = append(urls, "/api/v1/incidents?country="+strings.Repeat("x", 5000))
	for _, inc := range seed.incidents {
		add("/api/v1/incidents/%d", inc.ID)
		add("/api/v1/incidents/%d/audit", inc.ID)
		add("/api/v1/proof/incident:%d", inc.ID)
	}
	add("/api/v1/incidents/999999")
	add("/api/v1/incidents/999999/audit")
	for _, d := range seed.docs {
		add("/api/v1/documents/%d", d.ID)
		add("/api/v1/proof/%s", d.SHA256)
		add("/api/v1/proof/document:%d", d.ID)
	}
	add("/api/v1/documents/999999")
	add("/api/v1/proof/report:%d", reports[0].ID)
	add("/api/v1/proof/report:999999")
	add("/api/v1/proof/%s", strings.Repeat("0", 64))
	add("/api/v1/checkpoint")
	add("/api/v1/openapi.json")
	add("/healthz")
	alerts := &testigo.Alert{Name: "Mexico", Country: "MX"}
	if err := seed.st.(testigo.AlertStore).CreateAlert(ctx, alerts); err != nil {
		t.Fatal(err)
	}
	add("/api/v1/alerts/%d/feed.atom", alerts.ID)
	add("/api/v1/alerts/999999/feed.atom")

	// Walk the listing by its cursors too.
	next := "/api/v1/incidents?limit=2"
	for range 50 {
		urls = append(urls, next)
		x := apiDo(t, "GET", srv.URL+next, nil, nil)
		var page struct {
			NextCursor string `json:"next_cursor"`
		}
		apiDecode(t, x, &page)
		if page.NextCursor == "" {
			break
		}
		next = "/api/v1/incidents?limit=2&cursor=" + page.NextCursor
	}

	ok := map[string]bool{} // documented GET paths answered 200
	statuses := map[int]int{}
	for _, u := range urls {
		x := apiDo(t, "GET", srv.URL+u, nil, nil)
		spec.check(t, x)
		statuses[x.resp.StatusCode]++
		route, _, err := spec.router.FindRoute(x.req)
		if err != nil {
			continue
		}
		if x.resp.StatusCode == 200 {
			ok[route.Path] = true
			etag := x.resp.Header.Get("ETag")
			again := apiDo(t, "GET", srv.URL+u, nil, map[string]string{"If-None-Match": etag})
			if again.resp.StatusCode != http.StatusNotModified || len(again.got) != 0 {
				t.Errorf("GET %s with If-None-Match %s = %d (%d bytes), want 304 and no body", u, etag, again.resp.StatusCode, len(again.got))
			}
			spec.check(t, again)
		}
	}
	for path, item := range spec.doc.Paths.Map() {
		// GETs that need a token (the alert list) are checked by their own tests.
		if item.Get != nil && item.Get.Security == nil && !ok[path] {
			t.Errorf("GET %s was never answered 200 in this test", path)
		}
	}
	for _, want := range []int{200, 308, 400, 404, 414} {
		if statuses[want] == 0 {
			t.Errorf("no response had status %d; the test should cover it (got %v)", want, statuses)
		}
	}
	want := fmt.Sprintf("/api/v1/incidents/%d", a.ID)
	x := apiDo(t, "GET", fmt.Sprintf("%s/api/v1/incidents/%d", srv.URL, b.ID), nil, nil)
	if x.resp.StatusCode != http.StatusPermanentRedirect || x.resp.Header.Get("Location") != want {
		t.Errorf("merged incident %d: %d to %q, want 308 to %s", b.ID, x.resp.StatusCode, x.resp.Header.Get("Location"), want)
	}
}
