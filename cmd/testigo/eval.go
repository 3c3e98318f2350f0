package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/extract"
	"github.com/testigo-project/testigo/internal/geo"
	"github.com/testigo-project/testigo/internal/score"
)

const evalUsage = `
Score event extraction against labelled evaluation data, with the rules of
the evaluation scorer (eval/score.py): per field and dataset, precision,
recall and F1 over the rows whose gold value is known, summed over datasets
(micro), type macro-F1 and the commonest type errors. Only the first event
of each prediction is scored.

With --pred, the predictions are read from a file (the output of
'testigo extract --jsonl'; '-' is standard input). Without it, the
extractor reads every gold text itself. Bad lines are reported, not fatal:
a missing or unreadable prediction means "predicted nothing".`

// listFlag collects the values of a repeatable flag; each value may also be
// a comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func runEval(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "eval", "--gold FILE.jsonl [--gold FILE …] [--pred PRED.jsonl] [--json]", evalUsage)
	var golds listFlag
	fs.Var(&golds, "gold", "gold JSONL file of the evaluation data (repeat, or separate with commas)")
	predPath := fs.String("pred", "", "prediction JSONL to score (default: run the extractor over the gold texts)")
	asJSON := fs.Bool("json", false, "print one JSON object (the keys of score.py --json) instead of a table")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if len(golds) == 0 {
		return usageErrorf("testigo eval: --gold is required (run 'testigo eval -h' for usage)")
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo eval: unexpected argument %q (run 'testigo eval -h' for usage)", fs.Arg(0))
	}

	gold, readErrs, err := readGoldFiles(golds)
	if err != nil {
		return err
	}
	var preds score.Preds
	var predErrs []error
	if *predPath != "" {
		preds, predErrs, err = readPredFile(*predPath, env.stdin)
	} else {
		preds, predErrs, err = predictGold(ctx, gold)
	}
	if err != nil {
		return err
	}
	res := score.Score(gold, preds, append(readErrs, predErrs...)...)

	if !*asJSON {
		return res.WriteTable(env.stdout)
	}
	if err := json.NewEncoder(env.stdout).Encode(res); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	for _, p := range res.Problems[:min(len(res.Problems), 20)] {
		fmt.Fprintln(env.stderr, "testigo eval:", p)
	}
	return nil
}

// readGoldFiles reads gold rows from each file in turn. A row whose id an
// earlier file already gave is skipped and reported, as it would be in
// the concatenated file.
func readGoldFiles(paths []string) ([]score.Gold, []error, error) {
	var rows []score.Gold
	var errs []error
	seen := make(map[string]string)
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, nil, fmt.Errorf("open gold file: %w", err)
		}
		got, gerrs := score.ReadGold(f)
		f.Close()
		for _, e := range gerrs {
			if _, ok := e.(*score.LineError); !ok {
				return nil, nil, fmt.Errorf("read gold file %s: %w", p, e)
			}
			errs = append(errs, fmt.Errorf("%s: %w", p, e))
		}
		for _, g := range got {
			if first, dup := seen[g.ID]; dup {
				errs = append(errs, fmt.Errorf("%s: duplicate id %s (first in %s), skipped", p, g.ID, first))
				continue
			}
			seen[g.ID] = p
			rows = append(rows, g)
		}
	}
	return rows, errs, nil
}

// readPredFile reads a prediction file, "-" meaning stdin.
func readPredFile(path string, stdin io.Reader) (score.Preds, []error, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return score.Preds{}, nil, fmt.Errorf("open prediction file: %w", err)
		}
		defer f.Close()
		r = f
	}
	preds, errs := score.ReadPred(r)
	for _, e := range errs {
		if _, ok := e.(*score.LineError); !ok {
			return score.Preds{}, nil, fmt.Errorf("read prediction file %s: %w", path, e)
		}
	}
	return preds, errs, nil
}

// predictGold runs the extractor over every gold text and returns its
// output read back as prediction lines, exactly as 'testigo extract
// --jsonl' would have written them.
func predictGold(ctx context.Context, gold []score.Gold) (score.Preds, []error, error) {
	gz, err := geo.Load()
	if err != nil {
		return score.Preds{}, nil, fmt.Errorf("load gazetteer: %w", err)
	}
	x := extract.New(gz)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, g := range gold {
		if err := ctx.Err(); err != nil {
			return score.Preds{}, nil, fmt.Errorf("extract gold texts: %w", err)
		}
		var pub time.Time
		if g.Published != "" {
			// A bad date is left out, as extract --jsonl would not know it either.
			pub, _ = time.Parse(testigo.DateLayout, g.Published)
		}
		in := extract.Input{Text: g.Text, Lang: g.Lang, Published: pub}
		if in.Lang != "en" && in.Lang != "es" {
			in.Lang = ""
		}
		events := []any{}
		for _, e := range x.Extract(in) {
			events = append(events, extract.PredEvent(e))
		}
		line := struct {
			ID     string `json:"id"`
			Events []any  `json:"events"`
		}{g.ID, events}
		if err := enc.Encode(line); err != nil {
			return score.Preds{}, nil, fmt.Errorf("encode events of %s: %w", g.ID, err)
		}
	}
	preds, errs := score.ReadPred(&buf)
	return preds, errs, nil
}
