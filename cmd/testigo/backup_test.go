package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestore(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	in := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(in, []byte("A drone strike killed three people in Culiacán, Sinaloa, on Tuesday."), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, ctx, "", "ingest", "--data", data, in); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "backup.tar.gz")
	out, _, err := runCmd(t, ctx, "", "backup", "--data", data, "-o", file)
	if err != nil || !strings.Contains(out, "1 blobs") {
		t.Fatalf("backup = %q, %v", out, err)
	}
	restored := filepath.Join(dir, "restored")
	out, _, err = runCmd(t, ctx, "", "restore", "--data", restored, file)
	if err != nil || !strings.Contains(out, "verified 1 blobs") {
		t.Fatalf("restore = %q, %v", out, err)
	}
	if fi, err := os.Stat(filepath.Join(restored, "log.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored log.key: %v, %v; want mode 0600", fi, err)
	}
	wantPub, _ := os.ReadFile(filepath.Join(data, "log.pub"))
	gotPub, _ := os.ReadFile(filepath.Join(restored, "log.pub"))
	if string(wantPub) != string(gotPub) || len(gotPub) == 0 {
		t.Error("restored verifier key differs from the original")
	}
	if _, _, err := runCmd(t, ctx, "", "restore", "--data", restored, file); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("restore over a data dir = %v, want a 'not empty' error", err)
	}

	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string][]byte{
		"truncated": raw[:len(raw)/2],
		"garbage":   []byte("this is not a backup"),
	} {
		p := filepath.Join(dir, name+".tar.gz")
		if err := os.WriteFile(p, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, "r-"+name)
		_, _, err := runCmd(t, ctx, "", "restore", "--data", target, p)
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("restore of a %s backup = %v, want a one-line error", name, err)
		}
		if _, serr := os.Stat(target); !os.IsNotExist(serr) {
			t.Errorf("restore of a %s backup left %s behind", name, target)
		}
	}
	if _, _, err := runCmd(t, ctx, "", "backup", "--data", data, "-o", filepath.Join(dir, "no", "such", "dir", "b.tgz")); err == nil {
		t.Error("backup to an unwritable path succeeded")
	}
}
