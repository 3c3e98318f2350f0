package translog

import (
	"context"
	"encoding/hex"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/testigo-project/testigo"
)

// Export is what a log hands a witness: its latest signed checkpoint and a
// proof that it extends the tree of OldSize entries the witness saw before.
type Export struct {
	Checkpoint  string   `json:"checkpoint"`
	OldSize     int64    `json:"old_size"`
	Consistency []string `json:"consistency"` // hex hashes
}

// NewExport builds the export of the latest checkpoint, proving consistency
// with the tree of oldSize entries (0 for a witness that saw nothing yet).
func NewExport(ctx context.Context, st testigo.LogStore, oldSize int64) (*Export, error) {
	cps, err := st.FindCheckpoints(ctx)
	if err != nil {
		return nil, fmt.Errorf("export checkpoint: %w", err)
	}
	if len(cps) == 0 {
		return nil, fmt.Errorf("export checkpoint: none signed yet: %w", testigo.ErrNotFound)
	}
	c := cps[len(cps)-1]
	if oldSize < 0 || oldSize > c.Size {
		return nil, fmt.Errorf("%w: --since-size %d is not between 0 and the checkpoint's %d", testigo.ErrInvalid, oldSize, c.Size)
	}
	e := &Export{Checkpoint: string(c.Note), OldSize: oldSize, Consistency: []string{}}
	if oldSize > 0 {
		p, err := ConsistencyProof(ctx, st, c.Size, oldSize)
		if err != nil {
			return nil, err
		}
		for _, h := range p {
			e.Consistency = append(e.Consistency, hex.EncodeToString(h[:]))
		}
	}
	return e, nil
}

// CheckExport is the witness's check: the export's checkpoint is signed by
// logKey, and, when the witness saw an earlier checkpoint (seen, may be
// nil), the new one extends it. A smaller tree is a rollback; an unproven
// or inconsistent one is a split view. It returns the new tree.
func CheckExport(e *Export, logKey string, seen []byte) (Tree, error) {
	tree, _, err := OpenCheckpoint([]byte(e.Checkpoint), logKey)
	if err != nil {
		return Tree{}, err
	}
	if seen == nil {
		return tree, nil
	}
	old, _, err := OpenCheckpoint(seen, logKey)
	if err != nil {
		return Tree{}, fmt.Errorf("the checkpoint this witness saw last: %w", err)
	}
	switch {
	case tree.Size < old.Size:
		return Tree{}, fmt.Errorf("%w: rollback: the log now claims %d entries, this witness saw %d", testigo.ErrInvalid, tree.Size, old.Size)
	case tree.Size == old.Size:
		if tree.Root != old.Root {
			return Tree{}, fmt.Errorf("%w: split view: two different trees of %d entries are signed", testigo.ErrInvalid, tree.Size)
		}
		return tree, nil
	case e.OldSize != old.Size:
		return Tree{}, fmt.Errorf("%w: the export proves consistency from %d entries; this witness saw %d (export with --since-size %d)",
			testigo.ErrInvalid, e.OldSize, old.Size, old.Size)
	}
	var p tlog.TreeProof
	for _, s := range e.Consistency {
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != 32 {
			return Tree{}, fmt.Errorf("%w: consistency proof hash %q is not 32 bytes of hex", testigo.ErrInvalid, s)
		}
		var h tlog.Hash
		copy(h[:], b)
		p = append(p, h)
	}
	if err := tlog.CheckTree(p, tree.Size, tree.Root, old.Size, old.Root); err != nil {
		return Tree{}, fmt.Errorf("%w: split view: the new tree does not extend the one this witness saw: %v", testigo.ErrInvalid, err)
	}
	return tree, nil
}
