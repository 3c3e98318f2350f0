package verify_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
	"github.com/testigo-project/testigo/internal/tsa"
	"github.com/testigo-project/testigo/internal/tsa/tsatest"
	"github.com/testigo-project/testigo/internal/verify"
)

var ctx = context.Background()

type dirBlobs string

func (d dirBlobs) Open(dg testigo.Digest) (io.ReadCloser, error) {
	f, err := os.Open(filepath.Join(string(d), string(dg)))
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("blob %s: %w", dg, testigo.ErrNotFound)
	}
	return f, err
}

type world struct {
	dir, dbPath string
	st          *sqlite.Store
	blobs       dirBlobs
	vkey        string
	docs        []*testigo.Document
}

// newWorld ingests a few documents the way the pipeline does — blob, rows,
// log entries, clustering — and signs a checkpoint after each batch.
func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{dir: t.TempDir()}
	w.dbPath = filepath.Join(w.dir, "t.db")
	w.blobs = dirBlobs(filepath.Join(w.dir, "blobs"))
	if err := os.MkdirAll(string(w.blobs), 0o755); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, w.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	w.st = st
	t.Cleanup(func() { w.st.Close() })
	signer, vkey, err := translog.LoadOrCreateKey(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	w.vkey = vkey
	for batch := range 2 {
		for i := range 3 {
			n := batch*3 + i
			raw := []byte(fmt.Sprintf("Report %d: a drone strike killed %d people in Culiacán, Sinaloa.", n, n+1))
			d := &testigo.Document{SHA256: testigo.DigestOf(raw), Name: fmt.Sprintf("in/%d.txt", n), Text: string(raw),
				Size: int64(len(raw)), FetchedAt: time.Date(2025, 11, 3, 0, 0, n, 0, time.UTC)}
			if err := os.WriteFile(filepath.Join(string(w.blobs), string(d.SHA256)), raw, 0o644); err != nil {
				t.Fatal(err)
			}
			err := st.Transact(ctx, func(tx testigo.Store) error {
				if err := tx.CreateDocument(ctx, d); err != nil {
					return err
				}
				r := &testigo.Report{DocumentID: d.ID, Event: testigo.Event{Type: testigo.TypeAirDroneStrike,
					Date: "2025-11-02", Place: testigo.Place{Country: "MX", Admin1: "Sinaloa"}, Killed: &testigo.Range{Min: n + 1, Max: n + 1}}}
				if err := tx.CreateReport(ctx, r); err != nil {
					return err
				}
				if err := jobs.LogCapture(ctx, tx, d, []*testigo.Report{r}); err != nil {
					return err
				}
				return jobs.AttachReport(ctx, tx, r, time.Now())
			})
			if err != nil {
				t.Fatal(err)
			}
			w.docs = append(w.docs, d)
		}
		if _, err := translog.Checkpoint(ctx, st, signer, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func (w *world) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", w.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (w *world) verify(t *testing.T) *verify.Result {
	t.Helper()
	res, err := verify.Run(ctx, w.st, w.blobs, w.vkey)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func wantProblem(t *testing.T, res *verify.Result, want string) {
	t.Helper()
	for _, p := range res.Problems {
		if strings.Contains(p, want) {
			return
		}
	}
	t.Errorf("no problem mentions %q; got %q", want, res.Problems)
}

func TestIntactStoreVerifies(t *testing.T) {
	w := newWorld(t)
	res := w.verify(t)
	if !res.OK() || res.Blobs != 6 || res.Checkpoints != 2 || res.Entries < 12 {
		t.Errorf("intact store: %+v", res)
	}
}

func TestFlippedByteInBlob(t *testing.T) {
	w := newWorld(t)
	p := filepath.Join(string(w.blobs), string(w.docs[2].SHA256))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[10] ^= 1
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, w.verify(t), fmt.Sprintf("blob %s of document %d is damaged", w.docs[2].SHA256, w.docs[2].ID))
}

func TestDeletedBlob(t *testing.T) {
	w := newWorld(t)
	if err := os.Remove(filepath.Join(string(w.blobs), string(w.docs[0].SHA256))); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, w.verify(t), fmt.Sprintf("blob %s of document %d is missing", w.docs[0].SHA256, w.docs[0].ID))
}

func TestEditedReportRow(t *testing.T) {
	w := newWorld(t)
	w.exec(t, `UPDATE reports SET killed_max = 99 WHERE id = 2`)
	wantProblem(t, w.verify(t), "report 2 differs from what log entry")
}

func TestEditedDocumentAndIncidentRows(t *testing.T) {
	w := newWorld(t)
	w.exec(t, `UPDATE documents SET text = 'nothing happened' WHERE id = 1`)
	w.exec(t, `UPDATE incidents SET killed_min = 0 WHERE id = 1`)
	res := w.verify(t)
	wantProblem(t, res, "document 1 differs")
	wantProblem(t, res, "incident 1 differs")
}

func TestTamperedEntryContent(t *testing.T) {
	w := newWorld(t)
	w.exec(t, `UPDATE log_entries SET content = CAST('{"subject":"document:1"}' AS BLOB) WHERE idx = 0`)
	wantProblem(t, w.verify(t), "log entry 0 was tampered with")
}

func TestReorderedEntries(t *testing.T) {
	w := newWorld(t)
	w.exec(t, `UPDATE log_entries SET idx = -1 WHERE idx = 1`)
	w.exec(t, `UPDATE log_entries SET idx = 1 WHERE idx = 2`)
	w.exec(t, `UPDATE log_entries SET idx = 2 WHERE idx = -1`)
	wantProblem(t, w.verify(t), "does not match the log's entries")
}

func TestRemovedEntry(t *testing.T) {
	w := newWorld(t)
	w.exec(t, `DELETE FROM log_entries WHERE idx = 3`)
	wantProblem(t, w.verify(t), "log entry 3 is missing")
}

func TestForgedCheckpoint(t *testing.T) {
	w := newWorld(t)
	cps, err := w.st.FindCheckpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Swap the signed root for another: the signature no longer matches.
	forged := strings.Replace(string(cps[0].Note), "\n"+fmt.Sprint(cps[0].Size)+"\n", "\n"+fmt.Sprint(cps[0].Size)+"\n", 1)
	lines := strings.Split(forged, "\n")
	lines[2] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	w.exec(t, `UPDATE checkpoints SET note = $1 WHERE size = $2`, []byte(strings.Join(lines, "\n")), cps[0].Size)
	wantProblem(t, w.verify(t), fmt.Sprintf("checkpoint of size %d", cps[0].Size))
}

func TestCheckpointByOtherKey(t *testing.T) {
	w := newWorld(t)
	_, other, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.vkey = other
	wantProblem(t, w.verify(t), "signed by unknown key")
}

func TestRolledBackLog(t *testing.T) {
	w := newWorld(t)
	size, err := w.st.LogSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.exec(t, `DELETE FROM log_entries WHERE idx >= $1`, size-2)
	wantProblem(t, w.verify(t), "the log was rolled back")
}

func TestRedactionIsNotTampering(t *testing.T) {
	w := newWorld(t)
	if err := w.st.RedactLogEntry(ctx, 0); err != nil {
		t.Fatal(err)
	}
	res := w.verify(t)
	if !res.OK() || res.Redacted != 1 {
		t.Errorf("after redaction: %+v", res)
	}
}

func TestCheckpointTimestamps(t *testing.T) {
	w := newWorld(t)
	srv := tsatest.New(t)
	cps, err := w.st.FindCheckpoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := (&tsa.Client{URL: srv.URL}).Stamp(ctx, cps[0].Note)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.st.SetCheckpointTimestamp(ctx, cps[0].Size, tok.DER); err != nil {
		t.Fatal(err)
	}
	res := w.verify(t)
	if !res.OK() || res.Timestamps != 1 {
		t.Fatalf("with one good token: %d timestamps checked, problems %q", res.Timestamps, res.Problems)
	}
	// A token moved onto another checkpoint does not vouch for it.
	if err := w.st.SetCheckpointTimestamp(ctx, cps[1].Size, tok.DER); err != nil {
		t.Fatal(err)
	}
	wantProblem(t, w.verify(t), fmt.Sprintf("checkpoint of size %d: time-stamp token: token is over another message", cps[1].Size))
}

func TestDamagedCaptureRecord(t *testing.T) {
	w := newWorld(t)
	rec := []byte(`{"final_url":"https://example.org/a","status":200}`)
	dg := testigo.DigestOf(rec)
	if err := os.WriteFile(filepath.Join(string(w.blobs), string(dg)), []byte(`{"status":404}`), 0o644); err != nil {
		t.Fatal(err)
	}
	w.exec(t, `UPDATE documents SET capture_sha256 = $1 WHERE id = $2`, string(dg), w.docs[0].ID)
	res := w.verify(t)
	wantProblem(t, res, fmt.Sprintf("(capture record) of document %d is damaged", w.docs[0].ID))
}
