package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// defaultDataDir is where testigo keeps its store and archive unless --data or
// TESTIGO_DATA says otherwise.
const defaultDataDir = "./testigo-data"

// newFlagSet returns a flag set for a subcommand whose usage text is the given
// synopsis and description followed by the flag defaults.
func newFlagSet(env *environ, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet("testigo "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := env.stdout
		fmt.Fprintf(w, "Usage: testigo %s %s\n\n%s\n", name, synopsis, strings.TrimSpace(description))
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(w, "\nFlags:")
			fs.SetOutput(w)
			fs.PrintDefaults()
			fs.SetOutput(io.Discard)
		}
	}
	return fs
}

// dataFlag registers --data with its default from TESTIGO_DATA.
func dataFlag(fs *flag.FlagSet, env *environ) *string {
	def := env.getenv("TESTIGO_DATA")
	if def == "" {
		def = defaultDataDir
	}
	env.db = dbFlag(fs, env)
	return fs.String("data", def, "data directory holding the SQLite database (unless --db), the archive and the log keys (env TESTIGO_DATA)")
}

// parseFlags parses args into fs. It returns errHelp after printing usage for
// -h, and a usage error naming the bad flag otherwise.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return errHelp
		}
		return usageErrorf("%s: %v (run '%s -h' for usage)", fs.Name(), err, fs.Name())
	}
	return nil
}

// errHelp reports that usage was printed on request; the command then exits 0.
var errHelp = errors.New("help requested")

// helpIsOK turns errHelp into success, so that "-h" exits 0.
func helpIsOK(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// tsaFlag registers --tsa, the URL of an RFC 3161 time-stamping authority
// for checkpoints, with its default from TESTIGO_TSA_URL.
func tsaFlag(fs *flag.FlagSet, env *environ) *string {
	return fs.String("tsa", env.getenv("TESTIGO_TSA_URL"),
		"RFC 3161 time-stamping authority URL; every new checkpoint is time-stamped there (env TESTIGO_TSA_URL)")
}
