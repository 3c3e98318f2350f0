package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
)

func TestRoundTrip(t *testing.T) {
	src := t.TempDir()
	blobs := filepath.Join(src, "blobs")
	for name, body := range map[string]string{"ab/cdef": "blob one", "12/3456": "blob two", "ab/.tmp-1": "partial"} {
		p := filepath.Join(blobs, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	key := filepath.Join(src, "log.key")
	if err := os.WriteFile(key, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	m, err := Write(t.Context(), &buf, Contents{Backend: "sqlite",
		Files: []File{{Name: "log.key", Src: key, Mode: 0o600}}, BlobsDir: blobs, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 3 {
		t.Errorf("manifest lists %d files, want 3 (the temporary blob is left out): %v", len(m.Files), m.Files)
	}
	dst := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(t.Context(), bytes.NewReader(buf.Bytes()), dst); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dst, "blobs", "ab", "cdef"))
	if err != nil || string(got) != "blob one" {
		t.Errorf("restored blob = %q, %v", got, err)
	}
	if fi, err := os.Stat(filepath.Join(dst, "log.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored key mode: %v %v", fi, err)
	}
}

// evil builds a tar.gz holding one file with the given name.
func evil(t *testing.T, name string, typ byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 1, Typeflag: typ, Linkname: "/etc/passwd"}); err != nil {
		t.Fatal(err)
	}
	if typ == tar.TypeReg {
		tw.Write([]byte("x"))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func TestRestoreRefusesUnsafeEntries(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  byte
	}{{"../escape", tar.TypeReg}, {"/abs", tar.TypeReg}, {"a/../../b", tar.TypeReg}, {"link", tar.TypeSymlink}} {
		parent := t.TempDir()
		_, err := Restore(t.Context(), bytes.NewReader(evil(t, tc.name, tc.typ)), filepath.Join(parent, "d"))
		if err == nil || !strings.Contains(err.Error(), "damaged backup") {
			t.Errorf("entry %q: Restore = %v, want a damaged-backup error", tc.name, err)
		}
		entries, _ := os.ReadDir(parent)
		if len(entries) != 0 {
			t.Errorf("entry %q: restore left %d entries behind", tc.name, len(entries))
		}
	}
	// A regular, safe file without a manifest is an incomplete backup.
	if _, err := Restore(t.Context(), bytes.NewReader(evil(t, "blobs/x", tar.TypeReg)), filepath.Join(t.TempDir(), "d")); err == nil ||
		!strings.Contains(err.Error(), "no manifest") {
		t.Errorf("backup without a manifest: %v", err)
	}
}

// TestBlobsByDigest backs up blobs read one digest at a time (as from
// object storage) and copies the restored ones into another blob store.
func TestBlobsByDigest(t *testing.T) {
	ctx := t.Context()
	src, err := archive.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	var digests []testigo.Digest
	for _, s := range []string{"first capture", "second capture", "first capture"} {
		dg, _, err := src.Put(ctx, []byte(s))
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, dg)
	}
	var buf bytes.Buffer
	m, err := Write(ctx, &buf, Contents{Backend: "postgres", Digests: digests, Blobs: src, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 2 {
		t.Errorf("manifest lists %d blobs, want 2 (one digest was named twice)", len(m.Files))
	}
	missing := append(digests, testigo.DigestOf([]byte("never stored")))
	if _, err := Write(ctx, io.Discard, Contents{Backend: "postgres", Digests: missing, Blobs: src, Now: time.Now()}); err == nil ||
		!strings.Contains(err.Error(), string(missing[3])) {
		t.Errorf("Write with a missing blob = %v, want an error naming it", err)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := Restore(ctx, bytes.NewReader(buf.Bytes()), dir); err != nil {
		t.Fatal(err)
	}
	dst, err := archive.Open(filepath.Join(t.TempDir(), "other"))
	if err != nil {
		t.Fatal(err)
	}
	n, err := CopyBlobs(ctx, filepath.Join(dir, "blobs"), dst)
	if err != nil || n != 2 {
		t.Fatalf("CopyBlobs = %d, %v; want 2", n, err)
	}
	for _, dg := range digests {
		rc, err := dst.Open(dg)
		if err != nil {
			t.Fatalf("blob %s after CopyBlobs: %v", dg, err)
		}
		rc.Close()
	}
	// A file whose bytes do not match its name is refused.
	p := filepath.Join(dir, "blobs", string(digests[1][:2]), string(digests[1][2:]))
	if err := os.Chmod(p, 0o644); err != nil { // blobs are stored read-only
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("altered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CopyBlobs(ctx, filepath.Join(dir, "blobs"), dst); err == nil || !strings.Contains(err.Error(), "holds bytes with digest") {
		t.Errorf("CopyBlobs of an altered file = %v", err)
	}
}
