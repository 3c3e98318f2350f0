package extract

import (
	"slices"
	"testing"

	"github.com/testigo-project/testigo/internal/geo"
)

// TestCountryWithoutPlace checks the country read from actors and
// institutions when a text names no place: one-country actors and a
// country's civil institutions give it with their mention as evidence;
// actors of several countries, a state shown striking, and evidence that
// disagrees give nothing; a named place wins.
func TestCountryWithoutPlace(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text, lang, country, quote string
	}{
		{"Pakistani officials said five people were killed in a drone strike.", "en", "PK", "Pakistani officials"},
		{"Pakistani Taliban militants attacked a checkpoint, killing 3 soldiers.", "en", "PK", "Pakistani Taliban"},
		{"Militants of the Tehrik-i-Taliban Pakistan attacked a checkpoint, killing two.", "en", "PK", ""},
		{"Al-Shabaab fighters attacked a base, killing 10.", "en", "SO", "Al-Shabaab"},
		{"Houthi rebels fired missiles, killing 3.", "en", "YE", "Houthi"},
		{"Yemeni officials said a US drone killed 4 suspected militants.", "en", "YE", "Yemeni officials"},
		{"Sheinbaum condenó el asesinato de cinco personas.", "es", "MX", "Sheinbaum"},
		{"Matan a chofer de líder de La Unión Tepito; Mexico security update 14 February 2019", "es", "MX", "La Unión Tepito"},
		{"Mexico security update 2 February 2018; Ejecutan a ex funcionario", "es", "MX", "Mexico security"},
		// Actors of several countries never decide alone.
		{"Tren de Aragua members killed 3 people.", "en", "", ""},
		{"Taliban fighters killed 3 people.", "en", "", ""},
		{"ISIS fighters killed 3 people.", "en", "", ""},
		{"US forces killed 3 people in a raid.", "en", "", ""},
		// The striking state's officials speak for the striker.
		{"A US drone killed 4 people. US officials said the target was a commander.", "en", "", ""},
		{"Saudi officials said 4 people were killed.", "en", "", ""},
		// Evidence that disagrees gives nothing.
		{"Kenyan police said al-Shabaab militants killed five people.", "en", "", ""},
		{"Indian officials said Pakistani troops killed 4 civilians.", "en", "", ""},
		// A place named in the text wins over an actor's country.
		{"CJNG gunmen killed five people in Chicago.", "en", "US", "Chicago"},
		// A place inside an actor's name is not where it happened.
		{"A leader of the Baloch Liberation Front was killed in a clash in Kalat district.", "en", "PK", "Kalat"},
		{"Sicarios del Cártel de Sinaloa asesinaron a tres hombres.", "es", "MX", "Cártel de Sinaloa"},
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text, Lang: tc.lang})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		ev := evs[0]
		if ev.Country != tc.country {
			t.Errorf("%q: country %q, want %q", tc.text, ev.Country, tc.country)
		}
		if tc.quote != "" && ev.Evidence["country"].Quote != tc.quote {
			t.Errorf("%q: country evidence %q, want %q", tc.text, ev.Evidence["country"].Quote, tc.quote)
		}
		checkSpans(t, tc.text, ev)
	}
}

// TestDropInActors checks that exactly the matches lying inside an actor's
// name are dropped, in a window that starts at byte lo of the text.
func TestDropInActors(t *testing.T) {
	ms := []geo.Match{{Start: 0, End: 5}, {Start: 10, End: 15}, {Start: 14, End: 20}, {Start: 30, End: 34}, {Start: 40, End: 48}}
	actors := [][2]int{{108, 116}, {120, 122}, {129, 135}, {140, 148}}
	var kept []int
	for _, m := range dropInActors(append([]geo.Match(nil), ms...), actors, 100) {
		kept = append(kept, m.Start)
	}
	if want := []int{0, 14}; !slices.Equal(kept, want) {
		t.Errorf("kept matches starting at %v, want %v", kept, want)
	}
}
