// Package demo embeds the demo corpus that "testigo demo" ingests: the real
// 2025-11-03 report this project started from, with its attribution, and a
// small set of English and Spanish reports written for this project as
// illustrative data. The illustrative files are not real reporting; their
// names say so and the web pages label them.
package demo

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed corpus/*.json corpus/*.txt
var corpus embed.FS

// NamePrefix starts the name of every document ingested from the demo corpus,
// so that pages can label illustrative data.
const NamePrefix = "demo/"

// File is one file of the demo corpus.
type File struct {
	Name string // NamePrefix + file name, e.g. "demo/a1-wire-en.json"
	Data []byte
}

// Illustrative reports whether a document name belongs to the invented part
// of the demo corpus (every demo file but the real seed report).
func Illustrative(name string) bool {
	return strings.HasPrefix(name, NamePrefix) && strings.HasSuffix(strings.SplitN(name, "#", 2)[0], ".json")
}

// Files returns the demo corpus in a fixed order: the seed report first, then
// the illustrative reports by name.
func Files() ([]File, error) {
	entries, err := fs.ReadDir(corpus, "corpus")
	if err != nil {
		return nil, fmt.Errorf("read demo corpus: %w", err)
	}
	var files []File
	for _, e := range entries {
		data, err := fs.ReadFile(corpus, path.Join("corpus", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read demo corpus: %w", err)
		}
		files = append(files, File{Name: NamePrefix + e.Name(), Data: data})
	}
	sort.SliceStable(files, func(i, j int) bool {
		si, sj := strings.HasSuffix(files[i].Name, ".txt"), strings.HasSuffix(files[j].Name, ".txt")
		if si != sj {
			return si
		}
		return files[i].Name < files[j].Name
	})
	return files, nil
}
