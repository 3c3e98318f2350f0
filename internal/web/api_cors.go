package web

import "net/http"

// CORS response headers of the public read endpoints. Any origin may read
// them: they serve public data and take no credentials.
const (
	corsAllowMethods  = "GET, HEAD, OPTIONS"
	corsAllowHeaders  = "If-None-Match"
	corsExposeHeaders = "ETag, Retry-After, X-Request-ID, Location"
	corsMaxAge        = "86400"
)

// withCORS lets browser scripts on any origin read the API's GET endpoints:
// GET and HEAD answers carry Access-Control-Allow-Origin: *, and an OPTIONS
// preflight for GET or HEAD on a path that has a GET route is answered here.
// Write endpoints get no CORS headers, so browsers keep other origins' scripts
// from calling them. isRead reports whether a GET route serves a path.
func withCORS(isRead func(r *http.Request) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hd := w.Header()
			switch r.Method {
			case http.MethodGet, http.MethodHead:
				hd.Set("Access-Control-Allow-Origin", "*")
				hd.Set("Access-Control-Expose-Headers", corsExposeHeaders)
			case http.MethodOptions:
				if !isRead(r) {
					break
				}
				hd.Set("Allow", corsAllowMethods)
				want := r.Header.Get("Access-Control-Request-Method")
				if want == http.MethodGet || want == http.MethodHead {
					hd.Set("Access-Control-Allow-Origin", "*")
					hd.Set("Access-Control-Allow-Methods", corsAllowMethods)
					hd.Set("Access-Control-Allow-Headers", corsAllowHeaders)
					hd.Set("Access-Control-Max-Age", corsMaxAge)
				}
				w.WriteHeader(http.StatusNoContent)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
