package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserFileURL opens the built site from the file system in headless
// chromium, as someone who downloaded it would, and checks that every page
// visited loads its style sheet, shows its map and timeline, and logs no
// console error (a missing file, a refused resource, a CSP violation); then
// it opens the same files from a plain static web server.
func TestBrowserFileURL(t *testing.T) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("browser test needs chromium (apt-get install -y chromium); none on PATH")
	}
	st := mustStore(t)
	dir := t.TempDir()
	basemap, err := os.ReadFile(filepath.Join("testdata", "basemap.topojson"))
	if err != nil {
		t.Fatal(err)
	}
	opt := options()
	opt.Basemap = basemap
	mustBuild(t, st, dir, opt)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.WindowSize(1200, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	if err := chromedp.Do(ctx); err != nil {
		t.Skipf("browser test: chromium at %s does not start: %v", path, err)
	}

	var (
		mu       sync.Mutex
		problems []string
	)
	report := func(s string) {
		mu.Lock()
		problems = append(problems, s)
		mu.Unlock()
	}
	err = chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				report(fmt.Sprintf("log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				report(fmt.Sprintf("console %s", ev.Type))
			}
		case *runtime.EventExceptionThrown:
			report("exception: " + ev.ExceptionDetails.Text)
		case *network.EventLoadingFailed:
			report("loading failed: " + ev.ErrorText)
		}
	})
	if err != nil {
		t.Fatal(err)
	}

	fileURL := func(rel string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, rel))}).String()
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	// A control page with a missing style sheet and an inline script,
	// which the site's CSP refuses, shows that problems are caught.
	control := `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'">` +
		`<link rel="stylesheet" href="missing.css"></head><body><script>document.title = "ran"</script><footer></footer></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "control.html"), []byte(control), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL("control.html")), chromedp.WaitReady("footer")); err != nil {
		t.Fatal(err)
	}
	if eval(`document.title`) == "ran" {
		t.Error("the control page's inline script ran despite the CSP")
	}
	// Events arrive asynchronously; wait briefly for the two problems.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		n := len(problems)
		mu.Unlock()
		if n >= 2 {
			break
		}
	}
	mu.Lock()
	if len(problems) < 2 {
		t.Errorf("control page: %d problems caught, want the missing file and the refused script: %q", len(problems), problems)
	}
	t.Logf("control page: %q", problems)
	problems = nil
	mu.Unlock()

	for _, tc := range []struct {
		page            string
		circles, bars   int
		landOutlineWant bool
	}{
		{"index.html", 2, 2, true},
		{"countries/YE.html", 1, 1, true},
		{"incidents/1/index.html", 0, 0, false},
		{"months/2026-02.html", 0, 0, false},
		{"verify/index.html", 0, 0, false},
	} {
		t.Run(tc.page, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(fileURL(tc.page)), chromedp.WaitReady("footer")); err != nil {
				t.Fatalf("open %s: %v", tc.page, err)
			}
			// The style sheet applied: the header is laid out as flex.
			if got := eval(`getComputedStyle(document.querySelector('header.site')).display`); got != "flex" {
				t.Errorf("header display %q: site.css not loaded", got)
			}
			count := func(sel string) int {
				n, err := strconv.Atoi(eval(fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, sel)))
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := count("svg.map circle.incident"); n != tc.circles {
				t.Errorf("%d incident circles, want %d", n, tc.circles)
			}
			if n := count("svg.timeline rect.bar"); n != tc.bars {
				t.Errorf("%d timeline bars, want %d", n, tc.bars)
			}
			if tc.landOutlineWant {
				// The land is drawn and has a size on screen.
				if w := eval(`String(Math.round(document.querySelector('svg.map path.land').getBoundingClientRect().width))`); w == "0" {
					t.Error("land outline has no width on screen")
				}
			}
		})
	}
	// Follow a map link to an incident page, as a reader would.
	if err := chromedp.Do(ctx, chromedp.Navigate(fileURL("index.html")), chromedp.WaitReady("footer"),
		chromedp.Click(`svg.map a[href="incidents/1/index.html"] circle`), chromedp.WaitReady("dl.facts")); err != nil {
		t.Fatalf("follow the map link: %v", err)
	}
	if got := eval(`document.querySelector('h1').textContent`); got != "Air drone strike in Marib" {
		t.Errorf("map link led to %q", got)
	}

	// The same site on a plain static web server, reached the way the
	// exports' evidence_url points at it (/incidents/N): the server
	// redirects to the directory and serves its index.html.
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	for _, tc := range []struct{ path, h1 string }{
		{"/", "testigo test"},
		{"/incidents/2", "Vessel strike off La Guaira"},
		{"/countries/VE.html", "Venezuela"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+tc.path), chromedp.WaitReady("footer")); err != nil {
			t.Fatalf("open %s over HTTP: %v", tc.path, err)
		}
		if got := eval(`document.querySelector('h1').textContent`); got != tc.h1 {
			t.Errorf("%s over HTTP: h1 %q, want %q", tc.path, got, tc.h1)
		}
		if got := eval(`getComputedStyle(document.querySelector('header.site')).display`); got != "flex" {
			t.Errorf("%s over HTTP: site.css not applied (header display %q)", tc.path, got)
		}
	}
	// Let late events (the icon request) arrive.
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser reported: %s", p)
	}
}
