package extract

import "testing"

// TestDatelineEnd checks which openings are read as a dateline and where
// it ends.
func TestDatelineEnd(t *testing.T) {
	tests := []struct {
		text, rest string // rest: the text after the dateline, or "" for none
	}{
		{"KABUL, Afghanistan (AP) — A drone strike killed seven.", "A drone strike killed seven."},
		{"MOGADISHU, Somalia – Militants attacked a base.", "Militants attacked a base."},
		{"BAGHDAD (Reuters) - An airstrike killed three.", "An airstrike killed three."},
		{"CULIACÁN, Sin.- Un enfrentamiento dejó seis muertos.", " Un enfrentamiento dejó seis muertos."},
		{"Ciudad de México, 3 nov (EFE).- Un ataque dejó cinco muertos.", " Un ataque dejó cinco muertos."},
		{"  SAN JUAN, Puerto Rico — Police said two died.", "Police said two died."},
		// Not datelines: a sentence, a capitalised word that is not in
		// capitals, a headline in capitals with no place form, no dash.
		{"A drone strike killed seven people — officials said.", ""},
		{"Kabul, Afghanistan — A drone strike killed seven.", ""},
		{"BREAKING NEWS ABOUT THE STRIKE TODAY AND MORE — details", ""},
		{"KABUL, Afghanistan: a drone strike killed seven.", ""},
		{"US - Mexico talks ended on Friday.", ""},
		{"", ""},
	}
	for _, tc := range tests {
		end := datelineEnd(tc.text)
		got := ""
		if end > 0 {
			got = tc.text[end:]
		}
		if got != tc.rest {
			t.Errorf("datelineEnd(%q): rest %q, want %q", tc.text, got, tc.rest)
		}
	}
}

// TestDatelinePlace checks that the place of filing gives way to the place
// the report tells of, stands when there is no other, and is dropped when
// it is the acting state's capital.
func TestDatelinePlace(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text, country, admin1, quote string
	}{
		{"MOGADISHU, Somalia — The U.S. military said Tuesday it carried out an airstrike near Jilib that killed 12 al-Shabab fighters.",
			"SO", "Middle Juba", "Jilib"},
		{"KABUL, Afghanistan (AP) — A drone strike killed seven people in Nangarhar province on Sunday, officials said.",
			"AF", "Nangarhar", "Nangarhar"},
		{"CULIACÁN, Sin.- Hombres armados asesinaron a dos jóvenes la noche del sábado, informó la Fiscalía.",
			"MX", "Sinaloa", "CULIACÁN"},
		{"WASHINGTON — U.S. forces struck a boat in the Caribbean, killing three, the Pentagon said.", "", "", ""},
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		ev := evs[0]
		if ev.Country != tc.country || ev.Admin1 != tc.admin1 {
			t.Errorf("%q: place %q/%q, want %q/%q", tc.text, ev.Country, ev.Admin1, tc.country, tc.admin1)
		}
		if tc.quote != "" && ev.Evidence["country"].Quote != tc.quote {
			t.Errorf("%q: country evidence %q, want %q", tc.text, ev.Evidence["country"].Quote, tc.quote)
		}
		checkSpans(t, tc.text, ev)
	}
}
