package testigo

import (
	"errors"
	"testing"
)

// FuzzParseField checks that any analyst input to any editable field either
// is refused with ErrInvalid or gives a canonical form that parses to
// itself and survives SetField and Field unchanged.
func FuzzParseField(f *testing.F) {
	for _, seed := range []struct{ field, value string }{
		{"killed", "3-7"}, {"killed", " 3–7 "}, {"injured", "12"}, {"killed", "7-3"}, {"killed", "-1"},
		{"coords", "24.8,-107.4"}, {"coords", "91,0"}, {"coords", "nan,1"}, {"date", "2025-11-03"},
		{"date", "2025-02-30"}, {"country", "mx"}, {"country", "MEX"}, {"type", "air_drone_strike"},
		{"title", ""}, {"title", "Strike\non a boat"}, {"location", "off Güiria"}, {"admin1", "\x00"},
		{"grade", "confirmed"},
	} {
		f.Add(seed.field, seed.value)
	}
	f.Fuzz(func(t *testing.T, field, value string) {
		canon, err := ParseField(field, value)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseField(%q, %q): error %v does not wrap ErrInvalid", field, value, err)
			}
			return
		}
		again, err := ParseField(field, canon)
		if err != nil || again != canon {
			t.Fatalf("ParseField(%q, %q) = %q, which parses to %q, %v", field, value, canon, again, err)
		}
		var inc Incident
		if err := inc.SetField(field, canon); err != nil {
			t.Fatalf("SetField(%q, %q): %v", field, canon, err)
		}
		got, err := inc.Field(field)
		if err != nil || got != canon {
			t.Fatalf("Field(%q) after SetField(%q) = %q, %v", field, canon, got, err)
		}
	})
}
