package testigo

import (
	"context"
	"time"
)

// LogKind is the type of a transparency-log entry.
type LogKind string

// The kinds of log entry.
const (
	LogCapture     LogKind = "capture"     // a document was archived
	LogExtraction  LogKind = "extraction"  // a report was read from a document
	LogIncident    LogKind = "incident"    // an incident changed: created, attached, merged, split, graded, reviewed
	LogPublication LogKind = "publication" // an export or site release was published
)

// Valid reports whether k is a known log kind.
func (k LogKind) Valid() bool {
	switch k {
	case LogCapture, LogExtraction, LogIncident, LogPublication:
		return true
	}
	return false
}

// LogEntry is one record of the append-only transparency log. The Merkle
// leaf commits to Kind and to Commitment = SHA-256(Salt || Content), so that
// Salt and Content can later be deleted (redacted) without breaking any
// proof: the leaf stays, and verification reports the entry as redacted
// rather than tampered with.
type LogEntry struct {
	Index      int64
	Kind       LogKind
	Subject    string   // what the entry is about, e.g. "document:12", "report:40", "incident:3"
	Salt       []byte   // 32 random bytes; nil once redacted
	Content    []byte   // canonical JSON; nil once redacted
	Commitment [32]byte // SHA-256 of Salt || Content
	CreatedAt  time.Time
}

// Redacted reports whether the entry's content has been deleted.
func (e *LogEntry) Redacted() bool { return e.Content == nil }

// Checkpoint is a signed statement of the log's size and root hash, in the
// signed-note format.
type Checkpoint struct {
	Size      int64
	Root      [32]byte
	Note      []byte // the signed note: body and signature lines
	CreatedAt time.Time
	// Timestamp is an RFC 3161 time-stamp token (DER) over Note from the
	// configured time-stamping authority; nil when there is none.
	Timestamp []byte
}

// LogStore keeps the transparency log: entries, the stored hashes of the
// Merkle tree (in the numbering of golang.org/x/mod/sumdb/tlog) and signed
// checkpoints. Appends must happen inside Transact so that concurrent
// writers are serialised.
type LogStore interface {
	// LogSize returns the number of entries in the log.
	LogSize(ctx context.Context) (int64, error)
	// ReadLogHashes returns the stored tree hashes at the given indexes. It
	// returns ErrNotFound if one is missing.
	ReadLogHashes(ctx context.Context, indexes []int64) ([][32]byte, error)
	// AppendLogEntry stores e, which must have Index equal to LogSize, and
	// the tree hashes that appending it adds, starting at stored-hash index
	// hashStart. A wrong index gives ErrConflict.
	AppendLogEntry(ctx context.Context, e *LogEntry, hashStart int64, hashes [][32]byte) error
	// FindLogEntries returns entries with from <= Index < to, in order.
	FindLogEntries(ctx context.Context, from, to int64) ([]*LogEntry, error)
	// FindLogEntriesBySubject returns the entries about subject, in order.
	FindLogEntriesBySubject(ctx context.Context, subject string) ([]*LogEntry, error)
	// LatestLogEntries returns, for each of subjects that has an entry of
	// the given kind, its newest such entry, keyed by subject: one lookup
	// for a page of incidents where FindLogEntriesBySubject would take one
	// per incident.
	LatestLogEntries(ctx context.Context, kind LogKind, subjects []string) (map[string]*LogEntry, error)
	// RedactLogEntry deletes the salt and content of entry index, keeping
	// its commitment. It returns ErrNotFound for a missing entry.
	RedactLogEntry(ctx context.Context, index int64) error
	// AddCheckpoint stores c. A second checkpoint of the same size gives
	// ErrConflict.
	AddCheckpoint(ctx context.Context, c *Checkpoint) error
	// FindCheckpoints returns every stored checkpoint, smallest first.
	FindCheckpoints(ctx context.Context) ([]*Checkpoint, error)
	// SetCheckpointTimestamp stores the RFC 3161 token of the checkpoint of
	// the given size. It returns ErrNotFound if there is no such checkpoint.
	SetCheckpointTimestamp(ctx context.Context, size int64, token []byte) error
}
