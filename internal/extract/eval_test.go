package extract

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/testigo-project/testigo/internal/score"
)

// devDir returns ../shared/eval/dev relative to the repository root, or ""
// when the evaluation data is absent. The data is never copied into the
// repository (licence); it is read where it lies.
func devDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared", "eval", "dev")
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// TestDevScores extracts every development row, scores the predictions
// with the Go port of score.py and fails when a field falls below the floor
// reached so far, so that a rule change that helps one dataset cannot
// silently cost another. Run with -v to see the table.
func TestDevScores(t *testing.T) {
	dir := devDir(t)
	if dir == "" {
		t.Skip("no evaluation data at ../shared/eval/dev")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no gold files in %s: %v", dir, err)
	}
	x := mustExtractor(t)
	var gold, pred bytes.Buffer
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		gold.Write(b)
		if _, failed, err := x.ExtractJSONL(context.Background(), bytes.NewReader(b), &pred); err != nil || failed > 0 {
			t.Fatalf("%s: %d failed lines, %v", f, failed, err)
		}
	}
	g, gerrs := score.ReadGold(&gold)
	p, perrs := score.ReadPred(&pred)
	res := score.Score(g, p, append(gerrs, perrs...)...)
	var table strings.Builder
	if err := res.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	t.Logf("dev scores:\n%s", table.String())
	floors := map[string]float64{
		"type": 0.82, "date": 0.90, "country": 0.83, "admin1": 0.77, "location": 0.66, "killed": 0.86,
	}
	for field, floor := range floors {
		if got := res.Overall[field].F1; got < floor {
			t.Errorf("overall %s F1 %.3f, below the floor %.2f", field, got, floor)
		}
	}
	if m := res.TypeMacroF1; m == nil || *m < 0.60 {
		t.Errorf("type macro-F1 %v, below the floor 0.60", m)
	}
}
