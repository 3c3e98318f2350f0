package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/testigo-project/testigo"
)

// The argon2id parameters of new password hashes (RFC 9106's second
// recommended option, with less memory): 64 MiB, 3 passes, 2 lanes.
const (
	argonMemory  = 64 * 1024
	argonTime    = 3
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLen is the shortest password accepted, in bytes.
const MinPasswordLen = 12

// maxPasswordLen bounds the input hashed, so that a huge form field cannot
// cost much.
const maxPasswordLen = 1024

// HashPassword hashes a password with argon2id and a random salt, in PHC
// string format: $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash>, salt and
// hash in unpadded standard base64.
func HashPassword(password string) (string, error) {
	if len(password) < MinPasswordLen {
		return "", fmt.Errorf("%w: password is %d bytes long, at least %d needed", testigo.ErrInvalid, len(password), MinPasswordLen)
	}
	if len(password) > maxPasswordLen {
		return "", fmt.Errorf("%w: password is longer than %d bytes", testigo.ErrInvalid, maxPasswordLen)
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errBadHash reports a stored hash this code cannot read.
var errBadHash = errors.New("stored password hash is not an argon2id PHC string")

// CheckPassword reports whether password matches the PHC string hash. It
// returns an error only for a hash it cannot read.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<22 || t == 0 || t > 100 || p == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, errBadHash
	}
	if len(password) > maxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// tokenPrefix starts every API token, so that a leaked one is easy to
// recognise in logs and scanners.
const tokenPrefix = "tgo_"

// NewAPIToken returns a fresh random API token and the hash to store.
func NewAPIToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("API token: %w", err)
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashAPIToken(token), nil
}

// HashAPIToken returns the stored form of an API token: its SHA-256 in
// hex. Tokens are random and long, so a fast hash is enough.
func HashAPIToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
