package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/testigo-project/testigo/internal/translog"
)

const checkpointUsage = `
testigo checkpoint export: write the latest signed checkpoint with a proof
that it extends the tree of --since-size entries, for a witness to co-sign
with 'testigo witness'.`

func runCheckpoint(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "checkpoint", "export [flags]", checkpointUsage)
	data := dataFlag(fs, env)
	since := fs.Int64("since-size", 0, "size of the tree the witness saw last (0: none)")
	out := fs.String("o", "", "file to write (default standard output)")
	if len(args) == 0 || args[0] != "export" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fs.Usage()
			return nil
		}
		return usageErrorf("testigo checkpoint: want 'testigo checkpoint export' (run 'testigo checkpoint -h')")
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return helpIsOK(err)
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	e, err := translog.NewExport(ctx, a.store, *since)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("export checkpoint: %w", err)
	}
	return writeOut(*out, append(b, '\n'), env)
}

const witnessUsage = `
Act as a witness of another testigo's log: check that the exported
checkpoint is signed by --log-key and extends the last checkpoint this
witness saw of that log (refusing rollbacks and split views), then co-sign it
with this data directory's own key and remember it. The co-signed checkpoint
is written to -o (or standard output); verify-bundle --witness KEY accepts it.`

func runWitness(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "witness", "[flags] EXPORT_FILE", witnessUsage)
	data := dataFlag(fs, env)
	logKey := fs.String("log-key", "", "verifier key of the log being witnessed (required)")
	out := fs.String("o", "", "file for the co-signed checkpoint (default standard output)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() != 1 || *logKey == "" {
		return usageErrorf("testigo witness: want --log-key KEY and one EXPORT_FILE (flags first)")
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("read export: %w", err)
	}
	var e translog.Export
	if err := json.Unmarshal(raw, &e); err != nil {
		return fmt.Errorf("%s is not a checkpoint export: %v", fs.Arg(0), err)
	}
	signer, _, err := translog.LoadOrCreateKey(*data)
	if err != nil {
		return err
	}
	name, _, _ := strings.Cut(*logKey, "+")
	seenPath := filepath.Join(*data, "witness", name+".checkpoint")
	seen, err := os.ReadFile(seenPath)
	if errors.Is(err, os.ErrNotExist) {
		seen = nil
	} else if err != nil {
		return fmt.Errorf("read last seen checkpoint: %w", err)
	}
	tree, err := translog.CheckExport(&e, *logKey, seen)
	if err != nil {
		return err
	}
	cosigned, err := translog.Cosign([]byte(e.Checkpoint), *logKey, signer)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(seenPath), 0o755); err != nil {
		return fmt.Errorf("remember checkpoint: %w", err)
	}
	if err := writeFileAtomic(seenPath, []byte(e.Checkpoint)); err != nil {
		return fmt.Errorf("remember checkpoint: %w", err)
	}
	fmt.Fprintf(env.stderr, "witnessed %s at %d entries\n", tree.Origin, tree.Size)
	return writeOut(*out, cosigned, env)
}

// writeOut writes b to the named file atomically, or to standard output.
func writeOut(name string, b []byte, env *environ) error {
	if name == "" {
		_, err := env.stdout.Write(b)
		return err
	}
	return writeFileAtomic(name, b)
}

func writeFileAtomic(name string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return os.Rename(tmp.Name(), name)
}
