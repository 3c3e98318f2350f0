package testigo

import (
	"errors"
	"strings"
	"testing"
)

func TestParseField(t *testing.T) {
	tests := []struct {
		field, value string
		want         string // canonical form; ignored when wantErr is set
		wantErr      string
	}{
		{"title", "  Strike on a boat ", "Strike on a boat", ""},
		{"title", "", "", "title may not be empty"},
		{"title", "two\nlines", "", "control character"},
		{"title", strings.Repeat("é", 201), "", "more than 200"},
		{"type", "vessel_strike", "vessel_strike", ""},
		{"type", "boat", "", `type "boat" is not a known event type`},
		{"date", "2025-11-20", "2025-11-20", ""},
		{"date", "", "", ""},
		{"date", "2025-02-30", "", "not a date YYYY-MM-DD"},
		{"date", "20/11/2025", "", "not a date YYYY-MM-DD"},
		{"country", "mx", "MX", ""},
		{"country", "", "", ""},
		{"country", "MEX", "", "not an ISO 3166-1 alpha-2 code"},
		{"country", "M1", "", "not an ISO 3166-1 alpha-2 code"},
		{"admin1", "Sinaloa", "Sinaloa", ""},
		{"admin2", "", "", ""},
		{"location", "La Tuna\t", "La Tuna", ""},
		{"location", "a\x00b", "", "control character"},
		{"coords", "25.36, -107.55", "25.36,-107.55", ""},
		{"coords", "", "", ""},
		{"coords", "25.36", "", "not LAT,LON"},
		{"coords", "91,0", "", "out of range"},
		{"coords", "NaN,0", "", "not LAT,LON"},
		{"killed", "3", "3", ""},
		{"killed", "3–7", "3-7", ""},
		{"killed", " 3 - 7 ", "3-7", ""},
		{"killed", "4-4", "4", ""},
		{"killed", "", "", ""},
		{"injured", "7-3", "", "runs backwards"},
		{"injured", "-3", "", "not a count"},
		{"injured", "three", "", "not a count"},
		{"injured", "99999999", "", "out of range"},
		{"grade", "fair", "", `field "grade" cannot be edited`},
	}
	for _, tc := range tests {
		got, err := ParseField(tc.field, tc.value)
		if tc.wantErr != "" {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseField(%q, %q) error = %v, want ErrInvalid containing %q", tc.field, tc.value, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseField(%q, %q) = %q, %v; want %q", tc.field, tc.value, got, err, tc.want)
		}
	}
}

// TestSetFieldRoundTrip checks that every editable field reads back, as
// Field, the canonical text SetField was given, and that a bad value leaves
// the incident unchanged.
func TestSetFieldRoundTrip(t *testing.T) {
	values := map[string]string{
		"title": "Strike on a boat", "type": "vessel_strike", "date": "2025-11-20", "country": "VE",
		"admin1": "Sucre", "admin2": "Valdez", "location": "off Güiria", "coords": "10.57,-62.3",
		"killed": "3-7", "injured": "2",
	}
	inc := &Incident{}
	for _, f := range EditableFields {
		if err := inc.SetField(f, values[f]); err != nil {
			t.Fatalf("SetField(%q, %q): %v", f, values[f], err)
		}
	}
	for _, f := range EditableFields {
		if got, err := inc.Field(f); err != nil || got != values[f] {
			t.Errorf("Field(%q) = %q, %v; want %q", f, got, err, values[f])
		}
	}
	before := *inc
	if err := inc.SetField("killed", "many"); !errors.Is(err, ErrInvalid) {
		t.Errorf("SetField(killed, many) = %v, want ErrInvalid", err)
	}
	if inc.Killed != before.Killed || *inc.Killed != (Range{Min: 3, Max: 7}) {
		t.Errorf("a bad value changed killed to %v", inc.Killed)
	}
	for _, f := range []string{"coords", "killed", "date"} {
		if err := inc.SetField(f, ""); err != nil {
			t.Fatal(err)
		}
	}
	if inc.Lat != nil || inc.Lon != nil || inc.Killed != nil || inc.Date != "" {
		t.Errorf("empty values left coords %v,%v, killed %v, date %q", inc.Lat, inc.Lon, inc.Killed, inc.Date)
	}
	if _, err := inc.Field("grade"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Field(grade) = %v, want ErrInvalid", err)
	}
}
