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
		{"Two guards were killed along with 6 attackers at the gate.", rng(8, 8), "along with 6 attackers"},
		{"5 children whose parents were killed in the raid were taken to a shelter.", nil, ""},
		{"5 wounded soldiers could not be evacuated after the convoy was hit.", nil, ""},
	})
}

// TestKilledSingularAndJoined: "a civilian was killed" is one dead; one
// person joined to a count adds one; "along with N others" adds N.
func TestKilledSingularAndJoined(t *testing.T) {
	checkKilled(t, []killedCase{
		{"A tribal elder was killed when a bomb hidden in a cart exploded in Khar.", rng(1, 1), "was killed"},
		{"A shopkeeper was reportedly gunned down outside his store in Quetta.", rng(1, 1), "was reportedly gunned down"},
		{"A cleric was killed along with four of his students in the blast.", rng(5, 5), "along with four of his students"},
		{"No one was killed when the roof of the market collapsed.", rng(0, 0), "No one was"},
		{"A police captain and three constables were killed at a checkpoint.", rng(4, 4), "captain and three constables were killed"},
		{"Un comerciante y dos de sus empleados fueron asesinados en su tienda.", rng(3, 3), "comerciante y dos de sus empleados fueron asesinados"},
		{"The rebel commander, as well as five other fighters, were slain in the raid.", rng(6, 6), "as well as five other fighters"},
		{"The rebel commander and five other fighters were slain in the raid.", rng(6, 6), "commander and five other fighters were slain"},
		{"The clash ended with the death of a young farmer.", rng(1, 1), "death of a young"},
		{"La policía investiga la ejecución del presunto jefe de una banda.", rng(1, 1), "ejecución del presunto"},
		{"Gunmen shot dead three men outside a bar in the town.", rng(3, 3), "shot dead three"},
		{"A drone fired missiles at a seminary, killing 2 teachers and 3 students.", rng(5, 5), "killing 2 teachers and 3 students"},
		{"Sicarios mataron a 2 policías y 3 comerciantes en el mercado.", rng(5, 5), "mataron a 2 policías y 3 comerciantes"},
		{"The strike killed 4 militants and wounded 3 others.", rng(4, 4), "killed 4"},
		{"Asesinan a un hombre y a una mujer en Celaya.", rng(2, 2), "Asesinan a un hombre y a una mujer"},
		{"Asesinan a adulto mayor y a niño en su domicilio.", rng(2, 2), "adulto mayor y a niño"},
		// "killing them": the people named just before.
		{"A drone fired 4 missiles at 3 people in a car, killing them on the spot.", rng(3, 3), "3 people in a car, killing them"},
		{"Up to 5 men were travelling on the highway. A drone strike ended their lives.", rng(5, 5), "Up to 5 men"},
		{"Hombres armados interceptaron a 4 jóvenes, matándolos en el acto.", rng(4, 4), "4 jóvenes, matándolos"},
		{"Police arrested 3 men. Gunmen attacked the convoy but failed to kill them.", nil, ""},
		{"Gunmen shot dead a police officer outside his home.", rng(1, 1), "shot dead"},
	})
}

// TestKilledUnreal: a killing attempted, threatened or denied is no death.
func TestKilledUnreal(t *testing.T) {
	checkKilled(t, []killedCase{
		{"Gunmen attempted to kill a judge outside the court in Lahore, but missed.", nil, ""},
		{"The group threatened to kill 20 hostages if its demands were not met.", nil, ""},
		{"Officials said the new mines would kill dozens of people a year.", nil, ""},
		{"Los sicarios no mataron a nadie durante el asalto en Toluca.", nil, ""},
	})
}

// TestKilledOverSeveralIncidents: a total over several incidents or a
// period is not one event's count; one incident had at least one dead and
// at most the total less one for each other incident.
func TestKilledOverSeveralIncidents(t *testing.T) {
	checkKilled(t, []killedCase{
		{"Matan a tres hombres en distintos hechos en Irapuato.", rng(1, 2), "Matan a tres"},
		{"Gunmen killed four people in separate attacks across the city.", rng(1, 3), "killed four"},
		{"Asesinan a cinco personas en tres municipios distintos de Guerrero.", rng(1, 3), "Asesinan a cinco"},
		{"Se registran tres homicidios en menos de 24 horas en Celaya.", rng(1, 2), "tres homicidios"},
		{"Suman 450 homicidios en lo que va del año en la capital.", nil, ""},
		{"Dos homicidios en la colonia Centro de Salamanca.", rng(1, 2), "Dos homicidios"},
		{"For the third time in 24 hours, a drone hit a house, killing 5 people.", rng(5, 5), "killing 5"},
		// Tolls over a period or a whole area are not one event's.
		{"Police said 40 people have been killed in clashes across the region since January.", nil, ""},
		{"Más de 300 personas han sido asesinadas en Culiacán desde septiembre.", nil, ""},
		{"Indian troops fired across the Line of Control and killed two civilians.", rng(2, 2), "killed two"},
	})
}

// TestKilledSpanishFound: the dead found or left count as killed in the
// event that left them (as UCDP and ACLED code found bodies); a plural
// with no number is more than one, read like "some" (2 to 4).
func TestKilledSpanishFound(t *testing.T) {
	checkKilled(t, []killedCase{
		{"Localizan a mujer asesinada en un canal de riego de Navojoa.", rng(1, 1), "Localizan a mujer asesinada"},
		{"Encuentran a pareja calcinada dentro de una camioneta en Ensenada.", rng(2, 2), "Encuentran a pareja calcinada"},
		{"Hallan degollados a tres jornaleros en un rancho de Tierra Caliente.", rng(3, 3), "Hallan degollados a tres"},
		{"Localizan ejecutados a cuatro hombres junto a la carretera federal.", rng(4, 4), "Localizan ejecutados a cuatro"},
		{"Hallan un encobijado en un baldío de la colonia Hidalgo.", rng(1, 1), "Hallan un encobijado"},
		{"Encuentran cuerpos desmembrados en una brecha de Apatzingán.", rng(2, 4), "Encuentran cuerpos"},
		{"Investigan el hallazgo de cuerpos en un pozo de Salvatierra.", rng(2, 4), "hallazgo de cuerpos"},
		{"Matan a vendedores ambulantes frente al mercado de Uruapan.", rng(2, 4), "Matan a vendedores"},
		{"Taxistas son asesinados a tiros en la terminal de Zitácuaro.", rng(2, 4), "Taxistas son asesinados"},
		{"Los cuerpos de seguridad reforzaron la vigilancia en Tlaquepaque.", nil, ""},
		{"Localizan a un joven con vida tras tres días desaparecido.", nil, ""},
	})
}

// TestKilledSpanishVerbs: singular verbs of dying, "una pareja", a victim
// chased and killed.
func TestKilledSpanishVerbs(t *testing.T) {
	checkKilled(t, []killedCase{
		{"Mujer es herida en un asalto y muere camino al hospital de Toluca.", rng(1, 1), "muere"},
		{"Muere “El Chato” tras un ataque en el mercado de Zamora.", rng(1, 1), "Muere"},
		{"Un albañil casi muere tras caer de un andamio en Pachuca.", nil, ""},
		{"Asesinan a balazos a una pareja en su casa de Tonalá.", rng(2, 2), "a una pareja"},
		{"Joven es golpeado y asesinado en la colonia Obrera de Tijuana.", rng(1, 1), "es golpeado y asesinado"},
	})
}

// TestKilledAsides: an aside between the victims and the verb, and a
// determiner before the count, do not hide the count.
func TestKilledAsides(t *testing.T) {
	checkKilled(t, []killedCase{
		{"8 people, most of them farm workers, were killed in the strike.", rng(8, 8), "8 people, most of them farm workers, were killed"},
		{"4 children--two of them brothers--were killed when the house was hit.", rng(4, 4), "were killed"},
		{"Tres hombres, uno de ellos menor de edad, fueron asesinados anoche.", rng(3, 3), "Tres hombres"},
		{"El ataque mató a sus tres ocupantes.", rng(3, 3), "mató a sus tres"},
		{"The strike killed all four people on board.", rng(4, 4), "killed all four"},
		{"5 people, the police said, were killed.", rng(5, 5), "were killed"},
		// A list is no aside: the second count is not the first's.
		{"Two soldiers, three civilians and a child were wounded.", nil, ""},
	})
}
