package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/schollz/progressbar/v3"

	"github.com/testigo-project/testigo/internal/fetch"
	"github.com/testigo-project/testigo/internal/watch"
)

const watchUsage = `
Watch the sources (see 'testigo source'): fetch each one when it is due,
capture every item not seen before (archived first, then extracted and
clustered) and sign a checkpoint after each round that captured something.
Runs in the foreground until interrupted; with --once, fetches every due
source once and exits, ending with "N new, N unchanged, N failed".

Fetching is polite (robots.txt, a rate and concurrency limit per host,
conditional GETs, backoff) and safe: loopback, private, link-local and
metadata addresses are refused, after DNS and on every redirect, unless
--allow-net lists them. Jobs live in the database: a watcher killed at any
point loses nothing, and the next one retries its job.`

// watchOptions are the flags shared by watch and serve.
type watchOptions struct {
	allowNet  *string
	workers   *int
	lease     *time.Duration
	every     *time.Duration
	userAgent *string
	maxMB     *int64
	rate      *float64
	logFormat *string
	tsa       *string
	noWatch   bool // serve --no-watch
}

func addWatchFlags(fs *flag.FlagSet, env *environ) *watchOptions {
	return &watchOptions{
		allowNet: fs.String("allow-net", env.getenv("TESTIGO_ALLOW_NET"),
			"comma-separated CIDR ranges that may be fetched although not public, e.g. 10.0.0.0/8 (env TESTIGO_ALLOW_NET)"),
		workers:   fs.Int("workers", 4, "sources fetched at once"),
		lease:     fs.Duration("lease", 15*time.Minute, "how long a source job belongs to this process before another may take it over"),
		every:     fs.Duration("every", 15*time.Minute, "interval of sources that set none"),
		userAgent: fs.String("user-agent", env.getenv("TESTIGO_USER_AGENT"), "User-Agent of every fetch (default names testigo and its home page; env TESTIGO_USER_AGENT)"),
		maxMB:     fs.Int64("max-size", 20, "largest response accepted, in MB"),
		rate:      fs.Float64("rate", 1, "requests per second to any one host"),
		logFormat: fs.String("log-format", "text", "log format on stderr: text or json"),
		tsa:       tsaFlag(fs, env),
	}
}

// check validates the options, as usage errors.
func (o *watchOptions) check(cmd string) error {
	if _, err := fetch.ParseAllowNets(*o.allowNet); err != nil {
		return usageErrorf("testigo %s: %v", cmd, err)
	}
	if *o.workers < 1 || *o.workers > 256 {
		return usageErrorf("testigo %s: --workers %d is not between 1 and 256", cmd, *o.workers)
	}
	if *o.lease < 10*time.Second {
		return usageErrorf("testigo %s: --lease %s is under 10s", cmd, *o.lease)
	}
	if *o.every < time.Minute {
		return usageErrorf("testigo %s: --every %s is under one minute", cmd, *o.every)
	}
	if *o.maxMB <= 0 {
		return usageErrorf("testigo %s: --max-size %d is not a positive number of MB", cmd, *o.maxMB)
	}
	if *o.rate <= 0 {
		return usageErrorf("testigo %s: --rate %g is not positive", cmd, *o.rate)
	}
	if *o.logFormat != "text" && *o.logFormat != "json" {
		return usageErrorf("testigo %s: --log-format %q is not text or json", cmd, *o.logFormat)
	}
	return nil
}

// newLogger returns the structured logger the flags ask for.
func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// fetcher builds the polite, guarded fetcher of the options.
func (o *watchOptions) fetcher() *fetch.Fetcher {
	nets, _ := fetch.ParseAllowNets(*o.allowNet) // checked by check
	return fetch.New(fetch.Config{UserAgent: *o.userAgent, MaxBytes: *o.maxMB << 20, AllowNets: nets,
		PerHostRate: *o.rate, PerHostBurst: max(2, int(*o.rate))})
}

// watcher builds the watcher of a's store with the options; reg, when not
// nil, receives its metrics. Captures are also written as WARC files in
// the data dir.
func (o *watchOptions) watcher(a *app, logger *slog.Logger, reg prometheus.Registerer) (*watch.Watcher, error) {
	ww, err := a.warcWriter()
	if err != nil {
		return nil, err
	}
	w := &watch.Watcher{
		Store: a.store, Fetcher: watch.HTTPFetcher{F: o.fetcher(), WARC: ww}, List: watch.ListItems, Pipeline: a.pipeline(),
		Lease: *o.lease, Workers: *o.workers, DefaultEvery: *o.every, Now: a.now, Log: logger,
	}
	if reg != nil {
		w.Metrics = watch.NewMetrics(reg)
		w.Metrics.Outcome = fetch.Outcome
	}
	w.AfterRound = func(ctx context.Context, s watch.Summary) {
		if s.New == 0 {
			return
		}
		if _, err := a.checkpoint(ctx); err != nil && ctx.Err() == nil {
			logger.Error("sign checkpoint", "err", err)
		}
	}
	return w, nil
}

func runWatch(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "watch", "[flags]", watchUsage)
	data := dataFlag(fs, env)
	once := fs.Bool("once", false, "fetch every due source once, then exit")
	opts := addWatchFlags(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo watch: unexpected argument %q", fs.Arg(0))
	}
	if err := opts.check("watch"); err != nil {
		return err
	}
	env.waitForDB = !*once
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	a.useTSA(*opts.tsa, env.stderr)
	logger := newLogger(*opts.logFormat, env.stderr)
	w, err := opts.watcher(a, logger, nil)
	if err != nil {
		return err
	}
	if !*once {
		fmt.Fprintln(env.stdout, "testigo is watching its sources (Ctrl-C to stop)")
		return w.Run(ctx)
	}
	if *opts.logFormat == "text" && isTerminal(env.stderr) {
		// A progress bar over sources replaces per-source log lines.
		w.Log = newLogger("text", io.Discard)
	}
	var bar *progressbar.ProgressBar
	progress := func(done, total int) {
		if !isTerminal(env.stderr) {
			return
		}
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(env.stderr),
				progressbar.OptionSetDescription("fetching sources"), progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
	}
	sum, err := w.RunOnce(ctx, progress)
	if bar != nil {
		_ = bar.Finish()
	}
	if sum.New > 0 {
		if _, cerr := a.checkpoint(context.WithoutCancel(ctx)); cerr != nil {
			return fmt.Errorf("sign checkpoint: %w", cerr)
		}
	}
	fmt.Fprintf(env.stdout, "%d sources fetched: %s\n", sum.Sources, sum)
	if err != nil {
		return fmt.Errorf("watch interrupted: %w", err)
	}
	return nil
}

const workerUsage = `
Run fetch, extract and cluster workers without the web server, until
interrupted: the watcher of 'testigo watch', for a team deployment where
several worker processes and one 'testigo serve --no-watch' share one
PostgreSQL database (--db) and blob store. Jobs are leased from the
database, so workers never fetch one source at once, and a worker killed
mid-job loses nothing: its lease expires (or, on the same host, the next
worker sees the dead process) and another worker retries the job.`

func runWorker(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "worker", "[flags]", workerUsage)
	data := dataFlag(fs, env)
	opts := addWatchFlags(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo worker: unexpected argument %q", fs.Arg(0))
	}
	if err := opts.check("worker"); err != nil {
		return err
	}
	env.waitForDB = true
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	a.useTSA(*opts.tsa, env.stderr)
	logger := newLogger(*opts.logFormat, env.stderr)
	w, err := opts.watcher(a, logger, nil)
	if err != nil {
		return err
	}
	// Alert webhooks are sent beside the watcher until it stops (alert.go).
	alertCtx, stopAlerts := context.WithCancel(ctx)
	waitAlerts := startDeliverer(alertCtx, a, *opts.allowNet, logger, env)
	defer func() {
		stopAlerts()
		waitAlerts()
	}()
	fmt.Fprintln(env.stdout, "testigo worker started (Ctrl-C to stop)")
	if err := w.Run(ctx); err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, "testigo worker stopped")
	return nil
}
