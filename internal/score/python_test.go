package score

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/testigo-project/testigo/internal/evaldata"
)

// evalDir returns the shared evaluation folder (../shared/eval relative to
// the repository root) or skips the test when it is absent.
func evalDir(t *testing.T) string {
	t.Helper()
	ev, err := evaldata.Dir()
	if err != nil {
		t.Skip(err)
	}
	if _, err := os.Stat(filepath.Join(ev, "score.py")); err != nil {
		t.Skipf("evaluation scorer not found at %s: %v", ev, err)
	}
	return ev
}

var datasets = []string{"acled", "dronestream", "ucdp_mx", "case2021"}

// goldFiles returns the dev gold files plus their concatenation written in
// a temporary directory.
func goldFiles(t *testing.T, ev string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	var all bytes.Buffer
	for _, ds := range datasets {
		p := filepath.Join(ev, "dev", ds+".jsonl")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[ds] = p
		all.Write(data)
		if !bytes.HasSuffix(data, []byte("\n")) {
			all.WriteByte('\n')
		}
	}
	p := filepath.Join(t.TempDir(), "all.jsonl")
	if err := os.WriteFile(p, all.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	files["all"] = p
	return files
}

// rawGold reads gold rows as plain JSON objects, for building predictions.
func rawGold(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, m)
	}
	return rows
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// copiedPred is the gold copied as prediction.
func copiedPred(t *testing.T, rows []map[string]any) []string {
	var lines []string
	for _, r := range rows {
		lines = append(lines, mustJSON(t, map[string]any{"id": r["id"], "events": []any{r["gold"]}}))
	}
	return lines
}

// predFormat is the gold in the PRED format of testigo extract.
func predFormat(t *testing.T, rows []map[string]any) []string {
	var lines []string
	for _, r := range rows {
		g := r["gold"].(map[string]any)
		date := g["date"]
		if dr, ok := g["date_range"].([]any); ok && date == nil && len(dr) > 0 {
			date = dr[0]
		}
		var killed any
		if k, ok := g["killed"].(map[string]any); ok {
			killed = map[string]any{"min": k["min"], "max": k["max"]}
		}
		ev := map[string]any{"type": g["type"], "date": date, "country": g["country"],
			"admin1": g["admin1"], "admin2": g["admin2"], "location": g["location"],
			"lat": g["lat"], "lon": g["lon"], "killed": killed}
		lines = append(lines, mustJSON(t, map[string]any{"id": r["id"], "events": []any{ev}}))
	}
	return lines
}

var typeCodes = []string{"air_drone_strike", "armed_clash", "attack", "abduction", "remote_explosive",
	"peaceful_protest", "arrest", "shelling_artillery_missile", "mob_violence", "other"}

// perturbedPred changes fields of a copy of the gold in many ways the rules
// treat differently, and spoils some lines.
func perturbedPred(t *testing.T, rows []map[string]any, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 7))
	pick := func(vs ...any) any { return vs[rng.IntN(len(vs))] }
	var lines []string
	for i, r := range rows {
		id := r["id"]
		switch rng.IntN(40) {
		case 0:
			continue // missing line
		case 1:
			lines = append(lines, `{"id": "`+fmt.Sprint(id)+`", "events": [`) // not JSON
			continue
		case 2:
			lines = append(lines, mustJSON(t, map[string]any{"id": id, "events": "oops"}))
			continue
		case 3:
			lines = append(lines, `["not", "an", "object"]`)
			continue
		case 4:
			lines = append(lines, mustJSON(t, map[string]any{"id": id, "events": []any{"x", map[string]any{"type": "attack"}}}))
			continue
		case 5:
			lines = append(lines, mustJSON(t, map[string]any{"events": []any{}}))
			continue
		case 6:
			lines = append(lines, mustJSON(t, map[string]any{"id": "nosuch:" + fmt.Sprint(i), "events": []any{}}))
		case 7: // Python's json module reads these non-standard numbers
			lines = append(lines, `{"id": `+mustJSON(t, id)+`, "events": [{"type": NaN, "date": Infinity, "country": NaN, `+
				`"admin1": -Infinity, "location": "NaN", "lat": NaN, "lon": 1, "killed": `+
				pick("NaN", "[NaN, 3]", `{"min": Infinity}`, "-Infinity").(string)+`}]}`)
			continue
		}
		g := r["gold"].(map[string]any)
		ev := make(map[string]any, len(g))
		for k, v := range g {
			ev[k] = v
		}
		// type
		switch rng.IntN(6) {
		case 0:
			ev["type"] = typeCodes[rng.IntN(len(typeCodes))]
		case 1:
			if s, ok := ev["type"].(string); ok {
				ev["type"] = strings.ToUpper(strings.ReplaceAll(s, "_", pick("-", " ", "/", " - ").(string)))
			}
		case 2:
			ev["type"] = pick(nil, "", 3, []any{"attack"})
		}
		// dates
		shift := func(s string, days int) string {
			var y, m, d int
			if _, err := fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d); err != nil {
				return s
			}
			return fmt.Sprintf("%04d-%02d-%02d", y, m, d+days) // may be invalid: that is a case too
		}
		if s, ok := ev["date"].(string); ok {
			switch rng.IntN(6) {
			case 0:
				ev["date"] = shift(s, rng.IntN(5)-2)
			case 1:
				ev["date"] = s + "T10:00:00Z"
			case 2:
				ev["date"] = pick("9 May 2020", "", nil, 20200509, "2020-5-9", "2020-05-091")
			case 3:
				ev["date"] = nil
				ev["date_range"] = []any{shift(s, -1), s}
			}
		}
		if dr, ok := ev["date_range"].([]any); ok && len(dr) == 2 && g["date_range"] != nil {
			s, _ := dr[0].(string)
			switch rng.IntN(6) {
			case 0:
				ev["date"] = shift(s, rng.IntN(7)-3)
			case 1:
				ev["date"] = nil
				ev["date_range"] = []any{shift(s, -rng.IntN(3)), shift(s, rng.IntN(3))}
			case 2:
				ev["date"] = nil
				ev["date_range"] = pick([]any{}, []any{nil, ""}, []any{s}, "2020-01-01")
			case 3:
				ev["date"] = s
			}
		}
		// country
		switch rng.IntN(6) {
		case 0:
			ev["country"] = pick("XX", "MEX", "pk", " ye ", "", nil)
		case 1:
			if s, ok := ev["country"].(string); ok {
				ev["country"] = strings.ToLower(s)
			}
		}
		// admin names
		for _, lvl := range []string{"admin1", "admin2"} {
			s, ok := ev[lvl].(string)
			if !ok {
				continue
			}
			switch rng.IntN(8) {
			case 0:
				ev[lvl] = s + pick(" State", " municipality", " Governorate", " Agency", " district").(string)
			case 1:
				ev[lvl] = strings.ToUpper(s)
			case 2:
				ev[lvl] = pick("Mexico City", "CDMX", "Estado de México", "KPK", "FATA", "Hadhramaut",
					"Sa'dah", "N. Waziristan", "Acapulco", "Ciudad Juárez", "Bogota", "Sinaloa", "", 5)
			case 3:
				ev[lvl] = "Al " + strings.ReplaceAll(s, " ", "-")
			}
		}
		// location
		switch rng.IntN(7) {
		case 0:
			if lat, ok := ev["lat"].(float64); ok {
				ev["lat"] = lat + pick(0.05, 0.2, 0.3, 1.0, -0.22).(float64)
				ev["location"] = "Somewhere"
			}
		case 1:
			ev["lat"], ev["lon"] = nil, nil
			if s, ok := ev["location"].(string); ok {
				ev["location"] = pick(strings.ToLower(s), s+" village", "x", g["admin2"], strings.Split(s, ",")[0])
			}
		case 2:
			ev["location"] = nil
			ev["lat"], ev["lon"] = pick("12.5", 91.0, nil), 44.0
		case 3:
			ev["location"], ev["lat"], ev["lon"] = nil, nil, nil
		}
		// killed
		if k, ok := g["killed"].(map[string]any); ok {
			lo, _ := k["min"].(float64)
			hi, _ := k["max"].(float64)
			switch rng.IntN(9) {
			case 0:
				ev["killed"] = map[string]any{"min": lo - float64(rng.IntN(3)), "max": hi + float64(rng.IntN(6))}
			case 1:
				ev["killed"] = hi + float64(rng.IntN(3)-1)
			case 2:
				ev["killed"] = []any{lo, hi + 2}
			case 3:
				ev["killed"] = pick(nil, "many", -1, map[string]any{}, map[string]any{"min": nil}, []any{}, "3", 2.5, true)
			case 4:
				ev["killed"] = map[string]any{"low": lo, "high": hi + 1}
			case 5:
				ev["killed"] = map[string]any{"best": hi}
			case 6:
				delete(ev, "killed")
			}
		}
		var events any = []any{ev}
		switch rng.IntN(20) {
		case 0:
			events = ev // a single object
		case 1:
			events = []any{}
		case 2:
			events = nil
		case 3:
			events = []any{ev, map[string]any{"type": "attack"}}
		}
		var pid any = id
		switch rng.IntN(30) {
		case 0:
			if s, ok := id.(string); ok {
				_, suf, _ := strings.Cut(s, ":")
				pid = suf // matched without the dataset prefix
			}
		case 1:
			pid = " " + fmt.Sprint(id) + " "
		}
		lines = append(lines, mustJSON(t, map[string]any{"id": pid, "events": events}))
		if rng.IntN(50) == 0 { // a duplicate line
			lines = append(lines, mustJSON(t, map[string]any{"id": id, "events": []any{}}))
		}
	}
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	return lines
}

// pythonDriver runs score.main once per (gold, pred) pair in one Python
// process, with and without --json, and prints the outputs as one JSON list.
const pythonDriver = `
import contextlib, io, json, sys
sys.path.insert(0, sys.argv[1])
import score
out = []
for gold, pred in zip(sys.argv[2::2], sys.argv[3::2]):
    pair = []
    for extra in (["--json"], []):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
            rc = score.main([gold, pred] + extra)
        if rc != 0:
            sys.exit("score.py %s %s: exit %d" % (gold, pred, rc))
        pair.append(buf.getvalue())
    out.append(pair)
json.dump(out, sys.stdout)
`

// runPython runs score.py's main on each pair of files and returns its
// JSON output and its table per pair.
func runPython(t *testing.T, ev string, pairs [][2]string) (jsons []map[string]any, tables []string) {
	t.Helper()
	args := []string{"-c", pythonDriver, ev}
	for _, p := range pairs {
		args = append(args, p[0], p[1])
	}
	cmd := exec.Command("python3", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("score.py: %v\n%s", err, stderr.String())
	}
	var res [][2]string
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("score.py driver output: %v", err)
	}
	for _, r := range res {
		var m map[string]any
		if err := json.Unmarshal([]byte(r[0]), &m); err != nil {
			t.Fatalf("score.py --json output: %v", err)
		}
		jsons = append(jsons, m)
		tables = append(tables, r[1])
	}
	return jsons, tables
}

// runGo scores with this package and returns the JSON form and the table.
func runGo(t *testing.T, gold, pred string) (map[string]any, string) {
	t.Helper()
	gf, err := os.Open(gold)
	if err != nil {
		t.Fatal(err)
	}
	defer gf.Close()
	pf, err := os.Open(pred)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	rows, gerrs := ReadGold(gf)
	preds, perrs := ReadPred(pf)
	res := Score(rows, preds, append(gerrs, perrs...)...)
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := res.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	return m, table.String()
}

// notJSON hides the parser's message, which differs between Python and Go.
func notJSON(table string) string {
	lines := strings.Split(table, "\n")
	for i, l := range lines {
		if j := strings.Index(l, ": not JSON ("); j >= 0 {
			lines[i] = l[:j] + ": not JSON (…)"
		}
	}
	return strings.Join(lines, "\n")
}

// TestAgreesWithScorePy scores the dev files with score.py and with this
// package, for predictions of several kinds, and wants the same JSON
// (scores to 0.001, counts exactly) and the same table.
func TestAgreesWithScorePy(t *testing.T) {
	ev := evalDir(t)
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not found: cannot run the reference scorer")
	}
	golds := goldFiles(t, ev)
	dir := t.TempDir()
	var names [][2]string // gold name, pred kind
	var pairs [][2]string // gold file, pred file
	for _, name := range append(datasets, "all") {
		rows := rawGold(t, golds[name])
		preds := []struct {
			kind  string
			lines []string
		}{
			{"copied", copiedPred(t, rows)},
			{"pred_format", predFormat(t, rows)},
			{"empty", nil},
			{"perturbed1", perturbedPred(t, rows, 1)},
			{"perturbed2", perturbedPred(t, rows, 2)},
		}
		for _, p := range preds {
			pred := filepath.Join(dir, name+"-"+p.kind+".jsonl")
			writeLines(t, pred, p.lines)
			names = append(names, [2]string{name, p.kind})
			pairs = append(pairs, [2]string{golds[name], pred})
		}
	}
	wants, wantTables := runPython(t, ev, pairs)
	if len(wants) != len(pairs) {
		t.Fatalf("score.py gave %d results for %d pairs", len(wants), len(pairs))
	}
	for i, p := range pairs {
		name, kind := names[i][0], names[i][1]
		t.Run(name+"/"+kind, func(t *testing.T) {
			got, gotTable := runGo(t, p[0], p[1])
			if diff := cmp.Diff(wants[i], got, cmpopts.EquateApprox(0, 0.001)); diff != "" {
				t.Errorf("JSON differs from score.py (-python +go):\n%s", diff)
			}
			if diff := cmp.Diff(notJSON(wantTables[i]), notJSON(gotTable)); diff != "" {
				t.Errorf("table differs from score.py (-python +go):\n%s", diff)
			}
			if kind == "copied" || kind == "pred_format" {
				for f, v := range got["overall"].(map[string]any) {
					if f1 := v.(map[string]any)["f1"]; f1 != 1.0 {
						t.Errorf("%s f1 = %v, want 1", f, f1)
					}
				}
			}
		})
	}
}
