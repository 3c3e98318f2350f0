package testigo

import (
	"context"
	"time"
)

// AlertID identifies an Alert.
type AlertID int64

// Alert is a saved filter over published incidents. Each alert has an Atom
// feed of the published incidents it matches and, when WebhookURL is set,
// a signed POST to that URL whenever a matching incident is published.
// Empty filter fields do not filter.
type Alert struct {
	ID      AlertID
	Name    string    // unique, chosen by whoever made the alert
	Country string    // ISO 3166-1 alpha-2
	Type    EventType //
	Grade   Grade     //
	Since   string    // YYYY-MM-DD, inclusive; excludes undated incidents
	Until   string    // YYYY-MM-DD, inclusive; excludes undated incidents
	// WebhookURL, when set, is an http(s) URL that receives one POST per
	// matching incident published.
	WebhookURL string
	// Secret is the HMAC-SHA256 key that signs each webhook body. It is
	// required with a WebhookURL and is never shown once stored.
	Secret    string
	CreatedAt time.Time
}

// AlertDeliveryID identifies an AlertDelivery.
type AlertDeliveryID int64

// DeliveryStatus is where a webhook delivery stands.
type DeliveryStatus string

// The delivery states. A delivery is pending until the receiver answers
// 2xx (delivered) or the retries run out (failed).
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliveryDelivered DeliveryStatus = "delivered"
	DeliveryFailed    DeliveryStatus = "failed"
)

// AlertDelivery is one webhook POST owed for one alert and one published
// incident. It is stored in the transaction that publishes the incident,
// so a publication never loses its deliveries, and it works like a Job: a
// deliverer leases it, sends it and records the outcome; a deliverer that
// dies lets its lease expire and another sends it again.
type AlertDelivery struct {
	ID         AlertDeliveryID
	AlertID    AlertID
	IncidentID IncidentID
	// LogIndex is the transparency-log entry that committed to the
	// incident as published; -1 if there was none.
	LogIndex int64
	// Payload is the incident as published (JSON), the body's core.
	Payload     []byte
	Status      DeliveryStatus
	Attempts    int       // leases so far
	LastError   string    // why the last attempt failed
	NextAt      time.Time // when the next attempt is due
	LeaseOwner  string    // empty when not leased
	LeaseUntil  time.Time // zero when not leased
	CreatedAt   time.Time
	DeliveredAt time.Time // zero until delivered
}

// AlertStore keeps alerts and the queue of their webhook deliveries. Like
// UserStore it is separate from Store; a Store whose transactions also
// implement AlertStore gets deliveries queued when incidents are published.
// Implementations map a missing row to an error wrapping ErrNotFound and a
// duplicate name to one wrapping ErrConflict.
type AlertStore interface {
	// CreateAlert stores a and sets its ID and CreatedAt. It returns
	// ErrConflict if an alert with that name exists.
	CreateAlert(ctx context.Context, a *Alert) error
	// FindAlert returns the alert with the given ID, or ErrNotFound.
	FindAlert(ctx context.Context, id AlertID) (*Alert, error)
	// FindAlerts returns every alert ordered by ID.
	FindAlerts(ctx context.Context) ([]*Alert, error)
	// DeleteAlert removes the alert and its deliveries. It returns
	// ErrNotFound if there is no such alert.
	DeleteAlert(ctx context.Context, id AlertID) error

	// EnqueueAlertDelivery stores d as pending, due at d.NextAt, and sets
	// its ID and CreatedAt, unless the alert already has a delivery for
	// that incident, in which case it changes nothing and returns false.
	// It returns ErrNotFound if the alert or the incident does not exist.
	EnqueueAlertDelivery(ctx context.Context, d *AlertDelivery) (bool, error)
	// LeaseAlertDeliveries claims up to n pending deliveries due at now,
	// earliest first: each gets owner, a lease until now+lease and one more
	// attempt. Two concurrent callers never receive the same delivery.
	LeaseAlertDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, n int) ([]*AlertDelivery, error)
	// FinishAlertDelivery marks the delivery that owner holds delivered at
	// at. It returns ErrConflict if owner no longer holds the lease and
	// ErrNotFound if the delivery is gone.
	FinishAlertDelivery(ctx context.Context, id AlertDeliveryID, owner string, at time.Time) error
	// FailAlertDelivery ends owner's lease on the delivery and records msg:
	// the delivery is due again at retry, or failed for good when retry is
	// zero. Errors as for FinishAlertDelivery.
	FailAlertDelivery(ctx context.Context, id AlertDeliveryID, owner string, retry time.Time, msg string) error
	// FindAlertDeliveries returns the deliveries of an alert (of every
	// alert when id is 0) ordered by ID.
	FindAlertDeliveries(ctx context.Context, id AlertID) ([]*AlertDelivery, error)
}
