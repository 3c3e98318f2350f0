package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/geo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	loadOnce sync.Once
	shared   *Extractor
	loadErr  error
)

// mustExtractor loads the gazetteer once for all tests of the package.
func mustExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	loadOnce.Do(func() {
		var g *geo.Gazetteer
		g, loadErr = geo.Load()
		if loadErr == nil {
			shared = New(g)
		}
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
	return shared
}

// TestSeedReport checks the report this project started from: a reported
// plan, in Mexico, by US forces and agencies against the cartels, sourced to
// two current and two former US officials.
func TestSeedReport(t *testing.T) {
	raw, err := os.ReadFile("testdata/seed-us-mission-mexico-2025-11-03.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(raw), "\n\n")
	evs := mustExtractor(t).Extract(Input{Text: body, Lang: "en", Published: time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)})
	if len(evs) == 0 {
		t.Fatal("no event read from the seed report")
	}
	ev := evs[0]
	if ev.Type != testigo.TypeOperationPlanning || ev.Modality != testigo.Planned {
		t.Errorf("type = %s (%s), want operation_planning, planned", ev.Type, ev.Modality)
	}
	if ev.Country != "MX" {
		t.Errorf("country = %q, want MX", ev.Country)
	}
	names := map[string]string{}
	for _, a := range ev.Actors {
		names[a.Name] = a.Group
	}
	for _, want := range []string{"JSOC", "CIA", "Drug cartels"} {
		if _, ok := names[want]; !ok {
			t.Errorf("actors %v lack %s", names, want)
		}
	}
	if names["JSOC"] != "United States" || names["CIA"] != "United States" {
		t.Errorf("JSOC and CIA are not grouped as United States: %v", names)
	}
	var found bool
	for _, a := range ev.Attribution {
		if a.Text == "two current and two former US officials" && a.Count == 4 && a.Anonymous {
			found = true
		}
	}
	if !found {
		t.Errorf("attribution %+v lacks the four anonymous US officials", ev.Attribution)
	}
	checkSpans(t, body, ev)
}

// checkSpans checks that every evidence span quotes the text exactly.
func checkSpans(t *testing.T, text string, ev testigo.Event) {
	t.Helper()
	for field, sp := range ev.Evidence {
		if sp.Basis != "" {
			continue
		}
		if sp.Start < 0 || sp.End > len(text) || sp.Start >= sp.End || text[sp.Start:sp.End] != sp.Quote {
			t.Errorf("evidence for %s = %+v does not quote the text", field, sp)
		}
	}
	fields := map[string]bool{"type": ev.Type != "", "date": ev.Date != "", "country": ev.Country != "",
		"admin1": ev.Admin1 != "", "admin2": ev.Admin2 != "", "location": ev.Location != "",
		"killed": ev.Killed != nil, "injured": ev.Injured != nil, "platform": ev.Platform != ""}
	for f, set := range fields {
		if _, ok := ev.Evidence[f]; set != ok {
			t.Errorf("field %s set=%v but evidence present=%v", f, set, ok)
		}
	}
}

// TestFixtures runs the hand-written EN/ES fixtures against their golden
// output (go test ./internal/extract -update rewrites it).
func TestFixtures(t *testing.T) {
	x := mustExtractor(t)
	in, err := os.ReadFile("testdata/fixtures.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, failed, err := x.ExtractJSONL(context.Background(), bytes.NewReader(in), &out); err != nil || failed != 0 {
		t.Fatalf("ExtractJSONL: %d failed, %v", failed, err)
	}
	golden := filepath.Join("testdata", "fixtures.golden.jsonl")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/extract -update)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(out.String(), "\n")); diff != "" {
		t.Errorf("fixtures mismatch (-want +got):\n%s", diff)
	}
	// Every span of every fixture quotes its text.
	sc := bufio.NewScanner(bytes.NewReader(in))
	for sc.Scan() {
		var line struct{ Text, Lang, Published string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		pub, _ := time.Parse(testigo.DateLayout, line.Published)
		for _, ev := range x.Extract(Input{Text: line.Text, Lang: line.Lang, Published: pub}) {
			checkSpans(t, line.Text, ev)
		}
	}
}

// TestKeyFacts pins the facts the fixtures must get right, so that a golden
// update cannot silently accept a regression in them.
func TestKeyFacts(t *testing.T) {
	x := mustExtractor(t)
	pub := func(s string) time.Time { d, _ := time.Parse(testigo.DateLayout, s); return d }
	tests := []struct {
		text, published string
		typ             testigo.EventType
		date, country   string
		killed          *testigo.Range
	}{
		{"A drone strike killed four people near Badiraguato, Sinaloa, on Thursday, two Mexican security officials said.", "2025-11-21",
			testigo.TypeAirDroneStrike, "2025-11-20", "MX", &testigo.Range{Min: 4, Max: 4}},
		{"Dos muertos dejó el ataque con un dron contra una camioneta en las afueras de Aguililla, Michoacán, el pasado jueves.", "2025-11-29",
			testigo.TypeAirDroneStrike, "2025-11-27", "MX", &testigo.Range{Min: 2, Max: 2}},
		{"Between 3 and 5 civilians were killed when artillery shells hit a market in Marib, Yemen, on 4 March 2024.", "2024-03-05",
			testigo.TypeShellingArtilleryMissile, "2024-03-04", "YE", &testigo.Range{Min: 3, Max: 5}},
		{"Una explosión en un taller de Celaya, Guanajuato, no dejó víctimas; no se registraron muertos ni heridos.", "2025-11-12",
			"", "2025-11-12", "MX", &testigo.Range{Min: 0, Max: 0}},
		{"La madrugada de este domingo, hombres armados asesinaron a seis personas en un bar de Irapuato, Guanajuato.", "2025-11-16",
			testigo.TypeAttack, "2025-11-16", "MX", &testigo.Range{Min: 6, Max: 6}},
		{"Hace tres días, un grupo armado secuestró a al menos once personas en Zitácuaro, Michoacán.", "2024-07-10",
			testigo.TypeAbduction, "2024-07-07", "MX", nil},
		// Spanish text reads ambiguous names in Mexico; a couple is two.
		{"Asesinan a pareja en su domicilio de León", "2021-05-28",
			testigo.TypeAttack, "2021-05-28", "MX", &testigo.Range{Min: 2, Max: 2}},
		{"Hombre es asesinado al llegar a su casa en Guadalajara", "2020-10-02",
			testigo.TypeAttack, "2020-10-02", "MX", &testigo.Range{Min: 1, Max: 1}},
		// A Mexican cartel says where, when no place is named.
		{"Ejecutan a dos presuntos integrantes del Cártel del Noreste; la Fiscalía investiga", "2023-03-02",
			testigo.TypeAttack, "2023-03-02", "MX", &testigo.Range{Min: 2, Max: 2}},
		// Victim lists and counts before a participle with "were found".
		{"Asesinan a taxista y a pasajera en Culiacán, Sinaloa", "2022-01-10",
			testigo.TypeAttack, "2022-01-10", "MX", &testigo.Range{Min: 2, Max: 2}},
		{"Matan a mamá, abuela y dos niños en León, Guanajuato", "2022-02-10",
			testigo.TypeAttack, "2022-02-10", "MX", &testigo.Range{Min: 4, Max: 4}},
		{"On 2 May 2021, three women were found dead inside a house in Torreón, Coahuila.", "",
			testigo.TypeAttack, "2021-05-02", "MX", &testigo.Range{Min: 3, Max: 3}},
		// Workers demonstrating "in front of" city hall are no front line.
		{"On 4 May 2021, about 50 vendors demonstrated in front of the city hall of Puebla, Puebla, to demand permits.", "",
			testigo.TypePeacefulProtest, "2021-05-04", "MX", nil},
		// A grenade attack answered with gunfire is a clash.
		{"On 6 May 2021, militants threw a hand grenade at soldiers in Mogadishu, Somalia. The soldiers fired back.", "",
			testigo.TypeArmedClash, "2021-05-06", "SO", nil},
		// Explosives found and defused are a disrupted attack, not a bombing.
		{"Police defused an improvised explosive device found near a bridge in Quetta, Pakistan, on 3 June 2021.", "",
			testigo.TypeDisruptedWeaponsUse, "2021-06-03", "PK", nil},
		// A "planned attack" that was carried out is the attack, not a plan.
		{"On 8 June 2021, militants carried out a planned attack on an army base in Marib, Yemen, killing two soldiers.", "",
			testigo.TypeArmedClash, "2021-06-08", "YE", &testigo.Range{Min: 2, Max: 2}},
		// Who takes ground decides the kind of takeover; a passive flips it.
		{"Rebels were pushed back from the town of Kalat, Pakistan, by the army on 2 June 2021.", "",
			testigo.TypeGovernmentRegains, "2021-06-02", "PK", nil},
		{"On 3 June 2021, militants captured the town of Jowhar, Somalia, after heavy fighting.", "",
			testigo.TypeNonStateTakeover, "2021-06-03", "SO", nil},
		// Villagers fighting with sticks are a mob, not armed groups.
		{"On 4 June 2021, two groups of villagers clashed with sticks and axes in Larkana, Pakistan, injuring two men.", "",
			testigo.TypeMobViolence, "2021-06-04", "PK", nil},
		// Strikes spoken of as considered are planning; a hedged strike
		// that killed people happened.
		{"The Pentagon is considering drone strikes against cartels inside Mexico, two US officials said.", "2025-11-03",
			testigo.TypeOperationPlanning, "2025-11-03", "MX", nil},
		{"Another possible drone strike killed 5 people in Miranshah, Pakistan, on 3 May 2012.", "",
			testigo.TypeAirDroneStrike, "2012-05-03", "PK", &testigo.Range{Min: 5, Max: 5}},
		// Ranges written with a hyphen or "to", and victims "with N others".
		{"A drone strike killed 3-4 people in Mir Ali, Pakistan, on 9 June 2012.", "",
			testigo.TypeAirDroneStrike, "2012-06-09", "PK", &testigo.Range{Min: 3, Max: 4}},
		// "mobile" is not a mob, "March" not a protest march.
		{"Two people were killed in a Predator strike that targeted a militant's mobile phone on 3 March 2012.", "2012-03-05",
			testigo.TypeAirDroneStrike, "2012-03-03", "", &testigo.Range{Min: 2, Max: 2}},
	}
	for _, tc := range tests {
		evs := x.Extract(Input{Text: tc.text, Published: pub(tc.published)})
		if len(evs) == 0 {
			t.Errorf("%q: no event", tc.text)
			continue
		}
		ev := evs[0]
		if tc.typ != "" && ev.Type != tc.typ || ev.Date != tc.date || ev.Country != tc.country ||
			!cmp.Equal(ev.Killed, tc.killed) {
			t.Errorf("%q:\n got type %s date %s country %s killed %v\nwant type %s date %s country %s killed %v",
				tc.text, ev.Type, ev.Date, ev.Country, ev.Killed, tc.typ, tc.date, tc.country, tc.killed)
		}
	}
}

func TestReadNumber(t *testing.T) {
	tests := map[string][2]int{
		"11": {11, 11}, "1,200": {1200, 1200}, "twenty-three": {23, 23}, "veintitrés": {23, 23},
		"ciento veinte": {120, 120}, "dos mil": {2000, 2000}, "una docena": {12, 12}, "two dozen": {24, 24},
		"dozens": {12, 12}, "once": {11, 11}, "a few": {3, 3},
	}
	for in, want := range tests {
		n, used := readNumber(tokenize(in), 0)
		if used == 0 || n.lo != want[0] || n.hi != want[1] {
			t.Errorf("readNumber(%q) = %d–%d (%d words), want %d–%d", in, n.lo, n.hi, used, want[0], want[1])
		}
	}
}

func TestJSONLBadLines(t *testing.T) {
	x := mustExtractor(t)
	in := "not json\n{\"id\": 7}\n{\"id\":\"ok\",\"text\":\"Gunmen killed 3 people in Culiacán, Sinaloa.\",\"published\":\"yesterday\"}\n" +
		"{\"id\":\"ok2\",\"text\":\"" + strings.Repeat("palabra ", 200000) + "\"}\n"
	var out bytes.Buffer
	lines, failed, err := x.ExtractJSONL(context.Background(), strings.NewReader(in), &out)
	if err != nil || lines != 4 || failed != 3 {
		t.Fatalf("lines %d failed %d err %v", lines, failed, err)
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	for i, want := range []string{`"error": "line 1: invalid JSON`, `no \"text\" field`, `\"published\" \"yesterday\"`, `"id":"ok2"`} {
		if !strings.Contains(strings.ReplaceAll(got[i], `":"`, `": "`), strings.ReplaceAll(want, `\"`, `\"`)) &&
			!strings.Contains(got[i], strings.Trim(want, `"`)) {
			t.Errorf("line %d = %.120s, want it to contain %s", i+1, got[i], want)
		}
	}
}
