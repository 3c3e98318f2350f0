package storetest

import (
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

// newLogEntry returns log entry i about subject. The store only keeps the
// hashes it is given, so they need not form a real Merkle tree here.
func newLogEntry(i int64, subject string) *testigo.LogEntry {
	salt := sha256.Sum256(fmt.Appendf(nil, "salt %d", i))
	content := fmt.Appendf(nil, `{"entry":%d}`, i)
	return &testigo.LogEntry{
		Index: i, Kind: testigo.LogCapture, Subject: subject,
		Salt: salt[:], Content: content,
		Commitment: sha256.Sum256(append(salt[:], content...)),
		CreatedAt:  at,
	}
}

func hashOf(i int64) [32]byte { return sha256.Sum256(fmt.Appendf(nil, "hash %d", i)) }

func testLogEntries(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	size, err := st.LogSize(ctx)
	must(t, err)
	if size != 0 {
		t.Fatalf("empty log has size %d", size)
	}
	subjects := []string{"document:1", "report:1", "document:1", "incident:1"}
	var entries []*testigo.LogEntry
	next := int64(0) // next stored-hash index
	for i, subj := range subjects {
		e := newLogEntry(int64(i), subj)
		hashes := [][32]byte{hashOf(next)}
		if i%2 == 1 {
			hashes = append(hashes, hashOf(next+1))
		}
		must(t, st.Transact(ctx, func(tx testigo.Store) error {
			return tx.AppendLogEntry(ctx, e, next, hashes)
		}))
		next += int64(len(hashes))
		entries = append(entries, e)
	}
	size, err = st.LogSize(ctx)
	must(t, err)
	if size != int64(len(subjects)) {
		t.Errorf("LogSize = %d, want %d", size, len(subjects))
	}

	wrong := newLogEntry(7, "document:9")
	wantErr(t, st.AppendLogEntry(ctx, wrong, next, [][32]byte{hashOf(next)}), testigo.ErrConflict, "append at a wrong index")
	again := newLogEntry(1, "document:9")
	wantErr(t, st.AppendLogEntry(ctx, again, next, nil), testigo.ErrConflict, "append at a used index")
	if size, _ := st.LogSize(ctx); size != int64(len(subjects)) {
		t.Errorf("rejected appends changed the log size to %d", size)
	}

	hashes, err := st.ReadLogHashes(ctx, []int64{0, next - 1, 2, 0})
	must(t, err)
	if diff := cmp.Diff([][32]byte{hashOf(0), hashOf(next - 1), hashOf(2), hashOf(0)}, hashes); diff != "" {
		t.Errorf("ReadLogHashes mismatch (-want +got):\n%s", diff)
	}
	_, err = st.ReadLogHashes(ctx, []int64{0, next})
	wantErr(t, err, testigo.ErrNotFound, "ReadLogHashes of a missing hash")

	got, err := st.FindLogEntries(ctx, 1, 3)
	must(t, err)
	if diff := cmp.Diff(entries[1:3], got); diff != "" {
		t.Errorf("FindLogEntries(1, 3) mismatch (-want +got):\n%s", diff)
	}
	got, err = st.FindLogEntriesBySubject(ctx, "document:1")
	must(t, err)
	if diff := cmp.Diff([]*testigo.LogEntry{entries[0], entries[2]}, got); diff != "" {
		t.Errorf("FindLogEntriesBySubject mismatch (-want +got):\n%s", diff)
	}
	latest, err := st.LatestLogEntries(ctx, testigo.LogCapture, []string{"document:1", "incident:1", "report:9"})
	must(t, err)
	if diff := cmp.Diff(map[string]*testigo.LogEntry{"document:1": entries[2], "incident:1": entries[3]}, latest); diff != "" {
		t.Errorf("LatestLogEntries mismatch (-want +got):\n%s", diff)
	}
	latest, err = st.LatestLogEntries(ctx, testigo.LogIncident, []string{"document:1", "incident:1"})
	must(t, err)
	if len(latest) != 0 {
		t.Errorf("LatestLogEntries of another kind = %v, want none", latest)
	}
	if latest, err = st.LatestLogEntries(ctx, testigo.LogCapture, nil); err != nil || len(latest) != 0 {
		t.Errorf("LatestLogEntries of no subjects = %v, %v; want none", latest, err)
	}

	must(t, st.RedactLogEntry(ctx, 2))
	wantErr(t, st.RedactLogEntry(ctx, 99), testigo.ErrNotFound, "redact a missing entry")
	got, err = st.FindLogEntries(ctx, 0, 10)
	must(t, err)
	redacted := *entries[2]
	redacted.Salt, redacted.Content = nil, nil
	want := []*testigo.LogEntry{entries[0], entries[1], &redacted, entries[3]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindLogEntries after redaction mismatch (-want +got):\n%s", diff)
	}
	if len(got) == 4 && !got[2].Redacted() {
		t.Error("redacted entry does not report itself redacted")
	}
}

func testCheckpoints(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	none, err := st.FindCheckpoints(ctx)
	must(t, err)
	if len(none) != 0 {
		t.Errorf("new store has %d checkpoints", len(none))
	}
	big := &testigo.Checkpoint{Size: 9, Root: hashOf(9), Note: []byte("testigo\n9\nroot\n\n— sig\n"), CreatedAt: at}
	small := &testigo.Checkpoint{Size: 2, Root: hashOf(2), Note: []byte("testigo\n2\nroot\n\n— sig\n"), CreatedAt: at.In(mexico)}
	must(t, st.AddCheckpoint(ctx, big))
	must(t, st.AddCheckpoint(ctx, small))
	dup := &testigo.Checkpoint{Size: 9, Root: hashOf(10), Note: []byte("other"), CreatedAt: at}
	wantErr(t, st.AddCheckpoint(ctx, dup), testigo.ErrConflict, "second checkpoint of the same size")
	got, err := st.FindCheckpoints(ctx)
	must(t, err)
	if diff := cmp.Diff([]*testigo.Checkpoint{small, big}, got); diff != "" {
		t.Errorf("FindCheckpoints mismatch (-want +got):\n%s", diff)
	}
	for _, c := range got {
		wantUTC(t, "checkpoint", c.CreatedAt)
	}
	token := []byte{0x30, 0x82, 0x01, 0x00, 0xde, 0xad}
	must(t, st.SetCheckpointTimestamp(ctx, 2, token))
	wantErr(t, st.SetCheckpointTimestamp(ctx, 3, token), testigo.ErrNotFound, "timestamp of a missing checkpoint")
	got, err = st.FindCheckpoints(ctx)
	must(t, err)
	small.Timestamp = token
	if diff := cmp.Diff([]*testigo.Checkpoint{small, big}, got); diff != "" {
		t.Errorf("FindCheckpoints after SetCheckpointTimestamp (-want +got):\n%s", diff)
	}
}
