// Package clustereval measures how well reports are clustered into
// incidents against a gold file that says which reports describe the same
// event. It runs the real pipeline — extraction, storage in a fresh SQLite
// database, and the same attach step ingest uses — so that what is measured
// is what runs, and scores the outcome with pairwise precision and recall
// and with B-cubed precision, recall and F1 (Bagga and Baldwin, 1998), the
// usual measures for entity and event coreference.
package clustereval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Item is one line of a gold file: a report and the event it describes.
type Item struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Published string `json:"published"` // YYYY-MM-DD; may be empty
	Lang      string `json:"lang"`      // en or es; may be empty
	Source    string `json:"source"`    // outlet, for people reading the file
	Incident  string `json:"incident"`  // gold event ID
}

// ReadGold reads a gold JSONL file. Blank lines and lines starting with //
// are skipped. A bad line is an error naming its line number; IDs must be
// unique and every item needs text and an incident.
func ReadGold(r io.Reader) ([]Item, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 8<<20)
	var (
		out  []Item
		seen = map[string]int{}
	)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || bytes.HasPrefix(line, []byte("//")) {
			continue
		}
		var it Item
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&it); err != nil {
			return nil, fmt.Errorf("gold line %d: %v", n, err)
		}
		switch {
		case it.ID == "":
			return nil, fmt.Errorf("gold line %d: no id", n)
		case strings.TrimSpace(it.Text) == "":
			return nil, fmt.Errorf("gold line %d (%s): no text", n, it.ID)
		case it.Incident == "":
			return nil, fmt.Errorf("gold line %d (%s): no incident", n, it.ID)
		case it.Lang != "" && it.Lang != "en" && it.Lang != "es":
			return nil, fmt.Errorf("gold line %d (%s): lang %q is not en or es", n, it.ID, it.Lang)
		}
		if it.Published != "" {
			if _, err := time.Parse("2006-01-02", it.Published); err != nil {
				return nil, fmt.Errorf("gold line %d (%s): published %q is not YYYY-MM-DD", n, it.ID, it.Published)
			}
		}
		if prev, dup := seen[it.ID]; dup {
			return nil, fmt.Errorf("gold line %d: id %q already used on line %d", n, it.ID, prev)
		}
		seen[it.ID] = n
		out = append(out, it)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gold: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("gold file has no items")
	}
	return out, nil
}

// Scores are the clustering measures.
type Scores struct {
	Items        int     `json:"items"`
	GoldClusters int     `json:"gold_clusters"`
	PredClusters int     `json:"pred_clusters"`
	PairP        float64 `json:"pair_precision"`
	PairR        float64 `json:"pair_recall"`
	PairF1       float64 `json:"pair_f1"`
	BCubedP      float64 `json:"bcubed_precision"`
	BCubedR      float64 `json:"bcubed_recall"`
	BCubedF1     float64 `json:"bcubed_f1"`
}

// Score compares two clusterings of the same items: gold[i] and pred[i]
// are item i's cluster labels.
func Score(gold, pred []string) Scores {
	n := len(gold)
	s := Scores{Items: n}
	gsize, psize, both := map[string]int{}, map[string]int{}, map[[2]string]int{}
	for i := range n {
		gsize[gold[i]]++
		psize[pred[i]]++
		both[[2]string{gold[i], pred[i]}]++
	}
	s.GoldClusters, s.PredClusters = len(gsize), len(psize)
	// Pairwise: pairs of items placed together.
	pairs := func(k int) float64 { return float64(k*(k-1)) / 2 }
	var tp, predPairs, goldPairs float64
	for _, k := range both {
		tp += pairs(k)
	}
	for _, k := range psize {
		predPairs += pairs(k)
	}
	for _, k := range gsize {
		goldPairs += pairs(k)
	}
	s.PairP, s.PairR = ratio(tp, predPairs), ratio(tp, goldPairs)
	s.PairF1 = f1(s.PairP, s.PairR)
	// B-cubed: per item, the share of its predicted cluster that is in its
	// gold cluster (precision) and the share of its gold cluster that is in
	// its predicted cluster (recall), averaged over items.
	var bp, br float64
	for i := range n {
		k := float64(both[[2]string{gold[i], pred[i]}])
		bp += k / float64(psize[pred[i]])
		br += k / float64(gsize[gold[i]])
	}
	if n > 0 {
		s.BCubedP, s.BCubedR = bp/float64(n), br/float64(n)
	}
	s.BCubedF1 = f1(s.BCubedP, s.BCubedR)
	return s
}

// ratio is a/b, and 1 when there is nothing to count (no pairs predicted
// means no wrong pair).
func ratio(a, b float64) float64 {
	if b == 0 {
		return 1
	}
	return a / b
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
