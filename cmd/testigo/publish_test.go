package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/testigo-project/testigo/internal/site"
	"github.com/testigo-project/testigo/internal/sqlite"
)

var publishMessage = regexp.MustCompile(`^site in (.+): (\d+) incidents; (\d+) written, (\d+) unchanged, (\d+) removed(?: \(no incident changed since the last build: nothing rendered\))?; (new|unchanged) release, log entry (\d+), checkpoint of size (\d+)\n$`)

// TestPublish builds the site of the demo data with two incidents
// published, rebuilds it unchanged, publishes a third, checks the copy
// offline and then catches a tampered file.
func TestPublish(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if _, _, err := runCmd(t, ctx, "", "demo", "--data", data, "--no-serve"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1", "2"} {
		if _, stderr, err := runCmd(t, ctx, "", "incident", "publish", "--data", data, "--as", "ana", id); err != nil {
			t.Fatalf("publish incident %s: %v\n%s", id, err, stderr)
		}
	}
	out := filepath.Join(t.TempDir(), "site")
	publish := func(flags ...string) []string {
		t.Helper()
		args := append([]string{"publish", "--data", data, "--out", out, "--base-url", "https://testigo.example.org"}, flags...)
		stdout, stderr, err := runCmd(t, ctx, "", args...)
		if err != nil {
			t.Fatalf("publish: %v\n%s", err, stderr)
		}
		if stderr != "" {
			t.Errorf("publish warned: %s", stderr)
		}
		m := publishMessage.FindStringSubmatch(stdout)
		if m == nil || m[1] != out {
			t.Fatalf("message %q", stdout)
		}
		return m
	}
	m := publish()
	if m[2] != "2" || m[4] != "0" || m[6] != "new" {
		t.Errorf("first build: %q", m[0])
	}
	entry1 := m[7]
	for _, p := range []string{"index.html", "incidents/1/index.html", "incidents/2/index.html", "exports/incidents-acled.csv",
		site.CheckpointFile, site.KeyFile, site.PublicationFile} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("site lacks %s: %v", p, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `<path class="land"`) {
		t.Error("the index map has no basemap outlines")
	}

	// Nothing changed: nothing rendered or written, no new log entry;
	// with --full everything is rendered and compared, still nothing
	// written.
	m = publish()
	if m[3] != "0" || m[6] != "unchanged" || m[7] != entry1 || !strings.Contains(m[0], "nothing rendered") {
		t.Errorf("rebuild without changes: %q", m[0])
	}
	m = publish("--full")
	if m[3] != "0" || m[6] != "unchanged" || m[7] != entry1 || strings.Contains(m[0], "nothing rendered") {
		t.Errorf("full rebuild without changes: %q", m[0])
	}

	// One more incident: a new release entry, which the proof names.
	if _, stderr, err := runCmd(t, ctx, "", "incident", "publish", "--data", data, "--as", "ana", "3"); err != nil {
		t.Fatalf("publish incident 3: %v\n%s", err, stderr)
	}
	m = publish()
	if m[2] != "3" || m[3] == "0" || m[6] != "new" || m[7] == entry1 {
		t.Errorf("build after publishing incident 3: %q", m[0])
	}
	var proof struct {
		Entry struct {
			Index   int64  `json:"index"`
			Content string `json:"content"`
		} `json:"entry"`
	}
	b, err = os.ReadFile(filepath.Join(out, site.PublicationFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &proof); err != nil {
		t.Fatal(err)
	}
	if strconv.FormatInt(proof.Entry.Index, 10) != m[7] || !strings.Contains(proof.Entry.Content, `"incidents":3`) {
		t.Errorf("publication proof of entry %d (%s), message says entry %s", proof.Entry.Index, proof.Entry.Content, m[7])
	}

	// The copy checks out offline, with the data dir's own key.
	key, _, err := runCmd(t, ctx, "", "key", "show", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	stdout, _, err := runCmd(t, ctx, "", "publish", "--check", "--out", out, "--key", strings.TrimSpace(key))
	if err != nil || !strings.Contains(stdout, "checks out") {
		t.Fatalf("check: %v %q", err, stdout)
	}

	// The log holds both releases and verifies.
	st, err := sqlite.Open(ctx, filepath.Join(data, "testigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	pubs, err := st.FindLogEntriesBySubject(ctx, site.PublicationSubject)
	st.Close()
	if err != nil || len(pubs) != 2 {
		t.Errorf("site publication entries: %d, %v; want 2", len(pubs), err)
	}
	if _, stderr, err := runCmd(t, ctx, "", "verify", "--data", data); err != nil {
		t.Errorf("verify after publishing: %v\n%s", err, stderr)
	}

	// A checkpoint.txt other than the one the proof leads to is caught.
	cpPath := filepath.Join(out, site.CheckpointFile)
	cp, err := os.ReadFile(cpPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cpPath, append(cp, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, ctx, "", "publish", "--check", "--out", out); err == nil || !strings.Contains(err.Error(), site.CheckpointFile) {
		t.Errorf("check with an altered checkpoint.txt: %v, want an error naming it", err)
	}
	if err := os.WriteFile(cpPath, cp, 0o644); err != nil {
		t.Fatal(err)
	}

	// A changed page is caught, and so is another log's key.
	page := filepath.Join(out, "incidents", "2", "index.html")
	if err := os.WriteFile(page, []byte("<p>edited</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, ctx, "", "publish", "--check", "--out", out); err == nil || !strings.Contains(err.Error(), "incidents/2/index.html") {
		t.Errorf("check of an edited page: %v, want an error naming it", err)
	}
	otherKey, _, err := runCmd(t, ctx, "", "key", "show", "--data", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	m = publish("--full") // repairs the page
	if m[3] != "1" || m[6] != "unchanged" {
		t.Errorf("rebuild over an edited page: %q, want 1 written and the same release", m[0])
	}
	if _, _, err := runCmd(t, ctx, "", "publish", "--check", "--out", out, "--key", strings.TrimSpace(otherKey)); err == nil {
		t.Error("check under another log's key passed")
	}
}

func TestPublishBadInput(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no out", []string{"publish", "--data", data}, true, "--out DIR is required"},
		{"argument", []string{"publish", "--data", data, "--out", "x", "extra"}, true, `unexpected argument "extra"`},
		{"key without check", []string{"publish", "--data", data, "--out", t.TempDir(), "--key", "k"}, true, "--key is for --check"},
		{"out is a file", []string{"publish", "--data", data, "--out", file}, false, "cannot write site to " + file},
		{"out under a file", []string{"publish", "--data", data, "--out", filepath.Join(file, "site")}, false, "cannot write site to"},
		{"check of nothing", []string{"publish", "--check", "--out", t.TempDir()}, false, "SHA256SUMS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCmd(t, ctx, "", tc.args...)
			var ue *usageError
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &ue) != tc.usage {
				t.Errorf("err = %v, want one containing %q (usage error: %v)", err, tc.want, tc.usage)
			}
		})
	}
	// A site another publish is building is refused at once.
	busy := t.TempDir()
	unlock, err := site.Lock(busy)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = runCmd(t, ctx, "", "publish", "--data", data, "--out", busy)
	if err == nil || !strings.Contains(err.Error(), "another testigo publish is building") {
		t.Errorf("publish into a locked site: %v", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}

	// The bad --out failed before the data dir was opened.
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("data dir created despite the bad arguments: %v", err)
	}
}
