package jobs

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/review"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
)

func TestAnalystOperations(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	req := review.Request{Actor: "ana", Reason: "same boat", At: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)}
	tx := func(fn func(tx testigo.Store) error) error { return st.Transact(ctx, fn) }

	// Two reports of one event that clustering kept apart (different days).
	var reports []*testigo.Report
	for i, date := range []string{"2025-11-15", "2025-11-25", "2025-11-25"} {
		err := tx(func(tx testigo.Store) error {
			d := &testigo.Document{SHA256: testigo.DigestOf([]byte(fmt.Sprint(i))), Text: "t", Size: 1}
			if err := tx.CreateDocument(ctx, d); err != nil {
				return err
			}
			r := &testigo.Report{DocumentID: d.ID, Event: testigo.Event{Type: testigo.TypeVesselStrike, Date: date,
				Place: testigo.Place{Country: "MX", Admin1: "Guerrero"}, Killed: &testigo.Range{Min: 3, Max: 3}}}
			if err := tx.CreateReport(ctx, r); err != nil {
				return err
			}
			reports = append(reports, r)
			return AttachReport(ctx, tx, r, req.At)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	a, b := reports[0].IncidentID, reports[1].IncidentID
	if a == b || reports[2].IncidentID != b {
		t.Fatalf("setup: incidents %d %d %d", a, b, reports[2].IncidentID)
	}

	// Merging the newer into the older keeps the older ID.
	err = tx(func(tx testigo.Store) error {
		_, err := Merge(ctx, tx, a, b, req)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	merged, _ := st.FindIncident(ctx, b)
	kept, _ := st.FindIncident(ctx, a)
	if merged.MergedInto != a || kept.ReportCount != 3 {
		t.Errorf("after merge: %+v / %+v", merged, kept)
	}

	// A merge into itself and a merge of an already merged incident fail and change nothing.
	for _, pair := range [][2]testigo.IncidentID{{a, a}, {a, b}} {
		err := tx(func(tx testigo.Store) error { _, err := Merge(ctx, tx, pair[0], pair[1], req); return err })
		if !errors.Is(err, testigo.ErrInvalid) {
			t.Errorf("merge %v: %v, want ErrInvalid", pair, err)
		}
	}

	// Split one report back out.
	var split *testigo.Incident
	err = tx(func(tx testigo.Store) error {
		var err error
		split, err = Split(ctx, tx, a, 0, []testigo.ReportID{reports[0].ID}, req)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	kept, _ = st.FindIncident(ctx, a)
	if split.ReportCount != 1 || kept.ReportCount != 2 || split.Date != "2025-11-15" {
		t.Errorf("after split: new %+v kept %+v", split, kept)
	}

	// A grade override survives re-derivation; a stale version is refused.
	err = tx(func(tx testigo.Store) error {
		_, err := SetGrade(ctx, tx, a, kept.Version, testigo.GradeConfirmed, req)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = tx(func(tx testigo.Store) error {
		_, err := SetReview(ctx, tx, a, kept.Version, testigo.ReviewPublished, req)
		return err
	})
	if !errors.Is(err, testigo.ErrConflict) {
		t.Errorf("stale version: %v, want ErrConflict", err)
	}
	err = tx(func(tx testigo.Store) error {
		r := &testigo.Report{DocumentID: reports[1].DocumentID, Index: 1, Event: reports[1].Event}
		if err := tx.CreateReport(ctx, r); err != nil {
			return err
		}
		return AttachReport(ctx, tx, r, req.At)
	})
	if err != nil {
		t.Fatal(err)
	}
	kept, _ = st.FindIncident(ctx, a)
	if kept.Grade != testigo.GradeConfirmed || !kept.GradeSet {
		t.Errorf("grade after a new report: %s (%v), want the analyst's confirmed", kept.Grade, kept.GradeSet)
	}

	// Every change is in the audit trail and the log agrees with the rows.
	trail, _ := st.FindAuditEntries(ctx, a)
	actions := ""
	for _, e := range trail {
		actions += string(e.Action) + " "
	}
	if actions != "create merge split grade attach " {
		t.Errorf("audit trail of incident %d: %s", a, actions)
	}
	entries, _ := st.FindLogEntriesBySubject(ctx, translog.IncidentSubject(a))
	last := entries[len(entries)-1]
	if state, _ := translog.IncidentStateOf(last.Content); state != translog.IncidentStateHash(kept) {
		t.Error("the last log entry of the incident does not match its row")
	}
}
