package pgbackup

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo/internal/pg/pgtest"
)

func TestParseToolVersion(t *testing.T) {
	for _, tc := range []struct {
		name, out string
		want      Version
		wantErr   bool
	}{
		{"debian", "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n", Version{15, "15.20"}, false},
		{"plain", "pg_restore (PostgreSQL) 17.2\n", Version{17, "17.2"}, false},
		{"beta", "pg_dump (PostgreSQL) 18beta1\n", Version{18, "18"}, false},
		{"old", "pg_dump (PostgreSQL) 9.6.24\n", Version{9, "9.6.24"}, false},
		{"other program", "mysqldump  Ver 10.19 Distrib 10.11.6-MariaDB\n", Version{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseToolVersion(tc.out)
			if (err != nil) != tc.wantErr {
				t.Fatalf("parseToolVersion(%q) error = %v, want error %v", tc.out, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("parseToolVersion(%q) = %+v, want %+v", tc.out, got, tc.want)
			}
		})
	}
}

func TestCompatibility(t *testing.T) {
	v := func(major int, text string) Version { return Version{major, text} }
	if err := CheckDumpCompatible(v(15, "15.2"), v(15, "15.20")); err != nil {
		t.Errorf("pg_dump 15 on server 15: %v", err)
	}
	if err := CheckDumpCompatible(v(17, "17.1"), v(15, "15.20")); err != nil {
		t.Errorf("pg_dump 17 on server 15: %v", err)
	}
	err := CheckDumpCompatible(v(15, "15.20"), v(16, "16.4"))
	if err == nil || err.Error() != "pg_dump 15.20 cannot dump a PostgreSQL 16.4 server: install pg_dump 16 or newer and name its directory with --pg-bin" {
		t.Errorf("pg_dump 15 on server 16: %v", err)
	}
	if err := CheckRestoreCompatible(v(16, "16.1"), v(15, "15.20")); err != nil {
		t.Errorf("pg_restore 16 of a pg_dump 15 archive: %v", err)
	}
	err = CheckRestoreCompatible(v(15, "15.20"), v(17, "17.0"))
	if err == nil || !strings.Contains(err.Error(), "pg_restore 15.20 cannot read it: install pg_restore 17 or newer") {
		t.Errorf("pg_restore 15 of a pg_dump 17 archive: %v", err)
	}
}

func TestLibpqConn(t *testing.T) {
	for _, tc := range []struct {
		dsn, conn, password string
	}{
		{"postgres://u:s3cret@db:5432/testigo?sslmode=require&search_path=t_1&pool_max_conns=4",
			"postgres://u@db:5432/testigo?sslmode=require", "s3cret"},
		{"postgresql://db/testigo?password=pw&application_name=x", "postgresql://db/testigo?application_name=x", "pw"},
		{"postgres:///testigo?host=%2Fvar%2Frun%2Fpostgresql", "postgres:///testigo?host=%2Fvar%2Frun%2Fpostgresql", ""},
	} {
		conn, pw, err := libpqConn(tc.dsn)
		if err != nil || conn != tc.conn || pw != tc.password {
			t.Errorf("libpqConn(%q) = %q, %q, %v; want %q, %q", tc.dsn, conn, pw, err, tc.conn, tc.password)
		}
	}
	if _, _, err := libpqConn("host=db dbname=x"); err == nil {
		t.Error("libpqConn of a key=value DSN succeeded")
	}
}

func TestSchemaEntry(t *testing.T) {
	toc := `;
; Selected TOC Entries:
;
6; 2615 34475 SCHEMA - t_ab postgres
216; 1259 34477 TABLE t_ab a postgres
4; 2615 2200 SCHEMA - public pg_database_owner
3346; 0 0 COMMENT - SCHEMA public pg_database_owner
7; 2615 34476 SCHEMA - t_abc postgres
`
	var kept []string
	for _, line := range strings.Split(strings.TrimSpace(toc), "\n") {
		if !schemaEntry(line, "t_ab") && !schemaEntry(line, "public") {
			kept = append(kept, line)
		}
	}
	want := []string{";", "; Selected TOC Entries:", ";", "216; 1259 34477 TABLE t_ab a postgres", "7; 2615 34476 SCHEMA - t_abc postgres"}
	if diff := cmp.Diff(want, kept); diff != "" {
		t.Errorf("entries kept (-want +got):\n%s", diff)
	}
}

func TestFindTool(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "pg_dump")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := FindTool("pg_dump", "", t.TempDir()+string(os.PathListSeparator)+dir); err != nil || got != bin {
		t.Errorf("FindTool on PATH = %q, %v; want %q", got, err, bin)
	}
	if _, err := FindTool("pg_restore", dir, ""); err == nil || !strings.Contains(err.Error(), "pg_restore not found in "+dir) {
		t.Errorf("FindTool in a directory without it = %v", err)
	}
}

// tools finds the real client tools, or skips.
func tools(t *testing.T) (dump, restore string) {
	t.Helper()
	dump, err := FindTool("pg_dump", "", os.Getenv("PATH"))
	if err != nil {
		t.Skip(err)
	}
	restore, err = FindTool("pg_restore", "", os.Getenv("PATH"))
	if err != nil {
		t.Skip(err)
	}
	return dump, restore
}

func rows(t *testing.T, dsn string) []string {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rs, err := db.QueryContext(t.Context(), `SELECT body FROM notes ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var s string
		if err := rs.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func execSQL(t *testing.T, dsn string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestForceSameSchema restores a dump over its own, changed schema with
// force, and checks that a failing restore leaves the target as it was.
func TestForceSameSchema(t *testing.T) {
	dump, restore := tools(t)
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	execSQL(t, dsn, `CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)`,
		`INSERT INTO notes (body) VALUES ('first'), ('second')`)
	file := filepath.Join(t.TempDir(), "db.dump")
	info, err := Dump(ctx, dump, dsn, file, os.Environ())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(info.Schema, "t_") || info.PgDump.Major < info.Server.Major {
		t.Errorf("Dump info = %+v", info)
	}
	execSQL(t, dsn, `DELETE FROM notes WHERE body = 'first'`, `INSERT INTO notes (body) VALUES ('third')`)

	if _, err := Restore(ctx, restore, dsn, file, *info, false, os.Environ()); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("Restore into the non-empty schema without force = %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.dump")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, restore, dsn, bad, *info, true, os.Environ()); err == nil {
		t.Error("Restore of a truncated dump succeeded")
	}
	if diff := cmp.Diff([]string{"second", "third"}, rows(t, dsn)); diff != "" {
		t.Errorf("rows after a failed restore (-want +got):\n%s", diff)
	}
	got, err := Restore(ctx, restore, dsn, file, *info, true, os.Environ())
	if err != nil || got != info.Schema {
		t.Fatalf("Restore with force = %q, %v", got, err)
	}
	if diff := cmp.Diff([]string{"first", "second"}, rows(t, dsn)); diff != "" {
		t.Errorf("rows after restore (-want +got):\n%s", diff)
	}
	execSQL(t, dsn, `INSERT INTO notes (body) VALUES ('fourth')`) // the sequence was restored too
	var leftover int
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname LIKE $1`, info.Schema+"_restore_old_%").Scan(&leftover); err != nil || leftover != 0 {
		t.Errorf("schemas set aside and left behind: %d, %v", leftover, err)
	}
}
