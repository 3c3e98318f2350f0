package web

import (
	"io"
	"net/http"
)

// cspReport logs a browser's report of a Content-Security-Policy violation
// (the policy's report-uri), so that a page that breaks the policy is seen
// in the log rather than failing silently. Reports are at most 8 KB and are
// logged as sent, as a string.
func (h *handler) cspReport(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<10)) // a cut report is still worth logging
	h.Logger.Warn("csp violation", "request_id", requestIDOf(r), "report", string(body))
	w.WriteHeader(http.StatusNoContent)
}
