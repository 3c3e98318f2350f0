package workerbench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo/internal/extract"
	"github.com/testigo-project/testigo/internal/feed"
	"github.com/testigo-project/testigo/internal/geo"
)

func TestGenerate(t *testing.T) {
	a := Generate(300, 7, 42)
	if diff := cmp.Diff(a, Generate(300, 7, 42)); diff != "" {
		t.Fatalf("Generate is not deterministic:\n%s", diff)
	}
	if len(a) != 300 {
		t.Fatalf("Generate(300) returned %d articles", len(a))
	}
	slugs := map[string]bool{}
	feeds := map[int]bool{}
	perEvent := map[int]int{}
	for _, x := range a {
		if slugs[x.Slug] {
			t.Errorf("slug %s repeated", x.Slug)
		}
		slugs[x.Slug] = true
		feeds[x.Feed] = true
		perEvent[x.Event]++
	}
	if len(feeds) != 7 {
		t.Errorf("articles are in %d of 7 feeds", len(feeds))
	}
	multi := 0
	for _, n := range perEvent {
		if n > 1 {
			multi++
		}
	}
	if multi == 0 || multi == len(perEvent) {
		t.Errorf("%d of %d events have more than one article; want some, not all", multi, len(perEvent))
	}
	if b := Generate(300, 7, 43); cmp.Equal(a, b) {
		t.Error("another seed gives the same corpus")
	}
}

// TestArticlesExtract checks that the extractor reads from every generated
// article an event in the article's country with a toll, so that the
// benchmark measures extraction and clustering, not empty documents.
func TestArticlesExtract(t *testing.T) {
	g, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	ex := extract.New(g)
	for _, a := range Generate(200, 5, 7) {
		text := a.Title + "\n\n" + strings.Join(a.Paras, "\n\n")
		evs := ex.Extract(extract.Input{Text: text, Lang: a.Lang, Published: a.Published})
		ok := false
		for _, e := range evs {
			if e.Country == a.Country && e.Killed != nil {
				ok = true
			}
		}
		if !ok {
			t.Errorf("article %s (%s): no event in %s with a toll among %d events:\n%s", a.Slug, a.Lang, a.Country, len(evs), text)
		}
	}
}

func TestServer(t *testing.T) {
	articles := Generate(30, 3, 1)
	s := NewServer(articles, 3)
	srv := httptest.NewServer(s)
	defer srv.Close()
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	total := 0
	for f := range 3 {
		resp, body := get("/feed/" + string(rune('0'+f)))
		l, err := feed.Parse(body, srv.URL+"/feed/x", resp.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("feed %d: %v", f, err)
		}
		for _, it := range l.Items {
			resp, body := get(strings.TrimPrefix(it.Link, srv.URL))
			if resp.StatusCode != 200 || !strings.Contains(string(body), "<article>") {
				t.Errorf("article %s: %d", it.Link, resp.StatusCode)
			}
			if it.Published.IsZero() {
				t.Errorf("item %s has no date", it.Link)
			}
		}
		total += len(l.Items)
	}
	if total != len(articles) {
		t.Errorf("feeds list %d items, want %d", total, len(articles))
	}
	get("/article/" + articles[0].Slug)
	if d, r := s.Served(); d != len(articles) || r != 1 {
		t.Errorf("Served = %d, %d; want %d, 1", d, r, len(articles))
	}
	if resp, _ := get("/feed/9"); resp.StatusCode != 404 {
		t.Errorf("an unknown feed: %d", resp.StatusCode)
	}
	s.Reset()
	if d, _ := s.Served(); d != 0 {
		t.Errorf("Served after Reset = %d", d)
	}
}

// TestRun runs the benchmark for real on a small corpus: the testigo
// binary built from this module, worker processes on the PostgreSQL server
// TESTIGO_TEST_POSTGRES names.
func TestRun(t *testing.T) {
	dsn := os.Getenv("TESTIGO_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("TESTIGO_TEST_POSTGRES is not set: skipping the worker benchmark run (set it to a DSN such as " +
			"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)")
	}
	if testing.Short() {
		t.Skip("builds testigo and starts worker processes")
	}
	bin := filepath.Join(t.TempDir(), "testigo")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/testigo-project/testigo/cmd/testigo")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOTOOLCHAIN=local")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build testigo: %v\n%s", err, out)
	}
	var log strings.Builder
	res, err := Run(t.Context(), Config{Testigo: bin, DSN: dsn, Articles: 24, Feeds: 4, Procs: []int{1, 2}, Workers: 1,
		Seed: 3, Verify: true, Timeout: 3 * time.Minute, Log: &log})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, log.String())
	}
	if len(res) != 2 {
		t.Fatalf("Run returned %d results", len(res))
	}
	for _, r := range res {
		if r.Articles != 24 || r.Wall <= r.FirstDoc || r.FirstDoc <= 0 || r.Reports < 24 || r.Incidents < 1 || r.Incidents > r.Reports {
			t.Errorf("result %+v", r)
		}
	}
	if res[0].Reports != res[1].Reports {
		t.Errorf("one and two workers extracted different report counts from the same corpus: %+v, %+v", res[0], res[1])
	}
	if !strings.Contains(log.String(), "verify: OK") {
		t.Errorf("no verify in the log:\n%s", log.String())
	}
}
