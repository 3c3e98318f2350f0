package web_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/proof"
	"github.com/testigo-project/testigo/internal/translog"
)

func TestCheckpointAndProofAPI(t *testing.T) {
	f := newFixture(t, 1)
	if resp, _ := get(t, f.srv.URL+"/api/v1/checkpoint"); resp.StatusCode != 404 {
		t.Errorf("checkpoint before any: %d, want 404", resp.StatusCode)
	}
	signer, vkey, err := translog.LoadOrCreateKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	err = f.st.Transact(ctx(), func(tx testigo.Store) error {
		if err := jobs.LogCapture(ctx(), tx, f.doc, nil); err != nil {
			return err
		}
		_, err := translog.Checkpoint(ctx(), tx, signer, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, f.srv.URL+"/api/v1/checkpoint")
	if resp.StatusCode != 200 {
		t.Fatalf("checkpoint: %d %s", resp.StatusCode, body)
	}
	for _, id := range []string{string(f.doc.SHA256), fmt.Sprintf("document:%d", f.doc.ID)} {
		resp, body = get(t, f.srv.URL+"/api/v1/proof/"+id)
		if resp.StatusCode != 200 {
			t.Fatalf("proof %s: %d %s", id, resp.StatusCode, body)
		}
		var p proof.Proof
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatal(err)
		}
		if err := proof.Check(&p, vkey); err != nil {
			t.Errorf("proof served for %s does not check: %v", id, err)
		}
	}
	for _, id := range []string{"report:99", "garbage", "document:0"} {
		if resp, _ := get(t, f.srv.URL+"/api/v1/proof/"+id); resp.StatusCode != 404 {
			t.Errorf("proof %s: %d, want 404", id, resp.StatusCode)
		}
	}
}
