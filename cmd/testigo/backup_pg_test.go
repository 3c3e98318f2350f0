package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/testigo-project/testigo/internal/pg/pgtest"
)

// runEnv runs the program in-process like runCmd, with the given
// environment plus this process's PATH (so that pg_dump is found) unless
// env sets PATH itself.
func runEnv(t *testing.T, ctx context.Context, env map[string]string, args ...string) (string, error) {
	t.Helper()
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "PATH" {
			return os.Getenv("PATH")
		}
		return ""
	}
	var out, errOut bytes.Buffer
	err := run(ctx, args, getenv, strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

// newDatabase creates an empty database on the test server, dropped when
// the test ends, and returns a DSN for it (its public schema).
func newDatabase(t *testing.T) string {
	t.Helper()
	base := pgtest.DSN(t)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "testigo_restore_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(t.Context(), `CREATE DATABASE `+name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// tableCounts returns the number of rows of each testigo table in the
// schema dsn selects.
func tableCounts(t *testing.T, dsn string) map[string]int {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	counts := map[string]int{}
	for _, table := range []string{"sources", "documents", "reports", "incidents", "audit_entries",
		"log_entries", "log_hashes", "checkpoints", "users"} {
		var n int
		if err := db.QueryRowContext(t.Context(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// oneLineErr fails t unless err is a one-line error containing want.
func oneLineErr(t *testing.T, what string, err error, want string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("%s = %v, want a one-line error containing %q", what, err, want)
	}
}

// TestBackupRestorePostgres backs up the demo record on PostgreSQL with
// pg_dump, restores it into fresh databases with pg_restore and verifies
// the result, and checks the refusals: a non-empty target, a schema name
// already taken, missing tools, a backup of the other kind and a damaged
// file.
func TestBackupRestorePostgres(t *testing.T) {
	src := pgtest.NewSchema(t)
	ctx := t.Context()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if out, err := runEnv(t, ctx, nil, "demo", "--no-serve", "--data", data, "--db", src); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "pg.tar.gz")
	out, err := runEnv(t, ctx, nil, "backup", "--data", data, "--db", src, "-o", file)
	if err != nil || !strings.Contains(out, "PostgreSQL schema t_") {
		t.Fatalf("backup = %q, %v", out, err)
	}
	want := tableCounts(t, src)
	if want["documents"] == 0 || want["incidents"] == 0 {
		t.Fatalf("the demo stored nothing: %v", want)
	}
	srcVerify, err := runEnv(t, ctx, nil, "verify", "--data", data, "--db", src)
	if err != nil {
		t.Fatal(err)
	}
	blobs := strings.Fields(srcVerify)[0] // "N blobs (…) re-hashed"

	// Into the public schema of a new database: the dump's schema is
	// restored under its own name and renamed.
	target := newDatabase(t)
	restored := filepath.Join(dir, "restored")
	out, err = runEnv(t, ctx, nil, "restore", "--data", restored, "--db", target, file)
	if err != nil || !strings.Contains(out, "verified "+blobs+" blobs") || !strings.Contains(out, "schema public") {
		t.Fatalf("restore = %q, %v (want %s blobs verified)", out, err, blobs)
	}
	if diff := cmp.Diff(want, tableCounts(t, target)); diff != "" {
		t.Errorf("row counts after restore (-source +restored):\n%s", diff)
	}
	if out, err := runEnv(t, ctx, nil, "verify", "--data", restored, "--db", target); err != nil || !strings.Contains(out, "OK") {
		t.Errorf("verify of the restored deployment = %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(restored, pgDumpName)); !os.IsNotExist(err) {
		t.Errorf("the dump was left in the data directory: %v", err)
	}

	// A non-empty target is refused and left as it was; --force replaces it.
	again := filepath.Join(dir, "again")
	_, err = runEnv(t, ctx, nil, "restore", "--data", again, "--db", target, file)
	oneLineErr(t, "restore into a non-empty schema", err, "not empty")
	if _, serr := os.Stat(again); !os.IsNotExist(serr) {
		t.Errorf("a refused restore left %s behind", again)
	}
	out, err = runEnv(t, ctx, nil, "restore", "--force", "--data", again, "--db", target, file)
	if err != nil || !strings.Contains(out, "verified "+blobs+" blobs") {
		t.Errorf("restore --force = %q, %v", out, err)
	}
	if diff := cmp.Diff(want, tableCounts(t, target)); diff != "" {
		t.Errorf("row counts after restore --force (-source +restored):\n%s", diff)
	}

	// Into the source's own schema name in another database: no rename.
	same := newDatabase(t)
	su, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	srcSchema := su.Query().Get("search_path")
	db, err := sql.Open("pgx", same)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE SCHEMA `+srcSchema); err != nil {
		t.Fatal(err)
	}
	db.Close()
	sameDSN, err := pgtest.WithSearchPath(same, srcSchema)
	if err != nil {
		t.Fatal(err)
	}
	out, err = runEnv(t, ctx, nil, "restore", "--data", filepath.Join(dir, "same"), "--db", sameDSN, file)
	if err != nil || !strings.Contains(out, "schema "+srcSchema) {
		t.Errorf("restore into the same schema name = %q, %v", out, err)
	}
	if diff := cmp.Diff(want, tableCounts(t, sameDSN)); diff != "" {
		t.Errorf("row counts after restore under the same name (-source +restored):\n%s", diff)
	}

	// Beside the source in its own database: the dump's schema name is
	// taken, so the restore is refused and the empty target stays empty.
	beside := pgtest.NewSchema(t)
	_, err = runEnv(t, ctx, nil, "restore", "--data", filepath.Join(dir, "beside"), "--db", beside, file)
	oneLineErr(t, "restore beside the source", err, "already exists")
	if _, serr := os.Stat(filepath.Join(dir, "beside")); !os.IsNotExist(serr) {
		t.Error("a refused restore left its data directory behind")
	}
	if n := tableCountsOrZero(t, beside); n != 0 {
		t.Errorf("a refused restore left %d objects in the target", n)
	}

	// Missing tools.
	empty := map[string]string{"PATH": t.TempDir()}
	_, err = runEnv(t, ctx, empty, "backup", "--data", data, "--db", src, "-o", filepath.Join(dir, "x.tgz"))
	oneLineErr(t, "backup without pg_dump", err, "pg_dump not found on PATH")
	_, err = runEnv(t, ctx, empty, "restore", "--data", filepath.Join(dir, "x"), "--db", newDatabase(t), file)
	oneLineErr(t, "restore without pg_restore", err, "pg_restore not found on PATH")
	_, err = runEnv(t, ctx, nil, "restore", "--pg-bin", t.TempDir(), "--data", filepath.Join(dir, "x"), "--db", target, file)
	oneLineErr(t, "restore with an empty --pg-bin", err, "pg_restore not found in")

	// A backup of the other kind, and a damaged one.
	_, err = runEnv(t, ctx, nil, "restore", "--data", filepath.Join(dir, "nodb"), file)
	oneLineErr(t, "restore of a PostgreSQL backup without --db", err, "--db postgres://")
	if _, serr := os.Stat(filepath.Join(dir, "nodb")); !os.IsNotExist(serr) {
		t.Error("restore without --db left its data directory behind")
	}
	sqliteData := filepath.Join(dir, "sqlite")
	if out, err := runEnv(t, ctx, nil, "demo", "--no-serve", "--data", sqliteData); err != nil {
		t.Fatalf("demo on SQLite: %v\n%s", err, out)
	}
	sqliteFileBackup := filepath.Join(dir, "sqlite.tar.gz")
	if out, err := runEnv(t, ctx, nil, "backup", "--data", sqliteData, "-o", sqliteFileBackup); err != nil {
		t.Fatalf("backup of SQLite: %v\n%s", err, out)
	}
	fresh := newDatabase(t)
	_, err = runEnv(t, ctx, nil, "restore", "--data", filepath.Join(dir, "s"), "--db", fresh, sqliteFileBackup)
	oneLineErr(t, "restore of a SQLite backup with --db", err, "restore it without --db")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.tar.gz")
	if err := os.WriteFile(cut, raw[:len(raw)*2/3], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = runEnv(t, ctx, nil, "restore", "--data", filepath.Join(dir, "cut"), "--db", fresh, cut)
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("restore of a truncated backup = %v, want a one-line error", err)
	}
	if n := tableCountsOrZero(t, fresh); n != 0 {
		t.Errorf("failed restores left %d objects in the target", n)
	}
}

// tableCountsOrZero returns how many tables the schema dsn selects holds.
func tableCountsOrZero(t *testing.T, dsn string) int {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(t.Context(),
		`SELECT count(*) FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = current_schema()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBackupRestorePostgresObjectStorage backs up a PostgreSQL deployment
// whose blobs are in object storage (gofakes3 over HTTP) and restores it
// into another database and another bucket.
func TestBackupRestorePostgresObjectStorage(t *testing.T) {
	src := pgtest.NewSchema(t)
	ctx := t.Context()
	backend := s3mem.New()
	for _, b := range []string{"live", "restored"} {
		if err := backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	env := map[string]string{
		"TESTIGO_BLOBS":         "s3://live/blobs?insecure=1&region=us-east-1&endpoint=" + u.Host,
		"AWS_ACCESS_KEY_ID":     "key",
		"AWS_SECRET_ACCESS_KEY": "secretsecret",
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var texts []string
	for i, s := range []string{
		"A drone strike killed three people in Culiacán, Sinaloa, on Tuesday.",
		"Un ataque con dron dejó cinco muertos en Tumaco, Nariño, el lunes, según la Defensoría.",
	} {
		p := filepath.Join(dir, string(rune('a'+i))+".txt")
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		texts = append(texts, p)
	}
	if out, err := runEnv(t, ctx, env, append([]string{"ingest", "--data", data, "--db", src}, texts...)...); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	file := filepath.Join(dir, "b.tar.gz")
	out, err := runEnv(t, ctx, env, "backup", "--data", data, "--db", src, "-o", file)
	if err != nil || !strings.Contains(out, ", 2 blobs") {
		t.Fatalf("backup = %q, %v", out, err)
	}
	env["TESTIGO_BLOBS"] = "s3://restored/x?insecure=1&region=us-east-1&endpoint=" + u.Host
	target := newDatabase(t)
	restored := filepath.Join(dir, "restored")
	out, err = runEnv(t, ctx, env, "restore", "--data", restored, "--db", target, file)
	if err != nil || !strings.Contains(out, "verified 2 blobs") {
		t.Fatalf("restore = %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(restored, "blobs")); !os.IsNotExist(err) {
		t.Errorf("restored blobs were left in the data directory: %v", err)
	}
	if diff := cmp.Diff(tableCounts(t, src), tableCounts(t, target)); diff != "" {
		t.Errorf("row counts after restore (-source +restored):\n%s", diff)
	}
	env["TESTIGO_BLOBS"] = "s3://nosuchbucket?insecure=1&endpoint=" + u.Host
	_, err = runEnv(t, ctx, env, "restore", "--data", filepath.Join(dir, "r2"), "--db", newDatabase(t), file)
	oneLineErr(t, "restore into a missing bucket", err, "no bucket nosuchbucket")
	if _, serr := os.Stat(filepath.Join(dir, "r2")); !os.IsNotExist(serr) {
		t.Error("a restore into a missing bucket left its data directory behind")
	}
}
