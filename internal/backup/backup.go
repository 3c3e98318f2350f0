// Package backup writes and restores a whole testigo data directory as one
// gzip-compressed tar file: a consistent snapshot of the database, every
// archived blob and the transparency log's key pair, with a manifest of
// SHA-256 digests written last so that a restore can tell a complete,
// undamaged backup from a truncated or altered one before it puts anything
// in place.
//
// The database is snapshotted first and the blobs copied after: blobs are
// written before the rows that name them and never change, so every blob a
// snapshot row needs is present (blobs added later are harmless extras).
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
)

// manifestName is the last entry of every backup.
const manifestName = "MANIFEST.json"

// Manifest lists what a backup holds.
type Manifest struct {
	Format  string            `json:"format"` // "testigo-backup/1"
	Created time.Time         `json:"created"`
	Backend string            `json:"backend"` // "sqlite" or "postgres"
	Files   map[string]string `json:"files"`   // name in the backup -> SHA-256 hex
}

const format = "testigo-backup/1"

// File is one file to put in a backup: Src on disk under Name.
type File struct {
	Name string // slash-separated name inside the backup
	Src  string // path on disk
	Mode fs.FileMode
}

// Write writes files, then every regular file under blobsDir (as
// blobs/<relative path>), then the manifest, to w as tar.gz.
func Write(ctx context.Context, w io.Writer, backend string, files []File, blobsDir string, now time.Time) (*Manifest, error) {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	m := &Manifest{Format: format, Created: now.UTC(), Backend: backend, Files: map[string]string{}}
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
	for _, f := range files {
		if err := add(f); err != nil {
			return nil, err
		}
	}
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
