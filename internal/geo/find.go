package geo

import "math"

// span is one candidate mention: tokens ti..tj and the entities its key names.
type span struct {
	ti, tj int
	key    string
	cands  []posting
	stop   bool  // the key is also a common word or a person's name
	best   int32 // chosen entity, or -1
}

// evidence counts what the spans of a document say about countries and
// admin areas.
type evidence struct {
	country map[int32]float64
	admin1  map[int32]float64
	admin2  map[int32]float64
}

func newEvidence() evidence {
	return evidence{country: map[int32]float64{}, admin1: map[int32]float64{}, admin2: map[int32]float64{}}
}

// Find returns every place mention in text, non-overlapping, leftmost
// longest, sorted by Start. Ambiguous names are resolved with the rest of
// the text: an entity whose country or admin area is mentioned elsewhere
// wins, then higher admin levels, seats and larger populations. Mentions
// that are also common words, and small places nothing else in the text
// supports, are left out.
func (g *Gazetteer) Find(text string) []Match {
	buf, toks := tokenize(text, make([]byte, 0, len(text)+16), make([]token, 0, len(text)/5+1))
	spans := g.candidates(buf, toks)
	if len(spans) == 0 {
		return nil
	}

	// Pass 1: evidence from every candidate, shared among a span's readings.
	ev := newEvidence()
	for i := range spans {
		g.addEvidence(ev, &spans[i], 1)
	}
	for i := range spans {
		g.addEvidence(ev, &spans[i], -1)
		spans[i].best = g.choose(&spans[i], ev)
		g.addEvidence(ev, &spans[i], 1)
	}
	// Pass 2: evidence from the readings chosen in pass 1 only.
	ev2 := newEvidence()
	for i := range spans {
		g.addChosen(ev2, spans[i].best, 1)
	}
	for i := range spans {
		g.addChosen(ev2, spans[i].best, -1)
		spans[i].best = g.choose(&spans[i], ev2)
		g.addChosen(ev2, spans[i].best, 1)
	}

	out := make([]Match, 0, len(spans))
	for i := range spans {
		s := &spans[i]
		if s.best < 0 {
			continue
		}
		g.addChosen(ev2, s.best, -1)
		ok := g.supported(s, s.best, ev2)
		g.addChosen(ev2, s.best, 1)
		if !ok {
			continue
		}
		out = append(out, g.match(s.best, toks[s.ti].start, toks[s.tj].end))
	}
	return out
}

// candidates finds the leftmost-longest keys in the folded text, keeping
// only readings whose capitalisation fits.
func (g *Gazetteer) candidates(buf []byte, toks []token) []span {
	var spans []span
	for i := 0; i < len(toks); {
		bestJ, bestV := -1, int32(-1)
		for j := i; j < len(toks) && j < i+g.maxToks; j++ {
			if j > i && !toks[j].joinPrev {
				break
			}
			v, ok := g.index[string(buf[toks[i].nstart:toks[j].nend])]
			if !ok {
				break
			}
			if v >= 0 && g.caseFits(v, toks[i]) {
				bestJ, bestV = j, v
			}
		}
		if bestJ < 0 {
			i++
			continue
		}
		key := string(buf[toks[i].nstart:toks[bestJ].nend])
		var cands []posting
		blocked := false
		for _, p := range g.postings[bestV] {
			if p.flags&flagBlock != 0 {
				blocked = true
			} else if toks[i].upper || p.flags&flagLower != 0 {
				cands = append(cands, p)
			}
		}
		if blocked || len(cands) == 0 {
			i = bestJ + 1
			continue
		}
		stop := g.stop[key]
		// A short all-letter token ("al", "de") is never a place by itself.
		if toks[i].runes < 3 && bestJ == i && !isAllUpper(toks[i]) && !hasAlias(cands) {
			stop = true
		}
		spans = append(spans, span{ti: i, tj: bestJ, key: key, cands: cands, stop: stop, best: -1})
		i = bestJ + 1
	}
	return spans
}

func isAllUpper(t token) bool { return t.upper && t.runes <= 4 && t.end-t.start <= 8 }

func hasAlias(ps []posting) bool {
	for _, p := range ps {
		if p.flags&flagAlias != 0 {
			return true
		}
	}
	return false
}

func (g *Gazetteer) caseFits(v int32, t token) bool {
	if t.upper {
		return true
	}
	for _, p := range g.postings[v] {
		if p.flags&(flagLower|flagBlock) != 0 {
			return true
		}
	}
	return false
}

// addEvidence adds (sign = 1) or removes (sign = -1) what span s says:
// each reading counts for its country and admin areas, a span with several
// readings splitting its weight.
func (g *Gazetteer) addEvidence(ev evidence, s *span, sign float64) {
	if s.stop || len(s.cands) == 0 {
		return
	}
	countries := map[int32]bool{}
	for _, p := range s.cands {
		countries[g.ents[p.ent].country] = true
	}
	w := sign / float64(len(s.cands))
	wc := sign / float64(len(countries))
	for c := range countries {
		ev.country[c] += wc
	}
	for _, p := range s.cands {
		e := &g.ents[p.ent]
		if e.a1 >= 0 {
			ev.admin1[e.a1] += w
		}
		if e.a2 >= 0 {
			ev.admin2[e.a2] += w
		}
	}
}

// addChosen adds or removes the evidence of one chosen entity.
func (g *Gazetteer) addChosen(ev evidence, id int32, sign float64) {
	if id < 0 {
		return
	}
	e := &g.ents[id]
	ev.country[e.country] += sign
	if e.a1 >= 0 {
		ev.admin1[e.a1] += sign
	}
	if e.a2 >= 0 {
		ev.admin2[e.a2] += sign
	}
}

var kindBase = [...]float64{KindCountry: 3, KindAdmin1: 2.5, KindAdmin2: 1.5, KindPlace: 1}

// score rates reading p of a span against the document's evidence.
func (g *Gazetteer) score(id int32, ev evidence) float64 {
	e := &g.ents[id]
	sc := kindBase[e.kind]
	if ev.country[e.country] > 0.01 && e.kind != KindCountry {
		sc += 2 * math.Min(1, ev.country[e.country])
	}
	if e.kind >= KindAdmin2 && e.a1 >= 0 && ev.admin1[e.a1] > 0.01 {
		sc += 3 * math.Min(1, ev.admin1[e.a1])
	}
	if e.kind == KindPlace && e.a2 >= 0 && ev.admin2[e.a2] > 0.01 {
		sc += 2 * math.Min(1, ev.admin2[e.a2])
	}
	if e.pop > 0 {
		sc += 0.3 * math.Log10(float64(e.pop))
	}
	sc += 0.4 * float64(e.seat)
	return sc
}

// choose returns the best reading of s, or -1.
func (g *Gazetteer) choose(s *span, ev evidence) int32 {
	best, bestScore := int32(-1), math.Inf(-1)
	for _, p := range s.cands {
		if sc := g.score(p.ent, ev); sc > bestScore || (sc == bestScore && p.ent < best) {
			best, bestScore = p.ent, sc
		}
	}
	return best
}

// supported reports whether the chosen reading is safe to report: common
// words need their admin area mentioned elsewhere, and small places need
// their country or admin area mentioned, or a name nothing else shares.
func (g *Gazetteer) supported(s *span, id int32, ev evidence) bool {
	e := &g.ents[id]
	a1 := e.a1 >= 0 && ev.admin1[e.a1] > 0.5
	a2 := e.a2 >= 0 && ev.admin2[e.a2] > 0.5
	country := ev.country[e.country] > 0.5
	if s.stop {
		switch e.kind {
		case KindCountry, KindAdmin1:
			return country && e.kind == KindAdmin1 || hasAliasFor(s, id) && country
		default:
			return a1 || a2
		}
	}
	switch e.kind {
	case KindCountry, KindAdmin1:
		return true
	}
	if a1 || a2 || country || e.pop >= 50_000 || e.seat >= 2 || hasAliasFor(s, id) {
		return true
	}
	// An unsupported small place: only a long name that means one thing.
	return len(s.cands) == 1 && len(s.key) >= 6 && e.pop > 0
}

func hasAliasFor(s *span, id int32) bool {
	for _, p := range s.cands {
		if p.ent == id && p.flags&flagAlias != 0 {
			return true
		}
	}
	return false
}

// match builds the Match for entity id at text[start:end].
func (g *Gazetteer) match(id int32, start, end int) Match {
	e := &g.ents[id]
	m := Match{
		Start: start, End: end,
		Kind:       e.kind,
		Name:       e.name,
		Country:    g.ents[e.country].iso,
		HasCoord:   e.hasCoord,
		Population: int(e.pop),
	}
	if e.hasCoord {
		m.Lat, m.Lon = round4(e.lat), round4(e.lon)
	}
	if e.a1 >= 0 {
		m.Admin1 = g.ents[e.a1].name
	}
	if e.a2 >= 0 {
		m.Admin2 = g.ents[e.a2].name
	}
	return m
}

func round4(v float32) float64 { return math.Round(float64(v)*1e4) / 1e4 }

