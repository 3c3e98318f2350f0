package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlq"
)

// EnqueueJob stores j unless a job with its key exists.
func (s *Store) EnqueueJob(ctx context.Context, j *testigo.Job) (bool, error) {
	if j.CreatedAt.IsZero() {
		j.CreatedAt = nowUTC()
	}
	// A key that exists gives no row back.
	var id testigo.JobID
	err := s.q.QueryRowContext(ctx, `INSERT INTO jobs (kind, key, payload, run_at, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING RETURNING id`,
		j.Kind, j.Key, j.Payload, unixNano(j.RunAt), fmtTime(j.CreatedAt)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("enqueue job %s: %w", j.Key, s.mapErr(err))
	}
	j.ID = id
	j.CreatedAt = j.CreatedAt.UTC()
	return true, nil
}

const jobCols = `id, kind, key, payload, run_at, attempts, lease_owner, lease_until, last_error, created_at`

func (s *Store) scanJob(sc scanner) (*testigo.Job, error) {
	var (
		j                 testigo.Job
		runAt, leaseUntil int64
		created           string
	)
	if err := sc.Scan(&j.ID, &j.Kind, &j.Key, &j.Payload, &runAt, &j.Attempts, &j.LeaseOwner, &leaseUntil,
		&j.LastError, &created); err != nil {
		return nil, s.mapErr(err)
	}
	j.RunAt, j.LeaseUntil = fromUnixNano(runAt), fromUnixNano(leaseUntil)
	t, err := parseTime(created)
	if err != nil {
		return nil, err
	}
	j.CreatedAt = t
	return &j, nil
}

// LeaseJobs claims up to n due jobs of the given kinds, earliest first. The
// claim is one UPDATE … RETURNING whose subquery picks the rows, so two
// callers never receive the same job:
//
//   - On PostgreSQL the subquery ends with the dialect's LeaseLock, FOR
//     UPDATE SKIP LOCKED, which locks the chosen rows: a row another caller
//     is claiming at that moment is skipped rather than waited for, and a
//     row it has just claimed no longer matches when the lock is taken
//     (READ COMMITTED re-checks the condition on the newest version of a
//     locked row), so callers also never block each other.
//   - SQLite serialises writers, so the UPDATE runs alone and needs no
//     lock clause.
func (s *Store) LeaseJobs(ctx context.Context, owner string, kinds []testigo.JobKind, now time.Time,
	lease time.Duration, n int) ([]*testigo.Job, error) {
	if len(kinds) == 0 || n <= 0 {
		return nil, nil
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	args, list := sqlq.In([]any{owner, unixNano(now.Add(lease)), unixNano(now), n}, names)
	out, err := queryAll(ctx, s, "lease jobs", s.scanJob, `UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
		WHERE id IN (SELECT id FROM jobs WHERE run_at <= $3 AND lease_until <= $3 AND kind IN `+
		list+` ORDER BY run_at, id LIMIT $4 `+s.d.LeaseLock+`)
		RETURNING `+jobCols, args...)
	if err != nil {
		return nil, err
	}
	// RETURNING gives rows in no particular order.
	slices.SortFunc(out, func(a, b *testigo.Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out, nil
}

// FinishJob ends owner's lease on job id, deleting the job (zero next) or
// making it due again at next.
func (s *Store) FinishJob(ctx context.Context, id testigo.JobID, owner string, next time.Time) error {
	var (
		res sql.Result
		err error
	)
	if next.IsZero() {
		res, err = s.q.ExecContext(ctx, `DELETE FROM jobs WHERE id = $1 AND lease_owner = $2`, id, owner)
	} else {
		res, err = s.q.ExecContext(ctx, `UPDATE jobs SET run_at = $1, attempts = 0, last_error = '',
			lease_owner = '', lease_until = 0 WHERE id = $2 AND lease_owner = $3`, unixNano(next), id, owner)
	}
	if err != nil {
		return fmt.Errorf("finish job %d: %w", id, s.mapErr(err))
	}
	return s.leaseHeld(ctx, res, "jobs", "job", int64(id), owner, "finish")
}

// FailJob ends owner's lease on job id, records msg and makes the job due
// again at retry.
func (s *Store) FailJob(ctx context.Context, id testigo.JobID, owner string, retry time.Time, msg string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE jobs SET run_at = $1, last_error = $2, lease_owner = '', lease_until = 0
		WHERE id = $3 AND lease_owner = $4`, unixNano(retry), msg, id, owner)
	if err != nil {
		return fmt.Errorf("fail job %d: %w", id, s.mapErr(err))
	}
	return s.leaseHeld(ctx, res, "jobs", "job", int64(id), owner, "fail")
}

// leaseHeld explains an update of a leased row (a job or an alert delivery)
// that touched no row: the row is gone (ErrNotFound) or another owner holds
// it (ErrConflict). table is the row's table, what names it in messages
// ("job") and verb the update ("finish").
func (s *Store) leaseHeld(ctx context.Context, res sql.Result, table, what string, id int64, owner, verb string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s %s %d: %w", verb, what, id, err)
	}
	if n > 0 {
		return nil
	}
	var holder string
	err = s.q.QueryRowContext(ctx, `SELECT lease_owner FROM `+table+` WHERE id = $1`, id).Scan(&holder)
	if err != nil {
		return fmt.Errorf("%s %s %d: %w", verb, what, id, s.mapErr(err))
	}
	return fmt.Errorf("%s %s %d: %w: lease held by %q, not %q", verb, what, id, testigo.ErrConflict, holder, owner)
}

// DeleteJob deletes the job with the given key, if any.
func (s *Store) DeleteJob(ctx context.Context, key string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM jobs WHERE key = $1`, key); err != nil {
		return fmt.Errorf("delete job %s: %w", key, s.mapErr(err))
	}
	return nil
}

// FindJobs returns every job ordered by RunAt, then ID.
func (s *Store) FindJobs(ctx context.Context) ([]*testigo.Job, error) {
	return queryAll(ctx, s, "find jobs", s.scanJob, `SELECT `+jobCols+` FROM jobs ORDER BY run_at, id`)
}
