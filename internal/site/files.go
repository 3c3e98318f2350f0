package site

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
)

// ManifestName is the site's list of files and their SHA-256 digests, in
// the format of sha256sum(1). It lists every file Build writes; the files
// written after it (VerificationFiles) are not in it, since they sign it.
const ManifestName = "SHA256SUMS"

// files writes a site's files into dir, each only when its bytes differ from
// what is already there, and remembers what it wrote for the manifest.
type files struct {
	dir string
	// mu guards the fields below dir and old, so that exports can be
	// streamed at once.
	mu        sync.Mutex
	old       map[string]string // relative path → hex SHA-256, from the previous manifest
	sums      map[string]string // relative path → hex SHA-256 of this build
	written   int
	unchanged int
	dirs      map[string]bool // directories known to exist
	seq       int             // numbers temporary files
}

// openFiles prepares writing a site into dir, creating it if needed. A
// non-empty dir must hold a previous site (a readable manifest), so that a
// mistyped --out never mixes a site into an unrelated directory.
func openFiles(dir string) (*files, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create site dir: %w", err)
	}
	f := &files{dir: dir, old: map[string]string{}, sums: map[string]string{}, dirs: map[string]bool{}}
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("read site dir: %w", err)
		}
		ents = slices.DeleteFunc(ents, func(e os.DirEntry) bool { return e.Name() == LockName || e.Name() == StateName })
		if len(ents) > 0 {
			return nil, fmt.Errorf("%s is not empty and holds no %s from an earlier build: choose an empty or new directory", dir, ManifestName)
		}
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", ManifestName, err)
	}
	if f.old, err = parseManifest(b); err != nil {
		return nil, fmt.Errorf("%s in %s: %w", ManifestName, dir, err)
	}
	return f, nil
}

// parseManifest reads "HEX  PATH" lines.
func parseManifest(b []byte) (map[string]string, error) {
	m := map[string]string{}
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if line == "" {
			continue
		}
		sum, p, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 || !filepath.IsLocal(p) {
			return nil, fmt.Errorf("line %d is not \"SHA256  PATH\"", i+1)
		}
		if _, err := hex.DecodeString(sum); err != nil {
			return nil, fmt.Errorf("line %d: digest is not hex", i+1)
		}
		m[p] = sum
	}
	return m, nil
}

// write stores b at the slash-separated path rel unless the file there
// already holds exactly b.
func (f *files) write(rel string, b []byte) error {
	sum := sha256.Sum256(b)
	hexSum := hex.EncodeToString(sum[:])
	dst := filepath.Join(f.dir, filepath.FromSlash(rel))
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, b) {
		f.count(rel, hexSum, false)
		return nil
	}
	err := f.replace(rel, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return err
	}
	f.count(rel, hexSum, true)
	return nil
}

// keep counts rel as part of this build, unchanged, without rendering it,
// if the last build wrote it and it is still there. It reports whether it
// did.
func (f *files) keep(rel string) (bool, error) {
	sum, ok := f.old[rel]
	if !ok {
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(f.dir, filepath.FromSlash(rel))); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("stat %s: %w", rel, err)
	}
	f.count(rel, sum, false)
	return true, nil
}

// count records rel's digest for the manifest and counts it as written or
// unchanged.
func (f *files) count(rel, sum string, written bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sums[rel] = sum
	if written {
		f.written++
	} else {
		f.unchanged++
	}
}

// stream writes the output of fn to rel through a temporary file beside it,
// then keeps the old file if it has the same bytes. Memory stays flat
// however large the file.
func (f *files) stream(rel string, fn func(w io.Writer) error) error {
	dst := filepath.Join(f.dir, filepath.FromSlash(rel))
	tmp, err := f.temp(dst)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(tmp, h), 64<<10)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if old, err := fileSum(dst); err == nil && old == sum {
		f.count(rel, sum, false)
		return nil
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	f.count(rel, sum, true)
	return nil
}

// replace writes rel through a temporary file and a rename, so a reader
// never sees half a file.
func (f *files) replace(rel string, fn func(w io.Writer) error) error {
	dst := filepath.Join(f.dir, filepath.FromSlash(rel))
	tmp, err := f.temp(dst)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	err = fn(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// temp creates a temporary file, readable by all as a static host needs,
// in dst's directory, creating the directory once.
func (f *files) temp(dst string) (*os.File, error) {
	d := filepath.Dir(dst)
	f.mu.Lock()
	known := f.dirs[d]
	f.seq++
	seq := f.seq
	f.mu.Unlock()
	if !known {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("create %s: %w", d, err)
		}
		f.mu.Lock()
		f.dirs[d] = true
		f.mu.Unlock()
	}
	// The name is unique to this process and file, so builds running at
	// once cannot write into each other's temporary files; O_EXCL makes
	// sure of it.
	name := filepath.Join(d, fmt.Sprintf(".tmp-%s-%d-%d", filepath.Base(dst), os.Getpid(), seq))
	tmp, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", dst, err)
	}
	return tmp, nil
}

// fileSum returns the hex SHA-256 of the file at p.
func fileSum(p string) (string, error) {
	fh, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.Copy(h, fh); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// finish removes the files the previous build wrote and this one did not
// (an incident no longer published), with any directory left empty, then
// writes the manifest. It returns the number of files removed and the
// manifest's SHA-256.
func (f *files) finish() (removed int, manifestSum string, err error) {
	for rel := range f.old {
		if _, ok := f.sums[rel]; ok {
			continue
		}
		p := filepath.Join(f.dir, filepath.FromSlash(rel))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, "", fmt.Errorf("remove %s: %w", rel, err)
		}
		removed++
		// Remove emptied parent directories up to the site's root; Remove
		// fails on a non-empty directory, which ends the walk.
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if os.Remove(filepath.Join(f.dir, filepath.FromSlash(d))) != nil {
				break
			}
		}
	}
	paths := make([]string, 0, len(f.sums))
	for p := range f.sums {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var buf bytes.Buffer
	for _, p := range paths {
		fmt.Fprintf(&buf, "%s  %s\n", f.sums[p], p)
	}
	sum := sha256.Sum256(buf.Bytes())
	if err := f.write(ManifestName, buf.Bytes()); err != nil {
		return removed, "", err
	}
	delete(f.sums, ManifestName)
	return removed, hex.EncodeToString(sum[:]), nil
}
