package main

import (
	"context"
	"fmt"
	"strconv"
)

const redactUsage = `
Delete the content and salt of one transparency-log entry — for example an
entry whose text names a person it would endanger — while keeping its leaf,
so every proof and checkpoint stays valid and verify reports the entry as
redacted, not as tampered. The rows the entry described are not changed.`

func runRedact(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "redact", "[flags] ENTRY_INDEX", redactUsage)
	data := dataFlag(fs, env)
	reason := fs.String("reason", "", "why the entry is redacted (required; printed, not stored in the log)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() != 1 || *reason == "" {
		return usageErrorf("testigo redact: want --reason R and one ENTRY_INDEX (flags first)")
	}
	idx, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || idx < 0 {
		return usageErrorf("testigo redact: %q is not a log entry index", fs.Arg(0))
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.store.RedactLogEntry(ctx, idx); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "log entry %d redacted (%s); its proofs stay valid\n", idx, *reason)
	return nil
}
