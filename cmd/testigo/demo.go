package main

import (
	"context"
	"fmt"

	"github.com/testigo-project/testigo/internal/demo"
	"github.com/testigo-project/testigo/internal/ingest"
)

const demoUsage = `
Create the data directory if needed, ingest the demo corpus bundled in the
binary — the 2025-11-03 report on planned US drone strikes in Mexico (UNN,
citing NBC News) and a set of English and Spanish reports written for this
project as illustrative data, not real reporting — then serve the web pages
and the API. Running it again reuses the data without duplicating anything.`

func runDemo(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "demo", "[flags]", demoUsage)
	data := dataFlag(fs, env)
	addr := fs.String("addr", defaultAddr, "address to listen on")
	noServe := fs.Bool("no-serve", false, "ingest the demo corpus and exit without serving")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo demo: unexpected argument %q", fs.Arg(0))
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()

	files, err := demo.Files()
	if err != nil {
		return err
	}
	var sum ingest.Summary
	p := a.pipeline()
	for _, f := range files {
		inputs, errs := ingest.ReadBytes(f.Name, f.Data)
		for _, e := range errs {
			sum.Fail(e)
		}
		for _, in := range inputs {
			out, err := p.Ingest(ctx, in)
			sum.Add(in, out, err)
		}
	}
	c, err := a.checkpoint(ctx)
	if err != nil {
		return fmt.Errorf("sign checkpoint: %w", err)
	}
	fmt.Fprintf(env.stderr, "log checkpoint: %d entries, signed by %s\n", c.Size, a.signer.Name())
	fmt.Fprintf(env.stdout, "demo corpus in %s: ", *data)
	sum.Print(env.stdout)
	if n := sum.Failed(); n > 0 {
		return fmt.Errorf("%d demo documents failed to ingest", n)
	}
	if *noServe {
		return nil
	}
	return serve(ctx, a, *addr, env, nil)
}
