package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSourceCommands(t *testing.T) {
	ctx := t.Context()
	data := filepath.Join(t.TempDir(), "data")
	out, _, err := runCmd(t, ctx, "", "source", "add", "--data", data, "--lang", "es", "--every", "30m", "--tag", "mx,press", "--name", "Ejemplo", "https://example.org/feed.xml")
	if err != nil || !strings.Contains(out, "source 1: feed https://example.org/feed.xml") {
		t.Fatalf("source add = %q, %v", out, err)
	}
	_, _, err = runCmd(t, ctx, "", "source", "add", "--data", data, "https://example.org/feed.xml")
	if err == nil || !strings.Contains(err.Error(), "already") {
		t.Errorf("adding the same feed again = %v, want an 'already' error", err)
	}
	for _, bad := range [][]string{
		{"add", "ftp://example.org/x"},
		{"add", "--kind", "podcast", "https://example.org/x"},
		{"add", "--every", "5s", "https://example.org/x"},
		{"add", "--lang", "fr", "https://example.org/x"},
		{"frobnicate"},
		{"pause"},
		{"export", "--format", "yaml"},
	} {
		_, _, err := runCmd(t, ctx, "", append(append([]string{"source"}, bad[0]), append([]string{"--data", data}, bad[1:]...)...)...)
		if err == nil || exitCode(err) != 2 || strings.Contains(err.Error(), "\n") {
			t.Errorf("source %v = %v, want a one-line usage error", bad, err)
		}
	}

	list := filepath.Join(t.TempDir(), "list.csv")
	if err := os.WriteFile(list, []byte("url,kind,lang,every,tags,name\nhttps://example.org/prensa,page,es,1h,gov,Prensa\nnot-a-url,feed,,,,\nhttps://example.org/feed.xml,feed,,,,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCmd(t, ctx, "", "source", "import", "--data", data, list)
	if err != nil || !strings.Contains(out, "1 added, 1 already present") || !strings.Contains(errOut, "line 3") {
		t.Errorf("source import = %q, %q, %v", out, errOut, err)
	}
	out, _, err = runCmd(t, ctx, "", "source", "pause", "--data", data, "https://example.org/prensa")
	if err != nil || !strings.Contains(out, "source 2 paused") {
		t.Errorf("source pause = %q, %v", out, err)
	}
	out, _, err = runCmd(t, ctx, "", "source", "list", "--data", data, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []sourceRow
	for line := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		var r sourceRow
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("list line %q: %v", line, err)
		}
		rows = append(rows, r)
	}
	if len(rows) != 2 || rows[0].Lang != "es" || rows[0].Every != "30m0s" || strings.Join(rows[0].Tags, ",") != "mx,press" || !rows[1].Paused {
		t.Errorf("source list = %+v", rows)
	}
	opml, _, err := runCmd(t, ctx, "", "source", "export", "--data", data, "--format", "opml")
	if err != nil || !strings.Contains(opml, `xmlUrl="https://example.org/prensa"`) || !strings.Contains(opml, `testigoKind="page"`) {
		t.Errorf("source export --format opml = %q, %v", opml, err)
	}
	if _, _, err := runCmd(t, ctx, "", "source", "remove", "--data", data, "1"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, ctx, "", "status", "--data", data)
	if err != nil || !strings.Contains(out, "1 sources: 0 ok, 0 failing, 1 paused, 0 never fetched") {
		t.Errorf("status after removing source 1 = %q, %v", out, err)
	}
	_, _, err = runCmd(t, ctx, "", "source", "remove", "--data", data, "99")
	if err == nil || !strings.Contains(err.Error(), "no source 99") {
		t.Errorf("removing source 99 = %v", err)
	}
	// An exported list imports into a fresh data dir unchanged.
	csvOut, _, err := runCmd(t, ctx, "", "source", "export", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(t.TempDir(), "again.csv")
	if err := os.WriteFile(again, []byte(csvOut), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, ctx, "", "source", "import", "--data", filepath.Join(t.TempDir(), "d2"), again)
	if err != nil || !strings.Contains(out, "1 added") {
		t.Errorf("importing an export = %q, %v", out, err)
	}
}
