package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
)

// CreateSource stores src and sets its ID, and its CreatedAt when that is
// zero. A second source of the same kind and URL gives ErrConflict.
func (s *Store) CreateSource(ctx context.Context, src *testigo.Source) error {
	tags, err := json.Marshal(src.Tags)
	if err != nil {
		return fmt.Errorf("create source: %w", err)
	}
	if src.CreatedAt.IsZero() {
		src.CreatedAt = nowUTC()
	}
	res, err := s.q.ExecContext(ctx, `INSERT INTO sources (kind, url, name, lang, every_ns, tags, paused, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		src.Kind, src.URL, src.Name, src.Lang, int64(src.Every), string(tags), src.Paused, fmtTime(src.CreatedAt))
	if err != nil {
		return fmt.Errorf("create source %s: %w", src.URL, mapErr(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("create source %s: %w", src.URL, err)
	}
	src.ID = testigo.SourceID(id)
	src.CreatedAt = src.CreatedAt.UTC()
	return nil
}

const sourceCols = `id, kind, url, name, lang, every_ns, tags, paused, created_at`

func scanSource(sc interface{ Scan(...any) error }) (*testigo.Source, error) {
	var (
		src     testigo.Source
		every   int64
		tags    string
		created string
	)
	if err := sc.Scan(&src.ID, &src.Kind, &src.URL, &src.Name, &src.Lang, &every, &tags, &src.Paused, &created); err != nil {
		return nil, mapErr(err)
	}
	src.Every = time.Duration(every)
	if err := json.Unmarshal([]byte(tags), &src.Tags); err != nil {
		return nil, fmt.Errorf("source %d tags: %w", src.ID, err)
	}
	t, err := parseTime(created)
	if err != nil {
		return nil, err
	}
	src.CreatedAt = t
	return &src, nil
}

// FindSource returns the source with the given ID, or an error wrapping
// ErrNotFound.
func (s *Store) FindSource(ctx context.Context, id testigo.SourceID) (*testigo.Source, error) {
	src, err := scanSource(s.q.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("find source %d: %w", id, err)
	}
	return src, nil
}

// FindSourceByURL returns the source of that kind and URL, or an error
// wrapping ErrNotFound.
func (s *Store) FindSourceByURL(ctx context.Context, kind testigo.SourceKind, u string) (*testigo.Source, error) {
	src, err := scanSource(s.q.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE kind = $1 AND url = $2`, kind, u))
	if err != nil {
		return nil, fmt.Errorf("find %s source %s: %w", kind, u, err)
	}
	return src, nil
}

// FindSources returns every source ordered by ID.
func (s *Store) FindSources(ctx context.Context) ([]*testigo.Source, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+sourceCols+` FROM sources ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find sources: %w", err)
	}
	defer rows.Close()
	var out []*testigo.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("find sources: %w", err)
		}
		out = append(out, src)
	}
	return out, closeRows(rows, "find sources")
}

func closeRows(rows *sql.Rows, what string) error {
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
