package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/pg"
	"github.com/testigo-project/testigo/internal/sqlite"
)

// sqliteFile is the name of the SQLite database inside a data directory.
const sqliteFile = "testigo.db"

// Every store openStore returns also keeps accounts, so callers may assert
// testigo.UserStore on it.
var (
	_ testigo.UserStore = (*pg.Store)(nil)
	_ testigo.UserStore = (*sqlite.Store)(nil)
)

// isPostgresDSN reports whether s names a PostgreSQL database: a
// postgres:// or postgresql:// URL. Anything else is a data directory.
func isPostgresDSN(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// openStore opens the store that dsnOrDir names and migrates it to the
// newest schema this binary knows: PostgreSQL for a postgres:// or
// postgresql:// DSN, otherwise the SQLite database testigo.db in the data
// directory dsnOrDir (created if needed). Both refuse a schema newer than
// the binary. A PostgreSQL server that cannot be reached gives a one-line
// error naming the host and the reason (a *pg.ConnectError). The store is a
// *pg.Store or a *sqlite.Store; both are testigo.UserStores too.
func openStore(ctx context.Context, dsnOrDir string, opts ...sqlite.Option) (testigo.Store, error) {
	if dsnOrDir == "" {
		return nil, usageErrorf("no database given: --db or --data must not be empty")
	}
	if isPostgresDSN(dsnOrDir) {
		st, err := pg.Open(ctx, dsnOrDir)
		if err != nil {
			var ce *pg.ConnectError
			if errors.As(err, &ce) {
				return nil, err // already one line with the host and the reason
			}
			return nil, fmt.Errorf("open PostgreSQL store: %w", err)
		}
		return st, nil
	}
	path := filepath.Join(dsnOrDir, sqliteFile)
	st, err := sqlite.Open(ctx, path, opts...)
	if err != nil {
		return nil, fmt.Errorf("open store in %s: %w", dsnOrDir, err)
	}
	return st, nil
}

// storeRetry is the schedule of openStoreRetrying: the first wait and the
// longest one; each wait doubles the previous one.
type storeRetry struct {
	first, max time.Duration
}

// defaultStoreRetry waits 1 s, 2 s, 4 s… up to 30 s between attempts.
var defaultStoreRetry = storeRetry{first: time.Second, max: 30 * time.Second}

// openStoreRetrying is openStore for long-running processes (serve,
// worker): while the PostgreSQL server cannot be reached it writes the
// one-line reason to warn and tries again with exponential backoff, until
// it connects or ctx ends. Every other error (a bad DSN, a schema newer than
// the binary, a SQLite failure) is returned at once.
func openStoreRetrying(ctx context.Context, dsnOrDir string, warn io.Writer, r storeRetry, opts ...sqlite.Option) (testigo.Store, error) {
	wait := r.first
	for {
		st, err := openStore(ctx, dsnOrDir, opts...)
		var ce *pg.ConnectError
		if err == nil || !errors.As(err, &ce) || !ce.Transient() {
			return st, err // only an unreachable server is worth waiting for
		}
		if ctx.Err() != nil {
			// The attempt was cut short by the end of ctx: there is no
			// retry to announce.
			return nil, fmt.Errorf("%w (gave up: %w)", err, context.Cause(ctx))
		}
		fmt.Fprintf(warn, "testigo: %v; retrying in %s\n", err, wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w (gave up: %w)", err, context.Cause(ctx))
		case <-t.C:
		}
		wait = min(2*wait, r.max)
	}
}

// dbFlag registers --db, a PostgreSQL DSN, with its default from
// TESTIGO_DB. Empty means the SQLite database in the data directory.
func dbFlag(fs *flag.FlagSet, env *environ) *string {
	return fs.String("db", env.getenv("TESTIGO_DB"),
		"PostgreSQL DSN (postgres://USER@HOST:PORT/DB?sslmode=…); empty: SQLite in the data directory (env TESTIGO_DB)")
}

// storeTarget chooses what openStore opens from the --db and --data flags:
// the DSN when one is given, the data directory otherwise. A --db value
// that is not a PostgreSQL DSN is a usage error.
func storeTarget(db, data string) (string, error) {
	if db == "" {
		return data, nil
	}
	if !isPostgresDSN(db) {
		return "", usageErrorf("--db %q is not a PostgreSQL DSN: want postgres://… or postgresql://… (for SQLite use --data DIR)", redactDSN(db))
	}
	return db, nil
}

// passwordParam matches a password given as a query or key=value parameter.
var passwordParam = regexp.MustCompile(`(?i)(password=)[^&\s]*`)

// redactDSN hides the passwords in a DSN-like string, for messages: the
// one in a URL's user information and password=… parameters.
func redactDSN(s string) string {
	s = passwordParam.ReplaceAllString(s, "${1}xxxxx")
	scheme := strings.Index(s, "://")
	if scheme < 0 {
		return s
	}
	authority := s[scheme+3:]
	if q := strings.IndexByte(authority, '?'); q >= 0 {
		authority = authority[:q]
	}
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return s
	}
	if user, _, ok := strings.Cut(authority[:at], ":"); ok {
		return s[:scheme+3] + user + ":xxxxx" + s[scheme+3+at:]
	}
	return s
}
