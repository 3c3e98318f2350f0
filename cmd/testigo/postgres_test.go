package main

import (
	"path/filepath"
	"strings"
	"testing"

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
