package watch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/fetch"
	"github.com/testigo-project/testigo/internal/ingest"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/watch"
)

// site is a local news site: feeds of articles, with ETags, and knobs to
// make parts of it fail.
type site struct {
	*httptest.Server
	mu       sync.Mutex
	items    map[string]int // feed name -> number of items
	broken   map[string]bool
	status   map[string]int // article path -> status to answer
	articleN atomic.Int32   // article requests served
}

func newSite(t *testing.T) *site {
	s := &site{items: map[string]int{}, broken: map[string]bool{}, status: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/feed/{name}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		s.mu.Lock()
		n, broken := s.items[name], s.broken[name]
		s.mu.Unlock()
		if broken {
			io.WriteString(w, "<rss><channel><item><title>cut")
			return
		}
		etag := fmt.Sprintf(`"%s-%d"`, name, n)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>%s</title>`, name)
		for i := range n {
			fmt.Fprintf(w, `<item><title>Nota %d</title><link>/article/%s/%d</link><guid>%s-%d</guid></item>`, i, name, i, name, i)
		}
		io.WriteString(w, `</channel></rss>`)
	})
	mux.HandleFunc("/article/{name}/{i}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		code := s.status[r.URL.Path]
		s.mu.Unlock()
		if code != 0 {
			w.WriteHeader(code)
			return
		}
		s.articleN.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>Nota %[1]s</title></head><body><article><h1>Ataque número %[1]s en %[2]s</h1>
<p>Un ataque armado dejó %[1]s muertos en Culiacán, Sinaloa, informó la fiscalía estatal el lunes; la nota %[2]s-%[1]s
fue publicada por el diario local con declaraciones de testigos y de las autoridades municipales.</p></article></body></html>`,
			r.PathValue("i"), r.PathValue("name"))
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *site) set(name string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[name] = n
}

type world struct {
	st  testigo.Store
	w   *watch.Watcher
	now time.Time
}

func newWorld(t *testing.T) *world {
	st := sqlitetest.MustOpenTemp(t)
	blobs, err := archive.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	w := &world{st: st, now: time.Date(2025, 11, 3, 12, 0, 0, 0, time.UTC)}
	f := fetch.New(fetch.Config{AllowNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
		PerHostRate: 10000, PerHostBurst: 1000, PerHostConcurrency: 8, RetryBase: time.Millisecond, Retries: 1})
	w.w = &watch.Watcher{
		Store: st, Fetcher: watch.HTTPFetcher{F: f}, List: watch.ListItems,
		Pipeline: &ingest.Pipeline{Store: st, Blobs: blobs, Record: jobs.LogCapture},
		Now:      func() time.Time { return w.now }, Workers: 3,
	}
	return w
}

func (w *world) addFeed(t *testing.T, s *site, name string) *testigo.Source {
	src := &testigo.Source{Kind: testigo.SourceFeed, URL: s.URL + "/feed/" + name, Every: time.Hour, Lang: "es"}
	if err := w.st.CreateSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	return src
}

func docCount(t *testing.T, st testigo.Store) int {
	docs, err := st.FindDocuments(t.Context(), testigo.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(docs)
}

func TestRunOnceCapturesEachItemOnce(t *testing.T) {
	s, w := newSite(t), newWorld(t)
	s.set("a", 4)
	s.set("b", 3)
	a := w.addFeed(t, s, "a")
	w.addFeed(t, s, "b")
	sum, err := w.w.RunOnce(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.String() != "7 new, 0 unchanged, 0 failed" || sum.Sources != 2 {
		t.Fatalf("first run: %s over %d sources", sum, sum.Sources)
	}
	if n := docCount(t, w.st); n != 7 {
		t.Errorf("%d documents stored, want 7", n)
	}
	docs, _ := w.st.FindDocuments(t.Context(), testigo.DocumentFilter{Limit: 1})
	if d := docs[0]; d.SourceID == 0 || d.Capture == "" || d.Lang != "es" || !strings.HasPrefix(d.URL, s.URL+"/article/") {
		t.Errorf("captured document = source %d, capture %q, lang %q, url %q", d.SourceID, d.Capture, d.Lang, d.URL)
	}
	// Nothing is due again within the hour.
	sum, err = w.w.RunOnce(t.Context(), nil)
	if err != nil || sum.Sources != 0 {
		t.Errorf("run within the interval: %s over %d sources, %v", sum, sum.Sources, err)
	}
	// An hour later: feed b is unchanged (304), feed a has two new items.
	w.now = w.now.Add(61 * time.Minute)
	s.set("a", 6)
	before := s.articleN.Load()
	sum, err = w.w.RunOnce(t.Context(), nil)
	if err != nil || sum.String() != "2 new, 5 unchanged, 0 failed" {
		t.Errorf("second round: %s, %v; want 2 new and 4 seen items plus one 304", sum, err)
	}
	if got := s.articleN.Load() - before; got != 2 {
		t.Errorf("%d articles fetched in the second round, want only the 2 new ones", got)
	}
	st, err := w.st.FindSourceState(t.Context(), a.ID)
	if err != nil || st.Items != 6 || st.ETag != `"a-6"` || st.LastError != "" || st.LastSuccessAt.IsZero() {
		t.Errorf("state of feed a = %+v, %v", st, err)
	}
}

func TestOneBadSourceDoesNotStopOthers(t *testing.T) {
	s, w := newSite(t), newWorld(t)
	s.set("good", 2)
	s.set("bad", 2)
	s.mu.Lock()
	s.broken["bad"] = true
	s.status["/article/good/1"] = http.StatusNotFound
	s.mu.Unlock()
	w.addFeed(t, s, "good")
	bad := w.addFeed(t, s, "bad")
	html := &testigo.Source{Kind: testigo.SourceFeed, URL: s.URL + "/article/x/1"} // an HTML page given as a feed
	if err := w.st.CreateSource(t.Context(), html); err != nil {
		t.Fatal(err)
	}
	sum, err := w.w.RunOnce(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 1 || sum.Failed != 3 {
		t.Errorf("summary %s; want 1 new and 3 failed (a 404 article, a malformed feed, an HTML page)", sum)
	}
	st, _ := w.st.FindSourceState(t.Context(), bad.ID)
	if !strings.Contains(st.LastError, "malformed feed") || st.Failures != 1 || strings.Contains(st.LastError, "\n") {
		t.Errorf("state of the malformed feed = %+v", st)
	}
	jobsNow, _ := w.st.FindJobs(t.Context())
	for _, j := range jobsNow {
		if j.Key == testigo.SourceJobKey(bad.ID) && (!j.RunAt.After(w.now) || j.LastError == "") {
			t.Errorf("failed source job = %+v; want it retried later with its error", j)
		}
	}
	// The 404 article is recorded and not fetched again; fixing the feed
	// brings its items in.
	s.mu.Lock()
	s.broken["bad"] = false
	s.mu.Unlock()
	w.now = w.now.Add(25 * time.Hour)
	sum, err = w.w.RunOnce(t.Context(), nil)
	if err != nil || sum.New != 2 {
		t.Errorf("after the fix: %s, %v; want the 2 items of the repaired feed", sum, err)
	}
}

func TestPausedAndRemovedSourcesAreNotFetched(t *testing.T) {
	s, w := newSite(t), newWorld(t)
	s.set("p", 2)
	src := w.addFeed(t, s, "p")
	src.Paused = true
	if err := w.st.UpdateSource(t.Context(), src); err != nil {
		t.Fatal(err)
	}
	sum, err := w.w.RunOnce(t.Context(), nil)
	if err != nil || sum.Sources != 0 || docCount(t, w.st) != 0 {
		t.Errorf("paused source fetched: %s over %d sources, %v", sum, sum.Sources, err)
	}
}

func TestDeadWatchersLeaseIsReleased(t *testing.T) {
	s, w := newSite(t), newWorld(t)
	s.set("a", 1)
	src := w.addFeed(t, s, "a")
	host, _ := os.Hostname()
	if host == "" {
		host = "localhost"
	}
	// A watcher on this host, since killed, leased the job for an hour.
	dead := host + "/" + strconv.Itoa(1<<22+12345)
	if _, err := w.st.EnqueueJob(t.Context(), &testigo.Job{Kind: testigo.JobFetchSource, Key: testigo.SourceJobKey(src.ID),
		Payload: []byte(fmt.Sprintf(`{"source":%d}`, src.ID)), RunAt: w.now}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.st.LeaseJobs(t.Context(), dead, []testigo.JobKind{testigo.JobFetchSource}, w.now, time.Hour, 1); err != nil || len(got) != 1 {
		t.Fatalf("lease for the dead watcher: %v %v", got, err)
	}
	sum, err := w.w.RunOnce(t.Context(), nil)
	if err != nil || sum.New != 1 {
		t.Errorf("after a dead watcher: %s, %v; want its job run at once", sum, err)
	}
	// A lease held by a live process elsewhere is left alone.
	other := "another-host/1"
	w.now = w.now.Add(2 * time.Hour)
	if got, err := w.st.LeaseJobs(t.Context(), other, []testigo.JobKind{testigo.JobFetchSource}, w.now, time.Hour, 1); err != nil || len(got) != 1 {
		t.Fatalf("lease for another host: %v %v", got, err)
	}
	sum, err = w.w.RunOnce(t.Context(), nil)
	if err != nil || sum.Sources != 0 {
		t.Errorf("a live lease on another host was taken over: %s, %v", sum, err)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	s, w := newSite(t), newWorld(t)
	s.set("a", 2)
	w.addFeed(t, s, "a")
	w.w.Poll = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- w.w.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for docCount(t, w.st) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop after its context was cancelled")
	}
	if n := docCount(t, w.st); n != 2 {
		t.Errorf("Run captured %d documents, want 2", n)
	}
}
