package pg_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/mod/sumdb/note"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/pg"
	"github.com/testigo-project/testigo/internal/pg/pgtest"
	"github.com/testigo-project/testigo/internal/storetest"
	"github.com/testigo-project/testigo/internal/translog"
)

func TestStore(t *testing.T) {
	t.Parallel()
	pgtest.DSN(t) // skip the whole suite, with the message, when unset
	storetest.Run(t, func(tb testing.TB) testigo.Store {
		return pgtest.MustOpen(tb)
	})
}

func TestAlertStore(t *testing.T) {
	t.Parallel()
	pgtest.DSN(t)
	storetest.RunAlerts(t, func(tb testing.TB) testigo.Store { return pgtest.MustOpen(tb) })
}

func TestUserStore(t *testing.T) {
	t.Parallel()
	pgtest.DSN(t)
	storetest.RunUsers(t, func(tb testing.TB) testigo.UserStore {
		return pgtest.MustOpen(tb)
	})
}

// openPools opens n stores on dsn, each with its own connection pool, as n
// processes would, and closes them when the test ends.
func openPools(tb testing.TB, dsn string, n int) []*pg.Store {
	tb.Helper()
	stores := make([]*pg.Store, n)
	for i := range stores {
		st, err := pg.Open(tb.Context(), dsn)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { st.Close() })
		stores[i] = st
	}
	return stores
}

// rawDB opens the DSN without the store, for checks below it.
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestOpenUnreachable needs no server: a DSN that cannot connect gives one
// line naming the server and the reason.
func TestOpenUnreachable(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, dsn, server, reason string
	}{
		{"refused", "postgres://postgres@127.0.0.1:1/testigo?sslmode=disable&connect_timeout=5",
			"127.0.0.1:1/testigo", "connection refused"},
		{"no such host", "postgres://postgres@no-such-host.invalid:5432/testigo?sslmode=disable&connect_timeout=5",
			"no-such-host.invalid:5432/testigo", "cannot resolve no-such-host.invalid"},
		{"key=value form", "host=127.0.0.1 port=1 user=postgres password=s3cret dbname=x sslmode=disable connect_timeout=5",
			"127.0.0.1:1/x", "connection refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := pg.Open(t.Context(), c.dsn)
			if err == nil {
				st.Close()
				t.Fatal("Open succeeded")
			}
			msg := err.Error()
			want := "connect to PostgreSQL at " + c.server + ": "
			if !strings.HasPrefix(msg, want) || !strings.Contains(msg, c.reason) || strings.Contains(msg, "\n") {
				t.Errorf("Open: %q, want one line starting %q and saying %q", msg, want, c.reason)
			}
			if strings.Contains(msg, "s3cret") {
				t.Errorf("Open: %q shows the password", msg)
			}
			var ce *pg.ConnectError
			if !errors.As(err, &ce) || ce.Err == nil {
				t.Errorf("Open: %v, want a *pg.ConnectError wrapping the driver's error", err)
			} else if !ce.Transient() {
				t.Errorf("Open: %v is not transient; an unreachable server may come back", err)
			}
		})
	}
}

func TestOpenBadDSN(t *testing.T) {
	t.Parallel()
	_, err := pg.Open(t.Context(), "postgres://[::1")
	if !errors.Is(err, testigo.ErrInvalid) || !strings.Contains(err.Error(), "PostgreSQL DSN") {
		t.Errorf("Open of a malformed DSN: %v, want an ErrInvalid naming the DSN", err)
	}
}

func TestOpenRefusedByServer(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	bad, err := pgtest.WithSearchPath(dsn, "public")
	if err != nil {
		t.Fatal(err)
	}
	// A database that does not exist is refused by the server itself.
	bad = strings.Replace(bad, "/postgres?", "/testigo_no_such_db?", 1)
	if !strings.Contains(bad, "testigo_no_such_db") {
		t.Skipf("cannot rewrite the database name of %s", pgtest.EnvDSN)
	}
	_, err = pg.Open(t.Context(), bad)
	if err == nil || !strings.Contains(err.Error(), `database "testigo_no_such_db" does not exist`) || strings.Contains(err.Error(), "\n") {
		t.Errorf("Open of a missing database: %v, want one line with the server's reason", err)
	}
	var ce *pg.ConnectError
	if !errors.As(err, &ce) || ce.Transient() {
		t.Errorf("Open of a missing database: %v, want a ConnectError that is not transient", err)
	}
	// So is a user the server does not know.
	noRole := strings.Replace(pgtest.DSN(t), "postgres://postgres@", "postgres://testigo_no_such_role@", 1)
	if !strings.Contains(noRole, "testigo_no_such_role") {
		return
	}
	_, err = pg.Open(t.Context(), noRole)
	if !errors.As(err, &ce) || ce.Transient() || !strings.Contains(err.Error(), "testigo_no_such_role") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Open as an unknown user: %v, want one line naming the user, not transient", err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	st, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	known, err := st.SchemaVersion(ctx)
	st.Close()
	if err != nil || known < 5 {
		t.Fatalf("migrated schema version %d, %v; want at least 5", known, err)
	}
	if _, err := rawDB(t, dsn).ExecContext(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, known+5); err != nil {
		t.Fatal(err)
	}
	_, err = pg.Open(ctx, dsn)
	if !errors.Is(err, testigo.ErrInvalid) {
		t.Errorf("open of a newer schema: %v, want an error wrapping ErrInvalid", err)
	}
	want := regexp.MustCompile(`database schema version \d+ is newer than this testigo \(knows \d+\)`)
	if err == nil || !want.MatchString(err.Error()) {
		t.Errorf("open of a newer schema: %v, want the versions in the message", err)
	}
}

func TestReopenKeepsDataAndVersion(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	st, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	inc := &testigo.Incident{Title: "kept", Type: testigo.TypeOther, Date: "2025-11-20"}
	if err := st.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	v1, _ := st.SchemaVersion(ctx)
	st.Close()
	st, err = pg.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.FindIncident(ctx, inc.ID)
	if err != nil {
		t.Fatalf("incident lost on reopen: %v", err)
	}
	if diff := cmp.Diff(inc, got); diff != "" {
		t.Errorf("after reopen (-want +got):\n%s", diff)
	}
	if v2, _ := st.SchemaVersion(ctx); v2 != v1 {
		t.Errorf("schema version %d after reopen, was %d", v2, v1)
	}
}

func TestAuditEntriesAppendOnly(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	st, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := &testigo.AuditEntry{IncidentID: 1, Actor: "ana", Action: testigo.ActionEdit, Reason: "typo"}
	if err := st.AddAuditEntry(ctx, e); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, dsn)
	for _, q := range []string{
		`UPDATE audit_entries SET reason = 'rewritten'`,
		`DELETE FROM audit_entries`,
		`TRUNCATE audit_entries`,
	} {
		if _, err := db.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want the append-only error", q, err)
		}
	}
	got, err := st.FindAuditEntries(ctx, 1)
	if err != nil || len(got) != 1 || got[0].Reason != "typo" {
		t.Errorf("audit trail after tampering attempts: %v, %v", got, err)
	}
}

// TestConcurrentLogAppends runs several "processes" (stores with their own
// connection pools) that append to one log at once through Transact, the
// way internal/jobs does, and checkpoint it. Every append must succeed,
// and the stored tree must be the one a single writer builds from the
// same entries in the stored order.
func TestConcurrentLogAppends(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	const procs, each = 4, 12
	stores := openPools(t, dsn, procs)
	skey, _, err := note.GenerateKey(nil, "testigo.test/log")
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, procs*each)
	for p, st := range stores {
		wg.Go(func() {
			for i := range each {
				err := st.Transact(ctx, func(tx testigo.Store) error {
					// Two entries per transaction, as a capture with one report writes.
					var es []*testigo.LogEntry
					for k := range 2 {
						e, err := translog.NewEntry(testigo.LogCapture, fmt.Sprintf("document:%d-%d-%d", p, i, k),
							fmt.Appendf(nil, `{"p":%d,"i":%d,"k":%d}`, p, i, k), nil)
						if err != nil {
							return err
						}
						es = append(es, e)
					}
					return translog.AppendAll(ctx, tx, es)
				})
				if err == nil && i%4 == 3 {
					_, err = translog.Checkpoint(ctx, st, signer, time.Now())
					if errors.Is(err, testigo.ErrConflict) {
						err = nil // another process signed the same size first
					}
				}
				if err != nil {
					errs <- fmt.Errorf("process %d, append %d: %w", p, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	st := stores[0]
	size, err := st.LogSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if size != procs*each*2 {
		t.Fatalf("log size %d, want %d", size, procs*each*2)
	}
	entries, err := st.FindLogEntries(ctx, 0, size)
	if err != nil {
		t.Fatal(err)
	}
	// Each transaction's two entries are adjacent: appends did not interleave.
	for i := 0; i < len(entries); i += 2 {
		a, b := entries[i].Subject, entries[i+1].Subject
		if strings.TrimSuffix(a, "-0") != strings.TrimSuffix(b, "-1") {
			t.Errorf("entries %d and %d (%s, %s) are not one transaction's pair", i, i+1, a, b)
		}
	}
	// Rebuild the tree with one writer in a fresh schema and compare roots.
	ref := pgtest.MustOpen(t)
	for _, e := range entries {
		c := *e
		if err := ref.Transact(ctx, func(tx testigo.Store) error { return translog.Append(ctx, tx, &c) }); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []int64{1, size / 2, size} {
		got, err := translog.TreeHash(ctx, st, n)
		if err != nil {
			t.Fatal(err)
		}
		want, err := translog.TreeHash(ctx, ref, n)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("tree of size %d: root %x from concurrent writers, %x from one writer", n, got, want)
		}
	}
	// Every checkpoint signed along the way is consistent with the final tree.
	cps, err := st.FindCheckpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cps) == 0 {
		t.Fatal("no checkpoints stored")
	}
	for _, c := range cps {
		want, err := translog.TreeHash(ctx, ref, c.Size)
		if err != nil {
			t.Fatal(err)
		}
		if [32]byte(want) != c.Root {
			t.Errorf("checkpoint of size %d has root %x, the tree has %x", c.Size, c.Root, want)
		}
	}
}

// TestConcurrentLeaseAcrossPools has workers with separate connection
// pools lease from one queue: no job is leased twice and none is left.
func TestConcurrentLeaseAcrossPools(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	const workers, jobs = 4, 120
	stores := openPools(t, dsn, workers)
	at := time.Date(2025, 11, 3, 14, 5, 6, 0, time.UTC)
	for i := range jobs {
		j := &testigo.Job{Kind: testigo.JobFetchSource, Key: fmt.Sprint("k", i), RunAt: at.Add(time.Duration(i%7) * time.Second)}
		if _, err := stores[0].EnqueueJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu   sync.Mutex
		seen = map[testigo.JobID]string{}
		wg   sync.WaitGroup
	)
	for w, st := range stores {
		owner := fmt.Sprint("worker-", w)
		wg.Go(func() {
			for {
				got, err := st.LeaseJobs(ctx, owner, []testigo.JobKind{testigo.JobFetchSource}, at.Add(time.Minute), time.Hour, 5)
				if err != nil {
					t.Errorf("%s: LeaseJobs: %v", owner, err)
					return
				}
				if len(got) == 0 {
					return
				}
				for i := 1; i < len(got); i++ {
					if got[i].RunAt.Before(got[i-1].RunAt) {
						t.Errorf("%s: leased jobs out of order: %v after %v", owner, got[i].RunAt, got[i-1].RunAt)
					}
				}
				mu.Lock()
				for _, j := range got {
					if prev, dup := seen[j.ID]; dup {
						t.Errorf("job %d leased by %s and %s", j.ID, prev, owner)
					}
					seen[j.ID] = owner
				}
				mu.Unlock()
				for _, j := range got {
					if err := st.FinishJob(ctx, j.ID, owner, time.Time{}); err != nil {
						t.Errorf("%s: FinishJob(%d): %v", owner, j.ID, err)
					}
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != jobs {
		t.Errorf("%d jobs leased, want %d", len(seen), jobs)
	}
	left, err := stores[0].FindJobs(ctx)
	if err != nil || len(left) != 0 {
		t.Errorf("jobs left after every lease finished: %d, %v", len(left), err)
	}
}

// TestTransactWaitsForWriteLock shows that a second transaction cannot
// start writing while another holds the write lock, and proceeds once it
// commits, seeing its writes.
func TestTransactWaitsForWriteLock(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	a, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	inside := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	var releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	defer unblock() // a failing test must not leave the first transaction waiting
	go func() {
		done <- a.Transact(ctx, func(tx testigo.Store) error {
			close(inside)
			<-release
			return tx.CreateIncident(ctx, &testigo.Incident{Title: "first"})
		})
	}()
	select {
	case <-inside:
	case err := <-done:
		t.Fatalf("first transaction did not start: %v", err)
	}
	var order []string
	var mu sync.Mutex
	second := make(chan error, 1)
	go func() {
		second <- b.Transact(ctx, func(tx testigo.Store) error {
			incs, err := tx.FindIncidents(ctx, testigo.IncidentFilter{})
			if err != nil {
				return err
			}
			mu.Lock()
			order = append(order, fmt.Sprintf("second saw %d", len(incs)))
			mu.Unlock()
			return nil
		})
	}()
	select {
	case err := <-second:
		t.Fatalf("second transaction ran while the first held the lock: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	unblock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-second:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second transaction still waiting after the first committed")
	}
	if len(order) != 1 || order[0] != "second saw 1" {
		t.Errorf("second transaction: %v, want it to see the first one's incident", order)
	}
}

func TestOpenCanceled(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := pg.Open(ctx, dsn); !errors.Is(err, context.Canceled) {
		t.Errorf("Open with a canceled context: %v, want context.Canceled", err)
	}
}

// TestConcurrentClustering has several "processes" ingest reports of one
// event at the same moment, each in the transaction shape of
// ingest.Pipeline: document, report, log entries, then jobs.AttachReport.
// The write lock makes each clustering decision see the previous one, so
// all reports end in one incident and the log stays one tree.
func TestConcurrentClustering(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	const procs, each = 4, 3
	stores := openPools(t, dsn, procs)
	now := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	sinaloa := testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, procs*each)
	for p, st := range stores {
		wg.Go(func() {
			<-start
			for i := range each {
				err := st.Transact(ctx, func(tx testigo.Store) error {
					d := &testigo.Document{SHA256: testigo.DigestOf(fmt.Appendf(nil, "%d/%d", p, i)), Text: "t", Size: 1, FetchedAt: now}
					if err := tx.CreateDocument(ctx, d); err != nil {
						return err
					}
					r := &testigo.Report{DocumentID: d.ID, Event: testigo.Event{Type: testigo.TypeArmedClash,
						Date: "2025-11-22", Place: sinaloa, Killed: &testigo.Range{Min: 3, Max: 3 + p}}}
					if err := tx.CreateReport(ctx, r); err != nil {
						return err
					}
					if err := jobs.LogCapture(ctx, tx, d, []*testigo.Report{r}); err != nil {
						return err
					}
					return jobs.AttachReport(ctx, tx, r, now)
				})
				if err != nil {
					errs <- fmt.Errorf("process %d, report %d: %w", p, i, err)
				}
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	incs, err := stores[0].FindIncidents(ctx, testigo.IncidentFilter{IncludeMerged: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(incs) != 1 || incs[0].ReportCount != procs*each {
		var got []string
		for _, inc := range incs {
			got = append(got, fmt.Sprintf("incident %d with %d reports", inc.ID, inc.ReportCount))
		}
		t.Errorf("%d reports of one event clustered into %v, want one incident", procs*each, got)
	}
	// One capture, one extraction and one incident entry per report.
	if size, err := stores[0].LogSize(ctx); err != nil || size != 3*procs*each {
		t.Errorf("log size %d, %v; want %d", size, err, 3*procs*each)
	}
	if _, err := translog.TreeHash(ctx, stores[0], 3*procs*each); err != nil {
		t.Errorf("tree of the whole log: %v", err)
	}
}

// TestConcurrentFirstOpen starts several processes at once on an empty
// schema: the migrations run once, under goose's session lock, and every
// Open succeeds.
func TestConcurrentFirstOpen(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	const procs = 4
	var wg sync.WaitGroup
	errs := make([]error, procs)
	for i := range procs {
		wg.Go(func() {
			st, err := pg.Open(ctx, dsn)
			if err == nil {
				err = st.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	var applied int
	if err := rawDB(t, dsn).QueryRowContext(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no migration files found: %v", err)
	}
	if applied != len(files) {
		t.Errorf("%d migrations recorded, want each of the %d once", applied, len(files))
	}
}

// TestTransactCanceledWhileWaiting shows that a transaction waiting for the
// write lock gives up when its context ends, rather than hanging a worker
// that is shutting down, and that the holder is unaffected.
func TestTransactCanceledWhileWaiting(t *testing.T) {
	t.Parallel()
	st := pgtest.MustOpen(t)
	ctx := t.Context()
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- st.Transact(ctx, func(tx testigo.Store) error {
			close(holding)
			<-release
			return tx.CreateIncident(ctx, &testigo.Incident{Title: "holder"})
		})
	}()
	select {
	case <-holding:
	case err := <-done:
		t.Fatalf("holder did not start: %v", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := st.Transact(wctx, func(tx testigo.Store) error {
		return tx.CreateIncident(wctx, &testigo.Incident{Title: "waiter"})
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting transaction: %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("waiting transaction gave up after %v", d)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("holder: %v", err)
	}
	incs, err := st.FindIncidents(ctx, testigo.IncidentFilter{})
	if err != nil || len(incs) != 1 || incs[0].Title != "holder" {
		t.Errorf("incidents after the wait was canceled: %v, %v; want only the holder's", incs, err)
	}
}

// holderEnv makes the test binary act as a writer process that takes the
// write lock, writes, and then hangs until it is killed.
const holderEnv = "TESTIGO_PG_TEST_HOLDER_DSN"

// TestHolderProcess is not a test: it is the writer process of
// TestKilledWriterReleasesLock, run as a subprocess.
func TestHolderProcess(t *testing.T) {
	dsn := os.Getenv(holderEnv)
	if dsn == "" {
		t.Skip("only runs as the subprocess of TestKilledWriterReleasesLock")
	}
	ctx := context.Background()
	st, err := pg.Open(ctx, dsn)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	_ = st.Transact(ctx, func(tx testigo.Store) error {
		if err := tx.CreateIncident(ctx, &testigo.Incident{Title: "from the killed writer"}); err != nil {
			return err
		}
		e, err := translog.NewEntry(testigo.LogCapture, "document:killed", []byte(`{}`), nil)
		if err != nil {
			return err
		}
		if err := translog.Append(ctx, tx, e); err != nil {
			return err
		}
		fmt.Println("locked")
		select {} // until SIGKILL
	})
	os.Exit(1)
}

// TestKilledWriterReleasesLock kills (SIGKILL) a process in the middle of
// a write transaction: the server rolls it back and releases its write
// lock, so the other processes go on and nothing of it is stored.
func TestKilledWriterReleasesLock(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	st, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHolderProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), holderEnv+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("writer process said %q, %v; want \"locked\"", line, err)
	}

	waited := make(chan error, 1)
	go func() {
		waited <- st.Transact(ctx, func(tx testigo.Store) error {
			e, err := translog.NewEntry(testigo.LogCapture, "document:survivor", []byte(`{}`), nil)
			if err != nil {
				return err
			}
			return translog.Append(ctx, tx, e)
		})
	}()
	select {
	case err := <-waited:
		t.Fatalf("a writer ran while the killed process's transaction held the lock: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("writer after the kill: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the killed process's lock was not released within 30 s")
	}
	entries, err := st.FindLogEntries(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Subject != "document:survivor" || entries[0].Index != 0 {
		t.Errorf("log after the kill: %d entries (first %+v), want only the survivor's at index 0", len(entries), entries)
	}
	incs, err := st.FindIncidents(ctx, testigo.IncidentFilter{})
	if err != nil || len(incs) != 0 {
		t.Errorf("incidents after the kill: %d, %v; want none of the killed writer's", len(incs), err)
	}
}

// TestStalledWriterLosesLock has a process stall while it holds the write
// lock (as a stopped process or one cut off by the network would): the
// server ends its session after the idle-in-transaction timeout (set short
// in the DSN here; 60 s by default), and the other writers go on.
func TestStalledWriterLosesLock(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewSchema(t)
	ctx := t.Context()
	if !strings.Contains(dsn, "?") {
		t.Skipf("%s is not a URL DSN", pgtest.EnvDSN)
	}
	short := dsn + "&idle_in_transaction_session_timeout=300ms"
	stalled, err := pg.Open(ctx, short)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	other, err := pg.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	holding := make(chan struct{})
	stalledErr := make(chan error, 1)
	go func() {
		stalledErr <- stalled.Transact(ctx, func(tx testigo.Store) error {
			if err := tx.CreateIncident(ctx, &testigo.Incident{Title: "stalled"}); err != nil {
				return err
			}
			close(holding)
			time.Sleep(2 * time.Second) // stalls, holding the lock
			return tx.CreateIncident(ctx, &testigo.Incident{Title: "stalled, later"})
		})
	}()
	select {
	case <-holding:
	case err := <-stalledErr:
		t.Fatalf("stalled writer did not start: %v", err)
	}
	start := time.Now()
	if err := other.Transact(ctx, func(tx testigo.Store) error {
		return tx.CreateIncident(ctx, &testigo.Incident{Title: "other"})
	}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("the other writer waited %v for the stalled one's lock", d)
	}
	if err := <-stalledErr; err == nil {
		t.Error("the stalled transaction committed after the server ended its session")
	}
	incs, err := other.FindIncidents(ctx, testigo.IncidentFilter{})
	if err != nil || len(incs) != 1 || incs[0].Title != "other" {
		t.Errorf("incidents: %v, %v; want only the other writer's", incs, err)
	}
}

func TestOpenMissingSchema(t *testing.T) {
	t.Parallel()
	dsn, err := pgtest.WithSearchPath(pgtest.DSN(t), "testigo_no_such_schema")
	if err != nil {
		t.Fatal(err)
	}
	_, err = pg.Open(t.Context(), dsn)
	if !errors.Is(err, testigo.ErrInvalid) || !strings.Contains(err.Error(), "testigo_no_such_schema") {
		t.Errorf("Open with a missing schema: %v, want an ErrInvalid naming the search_path", err)
	}
}
