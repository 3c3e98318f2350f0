package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/testigo-project/testigo/internal/fetch"
	"github.com/testigo-project/testigo/internal/ingest"
)

const ingestUsage = `
Archive each file or URL, read its text, extract the events it reports and
cluster them into incidents. Accepts .txt, .md, .html, .json (one document:
{"id","text","url","published","lang"}), .jsonl (one such document per line)
and http(s) URLs. A document whose bytes were ingested before is skipped.
A bad input is reported and skipped; the rest of the batch goes on.`

func runIngest(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "ingest", "[flags] PATH|URL...", ingestUsage)
	data := dataFlag(fs, env)
	maxMB := fs.Int64("max-size", 20, "largest input accepted, in MB")
	timeout := fs.Duration("timeout", 30*time.Second, "time limit for fetching one URL")
	tsaURL := tsaFlag(fs, env)
	allowNet := fs.String("allow-net", env.getenv("TESTIGO_ALLOW_NET"),
		"comma-separated CIDR ranges that URLs may reach although not public (env TESTIGO_ALLOW_NET)")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() == 0 {
		return usageErrorf("testigo ingest: no PATH or URL given (run 'testigo ingest -h' for usage)")
	}
	nets, err := fetch.ParseAllowNets(*allowNet)
	if err != nil {
		return usageErrorf("testigo ingest: %v", err)
	}
	if *maxMB <= 0 {
		return usageErrorf("testigo ingest: --max-size %d is not a positive number of MB", *maxMB)
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	a.useTSA(*tsaURL, env.stderr)

	client := fetch.New(fetch.Config{AllowNets: nets, BodyTimeout: *timeout, MaxBytes: *maxMB << 20, IgnoreRobots: true}).Client()
	var bar *progressbar.ProgressBar
	if fs.NArg() > 1 && isTerminal(env.stderr) {
		bar = progressbar.NewOptions(fs.NArg(), progressbar.OptionSetWriter(env.stderr),
			progressbar.OptionSetDescription("ingesting"), progressbar.OptionClearOnFinish())
	}
	var sum ingest.Summary
	p := a.pipeline()
	for _, arg := range fs.Args() {
		if ctx.Err() != nil {
			break
		}
		inputs, errs := ingest.Read(ctx, client, arg, *maxMB<<20)
		for _, e := range errs {
			sum.Fail(e)
		}
		for _, in := range inputs {
			out, err := p.Ingest(ctx, in)
			sum.Add(in, out, err)
		}
		if bar != nil {
			_ = bar.Add(1) // the bar only draws; a failed draw changes nothing stored
		}
	}
	if bar != nil {
		_ = bar.Finish() // as above
	}
	c, err := a.checkpoint(ctx)
	if err != nil {
		return fmt.Errorf("sign checkpoint: %w", err)
	}
	fmt.Fprintf(env.stderr, "log checkpoint: %d entries, signed by %s\n", c.Size, a.signer.Name())
	sum.Print(env.stdout)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("ingest interrupted: %w", err)
	}
	if n := sum.Failed(); n > 0 {
		return fmt.Errorf("%d of %d inputs failed (listed above)", n, sum.Total())
	}
	return nil
}

// isTerminal reports whether w is a terminal, for deciding to draw progress.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
