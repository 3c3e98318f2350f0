package pg_test

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

// BenchmarkIngestTransaction measures the store's share of ingest on
// PostgreSQL: transactions shaped like ingest.Pipeline's (a document, a
// report, their log entries, clustering with jobs.AttachReport), written by
// 1, 2 and 4 processes (stores with their own pools) at once. The write
// lock makes these transactions take turns, so the number to watch is how
// little throughput drops as writers are added. ms-in-fn/tx is the time a
// transaction's statements take while it holds the lock (commit excluded).
func BenchmarkIngestTransaction(b *testing.B) {
	for _, procs := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("writers=%d", procs), func(b *testing.B) {
			dsn := pgtest.NewSchema(b)
			ctx := b.Context()
			stores := openPools(b, dsn, procs)
			now := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
			var next, inside atomic.Int64
			b.ResetTimer()
			var wg sync.WaitGroup
			for _, st := range stores {
				wg.Go(func() {
					for {
						n := next.Add(1)
						if n > int64(b.N) {
							return
						}
						err := st.Transact(ctx, func(tx testigo.Store) error {
							t0 := time.Now()
							defer func() { inside.Add(int64(time.Since(t0))) }()
							d := &testigo.Document{SHA256: testigo.DigestOf(fmt.Append(nil, n)), Text: "t", Size: 1, FetchedAt: now}
							if err := tx.CreateDocument(ctx, d); err != nil {
								return err
							}
							// Forty places over ten days: most reports join an incident.
							r := &testigo.Report{DocumentID: d.ID, Event: testigo.Event{Type: testigo.TypeArmedClash,
								Date:  fmt.Sprintf("2025-11-%02d", 10+n%10),
								Place: testigo.Place{Country: "MX", Admin1: fmt.Sprint("State ", n%40)}}}
							if err := tx.CreateReport(ctx, r); err != nil {
								return err
							}
							if err := jobs.LogCapture(ctx, tx, d, []*testigo.Report{r}); err != nil {
								return err
							}
							return jobs.AttachReport(ctx, tx, r, now)
						})
						if err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
			b.ReportMetric(float64(inside.Load())/float64(b.N)/1e6, "ms-in-fn/tx")
		})
	}
}
