package alert_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/alert"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
)

// BenchmarkDeliver measures how fast one Deliverer sends queued webhook
// deliveries from SQLite to a local receiver: b.N deliveries, each leased,
// signed, POSTed and recorded.
func BenchmarkDeliver(b *testing.B) {
	st := sqlitetest.MustOpenTemp(b)
	var as testigo.AlertStore = st
	recv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer recv.Close()
	a := &testigo.Alert{Name: "hook", WebhookURL: recv.URL + "/hook", Secret: secret}
	if err := as.CreateAlert(b.Context(), a); err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		inc := &testigo.Incident{Title: fmt.Sprint(i), Type: testigo.TypeVesselStrike, Review: testigo.ReviewPublished}
		if err := st.CreateIncident(b.Context(), inc); err != nil {
			b.Fatal(err)
		}
		snap, err := alert.Snapshot(inc)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := as.EnqueueAlertDelivery(b.Context(), &testigo.AlertDelivery{AlertID: a.ID, IncidentID: inc.ID,
			LogIndex: -1, Payload: snap}); err != nil {
			b.Fatal(err)
		}
	}
	d := &alert.Deliverer{Store: as, Client: alert.NewClient(loopback)}
	b.ResetTimer()
	sum, err := d.RunOnce(b.Context())
	if err != nil || sum.Delivered != b.N {
		b.Fatalf("RunOnce = %+v, %v; want %d delivered", sum, err, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}
