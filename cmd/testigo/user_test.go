package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/bundle"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/web"
)

// TestUserCommands adds accounts with passwords from stdin and a file,
// changes them, makes and revokes an API token, and checks the refusals.
func TestUserCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	out, _, err := runCmd(t, ctx, "correct horse battery\n", "user", "add", "ana", "--role", "analyst", "--data", dir)
	if err != nil || !strings.Contains(out, "added ana (analyst)") {
		t.Fatalf("user add: %v %q", err, out)
	}
	pwFile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte("another long password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, ctx, "", "user", "add", "--data", dir, "--role", "viewer", "--password-file", pwFile, "bea"); err != nil {
		t.Fatalf("user add with flags first: %v", err)
	}
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
		code  int
	}{
		{"x\n", []string{"user", "add", "cy", "--role", "analyst"}, "at least 12", 1},
		{"", []string{"user", "add", "cy", "--role", "analyst"}, "standard input is empty", 1},
		{"long enough password\n", []string{"user", "add", "ana", "--role", "analyst"}, "exists already", 1},
		{"", []string{"user", "add", "dee", "--role", "boss"}, "not viewer, analyst or admin", 2},
		{"", []string{"user", "add", "has space", "--role", "admin"}, "without spaces", 2},
		{"", []string{"user", "frob"}, "unknown subcommand", 2},
		{"", []string{"user", "token", "nobody"}, "not found", 1},
		{"", []string{"user", "add"}, "want 1 argument", 2},
	} {
		_, _, err := runCmd(t, ctx, c.stdin, append(c.args, "--data", dir)...)
		if err == nil || !strings.Contains(err.Error(), c.want) || exitCode(err) != c.code {
			t.Errorf("%v: %v (exit %d), want %q and exit %d", c.args, err, exitCode(err), c.want, c.code)
		}
	}
	tok, _, err := runCmd(t, ctx, "", "user", "token", "ana", "--label", "laptop", "--data", dir)
	if err != nil || !strings.HasPrefix(tok, "tgo_") {
		t.Fatalf("user token: %v %q", err, tok)
	}
	tok = strings.TrimSpace(tok)
	if _, _, err := runCmd(t, ctx, "", "user", "disable", "bea", "--data", dir); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, ctx, "", "user", "list", "--data", dir)
	if err != nil || !strings.Contains(out, "ana   analyst  enabled") || !strings.Contains(out, "bea   viewer   disabled") {
		t.Errorf("user list: %v\n%s", err, out)
	}

	st, err := sqlite.Open(ctx, filepath.Join(dir, "testigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.FindUser(ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := web.CheckPassword(u.PasswordHash, "correct horse battery"); !ok || err != nil {
		t.Errorf("stored hash does not check the password: %v %v", ok, err)
	}
	if strings.Contains(u.PasswordHash, "correct") || !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$") {
		t.Errorf("stored hash %q", u.PasswordHash)
	}
	if actor, err := (web.UserTokens{Users: st}).Check(ctx, tok); err != nil || actor != "ana" {
		t.Errorf("token check: %q %v", actor, err)
	}
	st.Close()

	if _, _, err := runCmd(t, ctx, "", "user", "revoke-token", "bea", tok, "--data", dir); err == nil {
		t.Error("bea revoked ana's token")
	}
	if _, _, err := runCmd(t, ctx, "", "user", "revoke-token", "ana", tok, "--data", dir); err != nil {
		t.Fatal(err)
	}
	st, err = sqlite.Open(ctx, filepath.Join(dir, "testigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := (web.UserTokens{Users: st}).Check(ctx, tok); err == nil {
		t.Error("a revoked token still checks")
	} else if !strings.Contains(err.Error(), "revoked") {
		t.Errorf("revoked token: %v", err)
	}
	var _ testigo.UserStore = st
}

// TestServeBundleDownload checks that an incident page of a served data
// directory offers its evidence bundle and that the download verifies.
func TestServeBundleDownload(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, _, err := runCmd(t, ctx, "", "demo", "--data", dir, "--no-serve"); err != nil {
		t.Fatal(err)
	}
	env := &environ{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	a, err := openApp(ctx, env, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	h, err := web.NewHandler(web.Deps{Store: a.store, Blobs: a.blobs, LogKey: a.logKey, Users: a.users})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/incidents/1")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `<a href="/incidents/1/bundle.zip" download>`) {
		t.Error("the incident page offers no bundle")
	}
	resp, err = http.Get(srv.URL + "/incidents/1/bundle.zip")
	if err != nil {
		t.Fatal(err)
	}
	zip, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("bundle: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, err := bundle.Verify(bytes.NewReader(zip), int64(len(zip)), a.logKey, nil); err != nil {
		t.Errorf("downloaded bundle does not verify: %v", err)
	}
	if resp, err := http.Get(srv.URL + "/incidents/99999/bundle.zip"); err != nil || resp.StatusCode != 404 {
		t.Errorf("bundle of a missing incident: %v %v", resp.StatusCode, err)
	}
}
