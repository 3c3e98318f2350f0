//go:build unix

package site

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// LockName is the file in a site's directory that Lock holds a lock on.
const LockName = ".testigo-site.lock"

// Lock takes an exclusive lock on the site in dir, creating dir if needed,
// so that two builds never write it at once. It fails at once, with an
// error saying so, when another process holds the lock. The lock goes with
// the process if it dies; the returned func releases it.
func Lock(dir string) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lock site: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, LockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock site: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another testigo publish is building %s; wait for it to finish", dir)
		}
		return nil, fmt.Errorf("lock site: %w", err)
	}
	return f.Close, nil // closing the file releases the lock
}
