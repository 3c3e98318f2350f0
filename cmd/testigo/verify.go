package main

import (
	"context"
	"fmt"

	"github.com/testigo-project/testigo/internal/verify"
)

const verifyUsage = `
Check a data directory end to end: re-hash every archived blob, recompute the
transparency log's Merkle tree from its entries, check every signed
checkpoint's signature and its consistency with the latest, and check that
every document, report and incident row matches the log entry that recorded
it. Prints a summary; on damage, names each damaged item and exits 1.`

func runVerify(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "verify", "[flags]", verifyUsage)
	data := dataFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo verify: unexpected argument %q", fs.Arg(0))
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := verify.Run(ctx, a.store, a.blobs, a.logKey)
	if err != nil {
		return fmt.Errorf("verify %s: %w", *data, err)
	}
	fmt.Fprintf(env.stdout, "%d blobs (%d bytes) re-hashed, %d log entries (%d redacted), %d checkpoints (%d time-stamped), %d rows checked\n",
		res.Blobs, res.BlobBytes, res.Entries, res.Redacted, res.Checkpoints, res.Timestamps, res.Rows)
	for _, p := range res.Problems {
		fmt.Fprintln(env.stdout, "DAMAGED:", p)
	}
	if !res.OK() {
		return fmt.Errorf("verify found %d problems in %s", len(res.Problems), *data)
	}
	fmt.Fprintln(env.stdout, "OK: everything matches the log and its signed checkpoints")
	return nil
}
