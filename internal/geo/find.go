package geo

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// span is one candidate mention: tokens ti..tj and the entities its key names.
type span struct {
	ti, tj int
	keyLen int // bytes in the folded key
	cands  []posting
	stop   bool  // the key is also a common word or a person's name
	best   int32 // chosen entity, or -1
	hint   Kind  // the level the words around it suggest (KindAdmin1, KindAdmin2 or KindPlace), or -1
	// province: the word was "province", which fits admin2 too.
	province bool
	actor    bool // a country name used for who acted ("US drone"): no evidence of where
	placed   bool // capitalised right after "en", "de", "in", "near": written as a place
	// nameLike: the words around it make it part of a person's name or
	// nickname ("Salim's brothers", "Samir Khan", "El Indio"); particle: an
	// article or name particle stands before it ("al-Yemeni").
	nameLike, particle bool
	// possessive: an English possessive follows ("Salim's", "Lahore's").
	possessive bool
	// hood: a neighbourhood or street named after the place ("colonia
	// Morelos", "en la Cuauhtémoc"): at most its country, when the rest of
	// the text supports it, is reported.
	hood bool
	// vague: the reading is one of several namesakes in its country that
	// nothing but the country supports; only the country is reported.
	vague bool
	// road: the name is one end of a road or border between two places in
	// different states ("la México-Acapulco", "carretera Culiacán-Nogales"):
	// only the country is reported.
	road bool
	// qualifier: the name qualifies the place named after it ("the
	// southern Gaza city of Rafah"): it stands for its area, not a town.
	qualifier bool
}

// evidence counts what the spans of a document say about countries and
// admin areas.
type evidence struct {
	country map[int32]float64
	admin1  map[int32]float64
	admin2  map[int32]float64
	// named holds the countries a span names outright, or one of whose
	// states it names ("Mexico", "Guerrero"), as chosen in pass 2.
	named []int32
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
	buf, toks := tokenize(text, make([]byte, 0, len(text)+16), make([]token, 0, len(text)/6+1))
	spans := g.candidates(text, buf, toks)
	if len(spans) == 0 {
		return nil
	}
	g.narrowPairs(text, buf, toks, spans)
	markQualifiers(buf, toks, spans)
	for i := range spans {
		s := &spans[i]
		if s.ti > 0 && toks[s.ti].upper {
			switch string(buf[toks[s.ti-1].nstart:toks[s.ti-1].nend]) {
			case "en", "de", "in", "near", "cerca", "desde", "from", "a", "at":
				s.placed = true
			case "of":
				// "the village of Datta Khel", "the town of Shaqra".
				s.placed = s.ti > 1 && settlementWords[string(buf[toks[s.ti-2].nstart:toks[s.ti-2].nend])]
			}
		}
		nextSpan := i+1 < len(spans) && spans[i+1].ti == s.tj+1
		s.nameLike, s.particle = nameContext(text, buf, toks, s.ti, s.tj, nextSpan)
		if rest := text[toks[s.tj].end:]; strings.HasPrefix(rest, "'s") || strings.HasPrefix(rest, "’s") {
			s.possessive = true
		}
		end := int(toks[s.tj].end)
		if end <= len(text) && actorWordNext(text[end:]) {
			for _, p := range s.cands {
				if g.ents[p.ent].kind == KindCountry {
					s.actor = true
				}
			}
		}
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
		g.addChosen(ev2, &spans[i], 1)
	}
	for i := range spans {
		g.addChosen(ev2, &spans[i], -1)
		spans[i].best = g.choose(&spans[i], ev2)
		g.addChosen(ev2, &spans[i], 1)
	}

	// A reading that is not reported says nothing about the others: drop
	// its evidence and judge the rejected ones again ("Zar" in Armenia must
	// not make "Datta Khel" a place abroad).
	// Repeated mentions of one name do not support each other ("Salim ...
	// Salim's house").
	// Every span whose chosen reading is e adds the same evidence (one for
	// e's country and admin areas; evidence values are whole numbers, so
	// the sums are exact), so judging a span without its own name's
	// mentions subtracts their count at once: linear in the mentions,
	// however often one name is repeated.
	g.markRoads(text, toks, spans)
	for i := range spans {
		if b := spans[i].best; b >= 0 && spans[i].evidential() && g.ents[b].kind <= KindAdmin1 {
			ev2.named = append(ev2.named, g.ents[b].country)
		}
	}
	ok := make([]bool, len(spans))
	in := make([]bool, len(spans)) // whose evidence is in ev2
	inCount := map[int32]int{}     // spans of each chosen entity whose evidence is in ev2
	for i := range spans {
		in[i] = spans[i].best >= 0
		if in[i] && spans[i].evidential() {
			inCount[spans[i].best]++
		}
	}
	judge := func(i int) bool {
		s := &spans[i]
		k := float64(inCount[s.best])
		if k != 0 {
			g.addEntity(ev2, s.best, -k)
		}
		r := g.supported(s, s.best, ev2)
		if k != 0 {
			g.addEntity(ev2, s.best, k)
		}
		return r
	}
	for round := 0; round < 3; round++ {
		for i := range spans {
			if spans[i].best >= 0 {
				ok[i] = judge(i)
			}
		}
		// What is not reported is no evidence for the rest.
		changed := false
		for i := range spans {
			if spans[i].best >= 0 && in[i] != ok[i] {
				sign := -1.0
				if ok[i] {
					sign = 1
				}
				g.addChosen(ev2, &spans[i], sign)
				if spans[i].evidential() {
					inCount[spans[i].best] += int(sign)
				}
				in[i] = ok[i]
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	out := make([]Match, 0, len(spans))
	for i := range spans {
		s := &spans[i]
		if s.best < 0 || !ok[i] {
			continue
		}
		id := s.best
		if s.hood || s.vague || s.road {
			id = g.ents[id].country
		} else if e := &g.ents[id]; s.qualifier && e.kind == KindPlace {
			id = e.country
			if e.a1 >= 0 {
				id = e.a1
			}
		}
		out = append(out, g.match(id, int(toks[s.ti].start), int(toks[s.tj].end)))
	}
	return out
}

// qualifiedWords name what the place after "of" is, when another place
// name stands before them: "the Gaza city of Rafah", "the Idlib town of
// Saraqib".
var qualifiedWords = map[string]bool{"city": true, "town": true, "village": true, "port": true}

// markQualifiers marks the names that qualify the place named after them:
// a name, then "city of", "town of" or "village of", then another name.
func markQualifiers(buf []byte, toks []token, spans []span) {
	word := func(k int) string { return string(buf[toks[k].nstart:toks[k].nend]) }
	for i := 0; i+1 < len(spans); i++ {
		a, b := &spans[i], &spans[i+1]
		// The word "city" may be part of the first name's key ("Gaza
		// City of Rafah" read as "Gaza City", "of", "Rafah").
		k := a.tj + 1
		if b.ti == a.tj+2 && a.tj > a.ti && qualifiedWords[word(a.tj)] {
			k = a.tj
		} else if b.ti != a.tj+3 || !qualifiedWords[word(k)] {
			continue
		}
		if word(k+1) == "of" && toks[k+1].joinPrev && toks[b.ti].joinPrev {
			a.qualifier = true
		}
	}
}

// markRoads marks the two names joined by a hyphen ("México-Acapulco",
// "Sinaloa-Durango") when their readings lie in different states or one is
// a country: the text speaks of a road or border between them, and where
// along it is not said. Two countries ("Pakistan-Afghanistan") stay as
// they are.
func (g *Gazetteer) markRoads(text string, toks []token, spans []span) {
	for i := 0; i+1 < len(spans); i++ {
		a, b := &spans[i], &spans[i+1]
		if a.best < 0 || b.best < 0 || b.ti != a.tj+1 {
			continue
		}
		switch text[toks[a.tj].end:toks[b.ti].start] {
		case "-", "–", "—":
		default:
			continue
		}
		ea, eb := &g.ents[a.best], &g.ents[b.best]
		if ea.kind == KindCountry && eb.kind == KindCountry {
			continue
		}
		if ea.kind == KindCountry || eb.kind == KindCountry || ea.a1 != eb.a1 {
			a.road, b.road = true, true
		}
	}
}

// settlementWords before "of" make the next name a place: "the village
// of Datta Khel".
var settlementWords = map[string]bool{
	"village": true, "villages": true, "town": true, "towns": true, "city": true, "hamlet": true,
	"district": true, "districts": true, "area": true, "region": true, "province": true, "outskirts": true,
}

// descriptorWords may follow a place name without making it part of a
// longer name: "Tirah Valley", "Shawal area", "Sirwah front".
var descriptorWords = map[string]bool{
	"valley": true, "city": true, "province": true, "state": true, "district": true, "agency": true,
	"governorate": true, "region": true, "department": true, "municipality": true, "area": true, "town": true,
	"village": true, "sector": true, "front": true, "airport": true, "border": true, "mountains": true,
	"hills": true, "river": true, "tehsil": true, "county": true, "camp": true, "bazaar": true,
	"market": true, "road": true, "highway": true, "subdistrict": true, "frontier": true, "tribal": true,
	"division": true, "capital": true, "port": true, "base": true, "prison": true, "central": true,
}

// nameArticles before a capitalised word make it a nickname or a family
// name when the pair is not itself a place ("El Indio", "al-Yemeni").
var nameArticles = map[string]bool{"el": true, "la": true, "los": true, "las": true, "al": true,
	"bin": true, "ibn": true, "abu": true, "bint": true}

// nameContext reports whether tokens i..j may be part of a person's name:
// followed by a possessive ("Salim's"), by another capitalised word that is
// neither a place nor a descriptor ("Samir Khan", "Gangi Khel"), and
// whether a capitalised article or an Arabic name particle stands before
// them ("El Indio", "al-Yemeni").
func nameContext(text string, buf []byte, toks []token, i, j int, nextSpan bool) (name, particle bool) {
	if i > 0 && toks[i].joinPrev {
		prev := string(buf[toks[i-1].nstart:toks[i-1].nend])
		if nameArticles[prev] && (toks[i-1].upper || prev == "al" || prev == "bin" || prev == "ibn") {
			return true, true
		}
	}
	end := int(toks[j].end)
	if rest := text[end:]; strings.HasPrefix(rest, "'s") || strings.HasPrefix(rest, "’s") {
		return true, false
	}
	if j+1 < len(toks) && toks[j+1].joinPrev && toks[j+1].upper && !nextSpan {
		next := string(buf[toks[j+1].nstart:toks[j+1].nend])
		if !descriptorWords[next] && toks[j+1].runes > 1 {
			return true, false
		}
	}
	return false, false
}

// candidates finds the leftmost-longest keys in the folded text, keeping
// only readings whose capitalisation fits.
func (g *Gazetteer) candidates(text string, buf []byte, toks []token) []span {
	var spans []span
	nameTo := -1 // the last token of a longer name the gazetteer does not know
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
		key := buf[toks[i].nstart:toks[bestJ].nend]
		var cands []posting
		blocked := false
		longer := longerName(buf, toks, bestJ) >= 0
		for _, p := range g.postings[bestV] {
			switch {
			case p.flags&flagBlock != 0:
				blocked = true
			case p.flags&flagShort != 0 && longer:
				// "Valle de Jerez" is not "Valle de Chalco" shortened.
			case toks[i].upper || p.flags&flagLower != 0:
				cands = append(cands, p)
			}
		}
		if blocked || len(cands) == 0 {
			i = bestJ + 1
			continue
		}
		// A name of one or two letters ("Al", "AU") counts only as a
		// curated abbreviation ("KP", "NL"); a name after "colonia",
		// "calle" and the like is a neighbourhood or street.
		if bestJ == i && toks[i].runes < 3 && !hasAlias(cands) {
			i = bestJ + 1
			continue
		}
		hood := afterStreetWord(buf, toks, i) || g.elidedColonia(buf, toks, i, cands) || i <= nameTo ||
			delInName(buf, toks, i)
		if unknownLongerName(buf, toks, i, bestJ, longer) {
			// The words after "de" belong to the longer name too: "Los
			// Llanos" in "San Bartolomé de Los Llanos".
			hood, nameTo = true, max(nameTo, longerName(buf, toks, bestJ))
		}
		hint, province := levelHint(text, buf, toks, i, bestJ)
		if hint == KindPlace {
			cands = g.placesIfAny(cands)
		} else {
			cands = g.preferAreas(cands, province)
		}
		spans = append(spans, span{ti: i, tj: bestJ, keyLen: len(key), cands: cands, stop: g.stop[string(key)], best: -1,
			hint: hint, province: province, hood: hood})
		i = bestJ + 1
	}
	return spans
}

// delInName reports whether token i follows "del" after a capitalised
// word: "El Ranchito del Salvador" is one name, not a place in Brazil. A
// town after plain "de" is read ("Centro de Acapulco", "Feria de Chilapa").
func delInName(buf []byte, toks []token, i int) bool {
	return i >= 2 && toks[i].joinPrev && toks[i-1].joinPrev && string(buf[toks[i-1].nstart:toks[i-1].nend]) == "del" &&
		toks[i-2].upper
}

// longerName reports whether the name ending at token j goes on with "de",
// "del" or "de la" and a capitalised word ("Villas de San Juan"): it
// returns the index of the last capitalised word of the longer name, or -1.
// Only shortened readings are dropped then: in "Centro de Acapulco" or
// "Feria de Chilapa" the name after "de" is the town.
func longerName(buf []byte, toks []token, j int) int {
	k := j + 1
	if k >= len(toks) || !toks[k].joinPrev || !isDe(buf, toks[k]) {
		return -1
	}
	k++
	if k < len(toks) {
		switch string(buf[toks[k].nstart:toks[k].nend]) {
		case "la", "las", "los", "el":
			k++
		}
	}
	if k >= len(toks) || !toks[k].joinPrev || !toks[k].upper {
		return -1
	}
	for k+1 < len(toks) && toks[k+1].joinPrev && toks[k+1].upper {
		k++
	}
	return k
}

// saintWords open Spanish and Portuguese place names after a saint.
var saintWords = map[string]bool{"san": true, "santa": true, "santo": true, "sao": true, "santiago": false}

// unknownLongerName reports whether tokens i..j are only the start of a
// longer name the gazetteer does not know: a capitalised neighbourhood
// word going on with more name ("Villas de San Juan", "Prados de la Luz",
// "Valle Oriente"), or a saint's name going on with "del" or "de" and an
// article ("San Pedro de los Hernández", "San José del Llano"). The place is
// the longer name, not the namesake of its first words.
func unknownLongerName(buf []byte, toks []token, i, j int, longer bool) bool {
	if !toks[i].upper {
		return false
	}
	first := string(buf[toks[i].nstart:toks[i].nend])
	if i == j && hoodWords[first] {
		return longer || j+1 < len(toks) && toks[j+1].joinPrev && toks[j+1].upper
	}
	if !longer || i == j || !saintWords[first] {
		return false
	}
	// "de" with an article: a town after plain "de" may be the place
	// itself ("Santa Ana de Coro", "San Andrés de Tuxtla").
	switch string(buf[toks[j+1].nstart:toks[j+1].nend]) {
	case "del":
		return true
	}
	switch string(buf[toks[j+2].nstart:toks[j+2].nend]) {
	case "la", "las", "los", "el":
		return true
	}
	return false
}

// Words before or after a name that say what level it is.
var (
	admin1Words = map[string]bool{"state": true, "estado": true, "province": true, "provincia": true,
		"governorate": true, "gobernacion": true, "region": true, "department": true, "departamento": true}
	admin2Words = map[string]bool{"municipality": true, "municipio": true, "district": true, "distrito": true,
		"agency": true, "tehsil": true, "county": true, "alcaldia": true, "delegacion": true}
)

// levelHint reads the words around tokens i..j: "Merida state", "estado
// de Sinaloa", "Sucre municipality", and ACLED's "(Place, Admin1)", whose
// last element is an area.
// The word "province" is also returned: provinces are the first level in
// some countries (Afghanistan, Argentina) and the second in others (the
// Philippines, Spain, Peru), so it fits either.
func levelHint(text string, buf []byte, toks []token, i, j int) (Kind, bool) {
	word := func(k int) string {
		if k < 0 || k >= len(toks) {
			return ""
		}
		return string(buf[toks[k].nstart:toks[k].nend])
	}
	next := word(j + 1)
	if j+1 < len(toks) && toks[j+1].joinPrev {
		if admin1Words[next] {
			return KindAdmin1, provinceWords[next]
		}
		if admin2Words[next] {
			return KindAdmin2, false
		}
	}
	prev := word(i - 1)
	if prev == "de" || prev == "of" {
		prev = word(i - 2)
		if prev == "city" || prev == "town" || prev == "ciudad" {
			// "the northern city of Kirkuk", "la ciudad de Zacatecas": the
			// town, not the province of the same name.
			return KindPlace, false
		}
	}
	if admin1Words[prev] {
		return KindAdmin1, provinceWords[prev]
	}
	if admin2Words[prev] {
		return KindAdmin2, false
	}
	if end := int(toks[j].end); end < len(text) && text[end] == ')' {
		return KindAdmin1, false
	}
	return -1, false
}

// provinceWords name a level that is the first in some countries and the
// second in others.
var provinceWords = map[string]bool{"province": true, "provincia": true}

// hintFits reports whether an entity of kind k fits the level the words
// around s name.
func (s *span) hintFits(k Kind) bool {
	return s.hint >= 0 && (k == s.hint || s.province && k == KindAdmin2)
}

// streetWords introduce neighbourhoods, streets and buildings, whose names
// are often also town names elsewhere ("colonia Morelos", "calle Morteros").
var streetWords = map[string]bool{
	"colonia": true, "col": true, "fraccionamiento": true, "fracc": true, "calle": true, "avenida": true,
	"av": true, "barrio": true, "bulevar": true, "boulevard": true, "blvd": true, "unidad": true,
	"residencial": true, "privada": true, "callejon": true, "habitacional": true, "street": true,
	"avenue": true, "road": true, "hotel": true, "restaurante": true, "bar": true, "plaza": true,
	"mercado": true, "hospital": true, "penal": true, "cereso": true, "estadio": true, "universidad": true,
	"cartel": true, "carteles": true, "familia": true, "clan": true, "grupo": true, "sector": true,
	"campo": true,
}

// hoodOfWords are the street words that, in lower case and followed by
// "de", stand for an unnamed neighbourhood of the town that follows.
var hoodOfWords = map[string]bool{
	"colonia": true, "col": true, "fraccionamiento": true, "fracc": true, "barrio": true, "unidad": true,
	"residencial": true, "habitacional": true, "sector": true,
}

// venueWords name a building or business; "de" after one introduces the
// town it is in, not its name.
var venueWords = map[string]bool{
	"bar": true, "hotel": true, "restaurante": true, "mercado": true, "hospital": true, "penal": true,
	"cereso": true, "estadio": true, "universidad": true,
}

func isDe(buf []byte, t token) bool {
	w := string(buf[t.nstart:t.nend])
	return w == "de" || w == "del"
}

// preferPlaces drops admin2 readings when a place of the same name lies in
// that admin2 ("Culiacán" the city, which carries its municipality too).
func (g *Gazetteer) preferPlaces(cands []posting) []posting {
	has := map[int32]bool{}
	for _, p := range cands {
		if e := &g.ents[p.ent]; e.kind == KindPlace && e.a2 >= 0 {
			has[e.a2] = true
		}
	}
	if len(has) == 0 {
		return cands
	}
	out := cands[:0:0]
	for _, p := range cands {
		if !has[p.ent] {
			out = append(out, p)
		}
	}
	return out
}

// hoodWords start the names of Mexican neighbourhoods and estates when
// capitalised: "Valle de Jerez", "Lomas del Durazno", "Granjas Buenos Aires".
var hoodWords = map[string]bool{
	"lomas": true, "loma": true, "valle": true, "villas": true, "villa": true, "colinas": true, "prados": true,
	"cerrito": true, "parques": true, "granjas": true, "ejido": true, "arboledas": true, "jardines": true,
	"paseos": true, "praderas": true, "bosques": true, "fuentes": true, "rinconada": true, "privadas": true,
	"infonavit": true, "fovissste": true, "unidad": true, "conjunto": true, "ampliacion": true, "barrio": true,
}

// elidedColonia reports whether token i follows a lower-case "la" that
// stands for an unsaid "colonia" or "calle": "en la Cuauhtémoc", "en la
// Anáhuac". Areas, names that are feminine nouns themselves ("la Ciudad
// de México") and curated abbreviations ("la GAM") are kept.
func (g *Gazetteer) elidedColonia(buf []byte, toks []token, i int, cands []posting) bool {
	if i == 0 || toks[i-1].upper || string(buf[toks[i-1].nstart:toks[i-1].nend]) != "la" {
		return false
	}
	if w := string(buf[toks[i].nstart:toks[i].nend]); w == "ciudad" || w == "capital" || w == "sierra" {
		return false
	}
	for _, p := range cands {
		// A curated abbreviation names the area itself: "en la GAM".
		if g.ents[p.ent].kind <= KindAdmin1 || p.flags&flagAlias != 0 {
			return false
		}
	}
	return true
}

// afterStreetWord reports whether token i follows a street word, with an
// optional article between ("en la colonia La Paz", "calle de Morelos").
func afterStreetWord(buf []byte, toks []token, i int) bool {
	for k, j := 0, i-1; j >= 0 && k < 3; k, j = k+1, j-1 {
		w := string(buf[toks[j].nstart:toks[j].nend])
		if hoodWords[w] && toks[j].upper {
			return true
		}
		if streetWords[w] {
			// "bar de Chilpancingo", "penal de Torreón": a venue of the
			// town; "colonia de Chilpancingo", "fraccionamiento de
			// Cancún": one of the town's neighbourhoods, unnamed. A
			// capitalised "Barrio de San Miguel" is the neighbourhood's name.
			of := venueWords[w] || hoodOfWords[w] && !toks[j].upper
			return !(of && k == 1 && isDe(buf, toks[i-1]))
		}
		switch w {
		case "la", "el", "las", "los", "de", "del", "the":
			continue
		}
		return false
	}
	return false
}

// placesIfAny keeps only the place readings of a name written as a town
// ("the city of Kirkuk"), when there are any.
func (g *Gazetteer) placesIfAny(cands []posting) []posting {
	out := cands[:0:0]
	for _, p := range cands {
		if g.ents[p.ent].kind == KindPlace {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return cands
	}
	return out
}

// preferAreas drops place readings that lie inside an admin1 reading of
// the same name ("Zacatecas" the state, not the city): the area is the
// safer claim.
func (g *Gazetteer) preferAreas(cands []posting, province bool) []posting {
	var a1s []int32
	for _, p := range cands {
		if g.ents[p.ent].kind == KindAdmin1 {
			a1s = append(a1s, p.ent)
		}
	}
	if len(a1s) == 0 {
		if province {
			return cands // "Quezon province": the province, not its towns named Quezon
		}
		return g.preferPlaces(cands)
	}
	out := cands[:0:0]
	for _, p := range cands {
		e := &g.ents[p.ent]
		inside := false
		if e.kind >= KindAdmin2 {
			for _, a := range a1s {
				inside = inside || e.a1 == a
			}
		}
		if !inside {
			out = append(out, p)
		}
	}
	return out
}

// hasAlias reports whether any reading comes from a curated alias.
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

// weight is how much a reading, before disambiguation, says about its
// country and admin areas: areas and curated names a lot, small places little.
func (g *Gazetteer) weight(p posting) float64 {
	e := &g.ents[p.ent]
	switch {
	case e.kind <= KindAdmin1 || p.flags&flagAlias != 0:
		return 1
	case e.pop >= 100_000:
		return 1
	case e.pop >= 10_000 || e.kind == KindAdmin2:
		return 0.5
	}
	return 0.1
}

// addEvidence adds (sign = 1) or removes (sign = -1) what span s says
// before any reading is chosen: each country gets the weight of its best
// reading, shared among the countries the span could mean; admin areas
// count only when the span can name the area itself.
func (g *Gazetteer) addEvidence(ev evidence, s *span, sign float64) {
	if s.stop || s.actor || s.hood || s.nameLike && !s.possessive || len(s.cands) == 0 {
		return
	}
	type vote struct {
		country int32
		w       float64
	}
	var arr [8]vote
	best := arr[:0]
next:
	for _, p := range s.cands {
		c, w := g.ents[p.ent].country, g.weight(p)
		for i := range best {
			if best[i].country == c {
				best[i].w = max(best[i].w, w)
				continue next
			}
		}
		best = append(best, vote{c, w})
	}
	for _, v := range best {
		ev.country[v.country] += sign * v.w / float64(len(best))
	}
	for _, p := range s.cands {
		e := &g.ents[p.ent]
		switch e.kind {
		case KindAdmin1:
			ev.admin1[p.ent] += sign / float64(len(s.cands))
		case KindAdmin2:
			ev.admin2[p.ent] += sign / float64(len(s.cands))
		}
	}
}

// addChosen adds or removes the evidence of a span's chosen reading;
// common-word spans say nothing.
func (g *Gazetteer) addChosen(ev evidence, s *span, sign float64) {
	if s.best < 0 || !s.evidential() {
		return
	}
	g.addEntity(ev, s.best, sign)
}

// evidential reports whether the span's chosen reading counts as evidence
// for the others: common words, actors and neighbourhoods do not.
func (s *span) evidential() bool {
	return !s.stop && !s.actor && !s.hood && !(s.nameLike && !s.possessive)
}

// addEntity adds w to the evidence for entity id's country and admin areas.
func (g *Gazetteer) addEntity(ev evidence, id int32, w float64) {
	e := &g.ents[id]
	ev.country[e.country] += w
	if e.a1 >= 0 {
		ev.admin1[e.a1] += w
	}
	if e.a2 >= 0 {
		ev.admin2[e.a2] += w
	}
}

// A country name means the country unless the text names the admin area of
// a town of that name ("Mexico, Missouri"): countries start far ahead.
var kindBase = [...]float64{KindCountry: 6, KindAdmin1: 2.5, KindAdmin2: 1.5, KindPlace: 1}

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
	// An area that other mentions lie in: "Ciudad Obregón, Sonora".
	if e.kind == KindAdmin1 && ev.admin1[id] > 0.01 {
		sc += 3 * math.Min(1, ev.admin1[id])
	}
	if e.kind == KindAdmin2 && ev.admin2[id] > 0.01 {
		sc += 2 * math.Min(1, ev.admin2[id])
	}
	if e.pop > 0 {
		sc += 0.3 * math.Log10(float64(e.pop))
	}
	sc += 0.25 * float64(e.seat)
	return sc
}

// choose returns the best reading of s, or -1.
func (g *Gazetteer) choose(s *span, ev evidence) int32 {
	best, bestScore := int32(-1), math.Inf(-1)
	for _, p := range s.cands {
		if s.stop && g.ents[p.ent].kind == KindCountry && p.flags&flagAlias == 0 {
			// "Guadalupe" the town, not Guadeloupe's Spanish name.
			continue
		}
		sc := g.score(p.ent, ev)
		if s.hintFits(g.ents[p.ent].kind) {
			sc += 3
		}
		if p.flags&flagAlias != 0 && g.aliasPreferred(s, p) {
			// A curated name says which place the press means: León is
			// the Mexican city before a Nicaraguan department, al-Jawf the
			// Yemeni governorate before the Saudi region.
			sc += 2
		}
		if sc > bestScore || (sc == bestScore && p.ent < best) {
			best, bestScore = p.ent, sc
		}
	}
	return best
}

// aliasPreferred reports whether curated reading p of s is preferred over
// the others: a curated town or municipality always, a curated province or
// state over namesakes abroad only. A curated spelling of a province does
// not outrank the same country's city of that name ("Sanaa" the
// governorate, for ACLED, and Sanaa the capital).
func (g *Gazetteer) aliasPreferred(s *span, p posting) bool {
	e := &g.ents[p.ent]
	switch {
	case e.kind >= KindAdmin2:
		return true
	case e.kind == KindAdmin1:
		for _, q := range s.cands {
			if q.ent != p.ent && q.flags&flagAlias == 0 && g.ents[q.ent].country == e.country {
				return false
			}
		}
		return true
	}
	return false
}

// supported reports whether the chosen reading is safe to report: common
// words need their admin area mentioned elsewhere, and small places need
// their country or admin area mentioned, or a name nothing else shares.
func (g *Gazetteer) supported(s *span, id int32, ev evidence) bool {
	e := &g.ents[id]
	s.vague = false
	if s.hood {
		return e.kind != KindCountry && ev.country[e.country] > 0.5
	}
	a1 := e.a1 >= 0 && ev.admin1[e.a1] > 0.5
	a2 := e.a2 >= 0 && ev.admin2[e.a2] > 0.5
	country := ev.country[e.country] > 0.5
	if s.stop {
		switch e.kind {
		case KindCountry, KindAdmin1:
			return country && e.kind == KindAdmin1 || hasAliasFor(s, id) && country
		default:
			// "penal de Torreón": a capitalised common word written where a
			// place goes is the city, when the city is a large one.
			// "en Centro Médico" is a building's name.
			return a1 || a2 || s.placed && !s.nameLike && e.pop >= 100_000
		}
	}
	switch e.kind {
	case KindCountry, KindAdmin1:
		return !s.particle || hasAliasFor(s, id) && e.kind == KindAdmin1
	}
	if a1 || a2 {
		return true
	}
	// "Maguindanao province", "Sucre municipality": the text says the name
	// is an area of that level, and all such areas lie in one country.
	if e.kind == KindAdmin2 && s.hintFits(e.kind) && g.oneCountryAtLevel(s, e.country) {
		return true
	}
	// "Lahore's Youhanabad": a great city or a capital in the possessive
	// is the city; a smaller name so written is more likely a person's.
	if s.nameLike && !(s.possessive && !s.particle && (e.pop >= 500_000 || e.seat >= 2)) {
		return false
	}
	if hasAliasFor(s, id) {
		return true
	}
	if country {
		s.vague = slices.Contains(ev.named, e.country) && g.guessInCountry(s, e)
		return true
	}
	// The text speaks of other countries: a place elsewhere must be big.
	for c, w := range ev.country {
		if w > 0.5 && c != e.country {
			return e.pop >= 200_000 || e.seat == 3
		}
	}
	if e.pop >= 50_000 || e.seat >= 2 {
		return true
	}
	// An unsupported small place: only a name written where a place goes
	// ("in Datta Khel") whose readings all lie in one admin1.
	if !s.placed || s.keyLen < 4 {
		return false
	}
	for _, p := range s.cands {
		if q := &g.ents[p.ent]; q.country != e.country || q.a1 != e.a1 {
			return false
		}
	}
	return true
}

// guessInCountry reports whether reading e of s, supported by its country
// alone (named in the text, or one of its states), is a guess among
// namesakes: a town of fewer than 20,000 people
// whose name towns in other states of that country share, none of them
// ten times smaller. "Bellavista" or "La Sabana" with nothing but
// "Mexico" around them could be any of a dozen villages.
func (g *Gazetteer) guessInCountry(s *span, e *entity) bool {
	if e.kind != KindPlace && e.kind != KindAdmin2 || e.pop >= 20_000 {
		return false
	}
	for _, p := range s.cands {
		q := &g.ents[p.ent]
		if q != e && q.country == e.country && q.a1 != e.a1 && int64(q.pop)*10 >= int64(e.pop) {
			return true
		}
	}
	return false
}

// oneCountryAtLevel reports whether every reading of s at the level its
// words name lies in the country with entity index c.
func (g *Gazetteer) oneCountryAtLevel(s *span, c int32) bool {
	for _, p := range s.cands {
		if e := &g.ents[p.ent]; s.hintFits(e.kind) && e.country != c {
			return false
		}
	}
	return true
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

// actorWords follow a country name or demonym used for an actor, not a
// place: "US drone strike", "Pakistani forces", "fuerzas mexicanas" reads
// the other way round and is not handled.
var actorWords = map[string]bool{
	"drone": true, "drones": true, "military": true, "forces": true, "force": true, "troops": true,
	"army": true, "navy": true, "air": true, "airstrike": true, "airstrikes": true, "strike": true,
	"strikes": true, "officials": true, "official": true, "government": true, "authorities": true,
	"intelligence": true, "embassy": true, "special": true, "missile": true, "missiles": true,
	"predator": true, "reaper": true, "warplanes": true, "jets": true, "aircraft": true, "led": true,
	"backed": true, "coalition": true, "soldiers": true, "security": true, "administration": true,
	"president": true, "cia": true, "citizen": true, "citizens": true, "national": true, "nationals": true,
	"taliban": true, "militants": true, "officers": true, "police": true, "state": true, "media": true,
	"southern": true, "northern": true, "central": true, "command": true, "department": true, "defense": true,
	"secretary": true, "navy's": true, "marines": true, "coast": false, "congress": true, "senate": true,
	"treasury": true, "officers'": true, "attorney": true, "ambassador": true, "envoy": true,
	// "near the Afghan border", "the Saudi border": a neighbour's border,
	// named from the other side of it.
	"border": true,
}

// Primary returns the match that best says where the text happened: the
// most specific mention (first among equals) in the country the matches
// point to most, where an area or place counts more than a bare country
// name. A country name or demonym followed by an actor word ("US drone
// strike", "Pakistani forces") names who acted, not where, and is skipped.
// text must be the string ms was found in. It returns false when no match
// qualifies.
func Primary(text string, ms []Match) (Match, bool) {
	keep := make([]Match, 0, len(ms))
	for _, m := range ms {
		if m.Kind == KindCountry && m.End <= len(text) && (actorWordNext(text[m.End:]) || actorNounBefore(text[:m.Start])) {
			continue
		}
		keep = append(keep, m)
	}
	if len(keep) == 0 {
		return Match{}, false
	}
	weight := map[string]int{}
	for _, m := range keep {
		weight[m.Country] += 1 + int(m.Kind)
	}
	country := keep[0].Country
	for _, m := range keep {
		if weight[m.Country] > weight[country] {
			country = m.Country
		}
	}
	best, ok := Match{}, false
	for _, m := range keep {
		if m.Country == country && (!ok || m.Kind > best.Kind) {
			best, ok = m, true
		}
	}
	return best, ok
}

// actorNouns precede a Spanish demonym used for who acted: "un avión
// militar estadounidense", "fuerzas mexicanas", "un ataque estadounidense".
var actorNouns = map[string]bool{
	"militar": true, "militares": true, "fuerzas": true, "tropas": true, "marina": true, "ejercito": true,
	"dron": true, "drones": true, "avion": true, "aviones": true, "buque": true, "buques": true, "soldados": true,
	"agentes": true, "funcionarios": true, "gobierno": true, "autoridades": true, "ataque": true, "ataques": true,
	"bombardeo": true, "bombardeos": true, "misil": true, "misiles": true, "embajada": true, "presidente": true,
	"administracion": true, "operacion": true, "operaciones": true, "nave": true, "helicoptero": true,
	"helicopteros": true, "armada": true, "guardacostas": true, "inteligencia": true, "cazas": true,
}

// actorNounBefore reports whether the last word of s, folded, is one of
// actorNouns.
func actorNounBefore(s string) bool {
	s = strings.TrimRight(s, " ")
	if len(s) > 64 {
		s = s[len(s)-64:]
	}
	i := len(s)
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if !isWordRune(r) {
			break
		}
		i -= size
	}
	var arr [64]byte
	return actorNouns[string(firstWordKey(s[i:], arr[:0]))]
}

// actorWordNext reports whether the first word of s, folded, is one of
// actorWords. It reads only that word and allocates nothing: it runs for
// every candidate name of every text.
func actorWordNext(s string) bool {
	if len(s) > 64 {
		s = s[:64]
	}
	var arr [64]byte
	return actorWords[string(firstWordKey(s, arr[:0]))]
}

// firstWordKey appends to dst the folded form of the first token tokenize
// would read from s.
func firstWordKey(s string, dst []byte) []byte {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			break
		}
		i += size
	}
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWordRune(r) {
			dst = foldRune(dst, s[i:], r, size)
			i += size
			continue
		}
		if !isApostrophe(r) {
			break
		}
		// As in tokenize: an apostrophe inside a word is dropped; one
		// that ends the text's word or opens a possessive "'s" ends it.
		nr, nsize := utf8.DecodeRuneInString(s[i+size:])
		if !isWordRune(nr) {
			break
		}
		if nr == 's' || nr == 'S' {
			if ar, _ := utf8.DecodeRuneInString(s[i+size+nsize:]); !isWordRune(ar) {
				break
			}
		}
		i += size
	}
	return dst
}

// narrowPairs reads "Place, Area" written out: in "Sucre municipality,
// Bolivar state", "Shawal, North Waziristan" or "Laredo, Mexico" the
// writer says the first name lies in the second. When some reading of the
// first lies in some reading of the second, both spans keep only the
// readings that fit together. Chains ("Cedeno municipality, Bolivar
// state, Venezuela") are narrowed from the right, then from the left.
func (g *Gazetteer) narrowPairs(text string, buf []byte, toks []token, spans []span) {
	for i := len(spans) - 2; i >= 0; i-- {
		g.narrowPair(text, buf, toks, &spans[i], &spans[i+1])
	}
	for i := 0; i+1 < len(spans); i++ {
		g.narrowPair(text, buf, toks, &spans[i], &spans[i+1])
	}
}

// narrowPair narrows spans a and b when b follows a after a comma or an
// opening parenthesis, with only level words such as "municipality" or
// "state" between them, or after "de" ("El Naranjo de Iguala").
func (g *Gazetteer) narrowPair(text string, buf []byte, toks []token, a, b *span) {
	gap := text[toks[a.tj].end:toks[b.ti].start]
	if b.ti == a.tj+2 && isDe(buf, toks[a.tj+1]) && strings.TrimSpace(gap) == string(buf[toks[a.tj+1].nstart:toks[a.tj+1].nend]) {
		g.narrowOf(a, b)
		return
	}
	if strings.ContainsAny(gap, ".;:") {
		return
	}
	last := b.ti - 1 // the last gap word that must say what level a is
	if !strings.ContainsAny(gap, ",(") {
		// "Libertador municipality in Caracas": a level word, then "in".
		if a.hint < 0 || b.ti < a.tj+3 || !toks[b.ti].upper {
			return
		}
		if w := string(buf[toks[last].nstart:toks[last].nend]); w != "in" && w != "en" {
			return
		}
		last--
	}
	for k := a.tj + 1; k <= last; k++ {
		w := string(buf[toks[k].nstart:toks[k].nend])
		if !admin1Words[w] && !admin2Words[w] && !descriptorWords[w] {
			return
		}
	}
	ac, bc := g.ofHintedKind(a), g.ofHintedKind(b)
	if key := buf[toks[a.ti].nstart:toks[a.tj].nend]; string(key) == string(buf[toks[b.ti].nstart:toks[b.tj].nend]) {
		// "Veracruz, Veracruz", "Merida, Merida state": the city in the
		// state of its name, whose reading preferAreas set aside.
		if towns := g.capitalNamesake(string(key), bc); len(towns) > 0 {
			ac = towns
		}
	}
	keepA, keepB := g.fitting(ac, bc, false)
	if len(keepB) == 0 {
		keepA, keepB = g.fitting(ac, bc, true)
	}
	if len(keepB) == 0 {
		// "San Diego Linares, Toluca" with no reading of the first name
		// near the second: the first is a locality the gazetteer does not
		// know (its readings are namesakes elsewhere), and the town it is
		// in is the second.
		if (g.muchLarger(bc, g.besideTown(ac, bc)) || g.largerArea(a, ac, b, bc)) && !listGoesOn(buf, toks, b.tj) {
			a.cands = nil
		}
		return
	}
	if len(keepA) > 1 {
		keepA = g.inNamesakeArea(keepA, keepB, string(buf[toks[b.ti].nstart:toks[b.tj].nend]))
	}
	a.cands, b.cands = keepA, keepB
}

// capitalNamesake returns the places named key that lie in an admin1
// reading, also named key, among areas.
func (g *Gazetteer) capitalNamesake(key string, areas []posting) []posting {
	v, ok := g.index[key]
	if !ok || v < 0 {
		return nil
	}
	var out []posting
	for _, p := range g.postings[v] {
		e := &g.ents[p.ent]
		if e.kind != KindPlace || p.flags&flagShort != 0 {
			continue
		}
		for _, q := range areas {
			if g.ents[q.ent].kind == KindAdmin1 && e.a1 == q.ent {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// besideTown returns the readings of a name written before a town
// ("San Cristobal, Bogota") that could be meant: its places, and its
// states in the town's country. A municipality, or a state abroad, of that
// name is not what the writer places near the town.
func (g *Gazetteer) besideTown(as, towns []posting) []posting {
	out := as[:0:0]
	for _, p := range as {
		e := &g.ents[p.ent]
		switch e.kind {
		case KindPlace:
			out = append(out, p)
		case KindAdmin1:
			for _, q := range towns {
				if g.ents[q.ent].country == e.country {
					out = append(out, p)
					break
				}
			}
		case KindCountry:
			out = append(out, p)
		}
	}
	return out
}

// largerArea reports whether b, read as bc, is an area above every
// reading ac of a: a country or state ("San Cristobal, Bogota" with
// Bogota the capital district, "Simojovel, Chiapas"), or a municipality
// written as one ("Montalban, Libertador municipality"). The writer then
// says a lies in b; when no reading of a does, a is a place the gazetteer
// does not know and its namesakes elsewhere are not meant. Names of b's
// own level are items of a list ("Zacatecas, Jalisco"), not a place in it;
// so is a town whose municipality is of b's level and named like it,
// unless a itself is written as a municipality.
func (g *Gazetteer) largerArea(a *span, ac []posting, b *span, bc []posting) bool {
	if len(ac) == 0 {
		return false
	}
	level := KindPlace
	for _, q := range bc {
		level = min(level, g.ents[q.ent].kind)
	}
	switch {
	case level <= KindAdmin1:
	case level == KindAdmin2 && b.hint == KindAdmin2 && a.hint < 0:
	default:
		return false
	}
	for _, p := range ac {
		k := g.ents[p.ent].kind
		if k < level || k == level && level != KindAdmin2 {
			return false
		}
	}
	return true
}

// inNamesakeArea narrows the readings as of a name written before a
// country whose name is also one of its states ("Tenancingo, Mexico"): the
// readings in the state of that name fit both senses of the pair, and are
// kept when there are any and a town elsewhere is not far larger.
func (g *Gazetteer) inNamesakeArea(as, bs []posting, key string) []posting {
	var out []posting
	for _, q := range bs {
		if g.ents[q.ent].kind != KindCountry {
			continue
		}
		for _, p := range as {
			e := &g.ents[p.ent]
			if e.country == q.ent && e.a1 >= 0 && e.kind > KindAdmin1 && slices.Contains(adminVariants(g.ents[e.a1].name), key) {
				out = append(out, p)
			}
		}
	}
	if len(out) == 0 || g.muchLarger(as, out) {
		return as
	}
	return out
}

// narrowOf reads "X de Y" with Y a town far larger than every reading of
// X ("El Naranjo de Iguala", "La Loma de Culiacán"): X is a village or
// quarter of Y. A reading of X in Y's municipality is kept; when there is
// none, X is a place the gazetteer does not know and its namesakes
// elsewhere are dropped.
func (g *Gazetteer) narrowOf(a, b *span) {
	if !g.muchLarger(b.cands, a.cands) {
		return
	}
	keepA, keepB := g.fitting(a.cands, b.cands, true)
	if len(keepA) == 0 {
		a.cands = nil
		return
	}
	a.cands, b.cands = keepA, keepB
}

// ofHintedKind returns the readings of s of the level its words name
// ("Merida state"), or all of them when none is of that level. A town
// stands for its municipality ("Venustiano Carranza municipality"), as
// preferPlaces keeps the town for both.
func (g *Gazetteer) ofHintedKind(s *span) []posting {
	if s.hint < 0 {
		return s.cands
	}
	var out []posting
	for _, p := range s.cands {
		if k := g.ents[p.ent].kind; s.hintFits(k) || s.hint == KindAdmin2 && k == KindPlace {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return s.cands
	}
	return out
}

// fitting returns the readings of a that lie in some reading of b, and the
// readings of b that hold some reading of a. With towns, a place may lie in
// a larger town's municipality ("Eldorado, Culiacán"); otherwise only in an
// area.
func (g *Gazetteer) fitting(as, bs []posting, towns bool) (keepA, keepB []posting) {
	in := func(p, q posting) bool {
		if towns {
			return g.sameTown(p.ent, q.ent)
		}
		// "Libertador municipality in Caracas": the municipality that
		// holds the town.
		e, o := &g.ents[p.ent], &g.ents[q.ent]
		return g.within(p.ent, q.ent) || e.kind == KindAdmin2 && o.kind == KindPlace && o.a2 == p.ent
	}
	for _, q := range bs {
		for _, p := range as {
			if in(p, q) {
				keepB = append(keepB, q)
				break
			}
		}
	}
	for _, p := range as {
		for _, q := range keepB {
			if in(p, q) {
				keepA = append(keepA, p)
				break
			}
		}
	}
	return keepA, keepB
}

// listGoesOn reports whether "y", "e", "and" or "or" follows token j: the
// names before it are items of a list, not a place and its town.
func listGoesOn(buf []byte, toks []token, j int) bool {
	if j+1 >= len(toks) {
		return false
	}
	switch string(buf[toks[j+1].nstart:toks[j+1].nend]) {
	case "y", "e", "and", "or", "o":
		return true
	}
	return false
}

// muchLarger reports whether the largest reading in big is a place of at
// least 100,000 people and ten times the population of every reading in
// small, all of them places: the town a small place named before it lies
// in.
func (g *Gazetteer) muchLarger(big, small []posting) bool {
	var top int64
	for _, p := range big {
		if e := &g.ents[p.ent]; e.kind == KindPlace {
			top = max(top, int64(e.pop))
		}
	}
	if top < 100_000 || len(small) == 0 {
		return false
	}
	for _, p := range small {
		e := &g.ents[p.ent]
		if e.kind != KindPlace || int64(e.pop)*10 > top {
			return false
		}
	}
	return true
}

// sameTown reports whether place inner lies in the admin2 of place outer, a
// seat or a town of at least 100,000 people larger than inner.
func (g *Gazetteer) sameTown(inner, outer int32) bool {
	e, o := &g.ents[inner], &g.ents[outer]
	return e.kind == KindPlace && o.kind == KindPlace && e.a2 >= 0 && e.a2 == o.a2 && e.pop < o.pop &&
		(o.seat > 0 || o.pop >= 100_000)
}

// within reports whether entity inner lies in entity outer: its country,
// admin1 or admin2.
func (g *Gazetteer) within(inner, outer int32) bool {
	e, o := &g.ents[inner], &g.ents[outer]
	if e.kind <= o.kind {
		return false
	}
	switch o.kind {
	case KindCountry:
		return e.country == outer
	case KindAdmin1:
		return e.a1 == outer
	case KindAdmin2:
		return e.a2 == outer
	}
	return false
}
