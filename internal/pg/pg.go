// Package pg implements testigo.Store and testigo.UserStore on PostgreSQL
// (github.com/jackc/pgx/v5 through database/sql), for deployments where
// several worker processes share one database. Its data methods are those of
// internal/sqlstore, which internal/sqlite shares statement for statement:
// the same SQL text, the same RFC 3339 text for times (so that every
// nanosecond round-trips). This package holds what is PostgreSQL's own:
// connecting, versioned migrations embedded in the binary, the write lock of
// Transact and the classification of SQLSTATE codes.
//
// Concurrency. Every Transact takes one transaction-scoped advisory lock
// before its first statement, so write transactions are serialised across
// all processes on the database, exactly as SQLite's immediate transactions
// serialise them on one file. That is what makes the transparency log and
// incident clustering safe with several writers; see Transact. Statements
// outside Transact (job leases, source state, single inserts) run
// concurrently, and LeaseJobs uses FOR UPDATE SKIP LOCKED (the LeaseLock
// of the dialect this package gives internal/sqlstore).
package pg

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a testigo.Store on PostgreSQL. A Store returned by Open owns the
// connection pool; the Store handed to a Transact callback is bound to one
// transaction.
type Store struct {
	sqlstore.Store // the data methods, run on db or, inside Transact, on tx

	db     *sql.DB
	tx     *sql.Tx // non-nil inside Transact
	name   string  // host:port/database, for messages; never the password
	schema string  // the schema the tables are in (the first on the search_path)
	lock   int32   // second key of the write lock: a hash of the schema
}

var (
	_ testigo.Store      = (*Store)(nil)
	_ testigo.UserStore  = (*Store)(nil)
	_ testigo.AlertStore = (*Store)(nil)
)

// newStore returns a Store on db, bound to tx when that is not nil.
func newStore(db *sql.DB, tx *sql.Tx, name, schema string, lock int32) *Store {
	s := &Store{db: db, tx: tx, name: name, schema: schema, lock: lock}
	var q sqlstore.Querier = db
	if tx != nil {
		q = tx
	}
	s.Store = sqlstore.New(q, sqlstore.Dialect{MapErr: mapErr, LeaseLock: "FOR UPDATE SKIP LOCKED"}, s.transact)
	return s
}

// writeLockClass is the first key of the advisory lock every Transact
// takes ("tstg" in ASCII). The second key is a hash of the schema name, so
// that deployments (and tests) in different schemas of one database do not
// serialise each other.
const writeLockClass int32 = 0x74737467

// idleParam is the server setting that ends a session which has sat idle
// inside a transaction for too long. A process that stops answering while
// it holds the write lock (stopped, or cut off by the network, whose TCP
// connection the server may otherwise keep for hours) would block every
// writer; with the setting the server rolls its transaction back and frees
// the lock after defaultIdleInTx. Transact bodies only run statements, so
// a healthy transaction is never idle that long. A DSN may set its own
// value (0 turns it off).
const (
	idleParam       = "idle_in_transaction_session_timeout"
	defaultIdleInTx = "60s"
)

// Open connects to the PostgreSQL database that dsn names (a postgres://
// URL or key=value string; a search_path parameter selects the schema),
// and migrates it to the newest schema this binary knows. It refuses, with
// an error wrapping testigo.ErrInvalid, a database whose schema is newer, or
// a DSN that does not parse. A server that cannot be reached gives a
// one-line error naming the host and the reason.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: PostgreSQL DSN: %v", testigo.ErrInvalid, oneLine(err))
	}
	if _, ok := cfg.RuntimeParams[idleParam]; !ok {
		cfg.RuntimeParams[idleParam] = defaultIdleInTx
	}
	name := fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
	if strings.HasPrefix(cfg.Host, "/") {
		name = fmt.Sprintf("%s/%s", cfg.Host, cfg.Database) // a Unix socket directory
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, connectError(name, err)
	}
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(current_schema(), '')`).Scan(&schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	if schema == "" {
		var path string
		_ = db.QueryRowContext(ctx, `SHOW search_path`).Scan(&path) // only for the message
		db.Close()
		return nil, fmt.Errorf("%w: open database %s: no schema on the search_path (%s) exists; create it first",
			testigo.ErrInvalid, name, path)
	}
	if err := migrate(ctx, db, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	h := fnv.New32a()
	h.Write([]byte(schema))
	return newStore(db, nil, name, schema, int32(h.Sum32())), nil
}

// ConnectError is returned by Open when the server cannot be reached or
// refuses the connection. Its message is one line naming the server and the
// reason, without the stack of wrapped driver messages; Unwrap gives the
// driver's error.
type ConnectError struct {
	Server string // host:port/database
	Reason string // e.g. "connection refused", "password authentication failed for user \"x\""
	Err    error
}

func (e *ConnectError) Error() string {
	return fmt.Sprintf("connect to PostgreSQL at %s: %s", e.Server, e.Reason)
}

func (e *ConnectError) Unwrap() error { return e.Err }

// Transient reports whether trying again later may succeed: true when the
// server could not be reached, timed out, is starting or shutting down, or
// has no connection slot free; false when it answered and refused (a wrong
// password, an unknown user or database), which waiting does not change.
func (e *ConnectError) Transient() bool {
	var pe *pgconn.PgError
	if !errors.As(e.Err, &pe) {
		return true
	}
	switch {
	case strings.HasPrefix(pe.Code, "28"), // invalid authorization
		pe.Code == "3D000", // invalid catalog name: no such database
		pe.Code == "42501": // insufficient privilege
		return false
	}
	return true
}

// connectError turns a failed first connection into a ConnectError, or
// returns a context error as it is.
func connectError(server string, err error) error {
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("connect to PostgreSQL at %s: %w", server, context.Canceled)
	}
	return &ConnectError{Server: server, Reason: connectReason(err), Err: err}
}

// connectReason finds the most telling part of a connection error: what the
// server said, the resolver's or the operating system's error, or a
// timeout; failing those, the innermost error.
func connectReason(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return fmt.Sprintf("cannot resolve %s: %s", dns.Name, dns.Err)
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return "timed out"
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			break
		}
		err = next
	}
	return oneLine(err)
}

// oneLine joins a multi-line error message into one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// Server returns the host, port and database the store is connected to.
func (s *Store) Server() string { return s.name }

// migrationProvider returns the goose provider of the embedded migrations
// for the given schema. Goose holds a session advisory lock while it reads
// the version table or migrates, keyed by the schema (so schemas migrate
// independently) and polled every second for up to five minutes, so that
// processes starting together on an empty schema apply each migration once
// instead of racing to create the same tables.
func migrationProvider(db *sql.DB, schema string) (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	h := fnv.New64a()
	h.Write([]byte("testigo migrate " + schema))
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64())), lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return p, nil
}

// migrate brings the schema up to date, refusing a schema newer than the
// migrations embedded in this binary.
func migrate(ctx context.Context, db *sql.DB, schema string) error {
	p, err := migrationProvider(db, schema)
	if err != nil {
		return err
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
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate schema: %w", err)
	}
	return nil
}

// SchemaVersion returns the version of the newest migration applied to the
// database.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	p, err := migrationProvider(s.db, s.schema)
	if err != nil {
		return 0, err
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", s.name, err)
	}
	return v, nil
}

// Close closes the connection pool. Closing a transaction-bound Store does
// nothing, and closing twice is harmless.
func (s *Store) Close() error {
	if s.tx != nil {
		return nil
	}
	return s.db.Close()
}

// Transact runs fn in one transaction (READ COMMITTED) that first takes a
// transaction-scoped advisory lock, the write lock. It commits if fn returns
// nil and rolls back if fn returns an error or panics; either way the lock
// is released with the transaction. Transact on a Store bound to a
// transaction just runs fn in that transaction.
//
// Why one lock for the whole transaction. The transparency log is a chain:
// translog.AppendAll reads LogSize and the stored tree hashes, computes the
// new hashes and appends at index LogSize. Two transactions that read the
// same size would build two different trees, and only one could commit
// (the other fails on the primary key of log_entries). Clustering is the
// same shape: jobs.AttachReport reads the candidate incidents and then
// creates an incident or attaches to one, so two concurrent transactions
// that both see no candidate would create two incidents for one event.
// Under READ COMMITTED each statement sees everything committed before it
// started, so holding the lock from before the first read until commit
// makes every such read-decide-write sequence see the final state of the
// previous writer: the tree is identical whichever process appends, and a
// second report of an event finds the first report's incident. Taking the
// lock at the start, before any row lock, also means a transaction never
// waits for the lock while holding rows another lock holder needs, so the
// lock cannot take part in a deadlock. The price is that write
// transactions do not overlap, which is what SQLite does anyway; fetching
// and extraction, the slow parts of ingest, run outside Transact and stay
// parallel across workers.
func (s *Store) Transact(ctx context.Context, fn func(tx testigo.Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	lock := func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, writeLockClass, s.lock); err != nil {
			return fmt.Errorf("take the write lock: %w", err)
		}
		return nil
	}
	return sqlstore.InTx(ctx, s.db, mapErr, lock, func(tx *sql.Tx) error {
		return fn(newStore(s.db, tx, s.name, s.schema, s.lock))
	})
}

// transact is Transact for the shared data methods.
func (s *Store) transact(ctx context.Context, fn func(tx *sqlstore.Store) error) error {
	return s.Transact(ctx, func(tx testigo.Store) error { return fn(&tx.(*Store).Store) })
}

// PostgreSQL error codes the store classifies.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeSerialization       = "40001"
	codeDeadlock            = "40P01"
)

// mapErr, the dialect's MapErr, classifies driver errors by their SQLSTATE
// code: no row is ErrNotFound, a unique or
// primary key violation ErrConflict, a foreign key violation ErrNotFound
// (a referenced row is missing), and a serialisation failure or a deadlock
// the server broke ErrConflict (the write collided with a concurrent one
// and may be retried). Other errors are returned unchanged.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return testigo.ErrNotFound
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case codeUniqueViolation, codeSerialization, codeDeadlock:
		return fmt.Errorf("%w: %v", testigo.ErrConflict, err)
	case codeForeignKeyViolation:
		return fmt.Errorf("%w: a referenced row does not exist: %v", testigo.ErrNotFound, err)
	}
	return err
}
