package exporter_test

import (
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/exporter"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
)

// BenchmarkExport100k exports 100,000 incidents, each with its log entry,
// from a temporary SQLite store to io.Discard and reports rows/s.
func BenchmarkExport100k(b *testing.B) {
	const n = 100_000
	st := sqlitetest.MustOpenTemp(b, sqlite.MemoryMapped(1<<30)) // as testigo export opens it
	mustIncidents(b, st, n)
	b.ResetTimer()
	run := func(name string, f exporter.Format, lookups int) {
		b.Run(name, func(b *testing.B) {
			var rows int64
			cpu0 := cpuTime(b)
			for b.Loop() {
				res, err := exporter.Write(context.Background(), st, io.Discard, exporter.Options{Format: f, Lookups: lookups})
				if err != nil {
					b.Fatal(err)
				}
				if res.Rows != n {
					b.Fatalf("rows = %d, want %d", res.Rows, n)
				}
				rows += res.Rows
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
			// CPU time per row (all threads, this process) is a figure that
			// a busy shared machine disturbs less than wall time.
			b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(rows), "cpu-µs/row")
		})
	}
	// The listing alone, paged as Write pages it: the ceiling without the
	// per-row log lookup.
	b.Run("listing-only", func(b *testing.B) {
		var rows int64
		cpu0 := cpuTime(b)
		for b.Loop() {
			f := testigo.IncidentFilter{Limit: 1000}
			for {
				page, err := st.FindIncidents(context.Background(), f)
				if err != nil {
					b.Fatal(err)
				}
				rows += int64(len(page))
				if len(page) < f.Limit {
					break
				}
				f.After = &testigo.IncidentCursor{Date: page[len(page)-1].Date, ID: page[len(page)-1].ID}
			}
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(rows), "cpu-µs/row")
	})
	for _, l := range []int{1, 2, exporter.DefaultLookups} {
		run(fmt.Sprintf("csv/lookups=%d", l), exporter.CSV, l)
	}
	for _, f := range []exporter.Format{exporter.JSONL, exporter.ACLEDCSV, exporter.UCDPCSV, exporter.GeoJSON, exporter.Atom} {
		run(string(f), f, 0)
	}
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
