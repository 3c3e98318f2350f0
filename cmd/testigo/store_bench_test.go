package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/pg/pgtest"
)

// BenchmarkCaptureWrites measures the write side of a capture — document,
// report, capture and extraction log entries, clustering into an incident,
// all in one transaction — with 1, 2 and 4 writers, each with a store (a
// connection pool) of its own, as separate processes have. Writes are
// serialised (SQLite's file lock, PostgreSQL's advisory write lock), so
// this is the ceiling of captures per second however many workers fetch
// and extract. Reports spread over a year and six municipalities, so the
// clustering step finds a realistic handful of candidates.
//
//	TESTIGO_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	  go test ./cmd/testigo -run XXX -bench CaptureWrites -benchtime 400x
func BenchmarkCaptureWrites(b *testing.B) {
	for _, backend := range []string{"sqlite", "postgres"} {
		for _, writers := range []int{1, 2, 4} {
			b.Run(fmt.Sprintf("%s/writers=%d", backend, writers), func(b *testing.B) {
				target := b.TempDir()
				if backend == "postgres" {
					target = pgtest.NewSchema(b)
				}
				benchCaptures(b, target, writers)
			})
		}
	}
}

func benchCaptures(b *testing.B, target string, writers int) {
	ctx := b.Context()
	stores := make([]testigo.Store, writers)
	for i := range stores {
		st, err := openStore(ctx, target)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		stores[i] = st
	}
	places := []string{"Culiacán", "Navolato", "Mazatlán", "Guasave", "Ahome", "Elota"}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var next atomic.Int64
	capture := func(st testigo.Store, n int64) error {
		return st.Transact(ctx, func(tx testigo.Store) error {
			d := &testigo.Document{SHA256: testigo.DigestOf(fmt.Appendf(nil, "capture %d", n)),
				Text: "t", Size: 1, FetchedAt: now}
			if err := tx.CreateDocument(ctx, d); err != nil {
				return err
			}
			r := &testigo.Report{DocumentID: d.ID, Event: testigo.Event{Type: testigo.TypeArmedClash,
				Date:   time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n%365)).Format(time.DateOnly),
				Place:  testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: places[n%int64(len(places))]},
				Killed: &testigo.Range{Min: int(n % 7), Max: int(n % 7)}}}
			if err := tx.CreateReport(ctx, r); err != nil {
				return err
			}
			if err := jobs.LogCapture(ctx, tx, d, []*testigo.Report{r}); err != nil {
				return err
			}
			return jobs.AttachReport(ctx, tx, r, now)
		})
	}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for _, st := range stores {
		wg.Go(func() {
			for {
				n := next.Add(1)
				if n > int64(b.N) {
					return
				}
				if err := capture(st, n); err != nil {
					errs <- fmt.Errorf("capture %d: %w", n, err)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "captures/s")
	b.ReportMetric(0, "ns/op")
}
