// Package archive keeps raw captures content-addressed on the local file
// system: each blob is stored once under the SHA-256 of its bytes, at
// root/ab/cdef… Writes are atomic (temporary file, fsync, rename, fsync of
// the directory), so a crash leaves either no blob or the whole blob.
package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/testigo-project/testigo"
)

// Dir is a content-addressed blob directory.
type Dir struct {
	root string
}

// Open returns the blob directory at root, creating it if needed.
func Open(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	}
	return &Dir{root: root}, nil
}

// Root returns the directory the blobs are kept in.
func (d *Dir) Root() string { return d.root }

// Path returns where the blob with digest dg is kept.
func (d *Dir) Path(dg testigo.Digest) string {
	s := string(dg)
	if len(s) < 3 {
		return filepath.Join(d.root, "invalid", s)
	}
	return filepath.Join(d.root, s[:2], s[2:])
}

// Put stores raw and returns its digest. created is false when the blob was
// already there, in which case nothing is written.
func (d *Dir) Put(ctx context.Context, raw []byte) (dg testigo.Digest, created bool, err error) {
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	dg = testigo.DigestOf(raw)
	path := d.Path(dg)
	if _, err := os.Stat(path); err == nil {
		return dg, false, nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(raw); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	if err = tmp.Sync(); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	if err = tmp.Close(); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	if err = os.Chmod(tmp.Name(), 0o444); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	if err = syncDir(dir); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	return dg, true, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open opens the blob with digest dg. It returns an error wrapping
// testigo.ErrNotFound when there is no such blob.
func (d *Dir) Open(dg testigo.Digest) (io.ReadCloser, error) {
	if _, err := testigo.ParseDigest(string(dg)); err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	f, err := os.Open(d.Path(dg))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("blob %s: %w", dg, testigo.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", dg, err)
	}
	return f, nil
}
