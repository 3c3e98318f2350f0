package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

// mustOpen opens a blob directory under a new temporary directory.
func mustOpen(tb testing.TB) *Dir {
	tb.Helper()
	d, err := Open(filepath.Join(tb.TempDir(), "blobs"))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// readBlob reads the blob dg back.
func readBlob(tb testing.TB, d *Dir, dg testigo.Digest) []byte {
	tb.Helper()
	rc, err := d.Open(dg)
	if err != nil {
		tb.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// tempFiles lists the temporary files under the directory.
func tempFiles(tb testing.TB, d *Dir) []string {
	tb.Helper()
	var found []string
	err := filepath.WalkDir(d.Root(), func(p string, e os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(e.Name(), tmpPrefix) {
			found = append(found, p)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return found
}

func TestOpenCreatesRoot(t *testing.T) {
	root := filepath.Join(t.TempDir(), "a", "b")
	if _, err := Open(root); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(root)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o700 != 0o700 {
		t.Errorf("root: %v %v", fi, err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(file); err == nil {
		t.Error("Open of a regular file as root gave no error")
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t)
	for _, raw := range [][]byte{
		[]byte("Seis personas sin vida en Badiraguato."),
		{},
		bytes.Repeat([]byte{0, 1, 2, 0xff}, 100_000),
	} {
		dg, created, err := d.Put(ctx, raw)
		if err != nil || !created || dg != testigo.DigestOf(raw) {
			t.Fatalf("Put = %s, %v, %v", dg, created, err)
		}
		if want := filepath.Join(d.Root(), string(dg)[:2], string(dg)[2:]); d.Path(dg) != want {
			t.Errorf("Path = %s, want %s", d.Path(dg), want)
		}
		if got := readBlob(t, d, dg); !bytes.Equal(got, raw) {
			t.Errorf("read back %d bytes, want %d", len(got), len(raw))
		}
	}
}

// TestPutIdempotent puts the same bytes twice: the second Put reports the
// blob as existing and leaves the file untouched.
func TestPutIdempotent(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t)
	raw := []byte("Dos muertos dejó un ataque armado en Reynosa.")
	dg, _, err := d.Put(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(d.Path(dg))
	if err != nil {
		t.Fatal(err)
	}
	dg2, created, err := d.Put(ctx, raw)
	if err != nil || created || dg2 != dg {
		t.Fatalf("second Put = %s, created=%v, %v; want the same digest, not created", dg2, created, err)
	}
	after, err := os.Stat(d.Path(dg))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Error("second Put rewrote the blob")
	}
	if after.Mode().Perm()&0o222 != 0 {
		t.Errorf("blob mode %v is writable", after.Mode())
	}
}

// TestPutRepairsTruncatedBlob replaces a file of the wrong size, as an
// interrupted copy by hand would leave.
func TestPutRepairsTruncatedBlob(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t)
	raw := []byte("Hombres armados asesinaron a tres personas.")
	dg := testigo.DigestOf(raw)
	if err := os.MkdirAll(filepath.Dir(d.Path(dg)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(d.Path(dg), raw[:10], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, created, err := d.Put(ctx, raw); err != nil || !created {
		t.Fatalf("Put over a truncated blob: created=%v, %v", created, err)
	}
	if got := readBlob(t, d, dg); !bytes.Equal(got, raw) {
		t.Errorf("blob = %q after repair", got)
	}
}

// TestConcurrentPuts puts the same bytes and different bytes from many
// goroutines: every Put succeeds, at least one creates the blob, each blob
// reads back whole and no temporary file is left.
func TestConcurrentPuts(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t)
	same := bytes.Repeat([]byte("same bytes "), 10_000)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		created int
	)
	for i := range 16 {
		wg.Go(func() {
			raw := same
			if i%2 == 1 {
				raw = fmt.Appendf(nil, "blob %d", i)
			}
			dg, c, err := d.Put(ctx, raw)
			if err != nil {
				t.Error(err)
				return
			}
			if got := readBlob(t, d, dg); !bytes.Equal(got, raw) {
				t.Errorf("blob %s read back %d bytes, want %d", dg, len(got), len(raw))
			}
			if c && i%2 == 0 {
				mu.Lock()
				created++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if created == 0 {
		t.Error("no Put of the shared bytes reported creating the blob")
	}
	if tmp := tempFiles(t, d); len(tmp) != 0 {
		t.Errorf("temporary files left behind: %v", tmp)
	}
}

func TestPutCancelled(t *testing.T) {
	d := mustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	raw := []byte("never stored")
	if _, _, err := d.Put(ctx, raw); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: %v", err)
	}
	if _, err := d.Open(testigo.DigestOf(raw)); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("cancelled Put stored the blob: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	d := mustOpen(t)
	absent := testigo.DigestOf([]byte("absent"))
	tests := []struct {
		name string
		dg   testigo.Digest
		kind error
		msg  string
	}{
		{"absent", absent, ErrNotFound, "open " + string(absent) + ": blob not found"},
		{"path traversal", "../../etc/passwd", testigo.ErrInvalid, `open blob: invalid input: digest "../../etc/passwd" is not 64 hex characters`},
		{"empty", "", testigo.ErrInvalid, `open blob: invalid input: digest "" is not 64 hex characters`},
		{"upper case", testigo.Digest(strings.ToUpper(string(absent))), testigo.ErrInvalid, "open blob: invalid input: digest \"" + strings.ToUpper(string(absent)) + "\" is not lower-case hex"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc, err := d.Open(tc.dg)
			if err == nil {
				rc.Close()
				t.Fatal("no error")
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %v does not wrap %v", err, tc.kind)
			}
			if diff := cmp.Diff(tc.msg, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if tc.kind == testigo.ErrInvalid && d.Path(tc.dg) != "" {
				t.Errorf("Path(%q) = %q, want \"\"", tc.dg, d.Path(tc.dg))
			}
		})
	}
	if _, err := d.Open(absent); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("ErrNotFound does not wrap testigo.ErrNotFound: %v", err)
	}
}
