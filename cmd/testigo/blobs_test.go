package main

import (
	"bytes"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// TestObjectStorageBlobs keeps the archive in an S3 server (gofakes3, an
// in-memory S3 implementation over real HTTP) through TESTIGO_BLOBS.
func TestObjectStorageBlobs(t *testing.T) {
	backend := s3mem.New()
	if err := backend.CreateBucket("archive"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	env := map[string]string{
		"TESTIGO_BLOBS":         "s3://archive/testigo?insecure=1&region=us-east-1&endpoint=" + u.Host,
		"AWS_ACCESS_KEY_ID":     "key",
		"AWS_SECRET_ACCESS_KEY": "secretsecret",
	}
	getenv := func(k string) string { return env[k] }
	dir := t.TempDir()
	in := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(in, []byte("A drone strike killed three people in Culiacán, Sinaloa, on Tuesday."), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"ingest", "--data", data, in}, getenv, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("ingest: %v %s", err, errOut.String())
	}
	if entries, _ := os.ReadDir(filepath.Join(data, "blobs")); len(entries) != 0 {
		t.Errorf("local blobs dir has %d entries; want the blob in object storage only", len(entries))
	}
	out.Reset()
	if err := run(t.Context(), []string{"verify", "--data", data}, getenv, strings.NewReader(""), &out, &errOut); err != nil ||
		!strings.Contains(out.String(), "1 blobs") {
		t.Errorf("verify with object storage = %q, %v", out.String(), err)
	}
	env["TESTIGO_BLOBS"] = "s3://nosuchbucket?insecure=1&endpoint=" + u.Host
	err := run(t.Context(), []string{"verify", "--data", data}, getenv, strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "no bucket nosuchbucket") {
		t.Errorf("a missing bucket = %v", err)
	}
}
