package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	m, err := Write(t.Context(), &buf, "sqlite", []File{{Name: "log.key", Src: key, Mode: 0o600}}, blobs, time.Now())
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
