package workerbench

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Config says what to measure.
type Config struct {
	Testigo  string // path of the built testigo binary
	DSN      string // postgres:// URL of the server; each run gets a fresh schema there
	Articles int    // articles in the corpus
	Feeds    int    // feeds (sources) they are spread over
	Procs    []int  // worker process counts to measure, e.g. 1, 2, 4
	Workers  int    // --workers of each process (sources fetched at once)
	Seed     uint64 // corpus seed
	Verify   bool   // run "testigo verify" after each run (not timed)
	Timeout  time.Duration
	Log      io.Writer // progress lines; may be nil
}

// Result is one measured run.
type Result struct {
	Procs     int
	Articles  int
	Wall      time.Duration // from starting the processes until the last article was stored
	FirstDoc  time.Duration // until the first article was stored (process start-up)
	Reports   int           // reports extracted
	Incidents int           // incidents they were clustered into
	Load1     float64       // one-minute load average just before the run
}

// PerSecond is the articles fetched, extracted and clustered per second of
// wall time.
func (r Result) PerSecond() float64 { return float64(r.Articles) / r.Wall.Seconds() }

// Steady is the rate after the first article was stored, which leaves out
// process start-up.
func (r Result) Steady() float64 {
	return float64(r.Articles-1) / (r.Wall - r.FirstDoc).Seconds()
}

// Run measures each process count of cfg in turn, on one feed server.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.Articles < 1 || cfg.Feeds < 1 || cfg.Workers < 1 || len(cfg.Procs) == 0 {
		return nil, errors.New("workerbench: want at least one article, feed, worker and process count")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Minute
	}
	if _, err := os.Stat(cfg.Testigo); err != nil {
		return nil, fmt.Errorf("workerbench: testigo binary: %w", err)
	}
	articles := Generate(cfg.Articles, cfg.Feeds, cfg.Seed)
	site := NewServer(articles, cfg.Feeds)
	srv := httptest.NewServer(site)
	defer srv.Close()
	var out []Result
	for _, procs := range cfg.Procs {
		site.Reset()
		res, err := runOnce(ctx, cfg, procs, srv.URL, site)
		if err != nil {
			return out, fmt.Errorf("%d worker processes: %w", procs, err)
		}
		out = append(out, *res)
	}
	return out, nil
}

func (cfg Config) logf(format string, args ...any) {
	if cfg.Log != nil {
		fmt.Fprintf(cfg.Log, format+"\n", args...)
	}
}

// runOnce measures procs worker processes on a fresh schema and data
// directory, both removed afterwards.
func runOnce(ctx context.Context, cfg Config, procs int, siteURL string, site *Server) (_ *Result, err error) {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	schema := "bench_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", cfg.DSN)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}
	defer func() {
		// Cleanup on a fresh context: ctx may be what ended the run.
		if _, derr := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); derr != nil && err == nil {
			err = fmt.Errorf("drop schema %s: %w", schema, derr)
		}
	}()
	dsn, err := withSearchPath(cfg.DSN, schema)
	if err != nil {
		return nil, err
	}
	data, err := os.MkdirTemp("", "testigo-workerbench-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(data)
	for f := range cfg.Feeds {
		cmd := exec.CommandContext(ctx, cfg.Testigo, "source", "add", "--data", data, "--db", dsn,
			"--name", outlet(f), fmt.Sprintf("%s/feed/%d", siteURL, f))
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("source add: %w: %s", err, bytes.TrimSpace(msg))
		}
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()

	load := loadAverage()
	cfg.logf("%d processes × --workers %d, %d articles in %d feeds, schema %s, load %.2f", procs, cfg.Workers,
		cfg.Articles, cfg.Feeds, schema, load)
	runCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	start := time.Now()
	workers, err := startWorkers(runCtx, cfg, procs, data, dsn)
	defer workers.stop()
	if err != nil {
		return nil, err
	}
	res := &Result{Procs: procs, Articles: cfg.Articles, Load1: load}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		var n int
		if err := db.QueryRowContext(runCtx, `SELECT count(*) FROM documents`).Scan(&n); err != nil {
			return nil, fmt.Errorf("count documents: %w%s", err, workers.logTail())
		}
		if n > 0 && res.FirstDoc == 0 {
			res.FirstDoc = time.Since(start)
		}
		if n >= cfg.Articles {
			res.Wall = time.Since(start)
			break
		}
		select {
		case <-runCtx.Done():
			return nil, fmt.Errorf("%d of %d articles stored: %w%s", n, cfg.Articles, context.Cause(runCtx), workers.logTail())
		case err := <-workers.exited:
			workers.pending--
			return nil, fmt.Errorf("a worker ended early (%v) with %d of %d articles stored%s", err, n, cfg.Articles, workers.logTail())
		case <-tick.C:
		}
	}
	workers.stop()
	distinct, repeated := site.Served()
	if distinct != cfg.Articles || repeated != 0 {
		return nil, fmt.Errorf("%d articles served, %d of them more than once; want each of %d once", distinct, repeated, cfg.Articles)
	}
	err = db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM incidents)`).Scan(&res.Reports, &res.Incidents)
	if err != nil {
		return nil, fmt.Errorf("count reports: %w", err)
	}
	var unclustered int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE incident_id IS NULL`).Scan(&unclustered); err != nil {
		return nil, fmt.Errorf("count reports: %w", err)
	}
	if unclustered > 0 {
		return nil, fmt.Errorf("%d of %d reports were not clustered", unclustered, res.Reports)
	}
	cfg.logf("  %d articles in %.2fs (first after %.2fs): %.1f articles/s, %d reports, %d incidents",
		res.Articles, res.Wall.Seconds(), res.FirstDoc.Seconds(), res.PerSecond(), res.Reports, res.Incidents)
	if cfg.Verify {
		cmd := exec.CommandContext(ctx, cfg.Testigo, "verify", "--data", data, "--db", dsn)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("verify: %w: %s", err, bytes.TrimSpace(msg))
		}
		cfg.logf("  verify: OK")
	}
	return res, nil
}

// workerSet is the running worker processes.
type workerSet struct {
	cmds    []*exec.Cmd
	logs    []string
	exited  chan error // one value per process that ended
	pending int        // processes not yet seen in exited
}

// startWorkers starts procs "testigo worker" processes; their stderr goes
// to files in data. On error, the processes already started are in the
// returned set, for stop.
func startWorkers(ctx context.Context, cfg Config, procs int, data, dsn string) (*workerSet, error) {
	ws := &workerSet{exited: make(chan error, procs)}
	for i := range procs {
		logPath := filepath.Join(data, "worker-"+strconv.Itoa(i)+".log")
		logFile, err := os.Create(logPath)
		if err != nil {
			return ws, err
		}
		cmd := exec.CommandContext(ctx, cfg.Testigo, "worker", "--data", data, "--db", dsn,
			"--workers", strconv.Itoa(cfg.Workers), "--rate", "10000", "--allow-net", "127.0.0.0/8", "--log-format", "json")
		cmd.Stderr = logFile
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.WaitDelay = 10 * time.Second
		if err := cmd.Start(); err != nil {
			logFile.Close()
			return ws, fmt.Errorf("start worker: %w", err)
		}
		ws.cmds = append(ws.cmds, cmd)
		ws.logs = append(ws.logs, logPath)
		ws.pending++
		// The goroutine ends when the process does; stop makes sure it does.
		go func() {
			err := cmd.Wait()
			logFile.Close()
			ws.exited <- err
		}()
	}
	return ws, nil
}

// stop asks every process to stop (SIGTERM), waits for all, and kills
// those still running after ten seconds. Calling it again does nothing.
func (ws *workerSet) stop() {
	if ws == nil || ws.pending == 0 {
		return
	}
	for _, c := range ws.cmds {
		// A process that already ended cannot be signalled; that is fine.
		_ = c.Process.Signal(syscall.SIGTERM)
	}
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for ws.pending > 0 {
		select {
		case <-ws.exited:
			ws.pending--
		case <-deadline.C:
			for _, c := range ws.cmds {
				_ = c.Process.Kill() // as above: it may have ended meanwhile
			}
		}
	}
}

// logTail returns the last lines of the workers' logs, for an error.
func (ws *workerSet) logTail() string {
	var b strings.Builder
	for _, p := range ws.logs {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		if len(lines) > 3 {
			lines = lines[len(lines)-3:]
		}
		fmt.Fprintf(&b, "\n%s:\n  %s", filepath.Base(p), strings.Join(lines, "\n  "))
	}
	return b.String()
}

// withSearchPath returns the postgres:// URL dsn with its search_path set
// to schema.
func withSearchPath(dsn, schema string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("workerbench: DSN is not a postgres:// URL")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// loadAverage returns the one-minute load average, or -1 where
// /proc/loadavg cannot be read.
func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}
