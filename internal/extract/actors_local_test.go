package extract

import "testing"

// TestLocalForces checks that a bare "Ejército", "Marina" or "Guardia
// Nacional" names the forces of the country the event happened in, and
// Mexico's only in Mexican news or when the text says so.
func TestLocalForces(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text, actor, group string
	}{
		{"Un enfrentamiento entre el Ejército y disidencias de las FARC dejó seis muertos en zona rural de Argelia, Cauca.",
			"Military forces", ""},
		{"La Guardia Nacional dispersó una protesta en Maracaibo, estado Zulia, con gases lacrimógenos.", "GNB", "Venezuela"},
		{"El Ejército abatió a cinco presuntos sicarios en Culiacán, Sinaloa.", "SEDENA", "Mexico"},
		{"El Ejército Mexicano desplegó tropas en Tumaco, Nariño, según la cancillería.", "SEDENA", "Mexico"},
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		found := false
		for _, a := range evs[0].Actors {
			found = found || a.Name == tc.actor && a.Group == tc.group
		}
		if !found {
			t.Errorf("%q: actors %+v, want %s (%s)", tc.text, evs[0].Actors, tc.actor, tc.group)
		}
	}
}
