package translog

import (
	"strings"
	"testing"
)

// FuzzOpenCheckpoint checks that no input makes checkpoint parsing panic,
// and that whatever it accepts was signed by the key.
func FuzzOpenCheckpoint(f *testing.F) {
	dir := f.TempDir()
	signer, vkey, err := LoadOrCreateKey(dir)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("testigo-00000000\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— testigo-00000000 AAAA\n")
	f.Add("")
	f.Add("\n\n\n\n")
	f.Add(strings.Repeat("x\n", 1000))
	f.Fuzz(func(t *testing.T, msg string) {
		tree, _, err := OpenCheckpoint([]byte(msg), vkey)
		if err == nil && tree.Origin != signer.Name() {
			t.Fatalf("accepted a checkpoint of origin %q", tree.Origin)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("error is not one line: %q", err)
		}
		if _, err := parseBody(msg); err != nil && strings.Contains(err.Error(), "\n") {
			t.Fatalf("body error is not one line: %q", err)
		}
	})
}
