// Package translog keeps testigo's append-only transparency log: a Merkle
// tree with RFC 6962 hashing (golang.org/x/mod/sumdb/tlog) over typed entries
// that commit to salted content, signed checkpoints in the signed-note format
// (golang.org/x/mod/sumdb/note, Ed25519), and inclusion and consistency
// proofs. The tree's stored hashes live in the store, so memory stays flat as
// the log grows.
package translog

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/testigo-project/testigo"
)

// leafPrefix starts every leaf's data, naming the format.
const leafPrefix = "testigo-log-entry/v1\n"

// SaltSize is the length of each entry's random salt.
const SaltSize = 32

// Commit returns SHA-256(salt || content), the value a leaf commits to.
func Commit(salt, content []byte) [32]byte {
	h := sha256.New()
	h.Write(salt)
	h.Write(content)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// LeafData returns the data hashed into the tree for an entry: its format,
// kind and commitment. It does not include the content, so redacting the
// content leaves the leaf, and every proof, intact.
func LeafData(kind testigo.LogKind, commitment [32]byte) []byte {
	return []byte(leafPrefix + string(kind) + "\n" + hex.EncodeToString(commitment[:]) + "\n")
}

// LeafHash returns the RFC 6962 leaf hash of an entry.
func LeafHash(e *testigo.LogEntry) tlog.Hash {
	return tlog.RecordHash(LeafData(e.Kind, e.Commitment))
}

// NewEntry returns an entry of the given kind about subject, with a fresh
// salt from random (crypto/rand when nil) and its commitment.
func NewEntry(kind testigo.LogKind, subject string, content []byte, random io.Reader) (*testigo.LogEntry, error) {
	if !kind.Valid() {
		return nil, fmt.Errorf("%w: log kind %q", testigo.ErrInvalid, kind)
	}
	if random == nil {
		random = rand.Reader
	}
	salt := make([]byte, SaltSize)
	if _, err := io.ReadFull(random, salt); err != nil {
		return nil, fmt.Errorf("log entry salt: %w", err)
	}
	return &testigo.LogEntry{Kind: kind, Subject: subject, Salt: salt, Content: content, Commitment: Commit(salt, content)}, nil
}

// hashReader reads stored tree hashes from a LogStore for tlog.
func hashReader(ctx context.Context, st testigo.LogStore) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		hs, err := st.ReadLogHashes(ctx, indexes)
		if err != nil {
			return nil, err
		}
		out := make([]tlog.Hash, len(hs))
		for i, h := range hs {
			out[i] = tlog.Hash(h)
		}
		return out, nil
	})
}

// Append adds e at the end of the log and stores the tree hashes it adds.
// Call it inside a transaction: the size read and the append must not
// interleave with another writer's.
func Append(ctx context.Context, st testigo.LogStore, e *testigo.LogEntry) error {
	return AppendAll(ctx, st, []*testigo.LogEntry{e})
}

// AppendAll appends entries in order, keeping the hashes it writes in memory
// for the batch so that each append reads the store at most once per missing
// hash. Call it inside a transaction.
func AppendAll(ctx context.Context, st testigo.LogStore, entries []*testigo.LogEntry) error {
	if len(entries) == 0 {
		return nil
	}
	n, err := st.LogSize(ctx)
	if err != nil {
		return fmt.Errorf("append to log: %w", err)
	}
	written := map[int64]tlog.Hash{}
	stored := hashReader(ctx, st)
	r := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		var missing []int64
		var at []int
		for i, idx := range indexes {
			if h, ok := written[idx]; ok {
				out[i] = h
			} else {
				missing = append(missing, idx)
				at = append(at, i)
			}
		}
		if len(missing) > 0 {
			hs, err := stored.ReadHashes(missing)
			if err != nil {
				return nil, err
			}
			for j, h := range hs {
				out[at[j]] = h
			}
		}
		return out, nil
	})
	for _, e := range entries {
		hashes, err := tlog.StoredHashesForRecordHash(n, LeafHash(e), r)
		if err != nil {
			return fmt.Errorf("append to log: %w", err)
		}
		start := tlog.StoredHashIndex(0, n)
		raw := make([][32]byte, len(hashes))
		for i, h := range hashes {
			raw[i] = h
			written[start+int64(i)] = h
		}
		e.Index = n
		if err := st.AppendLogEntry(ctx, e, start, raw); err != nil {
			return fmt.Errorf("append to log: %w", err)
		}
		n++
	}
	return nil
}

// TreeHash returns the root hash of the first size entries.
func TreeHash(ctx context.Context, st testigo.LogStore, size int64) (tlog.Hash, error) {
	h, err := tlog.TreeHash(size, hashReader(ctx, st))
	if err != nil {
		return tlog.Hash{}, fmt.Errorf("tree hash of size %d: %w", size, err)
	}
	return h, nil
}

// InclusionProof proves that entry index is in the tree of the given size.
func InclusionProof(ctx context.Context, st testigo.LogStore, index, size int64) (tlog.RecordProof, error) {
	if index < 0 || index >= size {
		return nil, fmt.Errorf("%w: entry %d is not in a log of %d entries", testigo.ErrNotFound, index, size)
	}
	p, err := tlog.ProveRecord(size, index, hashReader(ctx, st))
	if err != nil {
		return nil, fmt.Errorf("prove entry %d in tree %d: %w", index, size, err)
	}
	return p, nil
}

// ConsistencyProof proves that the tree of size old is a prefix of the tree
// of size size.
func ConsistencyProof(ctx context.Context, st testigo.LogStore, size, old int64) (tlog.TreeProof, error) {
	p, err := tlog.ProveTree(size, old, hashReader(ctx, st))
	if err != nil {
		return nil, fmt.Errorf("prove tree %d extends tree %d: %w", size, old, err)
	}
	return p, nil
}
