package archive

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/testigo-project/testigo"
)

func TestPutOpen(t *testing.T) {
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte("Seis personas sin vida en Badiraguato.")
	dg, created, err := d.Put(ctx, raw)
	if err != nil || !created || dg != testigo.DigestOf(raw) {
		t.Fatalf("Put = %s, %v, %v", dg, created, err)
	}
	if want := filepath.Join(d.Root(), string(dg)[:2], string(dg)[2:]); d.Path(dg) != want {
		t.Errorf("Path = %s, want %s", d.Path(dg), want)
	}
	_, created, err = d.Put(ctx, raw)
	if err != nil || created {
		t.Errorf("second Put: created=%v err=%v, want an idempotent no-op", created, err)
	}
	rc, err := d.Open(dg)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != string(raw) {
		t.Errorf("read back %q", got)
	}
	if _, err := d.Open(testigo.DigestOf([]byte("absent"))); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("Open of a missing blob: %v", err)
	}
	if _, err := d.Open("../../etc/passwd"); !errors.Is(err, testigo.ErrInvalid) {
		t.Errorf("Open of a bad digest: %v", err)
	}
}

func TestConcurrentPutsLeaveNoTemporaries(t *testing.T) {
	ctx := context.Background()
	d, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte(strings.Repeat("same bytes ", 1000))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, _, err := d.Put(ctx, raw); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	err = filepath.WalkDir(d.Root(), func(p string, e os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
