// Command bench-workers measures how ingest, extraction and clustering
// scale with the number of "testigo worker" processes on PostgreSQL (see
// internal/workerbench). scripts/bench-workers.sh builds testigo and runs
// it:
//
//	TESTIGO_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	  scripts/bench-workers.sh -articles 600 -procs 1,2,4
//
// Each run uses a fresh schema of that server (dropped afterwards) and a
// fresh data directory; the feed server runs on 127.0.0.1 in this process.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/testigo-project/testigo/internal/workerbench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-workers:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench-workers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", getenv("TESTIGO_TEST_POSTGRES"), "postgres:// URL of the server to measure on (env TESTIGO_TEST_POSTGRES)")
	testigo := fs.String("testigo", "", "path of the built testigo binary (required)")
	articles := fs.Int("articles", 600, "articles in the synthetic corpus")
	feeds := fs.Int("feeds", 16, "feeds (sources) the articles are spread over")
	procs := fs.String("procs", "1,2,4", "comma-separated worker process counts")
	workers := fs.Int("workers", 1, "--workers of each worker process (sources fetched at once)")
	seed := fs.Uint64("seed", 1, "corpus seed")
	verify := fs.Bool("verify", true, "run 'testigo verify' after each run (not timed)")
	timeout := fs.Duration("timeout", 15*time.Minute, "longest run")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" || *testigo == "" {
		return fmt.Errorf("want -db (or TESTIGO_TEST_POSTGRES) and -testigo (run with -h for the flags)")
	}
	var counts []int
	for _, p := range strings.Split(*procs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 || n > 64 {
			return fmt.Errorf("-procs %q: want positive counts such as 1,2,4", *procs)
		}
		counts = append(counts, n)
	}
	res, err := workerbench.Run(ctx, workerbench.Config{Testigo: *testigo, DSN: *dsn, Articles: *articles, Feeds: *feeds,
		Procs: counts, Workers: *workers, Seed: *seed, Verify: *verify, Timeout: *timeout, Log: stderr})
	fmt.Fprintf(stdout, "\n%d articles, %d feeds, --workers %d per process, %d CPUs\n\n", *articles, *feeds, *workers, runtime.NumCPU())
	fmt.Fprintln(stdout, "| worker processes | wall (s) | articles/s | articles/s after the first | reports | incidents | load avg before |")
	fmt.Fprintln(stdout, "|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range res {
		fmt.Fprintf(stdout, "| %d | %.2f | %.1f | %.1f | %d | %d | %.2f |\n", r.Procs, r.Wall.Seconds(), r.PerSecond(), r.Steady(),
			r.Reports, r.Incidents, r.Load1)
	}
	return err
}
