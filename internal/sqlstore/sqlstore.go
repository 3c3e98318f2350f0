// Package sqlstore holds the data methods of testigo's two SQL store
// backends, internal/sqlite and internal/pg, written once. Both reach their
// database through database/sql, bind $1…$N by number, store times as
// RFC 3339 text in UTC and return new IDs with INSERT … RETURNING id, so one
// SQL text serves both. What really differs between them is a Dialect
// value: how driver errors are classified and whether a lease locks the
// rows it claims.
//
// A backend embeds Store and keeps only what is its own: opening the
// database, migrations, transactions (with their locks), Close and the
// like. The Store it embeds runs every statement through one Querier: the
// database, SQLite's statement cache, or the transaction a Transact
// callback is bound to.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
)

// Querier is what runs the statements of a Store: *sql.DB, *sql.Tx, or a
// backend's wrapper around them (SQLite's statement cache).
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Dialect is what the shared statements need to know about the database
// behind them.
type Dialect struct {
	// MapErr classifies a driver error: sql.ErrNoRows and a foreign key
	// violation become errors wrapping testigo.ErrNotFound, a unique or
	// primary key violation one wrapping testigo.ErrConflict; other errors
	// are returned unchanged (or, where the database reports a collision
	// with a concurrent write, wrapped in ErrConflict). It returns nil for
	// nil.
	MapErr func(error) error
	// LeaseLock ends the subquery that picks the rows LeaseJobs and
	// LeaseAlertDeliveries claim. PostgreSQL needs "FOR UPDATE SKIP
	// LOCKED" there, so that concurrent claimers skip each other's rows;
	// SQLite, which serialises writers, needs nothing.
	LeaseLock string
}

// TransactFunc runs fn with a Store bound to one transaction of the
// backend, with every lock the backend's Transact takes, or in the current
// transaction when the Store is already bound to one. It commits if fn
// returns nil and rolls back otherwise.
type TransactFunc func(ctx context.Context, fn func(tx *Store) error) error

// Store implements every method of testigo.Store but Transact and Close
// (so testigo.LogStore and testigo.JobQueue too), testigo.UserStore and
// testigo.AlertStore, over a Querier. Its zero value is not usable; a
// backend makes one with New and embeds it.
type Store struct {
	q        Querier
	d        Dialect
	transact TransactFunc
}

var (
	_ testigo.LogStore   = (*Store)(nil)
	_ testigo.JobQueue   = (*Store)(nil)
	_ testigo.UserStore  = (*Store)(nil)
	_ testigo.AlertStore = (*Store)(nil)
)

// New returns a Store that runs its statements through q, in dialect d.
// transact is the backend's transaction, which AppendLogEntry uses to keep
// an append and its hashes together.
func New(q Querier, d Dialect, transact TransactFunc) Store {
	return Store{q: q, d: d, transact: transact}
}

// mapErr classifies err with the dialect's classifier.
func (s *Store) mapErr(err error) error { return s.d.MapErr(err) }

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

// unixNano stores a queue time (jobs, alert deliveries); the zero time is 0.
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

// queryAll runs query with args and returns every row as scan reads it.
// what names the query in errors, and a failing query's error is
// classified by the dialect.
func queryAll[T any](ctx context.Context, s *Store, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, s.mapErr(err))
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, closeRows(rows, what)
}

// InTx runs fn in a transaction of db: it begins one, runs first (if not
// nil; PostgreSQL takes its write lock there) and then fn, and commits if
// both return nil. It rolls back if either returns an error or panics (the
// panic goes on). mapErr classifies the driver's errors on begin, first and
// commit. The backends' Transact methods are built on it.
func InTx(ctx context.Context, db *sql.DB, mapErr func(error) error, first func(*sql.Tx) error, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", mapErr(err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback() // the panic is what matters; rollback only frees the lock
			panic(p)
		}
	}()
	if first != nil {
		if err := first(tx); err != nil {
			_ = tx.Rollback()
			return mapErr(err)
		}
	}
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", mapErr(err))
	}
	return nil
}
