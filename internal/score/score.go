// Package score scores event extraction output against the labelled
// evaluation data, with exactly the rules of the reference scorer
// eval/score.py of the shared evaluation folder: per field and dataset, over
// the gold rows whose value is known, how many rows the primary (first)
// event gives a value for and how many of those are right, with precision,
// recall and F1 per dataset and summed over datasets (micro), type
// macro-F1, the commonest type confusions and the killed judgement on rows
// where somebody died.
package score

import (
	"cmp"
	"errors"
	"maps"
	"slices"
	"strconv"
)

// Fields lists the scored fields in report order.
var Fields = []string{"type", "date", "country", "admin1", "admin2", "location", "killed"}

const (
	// LocationRadiusKm is how far predicted coordinates may be from the
	// gold ones and still name the right place.
	LocationRadiusKm = 25.0
	// DateRangeSlackDays widens a gold date range on both sides.
	DateRangeSlackDays = 1
	// ConfusionTop is how many type confusions a Result lists.
	ConfusionTop = 15
)

// Field is the score of one field over a set of rows.
type Field struct {
	// P is Correct/Predicted (0 when nothing was predicted), R is
	// Correct/N and F1 their harmonic mean, each rounded to 4 decimals.
	P  float64 `json:"p"`
	R  float64 `json:"r"`
	F1 float64 `json:"f1"`
	// N counts the rows whose gold value is known, Predicted those where
	// the primary event gives a value and Correct those judged right.
	N         int `json:"n"`
	Predicted int `json:"predicted"`
	Correct   int `json:"correct"`
	// ZeroAsNull counts, for killed, the rows where gold is 0 and the event
	// gave no count, scored as a correct 0; nil for other fields.
	ZeroAsNull *int `json:"zero_as_null,omitempty"`
}

// KilledNonzero repeats the killed judgement on rows whose gold count is
// above 0.
type KilledNonzero struct {
	// Overall sums over datasets; nil when no row has a gold count above 0.
	Overall   *Field           `json:"overall"`
	ByDataset map[string]Field `json:"by_dataset"`
}

// Confusion is one kind of type error: the gold type, the predicted one
// (nil when the event gave none or there was no event) and how often.
type Confusion struct {
	Gold  string  `json:"gold"`
	Pred  *string `json:"pred"`
	Count int     `json:"count"`
}

// Rows counts the gold rows of a dataset and what the predictions held for them.
type Rows struct {
	// Gold counts the gold rows, WithEvent those whose prediction has a
	// first event, MissingPred those without a prediction line and
	// BadFirstEvent those whose first event is not a JSON object.
	Gold          int `json:"gold"`
	WithEvent     int `json:"with_event"`
	MissingPred   int `json:"missing_pred"`
	BadFirstEvent int `json:"bad_first_event"`
}

// Result is the outcome of scoring; its JSON form has the keys of
// score.py --json.
type Result struct {
	// Overall sums the counts over datasets (micro-average).
	Overall map[string]Field `json:"overall"`
	// ByDataset holds per dataset the fields it labels.
	ByDataset map[string]map[string]Field `json:"by_dataset"`
	// TypeMacroF1 averages per-type F1 over every type in gold or
	// predictions; nil when no row has a gold type.
	TypeMacroF1 *float64 `json:"type_macro_f1"`
	// TypeMacroF1ByDataset holds the macro-F1 of each dataset with gold types.
	TypeMacroF1ByDataset map[string]float64 `json:"type_macro_f1_by_dataset"`
	// Confusion lists the ConfusionTop commonest type errors.
	Confusion []Confusion `json:"confusion"`
	// KilledNonzero repeats the killed scores on rows where somebody died.
	KilledNonzero KilledNonzero `json:"killed_nonzero"`
	// Rows counts the rows of each dataset.
	Rows map[string]Rows `json:"rows"`
	// Input counts what was read: pred_lines, pred_malformed_lines,
	// gold_malformed_lines, pred_unknown_id, pred_duplicate_id, … .
	Input map[string]int `json:"-"`
	// Problems lists the input problems, gold first, in file order.
	Problems []string `json:"-"`
}

// counts are the tallies of one field.
type counts struct {
	n, predicted, correct, zeroAsNull int
}

func (c *counts) add(o counts) {
	c.n += o.n
	c.predicted += o.predicted
	c.correct += o.correct
	c.zeroAsNull += o.zeroAsNull
}

// round4 rounds to 4 decimals as Python's round(x, 4) does.
func round4(x float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 4, 64), 64)
	return f
}

func (c counts) field(withZero bool) Field {
	var p, r, f1 float64
	if c.predicted > 0 {
		p = float64(c.correct) / float64(c.predicted)
	}
	r = float64(c.correct) / float64(c.n)
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	f := Field{P: round4(p), R: round4(r), F1: round4(f1), N: c.n, Predicted: c.predicted, Correct: c.correct}
	if withZero {
		z := c.zeroAsNull
		f.ZeroAsNull = &z
	}
	return f
}

// Score judges the first event of each gold row's prediction. readErrs are
// the errors ReadGold and ReadPred returned, gold first; they are counted
// and listed in Result.Input and Result.Problems as score.py reports them.
// A prediction whose id is not a gold id is matched to the one gold id with
// that id after the "dataset:" prefix, if there is exactly one.
func Score(gold []Gold, preds Preds, readErrs ...error) Result {
	input := map[string]int{"gold_malformed_lines": 0, "pred_malformed_lines": 0}
	var problems []string
	for _, err := range readErrs {
		problems = append(problems, err.Error())
		var le *LineError
		if errors.As(err, &le) && le.Malformed {
			input[le.File+"_malformed_lines"]++
		}
	}
	if input["pred_malformed_lines"] == 0 {
		input["pred_malformed_lines"] = preds.Malformed
	}
	byID := matchPreds(gold, preds, input, &problems)
	if len(gold) == 0 {
		problems = append([]string{"gold file has no usable rows"}, problems...)
	}

	type dsCounts struct {
		fields  map[string]*counts
		nonzero counts
		types   []typePair
		rows    Rows
	}
	per := make(map[string]*dsCounts)
	for _, g := range gold {
		d := per[g.Dataset]
		if d == nil {
			d = &dsCounts{fields: make(map[string]*counts)}
			per[g.Dataset] = d
		}
		d.rows.Gold++
		events, found := byID[g.ID]
		if !found {
			d.rows.MissingPred++
		}
		var first any
		if len(events) > 0 {
			first = events[0]
		}
		ev, hasEvent := first.(map[string]any)
		if first != nil && !hasEvent {
			d.rows.BadFirstEvent++
		}
		if hasEvent {
			d.rows.WithEvent++
		} else {
			ev = map[string]any{}
		}
		for _, field := range Fields {
			j, known := judge(field, g.Labels, ev, hasEvent)
			if !known {
				continue
			}
			c := d.fields[field]
			if c == nil {
				c = &counts{}
				d.fields[field] = c
			}
			c.n++
			c.predicted += b2i(j.predicted)
			c.correct += b2i(j.correct)
			switch field {
			case "killed":
				c.zeroAsNull += b2i(j.zeroAsNull)
				if gr, _ := goldKilledRange(g.Labels["killed"]); gr.hi > 0 {
					d.nonzero.add(counts{n: 1, predicted: b2i(j.predicted), correct: b2i(j.correct)})
				}
			case "type":
				var pt string
				if hasEvent {
					pt = normType(ev["type"])
				}
				d.types = append(d.types, typePair{normType(g.Labels["type"]), pt})
			}
		}
	}

	res := Result{
		Overall:              make(map[string]Field),
		ByDataset:            make(map[string]map[string]Field),
		TypeMacroF1ByDataset: make(map[string]float64),
		Confusion:            []Confusion{},
		KilledNonzero:        KilledNonzero{ByDataset: make(map[string]Field)},
		Rows:                 make(map[string]Rows),
		Input:                input,
		Problems:             problems,
	}
	datasets := slices.Sorted(maps.Keys(per))
	overall := make(map[string]*counts)
	var nzTotal counts
	var allPairs []typePair
	for _, ds := range datasets {
		d := per[ds]
		fields := make(map[string]Field)
		for _, f := range Fields {
			c := d.fields[f]
			if c == nil || c.n == 0 {
				continue
			}
			fields[f] = c.field(f == "killed")
			if overall[f] == nil {
				overall[f] = &counts{}
			}
			overall[f].add(*c)
		}
		res.ByDataset[ds] = fields
		if d.nonzero.n > 0 {
			res.KilledNonzero.ByDataset[ds] = d.nonzero.field(false)
			nzTotal.add(d.nonzero)
		}
		if len(d.types) > 0 {
			res.TypeMacroF1ByDataset[ds] = macroF1(d.types)
		}
		allPairs = append(allPairs, d.types...)
		res.Rows[ds] = d.rows
	}
	for f, c := range overall {
		res.Overall[f] = c.field(f == "killed")
	}
	if nzTotal.n > 0 {
		f := nzTotal.field(false)
		res.KilledNonzero.Overall = &f
	}
	if len(allPairs) > 0 {
		m := macroF1(allPairs)
		res.TypeMacroF1 = &m
	}
	res.Confusion = confusion(allPairs)
	return res
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// matchPreds maps gold ids to the events of their prediction line,
// counting and reporting lines without an id, with an unknown id, repeated
// ids and "events" values that are not lists.
func matchPreds(gold []Gold, preds Preds, input map[string]int, problems *[]string) map[string][]any {
	ids := make(map[string]bool, len(gold))
	suffix := make(map[string][]string)
	for _, g := range gold {
		ids[g.ID] = true
	}
	for _, g := range gold {
		if _, s, ok := cutColon(g.ID); ok {
			suffix[s] = append(suffix[s], g.ID)
		}
	}
	out := make(map[string][]any)
	for _, l := range preds.Lines {
		input["pred_lines"]++
		id := rowID(l.ID)
		if id == "" {
			*problems = append(*problems, (&LineError{File: "pred", Line: l.Line, Msg: "no id, ignored"}).Error())
			input["pred_no_id"]++
			continue
		}
		if !ids[id] {
			if alt := suffix[id]; len(alt) == 1 {
				id = alt[0]
				input["pred_matched_without_prefix"]++
			} else {
				input["pred_unknown_id"]++
				continue
			}
		}
		if _, dup := out[id]; dup {
			input["pred_duplicate_id"]++
			*problems = append(*problems, (&LineError{File: "pred", Line: l.Line, Msg: "duplicate id " + id + ", first line kept"}).Error())
			continue
		}
		var events []any
		switch e := l.Events.(type) {
		case nil:
			events = []any{}
		case map[string]any:
			events = []any{e}
		case []any:
			events = e
		default:
			*problems = append(*problems, (&LineError{File: "pred", Line: l.Line, Msg: "events is not a list, counted as nothing"}).Error())
			input["pred_bad_events"]++
			events = []any{}
		}
		out[id] = events
	}
	return out
}

// cutColon splits an id at its first colon.
func cutColon(id string) (before, after string, ok bool) {
	for i := 0; i < len(id); i++ {
		if id[i] == ':' {
			return id[:i], id[i+1:], true
		}
	}
	return id, "", false
}

// typePair is a gold type and the predicted one ("" for none).
type typePair struct{ gold, pred string }

// macroF1 averages per-type F1 over every type seen in gold or prediction.
func macroF1(pairs []typePair) float64 {
	tp, fp, fn := map[string]int{}, map[string]int{}, map[string]int{}
	labels := map[string]bool{}
	for _, p := range pairs {
		labels[p.gold] = true
		if p.pred != "" {
			labels[p.pred] = true
		}
		if p.pred == p.gold {
			tp[p.gold]++
		} else {
			fn[p.gold]++
			if p.pred != "" {
				fp[p.pred]++
			}
		}
	}
	var sum float64
	for _, t := range slices.Sorted(maps.Keys(labels)) {
		if d := 2*tp[t] + fp[t] + fn[t]; d > 0 {
			sum += 2 * float64(tp[t]) / float64(d)
		}
	}
	return round4(sum / float64(len(labels)))
}

// confusion lists the commonest type errors, most frequent first, ties by
// gold then predicted type.
func confusion(pairs []typePair) []Confusion {
	errs := make(map[typePair]int)
	for _, p := range pairs {
		if p.gold != p.pred {
			errs[p]++
		}
	}
	keys := slices.SortedFunc(maps.Keys(errs), func(a, b typePair) int {
		return cmp.Or(cmp.Compare(errs[b], errs[a]), cmp.Compare(a.gold, b.gold), cmp.Compare(a.pred, b.pred))
	})
	out := []Confusion{}
	for _, k := range keys[:min(len(keys), ConfusionTop)] {
		c := Confusion{Gold: k.gold, Count: errs[k]}
		if k.pred != "" {
			p := k.pred
			c.Pred = &p
		}
		out = append(out, c)
	}
	return out
}

// judgement is the verdict on one field of one row.
type judgement struct {
	predicted, correct, zeroAsNull bool
}

// judge judges one field; known is false when the gold value is unknown
// and the row does not count for the field.
func judge(field string, g, ev map[string]any, hasEvent bool) (j judgement, known bool) {
	switch field {
	case "type":
		gt := normType(g["type"])
		if gt == "" {
			return j, false
		}
		pt := normType(ev["type"])
		return judgement{predicted: pt != "", correct: pt == gt}, true
	case "date":
		return judgeDate(g, ev)
	case "country":
		if blank(g["country"]) {
			return j, false
		}
		pc := ev["country"]
		if blank(pc) {
			return j, true
		}
		return judgement{predicted: true, correct: upper(pc) == upper(g["country"])}, true
	case "admin1", "admin2":
		gv := g[field]
		if blank(gv) {
			return j, false
		}
		pv := ev[field]
		if blank(pv) {
			return j, true
		}
		pk := NameKey(pyStr(pv))
		return judgement{predicted: true, correct: pk != "" && pk == NameKey(pyStr(gv))}, true
	case "location":
		return judgeLocation(g, ev)
	case "killed":
		return judgeKilled(g, ev, hasEvent)
	}
	return j, false
}

func upper(v any) string { return toUpper(trimSpace(pyStr(v))) }

// dateWindow returns the days a predicted date may fall on: the gold
// date_range widened by DateRangeSlackDays, or the gold date.
func dateWindow(g map[string]any) (lo, hi day, ok bool) {
	if dr, isList := g["date_range"].([]any); isList && len(dr) > 0 {
		s, okS := parseDate(dr[0])
		e, okE := parseDate(dr[len(dr)-1])
		if !okS {
			s, okS = e, okE
		}
		if !okE {
			e = s
		}
		if okS {
			if s > e {
				s, e = e, s
			}
			return s - DateRangeSlackDays, e + DateRangeSlackDays, true
		}
	}
	if d, ok := parseDate(g["date"]); ok {
		return d, d, true
	}
	return 0, 0, false
}

func judgeDate(g, ev map[string]any) (judgement, bool) {
	lo, hi, ok := dateWindow(g)
	if !ok {
		return judgement{}, false
	}
	in := func(d day) bool { return lo <= d && d <= hi }
	pv := ev["date"]
	if blank(pv) {
		if pr, isList := ev["date_range"].([]any); isList && len(pr) > 0 && !allBlank(pr) {
			s, okS := parseDate(pr[0])
			e, okE := parseDate(pr[len(pr)-1])
			return judgement{predicted: true, correct: okS && okE && in(s) && in(e)}, true
		}
		return judgement{}, true
	}
	d, ok := parseDate(pv)
	return judgement{predicted: true, correct: ok && in(d)}, true
}

func allBlank(vs []any) bool {
	for _, v := range vs {
		if !blank(v) {
			return false
		}
	}
	return true
}

func judgeLocation(g, ev map[string]any) (judgement, bool) {
	gl := g["location"]
	if blank(gl) {
		return judgement{}, false
	}
	pname := ev["location"]
	plat, plon, pok := coords(ev)
	if blank(pname) && !pok {
		return judgement{}, true
	}
	if glat, glon, gok := coords(g); pok && gok && haversineKm(plat, plon, glat, glon) <= LocationRadiusKm {
		return judgement{predicted: true, correct: true}, true
	}
	if !blank(pname) {
		pk := NameKey(pyStr(pname))
		keys := goldNameKeys(gl)
		if a2 := g["admin2"]; !blank(a2) {
			keys[NameKey(pyStr(a2))] = true
		}
		if pk != "" && keys[pk] {
			return judgement{predicted: true, correct: true}, true
		}
	}
	return judgement{predicted: true}, true
}

func judgeKilled(g, ev map[string]any, hasEvent bool) (judgement, bool) {
	gr, ok := goldKilledRange(g["killed"])
	if !ok {
		return judgement{}, false
	}
	if !hasEvent {
		return judgement{}, true
	}
	pv := ev["killed"]
	if killedIsNull(pv) {
		if gr.lo == 0 && gr.hi == 0 {
			// Gold says nobody died and the event gives no count: a correct 0.
			return judgement{predicted: true, correct: true, zeroAsNull: true}, true
		}
		return judgement{}, true
	}
	pr, ok := parseKilled(pv)
	if !ok { // not a usable count ("many", -1, …)
		return judgement{predicted: true}, true
	}
	return judgement{predicted: true, correct: killedCorrect(pr, gr)}, true
}
