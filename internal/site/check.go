package site

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/proof"
)

// PublicationSubject is the log subject of site releases.
const PublicationSubject = "site"

// Publication is what a site release's transparency-log entry records.
type Publication struct {
	Subject        string `json:"subject"`
	ManifestSHA256 string `json:"manifest_sha256"` // hex SHA-256 of SHA256SUMS
	Files          int    `json:"files"`           // files SHA256SUMS lists
	Incidents      int    `json:"incidents"`
	BaseURL        string `json:"base_url,omitempty"`
}

// Content returns the canonical JSON of the publication entry.
func (p Publication) Content() ([]byte, error) {
	p.Subject = PublicationSubject
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("site publication entry: %w", err)
	}
	return b, nil
}

// Check verifies a copy of a site offline: every file SHA256SUMS lists has
// its digest; verify/publication.json's inclusion proof holds in the signed
// checkpoint it carries, under logKey (or, when logKey is empty, the key in
// verify/log.pub, which only shows the site is self-consistent); and the
// entry is a site publication naming this SHA256SUMS. It returns the
// number of files checked, or an error wrapping testigo.ErrInvalid that
// names the first problem.
func Check(dir, logKey string) (int, error) {
	manifest, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return 0, fmt.Errorf("check site: %w", err)
	}
	sums, err := parseManifest(manifest)
	if err != nil {
		return 0, fmt.Errorf("%w: check site: %s: %v", testigo.ErrInvalid, ManifestName, err)
	}
	for rel, want := range sums {
		got, err := fileSum(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return 0, fmt.Errorf("%w: check site: %s: %v", testigo.ErrInvalid, rel, err)
		}
		if got != want {
			return 0, fmt.Errorf("%w: check site: %s has SHA-256 %s, %s says %s", testigo.ErrInvalid, rel, got, ManifestName, want)
		}
	}
	if logKey == "" {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(KeyFile)))
		if err != nil {
			return 0, fmt.Errorf("check site: %w", err)
		}
		logKey = strings.TrimSpace(string(b))
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(PublicationFile)))
	if err != nil {
		return 0, fmt.Errorf("check site: %w", err)
	}
	var p proof.Proof
	if err := json.Unmarshal(b, &p); err != nil {
		return 0, fmt.Errorf("%w: check site: %s: %v", testigo.ErrInvalid, PublicationFile, err)
	}
	if err := proof.Check(&p, logKey); err != nil {
		return 0, fmt.Errorf("check site: %s: %w", PublicationFile, err)
	}
	cp, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(CheckpointFile)))
	if err != nil {
		return 0, fmt.Errorf("check site: %w", err)
	}
	if string(cp) != p.Checkpoint {
		return 0, fmt.Errorf("%w: check site: %s is not the checkpoint %s is proved in", testigo.ErrInvalid, CheckpointFile, PublicationFile)
	}
	if p.Entry.Kind != string(testigo.LogPublication) || p.Entry.Subject != PublicationSubject || p.Entry.Redacted {
		return 0, fmt.Errorf("%w: check site: log entry %d is not a site publication", testigo.ErrInvalid, p.Entry.Index)
	}
	var pub Publication
	if err := json.Unmarshal([]byte(p.Entry.Content), &pub); err != nil {
		return 0, fmt.Errorf("%w: check site: log entry %d content: %v", testigo.ErrInvalid, p.Entry.Index, err)
	}
	sum := sha256.Sum256(manifest)
	if pub.ManifestSHA256 != hex.EncodeToString(sum[:]) {
		return 0, fmt.Errorf("%w: check site: log entry %d commits to %s %s, the site's has %x", testigo.ErrInvalid, p.Entry.Index, ManifestName, pub.ManifestSHA256, sum)
	}
	return len(sums), nil
}
