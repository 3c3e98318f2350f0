package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/testigo-project/testigo/internal/demo"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/web"
)

// runCmd runs the program in-process with the given arguments and an empty
// environment, and returns what it printed.
func runCmd(t *testing.T, ctx context.Context, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(ctx, args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

type incidentJSON struct {
	ID          int64  `json:"id"`
	Type        string `json:"type"`
	Country     string `json:"country"`
	ReportCount int    `json:"report_count"`
	Reports     []struct {
		Type   string `json:"type"`
		Actors []struct {
			Name string `json:"name"`
		} `json:"actors"`
		Attribution []struct {
			Text      string `json:"text"`
			Count     int    `json:"count"`
			Anonymous bool   `json:"anonymous"`
		} `json:"attribution"`
		Evidence map[string]struct {
			Start, End int
			Quote      string
			Basis      string
		} `json:"evidence"`
		Document struct {
			ID     int64  `json:"id"`
			SHA256 string `json:"sha256"`
		} `json:"document"`
	} `json:"reports"`
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s: %s", url, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
}

// TestDemoFindsSeedIncident runs the demo command in-process against a temp
// dir, serves the result over httptest and finds the seed report's incident
// through the API, down to its attribution and document digest.
func TestDemoFindsSeedIncident(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	out, _, err := runCmd(t, ctx, "", "demo", "--data", dir, "--no-serve")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	files, err := demo.Files()
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%d new, 0 duplicate, 0 failed", len(files)); !strings.Contains(out, want) {
		t.Errorf("first demo run printed %q, want %q", out, want)
	}

	st, err := sqlite.Open(ctx, filepath.Join(dir, "testigo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := web.NewHandler(web.Deps{Store: st, Logger: discardLogger(), Now: time.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	var list struct {
		Incidents []incidentJSON `json:"incidents"`
	}
	getJSON(t, srv.URL+"/api/v1/incidents?country=MX&type=operation_planning", &list)
	if len(list.Incidents) == 0 {
		t.Fatal("no operation_planning incident in MX after the demo")
	}
	seedSum := sha256.Sum256(files[0].Data)
	seedDigest := hex.EncodeToString(seedSum[:])
	var found bool
	for _, li := range list.Incidents {
		var inc incidentJSON
		getJSON(t, fmt.Sprintf("%s/api/v1/incidents/%d", srv.URL, li.ID), &inc)
		for _, r := range inc.Reports {
			if r.Document.SHA256 != seedDigest {
				continue
			}
			found = true
			if r.Type != "operation_planning" {
				t.Errorf("seed report type = %s, want operation_planning", r.Type)
			}
			var anon bool
			for _, a := range r.Attribution {
				if a.Count == 4 && a.Anonymous && strings.Contains(a.Text, "two current and two former US officials") {
					anon = true
				}
			}
			if !anon {
				t.Errorf("seed attribution = %+v, want the four anonymous US officials", r.Attribution)
			}
			for field, ev := range r.Evidence {
				if ev.Basis == "" && (ev.Quote == "" || ev.End <= ev.Start) {
					t.Errorf("seed evidence for %s is empty: %+v", field, ev)
				}
			}
		}
	}
	if !found {
		t.Fatalf("no incident has a report from the seed document %s", seedDigest)
	}

	// A second run reuses the data: nothing new, nothing duplicated.
	out, _, err = runCmd(t, ctx, "", "demo", "--data", dir, "--no-serve")
	if err != nil {
		t.Fatalf("second demo: %v", err)
	}
	if want := fmt.Sprintf("0 new, %d duplicate, 0 failed", len(files)); !strings.Contains(out, want) {
		t.Errorf("second demo run printed %q, want %q", out, want)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDemoServesAndShutsDown runs the full demo command, with its server on a
// free port, queries it and stops it by cancelling the context.
func TestDemoServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0"},
			func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	}()
	urlRE := regexp.MustCompile(`serving on (http://[^ ]+/)`)
	var base string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := urlRE.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("demo stopped early: %v\n%s%s", err, out.String(), errOut.String())
		default:
		}
	}
	if base == "" {
		t.Fatalf("demo never printed its URL: %s", out.String())
	}
	var health map[string]any
	getJSON(t, base+"healthz", &health)
	resp, err := http.Get(base)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(page, []byte("<html")) {
		t.Errorf("GET / = %s, want an HTML page", resp.Status)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo returned %v after cancel", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("demo did not stop within 15 s of cancel")
	}
	if !strings.Contains(out.String(), "testigo stopped") {
		t.Errorf("demo did not report a clean stop: %s", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", nil, "no subcommand"},
		{"unknown subcommand", []string{"frobnicate"}, `unknown subcommand "frobnicate"`},
		{"unknown flag", []string{"serve", "--port", "1"}, "flag provided but not defined: -port"},
		{"ingest without inputs", []string{"ingest", "--data", "x"}, "no PATH or URL given"},
		{"ingest bad size", []string{"ingest", "--max-size", "0", "a.txt"}, "--max-size 0"},
		{"extract bad language", []string{"extract", "--lang", "fr"}, `--lang "fr" is not en or es`},
		{"extract bad date", []string{"extract", "--published", "03/11/2025"}, `--published "03/11/2025"`},
		{"version with argument", []string{"version", "now"}, `unexpected argument "now"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCmd(t, context.Background(), "", tc.args...)
			if err == nil {
				t.Fatal("no error")
			}
			if exitCode(err) != 2 {
				t.Errorf("exit code %d, want 2 for %v", exitCode(err), err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q, want one line containing %q", msg, tc.want)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	out, _, err := runCmd(t, context.Background(), "", "ingest", "-h")
	if err != nil || !strings.Contains(out, "Usage: testigo ingest") || !strings.Contains(out, "-data") {
		t.Errorf("ingest -h = %q, %v; want usage with flags and no error", out, err)
	}
	out, _, err = runCmd(t, context.Background(), "", "version")
	if err != nil || !strings.HasPrefix(out, "testigo ") {
		t.Errorf("version = %q, %v", out, err)
	}
}

// TestIngestBadInputs feeds a batch in which every kind of bad file sits
// between good ones: each bad file gets its own one-line error, the good ones
// are stored, and a re-run stores nothing twice.
func TestIngestBadInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good1 := write("good1.txt", []byte("Gunmen killed three people in Culiacán, Sinaloa, on 3 March 2025, police said."))
	bad := map[string]string{
		write("binary.txt", []byte("\x00\x01\x02\x03 PNG \x00\x00")): "binary.txt",
		write("empty.txt", nil):                                 "empty.txt",
		write("invalid.txt", []byte("caf\xe9 \xff\xfe")):        "invalid.txt",
		write("garbage.txt", bytes.Repeat([]byte("A"), 21<<20)): "garbage.txt",
		write("broken.json", []byte(`{"text": "unterminated`)):  "broken.json",
		write("sheet.xlsx", []byte("PK\x03\x04")):               "sheet.xlsx",
	}
	good2 := write("good2.jsonl", []byte(`{"id":"x1","text":"Dos muertos dejó un ataque armado en Reynosa, Tamaulipas, el 4 de marzo de 2025.","lang":"es","published":"2025-03-05"}`+"\n"+"not json\n"))
	args := []string{"ingest", "--data", filepath.Join(dir, "data"), good1}
	for p := range bad {
		args = append(args, p)
	}
	args = append(args, good2, filepath.Join(in, "missing.txt"))

	out, _, err := runCmd(t, context.Background(), "", args...)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("ingest with bad inputs: err = %v, want a runtime error", err)
	}
	if !strings.Contains(out, "2 new, 0 duplicate, 8 failed") {
		t.Errorf("summary missing or wrong:\n%s", out)
	}
	for _, name := range append(mapValues(bad), "missing.txt", "good2.jsonl") {
		if !strings.Contains(out, name) {
			t.Errorf("no error line names %s:\n%s", name, out)
		}
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if strings.Contains(sc.Text(), "good1.txt") {
			t.Errorf("good file reported as failed: %s", sc.Text())
		}
	}

	out, _, _ = runCmd(t, context.Background(), "", "ingest", "--data", filepath.Join(dir, "data"), good1, good2)
	if !strings.Contains(out, "0 new, 2 duplicate, 1 failed") {
		t.Errorf("re-ingest summary wrong:\n%s", out)
	}
}

func mapValues(m map[string]string) []string {
	var vs []string
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

func TestExtractJSONL(t *testing.T) {
	in := `{"id":"a","text":"A US drone strike killed four people in North Waziristan on 3 May 2012.","lang":"en"}` + "\n" +
		"this is not json\n" +
		`{"id":"b","text":"Hombres armados asesinaron a tres personas en Culiacán, Sinaloa.","lang":"es","published":"2025-11-22"}` + "\n"
	out, _, err := runCmd(t, context.Background(), in, "extract", "--jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), out)
	}
	var bad struct {
		ID    *string `json:"id"`
		Error string  `json:"error"`
	}
	if err := json.Unmarshal([]byte(lines[1]), &bad); err != nil || bad.ID != nil || bad.Error == "" {
		t.Errorf("bad line gave %s, want {\"id\": null, \"error\": …}", lines[1])
	}
	for i, id := range map[int]string{0: "a", 2: "b"} {
		var got struct {
			ID     string           `json:"id"`
			Events []map[string]any `json:"events"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil || got.ID != id || len(got.Events) == 0 {
			t.Errorf("line %d = %s, want events for %s", i, lines[i], id)
		}
	}
}
