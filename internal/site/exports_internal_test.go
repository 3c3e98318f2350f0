package site

import (
	"context"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/translog"
)

func TestFIFO(t *testing.T) {
	f := newFIFO[int, string](2)
	f.put(1, "a")
	f.put(2, "b")
	f.put(2, "B") // an update keeps its slot
	f.put(3, "c") // forgets 1, the oldest
	if _, ok := f.get(1); ok {
		t.Error("1 still there after two newer keys")
	}
	if v, _ := f.get(2); v != "B" {
		t.Errorf("2 = %q, want B", v)
	}
	f.drop(3)
	if _, ok := f.get(3); ok {
		t.Error("3 still there after drop")
	}
	f.put(4, "d")
	f.put(5, "e")
	if len(f.m) > 2 {
		t.Errorf("%d keys kept, want at most 2", len(f.m))
	}
}

// TestCachingReader checks that log entries are answered from the cache
// until the exporter re-reads the incident, which must then see its new
// entry.
func TestCachingReader(t *testing.T) {
	ctx := context.Background()
	st := sqlitetest.MustOpenTemp(t)
	inc := &testigo.Incident{Title: "a", Type: testigo.TypeOther, Grade: testigo.GradeWeak, Review: testigo.ReviewPublished}
	logChange := func() {
		t.Helper()
		err := st.Transact(ctx, func(tx testigo.Store) error {
			if inc.ID == 0 {
				if err := tx.CreateIncident(ctx, inc); err != nil {
					return err
				}
			} else if err := tx.UpdateIncident(ctx, inc); err != nil {
				return err
			}
			return jobs.LogIncidentChange(ctx, tx, inc, &testigo.AuditEntry{IncidentID: inc.ID, Actor: "t", Action: testigo.ActionEdit, At: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	logChange()
	c := newCachingReader(st, 4)
	subject := translog.IncidentSubject(inc.ID)
	first, err := c.FindLogEntriesBySubject(ctx, subject)
	if err != nil || len(first) != 1 {
		t.Fatalf("entries: %v %v", first, err)
	}
	inc.Title = "b"
	logChange()
	if again, _ := c.FindLogEntriesBySubject(ctx, subject); len(again) != 1 {
		t.Errorf("second read: %d entries, want the cached 1", len(again))
	}
	if _, err := c.FindIncident(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
	if fresh, _ := c.FindLogEntriesBySubject(ctx, subject); len(fresh) != 2 {
		t.Errorf("after re-reading the incident: %d entries, want 2", len(fresh))
	}
}
