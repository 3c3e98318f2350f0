package extract

import "testing"

// TestUnlistedLocality checks that a place the gazetteer does not know,
// written just before the area it lies in, becomes the event's location
// with its own evidence, and that what only looks like one does not.
func TestUnlistedLocality(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text, admin1, location string
	}{
		{"On 7 May 2020, in El Ramie, Veracruz, gunmen ambushed police officers. Three men died.", "Veracruz", "El Ramie"},
		{"On 8 May 2020, residents held a protest in Halani town (Naushahro Feroze, Sindh) against load shedding.",
			"Sindh", "Halani"},
		{"On 1 May 2020, in Santa Maria de Ostula, Michoacan, villagers announced they would take up arms.",
			"Michoacán", "Santa Maria de Ostula"},
		{"Hombres armados asesinaron a dos personas en la localidad de Xochitepec Viejo, Oaxaca.", "Oaxaca", "Xochitepec Viejo"},
		{"Drones struck a car in the village of Khalka, Al Jawf, killing 3 people.", "Al Jawf", "Khalka"},
		{"Residentes protestaron en Tocuyito, estado Carabobo, por la falta de agua.", "Carabobo", "Tocuyito"},
		{"A drone strike killed four people in Qala-e-Zal, Kunduz province.", "Kunduz", "Qala-e-Zal"},
		// Not a place: no word saying one follows, a month, the area alone.
		{"Gunmen killed, Sinaloa police said, three men on Friday.", "Sinaloa", ""},
		{"Violence rose in January, Sinaloa officials said, after gunmen killed three men.", "Sinaloa", ""},
		{"Around 8 May 2020, in Guerrero state, a video showed gunmen beating people.", "Guerrero", ""},
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		ev := evs[0]
		if ev.Admin1 != tc.admin1 || ev.Location != tc.location {
			t.Errorf("%q: admin1 %q location %q, want %q %q", tc.text, ev.Admin1, ev.Location, tc.admin1, tc.location)
		}
		if tc.location != "" && ev.Evidence["location"].Quote != tc.location {
			t.Errorf("%q: location evidence %q, want the name as written", tc.text, ev.Evidence["location"].Quote)
		}
		checkSpans(t, tc.text, ev)
	}
}
