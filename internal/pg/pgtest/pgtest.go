// Package pgtest opens real PostgreSQL stores for tests, each in a fresh
// schema of the server that TESTIGO_TEST_POSTGRES names, so that tests can
// run in parallel on one database. It is a separate package so that the
// testing package is never linked into the testigo binary.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/testigo-project/testigo/internal/pg"
)

// EnvDSN is the environment variable holding the DSN of the test server.
const EnvDSN = "TESTIGO_TEST_POSTGRES"

// DSN returns the test server's DSN from the environment, or skips tb with
// a message saying how to run the PostgreSQL tests.
func DSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		tb.Skipf("%s is not set: skipping the PostgreSQL tests (set it to a DSN such as "+
			"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable to run them)", EnvDSN)
	}
	return dsn
}

// NewSchema creates a schema with a random name on the test server, drops
// it (and everything in it) when the test ends, and returns a DSN whose
// connections use it. It skips tb when TESTIGO_TEST_POSTGRES is not set.
func NewSchema(tb testing.TB) string {
	tb.Helper()
	base := DSN(tb)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open the PostgreSQL test server: %v", err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		tb.Fatalf("create test schema on %s: %v", EnvDSN, err)
	}
	tb.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	dsn, err := WithSearchPath(base, schema)
	if err != nil {
		tb.Fatal(err)
	}
	return dsn
}

// WithSearchPath returns dsn with its search_path set to schema, in either
// DSN form: a postgres:// URL or key=value pairs.
func WithSearchPath(dsn, schema string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return dsn + " search_path=" + schema, nil
}

// MustOpen opens a store in a fresh schema (see NewSchema) and closes it
// when the test ends. It skips tb when TESTIGO_TEST_POSTGRES is not set.
func MustOpen(tb testing.TB) *pg.Store {
	tb.Helper()
	dsn := NewSchema(tb)
	st, err := pg.Open(context.Background(), dsn)
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
