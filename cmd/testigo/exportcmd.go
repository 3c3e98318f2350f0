package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/exporter"
	"github.com/testigo-project/testigo/internal/geo"
	"github.com/testigo-project/testigo/internal/translog"
)

const exportUsage = `
Write incidents in a format other tools read, streaming them page by page.

  jsonl      one JSON object per incident with every field
  csv        testigo's own columns
  acled-csv  ACLED's columns in ACLED's order, then fatalities_min,
             fatalities_max, grade, review_status, evidence_url, log_index
  ucdp-csv   UCDP GED's columns (best, low, high), then log_index
  geojson    an RFC 7946 FeatureCollection; incidents without coordinates
             have "geometry": null
  atom       an Atom 1.0 feed of published incidents

By default every incident that is not rejected is written, with its review
status as a column; --status published is the public release. Every row
names log_index, the transparency-log entry of the incident state it was
written from. Each run records a publication entry in the log (the SHA-256
of the output, its format, filters and row count) and signs a checkpoint.
With -o the file is written to a temporary file beside FILE and renamed at
the end, so an interrupted export leaves no partial file.`

func runExport(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "export", "--format FORMAT [flags]", exportUsage)
	data := dataFlag(fs, env)
	format := fs.String("format", "jsonl", "jsonl, csv, acled-csv, ucdp-csv, geojson or atom")
	out := fs.String("o", "", "file to write (default standard output)")
	baseURL := fs.String("base-url", env.getenv("TESTIGO_BASE_URL"),
		"prefix of the incident pages in evidence_url and the Atom links, such as https://testigo.example.org (env TESTIGO_BASE_URL)")
	tsaURL := tsaFlag(fs, env)
	var f exporter.Filter
	fs.StringVar(&f.Since, "since", "", "only incidents on or after this date, YYYY-MM-DD")
	fs.StringVar(&f.Until, "until", "", "only incidents on or before this date, YYYY-MM-DD")
	fs.StringVar(&f.Country, "country", "", "only incidents in this country (ISO 3166-1 alpha-2, such as VE)")
	typ := fs.String("type", "", "only incidents of this event type")
	grade := fs.String("grade", "", "only incidents of this grade: confirmed, fair, weak, contested or discounted")
	status := fs.String("status", "", "only incidents in this review state: new, in_review, published or rejected (default: all but rejected)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo export: unexpected argument %q (flags only; run 'testigo export -h')", fs.Arg(0))
	}
	opt := exporter.Options{Format: exporter.Format(*format), BaseURL: *baseURL}
	if !opt.Format.Valid() {
		var names []string
		for _, v := range exporter.Formats {
			names = append(names, string(v))
		}
		return usageErrorf("testigo export: --format %q is not one of %s", *format, strings.Join(names, ", "))
	}
	f.Country = strings.ToUpper(f.Country)
	f.Type, f.Grade, f.Status = testigo.EventType(*typ), testigo.Grade(*grade), testigo.ReviewState(*status)
	if err := f.Validate(); err != nil {
		return usageErrorf("testigo export: %s", strings.TrimPrefix(err.Error(), testigo.ErrInvalid.Error()+": "))
	}
	if opt.Format == exporter.Atom && f.Status != "" && f.Status != testigo.ReviewPublished {
		return usageErrorf("testigo export: the atom feed holds published incidents only, not --status %s", f.Status)
	}
	opt.Filter = f

	// Check that the output can be written before doing any work.
	var tmp *os.File
	if *out != "" {
		var err error
		if tmp, err = createTempBeside(*out); err != nil {
			return err
		}
		defer func() {
			// After a successful rename the temporary file is gone;
			// otherwise it is removed here.
			tmp.Close()
			_ = os.Remove(tmp.Name()) // the error is "does not exist" after the rename
		}()
	}

	env.readMostly = true
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	a.useTSA(*tsaURL, env.stderr)
	if opt.Format == exporter.ACLEDCSV || opt.Format == exporter.UCDPCSV || opt.Format == exporter.Atom {
		gz, err := geo.Load()
		if err != nil {
			return fmt.Errorf("load gazetteer for country names: %w", err)
		}
		opt.CountryName = gz.CountryName
	}
	opt.Now = a.now

	h := sha256.New()
	var dst io.Writer = env.stdout
	if tmp != nil {
		dst = tmp
	}
	res, err := exporter.Write(ctx, a.store, io.MultiWriter(dst, h), opt)
	if err != nil {
		return err
	}
	if tmp != nil {
		if err := tmp.Sync(); err != nil {
			return fmt.Errorf("write %s: %w", *out, err)
		}
		if err := tmp.Close(); err != nil {
			return fmt.Errorf("write %s: %w", *out, err)
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))
	entry, err := logPublication(ctx, a, exporter.Publication{Format: opt.Format, SHA256: sum, Rows: res.Rows, Filter: f, BaseURL: opt.BaseURL})
	if err != nil {
		return err
	}
	if tmp != nil {
		if err := os.Rename(tmp.Name(), *out); err != nil {
			return fmt.Errorf("write %s: %w", *out, err)
		}
	}
	if _, err := a.checkpoint(ctx); err != nil {
		return fmt.Errorf("sign checkpoint: %w", err)
	}
	if *out != "" {
		fmt.Fprintf(env.stderr, "%d incidents written to %s (sha256 %s, log entry %d)\n", res.Rows, *out, sum, entry.Index)
	}
	return nil
}

// createTempBeside creates the temporary file an export to path is
// written to, in path's directory so that the final rename stays on one
// file system. It fails with a one-line message when path cannot be written.
func createTempBeside(path string) (*os.File, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("cannot write %s: it is a directory", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot write %s: %w", path, err)
	}
	return tmp, nil
}

// logPublication records an export run in the transparency log.
func logPublication(ctx context.Context, a *app, p exporter.Publication) (*testigo.LogEntry, error) {
	content, err := p.Content()
	if err != nil {
		return nil, err
	}
	e, err := translog.NewEntry(testigo.LogPublication, exporter.PublicationSubject(p.Format), content, nil)
	if err != nil {
		return nil, fmt.Errorf("log publication: %w", err)
	}
	err = a.store.Transact(ctx, func(tx testigo.Store) error {
		return translog.Append(ctx, tx, e)
	})
	if err != nil {
		return nil, fmt.Errorf("log publication: %w", err)
	}
	return e, nil
}
