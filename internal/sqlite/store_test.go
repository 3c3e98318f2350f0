package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	_ "modernc.org/sqlite"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) testigo.Store {
		return sqlitetest.MustOpenTemp(tb)
	})
}

func TestAlertStore(t *testing.T) {
	storetest.RunAlerts(t, func(tb testing.TB) testigo.Store { return sqlitetest.MustOpenTemp(tb) })
}

func TestUserStore(t *testing.T) {
	storetest.RunUsers(t, func(tb testing.TB) testigo.UserStore {
		return sqlitetest.MustOpenTemp(tb)
	})
}

// rawDB opens the database file without the store, for checks below it.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestReopenKeepsData(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "sub", "dir", "testigo.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	d := &testigo.Document{SHA256: testigo.DigestOf([]byte("x")), Text: "x", Size: 1}
	inc := &testigo.Incident{Title: "kept", Type: testigo.TypeOther, Date: "2025-11-20"}
	r := &testigo.Report{Index: 0, Event: testigo.Event{Type: testigo.TypeOther, Killed: &testigo.Range{Min: 1, Max: 2}}}
	err = st.Transact(ctx, func(tx testigo.Store) error {
		if err := tx.CreateDocument(ctx, d); err != nil {
			return err
		}
		if err := tx.CreateIncident(ctx, inc); err != nil {
			return err
		}
		r.DocumentID, r.IncidentID = d.ID, inc.ID
		return tx.CreateReport(ctx, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = sqlitetest.MustOpen(t, path)
	gotD, err := st.FindDocumentByDigest(ctx, d.SHA256)
	if err != nil {
		t.Fatalf("document lost on reopen: %v", err)
	}
	gotInc, err := st.FindIncident(ctx, inc.ID)
	if err != nil {
		t.Fatalf("incident lost on reopen: %v", err)
	}
	gotR, err := st.FindReport(ctx, r.ID)
	if err != nil {
		t.Fatalf("report lost on reopen: %v", err)
	}
	if diff := cmp.Diff([]any{d, inc, r}, []any{gotD, gotInc, gotR}); diff != "" {
		t.Errorf("after reopen (-want +got):\n%s", diff)
	}
}

// schemaVersion returns the newest applied goose version of the file.
func schemaVersion(t *testing.T, path string) int64 {
	t.Helper()
	var v int64
	err := rawDB(t, path).QueryRow(`SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "testigo.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	known := schemaVersion(t, path)
	if known < 1 {
		t.Fatalf("migrated database is at schema version %d", known)
	}
	if _, err := rawDB(t, path).Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, 1)`, known+5); err != nil {
		t.Fatal(err)
	}
	_, err = sqlite.Open(ctx, path)
	if !errors.Is(err, testigo.ErrInvalid) {
		t.Errorf("open of a newer schema: %v, want an error wrapping ErrInvalid", err)
	}
	want := regexp.MustCompile(`database schema version \d+ is newer than this testigo \(knows \d+\)`)
	if err == nil || !want.MatchString(err.Error()) || !strings.Contains(err.Error(), path) {
		t.Errorf("open of a newer schema: %v, want the versions and the path in the message", err)
	}
}

func TestAuditEntriesAppendOnly(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "testigo.db")
	st := sqlitetest.MustOpen(t, path)
	e := &testigo.AuditEntry{IncidentID: 1, Actor: "ana", Action: testigo.ActionEdit, Reason: "typo"}
	if err := st.AddAuditEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	for _, q := range []string{
		`UPDATE audit_entries SET reason = 'rewritten'`,
		`DELETE FROM audit_entries`,
	} {
		if _, err := db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the append-only error", q, err)
		}
	}
	got, err := st.FindAuditEntries(ctx, 1)
	if err != nil || len(got) != 1 || got[0].Reason != "typo" {
		t.Errorf("audit trail after tampering attempts: %v, %v", got, err)
	}
}

func TestPragmas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "testigo.db")
	st := sqlitetest.MustOpen(t, path)
	if err := st.CreateIncident(t.Context(), &testigo.Incident{}); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := rawDB(t, path).QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal mode %q, want wal", mode)
	}
}

func TestOddFileNames(t *testing.T) {
	for _, name := range []string{"a?b.db", "c#d.db", "e%3f.db", "with space.db"} {
		path := filepath.Join(t.TempDir(), name)
		st := sqlitetest.MustOpen(t, path)
		if err := st.CreateIncident(t.Context(), &testigo.Incident{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s: database not at its path: %v", name, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("garbage!", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		path    string
		kind    error  // nil: any error
		message string // a part of the message besides the path
	}{
		{"under a file", filepath.Join(file, "testigo.db"), nil, "create directory"},
		{"a directory", dir, testigo.ErrInvalid, "is a directory"},
		{"not a database", garbage, nil, "not a database"},
		{"empty path", "", testigo.ErrInvalid, "empty path"},
	}
	if os.Geteuid() != 0 { // root may write anywhere
		ro := filepath.Join(dir, "read-only")
		if err := os.Mkdir(ro, 0o555); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, struct {
			name    string
			path    string
			kind    error
			message string
		}{"read-only directory", filepath.Join(ro, "testigo.db"), nil, "unable to open"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := sqlite.Open(t.Context(), c.path)
			if err == nil {
				st.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.message) {
				t.Errorf("Open: %v, want a message naming %q and saying %q", err, c.path, c.message)
			}
			if c.kind != nil && !errors.Is(err, c.kind) {
				t.Errorf("Open: %v, want an error wrapping %v", err, c.kind)
			}
		})
	}
}

func TestOpenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "testigo.db")); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a canceled context: %v, want context.Canceled", err)
	}
}

// TestConcurrentFirstOpen opens a new database from several stores at once,
// as processes started together on a fresh data directory do: every open
// succeeds and the schema is migrated once.
func TestConcurrentFirstOpen(t *testing.T) {
	for round := range 3 {
		path := filepath.Join(t.TempDir(), "r"+strconv.Itoa(round)+".db")
		const procs = 4
		errs := make(chan error, procs)
		start := make(chan struct{})
		for range procs {
			go func() {
				<-start
				st, err := sqlite.Open(t.Context(), path)
				if err == nil {
					err = st.Close()
				}
				errs <- err
			}()
		}
		close(start)
		for range procs {
			if err := <-errs; err != nil {
				t.Errorf("round %d: open by one of %d stores starting together: %v", round, procs, err)
			}
		}
	}
}
