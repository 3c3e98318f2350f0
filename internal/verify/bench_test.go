package verify_test

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
	"github.com/testigo-project/testigo/internal/verify"
)

// archive10k builds a data dir of 10,000 documents of 8 KB each, logged and
// checkpointed as the pipeline does.
func archive10k(b *testing.B) (*sqlite.Store, dirBlobs, string, int64) {
	dir := b.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	blobs := dirBlobs(filepath.Join(dir, "blobs"))
	os.MkdirAll(string(blobs), 0o755)
	signer, vkey, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		b.Fatal(err)
	}
	var total int64
	err = st.Transact(ctx, func(tx testigo.Store) error {
		for i := range 10_000 {
			raw := make([]byte, 8<<10)
			copy(raw, fmt.Sprintf("document %d ", i))
			d := &testigo.Document{SHA256: testigo.DigestOf(raw), Text: "t", Size: int64(len(raw)), FetchedAt: time.Now()}
			if err := os.WriteFile(filepath.Join(string(blobs), string(d.SHA256)), raw, 0o644); err != nil {
				return err
			}
			total += int64(len(raw))
			if err := tx.CreateDocument(ctx, d); err != nil {
				return err
			}
			if err := jobs.LogCapture(ctx, tx, d, nil); err != nil {
				return err
			}
		}
		_, err := translog.Checkpoint(ctx, tx, signer, time.Now())
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return st, blobs, vkey, total
}

// BenchmarkVerify10k verifies a 10,000-document archive; compare its MB/s
// with BenchmarkSHA256Only10k, plain hashing of the same files.
func BenchmarkVerify10k(b *testing.B) {
	st, blobs, vkey, total := archive10k(b)
	b.SetBytes(total)
	for b.Loop() {
		res, err := verify.Run(ctx, st, blobs, vkey)
		if err != nil || !res.OK() {
			b.Fatalf("%v %v", err, res.Problems)
		}
	}
}

// BenchmarkSHA256Only10k hashes the same 10,000 files and nothing else.
func BenchmarkSHA256Only10k(b *testing.B) {
	_, blobs, _, total := archive10k(b)
	entries, err := os.ReadDir(string(blobs))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(total)
	for b.Loop() {
		for _, e := range entries {
			f, err := os.Open(filepath.Join(string(blobs), e.Name()))
			if err != nil {
				b.Fatal(err)
			}
			h := sha256.New()
			io.Copy(h, f)
			f.Close()
		}
	}
}
