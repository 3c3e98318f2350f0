package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/testigo-project/testigo/internal/tsa/tsatest"
)

func TestIngestTimeStampsCheckpoint(t *testing.T) {
	ctx := t.Context()
	srv := tsatest.New(t)
	data, in := t.TempDir(), filepath.Join(t.TempDir(), "a.txt")
	if err := os.WriteFile(in, []byte("A drone strike killed three people in Culiacán, Sinaloa, on Tuesday."), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := runCmd(t, ctx, "", "ingest", "--data", data, "--tsa", srv.URL, in)
	if err != nil || strings.Contains(errOut, "warning") {
		t.Fatalf("ingest --tsa: %v %s", err, errOut)
	}
	out, _, err := runCmd(t, ctx, "", "verify", "--data", data)
	if err != nil || !strings.Contains(out, "1 checkpoints (1 time-stamped)") {
		t.Errorf("verify = %q, %v; want one time-stamped checkpoint", out, err)
	}
	// An unreachable authority is a warning; the ingest still succeeds.
	in2 := filepath.Join(t.TempDir(), "b.txt")
	if err := os.WriteFile(in2, []byte("Otro ataque con dron dejó dos muertos en Badiraguato, Sinaloa."), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err = runCmd(t, ctx, "", "ingest", "--data", data, "--tsa", "http://127.0.0.1:1/tsa", in2)
	if err != nil || !strings.Contains(errOut, "not time-stamped") {
		t.Errorf("ingest with an unreachable TSA = %v, stderr %q; want success and a warning", err, errOut)
	}
}
