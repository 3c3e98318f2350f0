package extract

import (
	"strings"
	"testing"

	"github.com/testigo-project/testigo"
)

// killedCase is a sentence written for these tests, the killed range it
// states (nil: no count) and a piece of text the evidence must quote.
type killedCase struct {
	text   string
	want   *testigo.Range
	quoted string
}

func rng(lo, hi int) *testigo.Range { return &testigo.Range{Min: lo, Max: hi} }

// checkKilled extracts each case and compares the killed range and its
// evidence span.
func checkKilled(t *testing.T, cases []killedCase) {
	t.Helper()
	x := mustExtractor(t)
	for _, tc := range cases {
		evs := x.Extract(Input{Text: tc.text})
		var got *testigo.Range
		var ev testigo.Event
		if len(evs) > 0 {
			ev = evs[0]
			got = ev.Killed
		}
		if (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want {
			t.Errorf("%q: killed %v, want %v", tc.text, got, tc.want)
			continue
		}
		if got == nil {
			continue
		}
		sp, ok := ev.Evidence["killed"]
		if !ok || sp.Start < 0 || sp.End > len(tc.text) || sp.Start >= sp.End || tc.text[sp.Start:sp.End] != sp.Quote {
			t.Errorf("%q: killed evidence %+v is not a span of the text", tc.text, sp)
			continue
		}
		if !strings.Contains(sp.Quote, tc.quoted) {
			t.Errorf("%q: killed evidence %q does not quote %q", tc.text, sp.Quote, tc.quoted)
		}
	}
}

// TestKilledDatesAreNoCounts: a day or a year next to a month is no count.
func TestKilledDatesAreNoCounts(t *testing.T) {
	checkKilled(t, []killedCase{
		{"On 12 March 2021, gunmen shot and killed a shopkeeper in a market near Kismayo.", rng(1, 1), "killed a shopkeeper"},
		{"Troops shelled the border on Friday [9 October] and killed three farmers.", rng(3, 3), "killed three"},
		{"El 3 de junio de 2022 hombres armados mataron a dos comerciantes en Zamora.", rng(2, 2), "mataron a dos"},
		{"The village was quiet until 14 June. 2 herders were killed by a landmine there.", rng(2, 2), "2 herders were killed"},
	})
}

// TestKilledNounPhrases: a count, a noun phrase of a few words and a kill
// word; counts joined by "and" add up; a count before a transitive kill
// verb with its own object names the killers.
func TestKilledNounPhrases(t *testing.T) {
	checkKilled(t, []killedCase{
		{"4 separatist fighters were killed in a gunfight with the army in Kech.", rng(4, 4), "4 separatist fighters were killed"},
		{"Two Afghan border guards were killed when a mortar round landed on their post.", rng(2, 2), "Two Afghan border guards were killed"},
		{"Three 'heavily armed' smugglers were killed near the river.", rng(3, 3), "were killed"},
		{"2 Frontier policemen and 1 Levies guard were killed in the blast.", rng(3, 3), "2 Frontier policemen and 1 Levies guard were killed"},
		{"Un ataque armado dejó un hombre y una mujer muertos en Tepic.", rng(2, 2), "un hombre y una mujer muertos"},
		{"Tras una balacera, tres jóvenes murieron en la colonia Centro de Uruapan.", rng(3, 3), "tres jóvenes murieron"},
		{"Two helicopter gunships killed 9 insurgents in the valley.", rng(9, 9), "killed 9"},
		{"3 villagers were killed, two were wounded.", rng(3, 3), "3 villagers were killed"},
		{"A cleric was killed along with four of his students in the blast.", nil, ""},
		{"Two guards were killed along with 6 attackers at the gate.", rng(8, 8), "along with 6 attackers"},
		{"5 children whose parents were killed in the raid were taken to a shelter.", nil, ""},
		{"5 wounded soldiers could not be evacuated after the convoy was hit.", nil, ""},
	})
}
