package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

func newFeedSource(t *testing.T, st testigo.Store, url string) *testigo.Source {
	t.Helper()
	src := &testigo.Source{Kind: testigo.SourceFeed, URL: url, Every: time.Hour}
	must(t, st.CreateSource(t.Context(), src))
	return src
}

func testSourceUpdate(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	src := newFeedSource(t, st, "https://example.org/a.xml")
	other := newFeedSource(t, st, "https://example.org/b.xml")
	src.Name, src.Lang, src.Every, src.Tags, src.Paused = "Renamed", "en", 5*time.Minute, []string{"us"}, true
	must(t, st.UpdateSource(ctx, src))
	got, err := st.FindSource(ctx, src.ID)
	must(t, err)
	if diff := cmp.Diff(src, got); diff != "" {
		t.Errorf("source after update (-want +got):\n%s", diff)
	}
	other.Removed = true
	must(t, st.UpdateSource(ctx, other))
	all, err := st.FindSources(ctx)
	must(t, err)
	if len(all) != 1 || all[0].ID != src.ID {
		t.Errorf("FindSources after removing source %d = %d sources, want only source %d", other.ID, len(all), src.ID)
	}
	if got, err := st.FindSource(ctx, other.ID); err != nil || !got.Removed {
		t.Errorf("FindSource of a removed source = %+v, %v; want it, marked removed", got, err)
	}
	wantErr(t, st.UpdateSource(ctx, &testigo.Source{ID: 999, Kind: testigo.SourceFeed}), testigo.ErrNotFound, "UpdateSource(999)")
}

func testSourceState(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	src := newFeedSource(t, st, "https://example.org/feed.xml")
	got, err := st.FindSourceState(ctx, src.ID)
	must(t, err)
	if diff := cmp.Diff(&testigo.SourceState{SourceID: src.ID}, got); diff != "" {
		t.Errorf("state of a source never fetched (-want +got):\n%s", diff)
	}
	state := &testigo.SourceState{SourceID: src.ID, ETag: `"v1"`, LastModified: "Mon, 03 Nov 2025 10:00:00 GMT",
		LastFetchAt: at.Add(time.Minute), LastError: "HTTP 503", Failures: 2, Items: 7}
	must(t, st.SaveSourceState(ctx, state))
	state.LastSuccessAt, state.LastError, state.Failures, state.Items = at.Add(2*time.Minute), "", 0, 9
	must(t, st.SaveSourceState(ctx, state))
	got, err = st.FindSourceState(ctx, src.ID)
	must(t, err)
	if diff := cmp.Diff(state, got); diff != "" {
		t.Errorf("saved state (-want +got):\n%s", diff)
	}
	wantUTC(t, "state times", got.LastFetchAt, got.LastSuccessAt)
	wantErr(t, st.SaveSourceState(ctx, &testigo.SourceState{SourceID: 999}), testigo.ErrNotFound, "state of source 999")
}

func testSourceItems(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	src := newFeedSource(t, st, "https://example.org/feed.xml")
	doc := newDocument(src.ID, 1)
	must(t, st.CreateDocument(ctx, doc))
	it := &testigo.SourceItem{SourceID: src.ID, Key: "guid-1", URL: "https://example.org/1", DocumentID: doc.ID, SeenAt: at}
	must(t, st.AddSourceItem(ctx, it))
	failed := &testigo.SourceItem{SourceID: src.ID, Key: "https://example.org/2", URL: "https://example.org/2"}
	must(t, st.AddSourceItem(ctx, failed))
	wantUTC(t, "item seen", failed.SeenAt)
	got, err := st.FindSourceItem(ctx, src.ID, "guid-1")
	must(t, err)
	if diff := cmp.Diff(it, got); diff != "" {
		t.Errorf("FindSourceItem (-want +got):\n%s", diff)
	}
	got, err = st.FindSourceItem(ctx, src.ID, failed.Key)
	must(t, err)
	if got.DocumentID != 0 {
		t.Errorf("item without a document has document %d, want 0", got.DocumentID)
	}
	wantErr(t, st.AddSourceItem(ctx, &testigo.SourceItem{SourceID: src.ID, Key: "guid-1"}), testigo.ErrConflict, "second item with the same key")
	_, err = st.FindSourceItem(ctx, src.ID, "guid-2")
	wantErr(t, err, testigo.ErrNotFound, "FindSourceItem of an unknown key")
	other := newFeedSource(t, st, "https://example.org/other.xml")
	must(t, st.AddSourceItem(ctx, &testigo.SourceItem{SourceID: other.ID, Key: "guid-1"}))
}

func testJobLifecycle(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	j := &testigo.Job{Kind: testigo.JobFetchSource, Key: "source:1", Payload: []byte(`{"source":1}`), RunAt: at}
	ok, err := st.EnqueueJob(ctx, j)
	must(t, err)
	if !ok || j.ID == 0 {
		t.Fatalf("EnqueueJob = %v, ID %d; want a new job", ok, j.ID)
	}
	ok, err = st.EnqueueJob(ctx, &testigo.Job{Kind: testigo.JobFetchSource, Key: "source:1", RunAt: at.Add(-time.Hour)})
	must(t, err)
	if ok {
		t.Error("EnqueueJob of an existing key returned true")
	}
	later := &testigo.Job{Kind: testigo.JobFetchSource, Key: "source:2", RunAt: at.Add(time.Hour)}
	_, err = st.EnqueueJob(ctx, later)
	must(t, err)

	jobs, err := st.LeaseJobs(ctx, "w1", []testigo.JobKind{"other-kind"}, at, time.Minute, 10)
	must(t, err)
	if len(jobs) != 0 {
		t.Errorf("LeaseJobs of another kind got %d jobs", len(jobs))
	}
	jobs, err = st.LeaseJobs(ctx, "w1", []testigo.JobKind{testigo.JobFetchSource}, at, time.Minute, 10)
	must(t, err)
	if len(jobs) != 1 || jobs[0].ID != j.ID {
		t.Fatalf("LeaseJobs at %s = %d jobs, want only job %d (the other is not due)", at, len(jobs), j.ID)
	}
	got := jobs[0]
	if got.LeaseOwner != "w1" || !got.LeaseUntil.Equal(at.Add(time.Minute)) || got.Attempts != 1 ||
		string(got.Payload) != `{"source":1}` || !got.RunAt.Equal(at) {
		t.Errorf("leased job = %+v", got)
	}
	// Leased: nobody else gets it until the lease expires.
	jobs, err = st.LeaseJobs(ctx, "w2", []testigo.JobKind{testigo.JobFetchSource}, at.Add(30*time.Second), time.Minute, 10)
	must(t, err)
	if len(jobs) != 0 {
		t.Errorf("a job under a live lease was leased again by w2")
	}
	// The lease expires (w1 died): w2 gets it, and w1 can no longer finish it.
	jobs, err = st.LeaseJobs(ctx, "w2", []testigo.JobKind{testigo.JobFetchSource}, at.Add(2*time.Minute), time.Minute, 10)
	must(t, err)
	if len(jobs) != 1 || jobs[0].Attempts != 2 {
		t.Fatalf("after the lease expired w2 leased %d jobs (%+v), want job %d on attempt 2", len(jobs), jobs, j.ID)
	}
	wantErr(t, st.FinishJob(ctx, j.ID, "w1", time.Time{}), testigo.ErrConflict, "FinishJob by a worker whose lease expired")
	must(t, st.FailJob(ctx, j.ID, "w2", at.Add(10*time.Minute), "HTTP 503"))
	all, err := st.FindJobs(ctx)
	must(t, err)
	if len(all) != 2 || all[0].ID != j.ID || all[0].LastError != "HTTP 503" || all[0].LeaseOwner != "" ||
		!all[0].RunAt.Equal(at.Add(10*time.Minute)) || all[0].Attempts != 2 {
		t.Fatalf("jobs after FailJob = %+v", all)
	}
	jobs, err = st.LeaseJobs(ctx, "w3", []testigo.JobKind{testigo.JobFetchSource}, at.Add(11*time.Minute), time.Minute, 1)
	must(t, err)
	if len(jobs) != 1 {
		t.Fatalf("LeaseJobs after the retry time = %d jobs, want 1", len(jobs))
	}
	next := at.Add(time.Hour + 15*time.Minute)
	must(t, st.FinishJob(ctx, j.ID, "w3", next))
	all, err = st.FindJobs(ctx)
	must(t, err)
	if all[0].ID != later.ID || all[1].ID != j.ID || all[1].Attempts != 0 || all[1].LastError != "" || !all[1].RunAt.Equal(next) {
		t.Errorf("jobs after a rescheduling FinishJob = %+v, %+v", all[0], all[1])
	}
	jobs, err = st.LeaseJobs(ctx, "w4", []testigo.JobKind{testigo.JobFetchSource}, next, time.Minute, 1)
	must(t, err)
	if len(jobs) != 1 || jobs[0].ID != later.ID {
		t.Fatalf("LeaseJobs n=1 = %+v, want the earliest due job %d", jobs, later.ID)
	}
	must(t, st.FinishJob(ctx, later.ID, "w4", time.Time{}))
	wantErr(t, st.FinishJob(ctx, later.ID, "w4", time.Time{}), testigo.ErrNotFound, "FinishJob of a deleted job")
	must(t, st.DeleteJob(ctx, "source:1"))
	must(t, st.DeleteJob(ctx, "source:1"))
	all, err = st.FindJobs(ctx)
	must(t, err)
	if len(all) != 0 {
		t.Errorf("%d jobs left after deleting both", len(all))
	}
}

// testJobLeaseConcurrent has several workers lease from one queue at once:
// every job is leased exactly once.
func testJobLeaseConcurrent(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	const jobs = 40
	for i := range jobs {
		_, err := st.EnqueueJob(ctx, &testigo.Job{Kind: testigo.JobFetchSource, Key: "k" + string(rune('A'+i)), RunAt: at})
		must(t, err)
	}
	var (
		mu   sync.Mutex
		seen = map[testigo.JobID]string{}
		wg   sync.WaitGroup
	)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := "w" + string(rune('0'+w))
			for {
				got, err := st.LeaseJobs(ctx, owner, []testigo.JobKind{testigo.JobFetchSource}, at, time.Hour, 3)
				if err != nil {
					t.Errorf("%s: LeaseJobs: %v", owner, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, j := range got {
					if prev, dup := seen[j.ID]; dup {
						t.Errorf("job %d leased by %s and %s", j.ID, prev, owner)
					}
					seen[j.ID] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != jobs {
		t.Errorf("%d jobs leased, want %d", len(seen), jobs)
	}
}
