// Package tsa gets and checks RFC 3161 time-stamp tokens for the
// transparency log's signed checkpoints. A token from an independent
// time-stamping authority proves that a checkpoint — and so every entry
// under its root — existed no later than the time in the token, which the
// log operator's own clock cannot prove.
//
// The protocol encoding (ASN.1 requests, CMS-signed responses) is done by
// github.com/digitorus/timestamp; this package adds the HTTP exchange, the
// nonce and imprint checks and one-line errors.
package tsa

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"github.com/digitorus/timestamp"
)

// maxResponse caps a TSA's answer; real tokens are a few kilobytes.
const maxResponse = 1 << 20

// Client asks one time-stamping authority for tokens.
type Client struct {
	URL  string
	HTTP *http.Client // http.DefaultClient with a 30 s timeout when nil
}

// Token is a checked time-stamp token.
type Token struct {
	DER  []byte    // the TimeStampToken (CMS SignedData), as stored
	Time time.Time // the time the authority vouches for
	// Signer is the subject of the authority's signing certificate, when
	// the token includes it.
	Signer string
}

// Stamp asks the authority to time-stamp message (its SHA-256 digest is
// sent, never the message) and checks that the token answers this request:
// same imprint, same nonce, a valid signature.
func (c *Client) Stamp(ctx context.Context, message []byte) (*Token, error) {
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, fmt.Errorf("time-stamp: nonce: %w", err)
	}
	req, err := timestamp.CreateRequest(bytes.NewReader(message), &timestamp.RequestOptions{
		Hash: crypto.SHA256, Certificates: true, Nonce: nonce,
	})
	if err != nil {
		return nil, fmt.Errorf("time-stamp: build request: %w", err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(req))
	if err != nil {
		return nil, fmt.Errorf("time-stamp: bad TSA URL %q: %w", c.URL, err)
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	client := c.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := client.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("time-stamp: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("time-stamp: %s answered HTTP %s", c.URL, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("time-stamp: read answer of %s: %w", c.URL, err)
	}
	if len(body) > maxResponse {
		return nil, fmt.Errorf("time-stamp: answer of %s is over %d bytes", c.URL, maxResponse)
	}
	ts, err := timestamp.ParseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("time-stamp: answer of %s: %w", c.URL, err)
	}
	if ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, fmt.Errorf("time-stamp: answer of %s does not carry the request's nonce (a replayed or foreign token)", c.URL)
	}
	tok, err := check(ts, message)
	if err != nil {
		return nil, fmt.Errorf("time-stamp: answer of %s: %w", c.URL, err)
	}
	return tok, nil
}

// ErrMismatch reports a token that is not over the message it is checked
// against.
var ErrMismatch = errors.New("token is over another message")

// Verify checks that der is a well-signed token over message. When roots is
// not nil the signing certificate must also chain to one of them; otherwise
// only the signature over the token is checked (the token carries its
// signer's certificate), and the caller decides whether to trust that
// authority.
func Verify(der, message []byte, roots *x509.CertPool) (*Token, error) {
	ts, err := timestamp.Parse(der)
	if err != nil {
		return nil, fmt.Errorf("time-stamp token: %w", err)
	}
	if len(ts.Certificates) == 0 {
		return nil, errors.New("time-stamp token: carries no signing certificate, so its signature cannot be checked")
	}
	if roots != nil {
		inter := x509.NewCertPool()
		for _, c := range ts.Certificates[1:] {
			inter.AddCert(c)
		}
		_, err := ts.Certificates[0].Verify(x509.VerifyOptions{
			Roots: roots, Intermediates: inter, CurrentTime: ts.Time,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping},
		})
		if err != nil {
			return nil, fmt.Errorf("time-stamp token: signer not trusted: %w", err)
		}
	}
	tok, err := check(ts, message)
	if err != nil {
		return nil, fmt.Errorf("time-stamp token: %w", err)
	}
	tok.DER = der
	return tok, nil
}

// check compares a parsed token's imprint with message.
func check(ts *timestamp.Timestamp, message []byte) (*Token, error) {
	if ts.HashAlgorithm != crypto.SHA256 {
		return nil, fmt.Errorf("imprint uses %v, want SHA-256", ts.HashAlgorithm)
	}
	sum := sha256.Sum256(message)
	if !bytes.Equal(ts.HashedMessage, sum[:]) {
		return nil, ErrMismatch
	}
	tok := &Token{DER: ts.RawToken, Time: ts.Time.UTC()}
	if len(ts.Certificates) > 0 {
		tok.Signer = ts.Certificates[0].Subject.String()
	}
	return tok, nil
}
