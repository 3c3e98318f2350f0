package extract

import (
	"testing"
	"time"

	"github.com/testigo-project/testigo"
)

// TestTypePrecedence pins the rules that decide between event types when a
// text names several kinds of violence or activity, on sentences written
// for this test.
func TestTypePrecedence(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text string
		want testigo.EventType
	}{
		{"Police detained twelve students during a protest outside the ministry on Monday.", testigo.TypeProtestWithIntervention},
		// The police who only report an attack are not a party to it.
		{"Gunmen on motorcycles attacked a farming village, killing 20 people, police said on Sunday.", testigo.TypeAttack},
		{"Según la policía, hombres armados irrumpieron en una fiesta y mataron a seis personas.", testigo.TypeAttack},
		// Mexican press verbs: "abatir" (killed by security forces in a
		// fight), ambushes, and "atacó" a boat.
		{"El Ejército abatió a siete presuntos integrantes de un grupo criminal tras ser agredido.", testigo.TypeArmedClash},
		{"Elementos de la Marina fueron emboscados en un camino rural; murieron dos marinos.", testigo.TypeArmedClash},
		{"Estados Unidos atacó una lancha en el Caribe; murieron tres tripulantes.", testigo.TypeVesselStrike},
		// Only "killed", but who killed whom is said.
		{"Hombres armados mataron a tres jóvenes en una fiesta.", testigo.TypeAttack},
		{"Security forces killed five militants near the border.", testigo.TypeArmedClash},
		{"At least 30 people were killed when jihadists attacked a military post near Djibo, the army said.", testigo.TypeArmedClash},
		{"Five people were killed on Sunday, officials said.", ""},
		{"Police arrested a union leader accused of organising a protest last month.", testigo.TypeArrest},
		{"Three protesters were killed when soldiers broke up a sit-in outside the governor's office.", testigo.TypeExcessiveForceProtest},
		{"Several demonstrators were seriously injured as police suppressed a march in the capital.", testigo.TypeExcessiveForceProtest},
		{"Students threw rocks at the police, who used tear gas to disperse the protest.", testigo.TypeViolentDemonstration},
		{"Residents burned tires on the main road to demand water.", testigo.TypeViolentDemonstration},
		{"The militia entered the town without resistance after the army withdrew.", testigo.TypeNonViolentTransfer},
		{"Soldiers seized twenty rifles, two grenades and ammunition in a house near the border.", testigo.TypeDisruptedWeaponsUse},
		{"Army engineers destroyed forty landmines and six improvised explosive devices near the village.", testigo.TypeDisruptedWeaponsUse},
		{"The coast guard intercepted a boat carrying smugglers and thirty migrants.", testigo.TypeOrganizedCrime},
		{"Police arrested four men and recovered counterfeit banknotes worth two million.", testigo.TypeOrganizedCrime},
		{"Rebel fighters seized the village of Kuru on Sunday.", testigo.TypeNonStateTakeover},
		{"Government forces established fortifications along the coastal road.", testigo.TypeChangeToGroup},
		{"The ceasefire ended on Friday. A drone strike then hit a car, killing three people.", testigo.TypeAirDroneStrike},
		{"Two would-be suicide bombers blew themselves up at a checkpoint.", testigo.TypeSuicideBomb},
		{"Four soldiers were killed in a landmine attack by rebels on Saturday.", testigo.TypeRemoteExplosive},
		{"About 300 refugees returned across the border crossing on Tuesday.", testigo.TypeOther},
		{"Policías detuvieron a diez estudiantes durante una protesta frente al palacio municipal.", testigo.TypeProtestWithIntervention},
	}
	for _, tt := range tests {
		evs := x.Extract(Input{Text: tt.text})
		var got testigo.EventType
		if len(evs) > 0 {
			got = evs[0].Type
		}
		if got != tt.want {
			t.Errorf("%q: type %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestPlatformNeedsItsWord checks that the platform is read only from words
// that name it: a bare "struck" says nothing of aircraft.
func TestPlatformNeedsItsWord(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text string
		want testigo.Platform
	}{
		{"The U.S. military struck a vessel in international waters, killing six.", ""},
		{"Warplanes struck a house on the edge of the town, killing four.", testigo.PlatformAircraft},
		{"A drone strike killed three men in a car.", testigo.PlatformDrone},
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text, Lang: "en"})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		if got := evs[0].Platform; got != tc.want {
			t.Errorf("%q: platform %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestLeadEventWins checks that when a text tells two events, the one its
// lead tells with a clear "gunmen killed" is read, with its own place and
// count, not a later, separate finding.
func TestLeadEventWins(t *testing.T) {
	x := mustExtractor(t)
	text := "Gunmen killed three men in Culiacán on Friday, police said. " +
		"Separately, in Jalisco, authorities found two bodies on Saturday."
	evs := x.Extract(Input{Text: text, Published: time.Date(2020, 5, 5, 0, 0, 0, 0, time.UTC)})
	if len(evs) == 0 {
		t.Fatal("no event")
	}
	ev := evs[0]
	if ev.Type != testigo.TypeAttack || ev.Admin1 != "Sinaloa" || ev.Killed == nil || ev.Killed.Min != 3 || ev.Killed.Max != 3 {
		t.Errorf("got type %q admin1 %q killed %v, want attack in Sinaloa, 3 killed", ev.Type, ev.Admin1, ev.Killed)
	}
	checkSpans(t, text, ev)
}

// TestNegatedStrikes checks that a strike said not to have been carried
// out is recorded as denied, and that drones only flown over a place are a
// deployment, not a strike; while drones "still flying" after a strike that
// killed people, or a strike whose author is "not clear", stay strikes.
func TestNegatedStrikes(t *testing.T) {
	x := mustExtractor(t)
	tests := []struct {
		text     string
		typ      testigo.EventType
		modality testigo.Modality
	}{
		{"The US military said it has not carried out any drone strikes in Somalia this year.",
			testigo.TypeAirDroneStrike, testigo.Denied},
		{"La Secretaría de Marina aseguró que no ha realizado ataques con drones en Sinaloa.",
			testigo.TypeAirDroneStrike, testigo.Denied},
		{"The CIA has been flying MQ-9 Reaper drones over Sinaloa to locate fentanyl labs, officials said, but has not carried out lethal strikes.",
			testigo.TypeDeployment, testigo.Asserted},
		{"Six people were killed in a house on Sunday. Several drones were still flying in the area.",
			testigo.TypeAirDroneStrike, testigo.Asserted},
		{"It was not immediately clear who carried out the drone strike that killed four people.",
			testigo.TypeAirDroneStrike, testigo.Asserted},
	}
	// Options weighed and strikes yet to begin are not strikes.
	for _, text := range []string{
		"Officials discussed options including drone strikes on cartel targets in Mexico.",
		"The U.S. is expected to begin strikes in Mexico within weeks.",
	} {
		for _, ev := range x.Extract(Input{Text: text}) {
			if ev.Type == testigo.TypeAirDroneStrike || ev.Modality == testigo.Asserted && ev.Type == testigo.TypeAttack {
				t.Errorf("%q: read as a strike that happened (%q, %q)", text, ev.Type, ev.Modality)
			}
		}
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		if ev := evs[0]; ev.Type != tc.typ || ev.Modality != tc.modality {
			t.Errorf("%q: type %q modality %q, want %q %q", tc.text, ev.Type, ev.Modality, tc.typ, tc.modality)
		}
	}
}

// TestPlannedStrikesSpanish checks that Spanish verbs of preparing,
// weighing and studying make a strike a plan, not an event.
func TestPlannedStrikesSpanish(t *testing.T) {
	x := mustExtractor(t)
	for _, text := range []string{
		"Fuentes del gobierno estadounidense dijeron a NBC News que la CIA y el JSOC preparan ataques con drones contra laboratorios del Cártel de Sinaloa.",
		"El gobierno analiza ataques con drones contra el CJNG.",
	} {
		evs := x.Extract(Input{Text: text})
		if len(evs) == 0 {
			t.Errorf("%q: no event", text)
			continue
		}
		if ev := evs[0]; ev.Type != testigo.TypeOperationPlanning || ev.Modality != testigo.Planned {
			t.Errorf("%q: type %q modality %q, want operation_planning, planned", text, ev.Type, ev.Modality)
		}
	}
}
