//go:build !unix

package watch

// processAlive cannot tell on this platform, so every lease is left to
// expire.
func processAlive(int) bool { return true }
