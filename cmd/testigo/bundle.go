package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/bundle"
)

const bundleUsage = `
Write the evidence bundle of an incident: a zip file with the incident, its
reports, the archived captures, every log entry's inclusion proof and the
signed checkpoint, plus a README.txt on checking it by hand. Anyone can then
check it offline with 'testigo verify-bundle FILE --key KEY'.`

func runBundle(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "bundle", "[flags] INCIDENT_ID", bundleUsage)
	data := dataFlag(fs, env)
	out := fs.String("o", "", "the zip file to write (required)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() != 1 || *out == "" {
		return usageErrorf("testigo bundle: want -o FILE.zip and one INCIDENT_ID (flags first)")
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return usageErrorf("testigo bundle: %q is not an incident ID", fs.Arg(0))
	}
	// Fail before any work if the target cannot be written; write to a
	// temporary file beside it and rename, so no partial bundle is left.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".bundle-*.zip")
	if err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	defer os.Remove(tmp.Name())
	a, err := openApp(ctx, env, *data)
	if err != nil {
		tmp.Close()
		return err
	}
	defer a.Close()
	if err := bundle.Write(ctx, a.store, a.blobs, testigo.IncidentID(id), a.logKey, tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(env.stdout, "wrote %s; check it with: testigo verify-bundle %s --key '%s'\n", *out, *out, a.logKey)
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return fmt.Sprint(*l) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runVerifyBundle(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "verify-bundle", "[flags] FILE.zip",
		"Check an evidence bundle offline, with no store and no network, against the log's verifier key.")
	key := fs.String("key", "", "the log's verifier key (required)")
	var witnesses stringList
	fs.Var(&witnesses, "witness", "a witness's verifier key whose signature the checkpoint must carry (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() != 1 || *key == "" {
		return usageErrorf("testigo verify-bundle: want --key KEY and one FILE.zip (flags first)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("open bundle: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open bundle: %w", err)
	}
	rep, err := bundle.Verify(f, fi.Size(), *key, witnesses)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	fmt.Fprintf(env.stdout, "OK: %q — %d proofs and %d archived captures check against a signed tree of %d entries (%d redacted)\n",
		rep.Incident, rep.Proofs, rep.Documents, rep.TreeSize, rep.Redacted)
	return nil
}
