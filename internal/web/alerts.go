package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/alert"
)

// Alerts: a public Atom feed per alert, and admin-only endpoints to create,
// list and delete alerts with an API token. The store must implement
// testigo.AlertStore; without it every alert route answers 404.

// alertJSON is an alert as the API shows it. The webhook secret is never
// shown; has_secret says that there is one.
type alertJSON struct {
	ID         testigo.AlertID   `json:"id"`
	Name       string            `json:"name"`
	Country    string            `json:"country"`
	Type       testigo.EventType `json:"type"`
	Grade      testigo.Grade     `json:"grade"`
	Since      string            `json:"since"`
	Until      string            `json:"until"`
	WebhookURL string            `json:"webhook_url"`
	HasSecret  bool              `json:"has_secret"`
	FeedURL    string            `json:"feed_url"`
	CreatedAt  time.Time         `json:"created_at"`
}

func toAlertJSON(a *testigo.Alert) alertJSON {
	return alertJSON{ID: a.ID, Name: a.Name, Country: a.Country, Type: a.Type, Grade: a.Grade,
		Since: a.Since, Until: a.Until, WebhookURL: a.WebhookURL, HasSecret: a.Secret != "",
		FeedURL: fmt.Sprintf("/api/v1/alerts/%d/feed.atom", a.ID), CreatedAt: a.CreatedAt}
}

// alertListJSON is the body of GET /api/v1/alerts.
type alertListJSON struct {
	Alerts []alertJSON `json:"alerts"`
}

// alertBody is the body of POST /api/v1/alerts.
type alertBody struct {
	Name       string `json:"name"`
	Country    string `json:"country"`
	Type       string `json:"type"`
	Grade      string `json:"grade"`
	Since      string `json:"since"`
	Until      string `json:"until"`
	WebhookURL string `json:"webhook_url"`
	Secret     string `json:"secret"`
}

// alertStore returns the store's alerts, or ErrNotFound when it keeps none.
func (h *handler) alertStore() (testigo.AlertStore, error) {
	as, ok := h.Store.(testigo.AlertStore)
	if !ok {
		return nil, fmt.Errorf("%w: this server keeps no alerts", testigo.ErrNotFound)
	}
	return as, nil
}

// alertID reads the alert ID of an alert route.
func alertID(r *http.Request) (testigo.AlertID, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return 0, fmt.Errorf("alert %w", err)
	}
	return testigo.AlertID(id), nil
}

// requireAdmin lets fn run only for an API token of an enabled admin.
func (h *handler) requireAdmin(fn writeFunc) writeFunc {
	return func(w http.ResponseWriter, r *http.Request, actor string) error {
		if h.Users == nil {
			return fmt.Errorf("%w: managing alerts needs user accounts on this server", errForbidden)
		}
		u, err := h.Users.FindUser(r.Context(), actor)
		if errors.Is(err, testigo.ErrNotFound) {
			return fmt.Errorf("%w: the token's user %q is not an admin", errForbidden, actor)
		}
		if err != nil {
			return fmt.Errorf("find user %q: %w", actor, err)
		}
		if u.Disabled || !u.Role.Allows(testigo.RoleAdmin) {
			return fmt.Errorf("%w: managing alerts needs an admin's API token; %s is %s", errForbidden, u.Name, u.Role)
		}
		return fn(w, r, actor)
	}
}

// alertFeed answers the Atom feed of the published incidents an alert
// matches. Links are paths (/incidents/N), which feed readers resolve
// against the feed's own URL.
func (h *handler) alertFeed(w http.ResponseWriter, r *http.Request) error {
	id, err := alertID(r)
	if err != nil {
		return err
	}
	as, err := h.alertStore()
	if err != nil {
		return err
	}
	a, err := as.FindAlert(r.Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := alert.WriteFeed(r.Context(), h.Store, &buf, a, "", h.Now); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes()) // the client may be gone; nothing to do about it
	return nil
}

// listAlerts answers every alert, for admins.
func (h *handler) listAlerts(w http.ResponseWriter, r *http.Request, _ string) error {
	as, err := h.alertStore()
	if err != nil {
		return err
	}
	alerts, err := as.FindAlerts(r.Context())
	if err != nil {
		return err
	}
	out := alertListJSON{Alerts: make([]alertJSON, 0, len(alerts))}
	for _, a := range alerts {
		out.Alerts = append(out.Alerts, toAlertJSON(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// createAlert stores a new alert, for admins: 201 with the alert and its
// Location.
func (h *handler) createAlert(w http.ResponseWriter, r *http.Request, _ string) error {
	as, err := h.alertStore()
	if err != nil {
		return err
	}
	var b alertBody
	if err := decodeAPIBody(r, &b); err != nil {
		return err
	}
	a := &testigo.Alert{Name: b.Name, Country: strings.ToUpper(b.Country), Type: testigo.EventType(b.Type),
		Grade: testigo.Grade(b.Grade), Since: b.Since, Until: b.Until, WebhookURL: b.WebhookURL, Secret: b.Secret}
	if err := alert.Validate(a); err != nil {
		return fmt.Errorf("%w: body: %s", testigo.ErrInvalid, strings.TrimPrefix(err.Error(), testigo.ErrInvalid.Error()+": "))
	}
	if err := as.CreateAlert(r.Context(), a); err != nil {
		if errors.Is(err, testigo.ErrConflict) {
			return fmt.Errorf("%w: an alert named %q exists already", testigo.ErrConflict, a.Name)
		}
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/alerts/%d", a.ID))
	writeJSON(w, http.StatusCreated, toAlertJSON(a))
	return nil
}

// deleteAlert removes an alert and its pending deliveries, for admins: 204.
func (h *handler) deleteAlert(w http.ResponseWriter, r *http.Request, _ string) error {
	id, err := alertID(r)
	if err != nil {
		return err
	}
	as, err := h.alertStore()
	if err != nil {
		return err
	}
	if err := as.DeleteAlert(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
