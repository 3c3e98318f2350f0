package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/pg/pgtest"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
)

// backends runs fn once per SQL backend, each on a fresh store: SQLite
// always, PostgreSQL when TESTIGO_TEST_POSTGRES is set (skipped otherwise).
func backends(t *testing.T, fn func(t *testing.T, st testigo.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqlitetest.MustOpenTemp(t)) })
	t.Run("pg", func(t *testing.T) { fn(t, pgtest.MustOpen(t)) })
}

func entry(index int64) *testigo.LogEntry {
	return &testigo.LogEntry{Index: index, Kind: "document", Subject: "document:1", Commitment: [32]byte{byte(index + 1)}}
}

// TestAppendLogEntryIsAtomic checks that AppendLogEntry, called outside
// Transact, runs in a transaction of its own: when one of its hashes
// collides with a stored one, the entry it inserted first is rolled back.
func TestAppendLogEntryIsAtomic(t *testing.T) {
	backends(t, func(t *testing.T, st testigo.Store) {
		ctx := t.Context()
		if err := st.AppendLogEntry(ctx, entry(0), 0, [][32]byte{{1}}); err != nil {
			t.Fatalf("append entry 0: %v", err)
		}
		err := st.AppendLogEntry(ctx, entry(1), 0, [][32]byte{{2}})
		if !errors.Is(err, testigo.ErrConflict) {
			t.Fatalf("append entry 1 over stored hash 0: err = %v, want one wrapping ErrConflict", err)
		}
		if n, err := st.LogSize(ctx); err != nil || n != 1 {
			t.Errorf("LogSize after the failed append = %d, %v; want 1 (entry 1 rolled back)", n, err)
		}
		hs, err := st.ReadLogHashes(ctx, []int64{0})
		if err != nil || hs[0] != [32]byte{1} {
			t.Errorf("stored hash 0 = %x, %v; want the first append's", hs, err)
		}
	})
}

// TestAppendLogEntryJoinsTransaction checks that AppendLogEntry inside
// Transact runs in that transaction rather than opening another (which
// would wait for the write lock the caller holds): the append is rolled
// back with it.
func TestAppendLogEntryJoinsTransaction(t *testing.T) {
	backends(t, func(t *testing.T, st testigo.Store) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		errAbort := errors.New("abort")
		err := st.Transact(ctx, func(tx testigo.Store) error {
			if err := tx.AppendLogEntry(ctx, entry(0), 0, [][32]byte{{1}}); err != nil {
				return err
			}
			if n, err := tx.LogSize(ctx); err != nil || n != 1 {
				t.Errorf("LogSize inside the transaction = %d, %v; want 1", n, err)
			}
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Fatalf("Transact = %v, want the callback's error", err)
		}
		if n, err := st.LogSize(ctx); err != nil || n != 0 {
			t.Errorf("LogSize after rollback = %d, %v; want 0", n, err)
		}
	})
}

// TestLeaseJobsOrder checks that a lease of several jobs returns them by
// due time and then by ID, whatever order the UPDATE … RETURNING gives.
func TestLeaseJobsOrder(t *testing.T) {
	backends(t, func(t *testing.T, st testigo.Store) {
		ctx := t.Context()
		base := time.Date(2025, 11, 3, 12, 0, 0, 0, time.UTC)
		// Enqueued latest-due first, so that ID order and due order differ;
		// the last two are due at the same time.
		due := []time.Duration{3 * time.Minute, 2 * time.Minute, time.Minute, time.Minute}
		var ids []testigo.JobID
		for i, d := range due {
			j := &testigo.Job{Kind: testigo.JobFetchSource, Key: "order:" + string(rune('a'+i)), RunAt: base.Add(d)}
			if ok, err := st.EnqueueJob(ctx, j); err != nil || !ok {
				t.Fatalf("enqueue job %d: %v, %v", i, ok, err)
			}
			ids = append(ids, j.ID)
		}
		got, err := st.LeaseJobs(ctx, "w", []testigo.JobKind{testigo.JobFetchSource}, base.Add(time.Hour), time.Minute, 10)
		if err != nil {
			t.Fatalf("LeaseJobs: %v", err)
		}
		want := []testigo.JobID{ids[2], ids[3], ids[1], ids[0]}
		if len(got) != len(want) {
			t.Fatalf("LeaseJobs = %d jobs, want %d", len(got), len(want))
		}
		for i, j := range got {
			if j.ID != want[i] {
				t.Errorf("leased job %d = %d (due %s), want %d", i, j.ID, j.RunAt, want[i])
			}
		}
	})
}
