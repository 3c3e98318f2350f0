package alert

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/exporter"
)

// WriteFeed writes the Atom 1.0 feed of a: every published incident its
// filter matches, as the exporter's atom format writes them (entry IDs and
// links as in "testigo export --format atom"), under the feed ID
// tag:HOST,2026:alert:ID and the title "testigo alert: NAME". baseURL
// prefixes the incident links; now gives the feed's updated time (nil
// means time.Now).
func WriteFeed(ctx context.Context, rd exporter.Reader, w io.Writer, a *testigo.Alert, baseURL string, now func() time.Time) (exporter.Result, error) {
	res, err := exporter.Write(ctx, rd, w, exporter.Options{
		Format: exporter.Atom, Filter: Filter(a), BaseURL: baseURL, Now: now,
		FeedTitle: "testigo alert: " + a.Name, FeedTag: fmt.Sprintf("alert:%d", a.ID),
	})
	if err != nil {
		return res, fmt.Errorf("feed of alert %d: %w", a.ID, err)
	}
	return res, nil
}
