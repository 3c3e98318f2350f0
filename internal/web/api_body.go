package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/testigo-project/testigo"
)

// maxBody is the largest request body the write endpoints read, in bytes.
const maxBody = 64 << 10

// decodeAPIBody reads the request's JSON object into dst, refusing another
// content type, unknown fields, wrong types, trailing data and bodies over
// maxBody. Its errors wrap testigo.ErrInvalid and fit on one line.
func decodeAPIBody(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return fmt.Errorf("%w: body: Content-Type %q is not application/json", testigo.ErrInvalid, ct)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%w: body: %s", testigo.ErrInvalid, describeJSONError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: body: unexpected data after the JSON object", testigo.ErrInvalid)
	}
	return nil
}

// describeJSONError says in a few words what was wrong with a body.
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var big *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return "empty; want a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated JSON"
	case errors.As(err, &big):
		return fmt.Sprintf("larger than %d bytes", big.Limit)
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("want a JSON object, not %s", withArticle(typ.Value))
		}
		return fmt.Sprintf("%s must be %s, not %s", typ.Field, jsonKind(typ.Type.Kind().String()), withArticle(typ.Value))
	}
	// DisallowUnknownFields reports `json: unknown field "x"`.
	return strings.TrimPrefix(err.Error(), "json: ")
}

// withArticle puts "a" or "an" before a JSON value kind such as "array".
func withArticle(kind string) string {
	if kind != "" && strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// jsonKind names a Go kind the way the API documentation does.
func jsonKind(kind string) string {
	switch kind {
	case "int", "int64", "int32":
		return "an integer"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "ptr":
		return "a value"
	}
	return "a " + kind
}
