package ingest

import (
	"fmt"
	"io"
)

// Summary counts the outcomes of a batch: inputs stored, inputs skipped as
// duplicates and inputs that failed, with the reason for each failure.
// The zero Summary is ready to use.
type Summary struct {
	New, Duplicate int
	failures       []string
	warnings       []string
}

// Add counts one input given to Pipeline.Ingest, from what it returned.
func (s *Summary) Add(in Input, out Outcome, err error) {
	switch {
	case err != nil:
		s.Fail(err)
	case out.Duplicate:
		s.Duplicate++
	default:
		s.New++
		if out.ExtractErr != nil {
			s.warnings = append(s.warnings, fmt.Sprintf("%s: stored without reports: %v", in.Name, out.ExtractErr))
		}
	}
}

// Fail counts a failed input; err should name it, as an *InputError does.
func (s *Summary) Fail(err error) { s.failures = append(s.failures, err.Error()) }

// Failed returns how many inputs failed.
func (s *Summary) Failed() int { return len(s.failures) }

// Failures returns the reason for each failure, in the order they were
// counted.
func (s *Summary) Failures() []string { return append([]string(nil), s.failures...) }

// Total returns how many inputs were counted.
func (s *Summary) Total() int { return s.New + s.Duplicate + len(s.failures) }

// Print writes "N new, N duplicate, N failed", then one line per failure
// and one per document stored without reports because extraction failed.
func (s *Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "%d new, %d duplicate, %d failed\n", s.New, s.Duplicate, len(s.failures))
	for _, f := range s.failures {
		fmt.Fprintf(w, "  failed: %s\n", f)
	}
	for _, f := range s.warnings {
		fmt.Fprintf(w, "  warning: %s\n", f)
	}
}
