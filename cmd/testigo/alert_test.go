package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAlertCommands adds alerts from the command line, refuses bad ones,
// publishes an incident and has serve deliver its webhook, prints the feed
// and removes an alert.
func TestAlertCommands(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	if _, _, err := runCmd(t, ctx, "", "demo", "--data", dir, "--no-serve"); err != nil {
		t.Fatal(err)
	}
	const secret = "0123456789abcdef-secret"
	var (
		mu     sync.Mutex
		bodies [][]byte
		sigs   []string
	)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies, sigs = append(bodies, b), append(sigs, r.Header.Get("X-Testigo-Signature"))
		mu.Unlock()
	}))
	defer recv.Close()

	for _, c := range []struct {
		args []string
		want []string
		code int
	}{
		{[]string{"alert", "add", "x", "--type", "drone"}, []string{`type "drone" is not one of`, "air_drone_strike", "vessel_strike"}, 2},
		{[]string{"alert", "add", "x", "--grade", "good"}, []string{"confirmed, fair, weak, contested, discounted"}, 2},
		{[]string{"alert", "add", "x", "--webhook", "ftp://example.org/", "--secret", secret}, []string{"not an http or https URL"}, 2},
		{[]string{"alert", "add", "x", "--webhook", "https://example.org/"}, []string{"a webhook needs a secret"}, 2},
		{[]string{"alert", "add", "x", "--secret", secret}, []string{"without a webhook URL"}, 2},
		{[]string{"alert", "add"}, []string{"want 1 argument"}, 2},
		{[]string{"alert", "frob"}, []string{"unknown subcommand"}, 2},
		{[]string{"alert", "remove", "abc"}, []string{"not an alert ID"}, 2},
		{[]string{"alert", "remove", "99"}, []string{"not found"}, 1},
		{[]string{"alert", "feed", "99"}, []string{"not found"}, 1},
	} {
		_, _, err := runCmd(t, ctx, "", append(c.args, "--data", dir)...)
		if err == nil || exitCode(err) != c.code || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: %v (exit %d), want one line and exit %d", c.args, err, exitCode(err), c.code)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %v, want %q", c.args, err, w)
			}
		}
	}

	out, _, err := runCmd(t, ctx, "", "alert", "add", "everything", "--data", dir, "--webhook", recv.URL+"/hook", "--secret", secret)
	if err != nil || !strings.Contains(out, "added alert 1 (everything): every published incident") {
		t.Fatalf("alert add: %v %q", err, out)
	}
	out, _, err = runCmd(t, ctx, "", "alert", "add", "--data", dir, "--country", "zz", "--grade", "fair", "nowhere")
	if err != nil || !strings.Contains(out, "added alert 2 (nowhere): country=ZZ grade=fair") {
		t.Fatalf("alert add with flags first: %v %q", err, out)
	}
	if _, _, err := runCmd(t, ctx, "", "alert", "add", "nowhere", "--data", dir); err == nil || !strings.Contains(err.Error(), "exists already") || exitCode(err) != 1 {
		t.Errorf("second alert named nowhere: %v", err)
	}

	if _, _, err := runCmd(t, ctx, "", "incident", "publish", "--data", dir, "--as", "ana", "1"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, ctx, "", "alert", "list", "--data", dir)
	if err != nil || !strings.Contains(out, "0 delivered, 1 pending, 0 failed") || !strings.Contains(out, "country=ZZ grade=fair") {
		t.Fatalf("alert list before serve: %v\n%s", err, out)
	}

	// serve sends the queued delivery to the loopback receiver it is
	// allowed to reach.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(sctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--no-watch", "--allow-net", "127.0.0.0/8"},
			func(string) string { return "" }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(bodies)
		mu.Unlock()
		if n > 0 {
			break
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	mu.Lock()
	if len(bodies) != 1 {
		t.Fatalf("receiver got %d POSTs, want 1", len(bodies))
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(bodies[0])
	if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); sigs[0] != want {
		t.Errorf("signature %q, want %q", sigs[0], want)
	}
	if !strings.Contains(string(bodies[0]), `"review":"published"`) {
		t.Errorf("body: %s", bodies[0])
	}
	mu.Unlock()
	out, _, err = runCmd(t, ctx, "", "alert", "list", "--data", dir)
	if err != nil || !strings.Contains(out, "1 delivered, 0 pending, 0 failed") {
		t.Errorf("alert list after serve: %v\n%s", err, out)
	}

	out, _, err = runCmd(t, ctx, "", "alert", "feed", "1", "--data", dir, "--base-url", "https://testigo.example.org")
	if err != nil || !strings.Contains(out, "<id>tag:testigo.example.org,2026:alert:1</id>") ||
		!strings.Contains(out, "<id>tag:testigo.example.org,2026:incident:1</id>") || strings.Count(out, "<entry>") != 1 {
		t.Errorf("alert feed 1: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, ctx, "", "alert", "feed", "2", "--data", dir)
	if err != nil || strings.Contains(out, "<entry>") || !strings.Contains(out, "<title>testigo alert: nowhere</title>") {
		t.Errorf("alert feed 2: %v\n%s", err, out)
	}
	if out, _, err := runCmd(t, ctx, "", "alert", "remove", "1", "--data", dir); err != nil || !strings.Contains(out, "removed alert 1") {
		t.Errorf("alert remove: %v %q", err, out)
	}
	out, _, err = runCmd(t, ctx, "", "alert", "list", "--data", dir)
	if err != nil || strings.Contains(out, "everything") || !strings.Contains(out, "nowhere") {
		t.Errorf("alert list after remove: %v\n%s", err, out)
	}
}
