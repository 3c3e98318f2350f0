// Package sqlite implements testigo.Store on an embedded SQLite database
// (modernc.org/sqlite, pure Go) with versioned migrations embedded in the
// binary. It only reads and writes: validation and derived fields live in the
// root package and the step packages.
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

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store is a testigo.Store on SQLite. A Store returned by Open owns the
// database; the Store handed to a Transact callback is bound to one
// transaction.
type Store struct {
	sqlstore.Store // the data methods, run through q

	db    *sql.DB
	q     querier
	tx    *sql.Tx // non-nil inside Transact
	cache *stmtCache
}

var (
	_ testigo.Store     = (*Store)(nil)
	_ testigo.UserStore = (*Store)(nil)
)

// newStore returns a Store on db whose statements run through q, bound to
// tx when that is not nil.
func newStore(db *sql.DB, q querier, tx *sql.Tx, cache *stmtCache) *Store {
	s := &Store{db: db, q: q, tx: tx, cache: cache}
	s.Store = sqlstore.New(q, sqlstore.Dialect{MapErr: mapErr}, s.transact)
	return s
}

// dsn returns the connection string for path with every pragma in it, so
// that each pooled connection gets them (a PRAGMA run with Exec reaches only
// one pooled connection). The path is escaped so that "?", "#" and "%" in a
// file name stay part of the name in the file: URI.
func dsn(path string) string {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "foreign_keys(1)")
	v.Set("_txlock", "immediate")
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + esc + "?" + v.Encode()
}

// Open opens the database at path, creating it and its directory if needed,
// and migrates it to the newest schema this binary knows. It refuses, with an
// error wrapping testigo.ErrInvalid, a database whose schema is newer.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("%w: open database: empty path", testigo.ErrInvalid)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open database %s: create directory: %w", path, err)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%w: open database %s: is a directory", testigo.ErrInvalid, path)
	}
	db, err := sql.Open("sqlite", dsn(path))
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
	return newStore(db, cachedQuerier{cache: cache, raw: db}, nil, cache), nil
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
func (s *Store) Transact(ctx context.Context, fn func(tx testigo.Store) error) (err error) {
	if s.tx != nil {
		return fn(s)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", mapErr(err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback() // the panic is what matters; rollback only frees the lock
			panic(p)
		}
	}()
	if err := fn(newStore(s.db, cachedQuerier{cache: s.cache, tx: tx, raw: tx}, tx, s.cache)); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", mapErr(err))
	}
	return nil
}

// transact is Transact for the shared data methods.
func (s *Store) transact(ctx context.Context, fn func(tx *sqlstore.Store) error) error {
	return s.Transact(ctx, func(tx testigo.Store) error { return fn(&tx.(*Store).Store) })
}

// mapErr classifies driver errors by their SQLite result code: no row is
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

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// Times are stored as RFC 3339 text in UTC; the zero time as "".
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

// nowUTC is the store's clock for created and updated stamps. UTC drops the
// monotonic reading, and RFC 3339 text keeps every nanosecond, so a stamp
// round-trips exactly.
func nowUTC() time.Time { return time.Now().UTC() }

// unixNano stores a queue time; the zero time is 0.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func nullInt(r *testigo.Range, max bool) sql.NullInt64 {
	if r == nil {
		return sql.NullInt64{}
	}
	if max {
		return sql.NullInt64{Int64: int64(r.Max), Valid: true}
	}
	return sql.NullInt64{Int64: int64(r.Min), Valid: true}
}

func toRange(lo, hi sql.NullInt64) *testigo.Range {
	if !lo.Valid || !hi.Valid {
		return nil
	}
	return &testigo.Range{Min: int(lo.Int64), Max: int(hi.Int64)}
}

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

func toFloat(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	v := f.Float64
	return &v
}

func closeRows(rows *sql.Rows, what string) error {
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// wantOneRow maps an UPDATE or DELETE that touched no row to ErrNotFound.
func wantOneRow(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, testigo.ErrNotFound)
	}
	return nil
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
