// Package alert implements testigo's alerts: saved filters over published
// incidents. It checks an alert's fields (Validate), matches an incident
// against its filter (Match), writes its Atom feed through the exporter
// (WriteFeed), builds and signs the webhook body of a published incident
// (Snapshot, Body, Sign) and sends the queued webhook deliveries
// (Deliverer).
//
// # Webhooks
//
// When an analyst publishes an incident, the transaction that publishes it
// also queues one delivery per alert with a webhook whose filter the
// incident matches (internal/jobs.QueueAlerts); the incident as published is
// stored with the delivery. A Deliverer then POSTs to the alert's URL a JSON
// body
//
//	{"alert": {"id": 3, "name": "…"}, "delivery_id": 12, "sent_at": "RFC 3339",
//	 "incident": {…as GET /api/v1/incidents shows it…},
//	 "evidence_url": "BASE/incidents/7", "log_index": 42}
//
// with the headers X-Testigo-Delivery (the delivery ID, the same on every
// retry), X-Testigo-Timestamp (sent_at in Unix seconds) and
// X-Testigo-Signature: sha256=HEX, the hex HMAC-SHA256 of the exact body
// bytes under the alert's secret. Any 2xx answer delivers it; anything else
// is retried with exponential backoff until MaxAttempts, then the delivery
// is marked failed with its last error. Delivery is at least once: a
// receiver that sees a delivery ID again may ignore it.
package alert

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/exporter"
)

// Grades lists the grades an alert may filter on, best supported first.
var Grades = []testigo.Grade{testigo.GradeConfirmed, testigo.GradeFair, testigo.GradeWeak,
	testigo.GradeContested, testigo.GradeDiscounted}

// MinSecret is the shortest webhook secret accepted, in bytes.
const MinSecret = 16

// maxName and maxURL bound an alert's name and webhook URL.
const (
	maxName = 200
	maxURL  = 2048
)

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// Validate returns an error wrapping testigo.ErrInvalid that names the first
// bad field of a, and the values it may take when they are few.
func Validate(a *testigo.Alert) error {
	name := strings.TrimSpace(a.Name)
	switch {
	case name == "":
		return fmt.Errorf("%w: alert name is empty", testigo.ErrInvalid)
	case len(a.Name) > maxName:
		return fmt.Errorf("%w: alert name is %d bytes long, at most %d", testigo.ErrInvalid, len(a.Name), maxName)
	case name != a.Name:
		return fmt.Errorf("%w: alert name %q starts or ends with a space", testigo.ErrInvalid, a.Name)
	case strings.IndexFunc(a.Name, unicode.IsControl) >= 0:
		return fmt.Errorf("%w: alert name %q has a control character", testigo.ErrInvalid, a.Name)
	}
	if a.Country != "" && !countryCode.MatchString(a.Country) {
		return fmt.Errorf("%w: country %q is not an ISO 3166-1 alpha-2 code such as VE", testigo.ErrInvalid, a.Country)
	}
	if a.Type != "" && !a.Type.Valid() {
		return fmt.Errorf("%w: type %q is not one of %s", testigo.ErrInvalid, a.Type, join(testigo.EventTypes))
	}
	if a.Grade != "" && !ValidGrade(a.Grade) {
		return fmt.Errorf("%w: grade %q is not one of %s", testigo.ErrInvalid, a.Grade, join(Grades))
	}
	for _, d := range []struct{ name, v string }{{"since", a.Since}, {"until", a.Until}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(testigo.DateLayout, d.v); err != nil {
			return fmt.Errorf("%w: %s %q is not a date YYYY-MM-DD", testigo.ErrInvalid, d.name, d.v)
		}
	}
	if a.Since != "" && a.Until != "" && a.Since > a.Until {
		return fmt.Errorf("%w: since %s is after until %s", testigo.ErrInvalid, a.Since, a.Until)
	}
	if a.WebhookURL == "" {
		if a.Secret != "" {
			return fmt.Errorf("%w: a secret was given without a webhook URL", testigo.ErrInvalid)
		}
		return nil
	}
	if err := checkWebhookURL(a.WebhookURL); err != nil {
		return err
	}
	switch {
	case a.Secret == "":
		return fmt.Errorf("%w: a webhook needs a secret (the receiver checks the HMAC-SHA256 signature with it)", testigo.ErrInvalid)
	case len(a.Secret) < MinSecret:
		return fmt.Errorf("%w: the webhook secret is %d bytes long, at least %d", testigo.ErrInvalid, len(a.Secret), MinSecret)
	}
	return nil
}

// checkWebhookURL accepts absolute http and https URLs with a host.
func checkWebhookURL(s string) error {
	if len(s) > maxURL {
		return fmt.Errorf("%w: webhook URL is %d bytes long, at most %d", testigo.ErrInvalid, len(s), maxURL)
	}
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%w: webhook URL %q does not parse", testigo.ErrInvalid, s)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: webhook URL %q is not an http or https URL", testigo.ErrInvalid, s)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%w: webhook URL %q has no host", testigo.ErrInvalid, s)
	}
	return nil
}

// ValidGrade reports whether g is one of Grades.
func ValidGrade(g testigo.Grade) bool {
	for _, v := range Grades {
		if g == v {
			return true
		}
	}
	return false
}

func join[T ~string](vs []T) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = string(v)
	}
	return strings.Join(names, ", ")
}

// Match reports whether inc is a published incident (not merged away) that
// passes a's filter.
func Match(a *testigo.Alert, inc *testigo.Incident) bool {
	switch {
	case inc.Review != testigo.ReviewPublished, inc.MergedInto != 0:
		return false
	case a.Country != "" && inc.Country != a.Country:
		return false
	case a.Type != "" && inc.Type != a.Type:
		return false
	case a.Grade != "" && inc.Grade != a.Grade:
		return false
	case a.Since != "" && (inc.Date == "" || inc.Date < a.Since):
		return false
	case a.Until != "" && (inc.Date == "" || inc.Date > a.Until):
		return false
	}
	return true
}

// Filter returns a's filter as an export filter of published incidents.
func Filter(a *testigo.Alert) exporter.Filter {
	return exporter.Filter{Since: a.Since, Until: a.Until, Country: a.Country, Type: a.Type, Grade: a.Grade,
		Status: testigo.ReviewPublished}
}
