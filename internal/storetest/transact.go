package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

// counts returns how many documents and incidents (merged or not) st holds.
func counts(t *testing.T, st testigo.Store) (docs, incs int) {
	t.Helper()
	ds, err := st.FindDocuments(t.Context(), testigo.DocumentFilter{})
	must(t, err)
	is, err := st.FindIncidents(t.Context(), testigo.IncidentFilter{IncludeMerged: true})
	must(t, err)
	return len(ds), len(is)
}

func testTransactRollback(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	boom := errors.New("boom")
	err := st.Transact(ctx, func(tx testigo.Store) error {
		d := newDocument(0, 1)
		if err := tx.CreateDocument(ctx, d); err != nil {
			return err
		}
		if _, err := tx.FindDocument(ctx, d.ID); err != nil {
			return fmt.Errorf("own write not visible inside the transaction: %w", err)
		}
		if err := tx.CreateIncident(ctx, &testigo.Incident{Type: testigo.TypeOther}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Transact returned %v, want the callback's error", err)
	}
	if docs, incs := counts(t, st); docs != 0 || incs != 0 {
		t.Errorf("rolled-back transaction left %d documents and %d incidents", docs, incs)
	}

	// A store error inside keeps its kind through Transact.
	must(t, st.CreateDocument(ctx, newDocument(0, 2)))
	err = st.Transact(ctx, func(tx testigo.Store) error {
		if err := tx.CreateIncident(ctx, &testigo.Incident{}); err != nil {
			return err
		}
		return tx.CreateDocument(ctx, newDocument(0, 2))
	})
	wantErr(t, err, testigo.ErrConflict, "duplicate document inside Transact")
	if docs, incs := counts(t, st); docs != 1 || incs != 0 {
		t.Errorf("after a failed transaction: %d documents and %d incidents, want 1 and 0", docs, incs)
	}

	must(t, st.Transact(ctx, func(tx testigo.Store) error { return tx.CreateDocument(ctx, newDocument(0, 3)) }))
	if _, err := st.FindDocumentByDigest(ctx, newDocument(0, 3).SHA256); err != nil {
		t.Errorf("committed document not found: %v", err)
	}
}

func testTransactNested(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	boom := errors.New("boom")
	err := st.Transact(ctx, func(tx testigo.Store) error {
		err := tx.Transact(ctx, func(inner testigo.Store) error {
			return inner.CreateDocument(ctx, newDocument(0, 1))
		})
		if err != nil {
			return err
		}
		if _, err := tx.FindDocumentByDigest(ctx, newDocument(0, 1).SHA256); err != nil {
			return fmt.Errorf("nested write not visible in the outer transaction: %w", err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Transact returned %v, want the callback's error", err)
	}
	if docs, _ := counts(t, st); docs != 0 {
		t.Errorf("nested write survived the outer rollback: %d documents", docs)
	}
	must(t, st.Transact(ctx, func(tx testigo.Store) error {
		return tx.Transact(ctx, func(inner testigo.Store) error {
			return inner.CreateDocument(ctx, newDocument(0, 2))
		})
	}))
	if docs, _ := counts(t, st); docs != 1 {
		t.Errorf("nested commit: %d documents, want 1", docs)
	}
}

func testTransactPanic(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("recovered %v, want the callback's panic", p)
			}
		}()
		_ = st.Transact(ctx, func(tx testigo.Store) error { // panics
			if err := tx.CreateDocument(ctx, newDocument(0, 1)); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	// The panicking transaction must not keep its locks: the next write has
	// to succeed well within the time limit.
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	start := time.Now()
	must(t, st.CreateDocument(wctx, newDocument(0, 2)))
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("write after a panicking transaction took %v", d)
	}
	if docs, _ := counts(t, st); docs != 1 {
		t.Errorf("after a panicking transaction: %d documents, want 1", docs)
	}
}

func testAuditTrail(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	inc, other := &testigo.Incident{Type: testigo.TypeOther}, &testigo.Incident{Type: testigo.TypeOther}
	must(t, st.CreateIncident(ctx, inc))
	must(t, st.CreateIncident(ctx, other))
	empty, err := st.FindAuditEntries(ctx, inc.ID)
	must(t, err)
	if len(empty) != 0 {
		t.Errorf("new incident has %d audit entries", len(empty))
	}

	var want []*testigo.AuditEntry
	// The times go backwards: the trail is in the order of appending.
	for i, a := range []testigo.AuditAction{testigo.ActionCreate, testigo.ActionAttach, testigo.ActionReview, testigo.ActionEdit} {
		e := &testigo.AuditEntry{IncidentID: inc.ID, Actor: "ana", Action: a, Reason: fmt.Sprint("step ", i),
			Before: `{"review":"new"}`, After: `{"review":"published"}`, At: at.Add(-time.Duration(i) * time.Second)}
		if i == 1 {
			e.At = e.At.In(mexico)
		}
		must(t, st.AddAuditEntry(ctx, e))
		want = append(want, e)
		noise := &testigo.AuditEntry{IncidentID: other.ID, Actor: "testigo", Action: testigo.ActionAttach, At: at}
		must(t, st.AddAuditEntry(ctx, noise))
	}
	unstamped := &testigo.AuditEntry{IncidentID: inc.ID, Actor: "testigo", Action: testigo.ActionGrade, After: `{}`}
	must(t, st.AddAuditEntry(ctx, unstamped))
	if unstamped.At.IsZero() {
		t.Error("AddAuditEntry left At zero")
	}
	want = append(want, unstamped)
	for i := 1; i < len(want); i++ {
		if want[i].ID <= want[i-1].ID {
			t.Errorf("audit entry IDs do not increase: %d after %d", want[i].ID, want[i-1].ID)
		}
	}

	got, err := st.FindAuditEntries(ctx, inc.ID)
	must(t, err)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindAuditEntries mismatch (-want +got):\n%s", diff)
	}
	for _, e := range got {
		wantUTC(t, "audit entry", e.At)
	}
}

func testConcurrentWriters(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	const writers, each = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, 3*writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				n := w*1000 + i
				var err error
				if w%2 == 0 {
					// Several statements in one transaction.
					err = st.Transact(ctx, func(tx testigo.Store) error {
						if err := tx.CreateDocument(ctx, newDocument(0, n)); err != nil {
							return err
						}
						inc := &testigo.Incident{Type: testigo.TypeOther, Date: "2025-11-20"}
						if err := tx.CreateIncident(ctx, inc); err != nil {
							return err
						}
						return tx.AddAuditEntry(ctx, &testigo.AuditEntry{IncidentID: inc.ID, Actor: "testigo", Action: testigo.ActionCreate})
					})
				} else {
					// Single statements without a transaction.
					if err = st.CreateDocument(ctx, newDocument(0, n)); err == nil {
						err = st.CreateIncident(ctx, &testigo.Incident{Type: testigo.TypeOther})
					}
				}
				if err != nil {
					errs <- fmt.Errorf("writer %d, write %d: %w", w, i, err)
				}
			}
		})
	}
	for r := range 2 {
		wg.Go(func() {
			for range each {
				if _, err := st.FindIncidents(ctx, testigo.IncidentFilter{Limit: 10}); err != nil {
					errs <- fmt.Errorf("reader %d: %w", r, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent access: %v", err)
	}
	docs, incs := counts(t, st)
	if docs != writers*each || incs != writers*each {
		t.Errorf("after concurrent writes: %d documents and %d incidents, want %d of each", docs, incs, writers*each)
	}
}

func testConcurrentUpdates(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	inc := newIncident()
	must(t, st.CreateIncident(ctx, inc))
	const n = 5
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			mine := *inc
			mine.Title = fmt.Sprint("edit ", i)
			errs[i] = st.UpdateIncident(ctx, &mine)
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, testigo.ErrConflict):
			t.Errorf("update %d: %v, want nil or a conflict", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d updates from version 1 succeeded, want exactly 1", won, n)
	}
	got, err := st.FindIncident(ctx, inc.ID)
	must(t, err)
	if got.Version != 2 {
		t.Errorf("version after racing updates = %d, want 2", got.Version)
	}
}
