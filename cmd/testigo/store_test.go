package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo/internal/pg"
	"github.com/testigo-project/testigo/internal/pg/pgtest"
	"github.com/testigo-project/testigo/internal/sqlite"
)

// newestMigration returns the highest version among the migration files in
// dir (NNNNN_name.sql), the version a freshly migrated database reports.
func newestMigration(t *testing.T, dir string) int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var newest int64
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		if !ok || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil {
			t.Fatalf("migration file %s: %v", e.Name(), err)
		}
		newest = max(newest, v)
	}
	if newest == 0 {
		t.Fatalf("no migrations in %s", dir)
	}
	return newest
}

// runWithEnv runs the program in-process with the given environment.
func runWithEnv(ctx context.Context, vars map[string]string, args ...string) (string, error) {
	var out, errOut bytes.Buffer
	err := run(ctx, args, func(k string) string { return vars[k] }, strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestMigrateSQLite(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "data")
	want := "schema version " + strconv.FormatInt(newestMigration(t, "../../internal/sqlite/migrations"), 10) +
		" (SQLite " + filepath.Join(dir, "testigo.db") + ")\n"
	for range 2 { // a second run finds nothing to do and says the same
		out, _, err := runCmd(t, ctx, "", "migrate", "--data", dir)
		if err != nil {
			t.Fatal(err)
		}
		if out != want {
			t.Errorf("migrate printed %q, want %q", out, want)
		}
	}

	// A schema from a newer testigo is refused, by migrate as by every command.
	db, err := sql.Open("sqlite", filepath.Join(dir, "testigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES (999, 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, _, err = runCmd(t, ctx, "", "migrate", "--data", dir)
	if err == nil || !strings.Contains(err.Error(), "schema version 999 is newer than this testigo") {
		t.Errorf("migrate on a newer schema: %v, want a refusal naming version 999", err)
	}
}

func TestMigratePostgres(t *testing.T) {
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	want := regexp.MustCompile(`^schema version ` +
		strconv.FormatInt(newestMigration(t, "../../internal/pg/migrations"), 10) +
		` \(PostgreSQL [^ ]+:\d+/[^ ]+, search_path t_[0-9a-f]+\)\n$`)
	// The DSN comes from TESTIGO_DB as well as from --db.
	for _, c := range []struct {
		vars map[string]string
		args []string
	}{
		{nil, []string{"migrate", "--db", dsn}},
		{map[string]string{"TESTIGO_DB": dsn}, []string{"migrate"}},
	} {
		out, err := runWithEnv(ctx, c.vars, c.args...)
		if err != nil {
			t.Fatal(err)
		}
		if !want.MatchString(out) {
			t.Errorf("migrate printed %q, want a line matching %s", out, want)
		}
		if strings.Contains(out, "sslmode") {
			t.Errorf("migrate printed the whole DSN: %q", out)
		}
	}
}

func TestMigrateBadInput(t *testing.T) {
	ctx := t.Context()
	for _, c := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"migrate", "--db", "mysql://root:hunter2@db/x"}, true, `--db "mysql://root:xxxxx@db/x" is not a PostgreSQL DSN`},
		{[]string{"migrate", "--data", ""}, true, "must not be empty"},
		{[]string{"migrate", "extra"}, true, `unexpected argument "extra"`},
		{[]string{"migrate", "--db", "postgres://postgres@127.0.0.1:1/testigo?sslmode=disable&connect_timeout=5"}, false,
			"connect to PostgreSQL at 127.0.0.1:1/testigo: connection refused"},
		{[]string{"migrate", "--db", "postgres://postgres@127.0.0.1:5432/x?sslmode=nonsense"}, false, "PostgreSQL DSN"},
	} {
		_, _, err := runCmd(t, ctx, "", c.args...)
		if err == nil {
			t.Errorf("%q: no error", c.args)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") || strings.Contains(msg, "hunter2") {
			t.Errorf("%q: error %q, want one line containing %q (and no password)", c.args, msg, c.want)
		}
		if got := exitCode(err) == 2; got != c.usage {
			t.Errorf("%q: exit code %d, want usage error %v", c.args, exitCode(err), c.usage)
		}
	}
}

func TestOpenStoreChoosesBackend(t *testing.T) {
	ctx := t.Context()
	st, err := openStore(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.(*sqlite.Store); !ok {
		t.Errorf("openStore(dir) = %T, want *sqlite.Store", st)
	}
	st.Close()

	dsn := pgtest.NewSchema(t)
	for _, d := range []string{dsn, "postgresql://" + strings.TrimPrefix(dsn, "postgres://")} {
		st, err := openStore(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := st.(*pg.Store); !ok {
			t.Errorf("openStore(%s) = %T, want *pg.Store", d, st)
		}
		st.Close()
	}
}

func TestOpenStoreRetrying(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	var warn bytes.Buffer
	start := time.Now()
	_, err := openStoreRetrying(ctx, "postgres://postgres@127.0.0.1:1/testigo?sslmode=disable", &warn,
		storeRetry{first: 20 * time.Millisecond, max: 80 * time.Millisecond})
	var ce *pg.ConnectError
	if !errors.As(err, &ce) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("openStoreRetrying against a closed port: %v, want a connect error ending with the deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %s, want soon after the 2 s deadline", d)
	}
	lines := strings.Split(strings.TrimSpace(warn.String()), "\n")
	if len(lines) < 3 {
		t.Fatalf("%d warnings, want one per failed attempt (at least 3 in 2 s): %q", len(lines), warn.String())
	}
	for _, l := range lines {
		// The reason is the refusal, or a time-out when a loaded machine
		// is slow to answer.
		if !strings.Contains(l, "127.0.0.1:1/testigo: connection refused; retrying in ") &&
			!strings.Contains(l, "127.0.0.1:1/testigo: timed out; retrying in ") {
			t.Errorf("warning %q does not name the server, the reason and the wait", l)
		}
	}
	if !strings.Contains(lines[len(lines)-1], "retrying in 80ms") {
		t.Errorf("last warning %q: the wait should have doubled up to the 80 ms cap", lines[len(lines)-1])
	}

	// Errors other than an unreachable server are not retried.
	warn.Reset()
	if _, err := openStoreRetrying(t.Context(), "postgres://x@127.0.0.1/x?sslmode=nonsense", &warn, defaultStoreRetry); err == nil || warn.Len() > 0 {
		t.Errorf("bad DSN: error %v after warnings %q, want an error at once", err, warn.String())
	}
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db":        "postgres://u:xxxxx@h:5432/db",
		"postgres://u@h/db":                    "postgres://u@h/db",
		"mysql://a:b:c@h/x?p=1":                "mysql://a:xxxxx@h/x?p=1",
		"postgres://u:p@ss@h/db":               "postgres://u:xxxxx@h/db",
		"/var/lib/testigo":                     "/var/lib/testigo",
		"host=h user=u password=secret":        "host=h user=u password=xxxxx",
		"postgres://h/db?user=u&password=p@ss": "postgres://h/db?user=u&password=xxxxx",
		"postgres://u:a/b@h/db?sslmode=off":    "postgres://u:xxxxx@h/db?sslmode=off",
	} {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}
