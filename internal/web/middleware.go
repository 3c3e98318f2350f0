package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// maxQuery is the longest query string accepted.
const maxQuery = 4096

// handlerFunc is a handler that returns its error for api or page to render.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// api renders a handler's error as JSON: {"error": "…"}.
func (h *handler) api(fn handlerFunc) http.Handler {
	return h.wrap(fn, func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		writeJSON(w, status, map[string]string{"error": msg})
	})
}

// page renders a handler's error as an HTML error page.
func (h *handler) page(fn handlerFunc) http.Handler {
	return h.wrap(fn, func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		data := errorPage{Status: status, StatusText: http.StatusText(status), Message: msg}
		if err := h.render(w, r, status, "error", data.StatusText, data); err != nil {
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
		fail(w, r, status, h.publicMessage(r, err, status))
	})
}

func checkQuery(r *http.Request) error {
	if len(r.URL.RawQuery) > maxQuery {
		return fmt.Errorf("%w: %d bytes, at most %d", errTooLong, len(r.URL.RawQuery), maxQuery)
	}
	return nil
}

// writeJSON writes v as an indented JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error": "encoding the response failed"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the client may be gone; nothing to do about it
}

// statusRecorder remembers the status a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// middleware adds security headers, request logging and panic recovery.
func (h *handler) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := h.Now()
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				id := requestID()
				h.Logger.Error("panic", "request_id", id, "path", r.URL.Path, "panic", fmt.Sprint(p))
				http.Error(rec, "internal error (request "+id+")", http.StatusInternalServerError)
			}
			h.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"duration", time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(rec, r)
	})
}
