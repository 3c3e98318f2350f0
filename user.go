package testigo

import (
	"context"
	"time"
)

// Role is what a user account may do. Roles are ordered: each allows what
// the ones before it allow.
type Role string

// The roles, from least to most allowed.
const (
	RoleViewer  Role = "viewer"  // reads what the public reads, signed in
	RoleAnalyst Role = "analyst" // reviews incidents: accept, reject, grade, merge, split
	RoleAdmin   Role = "admin"   // everything, including accounts
)

// roleRank orders the roles.
func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleAnalyst:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r.rank() > 0 }

// Allows reports whether a user with role r may do what need requires.
// An unknown role allows nothing.
func (r Role) Allows(need Role) bool { return r.Valid() && r.rank() >= need.rank() }

// UserID identifies a User.
type UserID int64

// User is an account of someone who signs in to review incidents or uses
// the write API.
type User struct {
	ID   UserID
	Name string // unique, as typed at sign-in
	Role Role
	// PasswordHash is the password's hash in PHC string format
	// ($argon2id$v=19$m=…,t=…,p=…$salt$hash); empty means password
	// sign-in is impossible.
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

// APIToken is a bearer token for the write API. Only a hash of the token
// is stored; the token itself is shown once, when it is made.
type APIToken struct {
	ID        int64
	UserID    UserID
	Hash      string // hex SHA-256 of the token
	Label     string // what the token is for, as its owner said
	CreatedAt time.Time
	RevokedAt time.Time // zero while the token is valid
}

// UserStore keeps user accounts, their API tokens and the web sessions.
// It is separate from Store so that deployments without accounts need not
// implement it. Implementations map a missing row to an error wrapping
// ErrNotFound and a duplicate name or token to one wrapping ErrConflict.
type UserStore interface {
	// CreateUser stores u and sets its ID and CreatedAt. It returns
	// ErrConflict if a user with that name exists.
	CreateUser(ctx context.Context, u *User) error
	// FindUser returns the user with that name, or ErrNotFound.
	FindUser(ctx context.Context, name string) (*User, error)
	// FindUsers returns every user ordered by name.
	FindUsers(ctx context.Context) ([]*User, error)
	// UpdateUser stores u's role, password hash and disabled flag. It
	// returns ErrNotFound for a missing user.
	UpdateUser(ctx context.Context, u *User) error

	// AddAPIToken stores t and sets its ID and CreatedAt. It returns
	// ErrNotFound if its user does not exist.
	AddAPIToken(ctx context.Context, t *APIToken) error
	// FindAPIToken returns the token with that hash and its user, or
	// ErrNotFound. Revoked tokens are returned too; callers check.
	FindAPIToken(ctx context.Context, hash string) (*APIToken, *User, error)
	// RevokeAPIToken marks the token revoked at the given time. It returns
	// ErrNotFound if there is no such token.
	RevokeAPIToken(ctx context.Context, id int64, at time.Time) error

	// FindSession returns the data of an unexpired session; found is false
	// for a missing or expired one.
	FindSession(ctx context.Context, token string, now time.Time) (data []byte, found bool, err error)
	// CommitSession stores a session's data and expiry, replacing it.
	CommitSession(ctx context.Context, token string, data []byte, expiry time.Time) error
	// DeleteSession removes a session; a missing one is not an error.
	DeleteSession(ctx context.Context, token string) error
	// DeleteExpiredSessions removes sessions that expired before now and
	// returns how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}
