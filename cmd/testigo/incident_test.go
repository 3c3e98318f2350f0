package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/testigo-project/testigo/internal/proof"
)

// TestReviewVerifyAndProve runs the demo, reviews incidents from the command
// line, proves a document, verifies the data dir, then damages a blob and
// checks that verify names it.
func TestReviewVerifyAndProve(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, _, err := runCmd(t, ctx, "", "demo", "--data", dir, "--no-serve"); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, ctx, "", "incident", "list", "--data", dir)
	if err != nil || !strings.Contains(out, "operation_planning") {
		t.Fatalf("incident list: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, ctx, "", "incident", "merge", "--data", dir, "--as", "ana", "1", "2"); err == nil ||
		!strings.Contains(err.Error(), "a reason is required") {
		t.Errorf("merge without reason: %v", err)
	}
	out, _, err = runCmd(t, ctx, "", "incident", "merge", "--data", dir, "--as", "ana", "--reason", "test merge", "1", "2")
	if err != nil || !strings.Contains(out, "incident 1:") {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, ctx, "", "incident", "publish", "--data", dir, "--as", "ana", "1")
	if err != nil || !strings.Contains(out, "published") {
		t.Fatalf("publish: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, ctx, "", "incident", "grade", "--data", dir, "1", "certain"); err == nil || exitCode(err) != 1 {
		t.Errorf("bad grade: %v", err)
	}
	if _, _, err := runCmd(t, ctx, "", "incident", "frob", "--data", dir); err == nil || exitCode(err) != 2 {
		t.Errorf("unknown action: %v", err)
	}

	vkey, _, err := runCmd(t, ctx, "", "key", "show", "--data", dir)
	if err != nil || !strings.HasPrefix(vkey, "testigo-") {
		t.Fatalf("key show: %q %v", vkey, err)
	}
	out, _, err = runCmd(t, ctx, "", "proof", "--data", dir, "incident:1")
	if err != nil {
		t.Fatal(err)
	}
	var p proof.Proof
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if err := proof.Check(&p, strings.TrimSpace(vkey)); err != nil {
		t.Errorf("proof printed by the CLI does not check: %v", err)
	}

	zipPath := filepath.Join(t.TempDir(), "b.zip")
	if out, _, err := runCmd(t, ctx, "", "bundle", "--data", dir, "-o", zipPath, "1"); err != nil {
		t.Fatalf("bundle: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, ctx, "", "verify-bundle", "--key", strings.TrimSpace(vkey), zipPath)
	if err != nil || !strings.HasPrefix(out, "OK:") {
		t.Errorf("verify-bundle: %v\n%s", err, out)
	}
	// A witness co-signs the checkpoint; the bundle then checks with its key too.
	wdir := t.TempDir()
	exportPath := filepath.Join(wdir, "export.json")
	if _, _, err := runCmd(t, ctx, "", "checkpoint", "export", "--data", dir, "-o", exportPath); err != nil {
		t.Fatal(err)
	}
	cosigned := filepath.Join(wdir, "cosigned.txt")
	if _, _, err := runCmd(t, ctx, "", "witness", "--data", wdir, "--log-key", strings.TrimSpace(vkey), "-o", cosigned, exportPath); err != nil {
		t.Fatalf("witness: %v", err)
	}
	wkey, _, err := runCmd(t, ctx, "", "key", "show", "--data", wdir)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, ctx, "", "witness", "--data", wdir, "--log-key", strings.TrimSpace(wkey), exportPath); err == nil ||
		!strings.Contains(err.Error(), "unknown key") {
		t.Errorf("witness with the wrong log key: %v", err)
	}
	if _, _, err := runCmd(t, ctx, "", "bundle", "--data", dir, "-o", "/nonexistent/dir/b.zip", "1"); err == nil {
		t.Error("bundle to an unwritable path succeeded")
	}
	if _, _, err := runCmd(t, ctx, "", "verify-bundle", "--key", strings.TrimSpace(vkey), filepath.Join(dir, "testigo.db")); err == nil ||
		!strings.Contains(err.Error(), "not a readable zip") {
		t.Errorf("verify-bundle of a non-zip: %v", err)
	}

	out, _, err = runCmd(t, ctx, "", "verify", "--data", dir)
	if err != nil || !strings.Contains(out, "OK:") {
		t.Fatalf("verify of an intact data dir: %v\n%s", err, out)
	}
	// Redaction keeps every proof valid.
	if out, _, err := runCmd(t, ctx, "", "redact", "--data", dir, "--reason", "names a witness", "3"); err != nil {
		t.Fatalf("redact: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, ctx, "", "verify", "--data", dir)
	if err != nil || !strings.Contains(out, "(1 redacted)") {
		t.Fatalf("verify after redaction: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, ctx, "", "redact", "--data", dir, "--reason", "x", "99999"); err == nil || exitCode(err) != 1 {
		t.Errorf("redact of a missing entry: %v", err)
	}
	// Damage one archived blob.
	var blob string
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && blob == "" {
			blob = p
		}
		return nil
	})
	if err := os.Chmod(blob, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blob, []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, ctx, "", "verify", "--data", dir)
	if err == nil || exitCode(err) != 1 || !strings.Contains(out, "DAMAGED: blob") {
		t.Errorf("verify of a damaged blob: %v\n%s", err, out)
	}
}
