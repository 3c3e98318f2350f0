package web

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// Limits of the incident listing.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// listParams are the query parameters the incident listing accepts.
var listParams = map[string]bool{
	"country": true, "type": true, "since": true, "until": true,
	"review": true, "limit": true, "cursor": true,
}

// parseIncidentFilter reads the listing's query parameters. It returns an
// error wrapping testigo.ErrInvalid naming the first bad parameter.
func parseIncidentFilter(q url.Values) (testigo.IncidentFilter, error) {
	f := testigo.IncidentFilter{Limit: defaultLimit}
	for _, name := range slices.Sorted(maps.Keys(q)) {
		vs := q[name]
		if !listParams[name] {
			return f, fmt.Errorf("%w: unknown parameter %q (known: country, type, since, until, review, limit, cursor)", testigo.ErrInvalid, name)
		}
		if len(vs) > 1 {
			return f, fmt.Errorf("%w: parameter %q given %d times", testigo.ErrInvalid, name, len(vs))
		}
	}
	if raw := q.Get("country"); raw != "" {
		c := strings.ToUpper(raw)
		if len(c) != 2 || strings.ContainsFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) {
			return f, fmt.Errorf("%w: country %q is not an ISO 3166-1 alpha-2 code such as MX", testigo.ErrInvalid, raw)
		}
		f.Country = c
	}
	if t := q.Get("type"); t != "" {
		if !testigo.EventType(t).Valid() {
			return f, fmt.Errorf("%w: type %q is not a known event type", testigo.ErrInvalid, t)
		}
		f.Type = testigo.EventType(t)
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(p.name); v != "" {
			if _, err := time.Parse(testigo.DateLayout, v); err != nil {
				return f, fmt.Errorf("%w: %s %q is not a YYYY-MM-DD date", testigo.ErrInvalid, p.name, v)
			}
			*p.dst = v
		}
	}
	if f.Since != "" && f.Until != "" && f.Since > f.Until {
		return f, fmt.Errorf("%w: since %s is after until %s", testigo.ErrInvalid, f.Since, f.Until)
	}
	if v := q.Get("review"); v != "" {
		if !testigo.ReviewState(v).Valid() {
			return f, fmt.Errorf("%w: review %q is not one of new, in_review, published, rejected", testigo.ErrInvalid, v)
		}
		f.Review = testigo.ReviewState(v)
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return f, fmt.Errorf("%w: limit %q is not a number from 1 to %d", testigo.ErrInvalid, v, maxLimit)
		}
		f.Limit = n
	}
	if v := q.Get("cursor"); v != "" {
		c, err := decodeCursor(v)
		if err != nil {
			return f, err
		}
		f.After = c
	}
	return f, nil
}

// encodeCursor makes the opaque cursor that continues after inc.
func encodeCursor(inc *testigo.Incident) string {
	return base64.RawURLEncoding.EncodeToString([]byte(inc.Date + "|" + strconv.FormatInt(int64(inc.ID), 10)))
}

func decodeCursor(s string) (*testigo.IncidentCursor, error) {
	bad := fmt.Errorf("%w: cursor %q is not one this server issued", testigo.ErrInvalid, s)
	if len(s) > 64 {
		return nil, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	date, idText, ok := strings.Cut(string(b), "|")
	if !ok {
		return nil, bad
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return nil, bad
	}
	if date != "" {
		if _, err := time.Parse(testigo.DateLayout, date); err != nil {
			return nil, bad
		}
	}
	return &testigo.IncidentCursor{Date: date, ID: testigo.IncidentID(id)}, nil
}

// pathID reads a positive numeric ID from the path; anything else is not
// found.
func pathID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: %q is not an ID", testigo.ErrNotFound, s)
	}
	return id, nil
}
