package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/testigo-project/testigo"
)

const alertCols = `id, name, country, type, grade, since_date, until_date, webhook_url, secret, created_at`

func (s *Store) scanAlert(row scanner) (*testigo.Alert, error) {
	var (
		a  testigo.Alert
		at string
	)
	if err := row.Scan(&a.ID, &a.Name, &a.Country, &a.Type, &a.Grade, &a.Since, &a.Until,
		&a.WebhookURL, &a.Secret, &at); err != nil {
		return nil, s.mapErr(err)
	}
	t, err := parseTime(at)
	if err != nil {
		return nil, err
	}
	a.CreatedAt = t
	return &a, nil
}

// CreateAlert stores a and sets its ID and CreatedAt.
func (s *Store) CreateAlert(ctx context.Context, a *testigo.Alert) error {
	at := nowUTC()
	var id testigo.AlertID
	err := s.q.QueryRowContext(ctx, `INSERT INTO alerts (name, country, type, grade, since_date, until_date,
		webhook_url, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		a.Name, a.Country, a.Type, a.Grade, a.Since, a.Until, a.WebhookURL, a.Secret, fmtTime(at)).Scan(&id)
	if err != nil {
		return fmt.Errorf("create alert %q: %w", a.Name, s.mapErr(err))
	}
	a.ID, a.CreatedAt = id, at
	return nil
}

// FindAlert returns the alert with the given ID.
func (s *Store) FindAlert(ctx context.Context, id testigo.AlertID) (*testigo.Alert, error) {
	a, err := s.scanAlert(s.q.QueryRowContext(ctx, `SELECT `+alertCols+` FROM alerts WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("find alert %d: %w", id, err)
	}
	return a, nil
}

// FindAlerts returns every alert ordered by ID.
func (s *Store) FindAlerts(ctx context.Context) ([]*testigo.Alert, error) {
	return queryAll(ctx, s, "find alerts", s.scanAlert, `SELECT `+alertCols+` FROM alerts ORDER BY id`)
}

// DeleteAlert removes the alert; its deliveries go with it (ON DELETE
// CASCADE).
func (s *Store) DeleteAlert(ctx context.Context, id testigo.AlertID) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM alerts WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete alert %d: %w", id, s.mapErr(err))
	}
	return wantOneRow(res, fmt.Sprintf("delete alert %d", id))
}

const deliveryCols = `id, alert_id, incident_id, log_index, payload, status, attempts, last_error, next_at,
	lease_owner, lease_until, created_at, delivered_at`

func (s *Store) scanDelivery(row scanner) (*testigo.AlertDelivery, error) {
	var (
		d                   testigo.AlertDelivery
		nextAt, leaseUntil  int64
		created, deliveredA string
	)
	if err := row.Scan(&d.ID, &d.AlertID, &d.IncidentID, &d.LogIndex, &d.Payload, &d.Status, &d.Attempts,
		&d.LastError, &nextAt, &d.LeaseOwner, &leaseUntil, &created, &deliveredA); err != nil {
		return nil, s.mapErr(err)
	}
	d.NextAt, d.LeaseUntil = fromUnixNano(nextAt), fromUnixNano(leaseUntil)
	var err error
	if d.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if d.DeliveredAt, err = parseTime(deliveredA); err != nil {
		return nil, err
	}
	return &d, nil
}

// EnqueueAlertDelivery stores d as pending unless its alert already has a
// delivery for the incident.
func (s *Store) EnqueueAlertDelivery(ctx context.Context, d *testigo.AlertDelivery) (bool, error) {
	created := nowUTC()
	var id testigo.AlertDeliveryID
	err := s.q.QueryRowContext(ctx, `INSERT INTO alert_deliveries (alert_id, incident_id, log_index, payload,
		status, next_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (alert_id, incident_id) DO NOTHING RETURNING id`,
		d.AlertID, d.IncidentID, d.LogIndex, d.Payload, testigo.DeliveryPending, unixNano(d.NextAt),
		fmtTime(created)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("enqueue delivery of incident %d for alert %d: %w", d.IncidentID, d.AlertID, s.mapErr(err))
	}
	d.ID, d.CreatedAt, d.Status = id, created, testigo.DeliveryPending
	d.NextAt = fromUnixNano(unixNano(d.NextAt))
	return true, nil
}

// LeaseAlertDeliveries claims up to n due pending deliveries, earliest
// first, as LeaseJobs claims jobs, so two callers never receive the same
// delivery: on PostgreSQL the subquery locks the chosen rows FOR UPDATE
// SKIP LOCKED (the dialect's LeaseLock), so callers also never wait for
// each other; SQLite serialises writers and the claim is one
// UPDATE … RETURNING.
func (s *Store) LeaseAlertDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration,
	n int) ([]*testigo.AlertDelivery, error) {
	if n <= 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, s, "lease alert deliveries", s.scanDelivery, `UPDATE alert_deliveries SET lease_owner = $1, lease_until = $2,
		attempts = attempts + 1
		WHERE id IN (SELECT id FROM alert_deliveries WHERE status = 'pending' AND next_at <= $3
			AND lease_until <= $3 ORDER BY next_at, id LIMIT $4 `+s.d.LeaseLock+`)
		RETURNING `+deliveryCols, owner, unixNano(now.Add(lease)), unixNano(now), n)
	if err != nil {
		return nil, err
	}
	sortDeliveries(out)
	return out, nil
}

// FinishAlertDelivery marks owner's delivery delivered at at.
func (s *Store) FinishAlertDelivery(ctx context.Context, id testigo.AlertDeliveryID, owner string, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE alert_deliveries SET status = $1, delivered_at = $2, last_error = '',
		lease_owner = '', lease_until = 0 WHERE id = $3 AND lease_owner = $4`,
		testigo.DeliveryDelivered, fmtTime(at), id, owner)
	if err != nil {
		return fmt.Errorf("finish alert delivery %d: %w", id, s.mapErr(err))
	}
	return s.leaseHeld(ctx, res, "alert_deliveries", "alert delivery", int64(id), owner, "finish")
}

// FailAlertDelivery ends owner's lease, records msg and makes the delivery
// due again at retry, or failed for good when retry is zero.
func (s *Store) FailAlertDelivery(ctx context.Context, id testigo.AlertDeliveryID, owner string, retry time.Time, msg string) error {
	status := testigo.DeliveryPending
	if retry.IsZero() {
		status = testigo.DeliveryFailed
	}
	res, err := s.q.ExecContext(ctx, `UPDATE alert_deliveries SET status = $1, next_at = $2, last_error = $3,
		lease_owner = '', lease_until = 0 WHERE id = $4 AND lease_owner = $5`,
		status, unixNano(retry), msg, id, owner)
	if err != nil {
		return fmt.Errorf("fail alert delivery %d: %w", id, s.mapErr(err))
	}
	return s.leaseHeld(ctx, res, "alert_deliveries", "alert delivery", int64(id), owner, "fail")
}

// FindAlertDeliveries returns the deliveries of alert id (every alert's
// for 0) ordered by ID.
func (s *Store) FindAlertDeliveries(ctx context.Context, id testigo.AlertID) ([]*testigo.AlertDelivery, error) {
	return queryAll(ctx, s, "find alert deliveries", s.scanDelivery, `SELECT `+deliveryCols+` FROM alert_deliveries
		WHERE CAST($1 AS BIGINT) = 0 OR alert_id = $1 ORDER BY id`, id)
}

// sortDeliveries orders leased deliveries by due time, then ID: RETURNING
// gives rows in no particular order.
func sortDeliveries(ds []*testigo.AlertDelivery) {
	slices.SortFunc(ds, func(a, b *testigo.AlertDelivery) int {
		if c := a.NextAt.Compare(b.NextAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
