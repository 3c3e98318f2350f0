package main

import (
	"context"
	"fmt"

	"github.com/testigo-project/testigo/internal/translog"
)

const keyUsage = `
testigo key show: print the verifier key of this data directory's
transparency log. Give it to anyone who wants to check checkpoints, proofs and
evidence bundles. The key pair is created on first use and kept in the data
directory (log.key, mode 0600, and log.pub).`

func runKey(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "key", "show [flags]", keyUsage)
	data := dataFlag(fs, env)
	if len(args) > 0 && args[0] == "show" {
		args = args[1:]
	} else if len(args) == 0 || (args[0] != "-h" && args[0] != "--help") {
		return usageErrorf("testigo key: want 'testigo key show' (run 'testigo key -h' for usage)")
	}
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo key show: unexpected argument %q", fs.Arg(0))
	}
	_, vkey, err := translog.LoadOrCreateKey(*data)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, vkey)
	return nil
}
