package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/testigo-project/testigo"
)

const statusUsage = `
Summarise the watch: every source with its last fetch, last success, last
error and the items captured from it, and the job queue.`

// statusReport is what status prints with --json.
type statusReport struct {
	Sources []sourceRow `json:"sources"`
	Queue   queueCounts `json:"queue"`
	LogSize int64       `json:"log_size"`
}

type queueCounts struct {
	Due       int `json:"due"`
	Leased    int `json:"leased"`
	Scheduled int `json:"scheduled"`
	Failing   int `json:"failing"` // jobs whose last attempt failed
}

func runStatus(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "status", "[flags]", statusUsage)
	data := dataFlag(fs, env)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("testigo status: unexpected argument %q", fs.Arg(0))
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	rows, err := sourceRows(ctx, a.store)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	jobs, err := a.store.FindJobs(ctx)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	size, err := a.store.LogSize(ctx)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	rep := statusReport{Sources: rows, Queue: countJobs(jobs, a.now().UTC()), LogSize: size}
	if *asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tITEMS\tLAST SUCCESS\tURL\tLAST ERROR")
	var ok, failing, paused, never int
	for _, r := range rows {
		switch rowState(r) {
		case "ok":
			ok++
		case "failing":
			failing++
		case "paused":
			paused++
		case "new":
			never++
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", r.ID, rowState(r), r.Items, ago(r.LastSuccess, a.now()), r.URL, dash(clip(strings.TrimPrefix(r.LastError, "fetch "+r.URL+": "), 120)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	q := rep.Queue
	fmt.Fprintf(env.stdout, "\n%d sources: %d ok, %d failing, %d paused, %d never fetched\n", len(rows), ok, failing, paused, never)
	fmt.Fprintf(env.stdout, "queue: %d due, %d running, %d scheduled, %d retrying after an error; log: %d entries\n",
		q.Due, q.Leased, q.Scheduled, q.Failing, size)
	return nil
}

func countJobs(jobs []*testigo.Job, now time.Time) queueCounts {
	var q queueCounts
	for _, j := range jobs {
		switch {
		case j.LeaseOwner != "" && j.LeaseUntil.After(now):
			q.Leased++
		case !j.RunAt.After(now):
			q.Due++
		default:
			q.Scheduled++
		}
		if j.LastError != "" {
			q.Failing++
		}
	}
	return q
}

// ago says how long before now t was, in a rounded unit; "-" for never.
func ago(t *time.Time, now time.Time) string {
	if t == nil {
		return "-"
	}
	d := now.Sub(*t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	}
	return fmt.Sprintf("%dd ago", int(d.Hours()/24))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
