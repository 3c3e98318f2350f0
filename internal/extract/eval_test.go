package extract

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/testigo-project/testigo/internal/evaldata"
	"github.com/testigo-project/testigo/internal/score"
)

// TestDevScores extracts every development row, scores the predictions
// with the Go port of score.py and fails when a field falls below the floor
// reached so far, so that a rule change that helps one dataset cannot
// silently cost another. Run with -v to see the table.
func TestDevScores(t *testing.T) {
	ev, err := evaldata.Dir()
	if err != nil {
		t.Skip(err)
	}
	dir := filepath.Join(ev, "dev")
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
		"type": 0.86, "date": 0.91, "country": 0.88, "admin1": 0.845, "admin2": 0.70, "location": 0.78, "killed": 0.895,
	}
	for field, floor := range floors {
		if got := res.Overall[field].F1; got < floor {
			t.Errorf("overall %s F1 %.3f, below the floor %.2f", field, got, floor)
		}
	}
	if o := res.KilledNonzero.Overall; o == nil || o.F1 < 0.86 {
		t.Errorf("overall killed>0 F1 %v, below the floor 0.86", o)
	}
	// Country read from actors and institutions must not cost precision.
	if p := res.Overall["country"].P; p < 0.98 {
		t.Errorf("overall country precision %.3f, below the floor 0.98", p)
	}
	if m := res.TypeMacroF1; m == nil || *m < 0.74 {
		t.Errorf("type macro-F1 %v, below the floor 0.74", m)
	}
}
