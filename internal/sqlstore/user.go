package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/testigo-project/testigo"
)

const userCols = `id, name, role, password_hash, disabled, created_at`

func scanUser(row scanner) (*testigo.User, error) {
	var (
		u  testigo.User
		at string
	)
	if err := row.Scan(&u.ID, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &at); err != nil {
		return nil, err
	}
	t, err := parseTime(at)
	if err != nil {
		return nil, err
	}
	u.CreatedAt = t
	return &u, nil
}

// CreateUser stores u and sets its ID and CreatedAt.
func (s *Store) CreateUser(ctx context.Context, u *testigo.User) error {
	at := nowUTC()
	var id testigo.UserID
	err := s.q.QueryRowContext(ctx, `INSERT INTO users (name, role, password_hash, disabled, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, u.Name, u.Role, u.PasswordHash, u.Disabled, fmtTime(at)).Scan(&id)
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Name, s.mapErr(err))
	}
	u.ID, u.CreatedAt = id, at
	return nil
}

// FindUser returns the user with that name.
func (s *Store) FindUser(ctx context.Context, name string) (*testigo.User, error) {
	u, err := scanUser(s.q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE name = $1`, name))
	if err != nil {
		return nil, fmt.Errorf("find user %q: %w", name, s.mapErr(err))
	}
	return u, nil
}

// FindUsers returns every user ordered by name.
func (s *Store) FindUsers(ctx context.Context) ([]*testigo.User, error) {
	return queryAll(ctx, s, "find users", scanUser, `SELECT `+userCols+` FROM users ORDER BY name`)
}

// UpdateUser stores u's role, password hash and disabled flag.
func (s *Store) UpdateUser(ctx context.Context, u *testigo.User) error {
	res, err := s.q.ExecContext(ctx, `UPDATE users SET role = $1, password_hash = $2, disabled = $3 WHERE name = $4`,
		u.Role, u.PasswordHash, u.Disabled, u.Name)
	if err != nil {
		return fmt.Errorf("update user %q: %w", u.Name, s.mapErr(err))
	}
	return wantOneRow(res, fmt.Sprintf("update user %q", u.Name))
}

// AddAPIToken stores t and sets its ID and CreatedAt.
func (s *Store) AddAPIToken(ctx context.Context, t *testigo.APIToken) error {
	at := nowUTC()
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, hash, label, created_at) VALUES ($1, $2, $3, $4)
		RETURNING id`, t.UserID, t.Hash, t.Label, fmtTime(at)).Scan(&id)
	if err != nil {
		return fmt.Errorf("add API token for user %d: %w", t.UserID, s.mapErr(err))
	}
	t.ID, t.CreatedAt = id, at
	return nil
}

// FindAPIToken returns the token with that hash and its user.
func (s *Store) FindAPIToken(ctx context.Context, hash string) (*testigo.APIToken, *testigo.User, error) {
	var (
		t                testigo.APIToken
		created, revoked string
	)
	err := s.q.QueryRowContext(ctx, `SELECT id, user_id, hash, label, created_at, revoked_at FROM api_tokens WHERE hash = $1`, hash).
		Scan(&t.ID, &t.UserID, &t.Hash, &t.Label, &created, &revoked)
	if err != nil {
		return nil, nil, fmt.Errorf("find API token: %w", s.mapErr(err))
	}
	if t.CreatedAt, err = parseTime(created); err != nil {
		return nil, nil, err
	}
	if t.RevokedAt, err = parseTime(revoked); err != nil {
		return nil, nil, err
	}
	u, err := scanUser(s.q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = $1`, t.UserID))
	if err != nil {
		return nil, nil, fmt.Errorf("find API token's user %d: %w", t.UserID, s.mapErr(err))
	}
	return &t, u, nil
}

// RevokeAPIToken marks the token revoked.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64, at time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2`, fmtTime(at), id)
	if err != nil {
		return fmt.Errorf("revoke API token %d: %w", id, s.mapErr(err))
	}
	return wantOneRow(res, fmt.Sprintf("revoke API token %d", id))
}

// FindSession returns the data of an unexpired session.
func (s *Store) FindSession(ctx context.Context, token string, now time.Time) ([]byte, bool, error) {
	var data []byte
	err := s.q.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token = $1 AND expiry > $2`, token, now.UnixNano()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return data, true, nil
}

// CommitSession stores a session's data and expiry.
func (s *Store) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, data, expiry.UnixNano())
	if err != nil {
		return fmt.Errorf("commit session: %w", s.mapErr(err))
	}
	return nil
}

// DeleteSession removes a session.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions that expired before now.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, now.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return res.RowsAffected()
}
