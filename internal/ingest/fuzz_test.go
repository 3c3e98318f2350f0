package ingest

import (
	"strings"
	"testing"
)

// FuzzReadBytes checks that no file content makes input parsing panic, that
// every error is one line naming the file, and that what is accepted has
// text.
func FuzzReadBytes(f *testing.F) {
	f.Add("a.jsonl", []byte(`{"id":"1","text":"uno","published":"2025-11-03"}`+"\nnot json\n"))
	f.Add("a.txt", []byte("source: x\npublished: 2025-11-03\n\nbody"))
	f.Add("a.json", []byte(`{"text": 3}`))
	f.Add("a.html", []byte("<html><body><p>Hola</p></body></html>"))
	f.Add("a.md", []byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		ins, errs := ReadBytes(name, data)
		for _, err := range errs {
			if msg := err.Error(); strings.Contains(msg, "\n") && !strings.Contains(name, "\n") || !strings.HasPrefix(msg, name) {
				t.Fatalf("error %q is not one line naming %q", msg, name)
			}
		}
		for _, in := range ins {
			if strings.TrimSpace(in.Text) == "" || len(in.Raw) == 0 {
				t.Fatalf("accepted input without text: %+v", in)
			}
		}
	})
}
