// Package bundle writes and checks evidence bundles: one zip file per
// incident holding the incident, its reports, the archived captures they were
// read from, the transparency-log entries and inclusion proofs of all of
// them and the signed checkpoint the proofs lead to, so that a third party
// can check every figure offline with nothing but the log's verifier key.
package bundle

import (
	"archive/zip"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/proof"
	"github.com/testigo-project/testigo/internal/translog"
)

//go:embed README.txt
var readme string

// Blobs opens archived raw captures.
type Blobs interface {
	Open(d testigo.Digest) (io.ReadCloser, error)
}

// Write writes the evidence bundle of incident id to w. Every entry it
// proves must be covered by the latest signed checkpoint.
func Write(ctx context.Context, st testigo.Store, blobs Blobs, id testigo.IncidentID, logKey string, w io.Writer) error {
	inc, err := st.FindIncident(ctx, id)
	if err != nil {
		return fmt.Errorf("bundle incident %d: %w", id, err)
	}
	if inc.MergedInto != 0 {
		return fmt.Errorf("%w: incident %d was merged into %d; bundle that one", testigo.ErrInvalid, id, inc.MergedInto)
	}
	reports, err := st.FindReports(ctx, testigo.ReportFilter{IncidentID: id})
	if err != nil {
		return fmt.Errorf("bundle incident %d: %w", id, err)
	}
	cps, err := st.FindCheckpoints(ctx)
	if err != nil || len(cps) == 0 {
		return fmt.Errorf("bundle incident %d: no signed checkpoint yet: %w", id, testigo.ErrNotFound)
	}
	zw := zip.NewWriter(w)
	put := func(name string, data []byte) error {
		f, err := zw.Create(name)
		if err != nil {
			return fmt.Errorf("bundle %s: %w", name, err)
		}
		_, err = f.Write(data)
		return err
	}
	putJSON := func(name string, v any) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("bundle %s: %w", name, err)
		}
		return put(name, append(b, '\n'))
	}
	putProof := func(subject string) error {
		p, err := proof.ForSubject(ctx, st, subject)
		if err != nil {
			return fmt.Errorf("bundle incident %d: %w", id, err)
		}
		return putJSON("proofs/"+strings.ReplaceAll(subject, ":", "-")+".json", p)
	}
	if err := put("README.txt", []byte(readme)); err != nil {
		return err
	}
	if err := put("checkpoint.txt", cps[len(cps)-1].Note); err != nil {
		return err
	}
	if err := put("log-key.txt", []byte(logKey+"\n")); err != nil {
		return err
	}
	if err := putJSON("incident.json", inc); err != nil {
		return err
	}
	if err := putJSON("reports.json", reports); err != nil {
		return err
	}
	if err := putProof(translog.IncidentSubject(id)); err != nil {
		return err
	}
	seen := map[testigo.DocumentID]bool{}
	for _, r := range reports {
		if err := putProof(translog.ReportSubject(r.ID)); err != nil {
			return err
		}
		if seen[r.DocumentID] {
			continue
		}
		seen[r.DocumentID] = true
		d, err := st.FindDocument(ctx, r.DocumentID)
		if err != nil {
			return fmt.Errorf("bundle incident %d: %w", id, err)
		}
		if err := putJSON("documents/"+string(d.SHA256)+".json", d); err != nil {
			return err
		}
		rc, err := blobs.Open(d.SHA256)
		if err != nil {
			return fmt.Errorf("bundle incident %d: %w", id, err)
		}
		raw, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("bundle incident %d: read blob %s: %w", id, d.SHA256, err)
		}
		if err := put("documents/"+string(d.SHA256)+".raw", raw); err != nil {
			return err
		}
		if err := putProof(translog.DocumentSubject(d.ID)); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("bundle incident %d: %w", id, err)
	}
	return nil
}
