package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

// RunAlerts runs the alert suite against stores made by open, one fresh
// store per subtest: alerts, and the queue of their webhook deliveries.
// The stores must implement testigo.AlertStore, their transactions too.
func RunAlerts(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, testigo.Store, testigo.AlertStore)
	}{
		{"AlertRoundTrip", testAlertRoundTrip},
		{"AlertDeliveryLifecycle", testAlertDeliveryLifecycle},
		{"AlertDeliveryInTransaction", testAlertDeliveryInTransaction},
		{"AlertDeliveryLeaseConcurrent", testAlertDeliveryLeaseConcurrent},
		{"AlertDeleteTakesDeliveries", testAlertDeleteTakesDeliveries},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("close store: %v", err)
				}
			})
			as, ok := st.(testigo.AlertStore)
			if !ok {
				t.Fatalf("store %T does not implement testigo.AlertStore", st)
			}
			tc.fn(t, st, as)
		})
	}
}

func testAlertRoundTrip(t *testing.T, _ testigo.Store, as testigo.AlertStore) {
	ctx := t.Context()
	hook := &testigo.Alert{Name: "strikes at sea", Type: testigo.TypeVesselStrike, Grade: testigo.GradeFair,
		Since: "2025-09-01", Until: "2025-12-31", WebhookURL: "https://hooks.example.org/testigo", Secret: "s3cret"}
	feed := &testigo.Alert{Name: "México", Country: "MX"}
	must(t, as.CreateAlert(ctx, hook))
	must(t, as.CreateAlert(ctx, feed))
	if hook.ID == 0 || feed.ID == 0 || hook.ID == feed.ID {
		t.Fatalf("alert IDs %d and %d, want two distinct non-zero IDs", hook.ID, feed.ID)
	}
	if hook.CreatedAt.IsZero() {
		t.Error("CreateAlert left CreatedAt zero")
	}
	wantUTC(t, "created alert", hook.CreatedAt, feed.CreatedAt)
	got, err := as.FindAlert(ctx, hook.ID)
	must(t, err)
	if diff := cmp.Diff(hook, got); diff != "" {
		t.Errorf("FindAlert mismatch (-want +got):\n%s", diff)
	}
	all, err := as.FindAlerts(ctx)
	must(t, err)
	if diff := cmp.Diff([]*testigo.Alert{hook, feed}, all); diff != "" {
		t.Errorf("FindAlerts mismatch (-want +got):\n%s", diff)
	}
	wantErr(t, as.CreateAlert(ctx, &testigo.Alert{Name: "México"}), testigo.ErrConflict, "second alert named México")
	// Names are compared exactly: another case is another name.
	must(t, as.CreateAlert(ctx, &testigo.Alert{Name: "méxico"}))
	_, err = as.FindAlert(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "FindAlert(999)")

	must(t, as.DeleteAlert(ctx, feed.ID))
	_, err = as.FindAlert(ctx, feed.ID)
	wantErr(t, err, testigo.ErrNotFound, "FindAlert of a deleted alert")
	wantErr(t, as.DeleteAlert(ctx, feed.ID), testigo.ErrNotFound, "DeleteAlert twice")
	all, err = as.FindAlerts(ctx)
	must(t, err)
	if len(all) != 2 || all[0].ID != hook.ID {
		t.Errorf("FindAlerts after a delete = %v, want the other two", all)
	}
}

// newIncidents stores n incidents and returns them.
func newIncidents(t *testing.T, st testigo.Store, n int) []*testigo.Incident {
	t.Helper()
	out := make([]*testigo.Incident, n)
	for i := range out {
		out[i] = &testigo.Incident{Title: fmt.Sprintf("incident %d", i), Type: testigo.TypeVesselStrike,
			Date: "2025-11-03", Review: testigo.ReviewPublished}
		must(t, st.CreateIncident(t.Context(), out[i]))
	}
	return out
}

func testAlertDeliveryLifecycle(t *testing.T, st testigo.Store, as testigo.AlertStore) {
	ctx := t.Context()
	a := &testigo.Alert{Name: "hook", WebhookURL: "https://hooks.example.org/", Secret: "k"}
	must(t, as.CreateAlert(ctx, a))
	inc := newIncidents(t, st, 1)[0]

	d := &testigo.AlertDelivery{AlertID: a.ID, IncidentID: inc.ID, LogIndex: 7, Payload: []byte(`{"id":1}`), NextAt: at}
	ok, err := as.EnqueueAlertDelivery(ctx, d)
	must(t, err)
	if !ok || d.ID == 0 || d.CreatedAt.IsZero() || d.Status != testigo.DeliveryPending {
		t.Fatalf("EnqueueAlertDelivery = %v, delivery %+v", ok, d)
	}
	wantUTC(t, "enqueued delivery", d.CreatedAt, d.NextAt)
	ok, err = as.EnqueueAlertDelivery(ctx, &testigo.AlertDelivery{AlertID: a.ID, IncidentID: inc.ID, Payload: []byte(`{}`), NextAt: at})
	must(t, err)
	if ok {
		t.Error("a second delivery of one incident for one alert was enqueued")
	}
	_, err = as.EnqueueAlertDelivery(ctx, &testigo.AlertDelivery{AlertID: 999, IncidentID: inc.ID, Payload: []byte(`{}`)})
	wantErr(t, err, testigo.ErrNotFound, "delivery for a missing alert")
	_, err = as.EnqueueAlertDelivery(ctx, &testigo.AlertDelivery{AlertID: a.ID, IncidentID: 999, Payload: []byte(`{}`)})
	wantErr(t, err, testigo.ErrNotFound, "delivery of a missing incident")

	// Not due yet.
	got, err := as.LeaseAlertDeliveries(ctx, "w1", at.Add(-time.Second), time.Minute, 10)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("leased %d deliveries before they were due", len(got))
	}
	got, err = as.LeaseAlertDeliveries(ctx, "w1", at, time.Minute, 10)
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("leased %d deliveries, want 1", len(got))
	}
	l := got[0]
	want := *d
	want.Attempts, want.LeaseOwner, want.LeaseUntil = 1, "w1", at.Add(time.Minute)
	if diff := cmp.Diff(&want, l); diff != "" {
		t.Errorf("leased delivery mismatch (-want +got):\n%s", diff)
	}
	// Leased: nobody else gets it until the lease ends.
	got, err = as.LeaseAlertDeliveries(ctx, "w2", at.Add(30*time.Second), time.Minute, 10)
	must(t, err)
	if len(got) != 0 {
		t.Errorf("a leased delivery was leased again by w2")
	}
	wantErr(t, as.FinishAlertDelivery(ctx, l.ID, "w2", at), testigo.ErrConflict, "finish by another owner")
	wantErr(t, as.FailAlertDelivery(ctx, l.ID, "w2", at, "x"), testigo.ErrConflict, "fail by another owner")
	wantErr(t, as.FinishAlertDelivery(ctx, 999, "w1", at), testigo.ErrNotFound, "finish of a missing delivery")

	// A failed attempt comes due again at its retry time, with its error.
	retry := at.Add(5 * time.Minute)
	must(t, as.FailAlertDelivery(ctx, l.ID, "w1", retry, "POST: 500 Internal Server Error"))
	all, err := as.FindAlertDeliveries(ctx, a.ID)
	must(t, err)
	if len(all) != 1 || all[0].Status != testigo.DeliveryPending || all[0].LastError != "POST: 500 Internal Server Error" ||
		!all[0].NextAt.Equal(retry) || all[0].LeaseOwner != "" || !all[0].LeaseUntil.IsZero() {
		t.Errorf("after a failed attempt: %+v", all)
	}
	got, err = as.LeaseAlertDeliveries(ctx, "w2", retry.Add(-time.Second), time.Minute, 10)
	must(t, err)
	if len(got) != 0 {
		t.Error("a delivery was leased before its retry time")
	}
	got, err = as.LeaseAlertDeliveries(ctx, "w2", retry, time.Minute, 10)
	must(t, err)
	if len(got) != 1 || got[0].Attempts != 2 {
		t.Fatalf("lease after the retry time: %+v", got)
	}
	done := retry.Add(time.Second)
	must(t, as.FinishAlertDelivery(ctx, l.ID, "w2", done))
	all, err = as.FindAlertDeliveries(ctx, 0)
	must(t, err)
	if len(all) != 1 || all[0].Status != testigo.DeliveryDelivered || !all[0].DeliveredAt.Equal(done) ||
		all[0].Attempts != 2 || all[0].LastError != "" || all[0].LeaseOwner != "" {
		t.Errorf("after delivery: %+v", all)
	}
	wantUTC(t, "delivered", all[0].DeliveredAt)
	got, err = as.LeaseAlertDeliveries(ctx, "w3", done.Add(time.Hour), time.Minute, 10)
	must(t, err)
	if len(got) != 0 {
		t.Error("a delivered delivery was leased again")
	}

	// Giving up (zero retry) leaves it failed, never leased again.
	inc2 := newIncidents(t, st, 1)[0]
	d2 := &testigo.AlertDelivery{AlertID: a.ID, IncidentID: inc2.ID, LogIndex: -1, Payload: []byte(`{}`), NextAt: at}
	_, err = as.EnqueueAlertDelivery(ctx, d2)
	must(t, err)
	got, err = as.LeaseAlertDeliveries(ctx, "w1", done, time.Minute, 10)
	must(t, err)
	if len(got) != 1 || got[0].ID != d2.ID {
		t.Fatalf("lease of the second delivery: %+v", got)
	}
	must(t, as.FailAlertDelivery(ctx, d2.ID, "w1", time.Time{}, "refused to connect"))
	got, err = as.LeaseAlertDeliveries(ctx, "w1", done.Add(24*time.Hour), time.Minute, 10)
	must(t, err)
	if len(got) != 0 {
		t.Error("a failed delivery was leased again")
	}
	all, err = as.FindAlertDeliveries(ctx, a.ID)
	must(t, err)
	if len(all) != 2 || all[1].Status != testigo.DeliveryFailed || all[1].LastError != "refused to connect" {
		t.Errorf("after giving up: %+v", all)
	}
	other, err := as.FindAlertDeliveries(ctx, a.ID+100)
	must(t, err)
	if len(other) != 0 {
		t.Errorf("FindAlertDeliveries of another alert = %d deliveries", len(other))
	}
}

// testAlertDeliveryInTransaction checks that a delivery enqueued in a
// transaction that rolls back is gone with it, and one that commits stays:
// publication and its deliveries are one write.
func testAlertDeliveryInTransaction(t *testing.T, st testigo.Store, as testigo.AlertStore) {
	ctx := t.Context()
	a := &testigo.Alert{Name: "hook", WebhookURL: "https://hooks.example.org/", Secret: "k"}
	must(t, as.CreateAlert(ctx, a))
	incs := newIncidents(t, st, 2)
	boom := errors.New("boom")
	for i, fail := range []bool{true, false} {
		err := st.Transact(ctx, func(tx testigo.Store) error {
			txa, ok := tx.(testigo.AlertStore)
			if !ok {
				return fmt.Errorf("transaction %T does not implement testigo.AlertStore", tx)
			}
			if _, err := txa.EnqueueAlertDelivery(ctx, &testigo.AlertDelivery{AlertID: a.ID, IncidentID: incs[i].ID,
				Payload: []byte(`{}`), NextAt: at}); err != nil {
				return err
			}
			if fail {
				return boom
			}
			return nil
		})
		if fail && !errors.Is(err, boom) || !fail && err != nil {
			t.Fatalf("transaction %d: %v", i, err)
		}
	}
	all, err := as.FindAlertDeliveries(ctx, a.ID)
	must(t, err)
	if len(all) != 1 || all[0].IncidentID != incs[1].ID {
		t.Errorf("deliveries after a rolled back and a committed transaction: %+v", all)
	}
}

func testAlertDeliveryLeaseConcurrent(t *testing.T, st testigo.Store, as testigo.AlertStore) {
	ctx := t.Context()
	a := &testigo.Alert{Name: "hook", WebhookURL: "https://hooks.example.org/", Secret: "k"}
	must(t, as.CreateAlert(ctx, a))
	const n = 24
	for _, inc := range newIncidents(t, st, n) {
		_, err := as.EnqueueAlertDelivery(ctx, &testigo.AlertDelivery{AlertID: a.ID, IncidentID: inc.ID, Payload: []byte(`{}`), NextAt: at})
		must(t, err)
	}
	var (
		mu   sync.Mutex
		seen = map[testigo.AlertDeliveryID]string{}
		wg   sync.WaitGroup
	)
	for w := range 4 {
		wg.Go(func() {
			owner := fmt.Sprintf("w%d", w)
			for {
				got, err := as.LeaseAlertDeliveries(ctx, owner, at, time.Hour, 3)
				if err != nil {
					t.Errorf("%s: LeaseAlertDeliveries: %v", owner, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, d := range got {
					if prev, dup := seen[d.ID]; dup {
						t.Errorf("delivery %d leased by %s and %s", d.ID, prev, owner)
					}
					seen[d.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d deliveries leased, want %d", len(seen), n)
	}
}

func testAlertDeleteTakesDeliveries(t *testing.T, st testigo.Store, as testigo.AlertStore) {
	ctx := t.Context()
	a := &testigo.Alert{Name: "hook", WebhookURL: "https://hooks.example.org/", Secret: "k"}
	b := &testigo.Alert{Name: "other", WebhookURL: "https://hooks.example.org/", Secret: "k"}
	must(t, as.CreateAlert(ctx, a))
	must(t, as.CreateAlert(ctx, b))
	inc := newIncidents(t, st, 1)[0]
	for _, al := range []*testigo.Alert{a, b} {
		_, err := as.EnqueueAlertDelivery(ctx, &testigo.AlertDelivery{AlertID: al.ID, IncidentID: inc.ID, Payload: []byte(`{}`), NextAt: at})
		must(t, err)
	}
	got, err := as.LeaseAlertDeliveries(ctx, "w1", at, time.Minute, 1)
	must(t, err)
	if len(got) != 1 || got[0].AlertID != a.ID {
		t.Fatalf("lease: %+v", got)
	}
	must(t, as.DeleteAlert(ctx, a.ID))
	// The delivery in flight is gone with its alert.
	wantErr(t, as.FinishAlertDelivery(ctx, got[0].ID, "w1", at), testigo.ErrNotFound, "finish of a deleted alert's delivery")
	all, err := as.FindAlertDeliveries(ctx, 0)
	must(t, err)
	if len(all) != 1 || all[0].AlertID != b.ID {
		t.Errorf("deliveries after deleting alert %d: %+v", a.ID, all)
	}
}
