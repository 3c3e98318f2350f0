package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite"
)

func TestAttachReport(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)

	add := func(n int, ev testigo.Event) *testigo.Report {
		t.Helper()
		var r *testigo.Report
		err := st.Transact(ctx, func(tx testigo.Store) error {
			d := &testigo.Document{SHA256: testigo.DigestOf([]byte(fmt.Sprint(n))), Text: "t", Size: 1}
			if err := tx.CreateDocument(ctx, d); err != nil {
				return err
			}
			r = &testigo.Report{DocumentID: d.ID, Event: ev}
			if err := tx.CreateReport(ctx, r); err != nil {
				return err
			}
			return AttachReport(ctx, tx, r, now)
		})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	sinaloa := testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}
	r1 := add(1, testigo.Event{Type: testigo.TypeArmedClash, Date: "2025-11-22", Place: sinaloa, Killed: &testigo.Range{Min: 3, Max: 3}})
	r2 := add(2, testigo.Event{Type: testigo.TypeArmedClash, Date: "2025-11-22", Place: sinaloa, Killed: &testigo.Range{Min: 3, Max: 5}})
	r3 := add(3, testigo.Event{Type: testigo.TypePeacefulProtest, Date: "2025-11-24", Place: sinaloa})
	r4 := add(4, testigo.Event{Type: testigo.TypeOperationPlanning})

	if r1.IncidentID == 0 || r2.IncidentID != r1.IncidentID {
		t.Errorf("two reports of one clash went to incidents %d and %d", r1.IncidentID, r2.IncidentID)
	}
	if r3.IncidentID == r1.IncidentID || r4.IncidentID == 0 || r4.IncidentID == r3.IncidentID {
		t.Errorf("distinct events shared incidents: %d %d %d", r1.IncidentID, r3.IncidentID, r4.IncidentID)
	}
	inc, err := st.FindIncident(ctx, r1.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	if inc.ReportCount != 2 || inc.Killed == nil || inc.Killed.Min != 3 || inc.Killed.Max != 5 || inc.Grade != testigo.GradeFair {
		t.Errorf("clash incident = %+v", inc)
	}
	trail, err := st.FindAuditEntries(ctx, inc.ID)
	if err != nil || len(trail) != 2 || trail[0].Action != testigo.ActionCreate || trail[1].Action != testigo.ActionAttach ||
		!trail[1].At.Equal(now) || trail[1].Before == "" || trail[1].After == "" {
		t.Errorf("audit trail = %+v, %v", trail, err)
	}
}
