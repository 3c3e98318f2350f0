package testigo

import "context"

// IncidentCursor is a position in the incident listing, which is ordered by
// date (newest first, unknown dates last) and then by ID descending.
type IncidentCursor struct {
	Date string
	ID   IncidentID
}

// IncidentFilter selects incidents. Empty fields do not filter.
type IncidentFilter struct {
	Country string      // ISO 3166-1 alpha-2
	Type    EventType   //
	Since   string      // YYYY-MM-DD, inclusive; excludes undated incidents
	Until   string      // YYYY-MM-DD, inclusive; excludes undated incidents
	Review  ReviewState //
	Limit   int         // at most this many; 0 means no limit
	After   *IncidentCursor
	// IncludeMerged includes incidents that were merged into others.
	IncludeMerged bool
	// Assignee, when set, keeps the incidents assigned to the user of
	// that name.
	Assignee string

	// Countries, Admin1s and Types, when not nil, keep the incidents whose
	// country, first-level unit or type is one of the values given; an
	// empty value among them keeps the incidents that leave the field
	// empty. Admin2, when set, keeps the incidents in that municipality.
	// Names are compared exactly. The attach step uses these to read one
	// cluster block with one indexed query.
	Countries []string
	Admin1s   []string
	Admin2    string
	Types     []EventType
}

// ReportFilter selects reports. Zero fields do not filter.
type ReportFilter struct {
	DocumentID DocumentID
	IncidentID IncidentID
	// IncidentIDs, when not nil, keeps the reports of these incidents: one
	// lookup for a page of incidents.
	IncidentIDs []IncidentID
	Limit       int
}

// DocumentFilter selects documents, newest first.
type DocumentFilter struct {
	Limit  int
	Before DocumentID // only documents with smaller IDs; 0 means from the newest
	// IDs, when not nil, keeps these documents: one lookup for the
	// documents of a page of reports.
	IDs []DocumentID
	// WithoutText leaves Text empty, for callers that need only the
	// metadata of many documents.
	WithoutText bool
}

// Store keeps sources, documents, reports, incidents and their audit trail.
// Implementations map a missing row to an error wrapping ErrNotFound and a
// unique-key violation or a stale version to one wrapping ErrConflict.
type Store interface {
	// Transact runs fn with a Store bound to one transaction. The transaction
	// commits if fn returns nil and rolls back otherwise.
	Transact(ctx context.Context, fn func(tx Store) error) error

	// CreateSource stores s and sets its ID and CreatedAt.
	CreateSource(ctx context.Context, s *Source) error
	// FindSource returns the source with the given ID, or ErrNotFound.
	FindSource(ctx context.Context, id SourceID) (*Source, error)
	// FindSourceByURL returns the source of that kind and URL, or ErrNotFound.
	FindSourceByURL(ctx context.Context, kind SourceKind, url string) (*Source, error)
	// FindSources returns every source ordered by ID, removed ones excluded.
	FindSources(ctx context.Context) ([]*Source, error)
	// UpdateSource stores the configurable fields of s (name, language,
	// interval, tags, paused, removed). It returns ErrNotFound for a missing
	// source.
	UpdateSource(ctx context.Context, s *Source) error
	// FindSourceState returns what watching the source has learnt; a source
	// never fetched has a zero state (with SourceID set), not ErrNotFound.
	FindSourceState(ctx context.Context, id SourceID) (*SourceState, error)
	// SaveSourceState stores st, replacing the source's previous state.
	SaveSourceState(ctx context.Context, st *SourceState) error
	// AddSourceItem records a captured item. It returns ErrConflict if the
	// source already has an item with that key.
	AddSourceItem(ctx context.Context, it *SourceItem) error
	// FindSourceItem returns the source's item with that key, or ErrNotFound.
	FindSourceItem(ctx context.Context, id SourceID, key string) (*SourceItem, error)

	// CreateDocument stores d and sets its ID. It returns ErrConflict if a
	// document with the same SHA256 exists.
	CreateDocument(ctx context.Context, d *Document) error
	// FindDocument returns the document with the given ID, or ErrNotFound.
	FindDocument(ctx context.Context, id DocumentID) (*Document, error)
	// FindDocumentByDigest returns the document with that digest, or ErrNotFound.
	FindDocumentByDigest(ctx context.Context, d Digest) (*Document, error)
	// FindDocuments returns documents, newest first.
	FindDocuments(ctx context.Context, f DocumentFilter) ([]*Document, error)

	// CreateReport stores r and sets its ID and CreatedAt. It returns
	// ErrNotFound if its document does not exist.
	CreateReport(ctx context.Context, r *Report) error
	// FindReport returns the report with the given ID, or ErrNotFound.
	FindReport(ctx context.Context, id ReportID) (*Report, error)
	// FindReports returns reports ordered by ID.
	FindReports(ctx context.Context, f ReportFilter) ([]*Report, error)
	// AttachReport sets the incident of a report. It returns ErrNotFound if
	// the report or the incident does not exist.
	AttachReport(ctx context.Context, id ReportID, incident IncidentID) error

	// CreateIncident stores inc, sets its ID, CreatedAt and UpdatedAt and sets
	// its Version to 1.
	CreateIncident(ctx context.Context, inc *Incident) error
	// FindIncident returns the incident with the given ID, or ErrNotFound.
	FindIncident(ctx context.Context, id IncidentID) (*Incident, error)
	// FindIncidents returns the incidents matching f in listing order.
	FindIncidents(ctx context.Context, f IncidentFilter) ([]*Incident, error)
	// UpdateIncident stores inc if inc.Version is the stored version, then
	// increments inc.Version and sets UpdatedAt. It returns ErrConflict if the
	// stored version differs and ErrNotFound if there is no such incident.
	UpdateIncident(ctx context.Context, inc *Incident) error

	// AddAuditEntry appends e to the audit trail and sets its ID.
	AddAuditEntry(ctx context.Context, e *AuditEntry) error
	// FindAuditEntries returns the audit trail of an incident, oldest first.
	FindAuditEntries(ctx context.Context, id IncidentID) ([]*AuditEntry, error)

	// LogStore holds the transparency log.
	LogStore
	// JobQueue holds the background jobs.
	JobQueue

	// Close releases the store's resources.
	Close() error
}
