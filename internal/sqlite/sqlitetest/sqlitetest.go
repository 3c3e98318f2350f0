// Package sqlitetest opens real SQLite stores for tests. It is a separate
// package so that the testing package is never linked into the testigo binary.
package sqlitetest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/testigo-project/testigo/internal/sqlite"
)

// MustOpen opens (creating and migrating) the SQLite database at path and
// closes it when the test ends. It fails the test if the database cannot be
// opened.
func MustOpen(tb testing.TB, path string, opts ...sqlite.Option) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(context.Background(), path, opts...)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("close test database: %v", err)
		}
	})
	return st
}

// MustOpenTemp opens a fresh database in a temporary directory of tb, which
// is removed when the test ends.
func MustOpenTemp(tb testing.TB, opts ...sqlite.Option) *sqlite.Store {
	tb.Helper()
	return MustOpen(tb, filepath.Join(tb.TempDir(), "testigo.db"), opts...)
}
