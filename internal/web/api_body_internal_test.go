package web

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/testigo-project/testigo"
)

// FuzzDecodeAPIBody feeds arbitrary bodies to the write endpoints' decoder:
// it either fills the struct or fails with a one-line error wrapping
// testigo.ErrInvalid, and never panics.
func FuzzDecodeAPIBody(f *testing.F) {
	for _, seed := range []string{
		`{"from": 3, "reason": "same boat", "version": 2}`,
		`{"reports": [4, 5], "reason": "two boats", "version": 1}`,
		`{"grade": "fair", "reason": "x", "version": 1, "extra": 1}`,
		`{"state": "published", "version": 1} []`,
		`{"version": 1e400}`,
		`{"reports": [-1, "a"]}`,
		"{\"reason\": \"\xff\"}",
		``, `null`, `[]`, `{`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, dst := range []any{&mergeBody{}, &splitBody{}, &gradeBody{}, &reviewBody{}} {
			r := httptest.NewRequest("POST", "/api/v1/incidents/1/x", strings.NewReader(string(body)))
			r.Header.Set("Content-Type", "application/json")
			err := decodeAPIBody(r, dst)
			if err == nil {
				continue
			}
			if !errors.Is(err, testigo.ErrInvalid) {
				t.Fatalf("decodeAPIBody(%q): %v does not wrap ErrInvalid", body, err)
			}
			if statusOf(err) != 400 || strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("decodeAPIBody(%q): status %d, message %q; want 400 and one line", body, statusOf(err), err)
			}
		}
	})
}
