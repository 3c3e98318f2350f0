package testigo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Digest is the lower-case hexadecimal SHA-256 of a document's raw bytes as
// captured. It names the document in the archive.
type Digest string

// DigestOf returns the Digest of b.
func DigestOf(b []byte) Digest {
	sum := sha256.Sum256(b)
	return Digest(hex.EncodeToString(sum[:]))
}

// ParseDigest checks that s is a SHA-256 digest in lower-case hexadecimal.
func ParseDigest(s string) (Digest, error) {
	if len(s) != 64 {
		return "", fmt.Errorf("%w: digest %q is not 64 hex characters", ErrInvalid, s)
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", fmt.Errorf("%w: digest %q is not lower-case hex", ErrInvalid, s)
		}
	}
	return Digest(s), nil
}

// DocumentID identifies a Document in the store.
type DocumentID int64

// Document is one archived capture: the raw bytes are kept in the archive under
// SHA256; the fields here describe the capture and hold the readable text the
// extractor read.
type Document struct {
	ID          DocumentID
	SHA256      Digest   // of the raw bytes as ingested
	SourceID    SourceID // zero when unknown
	ExternalID  string   // the "id" given with the input, if any
	URL         string   // where it was fetched from, or the URL given with it
	Name        string   // file name or URL it was ingested from
	FetchedAt   time.Time
	Published   time.Time // the document date; zero if unknown
	ContentType string
	Lang        string // "en", "es" or "" when unknown
	Title       string
	Text        string // readable text; evidence offsets point into it
	Size        int64  // length of the raw bytes
	// Capture is the digest of the capture record archived beside the raw
	// bytes when the document was fetched from the web (final URL, HTTP
	// status and headers, TLS peer certificates, tool version); empty for
	// documents given by hand.
	Capture Digest
}
