package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"

	"github.com/testigo-project/testigo"
)

// statusOf maps an error to its HTTP status. It is the only place that does.
func statusOf(err error) int {
	var re *redirectError
	switch {
	case errors.As(err, &re):
		return http.StatusPermanentRedirect
	case errors.Is(err, errTooLong):
		return http.StatusRequestURITooLong
	case errors.Is(err, testigo.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, testigo.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, testigo.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, testigo.ErrUnauthorized):
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// errTooLong reports a request whose query string is too long.
var errTooLong = errors.New("query string too long")

// redirectError asks for a permanent redirect, e.g. from a merged incident
// to the one that absorbed it.
type redirectError struct{ to string }

func (e *redirectError) Error() string { return "moved to " + e.to }

// notFound answers every unknown path.
func notFound(w http.ResponseWriter, r *http.Request) error {
	return fmt.Errorf("%w: no such page %s", testigo.ErrNotFound, r.URL.Path)
}

// publicMessage returns what a client is told about err: the error itself
// for the caller's mistakes, a generic line with a request ID otherwise.
func (h *handler) publicMessage(r *http.Request, err error, status int) string {
	if status < 500 {
		return err.Error()
	}
	id := requestID()
	h.Logger.Error("request failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "err", err)
	return "internal error (request " + id + ")"
}

func requestID() string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(b[:])
}
