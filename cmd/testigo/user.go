package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/web"
)

const userUsage = `
Manage the accounts that sign in to the web pages (review queue) and the
API tokens of the write API.

  testigo user add NAME --role viewer|analyst|admin [--password-file FILE]
  testigo user passwd NAME [--password-file FILE]
  testigo user role NAME --role viewer|analyst|admin
  testigo user disable NAME | enable NAME
  testigo user list
  testigo user token NAME [--label TEXT]
  testigo user revoke-token NAME TOKEN

Passwords are read from the first line of --password-file, or else of
standard input; never give one on the command line. They need at least 12
bytes and are stored as argon2id hashes. 'token' prints a new API token once
(only its hash is kept); send it as 'Authorization: Bearer <token>'. Only
enabled analysts and admins may write through the API.`

func runUser(ctx context.Context, args []string, env *environ) error {
	if len(args) == 0 {
		return usageErrorf("testigo user: want a subcommand: add, passwd, role, disable, enable, list, token, revoke-token (run 'testigo user -h')")
	}
	sub, rest := args[0], args[1:]
	fs := newFlagSet(env, "user", "<add|passwd|role|disable|enable|list|token|revoke-token> [NAME] [flags]", userUsage)
	data := dataFlag(fs, env)
	role := fs.String("role", "", "the account's role: viewer, analyst or admin")
	pwFile := fs.String("password-file", "", "read the password from the first line of this file instead of standard input")
	label := fs.String("label", "", "what the API token is for")
	if sub == "-h" || sub == "--help" || sub == "help" {
		fs.Usage()
		return nil
	}
	var pos []string
	// Accept NAME before or after the flags.
	for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		pos, rest = append(pos, rest[0]), rest[1:]
	}
	if err := parseFlags(fs, rest); err != nil {
		return helpIsOK(err)
	}
	pos = append(pos, fs.Args()...)
	wantArgs := map[string]int{"add": 1, "passwd": 1, "role": 1, "disable": 1, "enable": 1, "list": 0, "token": 1, "revoke-token": 2}
	n, ok := wantArgs[sub]
	if !ok {
		return usageErrorf("testigo user: unknown subcommand %q (want add, passwd, role, disable, enable, list, token, revoke-token)", sub)
	}
	if len(pos) != n {
		return usageErrorf("testigo user %s: want %d argument(s), got %d", sub, n, len(pos))
	}
	if n > 0 {
		if err := checkUserName(pos[0]); err != nil {
			return err
		}
	}
	if (sub == "add" || sub == "role") && !testigo.Role(*role).Valid() {
		return usageErrorf("testigo user %s: --role %q is not viewer, analyst or admin", sub, *role)
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	us := a.users

	switch sub {
	case "add":
		pw, err := readPassword(env, *pwFile)
		if err != nil {
			return err
		}
		hash, err := web.HashPassword(pw)
		if err != nil {
			return fmt.Errorf("testigo user add: %w", err)
		}
		u := &testigo.User{Name: pos[0], Role: testigo.Role(*role), PasswordHash: hash}
		if err := us.CreateUser(ctx, u); err != nil {
			if errors.Is(err, testigo.ErrConflict) {
				return fmt.Errorf("testigo user add: a user named %q exists already", pos[0])
			}
			return err
		}
		fmt.Fprintf(env.stdout, "added %s (%s)\n", u.Name, u.Role)
	case "passwd", "role", "disable", "enable":
		u, err := us.FindUser(ctx, pos[0])
		if err != nil {
			return fmt.Errorf("testigo user %s: %w", sub, err)
		}
		switch sub {
		case "passwd":
			pw, err := readPassword(env, *pwFile)
			if err != nil {
				return err
			}
			if u.PasswordHash, err = web.HashPassword(pw); err != nil {
				return fmt.Errorf("testigo user passwd: %w", err)
			}
		case "role":
			u.Role = testigo.Role(*role)
		case "disable":
			u.Disabled = true
		case "enable":
			u.Disabled = false
		}
		if err := us.UpdateUser(ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s: %s (%s%s)\n", sub, u.Name, u.Role, map[bool]string{true: ", disabled"}[u.Disabled])
	case "list":
		users, err := us.FindUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tSTATE\tCREATED")
		for _, u := range users {
			state := "enabled"
			if u.Disabled {
				state = "disabled"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, state, u.CreatedAt.Format("2006-01-02"))
		}
		return tw.Flush()
	case "token":
		u, err := us.FindUser(ctx, pos[0])
		if err != nil {
			return fmt.Errorf("testigo user token: %w", err)
		}
		tok, hash, err := web.NewAPIToken()
		if err != nil {
			return err
		}
		if err := us.AddAPIToken(ctx, &testigo.APIToken{UserID: u.ID, Hash: hash, Label: *label}); err != nil {
			return err
		}
		if !u.Role.Allows(testigo.RoleAnalyst) || u.Disabled {
			fmt.Fprintf(env.stderr, "testigo: warning: %s is a disabled account or a %s; the token cannot write until that changes\n", u.Name, u.Role)
		}
		fmt.Fprintln(env.stdout, tok)
	case "revoke-token":
		tok, owner, err := us.FindAPIToken(ctx, web.HashAPIToken(pos[1]))
		if err != nil || owner.Name != pos[0] {
			return fmt.Errorf("testigo user revoke-token: %s has no such token", pos[0])
		}
		if err := us.RevokeAPIToken(ctx, tok.ID, a.now().UTC()); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "revoked a token of %s\n", pos[0])
	}
	return nil
}

// checkUserName refuses names that would be confusing in logs and audit
// trails: empty, too long, or with spaces or control characters.
func checkUserName(name string) error {
	if name == "" || len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) {
		return usageErrorf("testigo user: user name %q must be 1 to 64 bytes without spaces or control characters", name)
	}
	return nil
}

// readPassword reads the first line of file, or of standard input.
func readPassword(env *environ, file string) (string, error) {
	var r io.Reader = env.stdin
	what := "standard input"
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		defer f.Close()
		r, what = f, file
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from %s: %w", what, err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("read password: %s is empty (give the password on its first line)", what)
	}
	return line, nil
}
