// Package backup writes and restores a whole testigo data directory as one
// gzip-compressed tar file: a consistent snapshot of the database (a SQLite
// file, or a pg_dump archive of the PostgreSQL schema), every archived blob
// and the transparency log's key pair, with a manifest of SHA-256 digests
// written last so that a restore can tell a complete, undamaged backup from
// a truncated or altered one before it puts anything in place.
//
// The database is snapshotted first and the blobs copied after: blobs are
// written before the rows that name them and never change, so every blob a
// snapshot row needs is present (blobs added later are harmless extras).
// Blobs come from a local blob directory, copied whole, or from object
// storage, read one digest at a time; either way they are restored as
// blobs/ab/cdef… files.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// manifestName is the last entry of every backup.
const manifestName = "MANIFEST.json"

// Manifest lists what a backup holds.
type Manifest struct {
	Format  string    `json:"format"` // "testigo-backup/1"
	Created time.Time `json:"created"`
	Backend string    `json:"backend"` // "sqlite" or "postgres"
	// Postgres describes the dump of a "postgres" backup.
	Postgres *Postgres         `json:"postgres,omitempty"`
	Files    map[string]string `json:"files"` // name in the backup -> SHA-256 hex
}

// Postgres describes the pg_dump archive in a PostgreSQL backup.
type Postgres struct {
	Dump          string `json:"dump"`           // its name in the backup
	Schema        string `json:"schema"`         // the schema dumped
	ServerVersion string `json:"server_version"` // of the source server, e.g. "15.20"
	PgDumpVersion string `json:"pg_dump_version"`
}

const format = "testigo-backup/1"

// File is one file to put in a backup: Src on disk under Name.
type File struct {
	Name string // slash-separated name inside the backup
	Src  string // path on disk
	Mode fs.FileMode
}

// BlobOpener opens a blob by its digest: archive.Blobs has this method.
type BlobOpener interface {
	// Open opens the blob with digest dg; a missing blob gives an error
	// wrapping testigo.ErrNotFound.
	Open(dg testigo.Digest) (io.ReadCloser, error)
}

// Contents is what Write puts in a backup.
type Contents struct {
	Backend  string    // "sqlite" or "postgres"
	Postgres *Postgres // for "postgres"
	Files    []File    // the database and the log keys
	// BlobsDir, when set, is a local blob directory whose regular files
	// are all copied (as blobs/<relative path>).
	BlobsDir string
	// Digests, with Blobs, are the blobs to read through Blobs one by one
	// (object storage, which cannot be walked like a directory).
	Digests []testigo.Digest
	Blobs   BlobOpener
	Now     time.Time
}

// Write writes c's files, then its blobs, then the manifest, to w as
// tar.gz. A digest that cannot be read from c.Blobs is an error naming it.
func Write(ctx context.Context, w io.Writer, c Contents) (*Manifest, error) {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	now := c.Now
	m := &Manifest{Format: format, Created: now.UTC(), Backend: c.Backend, Postgres: c.Postgres, Files: map[string]string{}}
	add := func(f File) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sum, err := addFile(tw, f, now)
		if err != nil {
			return fmt.Errorf("backup %s: %w", f.Src, err)
		}
		m.Files[f.Name] = sum
		return nil
	}
	for _, f := range c.Files {
		if err := add(f); err != nil {
			return nil, err
		}
	}
	blobsDir := c.BlobsDir
	if blobsDir != "" {
		err := filepath.WalkDir(blobsDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".") {
				return nil // directories, and temporary files of writes in progress
			}
			rel, err := filepath.Rel(blobsDir, p)
			if err != nil {
				return err
			}
			return add(File{Name: "blobs/" + filepath.ToSlash(rel), Src: p, Mode: 0o644})
		})
		if err != nil {
			return nil, fmt.Errorf("backup blobs: %w", err)
		}
	}
	for _, dg := range c.Digests {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := "blobs/" + string(dg[:2]) + "/" + string(dg[2:])
		if _, ok := m.Files[name]; ok {
			continue // a blob named twice (a document and its capture record may share one)
		}
		sum, err := addBlob(tw, c.Blobs, dg, name, now)
		if err != nil {
			return nil, fmt.Errorf("backup blob %s: %w", dg, err)
		}
		m.Files[name] = sum
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("backup manifest: %w", err)
	}
	hdr := &tar.Header{Name: manifestName, Mode: 0o644, Size: int64(len(body)), ModTime: now, Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return nil, fmt.Errorf("backup manifest: %w", err)
	}
	if _, err := tw.Write(body); err != nil {
		return nil, fmt.Errorf("backup manifest: %w", err)
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

func addFile(tw *tar.Writer, f File, now time.Time) (string, error) {
	in, err := os.Open(f.Src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return "", err
	}
	hdr := &tar.Header{Name: f.Name, Mode: int64(f.Mode.Perm()), Size: st.Size(), ModTime: now, Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tw, h), in); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// addBlob copies the blob dg from blobs into tw under name. Blobs are read
// whole (at most a few tens of MB), because a tar header needs the size.
func addBlob(tw *tar.Writer, blobs BlobOpener, dg testigo.Digest, name string, now time.Time) (string, error) {
	if _, err := testigo.ParseDigest(string(dg)); err != nil {
		return "", err
	}
	rc, err := blobs.Open(dg)
	if err != nil {
		return "", err
	}
	body, err := io.ReadAll(rc)
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), ModTime: now, Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return "", err
	}
	if _, err := tw.Write(body); err != nil {
		return "", err
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:]), nil
}

// maxEntry bounds one file in a backup being restored (a blob is at most a
// few tens of MB; the database may be large).
const maxEntry = 64 << 30

// Restore unpacks the backup read from r into dir, which must not exist or
// be empty. It unpacks into a temporary directory beside dir and renames it
// into place only once every file matches the manifest, so a damaged or
// truncated backup leaves nothing behind.
func Restore(ctx context.Context, r io.Reader, dir string) (*Manifest, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("restore: %s is not empty; restore into a new directory", dir)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, ".restore-*")
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	m, err := unpack(ctx, r, tmp)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	_ = os.Remove(dir) // an empty target directory
	if err := os.Rename(tmp, dir); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	ok = true
	return m, nil
}

func unpack(ctx context.Context, r io.Reader, dir string) (*Manifest, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a testigo backup (not gzip): %w", err)
	}
	tr := tar.NewReader(zr)
	got := map[string]string{}
	var m *Manifest
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("damaged backup: %w", err)
		}
		if m != nil {
			return nil, fmt.Errorf("damaged backup: entry %q after the manifest", hdr.Name)
		}
		if hdr.Name == manifestName {
			m = &Manifest{}
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(m); err != nil {
				return nil, fmt.Errorf("damaged backup manifest: %w", err)
			}
			continue
		}
		name, err := safeName(hdr)
		if err != nil {
			return nil, err
		}
		sum, err := writeEntry(tr, filepath.Join(dir, filepath.FromSlash(name)), fs.FileMode(hdr.Mode).Perm())
		if err != nil {
			return nil, fmt.Errorf("restore %s: %w", name, err)
		}
		got[name] = sum
	}
	if m == nil {
		return nil, errors.New("incomplete backup: no manifest (the file was cut short)")
	}
	if m.Format != format {
		return nil, fmt.Errorf("backup format %q is not %q", m.Format, format)
	}
	var problems []string
	for name, want := range m.Files {
		switch g, ok := got[name]; {
		case !ok:
			problems = append(problems, name+" is missing")
		case g != want:
			problems = append(problems, name+" is damaged")
		}
	}
	for name := range got {
		if _, ok := m.Files[name]; !ok {
			problems = append(problems, name+" is not in the manifest")
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("damaged backup: %s", strings.Join(problems, "; "))
	}
	return m, nil
}

// safeName accepts only regular files with relative, clean names.
func safeName(hdr *tar.Header) (string, error) {
	if hdr.Typeflag != tar.TypeReg {
		return "", fmt.Errorf("damaged backup: %q is not a regular file", hdr.Name)
	}
	name := hdr.Name
	if name == "" || path.IsAbs(name) || path.Clean(name) != name || name == ".." || strings.HasPrefix(name, "../") || strings.Contains(name, "\\") {
		return "", fmt.Errorf("damaged backup: unsafe file name %q", hdr.Name)
	}
	if hdr.Size < 0 || hdr.Size > maxEntry {
		return "", fmt.Errorf("damaged backup: %q has size %d", hdr.Name, hdr.Size)
	}
	return name, nil
}

func writeEntry(r io.Reader, dst string, mode fs.FileMode) (string, error) {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	if mode == 0 {
		mode = 0o644
	}
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// BlobPutter stores a blob under its digest: archive.Blobs has this method.
type BlobPutter interface {
	// Put stores raw under its SHA-256 digest.
	Put(ctx context.Context, raw []byte) (dg testigo.Digest, created bool, err error)
}

// CopyBlobs puts every blob of the restored blob directory dir
// (dir/ab/cdef…) into dst, for a deployment that keeps its blobs in object
// storage, and returns how many it copied. A file whose bytes do not hash to
// its name is an error naming it, and nothing more is copied.
func CopyBlobs(ctx context.Context, dir string, dst BlobPutter) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		want := strings.ReplaceAll(filepath.ToSlash(rel), "/", "")
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if dg := testigo.DigestOf(raw); string(dg) != want {
			return fmt.Errorf("blob file %s holds bytes with digest %s", rel, dg)
		}
		if _, _, err := dst.Put(ctx, raw); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("copy blobs to the blob store: %w", err)
	}
	return n, nil
}
