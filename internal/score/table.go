package score

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// MarshalJSON encodes the result as score.py --json does, with "input"
// holding the input counts and the number of problems.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result // without the method
	input := make(map[string]int, len(r.Input)+1)
	maps.Copy(input, r.Input)
	input["problems"] = len(r.Problems)
	return json.Marshal(struct {
		plain
		Input map[string]int `json:"input"`
	}{plain(r), input})
}

func fmtScore(x *float64) string {
	if x == nil {
		return "    -"
	}
	return fmt.Sprintf("%5.3f", *x)
}

// WriteTable writes the human-readable report of score.py: one table per
// dataset, the overall (micro) table, type macro-F1, the commonest type
// errors and a summary of the input problems.
func (r Result) WriteTable(w io.Writer) error {
	var out []string
	table := func(title string, fields map[string]Field, nonzero *Field) {
		out = append(out, title)
		out = append(out, fmt.Sprintf("  %-9s %6s %6s %6s  %5s  %5s  %5s", "field", "n", "pred", "ok", "P", "R", "F1"))
		row := func(name string, v Field) {
			note := ""
			if v.ZeroAsNull != nil && *v.ZeroAsNull != 0 {
				note = fmt.Sprintf("  (zero_as_null: %d)", *v.ZeroAsNull)
			}
			out = append(out, fmt.Sprintf("  %-9s %6d %6d %6d  %s  %s  %s%s",
				name, v.N, v.Predicted, v.Correct, fmtScore(&v.P), fmtScore(&v.R), fmtScore(&v.F1), note))
		}
		for _, f := range Fields {
			if v, ok := fields[f]; ok {
				row(f, v)
			}
		}
		if nonzero != nil {
			row("killed>0", *nonzero)
		}
		out = append(out, "")
	}
	for _, ds := range slices.Sorted(maps.Keys(r.ByDataset)) {
		rows := r.Rows[ds]
		title := fmt.Sprintf("== %s  (%d gold rows, %d with an event, %d without a pred line)",
			ds, rows.Gold, rows.WithEvent, rows.MissingPred)
		if mf, ok := r.TypeMacroF1ByDataset[ds]; ok {
			title += fmt.Sprintf("  type macro-F1 %.3f", mf)
		}
		var nz *Field
		if v, ok := r.KilledNonzero.ByDataset[ds]; ok {
			nz = &v
		}
		table(title, r.ByDataset[ds], nz)
	}
	table("== overall (micro)", r.Overall, r.KilledNonzero.Overall)
	if r.TypeMacroF1 != nil {
		out = append(out, fmt.Sprintf("type macro-F1 (all rows): %.3f", *r.TypeMacroF1))
	}
	if len(r.Confusion) > 0 {
		out = append(out, "most common type errors (gold -> pred):")
		for _, c := range r.Confusion {
			pred := "(none)"
			if c.Pred != nil && *c.Pred != "" {
				pred = *c.Pred
			}
			out = append(out, fmt.Sprintf("  %5d  %s -> %s", c.Count, c.Gold, pred))
		}
	}
	var extra []string
	for _, k := range slices.Sorted(maps.Keys(r.Input)) {
		if v := r.Input[k]; v != 0 && k != "pred_lines" {
			extra = append(extra, fmt.Sprintf("%s=%d", k, v))
		}
	}
	summary := fmt.Sprintf("pred lines read: %d", r.Input["pred_lines"])
	if len(extra) > 0 {
		summary += "; " + strings.Join(extra, ", ")
	}
	out = append(out, "", summary)
	if len(r.Problems) > 0 {
		out = append(out, fmt.Sprintf("%d input problem(s), first ones:", len(r.Problems)))
		for _, p := range r.Problems[:min(len(r.Problems), 10)] {
			out = append(out, "  "+p)
		}
	}
	_, err := io.WriteString(w, strings.Join(out, "\n")+"\n")
	if err != nil {
		return fmt.Errorf("write score table: %w", err)
	}
	return nil
}
