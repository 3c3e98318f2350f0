package alert_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/alert"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/pg/pgtest"
	"github.com/testigo-project/testigo/internal/review"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/translog"
)

// backends are the real stores the end-to-end tests run on; PostgreSQL
// only when TESTIGO_TEST_POSTGRES is set.
var backends = []struct {
	name string
	open func(tb testing.TB) testigo.Store
}{
	{"sqlite", func(tb testing.TB) testigo.Store { return sqlitetest.MustOpenTemp(tb) }},
	{"postgres", func(tb testing.TB) testigo.Store { return pgtest.MustOpen(tb) }},
}

// loopback lets the webhook client reach httptest servers, as an operator
// would allow with --allow-net.
var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// hit is one request a receiver got and what it answered.
type hit struct {
	header http.Header
	body   []byte
	status int
}

// receiver is a webhook endpoint on an httptest server. It answers the
// statuses in order, then 200 to everything.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	hits     []hit
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			t.Errorf("receiver: read body: %v", err)
		}
		r.mu.Lock()
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		if req.Method != http.MethodPost {
			status = http.StatusMethodNotAllowed
		}
		r.hits = append(r.hits, hit{header: req.Header.Clone(), body: body, status: status})
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hit(nil), r.hits...)
}

// newIncident stores a new (unpublished) incident.
func newIncident(t *testing.T, st testigo.Store, country string, typ testigo.EventType) *testigo.Incident {
	t.Helper()
	inc := &testigo.Incident{Title: "Strike on a boat off " + country, Type: typ, Date: "2025-11-03",
		Place: testigo.Place{Country: country}, Grade: testigo.GradeWeak, Review: testigo.ReviewNew,
		Killed: &testigo.Range{Min: 3, Max: 4}}
	if err := st.CreateIncident(t.Context(), inc); err != nil {
		t.Fatal(err)
	}
	return inc
}

// setReview moves an incident to a review state through jobs.SetReview, in
// one transaction, as the CLI, the API and the review pages do.
func setReview(t *testing.T, st testigo.Store, id testigo.IncidentID, to testigo.ReviewState) {
	t.Helper()
	ctx := t.Context()
	err := st.Transact(ctx, func(tx testigo.Store) error {
		_, err := jobs.SetReview(ctx, tx, id, 0, to, review.Request{Actor: "ana", Reason: "checked", At: time.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func mustCreate(t *testing.T, as testigo.AlertStore, alerts ...*testigo.Alert) {
	t.Helper()
	for _, a := range alerts {
		if err := alert.Validate(a); err != nil {
			t.Fatal(err)
		}
		if err := as.CreateAlert(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestWebhookEndToEnd publishes an incident and checks that the matching
// alert's webhook receiver gets it exactly once, signed, after a first
// attempt it answered with 500.
func TestWebhookEndToEnd(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			if b.name == "postgres" {
				pgtest.DSN(t)
			}
			ctx := t.Context()
			st := b.open(t)
			as := st.(testigo.AlertStore)
			recv := newReceiver(t, http.StatusInternalServerError)
			sea := &testigo.Alert{Name: "strikes at sea", Type: testigo.TypeVesselStrike,
				WebhookURL: recv.URL + "/hook?token=abc", Secret: secret}
			colombia := &testigo.Alert{Name: "Colombia", Country: "CO", WebhookURL: recv.URL + "/co", Secret: secret}
			feedOnly := &testigo.Alert{Name: "Venezuela feed", Country: "VE"}
			mustCreate(t, as, sea, colombia, feedOnly)

			inc := newIncident(t, st, "VE", testigo.TypeVesselStrike)
			setReview(t, st, inc.ID, testigo.ReviewInReview) // not a publication: nothing queued
			if ds, err := as.FindAlertDeliveries(ctx, 0); err != nil || len(ds) != 0 {
				t.Fatalf("deliveries before publication: %v, %v", ds, err)
			}
			setReview(t, st, inc.ID, testigo.ReviewPublished)
			queued, err := as.FindAlertDeliveries(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(queued) != 1 || queued[0].AlertID != sea.ID || queued[0].IncidentID != inc.ID {
				t.Fatalf("deliveries after publication: %+v, want one for alert %d", queued, sea.ID)
			}
			es, err := st.FindLogEntriesBySubject(ctx, translog.IncidentSubject(inc.ID))
			if err != nil || len(es) == 0 {
				t.Fatalf("log entries of incident %d: %v, %v", inc.ID, es, err)
			}
			publishedAt := es[len(es)-1].Index
			if queued[0].LogIndex != publishedAt {
				t.Errorf("delivery names log entry %d, want %d (the publication)", queued[0].LogIndex, publishedAt)
			}

			d := &alert.Deliverer{Store: as, Client: alert.NewClient(loopback), BaseURL: "https://testigo.example.org/",
				Poll: 10 * time.Millisecond, RetryBase: 20 * time.Millisecond, Log: testLogger(t)}
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- d.Run(runCtx) }()
			deadline := time.Now().Add(15 * time.Second)
			var final *testigo.AlertDelivery
			for time.Now().Before(deadline) {
				ds, err := as.FindAlertDeliveries(ctx, sea.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(ds) == 1 && ds[0].Status == testigo.DeliveryDelivered {
					final = ds[0]
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			// A few more polls, to see that nothing is sent again.
			time.Sleep(60 * time.Millisecond)
			stop()
			if err := <-done; err != nil {
				t.Errorf("Run = %v", err)
			}
			if final == nil {
				t.Fatalf("the delivery was not delivered in time; receiver got %d requests", len(recv.got()))
			}
			if final.Attempts != 2 || final.LastError != "" || final.DeliveredAt.IsZero() {
				t.Errorf("delivered: %+v, want 2 attempts, no error and a delivery time", final)
			}

			hits := recv.got()
			if len(hits) != 2 || hits[0].status != 500 || hits[1].status != 200 {
				var st []int
				for _, h := range hits {
					st = append(st, h.status)
				}
				t.Fatalf("receiver answered %v, want [500 200]", st)
			}
			for i, h := range hits {
				if !verify(secret, h.body, h.header.Get("X-Testigo-Signature")) {
					t.Errorf("request %d: signature %q does not verify", i, h.header.Get("X-Testigo-Signature"))
				}
				if verify("another secret of 16+ bytes", h.body, h.header.Get("X-Testigo-Signature")) {
					t.Errorf("request %d: signature verifies under another secret", i)
				}
				if got := h.header.Get("X-Testigo-Delivery"); got != strconv.FormatInt(int64(final.ID), 10) {
					t.Errorf("request %d: X-Testigo-Delivery %q, want %d", i, got, final.ID)
				}
				if ct := h.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("request %d: Content-Type %q", i, ct)
				}
				var p struct {
					Alert struct {
						ID   testigo.AlertID `json:"id"`
						Name string          `json:"name"`
					} `json:"alert"`
					DeliveryID  testigo.AlertDeliveryID `json:"delivery_id"`
					SentAt      time.Time               `json:"sent_at"`
					Incident    map[string]any          `json:"incident"`
					EvidenceURL string                  `json:"evidence_url"`
					LogIndex    int64                   `json:"log_index"`
				}
				if err := json.Unmarshal(h.body, &p); err != nil {
					t.Fatalf("request %d: body is not JSON: %v", i, err)
				}
				ts, err := strconv.ParseInt(h.header.Get("X-Testigo-Timestamp"), 10, 64)
				if err != nil || ts != p.SentAt.Unix() {
					t.Errorf("request %d: X-Testigo-Timestamp %q, body sent_at %v", i, h.header.Get("X-Testigo-Timestamp"), p.SentAt)
				}
				if since := time.Since(p.SentAt); since < -time.Second || since > time.Minute {
					t.Errorf("request %d: sent_at %v is not now", i, p.SentAt)
				}
				wantURL := "https://testigo.example.org/incidents/" + strconv.FormatInt(int64(inc.ID), 10)
				if p.Alert.ID != sea.ID || p.Alert.Name != sea.Name || p.DeliveryID != final.ID ||
					p.EvidenceURL != wantURL || p.LogIndex != publishedAt {
					t.Errorf("request %d: body %s", i, h.body)
				}
				if p.Incident["id"] != float64(inc.ID) || p.Incident["review"] != "published" ||
					p.Incident["country"] != "VE" || p.Incident["type"] != "vessel_strike" || p.Incident["title"] != inc.Title {
					t.Errorf("request %d: incident %v", i, p.Incident)
				}
			}

			// Reopened and published again: the alert has had this incident.
			setReview(t, st, inc.ID, testigo.ReviewInReview)
			setReview(t, st, inc.ID, testigo.ReviewPublished)
			if ds, err := as.FindAlertDeliveries(ctx, 0); err != nil || len(ds) != 1 {
				t.Errorf("deliveries after publishing again: %d, %v; want still 1", len(ds), err)
			}

			// A publication that rolls back queues nothing.
			other := newIncident(t, st, "VE", testigo.TypeVesselStrike)
			boom := errors.New("boom")
			err = st.Transact(ctx, func(tx testigo.Store) error {
				if _, err := jobs.SetReview(ctx, tx, other.ID, 0, testigo.ReviewPublished,
					review.Request{Actor: "ana", At: time.Now()}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("rolled back publication: %v", err)
			}
			if ds, err := as.FindAlertDeliveries(ctx, 0); err != nil || len(ds) != 1 {
				t.Errorf("deliveries after a rolled back publication: %d, %v; want still 1", len(ds), err)
			}
			sum, err := d.RunOnce(ctx)
			if err != nil || sum != (alert.Summary{}) || len(recv.got()) != 2 {
				t.Errorf("RunOnce with nothing due = %+v, %v; receiver has %d requests", sum, err, len(recv.got()))
			}
		})
	}
}

// queueOne stores an alert with a webhook at url and publishes a matching
// incident, which queues one delivery.
func queueOne(t *testing.T, st testigo.Store, url string) (testigo.AlertStore, *testigo.Alert) {
	t.Helper()
	as := st.(testigo.AlertStore)
	a := &testigo.Alert{Name: "hook", WebhookURL: url, Secret: secret}
	mustCreate(t, as, a)
	inc := newIncident(t, st, "VE", testigo.TypeVesselStrike)
	setReview(t, st, inc.ID, testigo.ReviewPublished)
	return as, a
}

// TestWebhookLoopbackRefused checks the SSRF guard: without an allowed
// range, a webhook on a loopback address is refused, never retried, and
// the receiver sees nothing.
func TestWebhookLoopbackRefused(t *testing.T) {
	st := sqlitetest.MustOpenTemp(t)
	recv := newReceiver(t)
	as, a := queueOne(t, st, recv.URL+"/hook")
	d := &alert.Deliverer{Store: as, RetryBase: time.Millisecond}
	sum, err := d.RunOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := as.FindAlertDeliveries(t.Context(), a.ID)
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries: %v, %v", ds, err)
	}
	if sum.Failed != 1 || ds[0].Status != testigo.DeliveryFailed || ds[0].Attempts != 1 ||
		!strings.Contains(ds[0].LastError, "loopback") {
		t.Errorf("RunOnce = %+v; delivery %+v; want failed for good on the first attempt, naming loopback", sum, ds[0])
	}
	if strings.Contains(ds[0].LastError, "/hook") {
		t.Errorf("last error %q shows the webhook's path", ds[0].LastError)
	}
	if n := len(recv.got()); n != 0 {
		t.Errorf("receiver got %d requests through the guard", n)
	}
}

// TestWebhookGivesUp checks that a receiver that always fails gets
// MaxAttempts attempts, with backoff between them, and then no more.
func TestWebhookGivesUp(t *testing.T) {
	st := sqlitetest.MustOpenTemp(t)
	recv := newReceiver(t, 503, 503, 503, 503, 503)
	as, a := queueOne(t, st, recv.URL+"/hook")
	d := &alert.Deliverer{Store: as, Client: alert.NewClient(loopback), MaxAttempts: 3,
		RetryBase: 30 * time.Millisecond, Log: testLogger(t)}
	ctx := t.Context()
	sum, err := d.RunOnce(ctx)
	if err != nil || sum.Retried != 1 || len(recv.got()) != 1 {
		t.Fatalf("first RunOnce = %+v, %v; receiver has %d requests", sum, err, len(recv.got()))
	}
	// The retry is not due yet.
	if sum, err := d.RunOnce(ctx); err != nil || sum != (alert.Summary{}) {
		t.Errorf("RunOnce before the backoff ended = %+v, %v", sum, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ds, err := as.FindAlertDeliveries(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ds[0].Status == testigo.DeliveryFailed {
			break
		}
		time.Sleep(20 * time.Millisecond)
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := as.FindAlertDeliveries(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ds[0].Status != testigo.DeliveryFailed || ds[0].Attempts != 3 || !strings.Contains(ds[0].LastError, "503") {
		t.Errorf("after giving up: %+v", ds[0])
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := d.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(recv.got()); n != 3 {
		t.Errorf("receiver got %d requests, want 3 (MaxAttempts)", n)
	}
}
