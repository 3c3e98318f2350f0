package clustereval

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/ingest"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite"
)

// Assignment is where one gold item landed.
type Assignment struct {
	Item     Item
	Incident testigo.IncidentID // 0 when no event was read from the text
}

// Run ingests the items, in file order, into a fresh SQLite store in dir
// through the ingest pipeline with extract and the real attach step, and
// returns each item's incident: that of the first (main) event read from
// its text. Items from which no event is read are their own cluster.
func Run(ctx context.Context, dir string, items []Item, extract ingest.Extractor, now time.Time) ([]Assignment, error) {
	st, err := sqlite.Open(ctx, filepath.Join(dir, "clustereval.db"))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	blobs, err := archive.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		return nil, err
	}
	p := &ingest.Pipeline{Store: st, Blobs: blobs, Extract: extract, Record: jobs.LogCapture,
		Attach: func(ctx context.Context, tx testigo.Store, r *testigo.Report) error {
			return jobs.AttachReport(ctx, tx, r, now)
		},
		Now: func() time.Time { return now }}
	out := make([]Assignment, 0, len(items))
	for _, it := range items {
		in := ingest.Input{Name: "gold:" + it.ID, ExternalID: it.ID, Raw: []byte(it.ID + "\n" + it.Text), Text: it.Text, Lang: it.Lang}
		if it.Published != "" {
			in.Published, _ = time.Parse("2006-01-02", it.Published) // checked by ReadGold
		}
		o, err := p.Ingest(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("item %s: %w", it.ID, err)
		}
		a := Assignment{Item: it}
		if len(o.Reports) > 0 {
			// The first report's incident, after any later merge.
			r, err := st.FindReport(ctx, o.Reports[0].ID)
			if err != nil {
				return nil, fmt.Errorf("item %s: %w", it.ID, err)
			}
			a.Incident = r.IncidentID
		}
		out = append(out, a)
	}
	// Reports attached to an incident that was later merged count as the
	// surviving incident.
	for i, a := range out {
		for id := a.Incident; id != 0; {
			inc, err := st.FindIncident(ctx, id)
			if errors.Is(err, testigo.ErrNotFound) {
				break
			}
			if err != nil {
				return nil, err
			}
			if inc.MergedInto == 0 {
				out[i].Incident = id
				break
			}
			id = inc.MergedInto
		}
	}
	return out, nil
}

// Labels turns assignments into the gold and predicted label lists Score
// takes; an item with no incident gets a label of its own.
func Labels(as []Assignment) (gold, pred []string) {
	for _, a := range as {
		gold = append(gold, a.Item.Incident)
		if a.Incident == 0 {
			pred = append(pred, "none:"+a.Item.ID)
		} else {
			pred = append(pred, "incident:"+strconv.FormatInt(int64(a.Incident), 10))
		}
	}
	return gold, pred
}
