package testigo

import "time"

// AuditAction names a change to an incident.
type AuditAction string

// The audited actions.
const (
	ActionCreate AuditAction = "create" // incident created from a report
	ActionAttach AuditAction = "attach" // report attached to an incident
	ActionMerge  AuditAction = "merge"
	ActionSplit  AuditAction = "split"
	ActionGrade  AuditAction = "grade"
	ActionReview AuditAction = "review" // review state changed
	ActionEdit   AuditAction = "edit"   // a field set or cleared by an analyst
	ActionAssign AuditAction = "assign" // reviewer assigned or unassigned
)

// AuditEntryID identifies an AuditEntry.
type AuditEntryID int64

// AuditEntry records one change to an incident: who made it, when, what
// changed and why. Audit entries are append-only.
type AuditEntry struct {
	ID         AuditEntryID
	IncidentID IncidentID
	Actor      string // user name, or "testigo" for automatic changes
	Action     AuditAction
	Reason     string
	Before     string // JSON of the changed fields before, may be empty
	After      string // JSON of the changed fields after
	At         time.Time
}
