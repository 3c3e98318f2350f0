package sqlstore

import (
	"context"
	"fmt"

	"github.com/testigo-project/testigo"
)

// AddAuditEntry appends e to the audit trail and sets its ID (and At, when
// it is zero).
func (s *Store) AddAuditEntry(ctx context.Context, e *testigo.AuditEntry) error {
	if e.At.IsZero() {
		e.At = nowUTC()
	}
	err := s.q.QueryRowContext(ctx, `INSERT INTO audit_entries (incident_id, actor, action, reason, before, after, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		e.IncidentID, e.Actor, e.Action, e.Reason, e.Before, e.After, fmtTime(e.At)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("add audit entry for incident %d: %w", e.IncidentID, s.mapErr(err))
	}
	e.At = e.At.UTC()
	return nil
}

// FindAuditEntries returns the audit trail of an incident, oldest first.
func (s *Store) FindAuditEntries(ctx context.Context, id testigo.IncidentID) ([]*testigo.AuditEntry, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, incident_id, actor, action, reason, before, after, at
		FROM audit_entries WHERE incident_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("find audit entries of incident %d: %w", id, err)
	}
	defer rows.Close()
	var out []*testigo.AuditEntry
	for rows.Next() {
		var (
			e  testigo.AuditEntry
			at string
		)
		if err := rows.Scan(&e.ID, &e.IncidentID, &e.Actor, &e.Action, &e.Reason, &e.Before, &e.After, &at); err != nil {
			return nil, fmt.Errorf("find audit entries of incident %d: %w", id, err)
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, closeRows(rows, "find audit entries")
}
