package testigo

import "errors"

// Error kinds. Every error returned by a store, a step package or a handler
// wraps at most one of these, so that callers can classify it with errors.Is
// and the web layer can map it to an HTTP status in one place.
var (
	// ErrNotFound means the requested object does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the write conflicts with stored state: a duplicate
	// unique key or a stale version.
	ErrConflict = errors.New("conflict")
	// ErrInvalid means the input was rejected by validation.
	ErrInvalid = errors.New("invalid input")
	// ErrUnauthorized means the caller may not perform the operation.
	ErrUnauthorized = errors.New("unauthorized")
)
