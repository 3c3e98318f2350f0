package geo

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/testigo-project/testigo/internal/evaldata"
)

type evalRow struct {
	ID      string `json:"id"`
	Dataset string `json:"dataset"`
	Text    string `json:"text"`
	Gold    struct {
		Country  *string `json:"country"`
		Admin1   *string `json:"admin1"`
		Admin2   *string `json:"admin2"`
		Location *string `json:"location"`
	} `json:"gold"`
}

// normName approximates the scorer's name comparison: no accents, case,
// punctuation, "de"/"del" or generic area words.
func normName(s string) string {
	s = norm.NFD.String(strings.ToLower(s))
	switch strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }), "") {
	case "distritofederal", "mexicocity", "cdmx", "ciudaddemexico":
		return "ciudadmexico"
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	generic := map[string]bool{"de": true, "del": true, "state": true, "province": true, "municipality": true, "municipio": true,
		"district": true, "governorate": true, "department": true, "region": true, "county": true, "estado": true,
		"agency": true, "city": true, "ciudad": true, "al": true, "ad": true, "as": true, "ash": true, "an": true, "ar": true, "az": true, "at": true}
	var out []string
	for _, w := range strings.Fields(b.String()) {
		if !generic[w] {
			out = append(out, w)
		}
	}
	j := strings.Join(out, "")
	switch j {
	case "distritofederal", "mexicocity", "cdmx":
		j = "ciudadmexico"
	case "kp", "kpk", "nwfp":
		j = "khyberpakhtunkhwa"
	case "hadhramaut":
		j = "hadramawt"
	}
	return j
}

// TestEvalDev reports country and admin1 accuracy on the shared dev data,
// taking Primary of each row's matches.
// It measures; it fails only if the data cannot be read. Run with -v.
func TestEvalDev(t *testing.T) {
	ev, err := evaldata.Dir()
	if err != nil {
		t.Skip(err)
	}
	dir := filepath.Join(ev, "dev")
	g := mustLoad(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	verbose := os.Getenv("GEO_EVAL_VERBOSE") != ""
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		var n, nc, cOK, cPred, na1, a1OK, a1Pred, na2, a2OK int
		misses := map[string]int{}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var r evalRow
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			n++
			m, ok := Primary(r.Text, g.Find(r.Text))
			if r.Gold.Country != nil {
				nc++
				if ok {
					cPred++
					if m.Country == *r.Gold.Country {
						cOK++
					}
				}
			}
			if r.Gold.Admin1 != nil {
				na1++
				if ok && m.Admin1 != "" || ok && m.Kind == KindAdmin1 {
					a1Pred++
					got := m.Admin1
					if m.Kind == KindAdmin1 {
						got = m.Name
					}
					if normName(got) == normName(*r.Gold.Admin1) {
						a1OK++
					} else if verbose {
						t.Logf("%s admin1 want %q got %q (%s %q) in %.160q", r.ID, *r.Gold.Admin1, got, m.Kind, r.Text[m.Start:m.End], r.Text)
					}
				} else if verbose {
					misses[*r.Gold.Admin1]++
					if os.Getenv("GEO_EVAL_MISSES") != "" {
						t.Logf("%s none, want %q/%v in %.160q", r.ID, *r.Gold.Admin1, deref(r.Gold.Location), r.Text)
					}
				}
			}
			if r.Gold.Admin2 != nil {
				na2++
				if ok && normName(m.Admin2) == normName(*r.Gold.Admin2) || ok && m.Kind == KindAdmin2 && normName(m.Name) == normName(*r.Gold.Admin2) {
					a2OK++
				}
			}
		}
		fh.Close()
		ds := strings.TrimSuffix(filepath.Base(f), ".jsonl")
		pct := func(a, b int) float64 {
			if b == 0 {
				return 0
			}
			return 100 * float64(a) / float64(b)
		}
		t.Logf("%-12s rows %4d  country p %5.1f%% r %5.1f%% (n %d)  admin1 p %5.1f%% r %5.1f%% (n %d)  admin2 r %5.1f%% (n %d)",
			ds, n, pct(cOK, cPred), pct(cOK, nc), nc, pct(a1OK, a1Pred), pct(a1OK, na1), na1, pct(a2OK, na2), na2)
		if verbose && len(misses) > 0 {
			var ks []string
			for k := range misses {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			t.Logf("  admin1 with no prediction: %v", ks)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
