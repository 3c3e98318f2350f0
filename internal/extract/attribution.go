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

// attributions reads who the text says its claims come from.
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
			if ws[i].cls&clsSay != 0 {
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
			if ws[i].cls&clsSource != 0 {
				kind := sourceNouns[f]
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
				} else if f == "source" || f == "fuente" || f == "official" || f == "funcionario" {
					a.Count = 1
				}
				// Named people stay named: "official John Smith".
				if i+2 < s.last && isCapitalized(text, ws[i+1]) && isCapitalized(text, ws[i+2]) {
					a.Anonymous = false
				}
				add(a, ws[j].start, ws[i].end)
				continue
			}
			// "Defense Secretary Pete Hegseth said", "el gobernador Rubén
			// Rocha informó": a named official.
			if ws[i].cls&clsTitle != 0 {
				end := i + 1
				for end < s.last && end < i+4 && isCapitalized(text, ws[end]) && !punctBetween(text, ws[end-1], ws[end], true) {
					end++
				}
				if end > i+1 && end < s.last && ws[end].cls&clsSay != 0 {
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
			// "according to X", "según X", "de acuerdo con X"
			k := -1
			switch {
			case f == "according" && i+1 < s.last && ws[i+1].fold == "to":
				k = i + 2
			case f == "segun":
				k = i + 1
			case f == "de" && i+2 < s.last && ws[i+1].fold == "acuerdo" && (ws[i+2].fold == "con" || ws[i+2].fold == "a"):
				k = i + 3
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
					noun = noun || isNoun
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
		case f == "news" || f == "times" || f == "post" || f == "reuters" || f == "afp" || f == "ap" || f == "bbc" ||
			f == "cnn" || f == "nbc" || f == "cbs" || f == "abc" || f == "press" || f == "tv" || f == "radio" || f == "journal" ||
			f == "periodico" || f == "diario" || f == "medios" || f == "media" || f == "reports" || f == "publication":
			a.Kind = "media"
		case sourceNouns[f] != "":
			a.Kind = sourceNouns[f]
			a.Anonymous = true
		}
		if _, ok := x.actors.longestAt(ws, i); ok && a.Kind == "source" {
			a.Kind = "agency"
		}
	}
	return a
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
	return strings.ContainsAny(text[a.end:b.start], ",.;:()")
}

func isCapitalized(text string, w word) bool {
	for _, r := range text[w.start:w.end] {
		return unicode.IsUpper(r)
	}
	return false
}
