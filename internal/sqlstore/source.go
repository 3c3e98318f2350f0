package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
	var id testigo.SourceID
	err = s.q.QueryRowContext(ctx, `INSERT INTO sources (kind, url, name, lang, every_ns, tags, paused, removed, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		src.Kind, src.URL, src.Name, src.Lang, int64(src.Every), string(tags), src.Paused, src.Removed, fmtTime(src.CreatedAt)).Scan(&id)
	if err != nil {
		return fmt.Errorf("create source %s: %w", src.URL, s.mapErr(err))
	}
	src.ID = id
	src.CreatedAt = src.CreatedAt.UTC()
	return nil
}

const sourceCols = `id, kind, url, name, lang, every_ns, tags, paused, removed, created_at`

func (s *Store) scanSource(sc scanner) (*testigo.Source, error) {
	var (
		src     testigo.Source
		every   int64
		tags    string
		created string
	)
	if err := sc.Scan(&src.ID, &src.Kind, &src.URL, &src.Name, &src.Lang, &every, &tags, &src.Paused, &src.Removed, &created); err != nil {
		return nil, s.mapErr(err)
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
	src, err := s.scanSource(s.q.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("find source %d: %w", id, err)
	}
	return src, nil
}

// FindSourceByURL returns the source of that kind and URL, or an error
// wrapping ErrNotFound.
func (s *Store) FindSourceByURL(ctx context.Context, kind testigo.SourceKind, u string) (*testigo.Source, error) {
	src, err := s.scanSource(s.q.QueryRowContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE kind = $1 AND url = $2`, kind, u))
	if err != nil {
		return nil, fmt.Errorf("find %s source %s: %w", kind, u, err)
	}
	return src, nil
}

// FindSources returns every source that is not removed, ordered by ID.
func (s *Store) FindSources(ctx context.Context) ([]*testigo.Source, error) {
	return queryAll(ctx, s, "find sources", s.scanSource, `SELECT `+sourceCols+` FROM sources WHERE NOT removed ORDER BY id`)
}

// UpdateSource stores the configurable fields of src. It returns an error
// wrapping ErrNotFound for a missing source.
func (s *Store) UpdateSource(ctx context.Context, src *testigo.Source) error {
	tags, err := json.Marshal(src.Tags)
	if err != nil {
		return fmt.Errorf("update source %d: %w", src.ID, err)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE sources SET name = $1, lang = $2, every_ns = $3, tags = $4,
		paused = $5, removed = $6 WHERE id = $7`,
		src.Name, src.Lang, int64(src.Every), string(tags), src.Paused, src.Removed, src.ID)
	if err != nil {
		return fmt.Errorf("update source %d: %w", src.ID, s.mapErr(err))
	}
	return wantOneRow(res, fmt.Sprintf("update source %d", src.ID))
}

// FindSourceState returns what watching the source has learnt; a source
// never fetched has a zero state.
func (s *Store) FindSourceState(ctx context.Context, id testigo.SourceID) (*testigo.SourceState, error) {
	st := testigo.SourceState{SourceID: id}
	var fetched, success string
	err := s.q.QueryRowContext(ctx, `SELECT etag, last_modified, last_fetch_at, last_success_at, last_error, failures, items
		FROM source_states WHERE source_id = $1`, id).
		Scan(&st.ETag, &st.LastModified, &fetched, &success, &st.LastError, &st.Failures, &st.Items)
	if errors.Is(err, sql.ErrNoRows) {
		return &st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find state of source %d: %w", id, s.mapErr(err))
	}
	if st.LastFetchAt, err = parseTime(fetched); err != nil {
		return nil, fmt.Errorf("find state of source %d: %w", id, err)
	}
	if st.LastSuccessAt, err = parseTime(success); err != nil {
		return nil, fmt.Errorf("find state of source %d: %w", id, err)
	}
	return &st, nil
}

// SaveSourceState stores st, replacing the source's previous state.
func (s *Store) SaveSourceState(ctx context.Context, st *testigo.SourceState) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO source_states
		(source_id, etag, last_modified, last_fetch_at, last_success_at, last_error, failures, items)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (source_id) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
		last_fetch_at = excluded.last_fetch_at, last_success_at = excluded.last_success_at,
		last_error = excluded.last_error, failures = excluded.failures, items = excluded.items`,
		st.SourceID, st.ETag, st.LastModified, fmtTime(st.LastFetchAt), fmtTime(st.LastSuccessAt),
		st.LastError, st.Failures, st.Items)
	if err != nil {
		return fmt.Errorf("save state of source %d: %w", st.SourceID, s.mapErr(err))
	}
	return nil
}

// AddSourceItem records a captured item. A second item with the same key
// gives ErrConflict.
func (s *Store) AddSourceItem(ctx context.Context, it *testigo.SourceItem) error {
	if it.SeenAt.IsZero() {
		it.SeenAt = nowUTC()
	}
	doc := sql.NullInt64{Int64: int64(it.DocumentID), Valid: it.DocumentID != 0}
	_, err := s.q.ExecContext(ctx, `INSERT INTO source_items (source_id, key, url, document_id, seen_at)
		VALUES ($1, $2, $3, $4, $5)`, it.SourceID, it.Key, it.URL, doc, fmtTime(it.SeenAt))
	if err != nil {
		return fmt.Errorf("add item %q of source %d: %w", it.Key, it.SourceID, s.mapErr(err))
	}
	it.SeenAt = it.SeenAt.UTC()
	return nil
}

// FindSourceItem returns the source's item with that key, or an error
// wrapping ErrNotFound.
func (s *Store) FindSourceItem(ctx context.Context, id testigo.SourceID, key string) (*testigo.SourceItem, error) {
	it := testigo.SourceItem{SourceID: id, Key: key}
	var (
		doc  sql.NullInt64
		seen string
	)
	err := s.q.QueryRowContext(ctx, `SELECT url, document_id, seen_at FROM source_items WHERE source_id = $1 AND key = $2`,
		id, key).Scan(&it.URL, &doc, &seen)
	if err != nil {
		return nil, fmt.Errorf("find item %q of source %d: %w", key, id, s.mapErr(err))
	}
	it.DocumentID = testigo.DocumentID(doc.Int64)
	if it.SeenAt, err = parseTime(seen); err != nil {
		return nil, fmt.Errorf("find item %q of source %d: %w", key, id, err)
	}
	return &it, nil
}
