package sqlstore

import (
	"context"
	"fmt"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlq"
)

// LogSize returns the number of log entries.
func (s *Store) LogSize(ctx context.Context) (int64, error) {
	var n int64
	if err := s.q.QueryRowContext(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries`).Scan(&n); err != nil {
		return 0, fmt.Errorf("log size: %w", err)
	}
	return n, nil
}

// ReadLogHashes returns the stored tree hashes at the given indexes, in
// their order. It returns an error wrapping ErrNotFound if one is missing.
func (s *Store) ReadLogHashes(ctx context.Context, indexes []int64) ([][32]byte, error) {
	out := make([][32]byte, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	pos := map[int64][]int{}
	var distinct []int64
	for i, idx := range indexes {
		if _, ok := pos[idx]; !ok {
			distinct = append(distinct, idx)
		}
		pos[idx] = append(pos[idx], i)
	}
	args, list := sqlq.In(nil, distinct)
	rows, err := s.q.QueryContext(ctx, `SELECT idx, hash FROM log_hashes WHERE idx IN `+list, args...)
	if err != nil {
		return nil, fmt.Errorf("read log hashes: %w", err)
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var (
			idx int64
			h   []byte
		)
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, fmt.Errorf("read log hashes: %w", err)
		}
		if len(h) != 32 {
			return nil, fmt.Errorf("read log hashes: stored hash %d has %d bytes", idx, len(h))
		}
		for _, i := range pos[idx] {
			copy(out[i][:], h)
		}
		found++
	}
	if err := closeRows(rows, "read log hashes"); err != nil {
		return nil, err
	}
	if found != len(pos) {
		return nil, fmt.Errorf("read log hashes: %d of %d missing: %w", len(pos)-found, len(pos), testigo.ErrNotFound)
	}
	return out, nil
}

// AppendLogEntry stores e and the tree hashes its append adds, in one
// transaction (its own unless the store is bound to one). An e.Index other
// than the log size, or a hash index already stored, gives an error wrapping
// ErrConflict.
//
// Serialisation across processes: this method always runs in a transaction
// of the backend (the TransactFunc given to New), and every such
// transaction holds the write lock from before its first statement until it
// ends: on PostgreSQL the transaction-scoped advisory lock that pg.Store's
// Transact takes (pg_advisory_xact_lock), on SQLite the file's write lock,
// which an immediate transaction takes at its start. So the LogSize read by
// the caller (translog.AppendAll reads it, and the stored hashes, before
// calling here), the check below and the inserts all happen while no other
// process can append, and each append extends the tree that the previous
// committed append left: the tree is the same whichever process writes.
func (s *Store) AppendLogEntry(ctx context.Context, e *testigo.LogEntry, hashStart int64, hashes [][32]byte) error {
	return s.transact(ctx, func(t *Store) error {
		n, err := t.LogSize(ctx)
		if err != nil {
			return err
		}
		if e.Index != n {
			return fmt.Errorf("%w: log entry index %d, but the log has %d entries", testigo.ErrConflict, e.Index, n)
		}
		if e.CreatedAt.IsZero() {
			e.CreatedAt = nowUTC()
		}
		if _, err := t.q.ExecContext(ctx, `INSERT INTO log_entries (idx, kind, subject, salt, content, commitment, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.Index, e.Kind, e.Subject, e.Salt, e.Content, e.Commitment[:],
			fmtTime(e.CreatedAt)); err != nil {
			return fmt.Errorf("append log entry %d: %w", e.Index, s.mapErr(err))
		}
		for i, h := range hashes {
			if _, err := t.q.ExecContext(ctx, `INSERT INTO log_hashes (idx, hash) VALUES ($1, $2)`, hashStart+int64(i), h[:]); err != nil {
				return fmt.Errorf("append log entry %d: hash %d: %w", e.Index, hashStart+int64(i), s.mapErr(err))
			}
		}
		e.CreatedAt = e.CreatedAt.UTC()
		return nil
	})
}

const logCols = `idx, kind, subject, salt, content, commitment, created_at`

func (s *Store) queryLog(ctx context.Context, q string, args ...any) ([]*testigo.LogEntry, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+logCols+` FROM log_entries WHERE `+q+` ORDER BY idx`, args...)
	if err != nil {
		return nil, fmt.Errorf("find log entries: %w", err)
	}
	defer rows.Close()
	var out []*testigo.LogEntry
	for rows.Next() {
		var (
			e       testigo.LogEntry
			commit  []byte
			created string
		)
		if err := rows.Scan(&e.Index, &e.Kind, &e.Subject, &e.Salt, &e.Content, &commit, &created); err != nil {
			return nil, fmt.Errorf("find log entries: %w", err)
		}
		if len(commit) != 32 {
			return nil, fmt.Errorf("log entry %d: commitment has %d bytes", e.Index, len(commit))
		}
		copy(e.Commitment[:], commit)
		if e.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, closeRows(rows, "find log entries")
}

// FindLogEntries returns entries with from <= Index < to.
func (s *Store) FindLogEntries(ctx context.Context, from, to int64) ([]*testigo.LogEntry, error) {
	return s.queryLog(ctx, `idx >= $1 AND idx < $2`, from, to)
}

// FindLogEntriesBySubject returns the entries about subject.
func (s *Store) FindLogEntriesBySubject(ctx context.Context, subject string) ([]*testigo.LogEntry, error) {
	return s.queryLog(ctx, `subject = $1`, subject)
}

// LatestLogEntries returns the newest entry of kind about each of subjects
// that has one, keyed by subject, with one query (subject index).
func (s *Store) LatestLogEntries(ctx context.Context, kind testigo.LogKind, subjects []string) (map[string]*testigo.LogEntry, error) {
	out := make(map[string]*testigo.LogEntry, len(subjects))
	if len(subjects) == 0 {
		return out, nil
	}
	args, list := sqlq.In([]any{string(kind)}, subjects)
	es, err := s.queryLog(ctx, `idx IN (SELECT MAX(idx) FROM log_entries WHERE kind = $1 AND subject IN `+
		list+` GROUP BY subject)`, args...)
	if err != nil {
		return nil, fmt.Errorf("latest %s log entries: %w", kind, err)
	}
	for _, e := range es {
		out[e.Subject] = e
	}
	return out, nil
}

// RedactLogEntry deletes an entry's salt and content, keeping its
// commitment. It returns an error wrapping ErrNotFound for a missing entry.
func (s *Store) RedactLogEntry(ctx context.Context, index int64) error {
	res, err := s.q.ExecContext(ctx, `UPDATE log_entries SET salt = NULL, content = NULL WHERE idx = $1`, index)
	if err != nil {
		return fmt.Errorf("redact log entry %d: %w", index, err)
	}
	return wantOneRow(res, fmt.Sprintf("redact log entry %d", index))
}

// AddCheckpoint stores c, setting its CreatedAt when zero. A second
// checkpoint of the same size gives an error wrapping ErrConflict.
func (s *Store) AddCheckpoint(ctx context.Context, c *testigo.Checkpoint) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = nowUTC()
	}
	if _, err := s.q.ExecContext(ctx, `INSERT INTO checkpoints (size, root, note, created_at, timestamp) VALUES ($1, $2, $3, $4, $5)`,
		c.Size, c.Root[:], c.Note, fmtTime(c.CreatedAt), c.Timestamp); err != nil {
		return fmt.Errorf("add checkpoint of size %d: %w", c.Size, s.mapErr(err))
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return nil
}

// SetCheckpointTimestamp stores the RFC 3161 token of the checkpoint of the
// given size.
func (s *Store) SetCheckpointTimestamp(ctx context.Context, size int64, token []byte) error {
	res, err := s.q.ExecContext(ctx, `UPDATE checkpoints SET timestamp = $1 WHERE size = $2`, token, size)
	if err != nil {
		return fmt.Errorf("timestamp checkpoint of size %d: %w", size, s.mapErr(err))
	}
	return wantOneRow(res, fmt.Sprintf("timestamp checkpoint of size %d", size))
}

// FindCheckpoints returns every checkpoint, smallest first.
func (s *Store) FindCheckpoints(ctx context.Context) ([]*testigo.Checkpoint, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT size, root, note, created_at, timestamp FROM checkpoints ORDER BY size`)
	if err != nil {
		return nil, fmt.Errorf("find checkpoints: %w", err)
	}
	defer rows.Close()
	var out []*testigo.Checkpoint
	for rows.Next() {
		var (
			c       testigo.Checkpoint
			root    []byte
			created string
		)
		if err := rows.Scan(&c.Size, &root, &c.Note, &created, &c.Timestamp); err != nil {
			return nil, fmt.Errorf("find checkpoints: %w", err)
		}
		copy(c.Root[:], root)
		if c.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	return out, closeRows(rows, "find checkpoints")
}
