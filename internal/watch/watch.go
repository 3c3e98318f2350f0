// Package watch runs the watched sources: it keeps one fetch job per active
// source in the store's job queue, leases due jobs, fetches each source
// through a polite and safe fetcher, lists its items and captures every item
// not seen before through the ingest pipeline — archived first, then
// extracted and clustered, and recorded as seen in the same transaction, so
// that no item is ingested twice.
//
// Jobs live in the database, so a watcher killed at any point loses nothing:
// its lease expires (or, on the same host, the next watcher sees the dead
// process and releases it at once) and the job runs again; items captured
// before the kill are recorded and skipped, and a capture is one transaction.
package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/ingest"
)

// Validators are the cache validators of a conditional GET.
type Validators struct {
	ETag         string
	LastModified string
}

// Capture is one fetched response.
type Capture struct {
	URL         string // asked for
	FinalURL    string // after redirects
	Status      int
	ContentType string
	Validators  Validators // the response's, for the next conditional GET
	NotModified bool       // 304: Body is empty
	Body        []byte
	Record      []byte // the capture record (JSON), archived beside the body
}

// Fetcher gets one URL. Its errors name the URL. Errors for which
// Permanent reports true (a 404, a refused address, a body over the size
// cap) are not retried for an item.
type Fetcher interface {
	Fetch(ctx context.Context, url string, cond Validators) (*Capture, error)
}

// Item is one entry a source lists: a feed entry, a sitemap URL or a link on
// a page.
type Item struct {
	Key       string // stable identity within the source: GUID, else URL
	URL       string
	Title     string
	Published time.Time // zero if the source gives none
}

// Listing is what a source's body lists.
type Listing struct {
	Items    []Item
	Problems []string // items skipped, one line each (e.g. "item 3: no link")
}

// Lister reads the items out of a fetched source body.
type Lister func(kind testigo.SourceKind, body []byte, baseURL, contentType string) (*Listing, error)

// PermanentError marks a fetch failure that retrying will not cure.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent reports whether err is marked permanent.
func Permanent(err error) bool {
	var pe *PermanentError
	return errors.As(err, &pe)
}

// Watcher runs sources. Its fields are set once before use.
type Watcher struct {
	Store    testigo.Store
	Fetcher  Fetcher
	List     Lister
	Pipeline *ingest.Pipeline // its Record hook, if any, still runs
	// Owner names this process in job leases. The default "host/pid" lets a
	// later watcher on the same host release the leases of a dead one.
	Owner string
	// Lease is how long a leased source job belongs to this watcher
	// (default 15 minutes); a watcher that dies lets it expire.
	Lease time.Duration
	// Workers is how many sources are fetched at once (default 4).
	Workers int
	// DefaultEvery is the interval of sources that set none (default 15m).
	DefaultEvery time.Duration
	// Poll is how often Run looks for due jobs (default 5 s).
	Poll    time.Duration
	Now     func() time.Time
	Log     *slog.Logger
	Metrics *Metrics // may be nil
	// AfterRound, when set, is called by Run after each round that ran
	// jobs (e.g. to sign a checkpoint when something new was captured).
	AfterRound func(ctx context.Context, s Summary)
	hostname   string
}

// Summary counts what a round of fetching did.
type Summary struct {
	Sources   int // source jobs run
	New       int // items captured
	Unchanged int // items seen before, and sources answering 304
	Failed    int // items that could not be captured, and sources that failed
}

// String is the summary line: "N new, N unchanged, N failed".
func (s Summary) String() string {
	return fmt.Sprintf("%d new, %d unchanged, %d failed", s.New, s.Unchanged, s.Failed)
}

func (s *Summary) add(o Summary) {
	s.Sources += o.Sources
	s.New += o.New
	s.Unchanged += o.Unchanged
	s.Failed += o.Failed
}

func (w *Watcher) now() time.Time {
	if w.Now != nil {
		return w.Now().UTC()
	}
	return time.Now().UTC()
}

func (w *Watcher) log() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}

func (w *Watcher) owner() string {
	if w.Owner != "" {
		return w.Owner
	}
	return w.host() + "/" + strconv.Itoa(os.Getpid())
}

func (w *Watcher) host() string {
	if w.hostname == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			h = "localhost"
		}
		w.hostname = h
	}
	return w.hostname
}

func (w *Watcher) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return 15 * time.Minute
}

func (w *Watcher) workers() int {
	if w.Workers > 0 {
		return w.Workers
	}
	return 4
}

func (w *Watcher) every(src *testigo.Source) time.Duration {
	if src.Every > 0 {
		return src.Every
	}
	if w.DefaultEvery > 0 {
		return w.DefaultEvery
	}
	return 15 * time.Minute
}

// jobPayload is the payload of a fetch-source job.
type jobPayload struct {
	Source testigo.SourceID `json:"source"`
}

// Schedule makes the queue match the sources: every active watched source
// has a fetch job (a new source is due at once), and paused or removed
// sources have none. It also releases the leases of dead watchers on this
// host, so that a restart after kill -9 retries their jobs at once.
func (w *Watcher) Schedule(ctx context.Context) error {
	srcs, err := w.Store.FindSources(ctx)
	if err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	now := w.now()
	active := map[string]bool{}
	for _, src := range srcs {
		if src.Kind == testigo.SourceUpload {
			continue
		}
		key := testigo.SourceJobKey(src.ID)
		if src.Paused {
			continue
		}
		active[key] = true
		payload, _ := json.Marshal(jobPayload{Source: src.ID}) // cannot fail: one integer field
		if _, err := w.Store.EnqueueJob(ctx, &testigo.Job{Kind: testigo.JobFetchSource, Key: key, Payload: payload, RunAt: now}); err != nil {
			return fmt.Errorf("schedule source %d: %w", src.ID, err)
		}
	}
	jobs, err := w.Store.FindJobs(ctx)
	if err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	for _, j := range jobs {
		if j.Kind != testigo.JobFetchSource {
			continue
		}
		if !active[j.Key] {
			if err := w.Store.DeleteJob(ctx, j.Key); err != nil {
				return fmt.Errorf("schedule: %w", err)
			}
			continue
		}
		if j.LeaseOwner != "" && j.LeaseUntil.After(now) && w.deadOwner(j.LeaseOwner) {
			msg := "worker " + j.LeaseOwner + " died while fetching"
			if err := w.Store.FailJob(ctx, j.ID, j.LeaseOwner, now, msg); err != nil && !errors.Is(err, testigo.ErrConflict) {
				return fmt.Errorf("schedule: release lease of %s: %w", j.LeaseOwner, err)
			}
			w.log().Warn("released the lease of a dead watcher", "job", j.Key, "owner", j.LeaseOwner)
		}
	}
	return nil
}

// deadOwner reports whether owner names a process on this host that no
// longer runs. Owners on other hosts are never judged dead: their leases
// expire instead.
func (w *Watcher) deadOwner(owner string) bool {
	host, pidText, ok := strings.Cut(owner, "/")
	if !ok || host != w.host() || owner == w.owner() {
		return false
	}
	pid, err := strconv.Atoi(pidText)
	if err != nil || pid <= 0 {
		return false
	}
	return !processAlive(pid)
}

// RunOnce schedules, then runs every source job that is due now, Workers
// at a time, and returns what they did. progress, when not nil, is called
// after each source with the number done and the total.
func (w *Watcher) RunOnce(ctx context.Context, progress func(done, total int)) (Summary, error) {
	if err := w.Schedule(ctx); err != nil {
		return Summary{}, err
	}
	var all []*testigo.Job
	for {
		jobs, err := w.Store.LeaseJobs(ctx, w.owner(), []testigo.JobKind{testigo.JobFetchSource}, w.now(), w.lease(), 500)
		if err != nil {
			return Summary{}, fmt.Errorf("lease source jobs: %w", err)
		}
		if len(jobs) == 0 {
			break
		}
		all = append(all, jobs...)
	}
	return w.runJobs(ctx, all, progress), ctx.Err()
}

// Run schedules and runs due source jobs until ctx is done, looking for due
// jobs every Poll. Errors of one round are logged, not fatal.
func (w *Watcher) Run(ctx context.Context) error {
	poll := w.Poll
	if poll <= 0 {
		poll = 5 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if err := w.Schedule(ctx); err != nil && ctx.Err() == nil {
			w.log().Error("schedule sources", "err", err)
		}
		jobs, err := w.Store.LeaseJobs(ctx, w.owner(), []testigo.JobKind{testigo.JobFetchSource}, w.now(), w.lease(), w.workers())
		if err != nil && ctx.Err() == nil {
			w.log().Error("lease source jobs", "err", err)
		}
		if len(jobs) > 0 {
			s := w.runJobs(ctx, jobs, nil)
			w.log().Info("fetched sources", "sources", s.Sources, "new", s.New, "unchanged", s.Unchanged, "failed", s.Failed)
			if w.AfterRound != nil {
				w.AfterRound(ctx, s)
			}
			continue // there may be more due: look again at once
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// runJobs runs leased jobs on Workers goroutines, which all end before it
// returns.
func (w *Watcher) runJobs(ctx context.Context, jobs []*testigo.Job, progress func(done, total int)) Summary {
	var (
		mu    sync.Mutex
		total Summary
		done  int
		wg    sync.WaitGroup
		next  = make(chan *testigo.Job)
	)
	for range min(w.workers(), len(jobs)) {
		wg.Go(func() {
			for j := range next {
				s := w.runJob(ctx, j)
				mu.Lock()
				total.add(s)
				done++
				if progress != nil {
					progress(done, len(jobs))
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if w.Metrics != nil {
		if jobs, err := w.Store.FindJobs(context.WithoutCancel(ctx)); err == nil {
			w.Metrics.observeQueue(jobs, w.now())
		}
	}
	return total
}

// runJob fetches one source and ends the job's lease: rescheduled after the
// source's interval on success, retried with backoff on failure.
func (w *Watcher) runJob(ctx context.Context, j *testigo.Job) Summary {
	var p jobPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.Source == 0 {
		w.log().Error("bad source job payload; deleting the job", "job", j.Key, "payload", string(j.Payload))
		if err := w.Store.FinishJob(ctx, j.ID, w.owner(), time.Time{}); err != nil {
			w.log().Error("delete bad job", "job", j.Key, "err", err)
		}
		return Summary{Failed: 1}
	}
	src, err := w.Store.FindSource(ctx, p.Source)
	if err != nil {
		w.log().Error("source of job is gone; deleting the job", "job", j.Key, "err", err)
		_ = w.Store.FinishJob(ctx, j.ID, w.owner(), time.Time{}) // best effort: Schedule deletes it too
		return Summary{Failed: 1}
	}
	s, err := w.FetchSource(ctx, src)
	s.Sources = 1
	// Ending the lease must happen even when ctx was cancelled mid-fetch.
	endCtx := context.WithoutCancel(ctx)
	if err != nil {
		if ctx.Err() != nil {
			// Interrupted: let the job be due again at once for the next run.
			_ = w.Store.FailJob(endCtx, j.ID, w.owner(), w.now(), "interrupted")
			return s
		}
		st, _ := w.Store.FindSourceState(endCtx, src.ID)
		failures := 1
		if st != nil {
			failures = st.Failures
		}
		retry := w.now().Add(backoff(failures, w.every(src)))
		if ferr := w.Store.FailJob(endCtx, j.ID, w.owner(), retry, err.Error()); ferr != nil {
			w.log().Error("reschedule failed source", "source", src.ID, "err", ferr)
		}
		w.log().Warn("source failed", "source", src.ID, "url", src.URL, "err", err, "retry_at", retry)
		return s
	}
	if ferr := w.Store.FinishJob(endCtx, j.ID, w.owner(), w.now().Add(w.every(src))); ferr != nil {
		w.log().Error("reschedule source", "source", src.ID, "err", ferr)
	}
	return s
}

// backoff is the delay before retrying a source after its n-th consecutive
// failure: 1 minute doubling, with ±20% jitter, capped at the source's own
// interval times four and at one day.
func backoff(n int, every time.Duration) time.Duration {
	d := time.Minute << min(max(n-1, 0), 12)
	limit := min(4*every, 24*time.Hour)
	if d > limit {
		d = limit
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}
