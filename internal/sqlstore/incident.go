package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlq"
)

// CreateIncident stores inc, sets its ID, sets Version to 1 and UpdatedAt to
// CreatedAt, which it sets to now when zero. An empty Review becomes
// ReviewNew.
func (s *Store) CreateIncident(ctx context.Context, inc *testigo.Incident) error {
	now := nowUTC()
	if inc.CreatedAt.IsZero() {
		inc.CreatedAt = now
	}
	inc.UpdatedAt = inc.CreatedAt
	inc.Version = 1
	if inc.Review == "" {
		inc.Review = testigo.ReviewNew
	}
	overrides, err := encodeOverrides(inc.Overrides)
	if err != nil {
		return fmt.Errorf("create incident: %w", err)
	}
	var id testigo.IncidentID
	err = s.q.QueryRowContext(ctx, `INSERT INTO incidents
		(title, type, date, country, admin1, admin2, location, lat, lon, killed_min, killed_max,
		 injured_min, injured_max, grade, grade_reason, derivation, review, merged_into, version,
		 report_count, created_at, updated_at, grade_set, assignee, overrides)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
		RETURNING id`,
		inc.Title, inc.Type, inc.Date, inc.Country, inc.Admin1, inc.Admin2, inc.Location,
		nullFloat(inc.Lat), nullFloat(inc.Lon), nullInt(inc.Killed, false), nullInt(inc.Killed, true),
		nullInt(inc.Injured, false), nullInt(inc.Injured, true), inc.Grade, inc.GradeReason, inc.Derivation,
		inc.Review, inc.MergedInto, inc.Version, inc.ReportCount, fmtTime(inc.CreatedAt), fmtTime(inc.UpdatedAt), inc.GradeSet,
		inc.Assignee, overrides).Scan(&id)
	if err != nil {
		return fmt.Errorf("create incident: %w", s.mapErr(err))
	}
	inc.ID = id
	inc.CreatedAt, inc.UpdatedAt = inc.CreatedAt.UTC(), inc.UpdatedAt.UTC()
	return nil
}

const incidentCols = `id, title, type, date, country, admin1, admin2, location, lat, lon, killed_min, killed_max,
	injured_min, injured_max, grade, grade_reason, derivation, review, merged_into, version, report_count,
	created_at, updated_at, grade_set, assignee, overrides`

func (s *Store) scanIncident(sc scanner) (*testigo.Incident, error) {
	var (
		inc                    testigo.Incident
		lat, lon               sql.NullFloat64
		kmin, kmax, imin, imax sql.NullInt64
		created, updated       string
		overrides              string
	)
	if err := sc.Scan(&inc.ID, &inc.Title, &inc.Type, &inc.Date, &inc.Country, &inc.Admin1, &inc.Admin2,
		&inc.Location, &lat, &lon, &kmin, &kmax, &imin, &imax, &inc.Grade, &inc.GradeReason, &inc.Derivation,
		&inc.Review, &inc.MergedInto, &inc.Version, &inc.ReportCount, &created, &updated, &inc.GradeSet,
		&inc.Assignee, &overrides); err != nil {
		return nil, s.mapErr(err)
	}
	inc.Lat, inc.Lon = toFloat(lat), toFloat(lon)
	inc.Killed, inc.Injured = toRange(kmin, kmax), toRange(imin, imax)
	var err error
	if inc.Overrides, err = decodeOverrides(overrides); err != nil {
		return nil, fmt.Errorf("incident %d: %w", inc.ID, err)
	}
	if inc.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if inc.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &inc, nil
}

// FindIncident returns the incident with the given ID, or an error wrapping
// ErrNotFound.
func (s *Store) FindIncident(ctx context.Context, id testigo.IncidentID) (*testigo.Incident, error) {
	inc, err := s.scanIncident(s.q.QueryRowContext(ctx, `SELECT `+incidentCols+` FROM incidents WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("find incident %d: %w", id, err)
	}
	return inc, nil
}

// FindIncidents returns the incidents matching f, ordered by date (newest
// first, undated last) and then by ID descending.
func (s *Store) FindIncidents(ctx context.Context, f testigo.IncidentFilter) ([]*testigo.Incident, error) {
	q, args := sqlq.Incidents(incidentCols, f)
	return queryAll(ctx, s, "find incidents", s.scanIncident, q, args...)
}

// UpdateIncident stores inc if its Version is the stored one, then
// increments Version and sets UpdatedAt. It returns an error wrapping
// ErrConflict if the stored version differs and one wrapping ErrNotFound if
// there is no such incident; inc is then unchanged.
func (s *Store) UpdateIncident(ctx context.Context, inc *testigo.Incident) error {
	updated := nowUTC()
	overrides, err := encodeOverrides(inc.Overrides)
	if err != nil {
		return fmt.Errorf("update incident %d: %w", inc.ID, err)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE incidents SET
		title = $1, type = $2, date = $3, country = $4, admin1 = $5, admin2 = $6, location = $7, lat = $8, lon = $9,
		killed_min = $10, killed_max = $11, injured_min = $12, injured_max = $13, grade = $14, grade_reason = $15,
		derivation = $16, review = $17, merged_into = $18, report_count = $19, updated_at = $20, grade_set = $23,
		assignee = $24, overrides = $25, version = version + 1
		WHERE id = $21 AND version = $22`,
		inc.Title, inc.Type, inc.Date, inc.Country, inc.Admin1, inc.Admin2, inc.Location,
		nullFloat(inc.Lat), nullFloat(inc.Lon), nullInt(inc.Killed, false), nullInt(inc.Killed, true),
		nullInt(inc.Injured, false), nullInt(inc.Injured, true), inc.Grade, inc.GradeReason, inc.Derivation,
		inc.Review, inc.MergedInto, inc.ReportCount, fmtTime(updated), inc.ID, inc.Version, inc.GradeSet,
		inc.Assignee, overrides)
	if err != nil {
		return fmt.Errorf("update incident %d: %w", inc.ID, s.mapErr(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update incident %d: %w", inc.ID, err)
	}
	if n == 0 {
		var version int
		err := s.q.QueryRowContext(ctx, `SELECT version FROM incidents WHERE id = $1`, inc.ID).Scan(&version)
		if err != nil {
			return fmt.Errorf("update incident %d: %w", inc.ID, s.mapErr(err))
		}
		return fmt.Errorf("%w: incident %d is at version %d, not %d", testigo.ErrConflict, inc.ID, version, inc.Version)
	}
	inc.Version++
	inc.UpdatedAt = updated
	return nil
}

// encodeOverrides returns the text of an incident's overrides column: a
// JSON object of field name to override, or empty when there are none.
// Times are written in UTC, as every stored time is.
func encodeOverrides(m map[string]testigo.Override) (string, error) {
	if len(m) == 0 {
		return "", nil
	}
	utc := make(map[string]testigo.Override, len(m))
	for f, o := range m {
		o.At = o.At.UTC()
		utc[f] = o
	}
	b, err := json.Marshal(utc)
	if err != nil {
		return "", fmt.Errorf("encode overrides: %w", err)
	}
	return string(b), nil
}

// decodeOverrides reads an overrides column; empty gives nil.
func decodeOverrides(s string) (map[string]testigo.Override, error) {
	if s == "" {
		return nil, nil
	}
	var m map[string]testigo.Override
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("decode overrides: %w", err)
	}
	if len(m) == 0 {
		return nil, nil
	}
	for f, o := range m {
		o.At = o.At.UTC()
		m[f] = o
	}
	return m, nil
}
