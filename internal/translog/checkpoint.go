package translog

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/testigo-project/testigo"
)

// Key file names in the data directory.
const (
	signerKeyFile   = "log.key" // private: 0600
	verifierKeyFile = "log.pub"
)

// LoadOrCreateKey returns the log's signer kept in dir, generating a new
// Ed25519 key pair on first use. The private key file is written with 0600
// permissions; a key file readable by others is refused.
func LoadOrCreateKey(dir string) (note.Signer, string, error) {
	skeyPath := filepath.Join(dir, signerKeyFile)
	b, err := os.ReadFile(skeyPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return createKey(dir)
	case err != nil:
		return nil, "", fmt.Errorf("read log key: %w", err)
	}
	fi, err := os.Stat(skeyPath)
	if err != nil {
		return nil, "", fmt.Errorf("read log key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, "", fmt.Errorf("log key %s is readable by others (mode %v); chmod 600 it", skeyPath, fi.Mode().Perm())
	}
	signer, err := note.NewSigner(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, "", fmt.Errorf("log key %s: %w", skeyPath, err)
	}
	vkey, err := os.ReadFile(filepath.Join(dir, verifierKeyFile))
	if err != nil {
		return nil, "", fmt.Errorf("read verifier key: %w", err)
	}
	return signer, strings.TrimSpace(string(vkey)), nil
}

func createKey(dir string) (note.Signer, string, error) {
	var id [4]byte
	if _, err := rand.Read(id[:]); err != nil {
		return nil, "", fmt.Errorf("generate log key: %w", err)
	}
	name := "testigo-" + hex.EncodeToString(id[:])
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return nil, "", fmt.Errorf("generate log key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", fmt.Errorf("write log key: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, verifierKeyFile), []byte(vkey+"\n"), 0o644); err != nil {
		return nil, "", fmt.Errorf("write verifier key: %w", err)
	}
	// The private key is written last, exclusively: if two processes race,
	// one fails instead of both writing different keys.
	f, err := os.OpenFile(filepath.Join(dir, signerKeyFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, "", fmt.Errorf("write log key: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return nil, "", fmt.Errorf("write log key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, "", fmt.Errorf("write log key: %w", err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		return nil, "", fmt.Errorf("generate log key: %w", err)
	}
	return signer, vkey, nil
}

// Tree is a log size and root hash, as a checkpoint states them.
type Tree struct {
	Origin string
	Size   int64
	Root   tlog.Hash
}

// body returns the checkpoint body in the C2SP tlog-checkpoint format.
func (t Tree) body() string {
	return fmt.Sprintf("%s\n%d\n%s\n", t.Origin, t.Size, base64.StdEncoding.EncodeToString(t.Root[:]))
}

// parseBody reads a checkpoint body. It returns a one-line error naming
// what is wrong.
func parseBody(text string) (Tree, error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 {
		return Tree{}, fmt.Errorf("%w: checkpoint body has %d lines, want origin, size and root hash", testigo.ErrInvalid, len(lines)-1)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 {
		return Tree{}, fmt.Errorf("%w: checkpoint size %q is not a number", testigo.ErrInvalid, lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != 32 {
		return Tree{}, fmt.Errorf("%w: checkpoint root hash %q is not 32 bytes of base64", testigo.ErrInvalid, lines[2])
	}
	t := Tree{Origin: lines[0], Size: size}
	copy(t.Root[:], root)
	return t, nil
}

// Checkpoint signs the log's current tree head and stores it. If a
// checkpoint of the same size exists it is returned instead.
func Checkpoint(ctx context.Context, st testigo.LogStore, signer note.Signer, now time.Time) (*testigo.Checkpoint, error) {
	size, err := st.LogSize(ctx)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	cps, err := st.FindCheckpoints(ctx)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if len(cps) > 0 && cps[len(cps)-1].Size == size {
		return cps[len(cps)-1], nil
	}
	root, err := TreeHash(ctx, st, size)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	msg, err := note.Sign(&note.Note{Text: Tree{Origin: signer.Name(), Size: size, Root: root}.body()}, signer)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: sign: %w", err)
	}
	c := &testigo.Checkpoint{Size: size, Root: root, Note: msg, CreatedAt: now}
	if err := st.AddCheckpoint(ctx, c); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	return c, nil
}

// OpenCheckpoint verifies a signed checkpoint against the given verifier
// keys and returns the tree it states. The origin must be the name of the
// log's key. Errors are one line: an unknown key, a bad signature, a
// malformed body.
func OpenCheckpoint(msg []byte, logKey string, witnessKeys ...string) (Tree, *note.Note, error) {
	logV, err := note.NewVerifier(logKey)
	if err != nil {
		return Tree{}, nil, fmt.Errorf("%w: log verifier key: %v", testigo.ErrInvalid, err)
	}
	vs := []note.Verifier{logV}
	for _, k := range witnessKeys {
		v, err := note.NewVerifier(k)
		if err != nil {
			return Tree{}, nil, fmt.Errorf("%w: witness key %q: %v", testigo.ErrInvalid, k, err)
		}
		vs = append(vs, v)
	}
	n, err := note.Open(msg, note.VerifierList(vs...))
	if err != nil {
		var unknown *note.UnknownVerifierError
		if errors.As(err, &unknown) {
			return Tree{}, nil, fmt.Errorf("%w: checkpoint is signed by unknown key %s", testigo.ErrInvalid, unknown.Name)
		}
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) {
			var names []string
			for _, s := range unverified.Note.UnverifiedSigs {
				names = append(names, s.Name)
			}
			return Tree{}, nil, fmt.Errorf("%w: checkpoint is signed by unknown key %s, not by %s",
				testigo.ErrInvalid, strings.Join(names, ", "), logV.Name())
		}
		return Tree{}, nil, fmt.Errorf("%w: checkpoint signature: %v", testigo.ErrInvalid, err)
	}
	var byLog bool
	for _, s := range n.Sigs {
		byLog = byLog || (s.Name == logV.Name() && s.Hash == logV.KeyHash())
	}
	if !byLog {
		return Tree{}, nil, fmt.Errorf("%w: checkpoint is not signed by the log key %s", testigo.ErrInvalid, logV.Name())
	}
	t, err := parseBody(n.Text)
	if err != nil {
		return Tree{}, nil, err
	}
	if t.Origin != logV.Name() {
		return Tree{}, nil, fmt.Errorf("%w: checkpoint origin %q is not the log %q", testigo.ErrInvalid, t.Origin, logV.Name())
	}
	return t, n, nil
}

// Cosign adds the witness's signature to a checkpoint it has checked.
func Cosign(msg []byte, logKey string, witness note.Signer) ([]byte, error) {
	_, n, err := OpenCheckpoint(msg, logKey)
	if err != nil {
		return nil, err
	}
	out, err := note.Sign(n, witness)
	if err != nil {
		return nil, fmt.Errorf("cosign checkpoint: %w", err)
	}
	return out, nil
}

// equalRoot reports whether a stored root matches a tree hash.
func equalRoot(a [32]byte, b tlog.Hash) bool { return bytes.Equal(a[:], b[:]) }
