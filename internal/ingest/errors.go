package ingest

import (
	"fmt"

	"github.com/testigo-project/testigo"
)

// InputError is a problem with one input: a file, a line of a .jsonl file or
// a URL. It is reported on one line that names the input, and the rest of
// the batch goes on.
type InputError struct {
	Name string // file path or URL
	Line int    // line number within a .jsonl file; 0 for whole inputs
	Err  error
}

// Error returns "NAME: problem" or, for a line of a .jsonl file,
// "NAME line N: problem".
func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s line %d: %v", e.Name, e.Line, e.Err)
	}
	return e.Name + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// invalidError is a problem with the content of an input. errors.Is(err,
// testigo.ErrInvalid) holds for it, but its message says only what is wrong.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }

func (e *invalidError) Is(target error) bool { return target == testigo.ErrInvalid }

// invalid returns an *InputError for the input name whose content is bad.
func invalid(name string, format string, args ...any) *InputError {
	return &InputError{Name: name, Err: &invalidError{msg: fmt.Sprintf(format, args...)}}
}

// invalidLine is invalid for line n of a .jsonl file.
func invalidLine(name string, n int, format string, args ...any) *InputError {
	e := invalid(name, format, args...)
	e.Line = n
	return e
}
