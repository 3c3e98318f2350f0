package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/ingest"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
)

type strikeReader struct{}

func (strikeReader) Extract(text, lang string, pub time.Time) []testigo.Event {
	return []testigo.Event{{Type: testigo.TypeAirDroneStrike, Date: "2025-11-20",
		Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato"}, Killed: &testigo.Range{Min: 4, Max: 6}}}
}

// makeBundle ingests two reports of one event into a fresh data dir, signs a
// checkpoint and bundles the incident. It returns the bundle and the key.
func makeBundle(t testing.TB, texts ...string) ([]byte, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	blobs, err := archive.Open(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	signer, vkey, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := &ingest.Pipeline{Store: st, Blobs: blobs, Extract: strikeReader{}, Now: time.Now, ExtractorVersion: "test",
		Record: jobs.LogCapture,
		Attach: func(ctx context.Context, tx testigo.Store, r *testigo.Report) error {
			return jobs.AttachReport(ctx, tx, r, time.Now())
		}}
	var id testigo.IncidentID
	for i, text := range texts {
		out, err := p.Ingest(ctx, ingest.Input{Name: "in" + string(rune('a'+i)) + ".txt", Raw: []byte(text), Text: text})
		if err != nil {
			t.Fatal(err)
		}
		id = out.Reports[0].IncidentID
	}
	if _, err := translog.Checkpoint(ctx, st, signer, time.Now()); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(ctx, st, blobs, id, vkey, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), vkey
}

// rewrite copies a bundle, letting edit change or drop each file.
func rewrite(t *testing.T, b []byte, edit func(name string, data []byte) ([]byte, bool)) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		data, keep := edit(f.Name, data)
		if !keep {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	zw.Close()
	return out.Bytes()
}

func TestBundleRoundTrip(t *testing.T) {
	b, key := makeBundle(t, "A drone strike killed four in Badiraguato.", "Seis muertos en Badiraguato.")
	rep, err := Verify(bytes.NewReader(b), int64(len(b)), key, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Documents != 2 || rep.Proofs != 5 {
		t.Errorf("report = %+v, want 2 captures and 5 proofs (incident, 2 reports, 2 captures)", rep)
	}
}

func TestBundleDamage(t *testing.T) {
	b, key := makeBundle(t, "A drone strike killed four in Badiraguato.", "Seis muertos en Badiraguato.")
	other, otherKey := makeBundle(t, "Another strike killed two in Badiraguato.")
	otherProof := map[string][]byte{}
	rewrite(t, other, func(name string, data []byte) ([]byte, bool) { otherProof[name] = data; return data, true })

	tests := []struct {
		name   string
		bundle []byte
		key    string
		want   string
	}{
		{"truncated", b[:len(b)/2], key, "bundle is not a readable zip"},
		{"unknown key", b, otherKey, "unknown key"},
		{"tampered capture", rewrite(t, b, func(name string, d []byte) ([]byte, bool) {
			if strings.HasSuffix(name, ".raw") {
				d = append([]byte("X"), d[1:]...)
			}
			return d, true
		}), key, "was altered"},
		{"proof for another tree", rewrite(t, b, func(name string, d []byte) ([]byte, bool) {
			if name == "proofs/incident-1.json" {
				return otherProof["proofs/incident-1.json"], true
			}
			return d, true
		}), key, "proof for another tree"},
		{"missing checkpoint", rewrite(t, b, func(name string, d []byte) ([]byte, bool) { return d, name != "checkpoint.txt" }), key, "no checkpoint.txt"},
		{"capture without proof", rewrite(t, b, func(name string, d []byte) ([]byte, bool) {
			return d, !strings.HasPrefix(name, "proofs/document-")
		}), key, "no proven capture entry"},
		{"missing witness", b, key + "|witness", "witness"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, witnesses := tc.key, []string(nil)
			if k, w, ok := strings.Cut(tc.key, "|"); ok {
				_, wkey, err := translog.LoadOrCreateKey(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				key, witnesses = k, []string{wkey}
				_ = w
			}
			_, err := Verify(bytes.NewReader(tc.bundle), int64(len(tc.bundle)), key, witnesses)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %v, want one line containing %q", err, tc.want)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	b, key := makeBundle(f, "A drone strike killed four in Badiraguato.")
	f.Add(b)
	f.Add(b[:100])
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Must never panic; whatever passes must be the real bundle's content.
		if rep, err := Verify(bytes.NewReader(data), int64(len(data)), key, nil); err == nil && rep.Proofs == 0 {
			t.Fatal("accepted a bundle without proofs")
		}
	})
}
