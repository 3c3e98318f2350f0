// Package verify checks a testigo data store end to end: it re-hashes every
// archived blob, recomputes the transparency log's tree from its entries,
// checks every signed checkpoint and its consistency with the latest, and
// checks that every document, report and incident row still matches the log
// entry that recorded it. It reads only; it never repairs.
package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/translog"
	"github.com/testigo-project/testigo/internal/tsa"
)

// Blobs opens archived raw captures. It returns an error wrapping
// testigo.ErrNotFound for a missing blob.
type Blobs interface {
	Open(d testigo.Digest) (io.ReadCloser, error)
}

// Result is what a verification found.
type Result struct {
	Blobs       int      // blobs re-hashed
	BlobBytes   int64    // bytes re-hashed
	Entries     int64    // log entries checked
	Redacted    int64    // entries whose content was redacted
	Checkpoints int      // checkpoints checked
	Timestamps  int      // RFC 3161 tokens of checkpoints checked
	Rows        int      // document, report and incident rows checked against the log
	Problems    []string // one line per damaged item; empty when all is well
}

// OK reports whether nothing was found wrong.
func (r *Result) OK() bool { return len(r.Problems) == 0 }

func (r *Result) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// entryInfo is what verification keeps of the newest log entry of each
// kind about a subject: a digest of its content, not the content, so that
// memory stays small for large logs.
type entryInfo struct {
	index    int64
	redacted bool
	content  [32]byte // SHA-256 of the content
	state    string   // for incident entries, the committed state digest
}

func infoKey(kind testigo.LogKind, subject string) string { return string(kind) + " " + subject }

// pageSize bounds how many rows are held in memory at once.
const pageSize = 5000

// Run verifies st and blobs against the log's verifier key. Problems found
// are listed in the result; the error is only for failures to read.
func Run(ctx context.Context, st testigo.Store, blobs Blobs, logKey string) (*Result, error) {
	res := &Result{}
	latest := map[string]entryInfo{}
	if err := checkLog(ctx, st, logKey, res, latest); err != nil {
		return res, err
	}
	if err := checkDocuments(ctx, st, blobs, res, latest); err != nil {
		return res, err
	}
	if err := checkIncidents(ctx, st, res, latest); err != nil {
		return res, err
	}
	return res, nil
}

// checkDocuments re-hashes each document's blob and checks the document and
// its reports against their log entries.
func checkDocuments(ctx context.Context, st testigo.Store, blobs Blobs, res *Result, latest map[string]entryInfo) error {
	var before testigo.DocumentID
	for {
		docs, err := st.FindDocuments(ctx, testigo.DocumentFilter{Limit: pageSize, Before: before})
		if err != nil {
			return fmt.Errorf("verify documents: %w", err)
		}
		if len(docs) == 0 {
			return nil
		}
		for _, d := range docs {
			if err := ctx.Err(); err != nil {
				return err
			}
			checkBlob(blobs, d.SHA256, fmt.Sprintf("of document %d", d.ID), res)
			if d.Capture != "" {
				checkBlob(blobs, d.Capture, fmt.Sprintf("(capture record) of document %d", d.ID), res)
			}
			checkRow(latest, translog.DocumentSubject(d.ID), testigo.LogCapture,
				translog.CaptureContent(d), fmt.Sprintf("document %d", d.ID), res)
			reports, err := st.FindReports(ctx, testigo.ReportFilter{DocumentID: d.ID})
			if err != nil {
				return fmt.Errorf("verify reports of document %d: %w", d.ID, err)
			}
			for _, r := range reports {
				checkRow(latest, translog.ReportSubject(r.ID), testigo.LogExtraction,
					translog.ExtractionContent(r, d.SHA256), fmt.Sprintf("report %d", r.ID), res)
			}
		}
		before = docs[len(docs)-1].ID
	}
}

// checkBlob re-hashes the blob dg; what names it in problems.
func checkBlob(blobs Blobs, dg testigo.Digest, what string, res *Result) {
	res.Blobs++
	rc, err := blobs.Open(dg)
	if errors.Is(err, testigo.ErrNotFound) {
		res.problem("blob %s %s is missing", dg, what)
		return
	}
	if err != nil {
		res.problem("blob %s %s cannot be read: %v", dg, what, err)
		return
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	res.BlobBytes += n
	if err != nil {
		res.problem("blob %s %s cannot be read: %v", dg, what, err)
		return
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != string(dg) {
		res.problem("blob %s %s is damaged: its bytes hash to %s", dg, what, got)
	}
}

// checkRow checks that the newest log entry of kind about subject has the
// content the row implies now.
func checkRow(latest map[string]entryInfo, subject string, kind testigo.LogKind, want []byte, what string, res *Result) {
	res.Rows++
	last, ok := latest[infoKey(kind, subject)]
	switch {
	case !ok:
		res.problem("%s has no %s entry in the log", what, kind)
	case last.redacted:
		// Redacted content cannot be compared; the leaf itself is checked
		// with the tree.
	case last.content != sha256.Sum256(want):
		res.problem("%s differs from what log entry %d recorded (the row was edited)", what, last.index)
	}
}

// checkIncidents checks each incident against its newest log entry.
func checkIncidents(ctx context.Context, st testigo.Store, res *Result, latest map[string]entryInfo) error {
	incs, err := st.FindIncidents(ctx, testigo.IncidentFilter{IncludeMerged: true})
	if err != nil {
		return fmt.Errorf("verify incidents: %w", err)
	}
	for _, inc := range incs {
		res.Rows++
		last, ok := latest[infoKey(testigo.LogIncident, translog.IncidentSubject(inc.ID))]
		switch {
		case !ok:
			res.problem("incident %d has no entry in the log", inc.ID)
		case last.redacted:
		case last.state == "":
			res.problem("log entry %d of incident %d is unreadable", last.index, inc.ID)
		case last.state != translog.IncidentStateHash(inc):
			res.problem("incident %d differs from what log entry %d recorded (the row was edited)", inc.ID, last.index)
		}
	}
	return nil
}

// checkLog recomputes the tree from the entries and checks every checkpoint
// against it, and the stored tree hashes against the recomputed root.
func checkLog(ctx context.Context, st testigo.Store, logKey string, res *Result, latest map[string]entryInfo) error {
	size, err := st.LogSize(ctx)
	if err != nil {
		return fmt.Errorf("verify log: %w", err)
	}
	cps, err := st.FindCheckpoints(ctx)
	if err != nil {
		return fmt.Errorf("verify log: %w", err)
	}
	at := map[int64][]*testigo.Checkpoint{}
	for _, c := range cps {
		res.Checkpoints++
		tree, _, err := translog.OpenCheckpoint(c.Note, logKey)
		if err != nil {
			res.problem("checkpoint of size %d: %v", c.Size, err)
			continue
		}
		if tree.Size != c.Size || tree.Root != tlog.Hash(c.Root) {
			res.problem("checkpoint of size %d: its signed text says size %d with another root (forged row)", c.Size, tree.Size)
			continue
		}
		if c.Size > size {
			res.problem("checkpoint of size %d is larger than the log (%d entries): the log was rolled back or entries removed", c.Size, size)
			continue
		}
		at[c.Size] = append(at[c.Size], c)
		if c.Timestamp != nil {
			res.Timestamps++
			if _, err := tsa.Verify(c.Timestamp, c.Note, nil); err != nil {
				res.problem("checkpoint of size %d: %v", c.Size, err)
			}
		}
	}

	var stack rootStack
	check := func(n int64) {
		root := stack.root()
		for _, c := range at[n] {
			if tlog.Hash(c.Root) != root {
				res.problem("checkpoint of size %d does not match the log's entries: entries were changed, reordered or removed", c.Size)
			}
		}
	}
	check(0)
	for from := int64(0); from < size; from += pageSize {
		entries, err := st.FindLogEntries(ctx, from, min(from+pageSize, size))
		if err != nil {
			return fmt.Errorf("verify log: %w", err)
		}
		for i, e := range entries {
			want := from + int64(i)
			if e.Index != want {
				res.problem("log entry %d is missing (found %d in its place)", want, e.Index)
				return nil
			}
			res.Entries++
			info := entryInfo{index: e.Index, redacted: e.Redacted()}
			if e.Redacted() {
				res.Redacted++
			} else {
				if translog.Commit(e.Salt, e.Content) != e.Commitment {
					res.problem("log entry %d was tampered with: its content does not match its commitment", e.Index)
				}
				info.content = sha256.Sum256(e.Content)
				if e.Kind == testigo.LogIncident {
					info.state, _ = translog.IncidentStateOf(e.Content) // unreadable: reported by checkIncidents
				}
			}
			latest[infoKey(e.Kind, e.Subject)] = info
			stack.push(translog.LeafHash(e))
			check(want + 1)
		}
	}
	if size > 0 {
		stored, err := translog.TreeHash(ctx, st, size)
		if err != nil {
			res.problem("stored tree hashes are incomplete: %v", err)
		} else if stored != stack.root() {
			res.problem("stored tree hashes do not match the log's entries")
		}
	}
	// Every older checkpoint must be consistent with the newest one.
	if len(cps) > 1 {
		latest := cps[len(cps)-1]
		for _, c := range cps[:len(cps)-1] {
			if latest.Size > size {
				break
			}
			p, err := translog.ConsistencyProof(ctx, st, latest.Size, c.Size)
			if err == nil {
				err = tlog.CheckTree(p, latest.Size, tlog.Hash(latest.Root), c.Size, tlog.Hash(c.Root))
			}
			if err != nil {
				res.problem("checkpoint of size %d is not consistent with checkpoint of size %d: %v", c.Size, latest.Size, err)
			}
		}
	}
	return nil
}

// rootStack computes RFC 6962 tree roots of a growing list of leaves in
// O(log n) memory: it keeps the roots of the perfect subtrees that make up
// the tree, largest first.
type rootStack struct {
	hashes []tlog.Hash
	sizes  []int64
}

func (s *rootStack) push(h tlog.Hash) {
	s.hashes = append(s.hashes, h)
	s.sizes = append(s.sizes, 1)
	for n := len(s.sizes); n >= 2 && s.sizes[n-1] == s.sizes[n-2]; n = len(s.sizes) {
		s.hashes[n-2] = tlog.NodeHash(s.hashes[n-2], s.hashes[n-1])
		s.sizes[n-2] *= 2
		s.hashes, s.sizes = s.hashes[:n-1], s.sizes[:n-1]
	}
}

func (s *rootStack) root() tlog.Hash {
	if len(s.hashes) == 0 {
		return sha256.Sum256(nil) // RFC 6962: the hash of an empty tree
	}
	h := s.hashes[len(s.hashes)-1]
	for i := len(s.hashes) - 2; i >= 0; i-- {
		h = tlog.NodeHash(s.hashes[i], h)
	}
	return h
}
