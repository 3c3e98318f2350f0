package score

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The scorer reads JSON values leniently, the way the reference scorer
// does: a value decoded with json.Decoder.UseNumber is nil, bool, string,
// json.Number, []any or map[string]any.

// isSpace reports whether r is white space as Python's str.isspace sees it.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// trimSpace trims white space as Python's str.strip does.
func trimSpace(s string) string { return strings.TrimFunc(s, isSpace) }

// blank reports whether v is null or a string of white space.
func blank(v any) bool {
	if v == nil {
		return true
	}
	s, ok := v.(string)
	return ok && trimSpace(s) == ""
}

// isFloatLiteral reports whether a JSON number literal decodes to a Python float
// rather than an int.
func isFloatLiteral(n json.Number) bool {
	return strings.ContainsAny(string(n), ".eE")
}

// pyStr renders v as Python's str() renders the decoded JSON value.
func pyStr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case string:
		return v
	default:
		return pyRepr(v)
	}
}

// pyRepr renders v as Python's repr() renders the decoded JSON value.
func pyRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		return "'" + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), "'", `\'`) + "'"
	case json.Number:
		if isFloatLiteral(v) {
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil && !math.IsInf(f, 0) {
				return string(v)
			}
			return pyFloat(f)
		}
		s := strings.TrimPrefix(string(v), "-")
		s = strings.TrimLeft(s, "0")
		if s == "" {
			return "0"
		}
		if strings.HasPrefix(string(v), "-") {
			return "-" + s
		}
		return s
	case float64:
		return pyFloat(v)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = pyRepr(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		// Python keeps the key order of the line; Go maps do not, so keys are sorted.
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = pyRepr(k) + ": " + pyRepr(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return ""
}

// pyFloat formats f as Python's repr(float) does.
func pyFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	if exp >= -4 && exp < 16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	return mant + "e" + sign + twoDigits(exp)
}

func twoDigits(n int) string {
	s := strconv.Itoa(n)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

// parseFloat reads a finite number from a JSON number or a numeric string.
func parseFloat(v any) (float64, bool) {
	var f float64
	switch v := v.(type) {
	case json.Number:
		x, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return 0, false
		}
		f = x
	case float64:
		f = v
	case string:
		x, ok := pyParseFloat(trimSpace(v))
		if !ok {
			return 0, false
		}
		f = x
	default:
		return 0, false
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

// pyParseFloat parses s as Python's float() does: decimal notation with
// optional underscores between digits, "inf" and "nan"; no hexadecimal.
func pyParseFloat(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "xXpP") {
		return 0, false
	}
	if strings.Contains(s, "_") {
		for i := 0; i < len(s); i++ {
			if s[i] == '_' && (i == 0 || i == len(s)-1 || !isASCIIDigit(s[i-1]) || !isASCIIDigit(s[i+1])) {
				return 0, false
			}
		}
		s = strings.ReplaceAll(s, "_", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// Python raises OverflowError only for ints; an out-of-range float string is inf.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func isASCIIDigit(c byte) bool { return c >= '0' && c <= '9' }

// parseCount reads a non-negative whole number.
func parseCount(v any) (float64, bool) {
	f, ok := parseFloat(v)
	if !ok || f < 0 || f != math.Trunc(f) {
		return 0, false
	}
	return f + 0, true // + 0 turns -0 into 0
}

// span is a closed range of counts [lo, hi].
type span struct{ lo, hi float64 }

// parseKilled reads a count range from {"min","max"} (also "best", "low",
// "high"), a bare number or a [min, max] list.
func parseKilled(v any) (span, bool) {
	if v == nil {
		return span{}, false
	}
	var lo, hi, best float64
	var okLo, okHi, okBest bool
	switch x := v.(type) {
	case bool:
		return span{}, false
	case map[string]any:
		m := x["min"]
		if m == nil {
			m = x["low"]
		}
		M := x["max"]
		if M == nil {
			M = x["high"]
		}
		lo, okLo = parseCount(m)
		hi, okHi = parseCount(M)
		best, okBest = parseCount(x["best"])
	case []any:
		if len(x) > 0 {
			lo, okLo = parseCount(x[0])
			hi, okHi = parseCount(x[len(x)-1])
		}
	default:
		lo, okLo = parseCount(v)
		hi, okHi = lo, okLo
	}
	switch {
	case !okLo && !okHi:
		if !okBest {
			return span{}, false
		}
		lo, hi = best, best
	case !okLo:
		lo = hi
	case !okHi:
		hi = lo
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	return span{lo, hi}, true
}

// goldKilledRange returns the gold range of people killed: for an object,
// the smallest and largest of min, max and best.
func goldKilledRange(v any) (span, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return parseKilled(v)
	}
	var r span
	found := false
	for _, k := range []string{"min", "max", "best"} {
		c, ok := parseCount(m[k])
		if !ok {
			continue
		}
		if !found {
			r, found = span{c, c}, true
			continue
		}
		r.lo, r.hi = min(r.lo, c), max(r.hi, c)
	}
	return r, found
}

// killedIsNull reports whether v is a missing or empty count: null, "",
// {}, an object whose count keys are all null, or a list of nulls.
func killedIsNull(v any) bool {
	if blank(v) {
		return true
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range []string{"min", "max", "best", "low", "high"} {
			if !blank(x[k]) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range x {
			if !blank(e) {
				return false
			}
		}
		return true
	}
	return false
}

// killedCorrect judges a predicted range against the gold range: a point
// must lie in the gold range; an interval must overlap it and be at most
// 2 × max(2, gold width) wide.
func killedCorrect(p, g span) bool {
	if p.lo == p.hi {
		return g.lo <= p.lo && p.lo <= g.hi
	}
	overlap := p.lo <= g.hi && g.lo <= p.hi
	return overlap && p.hi-p.lo <= 2*max(2, g.hi-g.lo)
}

// day is a calendar date counted in days since 1970-01-01.
type day int64

// parseDate reads the YYYY-MM-DD prefix of a string (after leading white
// space); month and day may have one or two digits.
func parseDate(v any) (day, bool) {
	s, ok := v.(string)
	if !ok {
		return 0, false
	}
	s = strings.TrimLeftFunc(s, isSpace)
	var nums [3]int
	for part := 0; part < 3; part++ {
		n, val := 0, 0
		for len(s) > 0 {
			r, size := utf8.DecodeRuneInString(s)
			if !unicode.IsDigit(r) {
				break
			}
			val = val*10 + digitValue(r)
			n++
			s = s[size:]
		}
		switch part {
		case 0:
			if n != 4 {
				return 0, false
			}
		default:
			if n < 1 || n > 2 {
				return 0, false
			}
		}
		nums[part] = val
		if part < 2 {
			if !strings.HasPrefix(s, "-") {
				return 0, false
			}
			s = s[1:]
		}
	}
	y, m, d := nums[0], nums[1], nums[2]
	if y < 1 || m < 1 || m > 12 || d < 1 {
		return 0, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return 0, false
	}
	return day(t.Unix() / 86400), true
}

// digitValue returns the value of a decimal digit of any script: decimal
// digits come in runs of ten starting at zero.
func digitValue(r rune) int {
	start := r
	for start > 0 && unicode.IsDigit(start-1) && r-start < 9 {
		start--
	}
	return int(r-start) % 10
}

// coords reads the "lat" and "lon" of an object, if both are valid.
func coords(m map[string]any) (lat, lon float64, ok bool) {
	lat, ok1 := parseFloat(m["lat"])
	lon, ok2 := parseFloat(m["lon"])
	if !ok1 || !ok2 || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}

// haversineKm returns the great-circle distance between two points in km.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	p1, l1, p2, l2 := lat1*rad, lon1*rad, lat2*rad, lon2*rad
	h := math.Pow(math.Sin((p2-p1)/2), 2) + math.Cos(p1)*math.Cos(p2)*math.Pow(math.Sin((l2-l1)/2), 2)
	return 2 * 6371.0088 * math.Asin(math.Min(1, math.Sqrt(h)))
}

// normType normalises an event type code: lower case, runs of spaces,
// hyphens and slashes turned into one underscore. It returns "" for no type.
func normType(v any) string {
	switch v.(type) {
	case map[string]any, []any:
		return ""
	}
	if blank(v) {
		return ""
	}
	s := strings.ToLower(trimSpace(pyStr(v)))
	var b strings.Builder
	inRun := false
	for _, r := range s {
		if isSpace(r) || r == '-' || r == '/' {
			if !inRun {
				b.WriteByte('_')
			}
			inRun = true
			continue
		}
		inRun = false
		b.WriteRune(r)
	}
	return b.String()
}

// toUpper upper-cases s.
func toUpper(s string) string { return strings.ToUpper(s) }
