package extract

import "testing"

// TestAtSea checks that a strike at sea is placed at sea, in no country,
// even when the rest of the text names countries; that land the sentence
// puts the boat beside keeps its reading; and that the platform comes from
// the event's own sentences, not from talk of other strikes.
func TestAtSea(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text, country, location, platform string
	}{
		{"The U.S. military killed three people in a strike on a boat in the eastern Pacific on Tuesday. " +
			"Officials said last week that a mission in Mexico could include drone strikes on drug labs.",
			"", "Pacific Ocean", ""},
		{"Estados Unidos atacó una lancha en el Caribe; murieron tres tripulantes. Venezuela condenó el ataque.",
			"", "Caribbean Sea", ""},
		{"Rebels claimed a missile attack on a cargo ship in the Red Sea; Yemen's rebel leaders praised it.",
			"", "Red Sea", "missile"},
		{"The military struck a vessel in international waters off Venezuela, killing six.", "VE", "international waters", ""},
		// Seas in the names of places on land.
		{"Gunmen shelled a district in the east of Hodeidah, a Red Sea port city.", "YE", "", "artillery"},
		{"Policías se enfrentaron con hombres armados en la colonia El Pacífico de El Salto, Jalisco.", "MX", "El Salto", ""},
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		ev := evs[0]
		if ev.Country != tc.country || ev.Location != tc.location || string(ev.Platform) != tc.platform {
			t.Errorf("%q: country %q location %q platform %q, want %q %q %q", tc.text, ev.Country, ev.Location,
				ev.Platform, tc.country, tc.location, tc.platform)
		}
		if tc.location != "" && ev.Evidence["location"].Quote == "" {
			t.Errorf("%q: location without evidence", tc.text)
		}
		checkSpans(t, tc.text, ev)
	}
}
