package proof_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/proof"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
)

var ctx = context.Background()

func setup(t *testing.T, n int) (*sqlite.Store, string, func() *testigo.Checkpoint) {
	t.Helper()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	signer, vkey, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	add := func(from, to int) {
		err := st.Transact(ctx, func(tx testigo.Store) error {
			for i := from; i < to; i++ {
				e, err := translog.NewEntry(testigo.LogIncident, fmt.Sprintf("incident:%d", i%5+1), []byte(fmt.Sprintf(`{"i":%d}`, i)), nil)
				if err != nil {
					return err
				}
				if err := translog.Append(ctx, tx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add(0, n)
	checkpoint := func() *testigo.Checkpoint {
		c, err := translog.Checkpoint(ctx, st, signer, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return st, vkey, checkpoint
}

func TestProofRoundTrip(t *testing.T) {
	st, vkey, checkpoint := setup(t, 23)
	if _, err := proof.ForSubject(ctx, st, "incident:3"); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("proof before any checkpoint: %v, want ErrNotFound", err)
	}
	checkpoint()
	p, err := proof.ForSubject(ctx, st, "incident:3")
	if err != nil {
		t.Fatal(err)
	}
	if p.Entry.Index != 22 || p.TreeSize != 23 {
		t.Errorf("proof of the newest entry about incident 3: index %d in tree %d", p.Entry.Index, p.TreeSize)
	}
	if err := proof.Check(p, vkey); err != nil {
		t.Fatalf("valid proof rejected: %v", err)
	}
	if _, err := proof.ForSubject(ctx, st, "incident:99"); !errors.Is(err, testigo.ErrNotFound) {
		t.Errorf("unknown subject: %v", err)
	}
	_, other, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(p *proof.Proof)
		key    string
		want   string
	}{
		{"edited content", func(p *proof.Proof) { p.Entry.Content = `{"i":0}` }, vkey, "does not match its commitment"},
		{"other index", func(p *proof.Proof) { p.Entry.Index = 3 }, vkey, "not in the checkpoint's tree"},
		{"truncated path", func(p *proof.Proof) { p.Inclusion = p.Inclusion[:1] }, vkey, "not in the checkpoint's tree"},
		{"bad hash", func(p *proof.Proof) { p.Inclusion[0] = "zz" }, vkey, "inclusion hash"},
		{"unknown key", func(*proof.Proof) {}, other, "unknown key"},
		{"stated tree differs", func(p *proof.Proof) { p.TreeSize = 99 }, vkey, "proof states tree 99"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := *p
			q.Inclusion = append([]string(nil), p.Inclusion...)
			tc.mutate(&q)
			err := proof.Check(&q, tc.key)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestProofForOtherTree(t *testing.T) {
	st, vkey, checkpoint := setup(t, 10)
	checkpoint()
	p, err := proof.ForSubject(ctx, st, "incident:1")
	if err != nil {
		t.Fatal(err)
	}
	st2, _, checkpoint2 := setup(t, 12)
	checkpoint2()
	p2, err := proof.ForSubject(ctx, st2, "incident:1")
	if err != nil {
		t.Fatal(err)
	}
	// The path of one tree under the checkpoint of another.
	p.Inclusion = p2.Inclusion
	if err := proof.Check(p, vkey); err == nil {
		t.Error("a proof for another tree was accepted")
	}
}
