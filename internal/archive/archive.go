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

// ErrNotFound is returned (wrapped) by Open when there is no blob with the
// digest asked for. It wraps testigo.ErrNotFound, so either can be tested
// with errors.Is.
var ErrNotFound = fmt.Errorf("blob %w", testigo.ErrNotFound)

// Dir is a content-addressed blob directory.
type Dir struct {
	root string
	sync *groupSync
}

// Open returns the blob directory at root, creating it (mode 0755) if
// needed.
func Open(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	}
	return &Dir{root: root, sync: newGroupSync(root)}, nil
}

// Root returns the directory the blobs are kept in.
func (d *Dir) Root() string { return d.root }

// Path returns where the blob with digest dg is kept, root/ab/cdef…, or ""
// if dg is not a valid digest (so that no digest can name a path outside
// root).
func (d *Dir) Path(dg testigo.Digest) string {
	if _, err := testigo.ParseDigest(string(dg)); err != nil {
		return ""
	}
	return filepath.Join(d.root, string(dg[:2]), string(dg[2:]))
}

// Put stores raw and returns its digest. created is false when the blob was
// already there, in which case nothing is written; a file of the wrong size
// under that name (left by something other than Put) is replaced. The write
// is atomic: a temporary file in the blob's directory is written, synced
// and renamed into place, then the directory is synced. Concurrent Puts of
// the same bytes are safe: each renames a complete copy. Where the platform
// has syncfs(2), concurrent Puts share their syncs (see groupSync), which
// keeps the archive fast when many workers capture at once.
func (d *Dir) Put(ctx context.Context, raw []byte) (dg testigo.Digest, created bool, err error) {
	if err := ctx.Err(); err != nil {
		return "", false, fmt.Errorf("archive blob: %w", err)
	}
	dg = testigo.DigestOf(raw)
	path := d.Path(dg)
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(raw)) {
		return dg, false, nil
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	tmp, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	defer func() {
		if err != nil {
			// Clean-up after a failure that is already being reported; the
			// temporary file may be gone (renamed) already.
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(raw); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	if !hasSyncFS {
		if err = syncFile(tmp); err != nil {
			return "", false, fmt.Errorf("archive %s: %w", dg, err)
		}
	}
	if err = tmp.Close(); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	if err = os.Chmod(tmp.Name(), 0o444); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	// The bytes are durable before the name points at them, and the name
	// before Put returns: a crash leaves no blob or the whole blob.
	if hasSyncFS {
		if err = d.sync.wait(); err != nil {
			return "", false, fmt.Errorf("archive %s: sync: %w", dg, err)
		}
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	if hasSyncFS {
		err = d.sync.wait()
	} else {
		err = syncDir(dir)
	}
	if err != nil {
		return "", false, fmt.Errorf("archive %s: sync: %w", dg, err)
	}
	return dg, true, nil
}

// tmpPrefix starts the names of files being written; no blob name starts
// with a dot.
const tmpPrefix = ".tmp-"

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Open opens the blob with digest dg for reading. It returns an error
// wrapping ErrNotFound (and so testigo.ErrNotFound) when there is no such
// blob and one wrapping
// testigo.ErrInvalid when dg is not a valid digest.
func (d *Dir) Open(dg testigo.Digest) (io.ReadCloser, error) {
	if _, err := testigo.ParseDigest(string(dg)); err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	f, err := os.Open(d.Path(dg))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("open %s: %w", dg, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", dg, err)
	}
	return f, nil
}

// Blobs is a content-addressed blob store: this package's local Dir, or
// object storage shared by several machines (internal/s3blobs).
type Blobs interface {
	// Put stores raw under its SHA-256 digest, atomically; created is false
	// when the blob was there already.
	Put(ctx context.Context, raw []byte) (dg testigo.Digest, created bool, err error)
	// Open opens the blob with digest dg. A missing blob gives an error
	// wrapping testigo.ErrNotFound.
	Open(dg testigo.Digest) (io.ReadCloser, error)
}

var _ Blobs = (*Dir)(nil)
