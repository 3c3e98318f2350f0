package web

import (
	_ "embed"
	"net/http"
	"strings"
)

// openAPIDoc is the OpenAPI 3.1 description of /api/v1 and /healthz.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the API's OpenAPI description.
func (h *handler) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(openAPIDoc) // the client may be gone; nothing to do about it
	return nil
}

// isAPIPath reports whether path is served by the API (and its middleware)
// rather than by the pages.
func isAPIPath(path string) bool {
	return path == "/healthz" || path == "/api" || strings.HasPrefix(path, "/api/")
}

// withAPI sends API requests through the API's middleware — CORS, the per
// client rate limit, ETags and caching — and every other request straight
// to mux. The rate limiter it builds belongs to the returned handler.
func (h *handler) withAPI(mux *http.ServeMux) http.Handler {
	isRead := func(r *http.Request) bool {
		probe := r.Clone(r.Context())
		probe.Method = http.MethodGet
		_, pattern := mux.Handler(probe)
		return strings.HasPrefix(pattern, "GET ")
	}
	api := chain(mux,
		withCORS(isRead),
		h.withRateLimit(newIPLimiter(h.RateLimit, h.Now)),
		withETags,
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPIPath(r.URL.Path) {
			api.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}
