package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/testigo-project/testigo/internal/watch"
	"github.com/testigo-project/testigo/internal/web"
)

const serveUsage = `
Serve the web pages and the JSON API (/api/v1/…) over a data directory until
interrupted, and watch the sources as 'testigo watch' does (unless
--no-watch). Prometheus metrics are served at /metrics. On SIGINT or SIGTERM
the server stops accepting requests, lets requests in flight finish (up to
10 seconds), stops the watcher and closes the store.`

// defaultAddr is where serve and demo listen unless --addr says otherwise.
const defaultAddr = "127.0.0.1:8080"

// checkpointEvery is how often serve signs a checkpoint of the log's head.
const checkpointEvery = 10 * time.Minute

func runServe(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "serve", "[flags]", serveUsage)
	data := dataFlag(fs, env)
	addr := fs.String("addr", defaultAddr, "address to listen on")
	noWatch := fs.Bool("no-watch", false, "serve only; do not fetch the watched sources")
	opts := addWatchFlags(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo serve: unexpected argument %q", fs.Arg(0))
	}
	if err := opts.check("serve"); err != nil {
		return err
	}
	if *noWatch {
		opts.noWatch = true
	}
	env.waitForDB = true
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	a.useTSA(*opts.tsa, env.stderr)
	return serve(ctx, a, *addr, env, opts)
}

// serve listens on addr and serves a's data until ctx is done, then shuts
// down gracefully. It prints the URL it serves on once it is listening.
// With watch options (not nil and not noWatch) it also runs the watcher.
func serve(ctx context.Context, a *app, addr string, env *environ, opts *watchOptions) error {
	format := "text"
	if opts != nil {
		format = *opts.logFormat
	}
	logger := newLogger(format, env.stderr)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Accounts, sessions and API tokens live in the same database
	// ('testigo user'); without an account nobody can sign in.
	pages, err := web.NewHandler(web.Deps{Store: a.store, Blobs: a.blobs, Logger: logger, Now: a.now,
		Users: a.users, SecureCookies: env.getenv("TESTIGO_SECURE_COOKIES") == "1", LogKey: a.logKey})
	if err != nil {
		return fmt.Errorf("build web handler: %w", err)
	}
	h := http.NewServeMux()
	h.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	h.Handle("/", pages)
	var w *watch.Watcher
	if opts != nil && !opts.noWatch {
		if w, err = opts.watcher(a, logger, reg); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(env.stdout, "testigo is serving on http://%s/ (Ctrl-C to stop)\n", ln.Addr())

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	// Sign a checkpoint on a timer, so that the log's head is attested even
	// between ingest batches. The goroutine stops with tickCtx, before the
	// store is closed.
	tickCtx, stopTicker := context.WithCancel(ctx)
	tickerDone := make(chan struct{})
	go func() {
		defer close(tickerDone)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-tickCtx.Done():
				return
			case <-t.C:
				if _, err := a.checkpoint(tickCtx); err != nil && tickCtx.Err() == nil {
					logger.Error("sign checkpoint", "err", err)
				}
				if _, err := a.users.DeleteExpiredSessions(tickCtx, a.now()); err != nil && tickCtx.Err() == nil {
					logger.Error("delete expired sessions", "err", err)
				}
			}
		}
	}()
	defer func() {
		stopTicker()
		<-tickerDone
	}()

	// The watcher runs until tickCtx ends too, and is waited for before the
	// store is closed.
	if w != nil {
		watchDone := make(chan struct{})
		go func() {
			defer close(watchDone)
			if err := w.Run(tickCtx); err != nil {
				logger.Error("watcher stopped", "err", err)
			}
		}()
		defer func() {
			stopTicker()
			<-watchDone
		}()
	}

	// Alert webhooks are sent until tickCtx ends too (alert.go).
	allowNet := ""
	if opts != nil {
		allowNet = *opts.allowNet
	}
	waitAlerts := startDeliverer(tickCtx, a, allowNet, logger, env)
	defer func() {
		stopTicker()
		waitAlerts()
	}()

	select {
	case err := <-done:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	// The parent context is cancelled; shutdown gets a fresh bounded one.
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shut down server: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	fmt.Fprintln(env.stdout, "testigo stopped")
	return nil
}
