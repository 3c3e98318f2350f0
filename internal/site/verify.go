package site

import (
	"fmt"
	"os"
	"path/filepath"
)

// The files that let a reader check a release. They are written after the
// release's publication entry is in the log and a checkpoint covers it, so
// the manifest cannot list them.
const (
	CheckpointFile  = "verify/checkpoint.txt"
	KeyFile         = "verify/log.pub"
	PublicationFile = "verify/publication.json"
)

// Verification is what WriteVerification puts beside a built site.
type Verification struct {
	Checkpoint []byte // the signed checkpoint note
	LogKey     string // the log's verifier key
	// Publication is the release's publication entry with its inclusion
	// proof in Checkpoint (internal/proof's JSON).
	Publication []byte
}

// WriteVerification writes the signed checkpoint, the verifier key and the
// publication proof into the site in dir, each only if it changed, and
// returns how many files it wrote and left unchanged. dir must hold a site
// Build wrote.
func WriteVerification(dir string, v Verification) (written, unchanged int, err error) {
	if _, err := os.Stat(filepath.Join(dir, ManifestName)); err != nil {
		return 0, 0, fmt.Errorf("write verification files: %s holds no built site: %w", dir, err)
	}
	f := &files{dir: dir, sums: map[string]string{}, dirs: map[string]bool{}}
	for _, w := range []struct {
		rel string
		b   []byte
	}{
		{CheckpointFile, v.Checkpoint},
		{KeyFile, []byte(v.LogKey + "\n")},
		{PublicationFile, v.Publication},
	} {
		if err := f.write(w.rel, w.b); err != nil {
			return f.written, f.unchanged, err
		}
	}
	return f.written, f.unchanged, nil
}
