package tsa_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/testigo-project/testigo/internal/tsa"
	"github.com/testigo-project/testigo/internal/tsa/tsatest"
)

func TestStampAndVerify(t *testing.T) {
	srv := tsatest.New(t)
	at := time.Date(2025, 11, 3, 12, 0, 0, 0, time.UTC)
	srv.Now = func() time.Time { return at }
	msg := []byte("testigo.example/log\n42\nroot\n\n— testigo sig\n")
	c := &tsa.Client{URL: srv.URL}
	tok, err := c.Stamp(t.Context(), msg)
	if err != nil {
		t.Fatal(err)
	}
	if !tok.Time.Equal(at) || !strings.Contains(tok.Signer, "testigo test TSA") || len(tok.DER) == 0 {
		t.Errorf("token = time %s, signer %q, %d bytes", tok.Time, tok.Signer, len(tok.DER))
	}
	got, err := tsa.Verify(tok.DER, msg, srv.Roots)
	if err != nil {
		t.Fatalf("Verify of a fresh token: %v", err)
	}
	if !got.Time.Equal(at) {
		t.Errorf("verified time %s, want %s", got.Time, at)
	}
	if _, err := tsa.Verify(tok.DER, []byte("another checkpoint"), nil); !errors.Is(err, tsa.ErrMismatch) {
		t.Errorf("Verify against another message = %v, want ErrMismatch", err)
	}
	other := tsatest.New(t)
	if _, err := tsa.Verify(tok.DER, msg, other.Roots); err == nil || !strings.Contains(err.Error(), "not trusted") {
		t.Errorf("Verify against another authority's roots = %v, want 'not trusted'", err)
	}
	bad := append([]byte(nil), tok.DER...)
	bad[len(bad)-5] ^= 0xff
	if _, err := tsa.Verify(bad, msg, nil); err == nil {
		t.Error("Verify of a token with a flipped byte succeeded")
	}
	if _, err := tsa.Verify([]byte("not DER"), msg, nil); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("Verify of garbage = %v, want a one-line error", err)
	}
}

func TestStampFailures(t *testing.T) {
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>hello</html>"))
	}))
	defer garbage.Close()
	for name, url := range map[string]string{"503": down.URL, "garbage": garbage.URL, "bad URL": "::"} {
		_, err := (&tsa.Client{URL: url}).Stamp(t.Context(), []byte("m"))
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "time-stamp:") {
			t.Errorf("%s: Stamp = %v, want a one-line time-stamp error", name, err)
		}
	}
}
