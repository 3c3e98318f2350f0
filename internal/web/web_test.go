package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/web"
)

// dirBlobs is a directory of raw captures named by digest.
type dirBlobs string

func (d dirBlobs) Open(dg testigo.Digest) (io.ReadCloser, error) {
	f, err := os.Open(filepath.Join(string(d), string(dg)))
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("blob %s: %w", dg, testigo.ErrNotFound)
	}
	return f, err
}

const xss = `<script>alert("x")</script><img src=x onerror=alert(1)>`

type fixture struct {
	srv       *httptest.Server
	st        testigo.Store
	incidents []*testigo.Incident
	doc       *testigo.Document
	merged    *testigo.Incident
}

func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	return newFixtureWith(t, n, nil)
}

// newFixtureWith seeds a real SQLite store with n incidents, one demo
// document whose report hangs off the first incident, and one incident merged
// into the first; edit may change the handler's dependencies.
func newFixtureWith(t *testing.T, n int, edit func(*web.Deps)) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	blobs := filepath.Join(dir, "blobs")
	if err := os.MkdirAll(blobs, 0o755); err != nil {
		t.Fatal(err)
	}
	raw := []byte("<html><body><p>Drone strike killed four in Badiraguato.</p>" + xss + "</body></html>")
	text := "A drone strike killed four people in Badiraguato, Sinaloa. " + xss
	doc := &testigo.Document{SHA256: testigo.DigestOf(raw), Name: "demo/a1.json", URL: "https://example.org/a1",
		Title: "Strike " + xss, Text: text, Size: int64(len(raw)), FetchedAt: time.Now(), Lang: "en"}
	if err := os.WriteFile(filepath.Join(blobs, string(doc.SHA256)), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateDocument(ctx, doc); err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, doc: doc}
	for i := range n {
		date := fmt.Sprintf("2025-11-%02d", 1+i%28)
		if i%7 == 3 {
			date = ""
		}
		inc := &testigo.Incident{Title: fmt.Sprintf("Incident %d %s", i, xss), Type: testigo.TypeAirDroneStrike,
			Date: date, Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: xss},
			Killed: &testigo.Range{Min: 4, Max: 6}, Grade: testigo.GradeWeak, GradeReason: xss, Derivation: xss}
		if i%5 == 4 {
			inc.Country = "VE"
		}
		if err := st.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
		f.incidents = append(f.incidents, inc)
	}
	quote := "drone strike"
	start := strings.Index(text, quote)
	r := &testigo.Report{DocumentID: doc.ID, IncidentID: f.incidents[0].ID, Event: testigo.Event{
		Type: testigo.TypeAirDroneStrike, Place: testigo.Place{Country: "MX"},
		Attribution: []testigo.Attribution{{Text: xss, Kind: "source", Anonymous: true}},
		Evidence: testigo.Evidence{
			"type":  {Start: start, End: start + len(quote), Quote: quote},
			"other": {Start: strings.Index(text, "<script>"), End: strings.Index(text, "<script>") + 8, Quote: "<script>"},
		}}}
	if err := st.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	f.merged = &testigo.Incident{Title: "merged", Type: testigo.TypeAirDroneStrike}
	if err := st.CreateIncident(ctx, f.merged); err != nil {
		t.Fatal(err)
	}
	f.merged.MergedInto = f.incidents[0].ID
	if err := st.UpdateIncident(ctx, f.merged); err != nil {
		t.Fatal(err)
	}
	deps := web.Deps{Store: st, Blobs: dirBlobs(blobs)}
	if edit != nil {
		edit(&deps)
	}
	h, err := web.NewHandler(deps)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

func ctx() context.Context { return context.Background() }

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

type listJSON struct {
	Incidents []struct {
		ID     int64  `json:"id"`
		Date   string `json:"date"`
		Title  string `json:"title"`
		URL    string `json:"url"`
		Killed *struct{ Min, Max int }
	} `json:"incidents"`
	NextCursor string `json:"next_cursor"`
}

func TestPaginationWalk(t *testing.T) {
	f := newFixture(t, 23)
	seen := map[int64]int{}
	url := f.srv.URL + "/api/v1/incidents?limit=5"
	pages := 0
	for url != "" && pages < 20 {
		resp, body := get(t, url)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", url, resp.StatusCode, body)
		}
		var l listJSON
		if err := json.Unmarshal([]byte(body), &l); err != nil {
			t.Fatal(err)
		}
		for _, inc := range l.Incidents {
			seen[inc.ID]++
		}
		pages++
		url = ""
		if l.NextCursor != "" {
			url = f.srv.URL + "/api/v1/incidents?limit=5&cursor=" + l.NextCursor
		}
	}
	if len(seen) != 23 || pages != 5 {
		t.Errorf("walk saw %d incidents over %d pages, want 23 over 5 (merged one excluded)", len(seen), pages)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("incident %d listed %d times", id, n)
		}
	}
	_, body := get(t, f.srv.URL+"/api/v1/incidents?country=VE")
	var l listJSON
	if err := json.Unmarshal([]byte(body), &l); err != nil || len(l.Incidents) != 4 {
		t.Errorf("country filter gave %d incidents (%v), want 4", len(l.Incidents), err)
	}
}

func TestIncidentAndDocumentAPI(t *testing.T) {
	f := newFixture(t, 3)
	resp, body := get(t, fmt.Sprintf("%s/api/v1/incidents/%d", f.srv.URL, f.incidents[0].ID))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var inc struct {
		Reports []struct {
			Evidence     map[string]testigo.Span `json:"evidence"`
			Illustrative bool                    `json:"illustrative"`
			Document     struct {
				ID     int64  `json:"id"`
				SHA256 string `json:"sha256"`
				URL    string `json:"url"`
			} `json:"document"`
		} `json:"reports"`
	}
	if err := json.Unmarshal([]byte(body), &inc); err != nil {
		t.Fatal(err)
	}
	if len(inc.Reports) != 1 || inc.Reports[0].Document.SHA256 != string(f.doc.SHA256) ||
		inc.Reports[0].Evidence["type"].Quote != "drone strike" || !inc.Reports[0].Illustrative {
		t.Errorf("incident API = %s", body)
	}
	resp, body = get(t, fmt.Sprintf("%s/api/v1/documents/%d", f.srv.URL, f.doc.ID))
	if resp.StatusCode != 200 || !strings.Contains(body, `"sha256": "`+string(f.doc.SHA256)) {
		t.Errorf("document API: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, fmt.Sprintf("%s/documents/%d/raw", f.srv.URL, f.doc.ID))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || !strings.Contains(body, "<script>") {
		t.Errorf("raw capture: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	resp, body = get(t, f.srv.URL+"/healthz")
	if resp.StatusCode != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}
}

func TestMergedRedirects(t *testing.T) {
	f := newFixture(t, 1)
	for _, prefix := range []string{"/api/v1/incidents/", "/incidents/"} {
		resp, _ := get(t, fmt.Sprintf("%s%s%d", f.srv.URL, prefix, f.merged.ID))
		want := fmt.Sprintf("%s%d", prefix, f.incidents[0].ID)
		if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
			t.Errorf("%s merged: %d to %q, want 308 to %s", prefix, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, 1)
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/api/v1/incidents?type=carpet_bombing", 400, `type \"carpet_bombing\"`},
		{"/api/v1/incidents?since=yesterday", 400, `since \"yesterday\"`},
		{"/api/v1/incidents?until=2025-13-01", 400, "until"},
		{"/api/v1/incidents?limit=0", 400, "limit"},
		{"/api/v1/incidents?limit=9999", 400, "limit"},
		{"/api/v1/incidents?limit=ten", 400, "limit"},
		{"/api/v1/incidents?cursor=!!!", 400, "cursor"},
		{"/api/v1/incidents?country=Mexico", 400, "country"},
		{"/api/v1/incidents?country=M1", 400, "country"},
		{"/api/v1/incidents?since=2025-12-01&until=2025-11-01", 400, "since 2025-12-01 is after until"},
		{"/api/v1/incidents?limit=-1", 400, "limit"},
		{"/api/v1/incidents?limit=1.5", 400, "limit"},
		{"/api/v1/incidents?limit=", 200, "incidents"},
		{"/api/v1/incidents?cursor=" + base64.RawURLEncoding.EncodeToString([]byte("2025-11-01|x")), 400, "cursor"},
		{"/api/v1/incidents?cursor=" + base64.RawURLEncoding.EncodeToString([]byte("yesterday|3")), 400, "cursor"},
		{"/api/v1/incidents?cursor=" + base64.RawURLEncoding.EncodeToString([]byte("2025-11-01|3")), 200, "incidents"},
		{"/api/v1/incidents?zeta=1&alpha=2", 400, `unknown parameter \"alpha\"`},
		{"/api/v1/incidents?review=maybe", 400, "review"},
		{"/api/v1/incidents?colour=red", 400, `unknown parameter \"colour\"`},
		{"/api/v1/incidents?type=attack&type=arrest", 400, "given 2 times"},
		{"/api/v1/incidents?country=" + strings.Repeat("M", 5000), 414, "too long"},
		{"/api/v1/incidents/abc", 404, "not an ID"},
		{"/api/v1/incidents/99999", 404, "not found"},
		{"/api/v1/documents/-1", 404, "not an ID"},
		{"/api/v1/nothing", 404, "no such page"},
		{"/incidents/99999", 404, "not found"},
		{"/?type=nope", 400, "type"},
		{"/?colour=red", 400, "unknown parameter"},
		{"/incidents/abc", 404, "not an ID"},
		{"/incidents/1e3", 404, "not an ID"},
		{"/documents/abc", 404, "not an ID"},
		{"/documents/0/raw", 404, "not an ID"},
		{"/api/v1/documents/99999", 404, "not found"},
		{"/documents/99999/raw", 404, "not found"},
	}
	for _, tc := range tests {
		t.Run(tc.path[:min(len(tc.path), 40)], func(t *testing.T) {
			resp, body := get(t, f.srv.URL+tc.path)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("GET %s = %d %s, want %d containing %q", tc.path, resp.StatusCode, body, tc.status, tc.want)
			}
			if tc.status < 400 {
				return
			}
			if !strings.HasPrefix(tc.path, "/api/") {
				if !strings.Contains(body, "<h1>") || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
					t.Errorf("GET %s: error is not an HTML page: %s", tc.path, body)
				}
				return
			}
			var e map[string]string
			if err := json.Unmarshal([]byte(body), &e); err != nil || len(e) != 1 || strings.Contains(e["error"], "\n") {
				t.Errorf("GET %s: error body %s is not {\"error\": \"one line\"}", tc.path, body)
			}
		})
	}
}

// TestPagesEscapeEverything checks that payloads stored in every text field
// and in the archived text come out inert on every page.
func TestPagesEscapeEverything(t *testing.T) {
	f := newFixture(t, 2)
	paths := []string{"/", fmt.Sprintf("/incidents/%d", f.incidents[0].ID), fmt.Sprintf("/documents/%d", f.doc.ID)}
	for _, p := range paths {
		resp, body := get(t, f.srv.URL+p)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", p, resp.StatusCode, body)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<img src=x") {
			t.Errorf("GET %s: an unescaped payload reached the page", p)
		}
		if !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("GET %s: the escaped payload is missing, so the test proves nothing", p)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: CSP = %q", p, csp)
		}
	}
	_, body := get(t, fmt.Sprintf("%s/documents/%d", f.srv.URL, f.doc.ID))
	if !strings.Contains(body, `title="type">drone strike</mark>`) || !strings.Contains(body, "illustrative demo data") {
		t.Errorf("document page does not highlight the evidence or label the demo data:\n%s", body)
	}
}
