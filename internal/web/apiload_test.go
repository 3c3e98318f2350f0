package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/web"
)

// BenchmarkAPILoad100k offers the incidents API a steady 500 requests per
// second over 100,000 stored incidents (SQLite, loopback HTTP) and
// reports the latency percentiles. It is an open-loop load: requests are
// sent on a fixed schedule whatever the answers take, and each latency
// runs from the moment its request was due, so a slow answer that delays
// the ones behind it is counted in full (no coordinated omission).
//
// The request mix is what API clients send: the first page, pages further
// on by cursor, filters by country, type, review state and date range, and
// single incidents by ID. Requests without an answer within 10 s, or with
// a status other than 200, count as failed ("failed%") and enter the
// percentiles with the time they took to fail. Each run lasts TESTIGO_LOAD_SECONDS (default 10)
// after the store is made (about 10 s):
//
//	go test ./internal/web -run X -bench APILoad100k -benchtime 1x
func BenchmarkAPILoad100k(b *testing.B) {
	const n, rate = 100_000, 500
	seconds := 10
	if v, err := strconv.Atoi(os.Getenv("TESTIGO_LOAD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	st := sqlitetest.MustOpenTemp(b)
	seedPlaced(b, st, n)
	h, err := web.NewHandler(web.Deps{Store: st, RateLimit: web.RateLimit{PerSecond: -1}})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Second}
	cursors := pageCursors(b, client, srv.URL, 20)
	r := rand.New(rand.NewPCG(1, 2))
	paths := make([]string, 0, rate*seconds)
	for range cap(paths) {
		paths = append(paths, loadPath(r, cursors, n))
	}

	for b.Loop() {
		lat, failed := runOpenLoop(b.Context(), b, client, srv.URL, paths, rate)
		b.ReportMetric(100*float64(failed)/float64(len(paths)), "failed%")
		slices.Sort(lat)
		pct := func(p float64) float64 {
			return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
		}
		b.ReportMetric(pct(0.50), "p50-ms")
		b.ReportMetric(pct(0.90), "p90-ms")
		b.ReportMetric(pct(0.99), "p99-ms")
		b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
		b.ReportMetric(float64(len(lat)-failed)/float64(seconds), "ok-req/s")
	}
}

// loadPath draws one request of the mix.
func loadPath(r *rand.Rand, cursors []string, n int) string {
	types := []string{"air_drone_strike", "armed_clash", "attack", "vessel_strike"}
	switch k := r.IntN(10); {
	case k < 2:
		return "/api/v1/incidents"
	case k < 4:
		return "/api/v1/incidents?cursor=" + cursors[r.IntN(len(cursors))]
	case k < 5:
		return "/api/v1/incidents?country=MX&type=" + types[r.IntN(len(types))]
	case k < 6:
		return "/api/v1/incidents?review=published&limit=100"
	case k < 7:
		d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(700))
		return fmt.Sprintf("/api/v1/incidents?since=%s&until=%s", d.Format(time.DateOnly), d.AddDate(0, 0, 30).Format(time.DateOnly))
	default:
		return "/api/v1/incidents/" + strconv.Itoa(1+r.IntN(n))
	}
}

// pageCursors follows the listing k pages deep and returns the cursors met.
func pageCursors(tb testing.TB, client *http.Client, base string, k int) []string {
	var out []string
	path := "/api/v1/incidents"
	for range k {
		resp, err := client.Get(base + path)
		if err != nil {
			tb.Fatal(err)
		}
		var page struct {
			NextCursor string `json:"next_cursor"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || page.NextCursor == "" {
			tb.Fatalf("listing page %d: no next cursor (%v)", len(out), err)
		}
		out = append(out, page.NextCursor)
		path = "/api/v1/incidents?cursor=" + page.NextCursor
	}
	return out
}

// runOpenLoop sends paths at rate per second, each in its own goroutine,
// and returns every request's latency from the moment it was due (until
// its answer or its failure) and how many requests failed (no answer within the client's timeout, or
// a status other than 200). It waits for all of them before returning. An
// error building a request ends the benchmark.
func runOpenLoop(ctx context.Context, tb testing.TB, client *http.Client, base string, paths []string, rate int) ([]time.Duration, int) {
	var (
		mu     sync.Mutex
		lat    = make([]time.Duration, 0, len(paths))
		failed int
		wg     sync.WaitGroup
	)
	start := time.Now()
	for i, p := range paths {
		due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		time.Sleep(time.Until(due))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+p, nil)
		if err != nil {
			tb.Fatal(err)
		}
		wg.Go(func() {
			resp, err := client.Do(req)
			ok := err == nil
			if ok {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				ok = err == nil && resp.StatusCode == http.StatusOK
			}
			d := time.Since(due)
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, d)
			if !ok {
				failed++
			}
		})
	}
	wg.Wait()
	return lat, failed
}
