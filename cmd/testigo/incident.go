package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/review"
)

const incidentUsage = `
Review incidents. Every change is recorded in the audit trail and the
transparency log, and a new checkpoint is signed.

  list [--country CC] [--type T] [--since D] [--until D] [--review S] [--assignee NAME] [--limit N]
  show ID                          the incident, its derivation, reports and audit trail (JSON)
  merge INTO FROM --reason R       fold FROM (newer) into INTO (older); FROM redirects to INTO
  split ID --reports 3,4 --reason R  move reports out into a new incident
  grade ID GRADE --reason R        confirmed, fair, weak, contested or discounted
  edit ID --field F --value V --reason R   set a field by hand; later reports do not change it
  edit ID --field F --clear --reason R     drop the analyst's value; the reports decide again
  assign ID --to NAME [--reason R] assign a reviewer (an analyst or admin once accounts exist);
                                   a new incident moves to in_review; --to "" unassigns
  unassign ID [--reason R]         remove the reviewer; the review state stays
  publish ID | review ID | reopen ID   set the review state (published, in_review, new)
  reject ID --reason R             set the review state to rejected

Fields for edit, with their values: title; type (an event type); date
(YYYY-MM-DD, or "" for unknown); country (ISO code such as MX, or "");
admin1, admin2, location (text, or ""); coords ("LAT,LON", or "" for none);
killed, injured ("3", "3-7", or "" for no figure).

Flags go before the arguments: testigo incident merge --reason "same boat" 2 5`

func runIncident(ctx context.Context, args []string, env *environ) error {
	if len(args) == 0 {
		return usageErrorf("testigo incident: want list, show, merge, split, grade, edit, assign, unassign, publish, review, reopen or reject (run 'testigo incident -h')")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fs := newFlagSet(env, "incident", "ACTION [flags] [arguments]", incidentUsage)
		fs.Usage()
		return nil
	}
	action, args := args[0], args[1:]
	fs := newFlagSet(env, "incident "+action, "[flags] [arguments]", incidentUsage)
	data := dataFlag(fs, env)
	reason := fs.String("reason", "", "why (required for merge, split, grade, edit, reject)")
	actor := fs.String("as", defaultActor(env), "reviewer name recorded in the audit trail (env TESTIGO_USER)")
	version := fs.Int("version", 0, "the incident version you reviewed; a newer one is refused (0: don't check)")
	reportsFlag := fs.String("reports", "", "comma-separated report IDs, for split")
	field := fs.String("field", "", "edit: the field to set ("+strings.Join(testigo.EditableFields, ", ")+")")
	value := fs.String("value", "", "edit: the field's new value (may be \"\" where the field allows none)")
	clearEdit := fs.Bool("clear", false, "edit: drop the analyst's value of --field")
	to := fs.String("to", "", "assign: the reviewer's user name; \"\" unassigns")
	tsaURL := tsaFlag(fs, env)
	var f testigo.IncidentFilter
	fs.StringVar(&f.Country, "country", "", "list: ISO country code")
	typ := fs.String("type", "", "list: event type")
	fs.StringVar(&f.Since, "since", "", "list: from date YYYY-MM-DD")
	fs.StringVar(&f.Until, "until", "", "list: to date YYYY-MM-DD")
	rv := fs.String("review", "", "list: review state")
	fs.StringVar(&f.Assignee, "assignee", "", "list: incidents assigned to this user")
	fs.IntVar(&f.Limit, "limit", 100, "list: at most this many")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	f.Type, f.Review = testigo.EventType(*typ), testigo.ReviewState(*rv)
	if f.Type != "" && !f.Type.Valid() {
		return usageErrorf("testigo incident list: --type %q is not a known event type", *typ)
	}
	if f.Review != "" && !f.Review.Valid() {
		return usageErrorf("testigo incident list: --review %q is not new, in_review, published or rejected", *rv)
	}
	ids, err := incidentIDs(fs, action)
	if err != nil {
		return err
	}
	if err := checkEditFlags(fs, action, *field, *clearEdit); err != nil {
		return err
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	a.useTSA(*tsaURL, env.stderr)
	if action == "list" {
		return listIncidents(ctx, a, f, env)
	}
	if action == "show" {
		return showIncident(ctx, a, ids[0], env)
	}
	req := review.Request{Actor: *actor, Reason: *reason, At: a.now().UTC()}
	var inc *testigo.Incident
	err = a.store.Transact(ctx, func(tx testigo.Store) error {
		var err error
		switch action {
		case "merge":
			inc, err = jobs.Merge(ctx, tx, ids[0], ids[1], req)
		case "split":
			var move []testigo.ReportID
			for _, s := range strings.Split(*reportsFlag, ",") {
				n, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
				if perr != nil || n <= 0 {
					return usageErrorf("testigo incident split: --reports %q is not a list of report IDs", *reportsFlag)
				}
				move = append(move, testigo.ReportID(n))
			}
			inc, err = jobs.Split(ctx, tx, ids[0], *version, move, req)
		case "grade":
			inc, err = jobs.SetGrade(ctx, tx, ids[0], *version, testigo.Grade(fs.Arg(1)), req)
		case "edit":
			if *clearEdit {
				inc, err = jobs.ClearEdit(ctx, tx, ids[0], *version, *field, req)
			} else {
				inc, err = jobs.Edit(ctx, tx, ids[0], *version, *field, *value, req)
			}
		case "assign":
			inc, err = jobs.Assign(ctx, tx, ids[0], *version, *to, req)
		case "unassign":
			inc, err = jobs.Assign(ctx, tx, ids[0], *version, "", req)
		case "publish", "review", "reopen", "reject":
			to := map[string]testigo.ReviewState{"publish": testigo.ReviewPublished, "review": testigo.ReviewInReview,
				"reopen": testigo.ReviewNew, "reject": testigo.ReviewRejected}[action]
			inc, err = jobs.SetReview(ctx, tx, ids[0], *version, to, req)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("incident %s: %w", action, err)
	}
	if _, err := a.checkpoint(ctx); err != nil {
		return fmt.Errorf("sign checkpoint: %w", err)
	}
	assigned := ""
	if inc.Assignee != "" {
		assigned = ", assigned to " + inc.Assignee
	}
	fmt.Fprintf(env.stdout, "incident %d: %s, %s%s, grade %s, %d reports, version %d\n",
		inc.ID, inc.Title, inc.Review, assigned, inc.Grade, inc.ReportCount, inc.Version)
	if *field != "" && action == "edit" {
		v, _ := inc.Field(*field) // jobs.Edit accepted the field
		fmt.Fprintf(env.stdout, "%s: %q\n", *field, v)
	}
	return nil
}

// checkEditFlags checks the flags of edit and assign before anything is
// opened: edit needs --field and either --value or --clear, assign needs
// --to (which may be empty).
func checkEditFlags(fs *flag.FlagSet, action, field string, clear bool) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	switch action {
	case "edit":
		switch {
		case field == "":
			return usageErrorf("testigo incident edit: --field is required (one of %s)", strings.Join(testigo.EditableFields, ", "))
		case clear && given["value"]:
			return usageErrorf("testigo incident edit: give --value or --clear, not both")
		case !clear && !given["value"]:
			return usageErrorf("testigo incident edit: --value is required (or --clear to drop the analyst's value)")
		}
	case "assign":
		if !given["to"] {
			return usageErrorf("testigo incident assign: --to is required (a user name, or \"\" to unassign)")
		}
	}
	return nil
}

func defaultActor(env *environ) string {
	for _, k := range []string{"TESTIGO_USER", "USER"} {
		if v := env.getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// incidentIDs checks the positional arguments of an action.
func incidentIDs(fs *flag.FlagSet, action string) ([]testigo.IncidentID, error) {
	want := map[string]int{"list": 0, "show": 1, "merge": 2, "split": 1, "grade": 2, "edit": 1, "assign": 1, "unassign": 1,
		"publish": 1, "review": 1, "reopen": 1, "reject": 1}
	n, ok := want[action]
	if !ok {
		return nil, usageErrorf("testigo incident: unknown action %q (want list, show, merge, split, grade, edit, assign, unassign, publish, review, reopen or reject)", action)
	}
	if fs.NArg() != n {
		return nil, usageErrorf("testigo incident %s: want %d arguments, got %d (flags go first; run 'testigo incident -h')", action, n, fs.NArg())
	}
	var ids []testigo.IncidentID
	for i := 0; i < n; i++ {
		if action == "grade" && i == 1 {
			break
		}
		id, err := strconv.ParseInt(fs.Arg(i), 10, 64)
		if err != nil || id <= 0 {
			return nil, usageErrorf("testigo incident %s: %q is not an incident ID", action, fs.Arg(i))
		}
		ids = append(ids, testigo.IncidentID(id))
	}
	return ids, nil
}

func listIncidents(ctx context.Context, a *app, f testigo.IncidentFilter, env *environ) error {
	incs, err := a.store.FindIncidents(ctx, f)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tTYPE\tPLACE\tKILLED\tGRADE\tREVIEW\tREPORTS\tASSIGNEE")
	for _, inc := range incs {
		killed := "-"
		if inc.Killed != nil {
			killed = inc.Killed.String()
		}
		place := strings.Trim(strings.Join([]string{inc.Admin2, inc.Admin1, inc.Country}, ", "), ", ")
		assignee := inc.Assignee
		if assignee == "" {
			assignee = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", inc.ID, inc.Date, inc.Type, place, killed, inc.Grade, inc.Review, inc.ReportCount, assignee)
	}
	return tw.Flush()
}

func showIncident(ctx context.Context, a *app, id testigo.IncidentID, env *environ) error {
	inc, err := a.store.FindIncident(ctx, id)
	if err != nil {
		return err
	}
	reports, err := a.store.FindReports(ctx, testigo.ReportFilter{IncidentID: id})
	if err != nil {
		return err
	}
	trail, err := a.store.FindAuditEntries(ctx, id)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"incident": inc, "reports": reports, "audit": trail})
}
