//go:build !unix

package site

// LockName is the file in a site's directory that Lock holds a lock on.
const LockName = ".testigo-site.lock"

// Lock does nothing on systems without flock(2): run one build of a
// directory at a time there.
func Lock(dir string) (unlock func() error, err error) {
	return func() error { return nil }, nil
}
