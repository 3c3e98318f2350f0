package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
)

// RunUsers runs the account suite against user stores made by open, one
// fresh store per subtest: users, API tokens and web sessions.
func RunUsers(t *testing.T, open func(testing.TB) testigo.UserStore) {
	tests := []struct {
		name string
		fn   func(*testing.T, testigo.UserStore)
	}{
		{"UserRoundTrip", testUserRoundTrip},
		{"APITokens", testAPITokens},
		{"Sessions", testSessions},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

func testUserRoundTrip(t *testing.T, us testigo.UserStore) {
	ctx := t.Context()
	u := &testigo.User{Name: "ana", Role: testigo.RoleAnalyst, PasswordHash: "$argon2id$x"}
	if err := us.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.CreatedAt.IsZero() || u.CreatedAt.Location() != time.UTC {
		t.Errorf("CreateUser set ID %d, CreatedAt %v", u.ID, u.CreatedAt)
	}
	if err := us.CreateUser(ctx, &testigo.User{Name: "ana", Role: testigo.RoleViewer}); !errors.Is(err, testigo.ErrConflict) {
		t.Errorf("second user named ana: %v, want ErrConflict", err)
	}
	got, err := us.FindUser(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || got.Role != u.Role || got.PasswordHash != u.PasswordHash || got.Disabled || !got.CreatedAt.Equal(u.CreatedAt) {
		t.Errorf("FindUser = %+v, want %+v", got, u)
	}
	if _, err := us.FindUser(ctx, "Ana"); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("FindUser of another name: %v, want ErrNotFound", err)
	}
	got.Role, got.Disabled, got.PasswordHash = testigo.RoleAdmin, true, "$argon2id$y"
	if err := us.UpdateUser(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, err := us.FindUser(ctx, "ana")
	if err != nil || again.Role != testigo.RoleAdmin || !again.Disabled || again.PasswordHash != "$argon2id$y" {
		t.Errorf("after UpdateUser: %+v, %v", again, err)
	}
	if err := us.UpdateUser(ctx, &testigo.User{Name: "nobody", Role: testigo.RoleViewer}); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("UpdateUser of a missing user: %v, want ErrNotFound", err)
	}
	if err := us.CreateUser(ctx, &testigo.User{Name: "bea", Role: testigo.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	all, err := us.FindUsers(ctx)
	if err != nil || len(all) != 2 || all[0].Name != "ana" || all[1].Name != "bea" {
		t.Errorf("FindUsers = %v, %v", all, err)
	}
}

func testAPITokens(t *testing.T, us testigo.UserStore) {
	ctx := t.Context()
	u := &testigo.User{Name: "ana", Role: testigo.RoleAnalyst}
	if err := us.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	tok := &testigo.APIToken{UserID: u.ID, Hash: "abc123", Label: "laptop"}
	if err := us.AddAPIToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if tok.ID == 0 || tok.CreatedAt.IsZero() {
		t.Errorf("AddAPIToken set ID %d, CreatedAt %v", tok.ID, tok.CreatedAt)
	}
	if err := us.AddAPIToken(ctx, &testigo.APIToken{UserID: u.ID, Hash: "abc123"}); !errors.Is(err, testigo.ErrConflict) {
		t.Errorf("duplicate token hash: %v, want ErrConflict", err)
	}
	if err := us.AddAPIToken(ctx, &testigo.APIToken{UserID: u.ID + 100, Hash: "zzz"}); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("token of a missing user: %v, want ErrNotFound", err)
	}
	got, owner, err := us.FindAPIToken(ctx, "abc123")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != tok.ID || got.Label != "laptop" || !got.RevokedAt.IsZero() || owner.Name != "ana" {
		t.Errorf("FindAPIToken = %+v, %+v", got, owner)
	}
	if _, _, err := us.FindAPIToken(ctx, "nope"); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("FindAPIToken of an unknown hash: %v, want ErrNotFound", err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := us.RevokeAPIToken(ctx, tok.ID, at); err != nil {
		t.Fatal(err)
	}
	got, _, err = us.FindAPIToken(ctx, "abc123")
	if err != nil || !got.RevokedAt.Equal(at) {
		t.Errorf("after revoking: %+v, %v", got, err)
	}
	if err := us.RevokeAPIToken(ctx, tok.ID+100, at); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("revoking a missing token: %v, want ErrNotFound", err)
	}
}

func testSessions(t *testing.T, us testigo.UserStore) {
	ctx := t.Context()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, found, err := us.FindSession(ctx, "t1", now); err != nil || found {
		t.Errorf("missing session: found %v, %v", found, err)
	}
	if err := us.CommitSession(ctx, "t1", []byte("one"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := us.CommitSession(ctx, "t1", []byte("two"), now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := us.CommitSession(ctx, "t2", []byte("old"), now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	data, found, err := us.FindSession(ctx, "t1", now)
	if err != nil || !found || string(data) != "two" {
		t.Errorf("FindSession = %q, %v, %v; want the replaced data", data, found, err)
	}
	if _, found, _ := us.FindSession(ctx, "t1", now.Add(3*time.Hour)); found {
		t.Error("an expired session was found")
	}
	if _, found, _ := us.FindSession(ctx, "t2", now); found {
		t.Error("an expired session was found")
	}
	n, err := us.DeleteExpiredSessions(ctx, now)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	if err := us.DeleteSession(ctx, "t1"); err != nil {
		t.Fatal(err)
	}
	if err := us.DeleteSession(ctx, "t1"); err != nil {
		t.Errorf("deleting a missing session: %v", err)
	}
	if _, found, _ := us.FindSession(ctx, "t1", now); found {
		t.Error("a deleted session was found")
	}
}
