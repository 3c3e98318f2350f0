package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/geo"
	"github.com/testigo-project/testigo/internal/proof"
	"github.com/testigo-project/testigo/internal/site"
	"github.com/testigo-project/testigo/internal/translog"
	"github.com/testigo-project/testigo/internal/web"
)

const publishUsage = `
Build the public static site of the published incidents in DIR: an index
with a map and a timeline, a page per incident, per month and per country,
the exports in every format (JSONL, CSV, ACLED and UCDP CSV, GeoJSON, Atom)
and the files that let anyone check the release (SHA256SUMS, the signed
checkpoint, the verifier key and the release's log entry with its inclusion
proof, under verify/). The pages use relative links and no script, so the
site works from any static host and opened from the file system.

The build is incremental: a file is rewritten only when its bytes change,
and files of withdrawn incidents are removed. When no incident changed
since the last build (no incident entry in the log since, same program and
flags), nothing is rendered at all; --full renders everything anyway and
repairs files edited by hand. Each build whose SHA256SUMS
differs from the last release records a publication entry in the
transparency log and signs a checkpoint.

With --check, nothing is built: the site in DIR is checked offline against
its SHA256SUMS and its publication proof, under --key (default: the key in
DIR/verify/log.pub, which only shows the copy is self-consistent).`

func runPublish(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "publish", "--out DIR [flags]", publishUsage)
	data := dataFlag(fs, env)
	out := fs.String("out", "", "directory of the site (new, empty or holding an earlier build)")
	baseURL := fs.String("base-url", env.getenv("TESTIGO_BASE_URL"),
		"where the site will be served, such as https://testigo.example.org; used in the exports' links (env TESTIGO_BASE_URL)")
	title := fs.String("title", "testigo", "the site's title")
	tsaURL := tsaFlag(fs, env)
	full := fs.Bool("full", false, "render every file even if no incident changed since the last build (repairs files edited by hand)")
	check := fs.Bool("check", false, "check the site in --out offline instead of building it")
	key := fs.String("key", "", "with --check: the log's verifier key to check the checkpoint against")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo publish: unexpected argument %q (flags only; run 'testigo publish -h')", fs.Arg(0))
	}
	if *out == "" {
		return usageErrorf("testigo publish: --out DIR is required")
	}
	if *check {
		n, err := site.Check(*out, *key)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "site in %s checks out: %d files match %s, whose digest is in the log under the signed checkpoint\n", *out, n, site.ManifestName)
		return nil
	}
	if *key != "" {
		return usageErrorf("testigo publish: --key is for --check")
	}
	if err := checkWritableDir(*out); err != nil {
		return err
	}
	unlock, err := site.Lock(*out)
	if err != nil {
		return err
	}
	defer unlock() // the lock also goes with the process

	env.readMostly = true
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	a.useTSA(*tsaURL, env.stderr)
	gz, err := geo.Load()
	if err != nil {
		return fmt.Errorf("load gazetteer for country names: %w", err)
	}
	opt := site.Options{Title: *title, BaseURL: *baseURL, CountryName: gz.CountryName, Basemap: basemap(a.store, env), Full: *full}
	res, err := site.Build(ctx, a.store, *out, opt)
	if err != nil {
		return err
	}
	entry, fresh, err := logRelease(ctx, a, site.Publication{ManifestSHA256: res.ManifestSHA256, Files: res.Files,
		Incidents: res.Incidents, BaseURL: *baseURL})
	if err != nil {
		return err
	}
	cp, err := a.checkpoint(ctx)
	if err != nil {
		return fmt.Errorf("sign checkpoint: %w", err)
	}
	p, err := proof.ForEntry(ctx, a.store, entry)
	if err != nil {
		return err
	}
	pj, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("publication proof: %w", err)
	}
	w, u, err := site.WriteVerification(*out, site.Verification{Checkpoint: cp.Note, LogKey: a.logKey, Publication: append(pj, '\n')})
	if err != nil {
		return err
	}
	release := "unchanged release, log entry"
	if fresh {
		release = "new release, log entry"
	}
	note := ""
	if res.Skipped {
		note = " (no incident changed since the last build: nothing rendered)"
	}
	fmt.Fprintf(env.stdout, "site in %s: %d incidents; %d written, %d unchanged, %d removed%s; %s %d, checkpoint of size %d\n",
		*out, res.Incidents, res.Written+w, res.Unchanged+u, res.Removed, note, release, entry.Index, cp.Size)
	return nil
}

// checkWritableDir creates dir if needed and checks that a file can be
// created in it, so that a bad --out fails before any work.
func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot write site to %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".testigo-write-check-*")
	if err != nil {
		return fmt.Errorf("cannot write site to %s: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// logRelease records the site release in the transparency log, unless the
// latest release entry already names the same SHA256SUMS; it returns the
// entry and whether it is new.
func logRelease(ctx context.Context, a *app, pub site.Publication) (*testigo.LogEntry, bool, error) {
	content, err := pub.Content()
	if err != nil {
		return nil, false, err
	}
	prev, err := a.store.FindLogEntriesBySubject(ctx, site.PublicationSubject)
	if err != nil {
		return nil, false, fmt.Errorf("log site release: %w", err)
	}
	if n := len(prev); n > 0 && bytes.Equal(prev[n-1].Content, content) {
		return prev[n-1], false, nil
	}
	e, err := translog.NewEntry(testigo.LogPublication, site.PublicationSubject, content, nil)
	if err != nil {
		return nil, false, fmt.Errorf("log site release: %w", err)
	}
	if err := a.store.Transact(ctx, func(tx testigo.Store) error { return translog.Append(ctx, tx, e) }); err != nil {
		return nil, false, fmt.Errorf("log site release: %w", err)
	}
	return e, true, nil
}

// basemapPath is the world-atlas outline file the web UI vendors.
const basemapPath = "/static/vendor/world-atlas-2.0.2/countries-110m.json"

// basemap returns the country outlines for the site's maps, read from the
// web UI's embedded static files (internal/web keeps them unexported, so
// they are requested from its handler in process). Without them the maps
// show the incidents alone, with a warning.
func basemap(st testigo.Store, env *environ) []byte {
	h, err := web.NewHandler(web.Deps{Store: st})
	if err == nil {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, basemapPath, nil))
		if rec.Code == http.StatusOK {
			return rec.Body.Bytes()
		}
		err = fmt.Errorf("status %d", rec.Code)
	}
	fmt.Fprintf(env.stderr, "testigo: warning: no basemap (%s: %v); the maps show incidents without outlines\n", basemapPath, err)
	return nil
}
