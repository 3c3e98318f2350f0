package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/clustereval"
	"github.com/testigo-project/testigo/internal/extract"
	"github.com/testigo-project/testigo/internal/geo"
)

const evalClusterUsage = `
Score the clustering of reports into incidents against a gold file: JSONL
lines {"id", "text", "published" (YYYY-MM-DD), "lang", "source", "incident"}
where "incident" names the true event. Every text goes through the real
pipeline (extraction, a fresh SQLite store in a temporary directory, the
attach step ingest uses), in file order; then pairwise precision, recall and
F1 and B-cubed precision, recall and F1 are printed, with the gold events
that were split or merged. The first gold set, written by hand, is
internal/clustereval/testdata/gold.jsonl.`

func runEvalCluster(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "eval-cluster", "--gold FILE.jsonl [--json]", evalClusterUsage)
	gold := fs.String("gold", "", "gold JSONL file (required)")
	asJSON := fs.Bool("json", false, "print the scores as one JSON object")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if *gold == "" || fs.NArg() > 0 {
		return usageErrorf("testigo eval-cluster: want --gold FILE and no arguments (run 'testigo eval-cluster -h')")
	}
	f, err := os.Open(*gold)
	if err != nil {
		return fmt.Errorf("eval-cluster: %w", err)
	}
	items, err := clustereval.ReadGold(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *gold, err)
	}
	gz, err := geo.Load()
	if err != nil {
		return fmt.Errorf("load gazetteer: %w", err)
	}
	ex := extract.New(gz)
	dir, err := os.MkdirTemp("", "testigo-eval-cluster-*")
	if err != nil {
		return fmt.Errorf("eval-cluster: %w", err)
	}
	defer os.RemoveAll(dir)
	as, err := clustereval.Run(ctx, dir, items, extractorFunc(func(text, lang string, published time.Time) []testigo.Event {
		return ex.Extract(extract.Input{Text: text, Lang: lang, Published: published})
	}), time.Now())
	if err != nil {
		return fmt.Errorf("eval-cluster: %w", err)
	}
	g, p := clustereval.Labels(as)
	s := clustereval.Score(g, p)
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	fmt.Fprintf(env.stdout, "%d reports, %d gold events, %d predicted incidents\n", s.Items, s.GoldClusters, s.PredClusters)
	fmt.Fprintf(env.stdout, "pairwise  P %.3f  R %.3f  F1 %.3f\n", s.PairP, s.PairR, s.PairF1)
	fmt.Fprintf(env.stdout, "B-cubed   P %.3f  R %.3f  F1 %.3f\n", s.BCubedP, s.BCubedR, s.BCubedF1)
	// Name the mistakes: gold events spread over several incidents, and
	// incidents holding several gold events.
	byGold, byPred := map[string]map[string][]string{}, map[string]map[string]bool{}
	for i, a := range as {
		if byGold[g[i]] == nil {
			byGold[g[i]] = map[string][]string{}
		}
		byGold[g[i]][p[i]] = append(byGold[g[i]][p[i]], a.Item.ID)
		if byPred[p[i]] == nil {
			byPred[p[i]] = map[string]bool{}
		}
		byPred[p[i]][g[i]] = true
	}
	var lines []string
	for ev, parts := range byGold {
		if len(parts) > 1 {
			lines = append(lines, fmt.Sprintf("split:  event %s is in %d incidents: %v", ev, len(parts), parts))
		}
	}
	for inc, evs := range byPred {
		if len(evs) > 1 {
			names := make([]string, 0, len(evs))
			for e := range evs {
				names = append(names, e)
			}
			sort.Strings(names)
			lines = append(lines, fmt.Sprintf("merged: %s holds events %v", inc, names))
		}
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(env.stdout, l)
	}
	return nil
}
