package alert

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/apijson"
)

// The webhook headers.
const (
	// HeaderSignature carries "sha256=" and the hex HMAC-SHA256 of the body
	// under the alert's secret.
	HeaderSignature = "X-Testigo-Signature"
	// HeaderTimestamp carries the body's sent_at in Unix seconds.
	HeaderTimestamp = "X-Testigo-Timestamp"
	// HeaderDelivery carries the delivery ID, the same on every retry.
	HeaderDelivery = "X-Testigo-Delivery"
)

// Snapshot returns inc as the API lists it, in JSON: what a delivery keeps
// of the incident as it was published.
func Snapshot(inc *testigo.Incident) ([]byte, error) {
	b, err := json.Marshal(apijson.FromIncident(inc))
	if err != nil {
		return nil, fmt.Errorf("snapshot of incident %d: %w", inc.ID, err)
	}
	return b, nil
}

// Payload is the JSON body of a webhook POST.
type Payload struct {
	Alert struct {
		ID   testigo.AlertID `json:"id"`
		Name string          `json:"name"`
	} `json:"alert"`
	DeliveryID  testigo.AlertDeliveryID `json:"delivery_id"`
	SentAt      time.Time               `json:"sent_at"`
	Incident    json.RawMessage         `json:"incident"`
	EvidenceURL string                  `json:"evidence_url"`
	LogIndex    int64                   `json:"log_index"`
}

// Body returns the webhook body of delivery d for alert a, sent at sentAt
// (kept to the second, as the timestamp header says it). baseURL prefixes
// the incident's page path in evidence_url.
func Body(a *testigo.Alert, d *testigo.AlertDelivery, baseURL string, sentAt time.Time) ([]byte, error) {
	var p Payload
	p.Alert.ID, p.Alert.Name = a.ID, a.Name
	p.DeliveryID, p.SentAt = d.ID, sentAt.UTC().Truncate(time.Second)
	p.Incident = json.RawMessage(d.Payload)
	p.EvidenceURL = fmt.Sprintf("%s/incidents/%d", strings.TrimSuffix(baseURL, "/"), d.IncidentID)
	p.LogIndex = d.LogIndex
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("body of delivery %d: %w", d.ID, err)
	}
	return b, nil
}

// Sign returns the X-Testigo-Signature value of body under secret:
// "sha256=" and the hex HMAC-SHA256.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
