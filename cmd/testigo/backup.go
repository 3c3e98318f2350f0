package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/backup"
	"github.com/testigo-project/testigo/internal/pgbackup"
	"github.com/testigo-project/testigo/internal/verify"
)

const backupUsage = `
Write a backup of the whole deployment to one file (tar.gz): a consistent
snapshot of the database taken while testigo keeps running, every archived
blob, the log's key pair (the private key too: keep the backup as safe as
the data directory) and a manifest of SHA-256 digests. Restore it with
'testigo restore'.

With SQLite the snapshot is taken with VACUUM INTO. With PostgreSQL (--db or
TESTIGO_DB) it is a pg_dump archive (custom format) of the schema the DSN
selects: pg_dump must be on PATH (or in --pg-bin) and of the server's major
version or newer. Blobs kept in object storage (TESTIGO_BLOBS) are read from
there into the backup.`

const restoreUsage = `
Restore a backup written by 'testigo backup' into a new data directory
(--data, which must not exist or be empty). Every file is checked against
the backup's manifest before anything is put in place, then the restored
deployment is verified end to end as 'testigo verify' does.

A PostgreSQL backup is restored with pg_restore (on PATH or in --pg-bin)
into the schema the --db DSN selects, in one transaction; that schema must
be empty unless --force, which replaces it once the restore has succeeded.
When TESTIGO_BLOBS names object storage, the blobs are put there.`

// pgDumpName is the name of the pg_dump archive inside a backup.
const pgDumpName = "postgres.dump"

func runBackup(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "backup", "[flags] -o FILE", backupUsage)
	data := dataFlag(fs, env)
	out := fs.String("o", "", "the backup file to write (required)")
	pgBin := fs.String("pg-bin", "", "directory holding pg_dump (default: found on PATH)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if *out == "" || fs.NArg() > 0 {
		return usageErrorf("testigo backup: want -o FILE and no arguments (run 'testigo backup -h')")
	}
	dsn := *env.db
	if dsn != "" && !isPostgresDSN(dsn) {
		return usageErrorf("--db %q is not a PostgreSQL DSN: want postgres://… or postgresql://…", redactDSN(dsn))
	}
	if _, err := os.Stat(filepath.Join(*data, sqliteFile)); err != nil && dsn == "" {
		return fmt.Errorf("backup: %s holds no testigo database", *data)
	}
	pgDump := ""
	if dsn != "" {
		var err error
		if pgDump, err = pgbackup.FindTool("pg_dump", *pgBin, env.getenv("PATH")); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	// Check the target is writable before any work.
	f, err := os.CreateTemp(filepath.Dir(*out), ".backup-*")
	if err != nil {
		return fmt.Errorf("backup: cannot write beside %s: %w", *out, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	defer f.Close() // closed below on success; this one is for the early returns
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	snapDir, err := os.MkdirTemp("", "testigo-snapshot-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(snapDir)
	c := backup.Contents{Backend: "sqlite", Now: a.now()}
	what := "database"
	if dsn != "" {
		snap := filepath.Join(snapDir, pgDumpName)
		// The tools get the process environment: libpq reads PGPASSFILE,
		// PGSSLROOTCERT and the like from it.
		info, err := pgbackup.Dump(ctx, pgDump, dsn, snap, os.Environ())
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		c.Backend = "postgres"
		c.Postgres = &backup.Postgres{Dump: pgDumpName, Schema: info.Schema,
			ServerVersion: info.Server.Text, PgDumpVersion: info.PgDump.Text}
		c.Files = append(c.Files, backup.File{Name: pgDumpName, Src: snap, Mode: 0o600})
		what = fmt.Sprintf("PostgreSQL schema %s (pg_dump %s)", info.Schema, info.PgDump.Text)
	} else {
		snap := filepath.Join(snapDir, sqliteFile)
		snapper, ok := a.store.(interface {
			Snapshot(ctx context.Context, path string) error
		})
		if !ok {
			return fmt.Errorf("backup: store %T cannot take a snapshot", a.store)
		}
		if err := snapper.Snapshot(ctx, snap); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		c.Files = append(c.Files, backup.File{Name: sqliteFile, Src: snap, Mode: 0o644})
	}
	for _, k := range []struct {
		name string
		mode os.FileMode
	}{{"log.key", 0o600}, {"log.pub", 0o644}} {
		if _, err := os.Stat(filepath.Join(*data, k.name)); err == nil {
			c.Files = append(c.Files, backup.File{Name: k.name, Src: filepath.Join(*data, k.name), Mode: k.mode})
		}
	}
	// Blobs are listed after the snapshot, so every blob it names is there.
	if d, ok := a.blobs.(*archive.Dir); ok {
		c.BlobsDir = d.Root()
	} else {
		if c.Digests, err = documentBlobs(ctx, a.store); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		c.Blobs = a.blobs
	}
	m, err := backup.Write(ctx, f, c)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(env.stdout, "backup written to %s: %s, %d blobs, log key pair\n", *out, what, len(m.Files)-len(c.Files))
	return nil
}

// documentBlobs lists the digests of every document's blob and capture
// record, for a blob store that cannot be walked.
func documentBlobs(ctx context.Context, st testigo.Store) ([]testigo.Digest, error) {
	var out []testigo.Digest
	var before testigo.DocumentID
	for {
		docs, err := st.FindDocuments(ctx, testigo.DocumentFilter{Limit: 1000, Before: before})
		if err != nil {
			return nil, fmt.Errorf("list documents: %w", err)
		}
		if len(docs) == 0 {
			return out, nil
		}
		for _, d := range docs {
			out = append(out, d.SHA256)
			if d.Capture != "" {
				out = append(out, d.Capture)
			}
		}
		before = docs[len(docs)-1].ID
	}
}

func runRestore(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "restore", "[flags] FILE", restoreUsage)
	data := dataFlag(fs, env)
	force := fs.Bool("force", false, "restore a PostgreSQL backup into a schema that is not empty, replacing it")
	pgBin := fs.String("pg-bin", "", "directory holding pg_restore (default: found on PATH)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() != 1 {
		return usageErrorf("testigo restore: want one backup FILE (run 'testigo restore -h')")
	}
	dsn := *env.db
	if dsn != "" && !isPostgresDSN(dsn) {
		return usageErrorf("--db %q is not a PostgreSQL DSN: want postgres://… or postgresql://…", redactDSN(dsn))
	}
	if *force && dsn == "" {
		return usageErrorf("testigo restore: --force applies to a PostgreSQL target (--db); a data directory must be new or empty")
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	// Everything that can be checked before unpacking is.
	pgRestore := ""
	if dsn != "" {
		if pgRestore, err = pgbackup.FindTool("pg_restore", *pgBin, env.getenv("PATH")); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if _, err := pgbackup.CheckTarget(ctx, dsn, *force); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if entries, err := os.ReadDir(*data); err == nil && len(entries) > 0 {
		return fmt.Errorf("restore: %s is not empty; restore into a new directory", *data)
	}
	if env.getenv("TESTIGO_BLOBS") != "" {
		// Object storage that cannot be reached fails here, before anything
		// is restored (a local blob directory is created by the restore).
		if _, err := openBlobs(ctx, env, *data); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	m, err := backup.Restore(ctx, in, *data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	// From here on the data directory is ours: a failure removes it.
	res, schema, err := restoreInto(ctx, env, m, *data, dsn, pgRestore, *force)
	if err != nil {
		if rerr := os.RemoveAll(*data); rerr != nil {
			return fmt.Errorf("%w (and removing %s: %v)", err, *data, rerr)
		}
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintln(env.stdout, "DAMAGED:", p)
	}
	if !res.OK() {
		return fmt.Errorf("restored %s but verify found %d problems", *data, len(res.Problems))
	}
	into := *data
	if schema != "" {
		into = fmt.Sprintf("%s and PostgreSQL schema %s", *data, schema)
	}
	fmt.Fprintf(env.stdout, "restored backup of %s into %s: %d files; verified %d blobs, %d log entries, %d checkpoints\n",
		m.Created.Format("2006-01-02 15:04 UTC"), into, len(m.Files), res.Blobs, res.Entries, res.Checkpoints)
	return nil
}

// restoreInto finishes a restore whose files are unpacked in data: it
// restores the PostgreSQL dump into dsn, moves the blobs to object storage
// when TESTIGO_BLOBS names one, and verifies the result. It returns the
// PostgreSQL schema restored into ("" for SQLite).
func restoreInto(ctx context.Context, env *environ, m *backup.Manifest, data, dsn, pgRestore string, force bool) (_ *verify.Result, schema string, err error) {
	switch {
	case m.Backend == "postgres" && dsn == "":
		return nil, "", usageErrorf("restore: the backup holds a PostgreSQL dump (schema %s): name the target database with --db postgres://… (or TESTIGO_DB)",
			schemaOf(m))
	case m.Backend == "postgres" && m.Postgres == nil:
		return nil, "", errors.New("restore: damaged backup: the manifest does not describe its PostgreSQL dump")
	case m.Backend != "postgres" && dsn != "":
		return nil, "", usageErrorf("restore: the backup holds a %s database, not a PostgreSQL dump: restore it without --db", m.Backend)
	}
	if m.Backend == "postgres" {
		dumper, err := pgbackup.ParseVersion(m.Postgres.PgDumpVersion)
		if err != nil {
			return nil, "", fmt.Errorf("restore: damaged backup manifest: pg_dump version: %w", err)
		}
		dump := filepath.Join(data, filepath.FromSlash(m.Postgres.Dump))
		info := pgbackup.Info{Schema: m.Postgres.Schema, PgDump: dumper}
		if schema, err = pgbackup.Restore(ctx, pgRestore, dsn, dump, info, force, os.Environ()); err != nil {
			return nil, "", fmt.Errorf("restore: %w", err)
		}
		if err := os.Remove(dump); err != nil {
			return nil, "", fmt.Errorf("restore: %w", err)
		}
	}
	a, err := openApp(ctx, env, data)
	if err != nil {
		return nil, "", err
	}
	defer a.Close()
	if _, ok := a.blobs.(*archive.Dir); !ok {
		dir := filepath.Join(data, "blobs")
		if _, err := backup.CopyBlobs(ctx, dir, a.blobs); err != nil {
			return nil, "", fmt.Errorf("restore: %w", err)
		}
		if err := os.RemoveAll(dir); err != nil {
			return nil, "", fmt.Errorf("restore: %w", err)
		}
	}
	res, err := verify.Run(ctx, a.store, a.blobs, a.logKey)
	if err != nil {
		return nil, "", fmt.Errorf("verify restored %s: %w", data, err)
	}
	return res, schema, nil
}

func schemaOf(m *backup.Manifest) string {
	if m.Postgres == nil {
		return "?"
	}
	return m.Postgres.Schema
}
