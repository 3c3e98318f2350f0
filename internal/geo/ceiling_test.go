package geo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/testigo-project/testigo/internal/evaldata"
)

// ceilCount holds, for one field of one dataset, how many rows have a gold
// value, how many carry some dictionary evidence for it, and how many the
// real Find+Primary gets right.
type ceilCount struct {
	n, evid, cur int
	// named: rows that name the gold country itself (its name, a demonym
	// or an alias), found by a scan that ignores how candidates splits the
	// text; namedOnly: of those, rows where the candidates show no reading
	// in the country at all (should be 0: (a) covers (b)).
	named, namedOnly int
	// stopOnly: rows whose only evidence is a name that is also a common
	// word or a person's name.
	stopOnly int
	// missed: rows Find+Primary gets right without any evidence (must be 0).
	missed int
	// country: the field is the country, for which named and namedOnly
	// are counted.
	country bool
}

func (c *ceilCount) add(o ceilCount) {
	c.n += o.n
	c.evid += o.evid
	c.cur += o.cur
	c.named += o.named
	c.namedOnly += o.namedOnly
	c.stopOnly += o.stopOnly
	c.missed += o.missed
}

func (c ceilCount) String() string {
	r := func(a int) float64 {
		if c.n == 0 {
			return 0
		}
		return float64(a) / float64(c.n)
	}
	rc := r(c.evid)
	f1 := 0.0
	if rc > 0 {
		f1 = 2 * rc / (1 + rc)
	}
	line := fmt.Sprintf("n %4d  evidence %4d  ceiling r %.3f F1 %.3f  current r %.3f  (common-word-only %d",
		c.n, c.evid, rc, f1, r(c.cur), c.stopOnly)
	if c.country {
		line += fmt.Sprintf(", country named %d, named but no candidate %d", c.named, c.namedOnly)
	}
	return line + ")"
}

// TestEvalCeiling measures how far an extractor that only reports places
// it can quote evidence for could go on the shared dev data: for each row
// with a gold country (admin1), whether any name the gazetteer recognises,
// before disambiguation, has a reading in that country (admin1). A reader
// with perfect precision would reach that recall and F1 = 2r/(1+r).
//
// It is an upper bound: every candidate reading counts, including readings
// of names that are also common words or persons' names ("Guadalupe",
// "Salim"), names used for an actor ("Pakistani forces"), neighbourhoods
// named after a town ("colonia Morelos") and readings Find would drop as
// too small or unsupported. Admin1 is compared by name only, as the scorer
// does. The test measures; it fails when the data cannot be read, or when
// Find+Primary is right on a row that, by this count, has no evidence —
// the ceiling can never be below what Find already achieves. Run with -v.
func TestEvalCeiling(t *testing.T) {
	ev, err := evaldata.Dir()
	if err != nil {
		t.Skip(err)
	}
	g := mustLoad(t)

	// The keys that name each country entity: its names, demonyms and
	// aliases, as the gazetteer indexes them.
	countryKeys := map[string]bool{}
	for key, v := range g.index {
		if v < 0 {
			continue
		}
		for _, p := range g.postings[v] {
			if p.ent >= 0 && g.ents[p.ent].kind == KindCountry {
				countryKeys[key] = true
			}
		}
	}

	totC, totA1 := ceilCount{country: true}, ceilCount{}
	for _, ds := range []string{"acled", "dronestream", "ucdp_mx", "case2021"} {
		c, a1, err := ceilingFile(t, g, countryKeys, filepath.Join(ev, "dev", ds+".jsonl"))
		if err != nil {
			t.Fatalf("%s: %v", ds, err)
		}
		if c.n == 0 && a1.n == 0 {
			t.Logf("%-12s no gold country or admin1", ds)
			continue
		}
		t.Logf("%-12s country %v", ds, c)
		t.Logf("%-12s admin1  %v", ds, a1)
		for _, x := range []struct {
			field string
			c     ceilCount
		}{{"country", c}, {"admin1", a1}} {
			if x.c.missed > 0 || x.c.evid < x.c.cur {
				t.Errorf("%s %s: ceiling %d rows below what Find+Primary gets right (%d; %d right without evidence)",
					ds, x.field, x.c.evid, x.c.cur, x.c.missed)
			}
		}
		if ds != "case2021" {
			totC.add(c)
			totA1.add(a1)
		}
	}
	t.Logf("%-12s country %v", "micro", totC)
	t.Logf("%-12s admin1  %v", "micro", totA1)
}

// ceilingFile counts one dev file; see TestEvalCeiling.
func ceilingFile(t *testing.T, g *Gazetteer, countryKeys map[string]bool, path string) (c, a1 ceilCount, err error) {
	fh, err := os.Open(path)
	if err != nil {
		return c, a1, fmt.Errorf("open eval file: %w", err)
	}
	defer fh.Close()
	c.country = true
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r evalRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return c, a1, fmt.Errorf("parse %s: %w", path, err)
		}
		if r.Gold.Country == nil && r.Gold.Admin1 == nil {
			continue
		}
		// The spans exactly as Find reads them, before any reading is chosen.
		buf, toks := tokenize(r.Text, nil, nil)
		spans := g.candidates(r.Text, buf, toks)
		m, ok := Primary(r.Text, g.Find(r.Text))

		if r.Gold.Country != nil {
			gold := strings.ToUpper(*r.Gold.Country)
			c.n++
			// (a) Any reading of any span in the gold country. A name that
			// is also a common word still counts: this is an upper bound.
			evid, nonStop := false, false
			for _, s := range spans {
				for _, p := range s.cands {
					if g.ents[g.ents[p.ent].country].iso == gold {
						evid = true
						nonStop = nonStop || !s.stop
					}
				}
			}
			// (b) The country's own name or demonym, scanned for directly:
			// every run of tokens that is a key of the country, written in
			// a case the key allows, wherever candidates' leftmost-longest
			// split or its filters put it.
			named := g.namesCountry(buf, toks, countryKeys, gold)
			if named {
				c.named++
				if !evid {
					c.namedOnly++
					t.Logf("%s names %s but no candidate reads it", r.ID, gold)
				}
			}
			if evid || named {
				c.evid++
			}
			if evid && !nonStop {
				c.stopOnly++
			}
			if ok && strings.EqualFold(m.Country, gold) {
				c.cur++
				if !evid {
					c.missed++
					t.Logf("%s Find+Primary gives %s with no candidate in it", r.ID, gold)
				}
			}
		}

		if r.Gold.Admin1 != nil {
			gold := normName(*r.Gold.Admin1)
			a1.n++
			evid, nonStop := false, false
			for _, s := range spans {
				for _, p := range s.cands {
					e := &g.ents[p.ent]
					in := e.a1 >= 0 && normName(g.ents[e.a1].name) == gold ||
						e.kind == KindAdmin1 && normName(e.name) == gold
					if in {
						evid = true
						nonStop = nonStop || !s.stop
					}
				}
			}
			if evid {
				a1.evid++
				if !nonStop {
					a1.stopOnly++
				}
			}
			if ok && (m.Admin1 != "" || m.Kind == KindAdmin1) {
				got := m.Admin1
				if m.Kind == KindAdmin1 {
					got = m.Name
				}
				if normName(got) == gold {
					a1.cur++
					if !evid {
						a1.missed++
						t.Logf("%s Find+Primary gives admin1 %q with no candidate in it", r.ID, got)
					}
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return c, a1, fmt.Errorf("read %s: %w", path, err)
	}
	return c, a1, nil
}

// namesCountry reports whether the folded tokens contain a key naming the
// country with ISO code iso, in a case that key may be written in (capital
// initial, or lower case for demonyms), with at least three letters unless
// it is a curated alias — the same case and length rules candidates uses,
// but without its leftmost-longest split, blocks or preferences.
func (g *Gazetteer) namesCountry(buf []byte, toks []token, countryKeys map[string]bool, iso string) bool {
	for i := range toks {
		for j := i; j < len(toks) && j < i+g.maxToks; j++ {
			key := string(buf[toks[i].nstart:toks[j].nend])
			v, ok := g.index[key]
			if !ok {
				break
			}
			if v < 0 || !countryKeys[key] {
				continue
			}
			for _, p := range g.postings[v] {
				if p.ent < 0 || g.ents[p.ent].kind != KindCountry || g.ents[p.ent].iso != iso {
					continue
				}
				if !toks[i].upper && p.flags&flagLower == 0 {
					continue
				}
				if j == i && toks[i].runes < 3 && p.flags&flagAlias == 0 {
					continue
				}
				return true
			}
		}
	}
	return false
}
