package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/alert"
	"github.com/testigo-project/testigo/internal/fetch"
)

const alertUsage = `
Alerts are saved filters over published incidents. Each has an Atom feed
(GET /api/v1/alerts/ID/feed.atom, or 'alert feed ID') and, with --webhook,
a POST to that URL whenever an analyst publishes a matching incident.

  testigo alert add NAME [--country CC] [--type T] [--grade G] [--since D] [--until D]
                         [--webhook URL --secret S]
  testigo alert list
  testigo alert remove ID
  testigo alert feed ID [--base-url URL]

The webhook body is JSON: the alert, the delivery ID, sent_at, the incident
as the API shows it, its evidence_url and log_index. It is signed:
X-Testigo-Signature: sha256=<hex HMAC-SHA256 of the body under the secret>,
with X-Testigo-Timestamp (sent_at, Unix seconds) and X-Testigo-Delivery.
Deliveries are queued in the transaction that publishes the incident and
sent by 'serve' and 'worker', retried with backoff on any answer but 2xx.
Webhooks on loopback, private or other non-public addresses are refused
unless --allow-net (on serve and worker) lists them.`

func runAlert(ctx context.Context, args []string, env *environ) error {
	const want = "add, list, remove or feed"
	if len(args) == 0 {
		return usageErrorf("testigo alert: want a subcommand: %s (run 'testigo alert -h')", want)
	}
	sub, rest := args[0], args[1:]
	fs := newFlagSet(env, "alert", "<add|list|remove|feed> [NAME|ID] [flags]", alertUsage)
	data := dataFlag(fs, env)
	var a testigo.Alert
	fs.StringVar(&a.Country, "country", "", "add: only incidents in this country (ISO 3166-1 alpha-2, such as VE)")
	typ := fs.String("type", "", "add: only incidents of this event type")
	grade := fs.String("grade", "", "add: only incidents of this grade: confirmed, fair, weak, contested or discounted")
	fs.StringVar(&a.Since, "since", "", "add: only incidents on or after this date, YYYY-MM-DD")
	fs.StringVar(&a.Until, "until", "", "add: only incidents on or before this date, YYYY-MM-DD")
	fs.StringVar(&a.WebhookURL, "webhook", "", "add: http(s) URL that receives a signed POST per matching incident published")
	fs.StringVar(&a.Secret, "secret", "", fmt.Sprintf("add: HMAC-SHA256 key of the webhook signature, at least %d bytes (required with --webhook)", alert.MinSecret))
	baseURL := fs.String("base-url", env.getenv("TESTIGO_BASE_URL"),
		"feed: prefix of the incident links, such as https://testigo.example.org (env TESTIGO_BASE_URL)")
	if sub == "-h" || sub == "--help" || sub == "help" {
		fs.Usage()
		return nil
	}
	var pos []string
	// Accept the argument before or after the flags.
	for len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		pos, rest = append(pos, rest[0]), rest[1:]
	}
	if err := parseFlags(fs, rest); err != nil {
		return helpIsOK(err)
	}
	pos = append(pos, fs.Args()...)
	n, ok := map[string]int{"add": 1, "list": 0, "remove": 1, "feed": 1}[sub]
	if !ok {
		return usageErrorf("testigo alert: unknown subcommand %q (want %s)", sub, want)
	}
	if len(pos) != n {
		return usageErrorf("testigo alert %s: want %d argument(s), got %d", sub, n, len(pos))
	}
	var id testigo.AlertID
	if sub == "remove" || sub == "feed" {
		v, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil || v <= 0 {
			return usageErrorf("testigo alert %s: %q is not an alert ID (see 'testigo alert list')", sub, pos[0])
		}
		id = testigo.AlertID(v)
	}
	if sub == "add" {
		a.Name, a.Country = pos[0], strings.ToUpper(a.Country)
		a.Type, a.Grade = testigo.EventType(*typ), testigo.Grade(*grade)
		if err := alert.Validate(&a); err != nil {
			return usageErrorf("testigo alert add: %s", strings.TrimPrefix(err.Error(), testigo.ErrInvalid.Error()+": "))
		}
	}

	app, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer app.Close()
	as, ok := app.store.(testigo.AlertStore)
	if !ok {
		return fmt.Errorf("store %T keeps no alerts", app.store)
	}
	switch sub {
	case "add":
		if err := as.CreateAlert(ctx, &a); err != nil {
			if errors.Is(err, testigo.ErrConflict) {
				return fmt.Errorf("testigo alert add: an alert named %q exists already", a.Name)
			}
			return err
		}
		fmt.Fprintf(env.stdout, "added alert %d (%s): %s\n", a.ID, a.Name, describe(&a))
	case "list":
		alerts, err := as.FindAlerts(ctx)
		if err != nil {
			return err
		}
		deliveries, err := as.FindAlertDeliveries(ctx, 0)
		if err != nil {
			return err
		}
		type counts struct {
			pending, delivered, failed int
			lastError                  string
		}
		per := map[testigo.AlertID]*counts{}
		for _, d := range deliveries {
			c := per[d.AlertID]
			if c == nil {
				c = &counts{}
				per[d.AlertID] = c
			}
			switch d.Status {
			case testigo.DeliveryPending:
				c.pending++
			case testigo.DeliveryDelivered:
				c.delivered++
			case testigo.DeliveryFailed:
				c.failed++
			}
			if d.LastError != "" {
				c.lastError = d.LastError
			}
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tFILTER\tWEBHOOK\tDELIVERIES\tLAST ERROR")
		for _, a := range alerts {
			hook, state, last := "-", "-", ""
			if a.WebhookURL != "" {
				hook = a.WebhookURL
				c := per[a.ID]
				if c == nil {
					c = &counts{}
				}
				state = fmt.Sprintf("%d delivered, %d pending, %d failed", c.delivered, c.pending, c.failed)
				last = c.lastError
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Name, describe(a), hook, state, last)
		}
		return tw.Flush()
	case "remove":
		if err := as.DeleteAlert(ctx, id); err != nil {
			return fmt.Errorf("testigo alert remove: %w", err)
		}
		fmt.Fprintf(env.stdout, "removed alert %d\n", id)
	case "feed":
		a, err := as.FindAlert(ctx, id)
		if err != nil {
			return fmt.Errorf("testigo alert feed: %w", err)
		}
		if _, err := alert.WriteFeed(ctx, app.store, env.stdout, a, *baseURL, app.now); err != nil {
			return err
		}
	}
	return nil
}

// describe says what an alert's filter selects, in one line.
func describe(a *testigo.Alert) string {
	var parts []string
	for _, f := range []struct{ name, v string }{{"country", a.Country}, {"type", string(a.Type)},
		{"grade", string(a.Grade)}, {"since", a.Since}, {"until", a.Until}} {
		if f.v != "" {
			parts = append(parts, f.name+"="+f.v)
		}
	}
	if len(parts) == 0 {
		return "every published incident"
	}
	return strings.Join(parts, " ")
}

// startDeliverer runs the alert webhook deliverer over a's store until ctx
// ends; the returned function waits for it to stop. allowNet is the
// --allow-net value (already checked), the only way webhooks may reach
// non-public addresses.
func startDeliverer(ctx context.Context, a *app, allowNet string, logger *slog.Logger, env *environ) func() {
	as, ok := a.store.(testigo.AlertStore)
	if !ok {
		return func() {}
	}
	nets, _ := fetch.ParseAllowNets(allowNet) // checked with the watch options
	d := &alert.Deliverer{Store: as, Client: alert.NewClient(nets), BaseURL: env.getenv("TESTIGO_BASE_URL"),
		Now: a.now, Log: logger}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := d.Run(ctx); err != nil {
			logger.Error("alert deliverer stopped", "err", err)
		}
	}()
	return func() { <-done }
}
