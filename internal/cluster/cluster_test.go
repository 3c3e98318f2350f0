package cluster

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/testigo-project/testigo"
)

func fp(f float64) *float64 { return &f }

func TestBest(t *testing.T) {
	culiacan := &testigo.Incident{ID: 1, Type: testigo.TypeArmedClash, Date: "2025-11-22",
		Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}, Killed: &testigo.Range{Min: 3, Max: 3}}
	strike := &testigo.Incident{ID: 2, Type: testigo.TypeAirDroneStrike, Date: "2025-11-20",
		Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato", Lat: fp(25.36), Lon: fp(-107.55)}}
	merged := &testigo.Incident{ID: 3, Type: testigo.TypeArmedClash, Date: "2025-11-22", MergedInto: 1,
		Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}}
	raid := &testigo.Incident{ID: 4, Type: testigo.TypeArrest, Date: "2025-10-26",
		Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Cosalá"}}
	pacific := &testigo.Incident{ID: 5, Type: testigo.TypeVesselStrike, Date: "2025-11-15",
		Place: testigo.Place{Country: "EC", Location: "Pacific Ocean"}, Killed: &testigo.Range{Min: 3, Max: 3}}
	cands := []*testigo.Incident{culiacan, strike, merged, raid, pacific}

	tests := []struct {
		name string
		ev   testigo.Event
		want testigo.IncidentID
	}{
		{"same event, accents differ", testigo.Event{Type: testigo.TypeAttack, Date: "2025-11-22",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacan"}, Killed: &testigo.Range{Min: 3, Max: 5}}, 1},
		{"a day later, nearby coordinates", testigo.Event{Type: testigo.TypeAirDroneStrike, Date: "2025-11-21",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Lat: fp(25.40), Lon: fp(-107.50)}}, 2},
		{"other state", testigo.Event{Type: testigo.TypeArmedClash, Date: "2025-11-22",
			Place: testigo.Place{Country: "MX", Admin1: "Durango", Admin2: "Culiacán"}}, 0},
		{"other country", testigo.Event{Type: testigo.TypeArmedClash, Date: "2025-11-22",
			Place: testigo.Place{Country: "VE"}}, 0},
		{"a week apart", testigo.Event{Type: testigo.TypeArmedClash, Date: "2025-11-29",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}}, 0},
		{"incompatible type", testigo.Event{Type: testigo.TypePeacefulProtest, Date: "2025-11-22",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}}, 0},
		{"bodies found where the strike was, same day", testigo.Event{Type: testigo.TypeAttack, Date: "2025-11-20",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato"}}, 2},
		{"violence a day after a strike", testigo.Event{Type: testigo.TypeAttack, Date: "2025-11-21",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato"}}, 0},
		{"other municipality same day", testigo.Event{Type: testigo.TypeArmedClash, Date: "2025-11-22",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Mazatlán"}}, 0},
		{"the raid's seizure, reported a day later", testigo.Event{Type: testigo.TypeDisruptedWeaponsUse, Date: "2025-10-27",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Cosala"}}, 4},
		{"the same strike at sea, reported without the coast", testigo.Event{Type: testigo.TypeVesselStrike, Date: "2025-11-15",
			Place: testigo.Place{Location: "Pacific Ocean"}, Killed: &testigo.Range{Min: 3, Max: 3}}, 5},
		{"a strike in another sea the next day, same toll", testigo.Event{Type: testigo.TypeVesselStrike, Date: "2025-11-16",
			Place: testigo.Place{Location: "Caribbean Sea"}, Killed: &testigo.Range{Min: 3, Max: 3}}, 0},
		{"a seizure in another municipality", testigo.Event{Type: testigo.TypeDisruptedWeaponsUse, Date: "2025-10-26",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Elota"}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Best(&tc.ev, cands)
			var id testigo.IncidentID
			if got != nil {
				id = got.ID
			}
			if id != tc.want {
				t.Errorf("Best = incident %d, want %d (scores %.2f %.2f)", id, tc.want,
					Score(&tc.ev, culiacan), Score(&tc.ev, strike))
			}
		})
	}
}

func TestDerive(t *testing.T) {
	reports := []*testigo.Report{
		{ID: 10, DocumentID: 1, Event: testigo.Event{Type: testigo.TypeAirDroneStrike, Date: "2025-11-20",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa"}, Killed: &testigo.Range{Min: 4, Max: 4}}},
		{ID: 11, DocumentID: 2, Event: testigo.Event{Type: testigo.TypeAirDroneStrike, Date: "2025-11-20",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato"}, Killed: &testigo.Range{Min: 6, Max: 6}}},
		{ID: 12, DocumentID: 3, Event: testigo.Event{Type: testigo.TypeOfficialStatement, Date: "2025-11-21",
			Place: testigo.Place{Country: "MX"}, Killed: &testigo.Range{Min: 2, Max: 4}}},
	}
	inc := &testigo.Incident{ID: 7, Review: testigo.ReviewNew, Version: 3}
	Derive(inc, reports)
	want := &testigo.Incident{
		ID: 7, Review: testigo.ReviewNew, Version: 3, ReportCount: 3,
		Title: "Air drone strike in Badiraguato, 2025-11-20",
		Type:  testigo.TypeAirDroneStrike, Date: "2025-11-20",
		Place:       testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato"},
		Killed:      &testigo.Range{Min: 6, Max: 6},
		Derivation:  "killed 6 from report 11: report 10 says 4, report 11 says 6, report 12 says 2–4",
		Grade:       testigo.GradeFair,
		GradeReason: "3 independent documents report it",
	}
	if diff := cmp.Diff(want, inc); diff != "" {
		t.Errorf("Derive mismatch (-want +got):\n%s", diff)
	}

	reports[2].Killed = &testigo.Range{Min: 2, Max: 9}
	reports[2].Modality = testigo.Denied
	Derive(inc, reports)
	if inc.Killed.Min != 6 || inc.Killed.Max != 9 ||
		inc.Derivation != "killed 6–9 (min 6 from report 11, max 9 from report 12): report 10 says 4, report 11 says 6, report 12 says 2–9" {
		t.Errorf("range = %v (%s), want 6–9 with both sources named", inc.Killed, inc.Derivation)
	}
	if inc.Grade != testigo.GradeContested {
		t.Errorf("grade = %s, want contested when one report denies", inc.Grade)
	}
}

// TestCivilDay checks the fast date reader against time.Parse, which it
// replaces in Score.
func TestCivilDay(t *testing.T) {
	cases := []string{"", "2025-11-03", "2024-02-29", "2025-02-29", "1900-02-29", "2000-02-29", "2025-04-31",
		"2025-13-01", "2025-00-10", "2025-01-00", "2025-1-03", "2025/11/03", "20251103", "2025-11-03x", "+025-11-03",
		"0000-01-01", "1969-12-31", "1970-01-01", "9999-12-31", "2025-11-0a", "２０２５-11-03"}
	for y := 1996; y <= 2030; y++ {
		for m := 1; m <= 12; m++ {
			for _, d := range []int{1, 28, 29, 30, 31} {
				cases = append(cases, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, s := range cases {
		got, ok := civilDay(s)
		tm, err := time.Parse(testigo.DateLayout, s)
		if ok != (err == nil) || ok && got != tm.Unix()/86400 {
			t.Errorf("civilDay(%q) = %d, %v; time.Parse says %v, %v", s, got, ok, tm, err)
		}
	}
}

// TestSameName checks the ASCII fast path against the folding it skips.
func TestSameName(t *testing.T) {
	names := []string{"", "Culiacán", "Culiacan", "CULIACAN", " culiacan ", "Navolato", "Cosalá", "COSALÁ", "Ñuñoa", "nunoa", "Sinaloa"}
	for _, a := range names {
		for _, b := range names {
			if got, want := sameName(a, b), foldName(a) == foldName(b); got != want {
				t.Errorf("sameName(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}
