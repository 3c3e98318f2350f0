package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/proof"
)

const proofUsage = `
Print, as JSON, the inclusion proof of a log entry in the latest signed
checkpoint, with the entry and the checkpoint. ID is a document's sha256,
or document:N, report:N or incident:N (the newest entry about it).`

func runProof(ctx context.Context, args []string, env *environ) error {
	fs := newFlagSet(env, "proof", "[flags] ID", proofUsage)
	data := dataFlag(fs, env)
	if err := parseFlags(fs, args); err != nil {
		return helpIsOK(err)
	}
	if fs.NArg() != 1 {
		return usageErrorf("testigo proof: want exactly one ID (run 'testigo proof -h' for usage)")
	}
	subject, err := proofSubject(fs.Arg(0))
	if err != nil {
		return err
	}
	a, err := openApp(ctx, env, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := proof.ForSubject(ctx, a.store, subject)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("write proof: %w", err)
	}
	return nil
}

// proofSubject turns the command-line ID into a log subject.
func proofSubject(id string) (string, error) {
	if d, err := testigo.ParseDigest(id); err == nil {
		return "sha256:" + string(d), nil
	}
	kind, num, ok := strings.Cut(id, ":")
	if n, err := strconv.ParseInt(num, 10, 64); ok && err == nil && n > 0 &&
		(kind == "document" || kind == "report" || kind == "incident") {
		return id, nil
	}
	return "", usageErrorf("testigo proof: %q is not a sha256 digest or document:N, report:N, incident:N", id)
}
