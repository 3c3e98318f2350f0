package score

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNameKey(t *testing.T) {
	same := []struct{ a, b string }{
		{"Nuevo León state", "nuevo leon"},
		{"MICHOACÁN", "michoacan"},
		{"Juan C. Bonilla", "Juan C Bonilla"},
		{"Kurram Agency", "Kurram"},
		{"Al Bayda Province", "Bayda"},
		{"Municipio de Juárez", "Juarez"},
		{"Datta Khel", "Dattakhel"},
		{"Sa'dah Governorate", "Saada"},
		{"Sa’dah", "Sadah"},
		{"San Andrés de Tuxtla", "San Andres Tuxtla"},
		{"Cd. Juárez", "Juárez"},
		{"Distrito Federal", "CDMX"},
		{"Mexico City", "Ciudad de México"},
		{"Estado de México", "Mexico"},
		{"State of Mexico", "México"},
		{"NWFP", "Khyber-Pakhtunkhwa"},
		{"KP", "Khyber Pakhtunkhwa Province"},
		{"FATA", "Federally Administered Tribal Areas"},
		{"North Waziristan Agency", "n waziristan"},
		{"Hadramawt", "Hadhramaut Province"},
		{"Acapulco de Juárez", "acapulco"},
		{"Azad Jammu & Kashmir", "Azad Jammu and Kashmir"},
		{"ＣＤＭＸ", "cdmx"}, // compatibility forms fold
		{"The Valley of Swat", "Swat District"},
		{"de", "De"}, // only "de": kept rather than emptied
	}
	for _, c := range same {
		if ka, kb := NameKey(c.a), NameKey(c.b); ka != kb || ka == "" {
			t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q, want equal and non-empty", c.a, ka, c.b, kb)
		}
	}
	differ := []struct{ a, b string }{
		{"Mexico City", "Mexico"},
		{"Khyber Pakhtunkhwa", "Khyber Agency"},
		{"North Waziristan", "South Waziristan"},
		{"Baja California", "Baja California Sur"},
		{"Jalisco", "Sinaloa"},
	}
	for _, c := range differ {
		if NameKey(c.a) == NameKey(c.b) {
			t.Errorf("NameKey(%q) = NameKey(%q) = %q, want different", c.a, c.b, NameKey(c.a))
		}
	}
	for _, s := range []string{"", "  ", "'.", "-/-"} {
		if k := NameKey(s); k != "" {
			t.Errorf("NameKey(%q) = %q, want empty", s, k)
		}
	}
	if got, want := NameKey("Municipio de Culiacán Rosales"), "@culiacan"; got != want {
		t.Errorf("alias key = %q, want %q", got, want)
	}
}

func TestAliasGroupsDisjoint(t *testing.T) {
	if _, err := buildAliases(aliasGroups); err != nil {
		t.Fatal(err)
	}
	if _, err := buildAliases([][]string{{"Sana'a", "Sanaa"}, {"Sana", "SANAA"}}); err == nil {
		t.Error("a spelling in two groups was accepted")
	}
}

func TestGoldNameKeys(t *testing.T) {
	tests := []struct {
		gold string
		want []string
	}{
		{"Bogota-Usaquen", []string{"Bogota-Usaquen", "Bogotá", "Usaquén"}},
		{"Hassokhel, near Mir Ali", []string{"Hassokhel, near Mir Ali", "Hassokhel", "Mirali"}},
		{"Jaar and Zinjibar", []string{"Jaar and Zinjibar", "Ja'ar", "Zingibar"}},
		{"Mafraq al-Saeed", []string{"Mafraq al Saeed"}},
		{"Area of Mir Ali", []string{"Area of Mir Ali", "Mir Ali"}},
		{"X/Datta Khel", []string{"X/Datta Khel", "Dattakhel"}}, // "x" is too short to count
		{"Nearby", []string{"Nearby"}},                          // "near" only as a word
	}
	for _, tt := range tests {
		want := map[string]bool{}
		for _, n := range tt.want {
			want[NameKey(n)] = true
		}
		if diff := cmp.Diff(want, goldNameKeys(tt.gold)); diff != "" {
			t.Errorf("goldNameKeys(%q) (-want +got):\n%s", tt.gold, diff)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in string
		ok bool
		d  string // the date it reads, when ok
	}{
		{"2020-05-09", true, "2020-05-09"},
		{" 2020-5-9 and more", true, "2020-05-09"},
		{"2020-05-09T10:00:00Z", true, "2020-05-09"},
		{"2020-05-091", false, ""},
		{"2020-123-01", false, ""},
		{"20200-05-09", false, ""},
		{"2020-02-30", false, ""},
		{"0000-01-01", false, ""},
		{"9 May 2020", false, ""},
		{"٢٠٢٠-٠٥-٠٩", true, "2020-05-09"}, // any script's digits, as Python's \d
	}
	for _, tt := range tests {
		d, ok := parseDate(tt.in)
		if ok != tt.ok {
			t.Errorf("parseDate(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if ok {
			if want, _ := parseDate(tt.d); d != want {
				t.Errorf("parseDate(%q) = %d, want %d", tt.in, d, want)
			}
		}
	}
	if _, ok := parseDate(json.Number("20200509")); ok {
		t.Error("a number was read as a date")
	}
}

// scoreOne scores a single gold row against a single prediction line.
func scoreOne(t *testing.T, dataset string, gold map[string]any, events any) Result {
	t.Helper()
	g := Gold{ID: "x:1", Dataset: dataset, Labels: decode(t, gold).(map[string]any)}
	p := Preds{Lines: []PredLine{{Line: 1, ID: "x:1", Events: decode(t, events)}}}
	return Score([]Gold{g}, p)
}

// decode round-trips v through JSON as the readers decode it.
func decode(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	d, err := decodeJSON(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// verdict is "-" for not predicted, "ok" for correct, "x" for wrong, "" for not counted.
func verdict(r Result, ds, field string) string {
	f, ok := r.ByDataset[ds][field]
	switch {
	case !ok:
		return ""
	case f.Correct == 1:
		return "ok"
	case f.Predicted == 1:
		return "x"
	}
	return "-"
}

func TestDateWindows(t *testing.T) {
	ucdp := map[string]any{"date_range": []string{"2021-07-03", "2021-07-04"}}
	acled := map[string]any{"date": "2020-05-09"}
	tests := []struct {
		name  string
		ds    string
		gold  map[string]any
		event map[string]any
		want  string
	}{
		{"exact day", "acled", acled, map[string]any{"date": "2020-05-09"}, "ok"},
		{"timestamp", "acled", acled, map[string]any{"date": "2020-05-09T23:00:00Z"}, "ok"},
		{"day before", "acled", acled, map[string]any{"date": "2020-05-08"}, "x"},
		{"unreadable", "acled", acled, map[string]any{"date": "9 May 2020"}, "x"},
		{"none", "acled", acled, map[string]any{"date": " "}, "-"},
		{"range start-1", "ucdp_mx", ucdp, map[string]any{"date": "2021-07-02"}, "ok"},
		{"range end+1", "ucdp_mx", ucdp, map[string]any{"date": "2021-07-05"}, "ok"},
		{"range start-2", "ucdp_mx", ucdp, map[string]any{"date": "2021-07-01"}, "x"},
		{"range end+2", "ucdp_mx", ucdp, map[string]any{"date": "2021-07-06"}, "x"},
		{"pred range inside", "ucdp_mx", ucdp, map[string]any{"date_range": []string{"2021-07-02", "2021-07-05"}}, "ok"},
		{"pred range too wide", "ucdp_mx", ucdp, map[string]any{"date_range": []string{"2021-07-01", "2021-07-04"}}, "x"},
		{"pred range of nulls", "ucdp_mx", ucdp, map[string]any{"date_range": []any{nil, ""}}, "-"},
		{"pred range half", "ucdp_mx", ucdp, map[string]any{"date_range": []any{"2021-07-03", "soon"}}, "x"},
		{"gold range reversed", "ucdp_mx", map[string]any{"date_range": []string{"2021-07-04", "2021-07-03"}}, map[string]any{"date": "2021-07-02"}, "ok"},
		{"gold range half", "ucdp_mx", map[string]any{"date_range": []any{nil, "2021-07-04"}}, map[string]any{"date": "2021-07-05"}, "ok"},
		{"no gold date", "case2021", map[string]any{"type": "attack"}, map[string]any{"date": "2021-07-05"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(scoreOne(t, tt.ds, tt.gold, []any{tt.event}), tt.ds, "date"); got != tt.want {
				t.Errorf("date verdict = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestKilledRules(t *testing.T) {
	range68 := map[string]any{"killed": map[string]any{"min": 6, "max": 8, "best": nil}}
	three := map[string]any{"killed": map[string]any{"min": 3, "max": 3, "best": 3}}
	zero := map[string]any{"killed": map[string]any{"min": 0, "max": 0, "best": 0}}
	ucdp := map[string]any{"killed": map[string]any{"min": 4, "max": 5, "best": 7}}
	tests := []struct {
		name   string
		gold   map[string]any
		events any
		want   string
		zero   int
	}{
		{"point inside", range68, []any{map[string]any{"killed": map[string]any{"min": 7, "max": 7}}}, "ok", 0},
		{"point at edge", range68, []any{map[string]any{"killed": map[string]any{"min": 6, "max": 6}}}, "ok", 0},
		{"point outside", range68, []any{map[string]any{"killed": map[string]any{"min": 9, "max": 9}}}, "x", 0},
		{"bare number", range68, []any{map[string]any{"killed": 7}}, "ok", 0},
		{"numeric string", range68, []any{map[string]any{"killed": "7"}}, "ok", 0},
		{"list", range68, []any{map[string]any{"killed": []int{5, 9}}}, "ok", 0},
		{"interval width 4", range68, []any{map[string]any{"killed": map[string]any{"min": 8, "max": 12}}}, "ok", 0},
		{"interval width 5", range68, []any{map[string]any{"killed": map[string]any{"min": 4, "max": 9}}}, "x", 0},
		{"interval apart", range68, []any{map[string]any{"killed": map[string]any{"min": 9, "max": 10}}}, "x", 0},
		{"reversed interval", range68, []any{map[string]any{"killed": map[string]any{"min": 9, "max": 5}}}, "ok", 0},
		{"only max", range68, []any{map[string]any{"killed": map[string]any{"max": 7}}}, "ok", 0},
		{"low high", range68, []any{map[string]any{"killed": map[string]any{"low": 6, "high": 9}}}, "ok", 0},
		{"best only", range68, []any{map[string]any{"killed": map[string]any{"best": 8}}}, "ok", 0},
		{"narrow gold allows width 4", three, []any{map[string]any{"killed": map[string]any{"min": 1, "max": 5}}}, "ok", 0},
		{"narrow gold refuses width 5", three, []any{map[string]any{"killed": map[string]any{"min": 1, "max": 6}}}, "x", 0},
		{"gold best widens range", ucdp, []any{map[string]any{"killed": 7}}, "ok", 0},
		{"not a count", three, []any{map[string]any{"killed": "many"}}, "x", 0},
		{"negative", three, []any{map[string]any{"killed": -3}}, "x", 0},
		{"fraction", three, []any{map[string]any{"killed": 2.5}}, "x", 0},
		{"bool", three, []any{map[string]any{"killed": true}}, "x", 0},
		{"no count", three, []any{map[string]any{"killed": nil}}, "-", 0},
		{"zero as null", zero, []any{map[string]any{"type": "arrest", "killed": nil}}, "ok", 1},
		{"zero as absent key", zero, []any{map[string]any{"type": "arrest"}}, "ok", 1},
		{"zero as empty object", zero, []any{map[string]any{"killed": map[string]any{"min": nil}}}, "ok", 1},
		{"zero given", zero, []any{map[string]any{"killed": map[string]any{"min": 0, "max": 0}}}, "ok", 0},
		{"zero but no event", zero, []any{}, "-", 0},
		{"zero but first event not an object", zero, []any{"x"}, "-", 0},
		{"zero with two", zero, []any{map[string]any{"killed": 2}}, "x", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scoreOne(t, "acled", tt.gold, tt.events)
			if got := verdict(r, "acled", "killed"); got != tt.want {
				t.Errorf("killed verdict = %q, want %q", got, tt.want)
			}
			if z := r.ByDataset["acled"]["killed"].ZeroAsNull; z == nil || *z != tt.zero {
				t.Errorf("zero_as_null = %v, want %d", z, tt.zero)
			}
		})
	}
}

func TestLocationRule(t *testing.T) {
	celaya := map[string]any{"location": "Celaya", "lat": 20.5222, "lon": -100.8122}
	madid := map[string]any{"location": "Al Madid", "admin2": "Nihm", "lat": 15.6, "lon": 44.5}
	tests := []struct {
		name  string
		gold  map[string]any
		event map[string]any
		want  string
	}{
		{"11 km away", celaya, map[string]any{"location": "Somewhere", "lat": 20.62, "lon": -100.8122}, "ok"},
		{"33 km away", celaya, map[string]any{"location": "Somewhere", "lat": 20.82, "lon": -100.8122}, "x"},
		{"coordinates only", celaya, map[string]any{"lat": 20.53, "lon": -100.80}, "ok"},
		{"coordinates as strings", celaya, map[string]any{"lat": "20.53", "lon": " -100.80 "}, "ok"},
		{"latitude out of range", celaya, map[string]any{"lat": 91, "lon": -100.80}, "-"},
		{"name", celaya, map[string]any{"location": "CELAYA"}, "ok"},
		{"gold admin2", madid, map[string]any{"location": "Nihm district"}, "ok"},
		{"wrong name", madid, map[string]any{"location": "Sirwah"}, "x"},
		{"right name far away", madid, map[string]any{"location": "Al-Madid", "lat": 0, "lon": 0}, "ok"},
		{"nothing", madid, map[string]any{"type": "attack"}, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(scoreOne(t, "acled", tt.gold, []any{tt.event}), "acled", "location"); got != tt.want {
				t.Errorf("location verdict = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestReadAndCount(t *testing.T) {
	gold := strings.Join([]string{
		"\ufeff" + `{"id": "a:1", "dataset": "acled", "gold": {"country": "MX", "type": "attack"}}`,
		`{"id": "a:2", "gold": {"country": "MX", "type": "attack"}}`,
		`{"id": "a:3", "dataset": "acled", "gold": {"country": "MX", "type": "armed_clash"}}`,
		`{"id": "a:4", "dataset": "acled", "gold": {"country": "MX", "type": "armed_clash"}}`,
		`{"id": "a:4", "dataset": "acled", "gold": {"country": "PK"}}`,
		`{"dataset": "acled", "gold": {}}`,
		`not json`,
		``,
		`{"id": 5, "dataset": "other"}`,
	}, "\n")
	pred := strings.Join([]string{
		`{"id": "a:1", "events": [{"type": "attack", "country": "mx"}, {"type": "arrest"}]}`,
		`{"id": "2", "events": {"type": "Armed-Clash", "country": "MX"}}`,
		`{"id": "a:3", "events": "oops"}`,
		`{"id": "zz:9", "events": [{"country": "MX"}]}`,
		`{"id": "a:1", "events": [{"country": "PK"}]}`,
		`{"id": "a:4", "events": [`,
		`{"events": []}`,
		"{\"id\": \"5\", \"note\": \"x\u2028y\", \"events\": [\"x\"]}",
	}, "\r\n")
	rows, gerrs := ReadGold(strings.NewReader(gold))
	preds, perrs := ReadPred(strings.NewReader(pred))
	r := Score(rows, preds, append(gerrs, perrs...)...)

	var le *LineError
	if !errors.As(gerrs[0], &le) || le.Line != 7 || !le.Malformed {
		t.Errorf("first gold error = %v, want line 7 not JSON", gerrs[0])
	}
	wantInput := map[string]int{"gold_malformed_lines": 1, "pred_malformed_lines": 1, "pred_lines": 7,
		"pred_no_id": 1, "pred_unknown_id": 1, "pred_duplicate_id": 1, "pred_bad_events": 1,
		"pred_matched_without_prefix": 1}
	if diff := cmp.Diff(wantInput, r.Input); diff != "" {
		t.Errorf("input counts (-want +got):\n%s", diff)
	}
	if len(r.Problems) != 8 {
		t.Errorf("problems = %q, want 8", r.Problems)
	}
	wantRows := map[string]Rows{
		"a":     {Gold: 1, WithEvent: 1},
		"acled": {Gold: 3, WithEvent: 1, MissingPred: 1},
		"other": {Gold: 1, BadFirstEvent: 1},
	}
	if diff := cmp.Diff(wantRows, r.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	one, half := 1.0, 0.5
	if diff := cmp.Diff(Field{P: one, R: half, F1: 0.6667, N: 4, Predicted: 2, Correct: 2}, r.Overall["country"]); diff != "" {
		t.Errorf("country (-want +got):\n%s", diff)
	}
	// attack: tp 1, fn 1, fp 0 → 2/3; armed_clash: tp 0, fn 2, fp 1 → 0.
	if r.TypeMacroF1 == nil || *r.TypeMacroF1 != 0.3333 {
		t.Errorf("type macro-F1 = %v, want 0.3333", r.TypeMacroF1)
	}
	clash := "armed_clash"
	if diff := cmp.Diff([]Confusion{{Gold: "armed_clash", Count: 2}, {Gold: "attack", Pred: &clash, Count: 1}}, r.Confusion); diff != "" {
		t.Errorf("confusion (-want +got):\n%s", diff)
	}
	var table strings.Builder
	if err := r.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"== acled  (3 gold rows, 1 with an event, 1 without a pred line)  type macro-F1 0.500",
		"  country        4      2      2  1.000  0.500  0.667",
		"type macro-F1 (all rows): 0.333",
		"      2  armed_clash -> (none)",
		"pred lines read: 7; gold_malformed_lines=1, pred_bad_events=1,",
		"8 input problem(s), first ones:",
		"  gold line 7: not JSON (",
	} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if got := m["input"].(map[string]any)["problems"]; got != 8.0 {
		t.Errorf("JSON input.problems = %v, want 8", got)
	}
}

func TestPyFloat(t *testing.T) {
	for f, want := range map[float64]string{1: "1.0", 0.1: "0.1", 1e16: "1e+16", 1.5e-5: "1.5e-05", 123456.5: "123456.5", -2: "-2.0"} {
		if got := pyFloat(f); got != want {
			t.Errorf("pyFloat(%v) = %q, want %q", f, got, want)
		}
	}
}
