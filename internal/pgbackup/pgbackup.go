// Package pgbackup dumps the PostgreSQL schema that a testigo DSN selects
// with pg_dump (custom format) and restores such a dump into an empty
// schema with pg_restore. It runs the PostgreSQL client tools as
// subprocesses and checks their versions first, so that a missing tool, a
// pg_dump older than the server or a pg_restore older than the dump is a
// one-line error before any work.
//
// A testigo deployment lives in one schema: the first schema on the DSN's
// search_path (public unless the DSN says otherwise). Dump dumps that
// schema only. Restore restores it into the schema that the target DSN
// selects, which must be empty (or is replaced with force): when the names
// differ, the dump is restored under its own name and the schema renamed
// once pg_restore has succeeded, so the source schema's name must not be
// taken in the target database. A failed restore leaves the target as it
// was.
package pgbackup

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Tools are the paths of the PostgreSQL client programs.
type Tools struct {
	PgDump    string
	PgRestore string
}

// FindTool returns the path of the program name (pg_dump or pg_restore):
// in dir when dir is not empty, else in the first directory of path (a
// PATH value) that holds it. Its error is one line saying where it looked
// and how to install the tools.
func FindTool(name, dir, path string) (string, error) {
	var dirs []string
	where := "on PATH"
	if dir != "" {
		dirs = []string{dir}
		where = "in " + dir
	} else {
		dirs = filepath.SplitList(path)
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found %s: install the PostgreSQL client tools (Debian: apt-get install postgresql-client) or name their directory with --pg-bin", name, where)
}

// Version is a PostgreSQL version as the tools and the server print it.
type Version struct {
	Major int    // 15 for "15.20"; 9 for "9.6.24"
	Text  string // "15.20"
}

var toolVersion = regexp.MustCompile(`\(PostgreSQL\) ([0-9]+)(\.[0-9]+)*`)

// ToolVersion runs "bin --version" and returns the version it prints.
func ToolVersion(ctx context.Context, bin string) (Version, error) {
	out, err := exec.CommandContext(ctx, bin, "--version").Output()
	if err != nil {
		return Version{}, fmt.Errorf("%s --version: %w", bin, err)
	}
	return parseToolVersion(string(out))
}

// parseToolVersion reads the output of pg_dump --version, e.g.
// "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)".
func parseToolVersion(out string) (Version, error) {
	m := toolVersion.FindStringSubmatch(out)
	if m == nil {
		return Version{}, fmt.Errorf("unrecognised version output %q", strings.TrimSpace(out))
	}
	major, err := strconv.Atoi(m[1])
	if err != nil {
		return Version{}, fmt.Errorf("unrecognised version output %q", strings.TrimSpace(out))
	}
	text := strings.TrimPrefix(m[0], "(PostgreSQL) ")
	return Version{Major: major, Text: text}, nil
}

// ParseVersion reads a version written as Version.Text, e.g. "15.20".
func ParseVersion(text string) (Version, error) {
	return parseToolVersion("(PostgreSQL) " + text)
}

// CheckDumpCompatible returns an error unless a pg_dump of version tool can
// dump a server of version server: pg_dump refuses servers of a newer major
// version.
func CheckDumpCompatible(tool, server Version) error {
	if tool.Major < server.Major {
		return fmt.Errorf("pg_dump %s cannot dump a PostgreSQL %s server: install pg_dump %d or newer and name its directory with --pg-bin",
			tool.Text, server.Text, server.Major)
	}
	return nil
}

// CheckRestoreCompatible returns an error unless a pg_restore of version
// tool can read a dump written by pg_dump of version dumper: archives of a
// newer major version may use a format an older pg_restore cannot read.
func CheckRestoreCompatible(tool, dumper Version) error {
	if tool.Major < dumper.Major {
		return fmt.Errorf("the backup was written by pg_dump %s; pg_restore %s cannot read it: install pg_restore %d or newer and name its directory with --pg-bin",
			dumper.Text, tool.Text, dumper.Major)
	}
	return nil
}

// Info describes a dump: the schema it holds and the versions that wrote it.
type Info struct {
	Schema string  // the schema dumped
	Server Version // the source server
	PgDump Version // the pg_dump that wrote it
}

// session is a connection with what both directions need to know.
type session struct {
	conn   *pgx.Conn
	schema string // the first existing schema on the search_path
	server Version
	name   string // host:port/database, for messages
}

func connect(ctx context.Context, dsn string) (*session, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL DSN: %s", oneLine(err))
	}
	name := fmt.Sprintf("%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %s", name, oneLine(err))
	}
	s := &session{conn: conn, name: name}
	var schema *string
	var num int
	var text string
	err = conn.QueryRow(ctx, `SELECT current_schema(), current_setting('server_version_num')::int, current_setting('server_version')`).
		Scan(&schema, &num, &text)
	if err != nil {
		s.close()
		return nil, fmt.Errorf("read the schema and version of %s: %w", name, err)
	}
	if schema == nil {
		s.close()
		return nil, fmt.Errorf("%s: no schema on the DSN's search_path exists; create it first", name)
	}
	s.schema = *schema
	s.server = Version{Major: num / 10000, Text: strings.Fields(text + " ")[0]}
	return s, nil
}

// close ends the session; an error closing a connection that did its work
// changes nothing for the caller, so it is dropped.
func (s *session) close() {
	_ = s.conn.Close(context.Background()) // cleanup: the caller's ctx may be done
}

// Dump writes the schema that dsn selects to the file out with pg_dump in
// its custom format, after checking that pg_dump can dump the server. The
// dump is one consistent snapshot, taken while testigo keeps running. env
// is the environment of the pg_dump process (PGPASSWORD is added).
func Dump(ctx context.Context, pgDump, dsn, out string, env []string) (*Info, error) {
	tool, err := ToolVersion(ctx, pgDump)
	if err != nil {
		return nil, err
	}
	s, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer s.close()
	if err := CheckDumpCompatible(tool, s.server); err != nil {
		return nil, err
	}
	conn, password, err := libpqConn(dsn)
	if err != nil {
		return nil, err
	}
	args := []string{"--format=custom", "--no-password", "--schema=" + quoteIdent(s.schema), "--file=" + out, "--dbname=" + conn}
	if err := runTool(ctx, pgDump, args, env, password); err != nil {
		return nil, fmt.Errorf("dump schema %s of %s: %w", s.schema, s.name, err)
	}
	return &Info{Schema: s.schema, Server: s.server, PgDump: tool}, nil
}

// Target is the schema a restore would fill.
type Target struct {
	Schema  string // the first existing schema on the target DSN's search_path
	Server  string // host:port/database
	Objects int    // tables, sequences, indexes, functions and types in it
}

// CheckTarget connects to the database dsn names and returns the schema a
// restore would fill. Unless force is set it returns an error when that
// schema is not empty.
func CheckTarget(ctx context.Context, dsn string, force bool) (*Target, error) {
	s, err := connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer s.close()
	return s.target(ctx, force)
}

func (s *session) target(ctx context.Context, force bool) (*Target, error) {
	n, err := s.objects(ctx, s.schema)
	if err != nil {
		return nil, err
	}
	t := &Target{Schema: s.schema, Server: s.name, Objects: n}
	if n > 0 && !force {
		return nil, fmt.Errorf("target schema %s in %s is not empty (%d objects): restore into an empty schema or database, or pass --force to replace it",
			s.schema, s.name, n)
	}
	return t, nil
}

// objects counts what the schema holds.
func (s *session) objects(ctx context.Context, schema string) (int, error) {
	var n int
	err := s.conn.QueryRow(ctx, `
SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace WHERE ns.nspname = $1)
     + (SELECT count(*) FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace WHERE ns.nspname = $1)
     + (SELECT count(*) FROM pg_type t JOIN pg_namespace ns ON ns.oid = t.typnamespace
        WHERE ns.nspname = $1 AND t.typtype IN ('d', 'e', 'r', 'm') )`, schema).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("inspect schema %s of %s: %w", schema, s.name, err)
	}
	return n, nil
}

func (s *session) schemaExists(ctx context.Context, schema string) (bool, error) {
	var ok bool
	err := s.conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("inspect %s: %w", s.name, err)
	}
	return ok, nil
}

// exec runs statements in one transaction.
func (s *session) exec(ctx context.Context, stmts ...string) error {
	tx, err := s.conn.Begin(ctx)
	if err != nil {
		return err
	}
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			_ = tx.Rollback(ctx) // the statement's error is the one to report
			return err
		}
	}
	return tx.Commit(ctx)
}

// Restore restores the dump file (written by Dump, described by info) into
// the schema the target DSN selects, with pg_restore in one transaction,
// without the source's owners and privileges. The target schema must be
// empty unless force is set, in which case it is replaced, but only once
// the restore has succeeded. When the target schema's name differs from the
// dump's, the dump's schema name must not exist in the target database.
// It returns the schema restored into.
func Restore(ctx context.Context, pgRestore, dsn, file string, info Info, force bool, env []string) (string, error) {
	tool, err := ToolVersion(ctx, pgRestore)
	if err != nil {
		return "", err
	}
	if err := CheckRestoreCompatible(tool, info.PgDump); err != nil {
		return "", err
	}
	s, err := connect(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer s.close()
	t, err := s.target(ctx, force)
	if err != nil {
		return "", err
	}
	if info.Schema == "" {
		return "", errors.New("the backup does not name the schema it holds")
	}
	// into is the schema pg_restore fills: the dump's own name. old holds a
	// non-empty target while the restore runs, to be dropped after it.
	into, old := info.Schema, ""
	if into != t.Schema {
		taken, err := s.schemaExists(ctx, into)
		if err != nil {
			return "", err
		}
		if taken {
			return "", fmt.Errorf("the backup holds schema %s, which already exists in %s: restore into a database without it (the restored schema is renamed to %s afterwards)",
				into, s.name, t.Schema)
		}
		if err := s.exec(ctx, `CREATE SCHEMA `+quoteIdent(into)); err != nil {
			return "", fmt.Errorf("create schema %s in %s: %w", into, s.name, err)
		}
	} else if t.Objects > 0 {
		old, err = aside(t.Schema)
		if err != nil {
			return "", err
		}
		if err := s.exec(ctx, `ALTER SCHEMA `+quoteIdent(t.Schema)+` RENAME TO `+quoteIdent(old),
			`CREATE SCHEMA `+quoteIdent(t.Schema)); err != nil {
			return "", fmt.Errorf("set schema %s of %s aside: %w", t.Schema, s.name, err)
		}
	}
	undo := func(cause error) error {
		// Cleanup after a failed restore, on a fresh context: the caller's
		// may be what ended the restore.
		bg := context.Background()
		var err error
		switch {
		case into != t.Schema:
			err = s.exec(bg, `DROP SCHEMA `+quoteIdent(into)+` CASCADE`)
		case old != "":
			err = s.exec(bg, `DROP SCHEMA `+quoteIdent(t.Schema)+` CASCADE`,
				`ALTER SCHEMA `+quoteIdent(old)+` RENAME TO `+quoteIdent(t.Schema))
		}
		if err != nil {
			return fmt.Errorf("%w (and undoing it: %s)", cause, oneLine(err))
		}
		return cause
	}
	if err := s.pgRestore(ctx, pgRestore, dsn, file, into, env); err != nil {
		return "", undo(err)
	}
	var swap []string
	if into != t.Schema {
		drop := `DROP SCHEMA ` + quoteIdent(t.Schema)
		if force {
			drop += ` CASCADE`
		}
		swap = append(swap, drop, `ALTER SCHEMA `+quoteIdent(into)+` RENAME TO `+quoteIdent(t.Schema))
	}
	if old != "" {
		swap = append(swap, `DROP SCHEMA `+quoteIdent(old)+` CASCADE`)
	}
	if len(swap) > 0 {
		if err := s.exec(ctx, swap...); err != nil {
			return "", undo(fmt.Errorf("put restored schema in place as %s in %s: %w", t.Schema, s.name, err))
		}
	}
	return t.Schema, nil
}

// pgRestore runs pg_restore of file into schema, which exists: the dump's
// entries that create the schema (and comment on it) are left out.
func (s *session) pgRestore(ctx context.Context, bin, dsn, file, schema string, env []string) error {
	toc, err := exec.CommandContext(ctx, bin, "--list", file).Output()
	if err != nil {
		return fmt.Errorf("read the dump's table of contents: %s", toolError(err))
	}
	var list bytes.Buffer
	for _, line := range strings.SplitAfter(string(toc), "\n") {
		if !schemaEntry(line, schema) {
			list.WriteString(line)
		}
	}
	f, err := os.CreateTemp("", "testigo-restore-*.list")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(list.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	conn, password, err := libpqConn(dsn)
	if err != nil {
		return err
	}
	args := []string{"--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", "--no-password",
		"--use-list=" + f.Name(), "--dbname=" + conn, file}
	if err := runTool(ctx, bin, args, env, password); err != nil {
		return fmt.Errorf("restore into schema %s of %s: %w", schema, s.name, err)
	}
	return nil
}

// schemaEntry reports whether line of "pg_restore --list" creates or
// comments on the schema, e.g. "6; 2615 34475 SCHEMA - t_ab postgres" or
// "3346; 0 0 COMMENT - SCHEMA public pg_database_owner".
func schemaEntry(line, schema string) bool {
	if strings.HasPrefix(line, ";") {
		return false
	}
	_, rest, ok := strings.Cut(line, "; ")
	if !ok {
		return false
	}
	f := strings.SplitN(rest, " ", 3) // tableoid, oid, the rest
	if len(f) < 3 {
		return false
	}
	desc := f[2]
	return strings.HasPrefix(desc, "SCHEMA - "+schema+" ") || strings.HasPrefix(desc, "COMMENT - SCHEMA "+schema+" ")
}

// aside returns a name for a schema set aside during a restore.
func aside(schema string) (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	name := schema
	if len(name) > 40 {
		name = name[:40]
	}
	return name + "_restore_old_" + hex.EncodeToString(b[:]), nil
}

// runTool runs bin with args; the password goes in the environment, never
// on the command line. Its error holds the tool's own message, on one line.
func runTool(ctx context.Context, bin string, args, env []string, password string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	if password != "" {
		cmd.Env = append(cmd.Env[:len(cmd.Env):len(cmd.Env)], "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if msg := oneLine(errors.New(stderr.String())); msg != "" {
			return fmt.Errorf("%s: %s", filepath.Base(bin), msg)
		}
		return fmt.Errorf("%s: %w", filepath.Base(bin), err)
	}
	return nil
}

// toolError is the message of a failed exec.Cmd.Output, on one line.
func toolError(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return oneLine(errors.New(string(ee.Stderr)))
	}
	return oneLine(err)
}

// libpqParams are the connection parameters libpq (and so pg_dump and
// pg_restore) accepts in a URL. pgx accepts more: run-time settings such as
// search_path, which libpq refuses, so those are left out (the tools name
// the schema themselves).
var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "passfile": true,
	"channel_binding": true, "connect_timeout": true, "client_encoding": true, "options": true,
	"application_name": true, "fallback_application_name": true, "keepalives": true, "keepalives_idle": true,
	"keepalives_interval": true, "keepalives_count": true, "tcp_user_timeout": true, "gssencmode": true,
	"sslmode": true, "requiressl": true, "sslcompression": true, "sslcert": true, "sslkey": true,
	"sslpassword": true, "sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true,
	"requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"krbsrvname": true, "gsslib": true, "service": true, "target_session_attrs": true,
	"load_balance_hosts": true, "sslnegotiation": true, "sslcertmode": true, "require_auth": true,
}

// libpqConn turns a postgres:// URL as testigo takes it into one the
// PostgreSQL tools accept, and the password to give them through
// PGPASSWORD (so that it stays out of process listings).
func libpqConn(dsn string) (conn, password string, err error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", "", fmt.Errorf("PostgreSQL DSN is not a postgres:// URL")
	}
	q := u.Query()
	if p := q.Get("password"); p != "" {
		password = p
	}
	if u.User != nil {
		if p, ok := u.User.Password(); ok {
			password = p
		}
		u.User = url.User(u.User.Username())
	}
	for k := range q {
		if !libpqParams[k] {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), password, nil
}

// quoteIdent quotes an SQL identifier (and a pg_dump pattern that matches
// exactly that name).
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// oneLine joins a multi-line message into one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
