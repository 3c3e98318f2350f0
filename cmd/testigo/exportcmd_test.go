package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/translog"
)

// TestExport exports the demo data as ACLED CSV to a file, checks the
// message, the file's digest against its publication log entry and each
// row's log_index, then verifies the data dir.
func TestExport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, _, err := runCmd(t, ctx, "", "demo", "--data", dir, "--no-serve"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, ctx, "", "incident", "publish", "--data", dir, "--as", "ana", "1"); err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	path := filepath.Join(outDir, "incidents.csv")
	stdout, stderr, err := runCmd(t, ctx, "", "export", "--data", dir, "--format", "acled-csv", "-o", path)
	if err != nil {
		t.Fatalf("export: %v\n%s", err, stderr)
	}
	if stdout != "" {
		t.Errorf("export -o printed on stdout: %q", stdout)
	}
	m := regexp.MustCompile(`^(\d+) incidents written to (.+) \(sha256 ([0-9a-f]{64}), log entry (\d+)\)\n$`).FindStringSubmatch(stderr)
	if m == nil || m[2] != path {
		t.Fatalf("message %q", stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != m[3] {
		t.Errorf("file digest %x, message says %s", sum, m[3])
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strconv.Itoa(len(recs)-1) != m[1] || len(recs) < 2 {
		t.Errorf("%d rows, message says %s", len(recs)-1, m[1])
	}
	if ents, _ := os.ReadDir(outDir); len(ents) != 1 {
		t.Errorf("output dir holds %d files, want only the export", len(ents))
	}

	st, err := sqlite.Open(ctx, filepath.Join(dir, "testigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	pubs, err := st.FindLogEntriesBySubject(ctx, "export:acled-csv")
	if err != nil || len(pubs) != 1 {
		t.Fatalf("publication entries: %v %v", pubs, err)
	}
	pub := pubs[0]
	var content struct {
		SHA256 string `json:"sha256"`
		Format string `json:"format"`
		Rows   int    `json:"rows"`
	}
	if err := json.Unmarshal(pub.Content, &content); err != nil {
		t.Fatal(err)
	}
	if pub.Kind != testigo.LogPublication || strconv.FormatInt(pub.Index, 10) != m[4] ||
		content.SHA256 != m[3] || content.Format != "acled-csv" || strconv.Itoa(content.Rows) != m[1] {
		t.Errorf("publication entry %d %s %s, message %q", pub.Index, pub.Kind, pub.Content, stderr)
	}
	header := recs[0]
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s", name)
		return -1
	}
	for _, rec := range recs[1:] {
		id, err := strconv.ParseInt(strings.TrimPrefix(rec[col("evidence_url")], "/incidents/"), 10, 64)
		if err != nil {
			t.Fatalf("evidence_url %q", rec[col("evidence_url")])
		}
		es, err := st.FindLogEntriesBySubject(ctx, translog.IncidentSubject(testigo.IncidentID(id)))
		if err != nil || len(es) == 0 {
			t.Fatalf("log entries of incident %d: %v", id, err)
		}
		if want := strconv.FormatInt(es[len(es)-1].Index, 10); rec[col("log_index")] != want {
			t.Errorf("incident %d: log_index %s, want %s", id, rec[col("log_index")], want)
		}
		if rec[col("review_status")] == "rejected" {
			t.Errorf("incident %d is rejected but exported by default", id)
		}
	}
	st.Close()

	// The checkpoint covers the publication entry, and verify still passes.
	out, _, err := runCmd(t, ctx, "", "verify", "--data", dir)
	if err != nil || !strings.Contains(out, "OK:") {
		t.Fatalf("verify after export: %v\n%s", err, out)
	}

	// Atom to standard output: published incidents only, no message.
	stdout, stderr, err = runCmd(t, ctx, "", "export", "--data", dir, "--format", "atom", "--base-url", "https://t.example")
	if err != nil || stderr != "" {
		t.Fatalf("atom: %v %q", err, stderr)
	}
	var feed struct {
		Entries []struct {
			ID string `xml:"id"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(stdout), &feed); err != nil {
		t.Fatalf("atom output: %v", err)
	}
	if len(feed.Entries) != 1 || feed.Entries[0].ID != "tag:t.example,2026:incident:1" {
		t.Errorf("atom entries %+v, want the one published incident", feed.Entries)
	}
}

func TestExportBadInput(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "xlsx"}, "jsonl, csv, acled-csv, ucdp-csv, geojson, atom"},
		{[]string{"--type", "bombing"}, "air_drone_strike"},
		{[]string{"--grade", "good"}, "confirmed, fair, weak, contested, discounted"},
		{[]string{"--status", "done"}, "new, in_review, published, rejected"},
		{[]string{"--since", "2026-13-01"}, "--since"},
		{[]string{"--country", "Yemen"}, "--country"},
		{[]string{"--format", "atom", "--status", "new"}, "published incidents only"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		data := filepath.Join(t.TempDir(), "data")
		_, _, err := runCmd(t, ctx, "", append([]string{"export", "--data", data}, tc.args...)...)
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err = %v, want a one-line usage error naming %q", tc.args, err, tc.want)
		}
		if _, serr := os.Stat(data); serr == nil {
			t.Errorf("%v: the data dir was created before refusing", tc.args)
		}
	}
}

func TestExportUnwritablePath(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	for _, path := range []string{filepath.Join(t.TempDir(), "missing", "x.csv"), t.TempDir()} {
		_, _, err := runCmd(t, ctx, "", "export", "--data", data, "--format", "csv", "-o", path)
		if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "cannot write "+path) {
			t.Errorf("export to %s: err = %v", path, err)
		}
		if _, serr := os.Stat(data); serr == nil {
			t.Errorf("export to %s: the data dir was opened before the path was checked", path)
		}
	}
}

func TestExportInterruptedLeavesNoPartialFile(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, context.Background(), "", "demo", "--data", dir, "--no-serve"); err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	path := filepath.Join(outDir, "incidents.geojson")
	if err := os.WriteFile(path, []byte("previous release\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // interrupted before the first page
	if _, _, err := runCmd(t, ctx, "", "export", "--data", dir, "--format", "geojson", "-o", path); err == nil {
		t.Fatal("export with a cancelled context succeeded")
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "previous release\n" {
		t.Errorf("target after an interrupted export: %q %v", b, err)
	}
	if ents, _ := os.ReadDir(outDir); len(ents) != 1 {
		t.Errorf("output dir holds %d files after an interrupted export, want only the previous one", len(ents))
	}

	// A failure in the middle of the listing: the last incident is changed
	// behind the log's back, so the export stops there.
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "testigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	incs, err := st.FindIncidents(context.Background(), testigo.IncidentFilter{})
	if err != nil || len(incs) < 2 {
		t.Fatalf("incidents: %d %v", len(incs), err)
	}
	last := incs[len(incs)-1]
	last.Title += " (edited)"
	if err := st.UpdateIncident(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, _, err = runCmd(t, context.Background(), "", "export", "--data", dir, "--format", "geojson", "-o", path)
	if err == nil || !strings.Contains(err.Error(), "incident "+strconv.FormatInt(int64(last.ID), 10)) {
		t.Fatalf("export over a changed incident: err = %v", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "previous release\n" {
		t.Errorf("target after a failed export: %q %v", b, err)
	}
	if ents, _ := os.ReadDir(outDir); len(ents) != 1 {
		t.Errorf("output dir holds %d files after a failed export, want only the previous one", len(ents))
	}
}
