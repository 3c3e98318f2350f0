package testigo

import (
	"context"
	"strconv"
	"time"
)

// JobID identifies a Job in the store.
type JobID int64

// JobKind says what a job does.
type JobKind string

// The kinds of job testigo runs.
const (
	// JobFetchSource fetches one watched source and captures its new items.
	// Its Key is "source:<id>" so that a source is never fetched twice at once.
	JobFetchSource JobKind = "fetch-source"
)

// Job is a row of the job queue. A job is due when RunAt has passed and it
// holds no live lease. A worker leases due jobs for a while; a worker that
// dies (even by SIGKILL) simply lets its lease expire, and the job is leased
// again by the next worker. Recurring jobs are rescheduled instead of
// deleted when they finish.
type Job struct {
	ID         JobID
	Kind       JobKind
	Key        string // unique among all jobs
	Payload    []byte // JSON; may be empty
	RunAt      time.Time
	Attempts   int       // leases since the last success
	LeaseOwner string    // empty when not leased
	LeaseUntil time.Time // zero when not leased
	LastError  string
	CreatedAt  time.Time
}

// JobQueue is the database-row job queue shared by every worker process.
type JobQueue interface {
	// EnqueueJob stores j and sets its ID and CreatedAt, unless a job with the
	// same Key exists, in which case it changes nothing and returns false.
	EnqueueJob(ctx context.Context, j *Job) (bool, error)
	// LeaseJobs claims up to n jobs of the given kinds that are due at now:
	// each gets owner, a lease until now+lease and one more attempt. Two
	// concurrent callers never receive the same job.
	LeaseJobs(ctx context.Context, owner string, kinds []JobKind, now time.Time, lease time.Duration, n int) ([]*Job, error)
	// FinishJob ends the lease that owner holds on job id. A zero next
	// deletes the job; otherwise the job is due again at next, with its
	// attempts and last error cleared. It returns ErrConflict if owner no
	// longer holds the lease and ErrNotFound if the job is gone.
	FinishJob(ctx context.Context, id JobID, owner string, next time.Time) error
	// FailJob ends the lease that owner holds on job id, records msg and makes
	// the job due again at retry. Errors as for FinishJob.
	FailJob(ctx context.Context, id JobID, owner string, retry time.Time, msg string) error
	// DeleteJob deletes the job with the given key; a missing job is not an
	// error.
	DeleteJob(ctx context.Context, key string) error
	// FindJobs returns every job ordered by RunAt, then ID.
	FindJobs(ctx context.Context) ([]*Job, error)
}

// SourceJobKey is the queue key of the fetch job of a source.
func SourceJobKey(id SourceID) string { return "source:" + strconv.FormatInt(int64(id), 10) }
