package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as the testigo command in a
// subprocess (to kill it with SIGKILL): TESTIGO_TEST_MAIN=1 makes the test
// binary behave as testigo itself.
func TestMain(m *testing.M) {
	if os.Getenv("TESTIGO_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// newsSite serves feeds /feed/NAME with n items each, linking to articles
// /article/NAME/I. hold, when set, is called before an article is served.
type newsSite struct {
	*httptest.Server
	mu    sync.Mutex
	n     map[string]int
	hold  func(path string)
	count map[string]int // article path -> times served
}

func startNewsSite(t *testing.T) *newsSite {
	s := &newsSite{n: map[string]int{}, count: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/feed/{name}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := s.n[r.PathValue("name")]
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>%s</title>`, r.PathValue("name"))
		for i := range n {
			fmt.Fprintf(w, `<item><title>Nota %d</title><link>/article/%s/%d</link></item>`, i, r.PathValue("name"), i)
		}
		io.WriteString(w, `</channel></rss>`)
	})
	mux.HandleFunc("/article/{name}/{i}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		hold := s.hold
		s.count[r.URL.Path]++
		s.mu.Unlock()
		if hold != nil {
			hold(r.URL.Path)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><body><article><h1>Ataque %[1]s</h1><p>Un ataque con dron dejó %[1]s muertos en
Culiacán, Sinaloa, el lunes, informaron autoridades locales a la prensa de %[2]s, que publicó la nota completa
con testimonios de vecinos y de la fiscalía del estado.</p></article></body></html>`, r.PathValue("i"), r.PathValue("name"))
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func TestWatchOnce(t *testing.T) {
	ctx := t.Context()
	site := startNewsSite(t)
	site.n["mx"], site.n["us"] = 3, 2
	data := filepath.Join(t.TempDir(), "data")
	for _, name := range []string{"mx", "us"} {
		if _, _, err := runCmd(t, ctx, "", "source", "add", "--data", data, site.URL+"/feed/"+name); err != nil {
			t.Fatal(err)
		}
	}
	// Without --allow-net the local server is refused, and says how to allow it.
	out, _, err := runCmd(t, ctx, "", "watch", "--once", "--data", data)
	if err != nil || !strings.HasSuffix(strings.TrimSpace(out), "0 new, 0 unchanged, 2 failed") {
		t.Fatalf("watch without --allow-net = %q, %v", out, err)
	}
	status, _, _ := runCmd(t, ctx, "", "status", "--data", data)
	if !strings.Contains(status, "loopback address") || !strings.Contains(status, "2 failing") {
		t.Errorf("status after refused fetches:\n%s", status)
	}
	// The failed sources are retried later; make them due by re-adding no
	// time: a fresh data dir is simpler.
	data = filepath.Join(t.TempDir(), "data2")
	for _, name := range []string{"mx", "us"} {
		if _, _, err := runCmd(t, ctx, "", "source", "add", "--data", data, site.URL+"/feed/"+name); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err = runCmd(t, ctx, "", "watch", "--once", "--rate", "1000", "--allow-net", "127.0.0.0/8", "--data", data)
	if err != nil || strings.TrimSpace(out) != "2 sources fetched: 5 new, 0 unchanged, 0 failed" {
		t.Fatalf("watch --once = %q, %v", out, err)
	}
	out, _, err = runCmd(t, ctx, "", "watch", "--once", "--rate", "1000", "--allow-net", "127.0.0.0/8", "--data", data)
	if err != nil || strings.TrimSpace(out) != "0 sources fetched: 0 new, 0 unchanged, 0 failed" {
		t.Errorf("second watch --once (nothing due) = %q, %v", out, err)
	}
	out, _, err = runCmd(t, ctx, "", "verify", "--data", data)
	if err != nil || !strings.Contains(out, "OK") || !strings.Contains(out, "10 blobs") {
		t.Errorf("verify after watching = %q, %v; want 5 pages and their 5 capture records", out, err)
	}
	if files, _ := filepath.Glob(filepath.Join(data, "warc", "*.warc.gz")); len(files) == 0 {
		t.Error("no WARC file written in the data dir")
	}
	for _, bad := range [][]string{{"--allow-net", "nonsense"}, {"--workers", "0"}, {"--log-format", "xml"}, {"extra"}} {
		_, _, err := runCmd(t, ctx, "", append([]string{"watch", "--once", "--data", data}, bad...)...)
		if err == nil || exitCode(err) != 2 {
			t.Errorf("watch %v = %v, want a usage error", bad, err)
		}
	}
}

// TestWatchSurvivesKill kills a watcher with SIGKILL in the middle of a
// fetch and checks that the next run captures every item exactly once and
// that the record verifies.
func TestWatchSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	ctx := t.Context()
	site := startNewsSite(t)
	site.n["mx"] = 6
	data := filepath.Join(t.TempDir(), "data")
	if _, _, err := runCmd(t, ctx, "", "source", "add", "--data", data, site.URL+"/feed/mx"); err != nil {
		t.Fatal(err)
	}
	reached := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	site.mu.Lock()
	site.hold = func(path string) {
		if path == "/article/mx/3" {
			once.Do(func() { close(reached) })
			<-release
		}
	}
	site.mu.Unlock()
	defer close(release)

	cmd := exec.Command(os.Args[0], "watch", "--once", "--rate", "1000", "--workers", "1", "--allow-net", "127.0.0.0/8", "--data", data)
	cmd.Env = append(os.Environ(), "TESTIGO_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reached:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the watcher never reached the fourth article; stderr:\n%s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the killed watcher exited cleanly")
	}
	site.mu.Lock()
	site.hold = nil
	site.mu.Unlock()

	// The next run on this host releases the dead watcher's lease at once.
	out, errOut, err := runCmd(t, ctx, "", "watch", "--once", "--rate", "1000", "--allow-net", "127.0.0.0/8", "--data", data)
	if err != nil || strings.TrimSpace(out) != "1 sources fetched: 3 new, 3 unchanged, 0 failed" {
		t.Fatalf("watch after the kill = %q, %v (stderr %s); want the 3 items captured before the kill seen, the rest new", out, err, errOut)
	}
	out, _, err = runCmd(t, ctx, "", "verify", "--data", data)
	if err != nil || !strings.Contains(out, "OK") || !strings.Contains(out, "12 blobs") {
		t.Errorf("verify after the kill = %q, %v; want 6 pages and 6 capture records, all intact", out, err)
	}
	site.mu.Lock()
	defer site.mu.Unlock()
	for i := range 6 {
		p := fmt.Sprintf("/article/mx/%d", i)
		want := 1
		if i == 3 {
			want = 2 // fetched when the watcher was killed, and again after
		}
		if site.count[p] != want {
			t.Errorf("%s fetched %d times, want %d", p, site.count[p], want)
		}
	}
}

// TestServeWatchesAndExportsMetrics runs serve with its watcher over a
// local site and reads the watcher's metrics at /metrics.
func TestServeWatchesAndExportsMetrics(t *testing.T) {
	site := startNewsSite(t)
	site.n["mx"] = 2
	data := filepath.Join(t.TempDir(), "data")
	if _, _, err := runCmd(t, t.Context(), "", "source", "add", "--data", data, site.URL+"/feed/mx"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--allow-net", "127.0.0.0/8",
			"--rate", "1000", "--log-format", "json"}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	}()
	urlRE := regexp.MustCompile(`serving on (http://[^ ]+/)`)
	wants := []string{`testigo_fetches_total{outcome="ok",what="source"} 1`, `testigo_fetches_total{outcome="ok",what="item"} 2`,
		"testigo_ingest_duration_seconds_count 2", `testigo_queue_jobs{state="scheduled"} 1`, "go_goroutines"}
	all := func(m string) bool {
		for _, w := range wants {
			if !strings.Contains(m, w) {
				return false
			}
		}
		return true
	}
	var base, metrics string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if base == "" {
			if m := urlRE.FindStringSubmatch(out.String()); m != nil {
				base = m[1]
			}
			continue
		}
		resp, err := http.Get(base + "metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		metrics = string(b)
		if all(metrics) {
			break
		}
	}
	for _, want := range wants {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, metrics)
		}
	}
	if !strings.Contains(errOut.String(), `"msg":"fetched sources"`) {
		t.Errorf("no JSON log line for the fetch round:\n%s", errOut.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}
