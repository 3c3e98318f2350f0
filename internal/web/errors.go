package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/testigo-project/testigo"
)

// statusOf maps an error to its HTTP status. It is the only place that does.
func statusOf(err error) int {
	var re *redirectError
	var so *seeOtherError
	switch {
	case errors.As(err, &re):
		return http.StatusPermanentRedirect
	case errors.As(err, &so):
		return http.StatusSeeOther
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
	case errors.Is(err, errWritesDisabled), errors.Is(err, errForbidden), errors.Is(err, errCrossOrigin):
		return http.StatusForbidden
	case errors.Is(err, errTooManyRequests):
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// errTooLong reports a request whose query string is too long.
var errTooLong = errors.New("query string too long")

// maxQuery is the longest query string accepted, in bytes.
const maxQuery = 4096

// redirectError asks for a permanent redirect, e.g. from a merged incident
// to the one that absorbed it.
type redirectError struct{ to string }

func (e *redirectError) Error() string { return "moved to " + e.to }

// handlerFunc is a handler that returns its error for api or page to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// api renders a handler's error as JSON: {"error": "…"}.
func (h *handler) api(fn handlerFunc) http.Handler {
	return h.wrap(fn, func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		writeJSON(w, status, errorJSON{Error: msg})
	})
}

// page renders a handler's error as an HTML error page.
func (h *handler) page(fn handlerFunc) http.Handler {
	return h.wrap(fn, func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		data := errorPage{Status: status, StatusText: http.StatusText(status), Message: msg}
		if err := h.render(w, r, status, "error", data.StatusText, data); err != nil {
			h.Logger.Error("render error page", "request_id", requestIDOf(r), "err", err)
			http.Error(w, msg, status)
		}
	})
}

// wrap runs fn after the request checks and hands its error, mapped to a
// status and a public message, to fail; redirects are answered here.
func (h *handler) wrap(fn handlerFunc, fail func(w http.ResponseWriter, r *http.Request, status int, msg string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := checkQuery(r)
		if err == nil {
			err = fn(w, r)
		}
		if err == nil {
			return
		}
		status := statusOf(err)
		var re *redirectError
		if errors.As(err, &re) {
			http.Redirect(w, r, re.to, status)
			return
		}
		var so *seeOtherError
		if errors.As(err, &so) {
			http.Redirect(w, r, so.to, status)
			return
		}
		fail(w, r, status, h.publicMessage(r, err, status))
	})
}

// checkQuery refuses query strings longer than maxQuery.
func checkQuery(r *http.Request) error {
	if len(r.URL.RawQuery) > maxQuery {
		return fmt.Errorf("%w: %d bytes, at most %d", errTooLong, len(r.URL.RawQuery), maxQuery)
	}
	return nil
}

// notFound answers every unknown path.
func notFound(w http.ResponseWriter, r *http.Request) error {
	return fmt.Errorf("%w: no such page: %s %s", testigo.ErrNotFound, r.Method, r.URL.Path)
}

// publicMessage returns what a client is told about err: the error itself
// for the caller's mistakes, a generic line with the request ID otherwise,
// after logging the error in full under that ID.
func (h *handler) publicMessage(r *http.Request, err error, status int) string {
	if status < 500 {
		return err.Error()
	}
	id := requestIDOf(r)
	h.Logger.Error("request failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "err", err)
	return "internal error (request " + id + ")"
}
