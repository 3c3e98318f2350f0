// Package evaldata locates the shared evaluation data — ../shared/eval
// beside the repository root — for the tests that measure extraction. The
// data is read where it lies and never copied into the repository (its
// licences forbid it).
package evaldata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Dir returns the path of ../shared/eval relative to the root of the module
// that contains the working directory. It returns an error saying why when
// there is no module root above the working directory or the folder has no
// dev/ data.
func Dir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("locate evaluation data: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory, cannot locate ../shared/eval")
		}
		dir = parent
	}
	ev := filepath.Join(dir, "..", "shared", "eval")
	if _, err := os.Stat(filepath.Join(ev, "dev")); err != nil {
		return "", fmt.Errorf("no evaluation data at %s (it is never in the repository): %w", ev, err)
	}
	return ev, nil
}
