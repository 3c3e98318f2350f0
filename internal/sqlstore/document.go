package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlq"
)

// CreateDocument stores d and sets its ID. A document with the same digest
// gives an error wrapping ErrConflict, and a SourceID that names no source
// one wrapping ErrNotFound.
func (s *Store) CreateDocument(ctx context.Context, d *testigo.Document) error {
	src := sql.NullInt64{Int64: int64(d.SourceID), Valid: d.SourceID != 0}
	var id testigo.DocumentID
	err := s.q.QueryRowContext(ctx, `INSERT INTO documents
		(sha256, source_id, external_id, url, name, fetched_at, published, content_type, lang, title, text, size, capture_sha256)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		d.SHA256, src, d.ExternalID, d.URL, d.Name, fmtTime(d.FetchedAt), fmtTime(d.Published),
		d.ContentType, d.Lang, d.Title, d.Text, d.Size, d.Capture).Scan(&id)
	if err != nil {
		return fmt.Errorf("create document %s: %w", d.SHA256, s.mapErr(err))
	}
	d.ID = id
	d.FetchedAt = d.FetchedAt.UTC()
	d.Published = d.Published.UTC()
	return nil
}

const documentCols = `id, sha256, source_id, external_id, url, name, fetched_at, published, content_type, lang, title, text, size, capture_sha256`

// documentColsNoText is documentCols with an empty text.
const documentColsNoText = `id, sha256, source_id, external_id, url, name, fetched_at, published, content_type, lang, title, '' AS text, size, capture_sha256`

func (s *Store) scanDocument(sc scanner) (*testigo.Document, error) {
	var (
		d                  testigo.Document
		src                sql.NullInt64
		fetched, published string
	)
	if err := sc.Scan(&d.ID, &d.SHA256, &src, &d.ExternalID, &d.URL, &d.Name, &fetched, &published,
		&d.ContentType, &d.Lang, &d.Title, &d.Text, &d.Size, &d.Capture); err != nil {
		return nil, s.mapErr(err)
	}
	d.SourceID = testigo.SourceID(src.Int64)
	var err error
	if d.FetchedAt, err = parseTime(fetched); err != nil {
		return nil, err
	}
	if d.Published, err = parseTime(published); err != nil {
		return nil, err
	}
	return &d, nil
}

// FindDocument returns the document with the given ID, or an error
// wrapping ErrNotFound.
func (s *Store) FindDocument(ctx context.Context, id testigo.DocumentID) (*testigo.Document, error) {
	d, err := s.scanDocument(s.q.QueryRowContext(ctx, `SELECT `+documentCols+` FROM documents WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("find document %d: %w", id, err)
	}
	return d, nil
}

// FindDocumentByDigest returns the document with that digest, or an error
// wrapping ErrNotFound.
func (s *Store) FindDocumentByDigest(ctx context.Context, dg testigo.Digest) (*testigo.Document, error) {
	d, err := s.scanDocument(s.q.QueryRowContext(ctx, `SELECT `+documentCols+` FROM documents WHERE sha256 = $1`, dg))
	if err != nil {
		return nil, fmt.Errorf("find document %s: %w", dg, err)
	}
	return d, nil
}

// FindDocuments returns documents, newest (highest ID) first, starting
// below f.Before when it is set and returning at most f.Limit when that is
// positive.
func (s *Store) FindDocuments(ctx context.Context, f testigo.DocumentFilter) ([]*testigo.Document, error) {
	cols := documentCols
	if f.WithoutText {
		cols = documentColsNoText
	}
	q := `SELECT ` + cols + ` FROM documents WHERE 1 = 1`
	var args []any
	if f.Before != 0 {
		args = append(args, f.Before)
		q += fmt.Sprintf(` AND id < $%d`, len(args))
	}
	if f.IDs != nil {
		var list string
		args, list = sqlq.In(args, f.IDs)
		q += ` AND id IN ` + list
	}
	q += ` ORDER BY id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return queryAll(ctx, s, "find documents", s.scanDocument, q, args...)
}
