package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/extract"
	"github.com/testigo-project/testigo/internal/geo"
	"github.com/testigo-project/testigo/internal/ingest"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/s3blobs"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
	"github.com/testigo-project/testigo/internal/tsa"
	"github.com/testigo-project/testigo/internal/warc"
)

// app is what the store-backed subcommands share: the store and the archive
// in one data directory, and the extractor.
type app struct {
	store testigo.Store
	users testigo.UserStore // the same database: accounts, sessions, API tokens
	blobs archive.Blobs
	// extractor is built on first use: loading the gazetteer takes half a
	// second that commands which extract nothing should not pay.
	extractorOnce sync.Once
	extractor     *extract.Extractor
	extractorErr  error
	signer        note.Signer // signs the transparency log's checkpoints
	logKey        string      // the verifier key of signer
	now           func() time.Time
	// tsa, when set, time-stamps every new checkpoint (RFC 3161); a failure
	// is reported on warn and does not fail the command.
	tsa  *tsa.Client
	warn io.Writer
	// warc, opened by the commands that fetch, records web captures in
	// dir/warc as WARC files.
	dir  string
	warc *warc.Writer
}

// openApp opens (creating if needed) the data directory dir: the SQLite
// database dir/testigo.db (or the PostgreSQL database --db names, with the
// log keys still in dir) and the blob archive dir/blobs, or the object
// store TESTIGO_BLOBS names (s3://BUCKET/PREFIX?endpoint=HOST:PORT, keys
// from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
func openApp(ctx context.Context, env *environ, dir string) (*app, error) {
	if dir == "" {
		return nil, usageErrorf("--data must not be empty")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	blobs, err := openBlobs(ctx, env, dir)
	if err != nil {
		return nil, err
	}

	signer, logKey, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		return nil, err
	}
	db := ""
	if env.db != nil {
		db = *env.db
	}
	target, err := storeTarget(db, dir)
	if err != nil {
		return nil, err
	}
	var opts []sqlite.Option
	if env.readMostly {
		opts = append(opts, sqlite.MemoryMapped(1<<30))
	}
	var st testigo.Store
	if env.waitForDB {
		st, err = openStoreRetrying(ctx, target, env.stderr, defaultStoreRetry, opts...)
	} else {
		st, err = openStore(ctx, target, opts...)
	}
	if err != nil {
		return nil, err
	}
	users, ok := st.(testigo.UserStore)
	if !ok {
		st.Close()
		return nil, fmt.Errorf("store %T keeps no accounts", st)
	}
	return &app{store: st, users: users, blobs: blobs, signer: signer, logKey: logKey, now: time.Now, dir: dir}, nil
}

// checkpoint signs the log's current head, after an ingest batch, and has
// it time-stamped when a time-stamping authority is configured. The
// authority is asked outside the transaction, so a slow one never holds the
// database's write lock.
func (a *app) checkpoint(ctx context.Context) (*testigo.Checkpoint, error) {
	var c *testigo.Checkpoint
	err := a.store.Transact(ctx, func(tx testigo.Store) error {
		var err error
		c, err = translog.Checkpoint(ctx, tx, a.signer, a.now())
		return err
	})
	if err != nil || a.tsa == nil || c.Timestamp != nil {
		return c, err
	}
	tok, err := a.tsa.Stamp(ctx, c.Note)
	if err == nil {
		err = a.store.SetCheckpointTimestamp(ctx, c.Size, tok.DER)
	}
	if err != nil {
		if a.warn != nil {
			fmt.Fprintf(a.warn, "testigo: warning: checkpoint of size %d not time-stamped: %v\n", c.Size, err)
		}
		return c, nil
	}
	c.Timestamp = tok.DER
	return c, nil
}

// useTSA configures time-stamping from the --tsa flag's value.
func (a *app) useTSA(url string, warn io.Writer) {
	if url != "" {
		a.tsa = &tsa.Client{URL: url}
	}
	a.warn = warn
}

// warcWriter opens the WARC writer of the data dir, once.
func (a *app) warcWriter() (*warc.Writer, error) {
	if a.warc == nil {
		w, err := warc.Open(filepath.Join(a.dir, "warc"), 0)
		if err != nil {
			return nil, err
		}
		a.warc = w
	}
	return a.warc, nil
}

// Close closes the WARC writer, if open, and the store.
func (a *app) Close() error {
	var werr error
	if a.warc != nil {
		werr = a.warc.Close()
	}
	return errors.Join(werr, a.store.Close())
}

// loadExtractor builds the extractor over the embedded gazetteer, once.
func (a *app) loadExtractor() (*extract.Extractor, error) {
	a.extractorOnce.Do(func() {
		gz, err := geo.Load()
		if err != nil {
			a.extractorErr = fmt.Errorf("load gazetteer: %w", err)
			return
		}
		a.extractor = extract.New(gz)
	})
	return a.extractor, a.extractorErr
}

// pipeline returns the ingest pipeline over the app's store and archive. It
// loads the gazetteer, which is embedded and cannot fail to load in a
// correctly built binary; if it does, the pipeline stores documents without
// extracting, and the error is reported on the app's warning writer.
func (a *app) pipeline() *ingest.Pipeline {
	ex, err := a.loadExtractor()
	if err != nil && a.warn != nil {
		fmt.Fprintf(a.warn, "testigo: warning: %v; documents are stored without extraction\n", err)
	}
	var extractor ingest.Extractor
	if ex != nil {
		extractor = extractorFunc(func(text, lang string, published time.Time) []testigo.Event {
			return ex.Extract(extract.Input{Text: text, Lang: lang, Published: published})
		})
	}
	return &ingest.Pipeline{
		Store:   a.store,
		Blobs:   a.blobs,
		Extract: extractor,
		Record:  jobs.LogCapture,
		Attach: func(ctx context.Context, tx testigo.Store, r *testigo.Report) error {
			return jobs.AttachReport(ctx, tx, r, a.now())
		},
		Now:              a.now,
		ExtractorVersion: extract.Version,
	}
}

// extractorFunc adapts the extractor to the ingest pipeline.
type extractorFunc func(text, lang string, published time.Time) []testigo.Event

// Extract calls f.
func (f extractorFunc) Extract(text, lang string, published time.Time) []testigo.Event {
	return f(text, lang, published)
}

// openBlobs opens the blob store: TESTIGO_BLOBS when set, else dir/blobs.
func openBlobs(ctx context.Context, env *environ, dir string) (archive.Blobs, error) {
	if u := env.getenv("TESTIGO_BLOBS"); u != "" {
		c, err := s3blobs.ParseURL(u, env.getenv("AWS_ACCESS_KEY_ID"), env.getenv("AWS_SECRET_ACCESS_KEY"))
		if err != nil {
			return nil, usageErrorf("TESTIGO_BLOBS: %v", err)
		}
		return s3blobs.Open(ctx, c)
	}
	blobs, err := archive.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		return nil, fmt.Errorf("open archive in %s: %w", dir, err)
	}
	return blobs, nil
}
