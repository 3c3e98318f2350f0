package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/testigo-project/testigo/internal/pg"
)

const migrateUsage = `
Bring the database schema up to date with this testigo and print the schema
version. Every command migrates on opening anyway; migrate does it on its
own, so that an operator can upgrade the schema once, before starting
several worker processes with a new binary. A schema newer than this testigo
is refused, as at every start.

The database is the PostgreSQL server --db (or TESTIGO_DB) names, or else
the SQLite database in the data directory --data.`

func runMigrate(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "migrate", "[--db DSN | --data DIR]", migrateUsage)
	data := dataFlag(fs, env) // registers --db too
	db := env.db
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo migrate: unexpected argument %q", fs.Arg(0))
	}
	target, err := storeTarget(*db, *data)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, target)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer st.Close()
	var version int64
	var where string
	switch s := st.(type) {
	case *pg.Store:
		version, err = s.SchemaVersion(ctx)
		where = "PostgreSQL " + s.Server()
		if cfg, err := pgx.ParseConfig(target); err == nil && cfg.RuntimeParams["search_path"] != "" {
			where += ", search_path " + cfg.RuntimeParams["search_path"]
		}
	default:
		path := filepath.Join(target, sqliteFile)
		version, err = sqliteSchemaVersion(ctx, path)
		where = "SQLite " + path
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintf(env.stdout, "schema version %d (%s)\n", version, where)
	return nil
}

// sqliteSchemaVersion reads the newest migration version recorded in the
// SQLite database at path (goose's version table), on a read-only
// connection of its own beside the open store.
func sqliteSchemaVersion(ctx context.Context, path string) (int64, error) {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	db, err := sql.Open("sqlite", "file:"+esc+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", path, err)
	}
	defer db.Close()
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version of %s: %w", path, err)
	}
	return v.Int64, nil
}
