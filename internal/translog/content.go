package translog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
)

// Subjects name what a log entry is about.
func DocumentSubject(id testigo.DocumentID) string { return fmt.Sprintf("document:%d", id) }

// ReportSubject names a report as a log subject.
func ReportSubject(id testigo.ReportID) string { return fmt.Sprintf("report:%d", id) }

// IncidentSubject names an incident as a log subject.
func IncidentSubject(id testigo.IncidentID) string { return fmt.Sprintf("incident:%d", id) }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// captureContent is what a capture entry records about a document: the
// digest of its raw bytes and its capture metadata, including a digest of the
// readable text the extractor read.
type captureContent struct {
	Subject     string `json:"subject"`
	SHA256      string `json:"sha256"`
	URL         string `json:"url"`
	Name        string `json:"name"`
	FetchedAt   string `json:"fetched_at"`
	Published   string `json:"published"`
	ContentType string `json:"content_type"`
	Lang        string `json:"lang"`
	Size        int64  `json:"size"`
	TextSHA256  string `json:"text_sha256"`
	Tool        string `json:"tool"`
	// Capture is the digest of the archived capture record (HTTP and TLS
	// metadata) of a web capture; omitted for documents given by hand.
	Capture string `json:"capture_sha256,omitempty"`
}

// CaptureContent returns the canonical content of a document's capture entry.
func CaptureContent(d *testigo.Document) []byte {
	return mustJSON(captureContent{
		Subject: DocumentSubject(d.ID), SHA256: string(d.SHA256), URL: d.URL, Name: d.Name,
		FetchedAt: timeText(d.FetchedAt), Published: timeText(d.Published), ContentType: d.ContentType,
		Lang: d.Lang, Size: d.Size, TextSHA256: sha256Hex([]byte(d.Text)), Tool: "testigo",
		Capture: string(d.Capture),
	})
}

// extractionContent is what an extraction entry records about a report.
type extractionContent struct {
	Subject      string `json:"subject"`
	Document     string `json:"document_sha256"`
	Index        int    `json:"index"`
	Extractor    string `json:"extractor"`
	ReportSHA256 string `json:"report_sha256"`
}

// ExtractionContent returns the canonical content of a report's extraction
// entry; doc is the document the report was read from.
func ExtractionContent(r *testigo.Report, doc testigo.Digest) []byte {
	return mustJSON(extractionContent{
		Subject: ReportSubject(r.ID), Document: string(doc), Index: r.Index,
		Extractor: r.ExtractorVersion, ReportSHA256: sha256Hex(mustJSON(r.Event)),
	})
}

// incidentState is the part of an incident that its log entries commit to.
type incidentState struct {
	Type        testigo.EventType   `json:"type"`
	Date        string              `json:"date"`
	Place       testigo.Place       `json:"place"`
	Killed      *testigo.Range      `json:"killed"`
	Injured     *testigo.Range      `json:"injured"`
	Grade       testigo.Grade       `json:"grade"`
	GradeReason string              `json:"grade_reason"`
	GradeSet    bool                `json:"grade_set"`
	Review      testigo.ReviewState `json:"review"`
	MergedInto  testigo.IncidentID  `json:"merged_into"`
	Reports     int                 `json:"report_count"`
	Version     int                 `json:"version"`
	// Assignee and Overrides are left out when empty, so that the state
	// of an incident nobody assigned or edited hashes as it did before
	// they existed.
	Assignee  string            `json:"assignee,omitempty"`
	Overrides map[string]string `json:"overrides,omitempty"` // field → the analyst's value
}

// incidentContent is what an incident entry records about a change.
type incidentContent struct {
	Subject     string `json:"subject"`
	Action      string `json:"action"`
	Actor       string `json:"actor"`
	Reason      string `json:"reason"`
	StateSHA256 string `json:"state_sha256"`
}

// IncidentState returns the canonical JSON of the incident fields that the
// log commits to and the audit trail shows before and after a change. Of an
// analyst's overrides it commits to the values; who set them and why are
// in the change entries.
func IncidentState(inc *testigo.Incident) []byte {
	var overrides map[string]string
	if len(inc.Overrides) > 0 {
		overrides = make(map[string]string, len(inc.Overrides))
		for f, o := range inc.Overrides {
			overrides[f] = o.Value
		}
	}
	return mustJSON(incidentState{
		Type: inc.Type, Date: inc.Date, Place: inc.Place, Killed: inc.Killed, Injured: inc.Injured,
		Grade: inc.Grade, GradeReason: inc.GradeReason, GradeSet: inc.GradeSet, Review: inc.Review, MergedInto: inc.MergedInto,
		Reports: inc.ReportCount, Version: inc.Version, Assignee: inc.Assignee, Overrides: overrides,
	})
}

// IncidentStateHash returns the digest of an incident's logged state.
func IncidentStateHash(inc *testigo.Incident) string {
	return sha256Hex(IncidentState(inc))
}

// IncidentContent returns the canonical content of an incident-change entry
// for the incident as it stands after the change.
func IncidentContent(inc *testigo.Incident, e *testigo.AuditEntry) []byte {
	return mustJSON(incidentContent{
		Subject: IncidentSubject(inc.ID), Action: string(e.Action), Actor: e.Actor, Reason: e.Reason,
		StateSHA256: IncidentStateHash(inc),
	})
}

// IncidentStateOf reads the state digest back out of an incident entry's
// content.
func IncidentStateOf(content []byte) (string, error) {
	var c incidentContent
	if err := json.Unmarshal(content, &c); err != nil {
		return "", fmt.Errorf("incident entry content: %w", err)
	}
	return c.StateSHA256, nil
}

// mustJSON marshals v canonically. Values here are plain structs; the only
// way marshalling fails is a NaN or infinite coordinate, which is then
// written in Go syntax so that the result stays deterministic.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(fmt.Sprintf("%#v", v))
	}
	return b
}
