package testigo

import "time"

// IncidentID identifies an Incident. IDs are stable: adding reports never
// renames an incident, and a merge keeps the older ID.
type IncidentID int64

// Grade is how well an incident is supported by its sources.
type Grade string

// The grades, from best to worst supported, after Airwars' scale.
const (
	GradeConfirmed  Grade = "confirmed"  // acknowledged by the actor or proven
	GradeFair       Grade = "fair"       // two or more independent credible sources
	GradeWeak       Grade = "weak"       // a single source
	GradeContested  Grade = "contested"  // sources disagree on whether it happened
	GradeDiscounted Grade = "discounted" // shown not to have happened as reported
)

// ReviewState is where an incident stands in analyst review.
type ReviewState string

// The review states. New incidents start as ReviewNew.
const (
	ReviewNew       ReviewState = "new"
	ReviewInReview  ReviewState = "in_review"
	ReviewPublished ReviewState = "published"
	ReviewRejected  ReviewState = "rejected"
)

// Valid reports whether s is a known review state.
func (s ReviewState) Valid() bool {
	switch s {
	case ReviewNew, ReviewInReview, ReviewPublished, ReviewRejected:
		return true
	}
	return false
}

// Incident is one real-world event as described by one or more reports. Its
// fields are derived from its reports by the cluster package; Derivation says
// how in words.
type Incident struct {
	ID    IncidentID
	Title string
	Type  EventType
	Date  string // YYYY-MM-DD, empty if unknown
	Place
	Killed      *Range
	Injured     *Range
	Grade       Grade
	GradeReason string
	// GradeSet is true once an analyst has set the grade; derivation then
	// keeps it.
	GradeSet    bool
	Derivation  string      // how the range and fields were derived from the reports
	Review      ReviewState // analyst review state
	MergedInto  IncidentID  // non-zero once merged into another incident
	Version     int         // incremented on every update, for optimistic locking
	ReportCount int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Assignee is the name of the user reviewing the incident; empty when
	// nobody is assigned.
	Assignee string
	// Overrides holds the values analysts set by hand, by field name (see
	// EditableFields). Deriving the incident from its reports applies them
	// last, so they stand until cleared. Nil when there are none.
	Overrides map[string]Override
}
