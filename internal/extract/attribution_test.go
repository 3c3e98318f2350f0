package extract

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

func TestAttributions(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text string
		want []testigo.Attribution
	}{
		{"US special forces carried out a raid in Sonora, killing two men, according to three officials.",
			[]testigo.Attribution{{Text: "three officials", Kind: "official", Count: 3, Anonymous: true}}},
		{"A US strike on a vessel in the Caribbean killed three people, Defense Secretary Pete Hegseth said.",
			[]testigo.Attribution{{Text: "Defense Secretary Pete Hegseth", Kind: "official", Count: 1}}},
		{"El gobernador Rubén Rocha informó que dos hombres murieron en Culiacán, Sinaloa.",
			[]testigo.Attribution{{Text: "gobernador Rubén Rocha", Kind: "official", Count: 1}}},
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		if diff := cmp.Diff(tc.want, evs[0].Attribution); diff != "" {
			t.Errorf("%q: attribution (-want +got):\n%s", tc.text, diff)
		}
		if sp := evs[0].Evidence["attribution"]; tc.text[sp.Start:sp.End] != sp.Quote || sp.Quote != tc.want[0].Text {
			t.Errorf("%q: attribution evidence %+v", tc.text, sp)
		}
	}
}
