package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/extract"
)

func runVersion(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "version", "", "Print testigo's version, the extractor's version and the Go version.")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo version: unexpected argument %q", fs.Arg(0))
	}
	fmt.Fprintf(env.stdout, "testigo %s (%s, %s)\n", testigo.Version, extract.Version, runtime.Version())
	return nil
}
