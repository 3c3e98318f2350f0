package jobs

import (
	"context"
	"fmt"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/translog"
)

// LogCapture writes the transparency-log entries for a newly stored
// document and the reports read from it: one capture entry and one
// extraction entry per report. Call it in the transaction that stored them.
func LogCapture(ctx context.Context, tx testigo.Store, doc *testigo.Document, reports []*testigo.Report) error {
	entries := make([]*testigo.LogEntry, 0, 1+len(reports))
	e, err := translog.NewEntry(testigo.LogCapture, translog.DocumentSubject(doc.ID), translog.CaptureContent(doc), nil)
	if err != nil {
		return fmt.Errorf("log capture of document %d: %w", doc.ID, err)
	}
	entries = append(entries, e)
	for _, r := range reports {
		e, err := translog.NewEntry(testigo.LogExtraction, translog.ReportSubject(r.ID), translog.ExtractionContent(r, doc.SHA256), nil)
		if err != nil {
			return fmt.Errorf("log extraction of report %d: %w", r.ID, err)
		}
		entries = append(entries, e)
	}
	if err := translog.AppendAll(ctx, tx, entries); err != nil {
		return fmt.Errorf("log capture of document %d: %w", doc.ID, err)
	}
	return nil
}

// LogIncidentChange writes the audit entry e for a change to inc, and the
// transparency-log entry that commits to inc's state after the change.
func LogIncidentChange(ctx context.Context, tx testigo.Store, inc *testigo.Incident, e *testigo.AuditEntry) error {
	if err := tx.AddAuditEntry(ctx, e); err != nil {
		return fmt.Errorf("audit %s of incident %d: %w", e.Action, inc.ID, err)
	}
	le, err := translog.NewEntry(testigo.LogIncident, translog.IncidentSubject(inc.ID), translog.IncidentContent(inc, e), nil)
	if err != nil {
		return fmt.Errorf("log %s of incident %d: %w", e.Action, inc.ID, err)
	}
	if err := translog.Append(ctx, tx, le); err != nil {
		return fmt.Errorf("log %s of incident %d: %w", e.Action, inc.ID, err)
	}
	return nil
}
