//go:build linux

package archive

import (
	"os"

	"golang.org/x/sys/unix"
)

// hasSyncFS reports whether syncFS flushes the whole file system.
const hasSyncFS = true

// syncFS flushes every dirty page and metadata change of the file system
// holding root.
func syncFS(root string) error {
	f, err := os.Open(root)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}
