package translog_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
)

var ctx = context.Background()

func openStore(tb testing.TB) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "t.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

func appendN(tb testing.TB, st testigo.Store, n int) {
	tb.Helper()
	err := st.Transact(ctx, func(tx testigo.Store) error {
		var batch []*testigo.LogEntry
		for i := range n {
			e, err := translog.NewEntry(testigo.LogCapture, fmt.Sprintf("document:%d", i), []byte(fmt.Sprintf(`{"n":%d}`, i)), nil)
			if err != nil {
				return err
			}
			if i%2 == 0 {
				// Single appends and batches must build the same tree.
				if err := translog.Append(ctx, tx, e); err != nil {
					return err
				}
				continue
			}
			batch = append(batch, e)
			if err := translog.AppendAll(ctx, tx, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

func TestProofsAndCheckpoints(t *testing.T) {
	st := openStore(t)
	signer, vkey, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, st, 37)
	c1, err := translog.Checkpoint(ctx, st, signer, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, st, 100)
	c2, err := translog.Checkpoint(ctx, st, signer, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	again, err := translog.Checkpoint(ctx, st, signer, time.Now())
	if err != nil || again.Size != c2.Size {
		t.Errorf("checkpoint of an unchanged log: %v, %v", again, err)
	}
	tree, _, err := translog.OpenCheckpoint(c2.Note, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if tree.Size != 137 || tree.Root != tlog.Hash(c2.Root) {
		t.Errorf("opened checkpoint = %+v", tree)
	}
	entries, err := st.FindLogEntries(ctx, 0, 137)
	if err != nil || len(entries) != 137 {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	for _, i := range []int64{0, 1, 36, 64, 136} {
		p, err := translog.InclusionProof(ctx, st, i, tree.Size)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckRecord(p, tree.Size, tree.Root, i, translog.LeafHash(entries[i])); err != nil {
			t.Errorf("inclusion proof of %d: %v", i, err)
		}
		if err := tlog.CheckRecord(p, tree.Size, tree.Root, i, translog.LeafHash(entries[(i+1)%137])); err == nil {
			t.Errorf("inclusion proof of %d accepted another leaf", i)
		}
	}
	cp, err := translog.ConsistencyProof(ctx, st, c2.Size, c1.Size)
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.CheckTree(cp, c2.Size, c2.Root, c1.Size, c1.Root); err != nil {
		t.Errorf("consistency proof: %v", err)
	}

	// Redaction deletes the content but keeps the leaf and every proof.
	if err := st.RedactLogEntry(ctx, 5); err != nil {
		t.Fatal(err)
	}
	red, err := st.FindLogEntries(ctx, 5, 6)
	if err != nil || !red[0].Redacted() || red[0].Commitment != entries[5].Commitment {
		t.Fatalf("redacted entry = %+v, %v", red, err)
	}
	root, err := translog.TreeHash(ctx, st, 137)
	if err != nil || root != tree.Root {
		t.Errorf("root changed after redaction")
	}
}

func TestOpenCheckpointErrors(t *testing.T) {
	st := openStore(t)
	signer, vkey, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, st, 3)
	c, err := translog.Checkpoint(ctx, st, signer, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	forged := []byte(strings.Replace(string(c.Note), "\n3\n", "\n4\n", 1))
	tests := []struct {
		name string
		msg  []byte
		key  string
		want string
	}{
		{"unknown key", c.Note, otherKey, "unknown key"},
		{"forged body", forged, vkey, "checkpoint signature"},
		{"garbage", []byte("not a checkpoint"), vkey, "checkpoint"},
		{"bad key", c.Note, "nonsense", "log verifier key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := translog.OpenCheckpoint(tc.msg, tc.key)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line containing %q", err, tc.want)
			}
		})
	}
}

func TestWitnessCosign(t *testing.T) {
	st := openStore(t)
	signer, vkey, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	witness, wkey, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, st, 2)
	c, err := translog.Checkpoint(ctx, st, signer, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cosigned, err := translog.Cosign(c.Note, vkey, witness)
	if err != nil {
		t.Fatal(err)
	}
	_, n, err := translog.OpenCheckpoint(cosigned, vkey, wkey)
	if err != nil || len(n.Sigs) != 2 {
		t.Errorf("cosigned checkpoint: %v sigs, %v", n, err)
	}
}

func TestKeyFilePermissions(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := translog.LoadOrCreateKey(dir); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, "log.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if err := os.Chmod(filepath.Join(dir, "log.key"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := translog.LoadOrCreateKey(dir); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("world-readable key accepted: %v", err)
	}
}

func BenchmarkAppend100k(b *testing.B) {
	signer, _, err := translog.LoadOrCreateKey(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		st := openStore(b)
		entries := make([]*testigo.LogEntry, 100_000)
		for i := range entries {
			e, err := translog.NewEntry(testigo.LogCapture, fmt.Sprintf("document:%d", i), []byte(fmt.Sprintf(`{"n":%d}`, i)), nil)
			if err != nil {
				b.Fatal(err)
			}
			entries[i] = e
		}
		if err := st.Transact(ctx, func(tx testigo.Store) error { return translog.AppendAll(ctx, tx, entries) }); err != nil {
			b.Fatal(err)
		}
		if _, err := translog.Checkpoint(ctx, st, signer, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInclusionProof1M measures proof generation in a log of 1,000,000
// entries (the setup, appending them, takes about half a minute).
func BenchmarkInclusionProof1M(b *testing.B) {
	st := openStore(b)
	const n = 1_000_000
	err := st.Transact(ctx, func(tx testigo.Store) error {
		batch := make([]*testigo.LogEntry, 0, 10_000)
		for i := range n {
			e, err := translog.NewEntry(testigo.LogCapture, "document:1", []byte(fmt.Sprint(i)), nil)
			if err != nil {
				return err
			}
			batch = append(batch, e)
			if len(batch) == cap(batch) {
				if err := translog.AppendAll(ctx, tx, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		return translog.AppendAll(ctx, tx, batch)
	})
	if err != nil {
		b.Fatal(err)
	}
	i := int64(0)
	for b.Loop() {
		if _, err := translog.InclusionProof(ctx, st, (i*7919)%n, n); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
