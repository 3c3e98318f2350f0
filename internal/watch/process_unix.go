//go:build unix

package watch

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with that pid runs on this host.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
