package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/backup"
	"github.com/testigo-project/testigo/internal/verify"
)

const backupUsage = `
Write a backup of the whole data directory to one file (tar.gz): a
consistent snapshot of the database taken while testigo keeps running, every
archived blob, the log's key pair (the private key too: keep the backup as
safe as the data directory) and a manifest of SHA-256 digests. Restore it
with 'testigo restore'.`

const restoreUsage = `
Restore a backup written by 'testigo backup' into a new data directory
(--data, which must not exist or be empty). Every file is checked against
the backup's manifest before anything is put in place, then the restored
directory is verified end to end as 'testigo verify' does.`

func runBackup(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "backup", "[flags] -o FILE", backupUsage)
	data := dataFlag(fs, env)
	out := fs.String("o", "", "the backup file to write (required)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if *out == "" || fs.NArg() > 0 {
		return usageErrorf("testigo backup: want -o FILE and no arguments (run 'testigo backup -h')")
	}
	if _, err := os.Stat(filepath.Join(*data, "testigo.db")); err != nil && (env.db == nil || *env.db == "") {
		return fmt.Errorf("backup: %s holds no testigo database", *data)
	}
	// Check the target is writable before any work.
	f, err := os.CreateTemp(filepath.Dir(*out), ".backup-*")
	if err != nil {
		return fmt.Errorf("backup: cannot write beside %s: %w", *out, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	a, err := openApp(ctx, env, *data)
	if err != nil {
		f.Close()
		return err
	}
	defer a.Close()
	snapDir, err := os.MkdirTemp("", "testigo-snapshot-*")
	if err != nil {
		f.Close()
		return fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(snapDir)
	snap := filepath.Join(snapDir, "testigo.db")
	snapper, ok := a.store.(interface {
		Snapshot(ctx context.Context, path string) error
	})
	if !ok {
		f.Close()
		return fmt.Errorf("backup: the database is PostgreSQL: back it up with pg_dump; testigo backup copies a SQLite data directory")
	}
	if err := snapper.Snapshot(ctx, snap); err != nil {
		f.Close()
		return fmt.Errorf("backup: %w", err)
	}
	files := []backup.File{{Name: "testigo.db", Src: snap, Mode: 0o644}}
	for _, k := range []struct {
		name string
		mode os.FileMode
	}{{"log.key", 0o600}, {"log.pub", 0o644}} {
		if _, err := os.Stat(filepath.Join(*data, k.name)); err == nil {
			files = append(files, backup.File{Name: k.name, Src: filepath.Join(*data, k.name), Mode: k.mode})
		}
	}
	blobsDir := ""
	if d, ok := a.blobs.(*archive.Dir); ok {
		blobsDir = d.Root()
	} else {
		fmt.Fprintln(env.stderr, "testigo backup: blobs are in object storage (TESTIGO_BLOBS); back them up there")
	}
	m, err := backup.Write(ctx, f, "sqlite", files, blobsDir, a.now())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(env.stdout, "backup written to %s: database, %d blobs, log key pair\n", *out, len(m.Files)-len(files))
	return nil
}

func runRestore(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "restore", "[flags] FILE", restoreUsage)
	data := dataFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() != 1 {
		return usageErrorf("testigo restore: want one backup FILE (run 'testigo restore -h')")
	}
	in, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	m, err := backup.Restore(ctx, in, *data)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := verify.Run(ctx, a.store, a.blobs, a.logKey)
	if err != nil {
		return fmt.Errorf("verify restored %s: %w", *data, err)
	}
	for _, p := range res.Problems {
		fmt.Fprintln(env.stdout, "DAMAGED:", p)
	}
	if !res.OK() {
		return fmt.Errorf("restored %s but verify found %d problems", *data, len(res.Problems))
	}
	fmt.Fprintf(env.stdout, "restored backup of %s into %s: %d files; verified %d blobs, %d log entries, %d checkpoints\n",
		m.Created.Format("2006-01-02 15:04 UTC"), *data, len(m.Files), res.Blobs, res.Entries, res.Checkpoints)
	return nil
}
