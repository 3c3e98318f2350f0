// Package sqlite implements testigo.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go) with versioned migrations embedded in the
// binary. It only reads and writes: validation and derived fields live in the
// root package and the step packages. Its data methods are those of
// internal/sqlstore, shared with internal/pg; this package holds what is
// SQLite's own: opening the file, migrations, immediate transactions run
// through a statement cache, Snapshot and the classification of SQLite
// result codes.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a testigo.Store on SQLite. A Store returned by Open owns the
// database; the Store handed to a Transact callback is bound to one
// transaction.
type Store struct {
	sqlstore.Store // the data methods, run through the statement cache

	db    *sql.DB
	tx    *sql.Tx // non-nil inside Transact
	cache *stmtCache
}

var (
	_ testigo.Store      = (*Store)(nil)
	_ testigo.UserStore  = (*Store)(nil)
	_ testigo.AlertStore = (*Store)(nil)
)

// newStore returns a Store on db whose statements run through the
// statement cache, bound to tx when that is not nil.
func newStore(db *sql.DB, tx *sql.Tx, cache *stmtCache) *Store {
	q := cachedQuerier{cache: cache, raw: db}
	if tx != nil {
		q = cachedQuerier{cache: cache, tx: tx, raw: tx}
	}
	s := &Store{db: db, tx: tx, cache: cache}
	s.Store = sqlstore.New(q, sqlstore.Dialect{MapErr: mapErr}, s.transact)
	return s
}

// dsn returns the connection string for path with every pragma in it, so
// that each pooled connection gets them (a PRAGMA run with Exec reaches only
// one pooled connection). The path is escaped so that "?", "#" and "%" in a
// file name stay part of the name in the file: URI.
func dsn(path string, o options) string {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "foreign_keys(1)")
	// A 32 MB page cache per connection.
	v.Add("_pragma", "cache_size(-32768)")
	if o.mmap > 0 {
		v.Add("_pragma", fmt.Sprintf("mmap_size(%d)", o.mmap))
	}
	v.Set("_txlock", "immediate")
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + esc + "?" + v.Encode()
}

// Option adjusts how Open opens a database.
type Option func(*options)

type options struct {
	mmap int64 // bytes of the file read through a memory map; 0 for none
}

// MemoryMapped makes every connection read up to n bytes of the database
// through a memory map instead of a read system call per page. That makes
// long read-mostly scans (exports, site builds) about 40% faster, but a
// process that keeps writing a growing database (watching, serving) runs
// slower with it, so only read-mostly commands ask for it.
func MemoryMapped(n int64) Option { return func(o *options) { o.mmap = n } }

// Open opens the database at path, creating it and its directory if needed,
// and migrates it to the newest schema this binary knows. It refuses, with an
// error wrapping testigo.ErrInvalid, a database whose schema is newer.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		return nil, fmt.Errorf("%w: open database: empty path", testigo.ErrInvalid)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open database %s: create directory: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%w: open database %s: is a directory", testigo.ErrInvalid, path)
	}
	db, err := sql.Open("sqlite", dsn(path, o))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// The first connection to a new database switches it to WAL, which needs
	// the file to itself: processes starting together may see SQLITE_BUSY
	// there before the busy timeout applies, so try a few times.
	for attempt := 0; ; attempt++ {
		err := db.PingContext(ctx)
		if err == nil {
			break
		}
		if attempt >= 20 || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			db.Close()
			return nil, fmt.Errorf("open database %s: %w", path, err)
		}
		time.Sleep(time.Duration(20*(attempt+1)) * time.Millisecond)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	cache := newStmtCache(db)
	return newStore(db, nil, cache), nil
}

// migrate brings the schema up to date, refusing a schema newer than the
// migrations embedded in this binary.
func migrate(ctx context.Context, db *sql.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	srcs := p.ListSources()
	known := srcs[len(srcs)-1].Version
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > known {
		return fmt.Errorf("%w: database schema version %d is newer than this testigo (knows %d); upgrade testigo",
			testigo.ErrInvalid, current, known)
	}
	// Two processes opening a new data directory at once both migrate; the
	// loser's statements fail ("table … already exists") while the winner's
	// commit. goose has no lock for SQLite, so a failed run is retried, and
	// a schema that another process has meanwhile brought up to date is
	// fine.
	var err2 error
	for attempt := range 5 {
		if _, err2 = p.Up(ctx); err2 == nil {
			return nil
		}
		if v, verr := p.GetDBVersion(ctx); verr == nil && v == known {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("migrate schema: %w", ctx.Err())
		case <-time.After(time.Duration(50*(attempt+1)) * time.Millisecond):
		}
	}
	return fmt.Errorf("migrate schema: %w", err2)
}

// Close closes the database. Closing a transaction-bound Store does nothing.
func (s *Store) Close() error {
	if s.tx != nil {
		return nil
	}
	s.cache.close()
	return s.db.Close()
}

// Transact runs fn in one immediate transaction, which takes the write lock
// at its start so that concurrent writers queue (up to the busy timeout)
// instead of failing. It commits if fn returns nil and rolls back if fn
// returns an error or panics. Transact on a Store bound to a transaction
// just runs fn in that transaction.
func (s *Store) Transact(ctx context.Context, fn func(tx testigo.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	return sqlstore.InTx(ctx, s.db, mapErr, nil, func(tx *sql.Tx) error {
		return fn(newStore(s.db, tx, s.cache))
	})
}

// transact is Transact for the shared data methods.
func (s *Store) transact(ctx context.Context, fn func(tx *sqlstore.Store) error) error {
	return s.Transact(ctx, func(tx testigo.Store) error { return fn(&tx.(*Store).Store) })
}

// mapErr, the dialect's MapErr, classifies driver errors by their SQLite
// result code: no row is
// ErrNotFound, a unique or primary key violation ErrConflict and a foreign
// key violation ErrNotFound (a referenced row is missing). Other errors are
// returned unchanged.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return testigo.ErrNotFound
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("%w: %v", testigo.ErrConflict, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return fmt.Errorf("%w: a referenced row does not exist: %v", testigo.ErrNotFound, err)
	}
	return err
}

// Snapshot writes a consistent copy of the whole database to path (which
// must not exist) with VACUUM INTO, while other connections go on reading
// and writing.
func (s *Store) Snapshot(ctx context.Context, path string) error {
	if s.tx != nil {
		return errors.New("snapshot: not inside a transaction")
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		return fmt.Errorf("snapshot database to %s: %w", path, err)
	}
	return nil
}
