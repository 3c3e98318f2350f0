// Package s3blobs keeps testigo's content-addressed blobs in S3-compatible
// object storage (AWS S3, MinIO, Ceph, Garage…) through minio-go, so that
// several machines running workers share one archive. Objects are named
// <prefix><ab>/<cdef…> by the SHA-256 of their bytes, like the local
// archive; an upload either completes or leaves no object, which S3's
// single PUT guarantees.
package s3blobs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
)

// Store is a blob store in one bucket.
type Store struct {
	client  *minio.Client
	bucket  string
	prefix  string
	timeout time.Duration
}

var _ archive.Blobs = (*Store)(nil)

// Config says where the blobs are.
type Config struct {
	Endpoint  string // host:port
	Bucket    string
	Prefix    string // e.g. "testigo/blobs/"; may be empty
	AccessKey string
	SecretKey string
	Region    string
	Insecure  bool          // plain HTTP, for a local server
	Timeout   time.Duration // per request; 60 s when zero
}

// ParseURL reads a blob-store URL of the form
// s3://BUCKET/PREFIX?endpoint=HOST:PORT&region=R&insecure=1; the keys come
// from the caller (the environment, not the URL, so they stay out of
// process listings and logs).
func ParseURL(raw, accessKey, secretKey string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return Config{}, fmt.Errorf("blob store %q is not an s3://BUCKET/PREFIX?endpoint=HOST:PORT URL", raw)
	}
	q := u.Query()
	c := Config{Bucket: u.Host, Prefix: strings.TrimPrefix(u.Path, "/"), Endpoint: q.Get("endpoint"),
		Region: q.Get("region"), Insecure: q.Get("insecure") == "1" || q.Get("insecure") == "true",
		AccessKey: accessKey, SecretKey: secretKey}
	if c.Endpoint == "" {
		c.Endpoint = "s3.amazonaws.com"
	}
	if c.Prefix != "" && !strings.HasSuffix(c.Prefix, "/") {
		c.Prefix += "/"
	}
	return c, nil
}

// Open connects to the bucket and checks that it exists.
func Open(ctx context.Context, c Config) (*Store, error) {
	client, err := minio.New(c.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure: !c.Insecure, Region: c.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("blob store %s: %w", c.Endpoint, err)
	}
	s := &Store{client: client, bucket: c.Bucket, prefix: c.Prefix, timeout: c.Timeout}
	if s.timeout <= 0 {
		s.timeout = 60 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ok, err := client.BucketExists(ctx, c.Bucket)
	if err != nil {
		return nil, fmt.Errorf("blob store %s: bucket %s: %w", c.Endpoint, c.Bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("blob store %s: no bucket %s (create it first)", c.Endpoint, c.Bucket)
	}
	return s, nil
}

func (s *Store) key(dg testigo.Digest) string {
	return s.prefix + string(dg[:2]) + "/" + string(dg[2:])
}

// Put uploads raw unless an object of the same digest and size is there.
func (s *Store) Put(ctx context.Context, raw []byte) (testigo.Digest, bool, error) {
	dg := testigo.DigestOf(raw)
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if info, err := s.client.StatObject(ctx, s.bucket, s.key(dg), minio.StatObjectOptions{}); err == nil && info.Size == int64(len(raw)) {
		return dg, false, nil
	} else if err != nil && !isNotFound(err) {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	sum := sha256.Sum256(raw)
	_, err := s.client.PutObject(ctx, s.bucket, s.key(dg), bytes.NewReader(raw), int64(len(raw)), minio.PutObjectOptions{
		ContentType:  "application/octet-stream",
		UserMetadata: map[string]string{"Sha256": hex.EncodeToString(sum[:])},
	})
	if err != nil {
		return "", false, fmt.Errorf("archive %s: %w", dg, err)
	}
	return dg, true, nil
}

// Open returns a reader of the blob. The whole object is read before Open
// returns, so that a missing object is reported here and not on the first
// Read (blobs are documents of at most a few tens of megabytes).
func (s *Store) Open(dg testigo.Digest) (io.ReadCloser, error) {
	if _, err := testigo.ParseDigest(string(dg)); err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	obj, err := s.client.GetObject(ctx, s.bucket, s.key(dg), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", dg, err)
	}
	defer obj.Close()
	body, err := io.ReadAll(obj)
	if isNotFound(err) {
		return nil, fmt.Errorf("open %s: %w", dg, archive.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", dg, err)
	}
	return io.NopCloser(bytes.NewReader(body)), nil
}

func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	er := minio.ToErrorResponse(err)
	return er.Code == "NoSuchKey" || er.StatusCode == 404
}
