package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalClusterGold is a tiny gold file written for this test: two reports
// of one strike in Culiacán, one in Spanish, and a shooting in Celaya on
// the same day that must stay apart.
const evalClusterGold = `// two events, three reports
{"id":"a1","incident":"A","lang":"en","published":"2025-11-04","source":"wire","text":"A drone strike killed four people in Culiacán, Sinaloa, on Monday, officials said."}
{"id":"a2","incident":"A","lang":"es","published":"2025-11-04","source":"local","text":"Un ataque con dron dejó cuatro muertos el lunes en Culiacán, Sinaloa, informaron autoridades."}

{"id":"b1","incident":"B","lang":"en","published":"2025-11-04","source":"wire","text":"Gunmen killed two people at a bar in Celaya, Guanajuato, on Monday, prosecutors said."}
`

func writeGold(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestEvalCluster runs eval-cluster on its own small gold file through the
// real extractor and store and checks both output forms.
func TestEvalCluster(t *testing.T) {
	path := writeGold(t, evalClusterGold)
	out, _, err := runCmd(t, context.Background(), "", "eval-cluster", "--gold", path, "--json")
	if err != nil {
		t.Fatalf("eval-cluster --json: %v\n%s", err, out)
	}
	var s struct {
		Items        int     `json:"items"`
		GoldClusters int     `json:"gold_clusters"`
		PredClusters int     `json:"pred_clusters"`
		PairP        float64 `json:"pair_precision"`
		PairR        float64 `json:"pair_recall"`
		BCubedF1     float64 `json:"bcubed_f1"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("eval-cluster --json printed %q: %v", out, err)
	}
	if s.Items != 3 || s.GoldClusters != 2 {
		t.Errorf("counted %d items in %d gold events, want 3 in 2:\n%s", s.Items, s.GoldClusters, out)
	}
	// The strike and the shooting are in different states and must stay
	// apart; the English and Spanish reports of the strike agree on day,
	// place, type and toll and must be joined.
	if s.PairP != 1 || s.PairR != 1 || s.PredClusters != 2 || s.BCubedF1 != 1 {
		t.Errorf("got %d incidents, pairwise P %v R %v, B-cubed F1 %v; want 2 incidents and 1 everywhere:\n%s",
			s.PredClusters, s.PairP, s.PairR, s.BCubedF1, out)
	}

	out, _, err = runCmd(t, context.Background(), "", "eval-cluster", "--gold", path)
	if err != nil {
		t.Fatalf("eval-cluster: %v\n%s", err, out)
	}
	for _, want := range []string{"3 reports, 2 gold events", "2 predicted incidents", "pairwise  P 1.000  R 1.000  F1 1.000", "B-cubed   P 1.000  R 1.000  F1 1.000"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval-cluster output lacks %q:\n%s", want, out)
		}
	}
}

// TestEvalClusterErrors checks that bad input gives one clear line naming
// what is wrong, and bad usage exits 2.
func TestEvalClusterErrors(t *testing.T) {
	for _, tc := range []struct {
		name, gold, want string
	}{
		{"not json", "{\"id\":\"a\",\"text\":\"x\",\"incident\":\"A\"}\n{oops\n", "gold line 2"},
		{"no incident", `{"id":"a","text":"x"}`, "gold line 1 (a): no incident"},
		{"bad date", `{"id":"a","text":"x","incident":"A","published":"4 Nov 2025"}`, `published "4 Nov 2025" is not YYYY-MM-DD`},
		{"bad lang", `{"id":"a","text":"x","incident":"A","lang":"fr"}`, `lang "fr" is not en or es`},
		{"duplicate id", "{\"id\":\"a\",\"text\":\"x\",\"incident\":\"A\"}\n{\"id\":\"a\",\"text\":\"y\",\"incident\":\"A\"}", `id "a" already used on line 1`},
		{"empty", "\n// only a comment\n", "no items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeGold(t, tc.gold)
			_, _, err := runCmd(t, context.Background(), "", "eval-cluster", "--gold", path)
			if err == nil {
				t.Fatalf("eval-cluster accepted %q", tc.gold)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line containing %q", msg, tc.want)
			}
		})
	}
	if _, _, err := runCmd(t, context.Background(), "", "eval-cluster"); err == nil || exitCode(err) != 2 {
		t.Errorf("eval-cluster without --gold: %v, want exit code 2", err)
	}
	if _, _, err := runCmd(t, context.Background(), "", "eval-cluster", "--gold", filepath.Join(t.TempDir(), "missing.jsonl")); err == nil ||
		!strings.Contains(err.Error(), "missing.jsonl") {
		t.Errorf("eval-cluster on a missing file: %v, want an error naming it", err)
	}
}
