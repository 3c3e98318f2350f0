// Command testigo monitors covert military strike campaigns from public
// reporting and keeps a record that anyone can verify. Run "testigo help" for
// the list of subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testigo:", err)
		os.Exit(exitCode(err))
	}
}

// command is one subcommand: its name, a one-line summary and the function
// that runs it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, env *environ) error
}

// environ is what every subcommand gets from the process: the environment
// lookup and the standard streams.
type environ struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// db is the --db flag of the running subcommand, registered with --data
	// by dataFlag; nil for subcommands without a store.
	db *string
	// waitForDB makes openApp retry an unreachable PostgreSQL server with
	// backoff instead of failing: set by the long-running serve and watch.
	waitForDB bool
	// readMostly makes openApp open SQLite memory-mapped, for commands that
	// read the whole record and write little (export, publish).
	readMostly bool
}

func commands() []command {
	return []command{
		{"demo", "ingest the bundled demo corpus into a data dir, then serve it", runDemo},
		{"serve", "serve the web pages and JSON API over a data dir", runServe},
		{"ingest", "archive files and URLs, extract reports and cluster them into incidents", runIngest},
		{"extract", "print the events read out of texts, without a store", runExtract},
		{"source", "add, list, pause, remove, import and export the watched sources", runSource},
		{"watch", "fetch the watched sources on their schedule and capture new items (--once: one round)", runWatch},
		{"worker", "run the fetch, extract and cluster workers without the web server (team deployments)", runWorker},
		{"status", "summarise the watched sources and the job queue", runStatus},
		{"incident", "list, show, merge, split, grade, publish and reject incidents", runIncident},
		{"eval-cluster", "score the clustering of reports into incidents on a gold file (pairwise and B-cubed)", runEvalCluster},
		{"eval", "score the extractor (or a prediction file) on gold JSONL with the evaluation rules", runEval},
		{"verify", "check blobs, the transparency log, its checkpoints and every row against it", runVerify},
		{"export", "write incidents as JSONL, CSV, ACLED or UCDP CSV, GeoJSON or Atom", runExport},
		{"publish", "build the public static site (map, timeline, pages, exports, proofs) or --check one", runPublish},
		{"bundle", "write an incident's evidence bundle (zip) for offline checking", runBundle},
		{"verify-bundle", "check an evidence bundle offline against the log's verifier key", runVerifyBundle},
		{"checkpoint", "export the latest signed checkpoint for a witness", runCheckpoint},
		{"witness", "co-sign another log's checkpoint after checking it extends the last one seen", runWitness},
		{"backup", "write a backup (database snapshot or pg_dump, blobs, log keys) to one file", runBackup},
		{"restore", "restore a backup into a new data directory and verify it", runRestore},
		{"redact", "delete one log entry's content, keeping its leaf and every proof", runRedact},
		{"proof", "print the inclusion proof of a document, report or incident", runProof},
		{"key", "print the verifier key of the transparency log", runKey},
		{"alert", "add, list and remove alerts: saved filters with an Atom feed and a signed webhook", runAlert},
		{"user", "add and manage accounts (viewer, analyst, admin) and their API tokens", runUser},
		{"migrate", "bring the database schema (SQLite or PostgreSQL) up to date and print its version", runMigrate},
		{"version", "print the version", runVersion},
	}
}

// run is the whole program: main only sets up signals and exit codes.
func run(ctx context.Context, args []string, getenv func(string) string,
	stdin io.Reader, stdout, stderr io.Writer) error {
	env := &environ{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printUsage(stderr)
		return usageErrorf("no subcommand given")
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		printUsage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], env)
		}
	}
	return usageErrorf("unknown subcommand %q (run 'testigo help' for the list)", name)
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "testigo documents covert military strike campaigns from public reporting.")
	fmt.Fprintln(w, "\nUsage: testigo <command> [flags] [arguments]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'testigo <command> -h' for a command's flags.")
}

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps an error to the process exit status: 2 for usage errors,
// 1 for everything else.
func exitCode(err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
