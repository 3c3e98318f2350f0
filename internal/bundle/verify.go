package bundle

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/proof"
	"github.com/testigo-project/testigo/internal/translog"
)

// Report is what a bundle check found.
type Report struct {
	Incident  string // the incident's title
	TreeSize  int64
	Proofs    int // proofs checked
	Documents int // raw captures re-hashed
	Redacted  int // entries whose content was redacted
}

// maxFile bounds what is read of one file of a bundle.
const maxFile = 64 << 20

// Verify checks a bundle with no store and no network: the checkpoint's
// signature by logKey (and each witness key), every proof against that
// checkpoint, every raw capture against its name and its capture entry. The
// error names the first problem in one line.
func Verify(r io.ReaderAt, size int64, logKey string, witnessKeys []string) (*Report, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: bundle is not a readable zip: %v", testigo.ErrInvalid, err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("%w: bundle has no %s", testigo.ErrInvalid, name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: bundle file %s: %v", testigo.ErrInvalid, name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxFile+1))
		if err != nil {
			return nil, fmt.Errorf("%w: bundle file %s is damaged: %v", testigo.ErrInvalid, name, err)
		}
		if len(b) > maxFile {
			return nil, fmt.Errorf("%w: bundle file %s is over %d bytes", testigo.ErrInvalid, name, maxFile)
		}
		return b, nil
	}
	cp, err := read("checkpoint.txt")
	if err != nil {
		return nil, err
	}
	tree, n, err := translog.OpenCheckpoint(cp, logKey, witnessKeys...)
	if err != nil {
		return nil, err
	}
	for _, k := range witnessKeys {
		name, _, _ := strings.Cut(k, "+")
		var ok bool
		for _, s := range n.Sigs {
			ok = ok || s.Name == name
		}
		if !ok {
			return nil, fmt.Errorf("%w: checkpoint carries no signature of witness %s", testigo.ErrInvalid, name)
		}
	}
	rep := &Report{TreeSize: tree.Size}
	var incident struct{ Title string }
	if b, err := read("incident.json"); err != nil {
		return nil, err
	} else if err := json.Unmarshal(b, &incident); err != nil {
		return nil, fmt.Errorf("%w: incident.json: %v", testigo.ErrInvalid, err)
	}
	rep.Incident = incident.Title
	captured := map[string]bool{} // raw digests that a capture entry vouches for
	for _, f := range zr.File {
		name := f.Name
		if !strings.HasPrefix(name, "proofs/") {
			continue
		}
		b, err := read(name)
		if err != nil {
			return nil, err
		}
		var p proof.Proof
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", testigo.ErrInvalid, name, err)
		}
		if p.Checkpoint != string(cp) {
			return nil, fmt.Errorf("%w: %s is a proof for another tree than checkpoint.txt", testigo.ErrInvalid, name)
		}
		if err := proof.Check(&p, logKey, witnessKeys...); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rep.Proofs++
		if p.Entry.Redacted {
			rep.Redacted++
			continue
		}
		if p.Entry.Kind == string(testigo.LogCapture) {
			var c struct{ SHA256 string }
			if err := json.Unmarshal([]byte(p.Entry.Content), &c); err != nil {
				return nil, fmt.Errorf("%w: %s: capture content: %v", testigo.ErrInvalid, name, err)
			}
			captured[c.SHA256] = true
		}
	}
	if rep.Proofs == 0 {
		return nil, errors.New("bundle has no proofs")
	}
	for _, f := range zr.File {
		name := f.Name
		if !strings.HasPrefix(name, "documents/") || !strings.HasSuffix(name, ".raw") {
			continue
		}
		want := strings.TrimSuffix(path.Base(name), ".raw")
		b, err := read(name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("%w: %s was altered: its bytes hash to %s", testigo.ErrInvalid, name, got)
		}
		if !captured[want] {
			return nil, fmt.Errorf("%w: %s has no proven capture entry in the bundle", testigo.ErrInvalid, name)
		}
		rep.Documents++
	}
	return rep, nil
}
