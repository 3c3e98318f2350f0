package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalOnOwnFixture scores the extractor on a gold file written here (our
// own text, not evaluation data) and checks the table and usage errors.
func TestEvalOnOwnFixture(t *testing.T) {
	gold := `{"id":"t:1","dataset":"t","lang":"en","text":"On 9 May 2020, a drone strike killed four people in Culiacán, Sinaloa.","published":null,"gold":{"type":"air_drone_strike","date":"2020-05-09","date_range":null,"country":"MX","admin1":"Sinaloa","admin2":null,"location":null,"lat":null,"lon":null,"geo_precision":null,"killed":{"min":4,"max":4,"best":4}}}` + "\n"
	path := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(path, []byte(gold), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, context.Background(), "", "eval", "--gold", path)
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, out)
	}
	for _, want := range []string{"type ", "country", "killed"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval table lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "1.000") {
		t.Errorf("a text the extractor reads fully should score 1.000 somewhere:\n%s", out)
	}
	if _, _, err := runCmd(t, context.Background(), "", "eval"); err == nil || exitCode(err) != 2 {
		t.Errorf("eval without --gold: %v", err)
	}
}
