package score

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Gold is one gold row of the evaluation data.
type Gold struct {
	// ID is the row's id, "<dataset>:<upstream id>".
	ID string
	// Dataset names the upstream dataset; it is taken from the id's prefix
	// (or "unknown") when the row does not say.
	Dataset string
	// Lang is "en" or "es", or "" when the row does not say.
	Lang string
	// Text is the document text the labels describe.
	Text string
	// Published is the document date YYYY-MM-DD a reader knows, or "".
	Published string
	// Labels is the row's "gold" object as decoded JSON (numbers as
	// json.Number); a row without one has an empty map, no known fields.
	Labels map[string]any
}

// LineError is a problem with one line of an input file. It is reported,
// never fatal: the line is skipped or read as far as it can be.
type LineError struct {
	// File is "gold" or "pred".
	File string
	// Line is the 1-based line number.
	Line int
	// Msg says what is wrong.
	Msg string
	// Malformed is set when the line is not a JSON object at all.
	Malformed bool
}

// Error returns "FILE line N: MSG".
func (e *LineError) Error() string { return fmt.Sprintf("%s line %d: %s", e.File, e.Line, e.Msg) }

// jsonLine is one line of a JSONL file that holds a JSON object.
type jsonLine struct {
	line int
	obj  map[string]any
}

// readJSONL reads the JSON objects of a JSONL stream: the text is decoded
// as UTF-8 (a leading BOM dropped, bad bytes replaced) and split at "\n"
// only; blank lines are skipped and the others must be JSON objects.
func readJSONL(r io.Reader, what string) ([]jsonLine, []error, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", what, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	text := strings.ToValidUTF8(string(data), "\uFFFD")
	var out []jsonLine
	var errs []error
	for i, line := range strings.Split(text, "\n") {
		lineno := i + 1
		line = strings.TrimRight(line, "\r")
		if trimSpace(line) == "" {
			continue
		}
		v, err := decodeJSON(line)
		if err != nil {
			msg := err.Error()
			if utf8.RuneCountInString(msg) > 80 {
				msg = string([]rune(msg)[:80])
			}
			errs = append(errs, &LineError{File: what, Line: lineno, Msg: "not JSON (" + msg + ")", Malformed: true})
			continue
		}
		obj, ok := v.(map[string]any)
		if !ok {
			errs = append(errs, &LineError{File: what, Line: lineno, Msg: "not a JSON object", Malformed: true})
			continue
		}
		out = append(out, jsonLine{lineno, obj})
	}
	return out, errs, nil
}

// decodeJSON decodes one JSON value (numbers as json.Number) and refuses
// trailing data. Like Python's json module it accepts the bare values NaN,
// Infinity and -Infinity; they are read as the strings "nan", "inf" and
// "-inf", which every rule treats as it treats the Python floats.
func decodeJSON(s string) (any, error) {
	v, err := decodeStrict(s)
	if err == nil {
		return v, nil
	}
	if alt, changed := replaceNonFinite(s); changed {
		if v, err2 := decodeStrict(alt); err2 == nil {
			return v, nil
		}
	}
	return nil, err
}

// replaceNonFinite quotes the bare tokens NaN, Infinity and -Infinity found
// outside strings.
func replaceNonFinite(s string) (string, bool) {
	var b strings.Builder
	changed, inString, escaped := false, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			b.WriteByte(c)
			continue
		}
		if c == '"' {
			inString = true
			b.WriteByte(c)
			continue
		}
		replaced := false
		for _, r := range [...]struct{ tok, str string }{{"-Infinity", `"-inf"`}, {"Infinity", `"inf"`}, {"NaN", `"nan"`}} {
			if strings.HasPrefix(s[i:], r.tok) {
				b.WriteString(r.str)
				i += len(r.tok) - 1
				replaced, changed = true, true
				break
			}
		}
		if !replaced {
			b.WriteByte(c)
		}
	}
	return b.String(), changed
}

// decodeStrict decodes one JSON value as RFC 8259 defines it.
func decodeStrict(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("extra data after the JSON value")
	}
	return v, nil
}

// rowID reads an id: a string or number, trimmed; "" when there is none.
func rowID(v any) string {
	switch v.(type) {
	case nil, map[string]any, []any, bool:
		return ""
	}
	return trimSpace(pyStr(v))
}

// ReadGold reads gold rows from JSONL. Lines that are not JSON objects,
// rows without an id and repeated ids are skipped and reported as
// *LineError values; a row without a "gold" object is kept with no known
// fields. The error list is nil when every line was good. An error reading
// r itself is returned as the only error, with no rows.
func ReadGold(r io.Reader) ([]Gold, []error) {
	lines, errs, err := readJSONL(r, "gold")
	if err != nil {
		return nil, []error{err}
	}
	var rows []Gold
	seen := make(map[string]bool)
	for _, l := range lines {
		id := rowID(l.obj["id"])
		if id == "" {
			errs = append(errs, &LineError{File: "gold", Line: l.line, Msg: "no id, skipped"})
			continue
		}
		if seen[id] {
			errs = append(errs, &LineError{File: "gold", Line: l.line, Msg: "duplicate id " + id + ", skipped"})
			continue
		}
		seen[id] = true
		g, ok := l.obj["gold"].(map[string]any)
		if !ok {
			errs = append(errs, &LineError{File: "gold", Line: l.line, Msg: "no gold object, row has no known fields"})
			g = map[string]any{}
		}
		ds, _ := l.obj["dataset"].(string)
		if trimSpace(ds) == "" {
			ds = "unknown"
			if prefix, _, ok := strings.Cut(id, ":"); ok {
				ds = prefix
			}
		}
		row := Gold{ID: id, Dataset: trimSpace(ds), Labels: g}
		row.Lang, _ = l.obj["lang"].(string)
		row.Text, _ = l.obj["text"].(string)
		row.Published, _ = l.obj["published"].(string)
		rows = append(rows, row)
	}
	return rows, errs
}

// Preds is a prediction file as read by ReadPred.
type Preds struct {
	// Lines are the lines that hold a JSON object, in file order.
	Lines []PredLine
	// Malformed counts the lines that were not JSON objects.
	Malformed int
}

// PredLine is one prediction line: {"id": …, "events": [ … ]}.
type PredLine struct {
	// Line is the 1-based line number, used in problem reports.
	Line int
	// ID is the decoded "id" value (nil when absent).
	ID any
	// Events is the decoded "events" value (nil when absent or null). Only
	// its first element, the primary event, is scored; a single object
	// counts as a list of one.
	Events any
}

// ReadPred reads prediction lines, the output of `testigo extract --jsonl`.
// Lines that are not JSON objects are counted in Preds.Malformed and
// reported as *LineError values; they mean "predicted nothing". An error
// reading r itself is returned as the only error.
func ReadPred(r io.Reader) (Preds, []error) {
	lines, errs, err := readJSONL(r, "pred")
	if err != nil {
		return Preds{}, []error{err}
	}
	p := Preds{Malformed: len(errs)}
	for _, l := range lines {
		p.Lines = append(p.Lines, PredLine{Line: l.line, ID: l.obj["id"], Events: l.obj["events"]})
	}
	return p, errs
}
