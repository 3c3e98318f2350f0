package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/testigo-project/testigo/internal/sqlstore"
)

// stmtCache keeps one prepared statement per query text. Preparing is a
// large share of a small statement's cost in SQLite (parsing and planning
// each time), and the store runs the same few dozen queries over and over.
// database/sql re-prepares a cached statement on each pooled connection
// once, and binds it to a transaction with Tx.StmtContext.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxCached bounds the cache; queries beyond it run unprepared.
const maxCached = 512

var errNotCached = errors.New("statement cache full or closed")

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	if c.m == nil || len(c.m) >= maxCached {
		return nil, errNotCached
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// cachedQuerier runs queries through the cache, on the database or bound to
// a transaction. Queries that fail to prepare (e.g. a syntax the cache
// cannot hold) run unprepared, so errors are reported where they happen.
type cachedQuerier struct {
	cache *stmtCache
	tx    *sql.Tx          // nil outside transactions
	raw   sqlstore.Querier // the *sql.DB or *sql.Tx itself
}

func (q cachedQuerier) stmt(ctx context.Context, query string) *sql.Stmt {
	st, err := q.cache.get(ctx, query)
	if err != nil {
		return nil
	}
	if q.tx != nil {
		return q.tx.StmtContext(ctx, st)
	}
	return st
}

func (q cachedQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return q.raw.ExecContext(ctx, query, args...)
}

func (q cachedQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return q.raw.QueryContext(ctx, query, args...)
}

func (q cachedQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return q.raw.QueryRowContext(ctx, query, args...)
}
