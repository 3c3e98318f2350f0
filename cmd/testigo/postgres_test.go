package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/testigo-project/testigo/internal/pg/pgtest"
)

// TestCommandsOnPostgres runs the demo ingest, the incident listing, a
// review and verify against PostgreSQL (a fresh schema on the server
// TESTIGO_TEST_POSTGRES names), with the keys and blobs in the data dir.
func TestCommandsOnPostgres(t *testing.T) {
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	data := filepath.Join(t.TempDir(), "data")
	out, _, err := runCmd(t, ctx, "", "demo", "--no-serve", "--data", data, "--db", dsn)
	if err != nil || !strings.Contains(out, "15 new, 0 duplicate, 0 failed") {
		t.Fatalf("demo on PostgreSQL = %q, %v", out, err)
	}
	out, _, err = runCmd(t, ctx, "", "demo", "--no-serve", "--data", data, "--db", dsn)
	if err != nil || !strings.Contains(out, "0 new, 15 duplicate") {
		t.Errorf("second demo on PostgreSQL = %q, %v", out, err)
	}
	out, _, err = runCmd(t, ctx, "", "incident", "grade", "--data", data, "--db", dsn, "--as", "ana", "--reason", "two outlets", "1", "fair")
	if err != nil {
		t.Errorf("incident grade on PostgreSQL: %q, %v", out, err)
	}
	out, _, err = runCmd(t, ctx, "", "verify", "--data", data, "--db", dsn)
	if err != nil || !strings.Contains(out, "OK") {
		t.Errorf("verify on PostgreSQL = %q, %v", out, err)
	}
	if _, _, err := runCmd(t, ctx, "", "status", "--data", data, "--db", "mysql://x"); err == nil || exitCode(err) != 2 {
		t.Errorf("--db with a non-PostgreSQL DSN = %v, want a usage error", err)
	}
}

// TestWorkersShareOnePostgres runs two workers as separate processes on one
// PostgreSQL schema over a local news site: every item is captured once,
// by one worker or the other, and the record verifies.
func TestWorkersShareOnePostgres(t *testing.T) {
	dsn := pgtest.NewSchema(t)
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	ctx := t.Context()
	site := startNewsSite(t)
	data := filepath.Join(t.TempDir(), "data")
	for _, name := range []string{"a", "b", "c", "d"} {
		site.n[name] = 5
		if _, _, err := runCmd(t, ctx, "", "source", "add", "--data", data, "--db", dsn, site.URL+"/feed/"+name); err != nil {
			t.Fatal(err)
		}
	}
	var workers []*exec.Cmd
	for range 2 {
		cmd := exec.Command(os.Args[0], "worker", "--data", data, "--db", dsn, "--rate", "1000", "--workers", "2",
			"--allow-net", "127.0.0.0/8")
		cmd.Env = append(os.Environ(), "TESTIGO_TEST_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		workers = append(workers, cmd)
	}
	defer func() {
		for _, w := range workers {
			w.Process.Kill()
			w.Wait()
		}
	}()
	var out string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		out, _, _ = runCmd(t, ctx, "", "status", "--data", data, "--db", dsn, "--json")
		if strings.Count(out, `"items": 5`) == 4 {
			break
		}
	}
	if strings.Count(out, `"items": 5`) != 4 {
		t.Fatalf("status after the workers ran:\n%s", out)
	}
	for _, w := range workers {
		w.Process.Signal(syscall.SIGTERM)
		w.Wait()
	}
	workers = nil
	site.mu.Lock()
	for p, n := range site.count {
		if n != 1 {
			t.Errorf("%s fetched %d times by the two workers, want once", p, n)
		}
	}
	site.mu.Unlock()
	out, _, err := runCmd(t, ctx, "", "verify", "--data", data, "--db", dsn)
	if err != nil || !strings.Contains(out, "OK") || !strings.Contains(out, "40 blobs") {
		t.Errorf("verify after two workers = %q, %v", out, err)
	}
}
