package alert

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/fetch"
)

// Deliverer sends the queued webhook deliveries. Run it in one goroutine
// per process (serve and worker do); several processes on one database
// share the queue through its leases. Zero fields take the defaults.
type Deliverer struct {
	Store testigo.AlertStore
	// Client sends the POSTs; nil means NewClient(nil), which refuses
	// every non-public address.
	Client *http.Client
	// BaseURL prefixes evidence_url in the bodies, as in exports.
	BaseURL string
	// Owner names this deliverer in leases; default host:pid:random.
	Owner string
	// Lease is how long a delivery belongs to this deliverer; default 2
	// minutes, which must exceed the client's timeout.
	Lease time.Duration
	// Poll is how often the queue is read; default 5 s.
	Poll time.Duration
	// Batch is how many deliveries are leased, and sent at once, per read;
	// default 4.
	Batch int
	// MaxAttempts is how many attempts a delivery gets before it is
	// marked failed; default 10.
	MaxAttempts int
	// RetryBase is the wait after the first failed attempt, doubled after
	// each further one up to RetryMax; defaults 30 s and 6 h.
	RetryBase time.Duration
	RetryMax  time.Duration
	Now       func() time.Time
	Log       *slog.Logger
}

// NewClient returns the HTTP client of webhooks: internal/fetch's guarded
// dialer, which refuses loopback, private, link-local, metadata and other
// non-public addresses after DNS resolution unless allow lists them, a
// 30-second limit per POST, and no redirects followed (a 3xx is a failed
// attempt).
func NewClient(allow []netip.Prefix) *http.Client {
	c := *fetch.New(fetch.Config{AllowNets: allow, HeaderTimeout: 20 * time.Second, BodyTimeout: 30 * time.Second}).Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

func (d *Deliverer) defaults() error {
	if d.Store == nil {
		return errors.New("alert deliverer: no store")
	}
	if d.Client == nil {
		d.Client = NewClient(nil)
	}
	if d.Owner == "" {
		host, _ := os.Hostname() // only a label; empty is fine
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return fmt.Errorf("alert deliverer: %w", err)
		}
		d.Owner = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	if d.Lease <= 0 {
		d.Lease = 2 * time.Minute
	}
	if d.Poll <= 0 {
		d.Poll = 5 * time.Second
	}
	if d.Batch <= 0 {
		d.Batch = 4
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 10
	}
	if d.RetryBase <= 0 {
		d.RetryBase = 30 * time.Second
	}
	if d.RetryMax <= 0 {
		d.RetryMax = 6 * time.Hour
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Run sends due deliveries every Poll until ctx is done, then returns nil.
// A failing store is logged and tried again at the next poll.
func (d *Deliverer) Run(ctx context.Context) error {
	if err := d.defaults(); err != nil {
		return err
	}
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	for {
		if _, err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("alert deliveries", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Summary counts what one RunOnce did.
type Summary struct {
	Delivered, Retried, Failed int
}

// RunOnce leases the deliveries due now, Batch at a time, and sends them,
// until none is due. The goroutines it starts end before it returns.
func (d *Deliverer) RunOnce(ctx context.Context) (Summary, error) {
	var sum Summary
	if err := d.defaults(); err != nil {
		return sum, err
	}
	for ctx.Err() == nil {
		due, err := d.Store.LeaseAlertDeliveries(ctx, d.Owner, d.Now(), d.Lease, d.Batch)
		if err != nil {
			return sum, err
		}
		if len(due) == 0 {
			return sum, nil
		}
		var (
			mu   sync.Mutex
			wg   sync.WaitGroup
			errs []error
		)
		for _, dl := range due {
			wg.Go(func() {
				outcome, err := d.deliver(ctx, dl)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				}
				switch outcome {
				case testigo.DeliveryDelivered:
					sum.Delivered++
				case testigo.DeliveryPending:
					sum.Retried++
				case testigo.DeliveryFailed:
					sum.Failed++
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

// errPermanent marks a failed attempt that retrying cannot fix.
var errPermanent = errors.New("permanent")

// deliver sends one leased delivery and records the outcome. It returns the
// delivery's new status ("" when it recorded nothing) and an error only
// when the store fails; a failed POST is an outcome, not an error.
func (d *Deliverer) deliver(ctx context.Context, dl *testigo.AlertDelivery) (testigo.DeliveryStatus, error) {
	a, err := d.Store.FindAlert(ctx, dl.AlertID)
	if errors.Is(err, testigo.ErrNotFound) {
		return "", nil // the alert was removed, and its deliveries with it
	}
	if err != nil {
		return "", fmt.Errorf("deliver %d: %w", dl.ID, err)
	}
	err = d.post(ctx, a, dl)
	if err != nil && ctx.Err() != nil {
		// Shutting down: the lease expires and the delivery is retried.
		return "", nil
	}
	// The outcome is recorded even if ctx ends meanwhile, so that a POST
	// the receiver accepted is not sent again; a store that hangs still
	// gives up after a while.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var rerr error
	outcome := testigo.DeliveryDelivered
	switch {
	case err == nil:
		rerr = d.Store.FinishAlertDelivery(ctx, dl.ID, d.Owner, d.Now().UTC())
		d.Log.Info("alert delivered", "alert", a.ID, "incident", dl.IncidentID, "delivery", dl.ID, "attempt", dl.Attempts)
	case errors.Is(err, errPermanent) || dl.Attempts >= d.MaxAttempts:
		outcome = testigo.DeliveryFailed
		rerr = d.Store.FailAlertDelivery(ctx, dl.ID, d.Owner, time.Time{}, err.Error())
		d.Log.Warn("alert delivery failed for good", "alert", a.ID, "incident", dl.IncidentID, "delivery", dl.ID,
			"attempt", dl.Attempts, "err", err)
	default:
		outcome = testigo.DeliveryPending
		retry := d.Now().Add(d.backoff(dl.Attempts))
		rerr = d.Store.FailAlertDelivery(ctx, dl.ID, d.Owner, retry, err.Error())
		d.Log.Warn("alert delivery failed; will retry", "alert", a.ID, "incident", dl.IncidentID, "delivery", dl.ID,
			"attempt", dl.Attempts, "retry_at", retry, "err", err)
	}
	if errors.Is(rerr, testigo.ErrNotFound) {
		return "", nil // removed with its alert meanwhile
	}
	if rerr != nil {
		return "", fmt.Errorf("deliver %d: %w", dl.ID, rerr)
	}
	return outcome, nil
}

// backoff is the wait after the attempt-th failed attempt.
func (d *Deliverer) backoff(attempt int) time.Duration {
	w := d.RetryBase
	for i := 1; i < attempt && w < d.RetryMax; i++ {
		w *= 2
	}
	return min(w, d.RetryMax)
}

// post sends the signed body of dl to a's webhook. Its errors name the
// webhook's host, never the whole URL, which may hold a token.
func (d *Deliverer) post(ctx context.Context, a *testigo.Alert, dl *testigo.AlertDelivery) error {
	u, err := url.Parse(a.WebhookURL)
	if err != nil || a.WebhookURL == "" || a.Secret == "" {
		return fmt.Errorf("%w: alert %d has no usable webhook URL and secret", errPermanent, a.ID)
	}
	where := "webhook " + u.Host
	sent := d.Now()
	body, err := Body(a, dl, d.BaseURL, sent)
	if err != nil {
		return fmt.Errorf("%w: %v", errPermanent, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errPermanent, where, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "testigo/"+testigo.Version+" (alert webhook)")
	req.Header.Set(HeaderDelivery, strconv.FormatInt(int64(dl.ID), 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(sent.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(a.Secret, body))
	resp, err := d.Client.Do(req)
	if err != nil {
		if errors.Is(err, fetch.ErrBlockedAddress) {
			var be *fetch.BlockedError
			if errors.As(err, &be) {
				return fmt.Errorf("%w: %s: refused to connect to %s (%s address)", errPermanent, where, be.IP, be.Reason)
			}
			return fmt.Errorf("%w: %s: address not allowed", errPermanent, where)
		}
		return fmt.Errorf("%s: %v", where, unwrapURLError(err))
	}
	// Read a little of the answer so the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // the answer's body means nothing
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s answered %s", where, resp.Status)
	}
	return nil
}

// unwrapURLError drops the *url.Error wrapper, whose message repeats the
// whole URL.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
