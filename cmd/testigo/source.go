package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sourcelist"
)

const sourceUsage = `
Manage the watched sources: news feeds, press-release pages and sitemaps.

  add URL [--kind feed|page|sitemap] [--lang en|es] [--every 15m] [--tag T]... [--name N]
  list [--json]                    every source with its last fetch
  pause ID|URL, resume ID|URL      stop and restart watching a source
  remove ID|URL                    stop watching for good; its documents stay
  import FILE                      add the sources of a source list (.csv) or an OPML outline (.opml, .xml)
  export [--format csv|opml]       print the sources as a source list or OPML

Flags go before the arguments: testigo source add --lang es --every 30m https://example.org/feed.xml`

// tagList collects repeated --tag flags.
type tagList []string

func (t *tagList) String() string { return strings.Join(*t, ";") }

func (t *tagList) Set(v string) error {
	*t = append(*t, strings.Split(v, ",")...)
	return nil
}

func runSource(ctx context.Context, args []string, env *environ) error {
	if len(args) == 0 {
		return usageErrorf("testigo source: want add, list, pause, resume, remove, import or export (run 'testigo source -h')")
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		newFlagSet(env, "source", "ACTION [flags] [arguments]", sourceUsage).Usage()
		return nil
	}
	action, args := args[0], args[1:]
	fs := newFlagSet(env, "source "+action, "[flags] [arguments]", sourceUsage)
	data := dataFlag(fs, env)
	kind := fs.String("kind", "feed", "add: feed, page or sitemap")
	lang := fs.String("lang", "", "add: the language the source writes in, en or es (empty: detect per document)")
	every := fs.String("every", "", "add: how often to fetch, e.g. 15m or 1h (empty: the watcher's default, 15m)")
	name := fs.String("name", "", "add: a name to show for the source")
	var tags tagList
	fs.Var(&tags, "tag", "add: a tag (repeatable, or comma-separated)")
	asJSON := fs.Bool("json", false, "list: print JSON lines")
	format := fs.String("format", "csv", "export: csv or opml")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	want := map[string]int{"add": 1, "list": 0, "pause": 1, "resume": 1, "remove": 1, "import": 1, "export": 0}
	n, ok := want[action]
	if !ok {
		return usageErrorf("testigo source: unknown action %q (want add, list, pause, resume, remove, import or export)", action)
	}
	if fs.NArg() != n {
		return usageErrorf("testigo source %s: want %d argument(s), got %d (run 'testigo source -h')", action, n, fs.NArg())
	}
	var src *testigo.Source
	if action == "add" {
		var err error
		src, err = sourcelist.Parse(fs.Arg(0), *kind, *lang, *every, strings.Join(tags, ";"), *name)
		if err != nil {
			return usageErrorf("testigo source add: %v", strings.TrimPrefix(err.Error(), testigo.ErrInvalid.Error()+": "))
		}
	}
	if action == "export" && *format != "csv" && *format != "opml" {
		return usageErrorf("testigo source export: --format %q is not csv or opml", *format)
	}
	var imported []*testigo.Source
	if action == "import" {
		var errs []error
		imported, errs = readSourceList(fs.Arg(0))
		for _, e := range errs {
			fmt.Fprintf(env.stderr, "testigo source import: %s: %v\n", fs.Arg(0), e)
		}
		if len(imported) == 0 {
			return fmt.Errorf("source import: %s: no usable sources", fs.Arg(0))
		}
	}

	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	switch action {
	case "add":
		if err := a.store.CreateSource(ctx, src); err != nil {
			if errors.Is(err, testigo.ErrConflict) {
				return fmt.Errorf("source add: %s is already a %s source", src.URL, src.Kind)
			}
			return fmt.Errorf("source add: %w", err)
		}
		fmt.Fprintf(env.stdout, "source %d: %s %s\n", src.ID, src.Kind, src.URL)
		return nil
	case "list":
		return listSources(ctx, a, *asJSON, env.stdout)
	case "import":
		var added, existed int
		for _, s := range imported {
			err := a.store.CreateSource(ctx, s)
			switch {
			case errors.Is(err, testigo.ErrConflict):
				existed++
			case err != nil:
				return fmt.Errorf("source import: %w", err)
			default:
				added++
			}
		}
		fmt.Fprintf(env.stdout, "%d added, %d already present\n", added, existed)
		return nil
	case "export":
		srcs, err := watchedSources(ctx, a.store)
		if err != nil {
			return err
		}
		if *format == "opml" {
			return sourcelist.WriteOPML(env.stdout, "testigo sources", srcs)
		}
		return sourcelist.WriteCSV(env.stdout, srcs)
	}
	// pause, resume, remove
	s, err := findSource(ctx, a.store, fs.Arg(0))
	if err != nil {
		return err
	}
	switch action {
	case "pause":
		s.Paused = true
	case "resume":
		s.Paused = false
	case "remove":
		s.Removed = true
	}
	err = a.store.Transact(ctx, func(tx testigo.Store) error {
		if err := tx.UpdateSource(ctx, s); err != nil {
			return err
		}
		if s.Paused || s.Removed {
			return tx.DeleteJob(ctx, testigo.SourceJobKey(s.ID))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("source %s: %w", action, err)
	}
	verb := map[string]string{"pause": "paused", "resume": "resumed", "remove": "removed"}[action]
	fmt.Fprintf(env.stdout, "source %d %s: %s\n", s.ID, verb, s.URL)
	return nil
}

// readSourceList reads a source list file by its extension: .opml and .xml
// as OPML, anything else as CSV.
func readSourceList(path string) ([]*testigo.Source, []error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, []error{errors.New(strings.TrimPrefix(err.Error(), "open "+path+": "))}
	}
	defer f.Close()
	switch strings.ToLower(filepath.Ext(path)) {
	case ".opml", ".xml":
		return sourcelist.ReadOPML(f)
	}
	return sourcelist.ReadCSV(f)
}

// watchedSources returns the sources that are not uploads.
func watchedSources(ctx context.Context, st testigo.Store) ([]*testigo.Source, error) {
	all, err := st.FindSources(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, s := range all {
		if s.Kind != testigo.SourceUpload {
			out = append(out, s)
		}
	}
	return out, nil
}

// findSource finds a source by its ID or its URL.
func findSource(ctx context.Context, st testigo.Store, arg string) (*testigo.Source, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		s, err := st.FindSource(ctx, testigo.SourceID(id))
		if errors.Is(err, testigo.ErrNotFound) {
			return nil, fmt.Errorf("no source %d (see 'testigo source list')", id)
		}
		return s, err
	}
	srcs, err := st.FindSources(ctx)
	if err != nil {
		return nil, err
	}
	for _, s := range srcs {
		if s.URL == arg {
			return s, nil
		}
	}
	return nil, fmt.Errorf("no source with URL %s (see 'testigo source list')", arg)
}

// sourceRow is a source with its watch state, as list and status print it.
type sourceRow struct {
	ID          testigo.SourceID `json:"id"`
	Kind        string           `json:"kind"`
	URL         string           `json:"url"`
	Name        string           `json:"name,omitempty"`
	Lang        string           `json:"lang,omitempty"`
	Every       string           `json:"every,omitempty"`
	Tags        []string         `json:"tags,omitempty"`
	Paused      bool             `json:"paused"`
	LastFetch   *time.Time       `json:"last_fetch,omitempty"`
	LastSuccess *time.Time       `json:"last_success,omitempty"`
	LastError   string           `json:"last_error,omitempty"`
	Failures    int              `json:"failures"`
	Items       int64            `json:"items"`
}

func sourceRows(ctx context.Context, st testigo.Store) ([]sourceRow, error) {
	srcs, err := watchedSources(ctx, st)
	if err != nil {
		return nil, err
	}
	rows := make([]sourceRow, 0, len(srcs))
	for _, s := range srcs {
		state, err := st.FindSourceState(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		r := sourceRow{ID: s.ID, Kind: string(s.Kind), URL: s.URL, Name: s.Name, Lang: s.Lang, Tags: s.Tags,
			Paused: s.Paused, LastError: state.LastError, Failures: state.Failures, Items: state.Items}
		if s.Every > 0 {
			r.Every = s.Every.String()
		}
		if !state.LastFetchAt.IsZero() {
			r.LastFetch = &state.LastFetchAt
		}
		if !state.LastSuccessAt.IsZero() {
			r.LastSuccess = &state.LastSuccessAt
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func listSources(ctx context.Context, a *app, asJSON bool, w io.Writer) error {
	rows, err := sourceRows(ctx, a.store)
	if err != nil {
		return fmt.Errorf("source list: %w", err)
	}
	if asJSON {
		enc := json.NewEncoder(w)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tLANG\tEVERY\tSTATE\tITEMS\tURL")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", r.ID, r.Kind, dash(r.Lang), dash(r.Every), rowState(r), r.Items, r.URL)
	}
	return tw.Flush()
}

// rowState is one word for a source's condition: paused, new (never
// fetched), ok or failing.
func rowState(r sourceRow) string {
	switch {
	case r.Paused:
		return "paused"
	case r.LastFetch == nil:
		return "new"
	case r.LastError != "":
		return "failing"
	}
	return "ok"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
