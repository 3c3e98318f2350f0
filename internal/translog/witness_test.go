package translog_test

import (
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo/internal/translog"
)

func TestWitnessDetectsRollbackAndSplitView(t *testing.T) {
	st := openStore(t)
	signer, vkey, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	appendN(t, st, 5)
	c1, err := translog.Checkpoint(ctx, st, signer, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e0, err := translog.NewExport(ctx, st, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := translog.CheckExport(e0, vkey, nil); err != nil {
		t.Fatalf("first sighting: %v", err)
	}
	appendN(t, st, 7)
	if _, err := translog.Checkpoint(ctx, st, signer, time.Now()); err != nil {
		t.Fatal(err)
	}
	e1, err := translog.NewExport(ctx, st, c1.Size)
	if err != nil {
		t.Fatal(err)
	}
	if tree, err := translog.CheckExport(e1, vkey, c1.Note); err != nil || tree.Size != 12 {
		t.Fatalf("consistent growth: %v, %v", tree, err)
	}
	// Rollback: the witness saw 12, the log now shows 5.
	if _, err := translog.CheckExport(e0, vkey, []byte(e1.Checkpoint)); err == nil || !strings.Contains(err.Error(), "rollback") {
		t.Errorf("rollback: %v", err)
	}
	// Split view: the same key signs another history of 12 entries that
	// does not extend the 5 the witness saw.
	other := openStore(t)
	appendN(t, other, 12)
	if _, err := translog.Checkpoint(ctx, other, signer, time.Now()); err != nil {
		t.Fatal(err)
	}
	forked, err := translog.NewExport(ctx, other, c1.Size)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := translog.CheckExport(forked, vkey, c1.Note); err == nil || !strings.Contains(err.Error(), "split view") {
		t.Errorf("fork: %v", err)
	}
	if _, err := translog.CheckExport(forked, vkey, []byte(e1.Checkpoint)); err == nil || !strings.Contains(err.Error(), "split view") {
		t.Errorf("two trees of one size: %v", err)
	}
}
