// Package proof builds and checks self-contained inclusion proofs: a log
// entry, the signed checkpoint it is included in, and the Merkle path between
// them, in a JSON form a third party can check offline with the log's
// verifier key.
package proof

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/translog"
)

// Entry is a log entry as a proof shows it. Salt and Content are empty when
// the entry was redacted.
type Entry struct {
	Index      int64  `json:"index"`
	Kind       string `json:"kind"`
	Subject    string `json:"subject"`
	Salt       string `json:"salt,omitempty"`    // hex
	Content    string `json:"content,omitempty"` // the canonical JSON, as text
	Commitment string `json:"commitment"`        // hex SHA-256(salt || content)
	Redacted   bool   `json:"redacted"`
}

// Proof is an inclusion proof of one entry in a signed checkpoint.
type Proof struct {
	Entry      Entry    `json:"entry"`
	TreeSize   int64    `json:"tree_size"`
	RootHash   string   `json:"root_hash"`  // hex
	Checkpoint string   `json:"checkpoint"` // the signed note
	Inclusion  []string `json:"inclusion"`  // hex hashes, leaf to root
}

// ForSubject returns the proof for the newest entry about subject ("sha256:"
// followed by a document digest, or "document:N", "report:N", "incident:N")
// in the latest checkpoint. It returns ErrNotFound if there is no such entry
// or it is not yet covered by a checkpoint.
func ForSubject(ctx context.Context, st testigo.Store, subject string) (*Proof, error) {
	if d, ok := strings.CutPrefix(subject, "sha256:"); ok {
		doc, err := st.FindDocumentByDigest(ctx, testigo.Digest(d))
		if err != nil {
			return nil, fmt.Errorf("proof for %s: %w", subject, err)
		}
		subject = translog.DocumentSubject(doc.ID)
	}
	entries, err := st.FindLogEntriesBySubject(ctx, subject)
	if err != nil {
		return nil, fmt.Errorf("proof for %s: %w", subject, err)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("proof for %s: no log entry: %w", subject, testigo.ErrNotFound)
	}
	return ForEntry(ctx, st, entries[len(entries)-1])
}

// ForEntry returns the proof of e in the latest checkpoint.
func ForEntry(ctx context.Context, st testigo.Store, e *testigo.LogEntry) (*Proof, error) {
	cps, err := st.FindCheckpoints(ctx)
	if err != nil {
		return nil, fmt.Errorf("proof for entry %d: %w", e.Index, err)
	}
	if len(cps) == 0 || cps[len(cps)-1].Size <= e.Index {
		return nil, fmt.Errorf("proof for entry %d: no signed checkpoint covers it yet: %w", e.Index, testigo.ErrNotFound)
	}
	c := cps[len(cps)-1]
	path, err := translog.InclusionProof(ctx, st, e.Index, c.Size)
	if err != nil {
		return nil, err
	}
	p := &Proof{
		Entry: Entry{Index: e.Index, Kind: string(e.Kind), Subject: e.Subject,
			Commitment: hex.EncodeToString(e.Commitment[:]), Redacted: e.Redacted()},
		TreeSize: c.Size, RootHash: hex.EncodeToString(c.Root[:]), Checkpoint: string(c.Note),
	}
	if !e.Redacted() {
		p.Entry.Salt = hex.EncodeToString(e.Salt)
		p.Entry.Content = string(e.Content)
	}
	for _, h := range path {
		p.Inclusion = append(p.Inclusion, hex.EncodeToString(h[:]))
	}
	return p, nil
}

// Check verifies p offline: the checkpoint's signature by logKey (and any
// witness keys), that the entry's content matches its commitment (unless
// redacted) and that the entry's leaf is included in the checkpoint's tree.
func Check(p *Proof, logKey string, witnessKeys ...string) error {
	tree, _, err := translog.OpenCheckpoint([]byte(p.Checkpoint), logKey, witnessKeys...)
	if err != nil {
		return err
	}
	if tree.Size != p.TreeSize || hex.EncodeToString(tree.Root[:]) != p.RootHash {
		return fmt.Errorf("%w: proof states tree %d/%s but its checkpoint signs %d/%x",
			testigo.ErrInvalid, p.TreeSize, p.RootHash, tree.Size, tree.Root[:])
	}
	commit, err := decode32(p.Entry.Commitment)
	if err != nil {
		return fmt.Errorf("%w: entry commitment: %v", testigo.ErrInvalid, err)
	}
	if !p.Entry.Redacted {
		salt, err := hex.DecodeString(p.Entry.Salt)
		if err != nil {
			return fmt.Errorf("%w: entry salt is not hex", testigo.ErrInvalid)
		}
		if translog.Commit(salt, []byte(p.Entry.Content)) != commit {
			return fmt.Errorf("%w: entry %d content does not match its commitment", testigo.ErrInvalid, p.Entry.Index)
		}
	}
	var path tlog.RecordProof
	for _, s := range p.Inclusion {
		h, err := decode32(s)
		if err != nil {
			return fmt.Errorf("%w: inclusion hash: %v", testigo.ErrInvalid, err)
		}
		path = append(path, h)
	}
	leaf := tlog.RecordHash(translog.LeafData(testigo.LogKind(p.Entry.Kind), commit))
	if err := tlog.CheckRecord(path, tree.Size, tree.Root, p.Entry.Index, leaf); err != nil {
		return fmt.Errorf("%w: entry %d is not in the checkpoint's tree: %v", testigo.ErrInvalid, p.Entry.Index, err)
	}
	return nil
}

func decode32(s string) ([32]byte, error) {
	var out [32]byte
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return out, errors.New("not 32 bytes of hex")
	}
	copy(out[:], b)
	return out, nil
}
