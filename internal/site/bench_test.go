package site_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/site"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
)

// BenchmarkBuild builds the site of n published incidents (10,000, or
// TESTIGO_SITE_BENCH_N), each with one report, its document, audit entry
// and log entry, in two countries over two years: first into an empty
// directory (every file written), then again with Full (every file
// rendered, compared and left alone), after one incident changed (its page,
// the lists and the exports rendered), and with no incident log entry
// since the last build (nothing rendered). It reports incidents per second of wall time and of CPU time
// (user + system, all threads), since wall time on a shared machine
// mostly measures the other load.
func BenchmarkBuild(b *testing.B) {
	n := 10_000
	if s := os.Getenv("TESTIGO_SITE_BENCH_N"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatalf("TESTIGO_SITE_BENCH_N: %v", err)
		}
	}
	st := sqlitetest.MustOpenTemp(b)
	mustMany(b, st, n)
	dir := b.TempDir()
	b.Run("first", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			b.StopTimer()
			d := b.TempDir()
			b.StartTimer()
			res, err := site.Build(context.Background(), st, d, options())
			if err != nil || res.Incidents != n {
				b.Fatalf("build: %+v %v", res, err)
			}
		}
		reportRates(b, n, cpu0)
	})
	if _, err := site.Build(context.Background(), st, dir, options()); err != nil {
		b.Fatal(err)
	}
	full := options()
	full.Full = true
	b.Run("unchanged-full", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			res, err := site.Build(context.Background(), st, dir, full)
			if err != nil || res.Written != 0 || res.Skipped {
				b.Fatalf("rebuild: %+v %v", res, err)
			}
		}
		reportRates(b, n, cpu0)
	})
	b.Run("one-changed", func(b *testing.B) {
		cpu0 := cpuTime()
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			change(b, st, 1, func(inc *testigo.Incident) { inc.Title = fmt.Sprintf("Incident 1, version %d", i) })
			b.StartTimer()
			res, err := site.Build(context.Background(), st, dir, options())
			if err != nil || res.Skipped || res.Written == 0 {
				b.Fatalf("rebuild: %+v %v", res, err)
			}
		}
		reportRates(b, n, cpu0)
	})
	b.Run("unchanged-log", func(b *testing.B) {
		cpu0 := cpuTime()
		for b.Loop() {
			res, err := site.Build(context.Background(), st, dir, options())
			if err != nil || !res.Skipped {
				b.Fatalf("rebuild: %+v %v", res, err)
			}
		}
		reportRates(b, n, cpu0)
	})
}

func reportRates(b *testing.B, n int, cpu0 time.Duration) {
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "incidents/s")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "incidents/cpu-s")
	}
}

// mustMany stores n published incidents with one report each.
func mustMany(tb testing.TB, st *sqlite.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	err := st.Transact(ctx, func(tx testigo.Store) error {
		for i := range n {
			cc, lat, lon := "YE", 15.0+float64(i%300)/100, 45.0+float64(i%170)/100
			if i%3 == 0 {
				cc, lat, lon = "VE", 10.0+float64(i%90)/100, -66.0-float64(i%400)/100
			}
			inc := &testigo.Incident{Title: fmt.Sprintf("Incident %d", i), Type: testigo.EventTypes[i%len(testigo.EventTypes)],
				Date:   fmt.Sprintf("%d-%02d-%02d", 2024+i%2, 1+i%12, 1+i%28),
				Place:  testigo.Place{Country: cc, Admin1: "Province", Location: "Town", Lat: &lat, Lon: &lon},
				Killed: &testigo.Range{Min: i % 4, Max: i%4 + 2}, Grade: testigo.GradeFair, Review: testigo.ReviewPublished, CreatedAt: t0}
			if err := tx.CreateIncident(ctx, inc); err != nil {
				return err
			}
			u := fmt.Sprintf("https://news.example.org/%d", i)
			doc := &testigo.Document{SHA256: testigo.DigestOf([]byte(u)), URL: u, Name: u, FetchedAt: t0, Title: inc.Title, Text: "text"}
			if err := tx.CreateDocument(ctx, doc); err != nil {
				return err
			}
			r := &testigo.Report{DocumentID: doc.ID, IncidentID: inc.ID, Event: testigo.Event{Type: inc.Type, Date: inc.Date,
				Place: inc.Place, Killed: inc.Killed, Evidence: testigo.Evidence{"type": {Start: 0, End: 4, Quote: "text"}}}}
			if err := tx.CreateReport(ctx, r); err != nil {
				return err
			}
			e := &testigo.AuditEntry{IncidentID: inc.ID, Actor: "test", Action: testigo.ActionCreate, At: t0}
			if err := jobs.LogIncidentChange(ctx, tx, inc, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("store %d incidents: %v", n, err)
	}
}
