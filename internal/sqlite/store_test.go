package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) testigo.Store {
		st, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "test.db"))
		if err != nil {
			tb.Fatal(err)
		}
		return st
	})
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "testigo.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	d := &testigo.Document{SHA256: testigo.DigestOf([]byte("x")), Text: "x", Size: 1}
	if err := st.CreateDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.FindDocumentByDigest(ctx, d.SHA256); err != nil {
		t.Errorf("document lost on reopen: %v", err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "testigo.db")
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (99, 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = sqlite.Open(ctx, path)
	if !errors.Is(err, testigo.ErrInvalid) || !strings.Contains(err.Error(), "schema version 99 is newer") {
		t.Errorf("open of a newer schema: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(context.Background(), filepath.Join(file, "testigo.db")); err == nil ||
		!strings.Contains(err.Error(), file) {
		t.Errorf("open under a file: %v, want an error naming the path", err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("garbage!", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(context.Background(), garbage); err == nil || !strings.Contains(err.Error(), garbage) {
		t.Errorf("open of a non-database file: %v, want an error naming the path", err)
	}
}
