package cluster

import (
	"math/rand/v2"
	"testing"

	"github.com/testigo-project/testigo"
)

// TestBlocksCoverScore checks the promise Blocks makes: every incident an
// event can score above zero against lies in one of its blocks (dated
// events are matched only with dated incidents, as the attach step does).
// Events and incidents are drawn from small sets of values so that
// matches, near misses and every rule of Score come up often.
func TestBlocksCoverScore(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[r.IntN(len(xs))] }
	types := append([]testigo.EventType{"", "mystery_type"}, testigo.EventTypes...)
	draw := func() testigo.Event {
		ev := testigo.Event{
			Type: types[r.IntN(len(types))],
			Date: pick([]string{"", "2025-11-01", "2025-11-03", "2025-11-04", "2025-11-06", "2025-11-09"}),
			Place: testigo.Place{
				Country:  pick([]string{"", "MX", "MX", "CO"}),
				Admin1:   pick([]string{"", "Sinaloa", "sinaloa", "Sonora"}),
				Admin2:   pick([]string{"", "Culiacán", "Culiacan", "Navolato"}),
				Location: pick([]string{"", "Costa Rica", "Eldorado"}),
			},
		}
		if r.IntN(3) > 0 {
			k := r.IntN(8)
			ev.Killed = &testigo.Range{Min: k, Max: k + r.IntN(2)}
		}
		if r.IntN(4) == 0 {
			ev.Type = testigo.TypeVesselStrike
		}
		return ev
	}
	pairs, matched := 0, 0
	for range 200_000 {
		ev, src := draw(), draw()
		inc := &testigo.Incident{ID: 1, Type: src.Type, Date: src.Date, Place: src.Place, Killed: src.Killed}
		if r.IntN(50) == 0 {
			inc.MergedInto = 2
		}
		s := Score(&ev, inc)
		if s == 0 || ev.Date != "" && inc.Date == "" {
			continue
		}
		if ev.Date == "" && AtSea(ev.Type) && AtSea(inc.Type) && ev.Country != inc.Country {
			continue // undated strikes at sea are looked for under their country only
		}
		bs := Blocks(&ev)
		if ev.Date == "" && ev.Country == "" {
			if bs != nil {
				t.Fatalf("Blocks(%+v) = %+v, want nil for an event with no date and no country", ev, bs)
			}
			continue
		}
		pairs++
		if s >= Threshold {
			matched++
		}
		found := false
		for _, b := range bs {
			found = found || b.Contains(inc)
		}
		if !found {
			t.Fatalf("Score = %.2f but no block holds the incident:\nevent    %+v\nincident %+v\nblocks   %+v", s, ev, inc, bs)
		}
	}
	if pairs < 10_000 || matched < 1_000 {
		t.Errorf("only %d scoring pairs, %d over the threshold: the draw no longer exercises Score", pairs, matched)
	}
}

// TestBlocksAreNarrow checks that blocks leave out what Score rules out,
// which is what keeps attaching cheap in a large store.
func TestBlocksAreNarrow(t *testing.T) {
	ev := &testigo.Event{Type: testigo.TypeAttack, Date: "2025-11-03",
		Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}}
	in := func(inc testigo.Incident) bool {
		for _, b := range Blocks(ev) {
			if b.Contains(&inc) {
				return true
			}
		}
		return false
	}
	base := testigo.Incident{Type: testigo.TypeArmedClash, Date: "2025-11-04",
		Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Navolato"}}
	for _, tc := range []struct {
		name string
		edit func(*testigo.Incident)
		want bool
	}{
		{"same family, same state, a day later", func(*testigo.Incident) {}, true},
		{"state left out", func(i *testigo.Incident) { i.Admin1 = "" }, true},
		{"accents differ", func(i *testigo.Incident) { i.Admin1 = "SINALOA" }, true},
		{"other state", func(i *testigo.Incident) { i.Admin1 = "Sonora" }, false},
		{"other country", func(i *testigo.Incident) { i.Country = "CO" }, false},
		{"four days later", func(i *testigo.Incident) { i.Date = "2025-11-07" }, false},
		{"undated", func(i *testigo.Incident) { i.Date = "" }, false},
		{"protest", func(i *testigo.Incident) { i.Type = testigo.TypePeacefulProtest }, false},
		{"strike, other municipality", func(i *testigo.Incident) { i.Type = testigo.TypeAirDroneStrike; i.Date = "2025-11-03" }, false},
		{"strike, same municipality, other day", func(i *testigo.Incident) {
			i.Type, i.Admin2 = testigo.TypeAirDroneStrike, "Culiacan"
		}, false},
		{"strike, same municipality, same day", func(i *testigo.Incident) {
			i.Type, i.Admin2, i.Date = testigo.TypeAirDroneStrike, "Culiacan", "2025-11-03"
		}, true},
		{"merged", func(i *testigo.Incident) { i.MergedInto = 9 }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inc := base
			tc.edit(&inc)
			if got := in(inc); got != tc.want {
				t.Errorf("incident %+v in blocks = %v, want %v", inc, got, tc.want)
			}
		})
	}

	sea := &testigo.Event{Type: testigo.TypeVesselStrike, Date: "2025-10-21", Place: testigo.Place{Country: "CO"}}
	other := &testigo.Incident{Type: testigo.TypeVesselStrike, Date: "2025-10-22", Place: testigo.Place{Country: "VE"}}
	found := false
	for _, b := range Blocks(sea) {
		found = found || b.Contains(other)
	}
	if !found {
		t.Errorf("a strike at sea named after Venezuela's coast is not a candidate for one named after Colombia's")
	}
	if bs := Blocks(&testigo.Event{Type: testigo.TypeAttack}); bs != nil {
		t.Errorf("Blocks of an event with no date and no place = %+v, want nil", bs)
	}
}
