package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlq"
)

// CreateReport stores r and sets its ID, and its CreatedAt when that is
// zero. A missing document or incident gives an error wrapping ErrNotFound;
// a second report with the same document and index one wrapping ErrConflict.
func (s *Store) CreateReport(ctx context.Context, r *testigo.Report) error {
	actors, err := json.Marshal(r.Actors)
	if err != nil {
		return fmt.Errorf("create report: %w", err)
	}
	attr, err := json.Marshal(r.Attribution)
	if err != nil {
		return fmt.Errorf("create report: %w", err)
	}
	ev, err := json.Marshal(r.Evidence)
	if err != nil {
		return fmt.Errorf("create report: %w", err)
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = nowUTC()
	}
	inc := sql.NullInt64{Int64: int64(r.IncidentID), Valid: r.IncidentID != 0}
	var id testigo.ReportID
	err = s.q.QueryRowContext(ctx, `INSERT INTO reports
		(document_id, idx, incident_id, type, date, country, admin1, admin2, location, lat, lon,
		 killed_min, killed_max, injured_min, injured_max, platform, modality, actors, attribution, evidence,
		 extractor_version, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
		RETURNING id`,
		r.DocumentID, r.Index, inc, r.Type, r.Date, r.Country, r.Admin1, r.Admin2, r.Location,
		nullFloat(r.Lat), nullFloat(r.Lon), nullInt(r.Killed, false), nullInt(r.Killed, true),
		nullInt(r.Injured, false), nullInt(r.Injured, true), r.Platform, r.Modality,
		string(actors), string(attr), string(ev), r.ExtractorVersion, fmtTime(r.CreatedAt)).Scan(&id)
	if err != nil {
		return fmt.Errorf("create report for document %d: %w", r.DocumentID, s.mapErr(err))
	}
	r.ID = id
	r.CreatedAt = r.CreatedAt.UTC()
	return nil
}

const reportCols = `id, document_id, idx, incident_id, type, date, country, admin1, admin2, location, lat, lon,
	killed_min, killed_max, injured_min, injured_max, platform, modality, actors, attribution, evidence,
	extractor_version, created_at`

func (s *Store) scanReport(sc scanner) (*testigo.Report, error) {
	var (
		r                         testigo.Report
		inc                       sql.NullInt64
		lat, lon                  sql.NullFloat64
		kmin, kmax, imin, imax    sql.NullInt64
		actors, attr, ev, created string
	)
	if err := sc.Scan(&r.ID, &r.DocumentID, &r.Index, &inc, &r.Type, &r.Date, &r.Country, &r.Admin1,
		&r.Admin2, &r.Location, &lat, &lon, &kmin, &kmax, &imin, &imax, &r.Platform, &r.Modality,
		&actors, &attr, &ev, &r.ExtractorVersion, &created); err != nil {
		return nil, s.mapErr(err)
	}
	r.IncidentID = testigo.IncidentID(inc.Int64)
	r.Lat, r.Lon = toFloat(lat), toFloat(lon)
	r.Killed, r.Injured = toRange(kmin, kmax), toRange(imin, imax)
	if err := json.Unmarshal([]byte(actors), &r.Actors); err != nil {
		return nil, fmt.Errorf("report %d actors: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(attr), &r.Attribution); err != nil {
		return nil, fmt.Errorf("report %d attribution: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(ev), &r.Evidence); err != nil {
		return nil, fmt.Errorf("report %d evidence: %w", r.ID, err)
	}
	t, err := parseTime(created)
	if err != nil {
		return nil, err
	}
	r.CreatedAt = t
	return &r, nil
}

// FindReport returns the report with the given ID, or an error wrapping
// ErrNotFound.
func (s *Store) FindReport(ctx context.Context, id testigo.ReportID) (*testigo.Report, error) {
	r, err := s.scanReport(s.q.QueryRowContext(ctx, `SELECT `+reportCols+` FROM reports WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("find report %d: %w", id, err)
	}
	return r, nil
}

// FindReports returns the reports matching f ordered by ID.
func (s *Store) FindReports(ctx context.Context, f testigo.ReportFilter) ([]*testigo.Report, error) {
	q := `SELECT ` + reportCols + ` FROM reports WHERE 1 = 1`
	var args []any
	if f.DocumentID != 0 {
		args = append(args, f.DocumentID)
		q += fmt.Sprintf(` AND document_id = $%d`, len(args))
	}
	if f.IncidentID != 0 {
		args = append(args, f.IncidentID)
		q += fmt.Sprintf(` AND incident_id = $%d`, len(args))
	}
	if f.IncidentIDs != nil {
		var list string
		args, list = sqlq.In(args, f.IncidentIDs)
		q += ` AND incident_id IN ` + list
	}
	if f.IncidentIDs == nil || f.Limit > 0 {
		// For a list of incidents the rows are sorted below: asked to
		// order by ID, SQLite walks the whole table in ID order rather
		// than looking each incident up.
		q += ` ORDER BY id`
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	out, err := queryAll(ctx, s, "find reports", s.scanReport, q, args...)
	if err == nil && f.IncidentIDs != nil {
		slices.SortFunc(out, func(a, b *testigo.Report) int { return cmp.Compare(a.ID, b.ID) })
	}
	return out, err
}

// AttachReport sets the incident of a report. It returns an error wrapping
// ErrNotFound if the report or the incident does not exist.
func (s *Store) AttachReport(ctx context.Context, id testigo.ReportID, incident testigo.IncidentID) error {
	res, err := s.q.ExecContext(ctx, `UPDATE reports SET incident_id = $1 WHERE id = $2`, incident, id)
	if err != nil {
		return fmt.Errorf("attach report %d to incident %d: %w", id, incident, s.mapErr(err))
	}
	return wantOneRow(res, fmt.Sprintf("attach report %d", id))
}
