package testigo

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Override is a value an analyst set by hand for one of an incident's
// derived fields, with who set it, when and why. Re-deriving an incident
// from its reports never loses it: the cluster package derives the field
// from the reports and then applies the override, so the analyst's value
// stands until the override is cleared.
type Override struct {
	Value  string    `json:"value"` // the field's text form, as SetField reads it
	Actor  string    `json:"actor"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// EditableFields lists the incident fields an analyst may override, in
// the order overrides are applied. Their text forms:
//
//   - title: any text of one line, at most 200 characters;
//   - type: one of EventTypes;
//   - date: YYYY-MM-DD, or empty for unknown;
//   - country: an ISO 3166-1 alpha-2 code, or empty;
//   - admin1, admin2, location: one line of at most 200 characters, or empty;
//   - coords: "LAT,LON" in decimal degrees, or empty for none;
//   - killed, injured: "3" or "3-7", or empty for no figure.
var EditableFields = []string{"title", "type", "date", "country", "admin1", "admin2", "location", "coords", "killed", "injured"}

// maxFieldText bounds the free-text fields an analyst may set.
const maxFieldText = 200

// maxCount bounds an edited casualty figure.
const maxCount = 10_000_000

// ParseField checks value as the text form of the editable field and
// returns its canonical form ("mx" becomes "MX", "3–7" becomes "3-7"). It
// returns an error wrapping ErrInvalid for an unknown field or a value the
// field cannot hold.
func ParseField(field, value string) (string, error) {
	v := strings.TrimSpace(value)
	switch field {
	case "title":
		if v == "" {
			return "", fmt.Errorf("%w: title may not be empty", ErrInvalid)
		}
		if err := checkLine(field, v); err != nil {
			return "", err
		}
		return v, nil
	case "type":
		if !EventType(v).Valid() {
			return "", fmt.Errorf("%w: type %q is not a known event type", ErrInvalid, v)
		}
		return v, nil
	case "date":
		if v == "" {
			return "", nil
		}
		if _, err := time.Parse(DateLayout, v); err != nil {
			return "", fmt.Errorf("%w: date %q is not a date YYYY-MM-DD", ErrInvalid, v)
		}
		return v, nil
	case "country":
		if v == "" {
			return "", nil
		}
		if len(v) != 2 || !isASCIILetter(v[0]) || !isASCIILetter(v[1]) {
			return "", fmt.Errorf("%w: country %q is not an ISO 3166-1 alpha-2 code such as MX", ErrInvalid, v)
		}
		return strings.ToUpper(v), nil
	case "admin1", "admin2", "location":
		if err := checkLine(field, v); err != nil {
			return "", err
		}
		return v, nil
	case "coords":
		if v == "" {
			return "", nil
		}
		lat, lon, err := parseCoords(v)
		if err != nil {
			return "", err
		}
		return formatCoords(lat, lon), nil
	case "killed", "injured":
		if v == "" {
			return "", nil
		}
		r, err := parseCount(field, v)
		if err != nil {
			return "", err
		}
		return formatCount(r), nil
	}
	return "", fmt.Errorf("%w: field %q cannot be edited (want one of %s)", ErrInvalid, field, strings.Join(EditableFields, ", "))
}

// Field returns the text form of one of inc's editable fields. It returns
// an error wrapping ErrInvalid for a field that is not editable.
func (inc *Incident) Field(field string) (string, error) {
	switch field {
	case "title":
		return inc.Title, nil
	case "type":
		return string(inc.Type), nil
	case "date":
		return inc.Date, nil
	case "country":
		return inc.Country, nil
	case "admin1":
		return inc.Admin1, nil
	case "admin2":
		return inc.Admin2, nil
	case "location":
		return inc.Location, nil
	case "coords":
		if inc.Lat == nil || inc.Lon == nil {
			return "", nil
		}
		return formatCoords(*inc.Lat, *inc.Lon), nil
	case "killed":
		return formatCount(inc.Killed), nil
	case "injured":
		return formatCount(inc.Injured), nil
	}
	return "", fmt.Errorf("%w: field %q cannot be edited (want one of %s)", ErrInvalid, field, strings.Join(EditableFields, ", "))
}

// SetField sets one of inc's editable fields from its text form (see
// EditableFields). It returns an error wrapping ErrInvalid, and leaves inc
// unchanged, for an unknown field or a bad value.
func (inc *Incident) SetField(field, value string) error {
	v, err := ParseField(field, value)
	if err != nil {
		return err
	}
	switch field {
	case "title":
		inc.Title = v
	case "type":
		inc.Type = EventType(v)
	case "date":
		inc.Date = v
	case "country":
		inc.Country = v
	case "admin1":
		inc.Admin1 = v
	case "admin2":
		inc.Admin2 = v
	case "location":
		inc.Location = v
	case "coords":
		inc.Lat, inc.Lon = nil, nil
		if v != "" {
			lat, lon, _ := parseCoords(v) // v is canonical: ParseField read it
			inc.Lat, inc.Lon = &lat, &lon
		}
	case "killed":
		inc.Killed = nil
		if v != "" {
			inc.Killed, _ = parseCount(field, v) // v is canonical: ParseField read it
		}
	case "injured":
		inc.Injured = nil
		if v != "" {
			inc.Injured, _ = parseCount(field, v) // v is canonical: ParseField read it
		}
	}
	return nil
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// checkLine checks a free-text field: one line, printable, not too long.
func checkLine(field, v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, field)
	}
	if n := utf8.RuneCountInString(v); n > maxFieldText {
		return fmt.Errorf("%w: %s has %d characters, more than %d", ErrInvalid, field, n, maxFieldText)
	}
	for _, r := range v {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s contains a control character (%U); give one line of text", ErrInvalid, field, r)
		}
	}
	return nil
}

func parseCoords(v string) (lat, lon float64, err error) {
	a, b, ok := strings.Cut(v, ",")
	if ok {
		lat, err = strconv.ParseFloat(strings.TrimSpace(a), 64)
	}
	if ok && err == nil {
		lon, err = strconv.ParseFloat(strings.TrimSpace(b), 64)
	}
	if !ok || err != nil || math.IsNaN(lat) || math.IsNaN(lon) {
		return 0, 0, fmt.Errorf("%w: coords %q are not LAT,LON in decimal degrees", ErrInvalid, v)
	}
	if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, fmt.Errorf("%w: coords %q are out of range (latitude -90..90, longitude -180..180)", ErrInvalid, v)
	}
	return lat, lon, nil
}

func formatCoords(lat, lon float64) string {
	return strconv.FormatFloat(lat, 'f', -1, 64) + "," + strconv.FormatFloat(lon, 'f', -1, 64)
}

// parseCount reads "3", "3-7" or "3–7".
func parseCount(field, v string) (*Range, error) {
	lo, hi, isRange := strings.Cut(strings.ReplaceAll(v, "–", "-"), "-")
	if !isRange {
		hi = lo
	}
	min, err1 := strconv.Atoi(strings.TrimSpace(lo))
	max, err2 := strconv.Atoi(strings.TrimSpace(hi))
	switch {
	case err1 != nil || err2 != nil:
		return nil, fmt.Errorf("%w: %s %q is not a count such as 3 or a range such as 3-7", ErrInvalid, field, v)
	case min < 0 || max > maxCount:
		return nil, fmt.Errorf("%w: %s %q is out of range (0 to %d)", ErrInvalid, field, v, maxCount)
	case max < min:
		return nil, fmt.Errorf("%w: %s %q runs backwards; write the smaller number first", ErrInvalid, field, v)
	}
	return &Range{Min: min, Max: max}, nil
}

func formatCount(r *Range) string {
	switch {
	case r == nil:
		return ""
	case r.Min == r.Max:
		return strconv.Itoa(r.Min)
	}
	return fmt.Sprintf("%d-%d", r.Min, r.Max)
}
