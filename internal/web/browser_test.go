package web_test

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/web"
)

// updateScreenshots rewrites docs/screenshots/*.png from the browser test.
var updateScreenshots = flag.Bool("update-screenshots", false, "write the map and incident screenshots to docs/screenshots")

// browser starts headless chromium for one test, or skips the test when
// there is none. Screenshots go to the test's artifact directory.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("browser tests need chromium (apt-get install -y chromium); none on PATH")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx); err != nil {
		t.Skipf("browser tests: chromium at %s does not start: %v", path, err)
	}
	return ctx
}

// shoot saves a full-page screenshot of the current step.
func shoot(t *testing.T, ctx context.Context, name string) []byte {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	return png
}

// waitState waits until the element's data-state is ready and fails on
// error.
func waitState(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	// The element may not exist yet while a navigation replaces the page.
	js := fmt.Sprintf(`(() => { const e = document.getElementById(%q); if (!e) return false; const s = e.dataset.state; return s === 'ready' || s === 'error' || s === 'empty'; })()`, id)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("#%s never became ready: %v", id, err)
	}
	state := evalString(t, ctx, fmt.Sprintf(`document.getElementById(%q).dataset.state`, id))
	if state != "ready" {
		t.Fatalf("#%s is %s: %s", id, state, evalString(t, ctx, fmt.Sprintf(`document.getElementById(%q).dataset.error || document.getElementById(%q).textContent`, id, id)))
	}
}

// waitSearch waits up to 15 s for the page's query string to hold every
// part, tolerating the errors of evaluating while a navigation replaces
// the page, and returns the query string last seen.
func waitSearch(ctx context.Context, parts ...string) string {
	var search string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		search, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
		missing := false
		for _, p := range parts {
			missing = missing || !strings.Contains(search, p)
		}
		if !missing {
			break
		}
	}
	return search
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}

func evalInt(t *testing.T, ctx context.Context, js string) int {
	t.Helper()
	n, err := strconv.Atoi(evalString(t, ctx, js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return n
}

// TestBrowserMapTimelineEvidenceAndMerge drives chromium through the map
// and its filters, the timeline, an incident's evidence link to the
// highlighted quote, sign-in and a merge in the review queue.
func TestBrowserMapTimelineEvidenceAndMerge(t *testing.T) {
	ctx := browser(t)
	var log syncBuffer
	f := newUIFixtureLogged(t, &log)
	defer func() {
		if strings.Contains(log.String(), "csp violation") {
			t.Errorf("the pages broke their Content-Security-Policy:\n%s", log.String())
		}
	}()

	// The map draws every placed incident; the layer's feature count is
	// exposed on #map, and the canvas is there.
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+"/?country=MX")); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, "map")
	t.Logf("map ready %v after navigation (ms from navigation start: data %s, map loaded %s, drawn %s)", time.Since(start).Round(time.Millisecond),
		evalString(t, ctx, `document.getElementById('map').dataset.msFetched`),
		evalString(t, ctx, `document.getElementById('map').dataset.msLoaded`),
		evalString(t, ctx, `document.getElementById('map').dataset.msReady`))
	if n := evalInt(t, ctx, `document.getElementById('map').dataset.features`); n != 3 {
		t.Errorf("map has %d features, want 3", n)
	}
	if n := evalInt(t, ctx, `String(document.querySelectorAll('#map canvas.maplibregl-canvas').length)`); n != 1 {
		t.Errorf("%d map canvases", n)
	}
	if n := evalInt(t, ctx, `document.getElementById('map').dataset.rendered`); n < 1 {
		t.Errorf("map rendered %d points or clusters", n)
	}
	waitState(t, ctx, "timeline")
	if n := evalInt(t, ctx, `document.getElementById('timeline').dataset.weeks`); n < 8 {
		t.Errorf("timeline has %d weeks", n)
	}
	if n := evalInt(t, ctx, `String(document.querySelectorAll('#timeline canvas').length)`); n < 1 {
		t.Error("timeline has no canvas")
	}
	// Titles full of markup stay text.
	if n := evalInt(t, ctx, `String(document.querySelectorAll('img[src="x"], main script').length)`); n != 0 {
		t.Errorf("%d injected elements on the page", n)
	}
	png := shoot(t, ctx, "1-map")
	if *updateScreenshots {
		writeDocShot(t, "map.png", png)
	}

	// Filtering by type reloads the page; map, timeline and URL agree.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(`select[name="type"]`, "vessel_strike", chromedp.NodeVisible),
		chromedp.Click(`#filters button[type="submit"]`, chromedp.NodeVisible),
	); err != nil {
		t.Fatal(err)
	}
	// The old page stays ready until the new one replaces it: wait for the
	// new URL before reading the map.
	if loc := waitSearch(ctx, "type=vessel_strike"); !strings.Contains(loc, "type=vessel_strike") || !strings.Contains(loc, "country=MX") {
		t.Errorf("filters not in the URL: %s", loc)
	}
	waitState(t, ctx, "map")
	if n := evalInt(t, ctx, `document.getElementById('map').dataset.features`); n != 1 {
		t.Errorf("filtered map has %d features, want 1", n)
	}
	waitState(t, ctx, "timeline")
	if n := evalInt(t, ctx, `document.getElementById('timeline').dataset.series`); n != 3 { // one type, killed max and min
		t.Errorf("filtered timeline has %d series, want 3", n)
	}
	shoot(t, ctx, "2-filtered")

	// Dragging across the timeline filters the page to those weeks.
	if err := chromedp.Do(ctx, chromedp.Navigate(f.srv.URL+"/?country=MX")); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, "timeline")
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const o = document.querySelector('#timeline .u-over'); o.scrollIntoView({block: 'center'}); const r = o.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	if err != nil || len(box) != 4 {
		t.Fatalf("timeline plot area: %v %v", box, err)
	}
	y := box[1] + box[3]/2
	x0, x1 := box[0]+box[2]*0.02, box[0]+box[2]*0.98
	if err := chromedp.Do(ctx,
		chromedp.MouseEvent(chromedp.MouseMoved, x0, y),
		chromedp.MouseEvent(chromedp.MousePressed, x0, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, (x0+x1)/2, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, x1, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, x1, y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	); err != nil {
		t.Fatal(err)
	}
	// The selection navigates; wait for the new page.
	search := waitSearch(ctx, "since=", "until=")
	if !strings.Contains(search, "since=") || !strings.Contains(search, "until=") || !strings.Contains(search, "country=MX") {
		t.Errorf("dragging across the timeline did not filter the page: %q", search)
	} else {
		waitState(t, ctx, "map")
		waitState(t, ctx, "timeline")
		t.Logf("timeline selection: %s", search)
	}

	// From an incident, the evidence link opens the archived text at the
	// highlighted quote.
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/incidents/%d", f.srv.URL, f.incidents[0].ID))); err != nil {
		t.Fatal(err)
	}
	png = shoot(t, ctx, "3-incident")
	if *updateScreenshots {
		writeDocShot(t, "incident.png", png)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`a.claim[href$="#span-2"]`, chromedp.NodeVisible), chromedp.WaitVisible(`mark#span-2`)); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `document.querySelector(':target') ? document.querySelector(':target').textContent : ''`); got != "drone strike" {
		t.Errorf("the evidence link points at %q, want the quote", got)
	}
	shoot(t, ctx, "4-evidence")

	// An analyst signs in and merges the suggested near-duplicates.
	older, newer := f.placed[1], f.placed[2]
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/login"),
		chromedp.SendKeys(`#name`, "ana", chromedp.NodeVisible),
		chromedp.SendKeys(`#password`, uiPassword),
		chromedp.Click(`#login-submit`),
		chromedp.WaitVisible(`#merges`),
	); err != nil {
		t.Fatal(err)
	}
	item := fmt.Sprintf("#merge-%d-%d", older.ID, newer.ID)
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(item+` input.reason`, "same strike, two outlets", chromedp.NodeVisible),
		chromedp.Click(item+` button.merge`),
		chromedp.WaitVisible(`.queue-item.result.ok`),
	); err != nil {
		t.Fatal(err)
	}
	shoot(t, ctx, "5-merged")
	if n := evalInt(t, ctx, fmt.Sprintf(`String(document.querySelectorAll('#item-%d').length)`, newer.ID)); n != 0 {
		t.Error("the merged incident is still in the queue")
	}
	got, err := f.st.FindIncident(t.Context(), newer.ID)
	if err != nil || got.MergedInto != older.ID {
		t.Errorf("after merging in the browser: %+v, %v", got, err)
	}
	// The keyboard: j focuses the first queue item; on an incident, /
	// goes to its reason, Escape back to the item, and r rejects it.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.srv.URL+"/review"),
		chromedp.WaitVisible(`#new`),
		chromedp.KeyEvent("j"),
	); err != nil {
		t.Fatal(err)
	}
	if got, want := evalString(t, ctx, `document.activeElement.id`), evalString(t, ctx, `document.querySelector('.queue-item').id`); got != want {
		t.Fatalf("j focused %q, want the first queue item %q", got, want)
	}
	id := evalString(t, ctx, `(() => { const e = document.querySelector('[id^="item-"]'); e.focus(); return e.id; })()`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("/")); err != nil {
		t.Fatal(err)
	}
	if cls := evalString(t, ctx, `document.activeElement.className + ' ' + document.activeElement.closest('.queue-item').id`); cls != "reason "+id {
		t.Errorf("/ focused %q, want the reason field of %s", cls, id)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(`#`+id+` .reason`, "not real"), chromedp.KeyEvent("\x1b")); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `document.activeElement.id`); got != id {
		t.Errorf("Escape left the focus on %q, want %s", got, id)
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(rctx, chromedp.KeyEvent("r"), chromedp.WaitVisible(`.queue-item.result`)); err != nil {
		shoot(t, ctx, "6-keyboard-failed")
		t.Fatalf("r did not reject: %v", err)
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(id, "item-"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := f.st.FindIncident(t.Context(), testigo.IncidentID(n))
	if err != nil || inc.Review != testigo.ReviewRejected {
		t.Errorf("after r on %s: review %q, %v; the page says %q", id, inc.Review, err, evalString(t, ctx, `document.querySelector('.queue-item.result').textContent`))
	}
	shoot(t, ctx, "6-keyboard")
}

// writeDocShot stores a screenshot for the README.
func writeDocShot(t *testing.T, name string, png []byte) {
	t.Helper()
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// demoServer serves the bundled demo corpus, ingested as 'testigo demo'
// does (seedAPIStore), from a temporary SQLite store.
func demoServer(t *testing.T) (*httptest.Server, testigo.Store) {
	t.Helper()
	seed := seedAPIStore(t)
	h, err := web.NewHandler(web.Deps{Store: seed.st})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, seed.st
}

// TestBrowserDemo loads the demo corpus, checks that the map shows its
// placed incidents, and opens the incident with the most sources. With
// -update-screenshots it writes the README's screenshots.
func TestBrowserDemo(t *testing.T) {
	ctx := browser(t)
	srv, st := demoServer(t)
	incs, err := st.FindIncidents(t.Context(), testigo.IncidentFilter{})
	if err != nil || len(incs) == 0 {
		t.Fatalf("demo incidents: %d, %v", len(incs), err)
	}
	placed, best := 0, incs[0]
	for _, inc := range incs {
		if inc.Lat != nil {
			placed++
		}
		if inc.ReportCount > best.ReportCount {
			best = inc
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	waitState(t, ctx, "map")
	waitState(t, ctx, "timeline")
	if n := evalInt(t, ctx, `document.getElementById('map').dataset.features`); n != placed || n == 0 {
		t.Errorf("demo map has %d features, want the %d placed incidents", n, placed)
	}
	png := shoot(t, ctx, "demo-map")
	if *updateScreenshots {
		writeDocShot(t, "map.png", png)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/incidents/%d", srv.URL, best.ID)), chromedp.WaitVisible(`article.report`)); err != nil {
		t.Fatal(err)
	}
	png = shoot(t, ctx, "demo-incident")
	if *updateScreenshots {
		writeDocShot(t, "incident.png", png)
	}
	if n := evalInt(t, ctx, `String(document.querySelectorAll('a.claim').length)`); n == 0 {
		t.Fatal("the demo incident shows no claims in context")
	}
	if err := chromedp.Do(ctx, chromedp.Click(`a.claim`, chromedp.NodeVisible), chromedp.WaitVisible(`mark:target`)); err != nil {
		t.Fatalf("following a claim to its quote: %v", err)
	}
	shoot(t, ctx, "demo-evidence")
}

// TestBrowserMap100k times the map page over 100,000 incidents, from
// navigation until the points are drawn. It seeds for about 10 s, so it
// runs only with TESTIGO_BROWSER_100K=1.
func TestBrowserMap100k(t *testing.T) {
	if os.Getenv("TESTIGO_BROWSER_100K") != "1" {
		t.Skip("set TESTIGO_BROWSER_100K=1 to time the map over 100,000 incidents")
	}
	ctx := browser(t)
	st := sqlitetest.MustOpenTemp(t)
	seedPlaced(t, st, 100_000)
	h, err := web.NewHandler(web.Deps{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for i, what := range []string{"cold (index built)", "warm"} {
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?limit=50")); err != nil {
			t.Fatal(err)
		}
		waitState(t, ctx, "map")
		took := time.Since(start)
		t.Logf("map over 100,000 incidents, %s: ready in %v, %s features drawn (ms from navigation: data %s, map loaded %s, drawn %s)",
			what, took.Round(time.Millisecond), evalString(t, ctx, `document.getElementById('map').dataset.shown`),
			evalString(t, ctx, `document.getElementById('map').dataset.msFetched`),
			evalString(t, ctx, `document.getElementById('map').dataset.msLoaded`),
			evalString(t, ctx, `document.getElementById('map').dataset.msReady`))
		if n := evalInt(t, ctx, `document.getElementById('map').dataset.features`); n != 100_000 {
			t.Errorf("%d features", n)
		}
		if i == 1 && took > 2*time.Second {
			t.Errorf("warm map took %v, want under 2 s", took)
		}
	}
}
