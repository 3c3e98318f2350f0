package s3blobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/s3blobs"
)

// servers returns the S3 servers to test against: gofakes3 (an in-memory
// S3 implementation speaking the real protocol over a real HTTP server)
// always, and a MinIO server when the minio binary is installed.
func servers(t *testing.T) map[string]s3blobs.Config {
	out := map[string]s3blobs.Config{}
	backend := s3mem.New()
	if err := backend.CreateBucket("testigo"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	out["gofakes3"] = s3blobs.Config{Endpoint: u.Host, Bucket: "testigo", Prefix: "blobs/", AccessKey: "k", SecretKey: "secretsecret", Insecure: true, Region: "us-east-1"}
	if c, ok := startMinIO(t); ok {
		out["minio"] = c
	}
	return out
}

// startMinIO starts a MinIO server on a free loopback port if the binary is
// on PATH.
func startMinIO(t *testing.T) (s3blobs.Config, bool) {
	bin, err := exec.LookPath("minio")
	if err != nil {
		t.Log("minio binary not installed: testing against gofakes3 only")
		return s3blobs.Config{}, false
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin, "server", "--quiet", "--address", addr, filepath.Join(t.TempDir(), "minio"))
	cmd.Env = append(os.Environ(), "MINIO_ROOT_USER=testigo", "MINIO_ROOT_PASSWORD=testigo-secret")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	client, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4("testigo", "testigo-secret", "")})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		if err = client.MakeBucket(context.Background(), "testigo", minio.MakeBucketOptions{}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("minio did not start: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return s3blobs.Config{Endpoint: addr, Bucket: "testigo", AccessKey: "testigo", SecretKey: "testigo-secret", Insecure: true}, true
}

func TestPutOpen(t *testing.T) {
	for name, c := range servers(t) {
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			st, err := s3blobs.Open(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			raw := []byte("Seis personas sin vida en Culiacán.")
			dg, created, err := st.Put(ctx, raw)
			if err != nil || !created || dg != testigo.DigestOf(raw) {
				t.Fatalf("Put = %s, %v, %v", dg, created, err)
			}
			if _, created, err := st.Put(ctx, raw); err != nil || created {
				t.Errorf("second Put = created %v, %v; want an existing blob", created, err)
			}
			rc, err := st.Open(dg)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(rc)
			rc.Close()
			if string(got) != string(raw) {
				t.Errorf("Open read %q", got)
			}
			_, err = st.Open(testigo.DigestOf([]byte("absent")))
			if !errors.Is(err, testigo.ErrNotFound) {
				t.Errorf("Open of a missing blob = %v, want ErrNotFound", err)
			}
			if _, err := st.Open("../etc"); !errors.Is(err, testigo.ErrInvalid) {
				t.Errorf("Open of a bad digest = %v, want ErrInvalid", err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	c := servers(t)["gofakes3"]
	c.Bucket = "absent"
	if _, err := s3blobs.Open(t.Context(), c); err == nil || !strings.Contains(err.Error(), "no bucket absent") {
		t.Errorf("Open of a missing bucket = %v", err)
	}
	for _, bad := range []string{"http://x/y", "s3://", "::"} {
		if _, err := s3blobs.ParseURL(bad, "", ""); err == nil {
			t.Errorf("ParseURL(%q) succeeded", bad)
		}
	}
	c2, err := s3blobs.ParseURL("s3://bucket/some/prefix?endpoint=127.0.0.1:9000&insecure=1&region=eu-west-1", "a", "b")
	want := s3blobs.Config{Endpoint: "127.0.0.1:9000", Bucket: "bucket", Prefix: "some/prefix/", Region: "eu-west-1", Insecure: true, AccessKey: "a", SecretKey: "b"}
	if err != nil || fmt.Sprint(c2) != fmt.Sprint(want) {
		t.Errorf("ParseURL = %+v, %v; want %+v", c2, err, want)
	}
}
