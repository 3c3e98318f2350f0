package web_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
)

var (
	incidentLink = regexp.MustCompile(`<a href="/incidents/(\d+)">`)
	// inlineScript matches a script element without a src attribute.
	inlineScript = regexp.MustCompile(`<script(?:\s+(?:type="module"|defer))*\s*>`)
	nextLink     = regexp.MustCompile(`<a rel="next" href="([^"]+)">`)
)

// TestListingPageWalk follows the page's "Next page" links and checks that
// every incident appears exactly once and the filters are kept.
func TestListingPageWalk(t *testing.T) {
	f := newFixture(t, 13)
	seen := map[string]int{}
	next := "/?limit=4&country=&type="
	pages := 0
	for next != "" && pages < 10 {
		resp, body := get(t, f.srv.URL+next)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", next, resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		for _, m := range incidentLink.FindAllStringSubmatch(body, -1) {
			seen[m[1]]++
		}
		pages++
		next = ""
		if m := nextLink.FindStringSubmatch(body); m != nil {
			next = html.UnescapeString(m[1])
			if !strings.Contains(next, "limit=4") {
				t.Errorf("next link %q lost the limit", next)
			}
		}
	}
	if len(seen) != 13 || pages != 4 {
		t.Errorf("saw %d incidents over %d pages, want 13 over 4", len(seen), pages)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("incident %s listed %d times", id, n)
		}
	}
}

func TestListingPage(t *testing.T) {
	f := newFixture(t, 2)
	_, body := get(t, f.srv.URL+"/?review=new&country=VE")
	for _, want := range []string{
		`<html lang="en">`,
		`<caption>`,
		`<th scope="col">Killed</th>`,
		`<option value="new" selected>new</option>`,
		`<input name="country" value="VE"`,
		`<link rel="stylesheet" href="/static/style.css">`,
		`illustrative demo data`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("listing page lacks %q", want)
		}
	}
	if strings.Contains(body, "style=") || inlineScript.MatchString(body) {
		t.Error("inline style or script would break the CSP")
	}
}

func TestIncidentPage(t *testing.T) {
	f := newFixture(t, 1)
	_, body := get(t, fmt.Sprintf("%s/incidents/%d", f.srv.URL, f.incidents[0].ID))
	for _, want := range []string{
		fmt.Sprintf(`<a href="/documents/%d">`, f.doc.ID),
		fmt.Sprintf(`<a href="/documents/%d/raw">raw capture</a>`, f.doc.ID),
		`<q>drone strike</q>`,
		`<q>&lt;script&gt;</q>`,
		`Who says so`,
		`<span class="badge">illustrative demo data — not real reporting</span>`,
		`<th scope="row">type</th>`,
		`4–6`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("incident page lacks %q", want)
		}
	}
}

// TestDocumentPageBadgeOnlyForDemo checks that a document from outside the
// demo corpus carries no demo badge, and that evidence spans which do not
// match its text are left unmarked.
func TestDocumentPageBadgeOnlyForDemo(t *testing.T) {
	f := newFixture(t, 1)
	text := "Officials said two people died."
	doc := &testigo.Document{SHA256: testigo.DigestOf([]byte(text)), Name: "upload/real.txt", Text: text,
		FetchedAt: time.Now(), Lang: "en", Size: int64(len(text))}
	if err := f.st.CreateDocument(ctx(), doc); err != nil {
		t.Fatal(err)
	}
	r := &testigo.Report{DocumentID: doc.ID, Event: testigo.Event{Type: testigo.TypeAirDroneStrike,
		Evidence: testigo.Evidence{
			"killed": {Start: 15, End: 30, Quote: "two people died"},
			"bogus":  {Start: 0, End: 5, Quote: "other"},
			"beyond": {Start: 20, End: 500, Quote: "x"},
		}}}
	if err := f.st.CreateReport(ctx(), r); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, fmt.Sprintf("%s/documents/%d", f.srv.URL, doc.ID))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if strings.Contains(body, `class="badge">illustrative demo data — not real`) {
		t.Error("a document outside the demo corpus carries the demo badge")
	}
	if !strings.Contains(body, `Officials said <mark id="span-15" title="killed">two people died</mark>.`) {
		t.Errorf("evidence not highlighted as expected:\n%s", body)
	}
	if n := strings.Count(body, "<mark"); n != 1 {
		t.Errorf("%d marks, want 1 (spans that do not match the text stay unmarked)", n)
	}
}
