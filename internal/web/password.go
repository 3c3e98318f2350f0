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
	return hashPassword(password, argonMemory, argonTime)
}

// hashPassword hashes with the given memory (KiB) and passes.
func hashPassword(password string, memory, passes uint32) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, passes, memory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, memory, passes, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errBadHash reports a stored hash this code cannot read.
var errBadHash = errors.New("stored password hash is not an argon2id PHC string")

// phc is a parsed argon2id PHC string.
type phc struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// parsePHC reads an argon2id PHC string, refusing parameters this code
// would not have written (more than 1 GiB of memory, more than 100 passes).
func parsePHC(hash string) (phc, error) {
	var p phc
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil ||
		p.memory < 8 || p.memory > 1<<20 || p.time == 0 || p.time > 100 || p.threads == 0 {
		return p, errBadHash
	}
	b64 := base64.RawStdEncoding
	var err error
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return p, errBadHash
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 64 {
		return p, errBadHash
	}
	return p, nil
}

// CheckPassword reports whether password matches the PHC string hash. It
// returns an error only for a hash it cannot read.
func CheckPassword(hash, password string) (bool, error) {
	p, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	if len(password) > maxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(got, p.key) == 1, nil
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
