package extract

import (
	"strings"
	"unicode"

	"github.com/testigo-project/testigo"
)

// Nouns for the people a claim is attributed to, and their kind.
var sourceNouns = map[string]string{
	"officials": "official", "official": "official", "funcionarios": "official", "funcionario": "official",
	"autoridades": "official", "authorities": "official", "spokesman": "official", "spokesperson": "official",
	"spokeswoman": "official", "vocero": "official", "portavoz": "official",
	"sources": "source", "source": "source", "fuentes": "source", "fuente": "source",
	"residents": "witness", "witnesses": "witness", "testigos": "witness", "vecinos": "witness", "locals": "witness",
	"pobladores": "witness", "habitantes": "witness", "familiares": "witness", "relatives": "witness",
}

// Titles before the name of an official who speaks.
var titleWords = map[string]bool{
	"secretary": true, "minister": true, "president": true, "governor": true, "spokesman": true, "spokeswoman": true,
	"general": true, "commander": true, "admiral": true, "senator": true, "mayor": true, "ambassador": true,
	"secretario": true, "secretaria": true, "ministro": true, "ministra": true, "presidente": true, "presidenta": true,
	"gobernador": true, "gobernadora": true, "fiscal": true, "alcalde": true, "alcaldesa": true, "vocero": true,
	"senador": true, "embajador": true, "almirante": true, "comandante": true,
}

// Words that may describe those sources: "two current and two former US officials".
var sourceModifiers = map[string]bool{
	"current": true, "former": true, "senior": true, "military": true, "intelligence": true, "security": true,
	"government": true, "administration": true, "us": true, "u": true, "s": true, "american": true, "mexican": true,
	"pakistani": true, "afghan": true, "yemeni": true, "somali": true, "venezuelan": true, "colombian": true,
	"local": true, "state": true, "federal": true, "defense": true, "police": true, "western": true, "tribal": true,
	"and": true, "anonymous": true, "unnamed": true, "knowledgeable": true, "other": true, "several": true,
	"estadounidenses": true, "mexicanos": true, "militares": true, "locales": true, "federales": true, "estatales": true,
	"de": true, "seguridad": true, "inteligencia": true, "gobierno": true, "y": true, "exfuncionarios": true, "actuales": true,
	"the": true, "publication's": true, "publications": true,
}

// Verbs of saying, folded.
var sayVerbs = map[string]bool{
	"said": true, "says": true, "told": true, "reported": true, "reports": true, "confirmed": true, "announced": true,
	"stated": true, "claimed": true, "added": true, "according": true, "note": true, "noted": true, "denied": true,
	"dijo": true, "dijeron": true, "informo": true, "informaron": true, "reporto": true, "reportaron": true,
	"senalo": true, "senalaron": true, "confirmo": true, "confirmaron": true, "segun": true, "indico": true,
	"indicaron": true, "afirmo": true, "aseguro": true, "nego": true, "denunciaron": true, "denuncio": true,
}

// Words that head the name of an institution that speaks: "the Defense
// Ministry", "la Secretaría de Marina", "the state attorney general's office".
var institutionWords = map[string]bool{
	"secretaria": true, "fiscalia": true, "ministerio": true, "ministry": true, "department": true, "departamento": true,
	"command": true, "comando": true, "office": true, "procuraduria": true, "comision": true, "commission": true,
	"government": true, "gobierno": true, "embassy": true, "embajada": true, "ayuntamiento": true, "army": true,
	"ejercito": true, "police": true, "policia": true, "navy": true, "armada": true, "agency": true, "agencia": true,
	"pentagon": true, "pentagono": true, "military": true, "forces": true, "fuerza": true, "guard": true, "guardia": true,
	"observatory": true, "observatorio": true, "council": true, "consejo": true, "prosecutors": true,
	"coordinacion": true, "direccion": true, "vocera": true, "vocero": true,
}

// Lower-case words that may stand inside such a name.
var institutionLower = map[string]bool{
	"state": true, "federal": true, "attorney": true, "general": true, "generals": true, "interior": true,
	"defense": true, "defence": true, "foreign": true, "health": true, "estatal": true, "municipal": true,
	"nacional": true, "federales": true, "estatales": true,
}

// Words that make a source a news outlet.
var mediaWords = map[string]bool{
	"news": true, "times": true, "post": true, "reuters": true, "afp": true, "ap": true, "bbc": true, "cnn": true,
	"nbc": true, "cbs": true, "abc": true, "press": true, "tv": true, "radio": true, "journal": true, "periodico": true,
	"diario": true, "medios": true, "media": true, "reports": true, "publication": true, "efe": true, "univision": true,
	"televisa": true, "milenio": true, "universal": true, "reforma": true, "proceso": true, "jornada": true,
	"telemundo": true, "fox": true, "axios": true, "politico": true, "guardian": true, "bloomberg": true,
}

// Spanish verbs of saying that may come before their subject: "informó
// la Secretaría de Marina".
var sayFirstVerbs = map[string]bool{
	"dijo": true, "dijeron": true, "informo": true, "informaron": true, "reporto": true, "reportaron": true,
	"senalo": true, "senalaron": true, "confirmo": true, "confirmaron": true, "indico": true, "indicaron": true,
	"afirmo": true, "aseguro": true, "nego": true, "denunciaron": true, "denuncio": true, "detallo": true,
}

// Singular source nouns: one person.
var oneSource = map[string]bool{
	"source": true, "fuente": true, "official": true, "funcionario": true, "spokesman": true, "spokeswoman": true,
	"spokesperson": true, "vocero": true, "portavoz": true, "person": true, "persona": true,
}

// Words that may follow a source noun and describe it: "fuentes de
// seguridad", "autoridades federales", "familiares de las víctimas".
var sourceTailWords = map[string]bool{
	"federales": true, "estatales": true, "militares": true, "locales": true, "estadounidenses": true,
	"mexicanos": true, "mexicanas": true, "oficiales": true, "policiales": true, "policiacas": true,
	"castrenses": true, "ministeriales": true, "municipales": true, "venezolanos": true, "colombianas": true,
	"colombianos": true, "anonimas": true, "federal": true, "estatal": true, "militar": true, "local": true,
	"estadounidense": true, "mexicano": true, "venezolanas": true, "navales": true, "diplomaticas": true,
}

// Nouns after "de" that describe a source: "fuentes de seguridad".
var sourceOfWords = map[string]bool{
	"seguridad": true, "inteligencia": true, "gobierno": true, "victimas": true, "victima": true, "dependencia": true,
	"corporacion": true, "defensa": true, "marina": true, "ejercito": true, "fallecidos": true, "occisos": true,
}

// attributions reads who the text says its claims come from, with the span
// of each.
func (x *Extractor) attributions(text string, ws []word, sents []sentence) ([]testigo.Attribution, []testigo.Span) {
	var (
		out   []testigo.Attribution
		spans []testigo.Span
		seen  = map[string]bool{}
	)
	add := func(a testigo.Attribution, start, end int) {
		a.Text = text[start:end]
		key := strings.ToLower(a.Text)
		if seen[key] || len(out) >= 12 {
			return
		}
		for _, sp := range spans {
			if start < sp.End && sp.Start < end {
				return // overlaps one already read
			}
		}
		seen[key] = true
		out = append(out, a)
		spans = append(spans, testigo.Span{Start: start, End: end, Quote: a.Text})
	}
	for _, s := range sents {
		hasSay := false
		for i := s.first; i < s.last; i++ {
			if ws[i].cls&clsSay != 0 || ws[i].fold == "acuerdo" || ws[i].fold == "citing" || ws[i].fold == "citando" {
				hasSay = true
				break
			}
		}
		if !hasSay {
			continue
		}
		for i := s.first; i < s.last; i++ {
			f := ws[i].fold
			// "two current and two former US officials", "a source", "según fuentes"
			person := (f == "people" || f == "person" || f == "personas" || f == "persona") && i+1 < s.last &&
				(ws[i+1].fold == "familiar" || ws[i+1].fold == "briefed" || ws[i+1].fold == "cercanas" || ws[i+1].fold == "cercanos" ||
					ws[i+1].fold == "with" && i+2 < s.last && ws[i+2].fold == "knowledge")
			if ws[i].cls&clsSource != 0 || person {
				kind := sourceNouns[f]
				if person {
					kind = "source"
				}
				j := i
				total, sawNumber := 0, false
				for j > s.first {
					g := ws[j-1].fold
					if n, used := readNumber(ws, j-1); used == 1 && n.lo < 1000 {
						total += n.lo
						sawNumber = true
						j--
						continue
					}
					if sourceModifiers[g] || g == "a" || g == "an" {
						j--
						continue
					}
					break
				}
				// Trim leading glue words.
				for j < i && (ws[j].fold == "and" || ws[j].fold == "the" || ws[j].fold == "de" || ws[j].fold == "y") {
					j++
				}
				a := testigo.Attribution{Kind: kind, Anonymous: true}
				if sawNumber {
					a.Count = total
				} else if oneSource[f] {
					a.Count = 1
				}
				end := sourceTail(text, ws, i+1, s.last)
				// Named people stay named: "military spokesman Yahya Saree".
				if end == i+1 && i+2 < s.last && isCapitalized(text, ws[i+1]) && isCapitalized(text, ws[i+2]) &&
					!punctBetween(text, ws[i], ws[i+1], true) {
					a.Anonymous = false
					for end < s.last && end < i+4 && isCapitalized(text, ws[end]) && !punctBetween(text, ws[end-1], ws[end], true) {
						end++
					}
				}
				add(a, ws[j].start, ws[end-1].end)
				i = end - 1
				continue
			}
			// "Defense Secretary Pete Hegseth said", "el gobernador Rubén
			// Rocha informó": a named official.
			if ws[i].cls&clsTitle != 0 {
				if end, named := titledName(text, ws, i, s.last); named && end < s.last && ws[end].cls&clsSay != 0 {
					start := i
					for start > s.first && start > i-3 && isCapitalized(text, ws[start-1]) && !isGlue(ws[start-1].fold) &&
						!punctBetween(text, ws[start-1], ws[start], true) {
						start--
					}
					add(testigo.Attribution{Kind: "official", Count: 1}, ws[start].start, ws[end-1].end)
					i = end
					continue
				}
			}
			// "Southern Command said", "La Sedena negó", "informó la
			// Secretaría de Marina", "told NBC News".
			if ws[i].cls&clsSay != 0 && f != "according" && f != "segun" &&
				!(f == "claimed" && i+1 < s.last && (ws[i+1].fold == "responsibility" || ws[i+1].fold == "credit")) {
				if start, end, ok := x.namedBefore(text, ws, s.first, i); ok && !x.sameActor(ws, start, i, seen) {
					add(x.classifySource(ws, start, i), ws[start].start, end)
				}
				if sayFirstVerbs[f] || f == "told" {
					if from, to, ok := x.namedAfter(text, ws, i+1, s.last, f == "told"); ok && !x.sameActor(ws, from, to, seen) {
						add(x.classifySource(ws, from, to), ws[from].start, ws[to-1].end)
						i = to - 1
						continue
					}
				}
			}
			// "according to X", "según X", "de acuerdo con X"
			k := -1
			switch {
			case f == "according" && i+1 < s.last && ws[i+1].fold == "to":
				k = i + 2
			case f == "segun":
				k = i + 1
			case f == "de" && i+2 < s.last && ws[i+1].fold == "acuerdo" && (ws[i+2].fold == "con" || ws[i+2].fold == "a"):
				k = i + 3
			case f == "citing" || f == "citando" && i+1 < s.last && ws[i+1].fold == "a":
				k = i + 1
				if f == "citando" {
					k++
				}
			}
			if k >= 0 && k+1 < s.last && isGlue(ws[k].fold) && ws[k+1].cls&clsTitle != 0 {
				k++ // "según el ministro de Defensa, Vladimir Padrino López"
			}
			if k >= 0 && k < s.last && ws[k].cls&clsTitle != 0 {
				if end, named := titledName(text, ws, k, s.last); named {
					add(testigo.Attribution{Kind: "official", Count: 1}, ws[k].start, ws[end-1].end)
					i = end - 1
					continue
				}
			}
			if k >= 0 && k < s.last {
				end := k
				for end < s.last && end < k+7 && !punctBetween(text, ws[end-1], ws[end], end > k) {
					end++
				}
				for end > k+1 && isGlue(ws[end-1].fold) {
					end--
				}
				noun := false
				for q := k; q < end; q++ {
					_, isNoun := sourceNouns[ws[q].fold]
					noun = noun || isNoun || ws[q].fold == "people" || ws[q].fold == "personas"
				}
				if end > k && !noun {
					// Sources named by a noun ("three officials") are read
					// with their count when the loop reaches the noun.
					add(x.classifySource(ws, k, end), ws[k].start, ws[end-1].end)
				}
			}
		}
	}
	return out, spans
}

// classifySource decides whether a named source is an agency, a news outlet
// or an official.
func (x *Extractor) classifySource(ws []word, from, to int) testigo.Attribution {
	a := testigo.Attribution{Kind: "source"}
	for i := from; i < to; i++ {
		f := ws[i].fold
		switch {
		case mediaWords[f]:
			a.Kind = "media"
		case sourceNouns[f] != "":
			a.Kind = sourceNouns[f]
			a.Anonymous = true
		}
		if a.Kind == "source" && institutionWords[f] {
			a.Kind = "agency"
		}
		if _, ok := x.actors.longestAt(ws, i); ok && a.Kind == "source" {
			a.Kind = "agency"
		}
	}
	return a
}

// sameActor reports whether words from..to name a dictionary actor already
// read as a source ("U.S. Africa Command said …; AFRICOM said"), and marks
// it read.
func (x *Extractor) sameActor(ws []word, from, to int, seen map[string]bool) bool {
	for q := from; q < to; q++ {
		if h, ok := x.actors.longestAt(ws, q); ok && h.j == to {
			key := "actor:" + h.value.name
			if seen[key] {
				return true
			}
			seen[key] = true
			return false
		}
	}
	return false
}

// isSourceName reports whether words from..to name an institution, an
// outlet or a dictionary actor; with mediaOnly, an outlet only.
func (x *Extractor) isSourceName(ws []word, from, to int, mediaOnly bool) bool {
	for q := from; q < to; q++ {
		if mediaWords[ws[q].fold] {
			return true
		}
		if mediaOnly {
			continue
		}
		if institutionWords[ws[q].fold] {
			return true
		}
		if h, ok := x.actors.longestAt(ws, q); ok && h.j <= to && !genericActors[h.value.name] {
			return true
		}
	}
	return false
}

// nameWord reports whether ws[q] may stand in the name of an institution
// or outlet: a capitalised word or a word of such names.
func nameWord(text string, w word) bool {
	return isCapitalized(text, w) || institutionWords[w.fold] || institutionLower[w.fold] || mediaWords[w.fold]
}

// namedBefore reads the name of an institution or outlet that ends just
// before the verb of saying at v: "Southern Command said", "the Defense
// Ministry said", "La Fuerza Armada Nacional Bolivariana (FANB) informó".
// It returns the first word and the byte offset where the name ends.
func (x *Extractor) namedBefore(text string, ws []word, first, v int) (start, end int, ok bool) {
	k := v - 1
	if k < first {
		return 0, 0, false
	}
	end = ws[k].end
	if strings.HasPrefix(text[end:ws[v].start], ")") && k-1 >= first &&
		strings.Contains(text[ws[k-1].end:ws[k].start], "(") && isCapitalized(text, ws[k]) {
		end++ // "(FANB)": the acronym after the name
		k--
	} else if punctBetween(text, ws[k], ws[v], true) {
		return 0, 0, false
	}
	start = k + 1
	for q := k; q >= first && k-q < 8; q-- {
		if q < k && punctBetween(text, ws[q], ws[q+1], true) {
			break
		}
		glue := isGlue(ws[q].fold) && q < k && q > first && isCapitalized(text, ws[q-1])
		if !nameWord(text, ws[q]) && !glue {
			break
		}
		start = q
	}
	for start <= k && (isGlue(ws[start].fold) || ws[start].fold == "un" || ws[start].fold == "una") {
		start++
	}
	if start > k || !x.isSourceName(ws, start, k+1, false) {
		return 0, 0, false
	}
	return start, end, true
}

// namedAfter reads the name of an institution or outlet that starts at
// word from, after a verb of saying: "informó la Secretaría de Seguridad
// Pública estatal", "told NBC News". It returns the word range.
func (x *Extractor) namedAfter(text string, ws []word, from, last int, mediaOnly bool) (int, int, bool) {
	if from < last && (ws[from].fold == "la" || ws[from].fold == "el" || ws[from].fold == "los" || ws[from].fold == "las") {
		from++
	}
	if from >= last || !isCapitalized(text, ws[from]) || punctBetween(text, ws[from-1], ws[from], true) {
		return 0, 0, false
	}
	to := from
	for to < last && to-from < 9 {
		if to > from && punctBetween(text, ws[to-1], ws[to], true) {
			break
		}
		glue := isGlue(ws[to].fold) && to > from && to+1 < last && isCapitalized(text, ws[to+1])
		if !nameWord(text, ws[to]) && !glue {
			break
		}
		to++
	}
	if !x.isSourceName(ws, from, to, mediaOnly) {
		return 0, 0, false
	}
	return from, to, true
}

// sourceTail returns the word after the words that describe a source noun
// ending before word k: "familiar with the matter", "de seguridad",
// "federales", "de las víctimas".
func sourceTail(text string, ws []word, k, last int) int {
	if k >= last || punctBetween(text, ws[k-1], ws[k], true) {
		return k
	}
	switch ws[k].fold {
	case "familiar", "briefed", "cercanas", "cercanos", "close", "with":
		// "familiar with the matter", "cercanas a la investigación"
		end := k + 1
		for end < last && end < k+6 && !punctBetween(text, ws[end-1], ws[end], true) && ws[end].cls&clsSay == 0 &&
			ws[end].fold != "who" && ws[end].fold != "que" && ws[end].fold != "and" && ws[end].fold != "y" {
			end++
		}
		return end
	}
	for k < last && !punctBetween(text, ws[k-1], ws[k], true) {
		switch {
		case sourceTailWords[ws[k].fold]:
			k++
			continue
		case ws[k].fold == "de" || ws[k].fold == "del":
			q := k + 1
			if q < last && (ws[q].fold == "la" || ws[q].fold == "las" || ws[q].fold == "los" || ws[q].fold == "el") {
				q++
			}
			if q < last && sourceOfWords[ws[q].fold] && !punctBetween(text, ws[q-1], ws[q], true) {
				k = q + 1
				continue
			}
		}
		break
	}
	return k
}

// titledName reads a title and the name after it from word i: "Defense
// Secretary Pete Hegseth", "secretario de Seguridad, Omar García Harfuch",
// "ministro de Defensa, Vladimir Padrino López". It returns the word after
// the name and whether a name was found.
func titledName(text string, ws []word, i, last int) (int, bool) {
	k := i + 1
	if k < last && (ws[k].fold == "de" || ws[k].fold == "del" || ws[k].fold == "of") && !punctBetween(text, ws[k-1], ws[k], true) {
		// The portfolio: "de Seguridad", "de la Defensa Nacional", "of State".
		q := k + 1
		if q < last && (ws[q].fold == "la" || ws[q].fold == "el" || ws[q].fold == "the") {
			q++
		}
		n := 0
		for q < last && n < 5 && !punctBetween(text, ws[q-1], ws[q], true) && (isCapitalized(text, ws[q]) ||
			(ws[q].fold == "y" || ws[q].fold == "and" || ws[q].fold == "de") && q+1 < last && isCapitalized(text, ws[q+1])) {
			q++
			n++
		}
		if n > 0 {
			k = q
		}
	}
	q, n := k, 0
	for q < last && n < 4 && isCapitalized(text, ws[q]) {
		if punctBetween(text, ws[q-1], ws[q], true) && (q > k || strings.TrimSpace(text[ws[q-1].end:ws[q].start]) != ",") {
			break
		}
		q++
		n++
	}
	if n == 0 {
		return k, false
	}
	return q, true
}

func isGlue(w string) bool {
	switch w {
	case "the", "a", "of", "and", "de", "la", "el", "los", "las", "y", "del", "who", "que", "on", "in", "en":
		return true
	}
	return false
}

// punctBetween reports whether punctuation separates two adjacent words.
func punctBetween(text string, a, b word, check bool) bool {
	if !check {
		return false
	}
	between := text[a.end:b.start]
	if strings.HasPrefix(between, ".") && a.end-a.start == 1 && 'A' <= text[a.start] && text[a.start] <= 'Z' {
		between = between[1:] // "U.S. officials": the dot of an abbreviation
	}
	return strings.ContainsAny(between, ",.;:()\n")
}

func isCapitalized(text string, w word) bool {
	for _, r := range text[w.start:w.end] {
		return unicode.IsUpper(r)
	}
	return false
}
