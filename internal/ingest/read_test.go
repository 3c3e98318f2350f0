package ingest

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/testigo-project/testigo"
)

// writeFile writes data to dir/name and returns the path.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// garbage writes n pseudo-random bytes (a fixed seed) to dir/name.
func garbage(t testing.TB, dir, name string, n int) string {
	t.Helper()
	buf := make([]byte, n)
	rng := rand.NewChaCha8([32]byte{1})
	if _, err := rng.Read(buf); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, dir, name, buf)
}

// TestReadBadInput gives Read every kind of bad file: each must come back as
// exactly one error, on one line, naming the file and saying what is wrong,
// and wrapping testigo.ErrInvalid.
func TestReadBadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, file string
		data       []byte
		want       string // the error after "PATH: "
	}{
		{"binary", "a.txt", []byte("ab\x00cd"), "binary data (NUL byte at offset 2), not text"},
		{"binary html", "b.html", []byte("<html>\x00</html>"), "binary data (NUL byte at offset 6), not text"},
		{"binary jsonl", "b.jsonl", []byte("{}\n\x00\x01"), "binary data (NUL byte at offset 3), not text"},
		{"empty", "empty.txt", nil, "empty"},
		{"whitespace only", "blank.md", []byte(" \n\t \r\n"), "empty"},
		{"whitespace only jsonl", "blank.jsonl", []byte("\n\n  \n"), "empty"},
		{"invalid utf-8", "latin1.txt", []byte("caf\xe9 con leche"), "not valid UTF-8 (bad byte at offset 3)"},
		{"invalid utf-8 json", "latin1.json", []byte(`{"text":"caf` + "\xe9" + `"}`), "not valid UTF-8 (bad byte at offset 12)"},
		{"unknown extension", "sheet.xlsx", []byte("PK\x03\x04"), `unsupported file type ".xlsx" (want .txt, .md, .html, .json or .jsonl)`},
		{"no extension", "README", []byte("x"), `unsupported file type "no extension" (want .txt, .md, .html, .json or .jsonl)`},
		{"invalid json", "broken.json", []byte(`{"text": "unterminated`), "invalid JSON: unexpected end of JSON input"},
		{"json array", "list.json", []byte(`[{"text": "x"}]`), "invalid JSON: json: cannot unmarshal array into Go value of type ingest.jsonDoc"},
		{"missing text", "notext.json", []byte(`{"id": "1", "url": "https://example.org"}`), `no "text" field`},
		{"empty text", "emptytext.json", []byte(`{"text": " \n "}`), `"text" is empty`},
		{"bad published", "date.json", []byte(`{"text": "x", "published": "ayer"}`), `"published" "ayer" is not a YYYY-MM-DD or RFC 3339 date`},
		{"bad lang", "lang.json", []byte(`{"text": "x", "lang": "fr"}`), `"lang" "fr" is not en or es`},
		{"header bad date", "h.txt", []byte("source: x\npublished: soon\n\nbody"), `header published "soon" is not a YYYY-MM-DD or RFC 3339 date`},
		{"header bad language", "h2.txt", []byte("language: de\n\nbody"), `header language "de" is not en or es`},
		{"header only", "h3.txt", []byte("source: x\npublished: 2025-11-03\n\n"), "no text after the header"},
		{"html without text", "empty.html", []byte("<html><body><script>x()</script></body></html>"), "the page has no main text (text and comments are not long enough: 0 0)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, tc.file, tc.data)
			ins, errs := Read(context.Background(), nil, path, 0)
			if len(ins) != 0 || len(errs) != 1 {
				t.Fatalf("got %d inputs and errors %v, want one error", len(ins), errs)
			}
			if diff := cmp.Diff(path+": "+tc.want, errs[0].Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			var ie *InputError
			if !errors.As(errs[0], &ie) || !errors.Is(errs[0], testigo.ErrInvalid) {
				t.Errorf("error %#v is not an *InputError wrapping ErrInvalid", errs[0])
			}
		})
	}
}

// TestReadSizeCap checks that a file over the limit is refused by its size:
// 50 MB of garbage against the default 20 MB cap, and a smaller cap.
func TestReadSizeCap(t *testing.T) {
	dir := t.TempDir()
	big := garbage(t, dir, "garbage.txt", 50<<20)
	start := time.Now()
	ins, errs := Read(context.Background(), nil, big, 0)
	if len(ins) != 0 || len(errs) != 1 || errs[0].Error() != big+": 50.0 MB is over the 20.0 MB limit" {
		t.Fatalf("50 MB file: %d inputs, errors %v", len(ins), errs)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing a 50 MB file took %s; it should not read it", d)
	}
	small := writeFile(t, dir, "small.txt", bytes.Repeat([]byte("texto "), 400))
	if _, errs := Read(context.Background(), nil, small, 1000); len(errs) != 1 || !strings.HasSuffix(errs[0].Error(), ": 2400 bytes is over the 1000 bytes limit") {
		t.Errorf("small cap: %v", errs)
	}
	if ins, errs := Read(context.Background(), nil, small, 2400); len(errs) != 0 || len(ins) != 1 {
		t.Errorf("file exactly at the cap: %d inputs, %v", len(ins), errs)
	}
}

func TestReadMissingAndDirectory(t *testing.T) {
	dir := t.TempDir()
	tests := map[string]string{
		filepath.Join(dir, "nope.txt"): "no such file",
		dir:                            "is a directory; give the files in it",
	}
	for path, want := range tests {
		_, errs := Read(context.Background(), nil, path, 0)
		if len(errs) != 1 || errs[0].Error() != path+": "+want {
			t.Errorf("Read(%s) errors %v, want %q", path, errs, want)
		}
	}
}

// inputOpts compares inputs without their raw bytes, which tests check
// separately.
var inputOpts = cmpopts.IgnoreFields(Input{}, "Raw")

func day(s string) time.Time {
	t, err := time.Parse(testigo.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadFormats(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("testdata", "seed-us-mission-mexico-2025-11-03.txt"))
	if err != nil {
		t.Fatal(err)
	}
	seedBody := string(seed[bytes.Index(seed, []byte("The administration")):])
	tests := []struct {
		name, file string
		data       string
		want       Input
	}{
		{"seed header", "seed.txt", string(seed), Input{ContentType: "text/plain", Lang: "en",
			Published: day("2025-11-03"), Text: strings.TrimSpace(seedBody)}},
		{"crlf header", "crlf.txt", "published: 2025-03-05T10:00:00Z\r\nlanguage: ES\r\n\r\nDos muertos.\r\nOtra línea.\r\n",
			Input{ContentType: "text/plain", Lang: "es", Published: time.Date(2025, 3, 5, 10, 0, 0, 0, time.UTC), Text: "Dos muertos.\nOtra línea."}},
		{"first paragraph is not a header", "plain.txt", "Gunmen: killed three.\n\nSecond paragraph.",
			Input{ContentType: "text/plain", Text: "Gunmen: killed three.\n\nSecond paragraph."}},
		{"bom and decomposed accents", "bom.txt", "\uFEFFAtaque en Culiaca\u0301n",
			Input{ContentType: "text/plain", Text: "Ataque en Culiacán"}},
		{"markdown", "a.md", "# Ataque en Sinaloa\n\n> Tres muertos, según [la Fiscalía](https://example.org).\n",
			Input{ContentType: "text/markdown", Text: "Ataque en Sinaloa\n\nTres muertos, según la Fiscalía."}},
		{"json", "a.json", `{"id": 12, "text": " Seis muertos en Badiraguato. ", "url": "https://example.org/n", "published": "2025-11-21", "lang": "es", "title": "Ataque"}`,
			Input{ContentType: "application/json", ExternalID: "12", URL: "https://example.org/n", Published: day("2025-11-21"),
				Lang: "es", Title: "Ataque", Text: "Seis muertos en Badiraguato."}},
		{"json nulls", "n.json", `{"id": null, "text": "x", "published": null, "lang": null}`,
			Input{ContentType: "application/json", Text: "x"}},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, tc.file, []byte(tc.data))
			ins, errs := Read(context.Background(), nil, path, 0)
			if len(errs) != 0 || len(ins) != 1 {
				t.Fatalf("got %d inputs, errors %v", len(ins), errs)
			}
			tc.want.Name = path
			if diff := cmp.Diff(tc.want, ins[0], inputOpts); diff != "" {
				t.Errorf("input (-want +got):\n%s", diff)
			}
			if string(ins[0].Raw) != tc.data {
				t.Errorf("Raw is not the file's bytes: %q", ins[0].Raw)
			}
		})
	}
}

// TestReadJSONLBadLines puts bad lines between good ones: each bad line is
// its own error naming the file and line, and the good lines come back,
// each with its own bytes as Raw.
func TestReadJSONLBadLines(t *testing.T) {
	lines := []string{
		`{"id":"a","text":"uno","published":"2025-11-03T10:00:00Z","lang":"es"}`,
		`{"id":"b","text":"dos"`,
		`{"id":"c","text":"tres"}`,
		``,
		`{"id":"d"}`,
		`{"id":"e","text":"caf` + "\xe9" + `"}`,
		`{"id":"f","text":"seis","published":"last week"}`,
		`{"id":7,"text":"siete"}` + "\r",
	}
	path := writeFile(t, t.TempDir(), "batch.jsonl", []byte(strings.Join(lines, "\n")+"\n"))
	ins, errs := Read(context.Background(), nil, path, 0)
	var gotErrs []string
	for _, err := range errs {
		gotErrs = append(gotErrs, err.Error())
	}
	wantErrs := []string{
		path + " line 2: invalid JSON: unexpected end of JSON input",
		path + ` line 5: no "text" field`,
		path + " line 6: not valid UTF-8 (bad byte at column 22)",
		path + ` line 7: "published" "last week" is not a YYYY-MM-DD or RFC 3339 date`,
	}
	if diff := cmp.Diff(wantErrs, gotErrs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	want := []Input{
		{Name: path + "#line 1", ContentType: "application/json", ExternalID: "a", Lang: "es",
			Published: time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC), Text: "uno"},
		{Name: path + "#line 3", ContentType: "application/json", ExternalID: "c", Text: "tres"},
		{Name: path + "#line 8", ContentType: "application/json", ExternalID: "7", Text: "siete"},
	}
	if diff := cmp.Diff(want, ins, inputOpts); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	for i, n := range []int{0, 2, 7} {
		if i < len(ins) && string(ins[i].Raw) != strings.TrimSuffix(lines[n], "\r") {
			t.Errorf("input %d Raw = %q, want the line's bytes", i, ins[i].Raw)
		}
	}
}
