package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/extract"
	"github.com/testigo-project/testigo/internal/geo"
	"github.com/testigo-project/testigo/internal/ingest"
)

const extractUsage = `
Print the events read out of texts, one JSON line per document, without
touching a store. With --jsonl, read JSONL lines {"id","text","lang"?,
"published"?} from the files (or standard input) and write one line per input
line, in order: {"id": …, "events": [ … ]}; a line that is not JSON yields
{"id": null, "error": "…"} and the rest go on. Without --jsonl, each FILE is
read as one document (.txt, .md, .html, .json); with no FILE, standard input
is read as one plain-text document.`

func runExtract(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "extract", "[flags] [FILE...]", extractUsage)
	jsonl := fs.Bool("jsonl", false, "read and write JSONL (the PRED format of the evaluation data)")
	lang := fs.String("lang", "", "language of plain-text input: en or es (default: detect)")
	published := fs.String("published", "", "document date YYYY-MM-DD of plain-text input, for relative dates")
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if *lang != "" && *lang != "en" && *lang != "es" {
		return usageErrorf("testigo extract: --lang %q is not en or es", *lang)
	}
	var pub time.Time
	if *published != "" {
		t, err := time.Parse(testigo.DateLayout, *published)
		if err != nil {
			return usageErrorf("testigo extract: --published %q is not a YYYY-MM-DD date", *published)
		}
		pub = t
	}
	gz, err := geo.Load()
	if err != nil {
		return fmt.Errorf("load gazetteer: %w", err)
	}
	x := extract.New(gz)

	if *jsonl {
		return extractJSONL(ctx, x, fs.Args(), env)
	}
	enc := json.NewEncoder(env.stdout)
	if fs.NArg() == 0 {
		text, err := io.ReadAll(env.stdin)
		if err != nil {
			return fmt.Errorf("read standard input: %w", err)
		}
		return writeEvents(enc, "-", x.Extract(extract.Input{Text: string(text), Lang: *lang, Published: pub}))
	}
	failed := 0
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		inputs, errs := ingest.ReadBytes(name, data)
		for _, e := range errs {
			fmt.Fprintln(env.stderr, "testigo extract:", e)
			failed++
		}
		for _, in := range inputs {
			text, l, p := in.Text, in.Lang, in.Published
			if l == "" {
				l = *lang
			}
			if p.IsZero() {
				p = pub
			}
			if err := writeEvents(enc, in.Name, x.Extract(extract.Input{Text: text, Lang: l, Published: p})); err != nil {
				return err
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d inputs could not be read (listed above)", failed)
	}
	return nil
}

func writeEvents(enc *json.Encoder, id string, events []testigo.Event) error {
	out := struct {
		ID     string `json:"id"`
		Events []any  `json:"events"`
	}{ID: id, Events: []any{}}
	for _, e := range events {
		out.Events = append(out.Events, extract.PredEvent(e))
	}
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	return nil
}

func extractJSONL(ctx context.Context, x *extract.Extractor, files []string, env *environ) error {
	if len(files) == 0 {
		_, _, err := x.ExtractJSONL(ctx, env.stdin, env.stdout)
		return err
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("open %s: %w", name, err)
		}
		_, _, err = x.ExtractJSONL(ctx, f, env.stdout)
		f.Close()
		if err != nil {
			return fmt.Errorf("extract %s: %w", name, err)
		}
	}
	return nil
}
