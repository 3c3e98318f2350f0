package extract

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/testigo-project/testigo/internal/geo"
)

// unlistedLocality finds the name of a place the gazetteer does not know,
// written where coders and reporters put the event's place, just before the
// area it lies in: "in El Ramie, Veracruz", "en Tocuyito, estado Carabobo",
// "in Halani town (Naushahro Feroze, Sindh)". area is the match of that
// area, read from text[lo:]; ws are the words of text. It returns the byte
// span of the name in text.
//
// The name is one to six capitalised words after "in", "en" or "the
// village (town, city, area) of", with articles and particles between them
// ("Santa Maria de Ostula"); month and weekday names are not places. known
// holds the names the gazetteer found in text[lo:], read or dropped: a name
// that is one of them, or overlaps one without holding it whole, is not
// unlisted.
func unlistedLocality(text string, ws []word, area geo.Match, lo int, known []geo.Match) (start, end int, ok bool) {
	if area.Kind != geo.KindAdmin1 && area.Kind != geo.KindAdmin2 {
		return 0, 0, false
	}
	at := sort.Search(len(ws), func(k int) bool { return ws[k].start >= lo+area.Start })
	if at >= len(ws) || ws[at].start != lo+area.Start {
		return 0, 0, false
	}
	for _, last := range [2]int{wordBeforeComma(text, ws, at), wordBeforeParenthesis(text, ws, at)} {
		if last < 0 {
			continue
		}
		first, ok := localityFirst(text, ws, last)
		if !ok {
			continue
		}
		start, end = ws[first].start, ws[last].end
		if !knownName(known, start-lo, end-lo) {
			return start, end, true
		}
	}
	return 0, 0, false
}

// knownName reports whether text[start:end] is a name in known, or
// overlaps one without holding it whole: "Santa Maria" inside "Santa Maria
// de Ostula" does not make the longer name known.
func knownName(known []geo.Match, start, end int) bool {
	for _, m := range known {
		inside := m.Start >= start && m.End <= end && m.End-m.Start < end-start
		if m.Start < end && m.End > start && !inside {
			return true
		}
	}
	return false
}

// wordBeforeComma returns the index of the word that ends a place name
// written before the area whose first word is ws[at], after a comma and
// perhaps a level word ("El Ramie, Veracruz", "Tocuyito, estado Carabobo"),
// or -1.
func wordBeforeComma(text string, ws []word, at int) int {
	k := at - 1
	if k >= 0 && levelWords[ws[k].fold] && strings.TrimSpace(gapBefore(text, ws, k+1)) == "" {
		k--
	}
	if k < 0 || strings.TrimSpace(gapBefore(text, ws, k+1)) != "," {
		return -1
	}
	return k
}

// wordBeforeParenthesis returns the index of the word that ends a place
// name followed by a word such as "town" and an opening parenthesis that
// holds the area, perhaps after another name ("Halani town (Naushahro
// Feroze, Sindh)"), or -1.
func wordBeforeParenthesis(text string, ws []word, at int) int {
	for k := at; k > 0 && k > at-6; k-- {
		gap := gapBefore(text, ws, k)
		if strings.ContainsAny(gap, ")") {
			return -1
		}
		if !strings.Contains(gap, "(") {
			continue
		}
		if k < 2 || !localityWords[ws[k-1].fold] || strings.TrimSpace(gapBefore(text, ws, k-1)) != "" {
			return -1
		}
		return k - 2
	}
	return -1
}

// gapBefore returns the text between word k-1 and word k.
func gapBefore(text string, ws []word, k int) string {
	return text[ws[k-1].end:ws[k].start]
}

// localityWords follow the name of a place and say what it is.
var localityWords = map[string]bool{"city": true, "town": true, "village": true, "area": true, "areas": true}

// levelWords stand between a comma and the area a place lies in.
var levelWords = map[string]bool{"estado": true, "state": true, "municipio": true, "municipality": true,
	"province": true, "provincia": true, "departamento": true, "department": true, "district": true,
	"distrito": true, "governorate": true}

// localityFirst walks back from word last over the words of a place name
// and returns the index of its first word, when the word before it says a
// place follows.
func localityFirst(text string, ws []word, last int) (int, bool) {
	first, caps := last+1, 0
	for k := last; k >= 0 && k > last-12 && caps <= 6; k-- {
		if k < last {
			if gap := gapBefore(text, ws, k+1); strings.Trim(gap, " -") != "" {
				return 0, false // a name's words are separated by spaces or hyphens
			}
		}
		w := ws[k]
		if caps > 0 && placeIntro(text, ws, k) {
			for first < last && nameConnectors[text[ws[first].start:ws[first].end]] {
				first++ // "en la Anáhuac": the Anáhuac neighbourhood
			}
			return first, true
		}
		r, _ := utf8.DecodeRuneInString(text[w.start:])
		switch {
		case unicode.IsUpper(r):
			if months[w.fold] != 0 || isWeekday(w.fold) {
				return 0, false
			}
			caps++
		case nameConnectors[w.fold] && caps > 0:
		case caps > 0 && strings.TrimSpace(gapBefore(text, ws, k+1)) == "-":
			// "Qala-e-Zal": a lower-case part of a hyphenated name.
		default:
			return 0, false
		}
		first = k
	}
	return 0, false
}

// placeIntro reports whether word k says a place name follows: "in",
// "en", or "of" and "de" after a word such as "village".
func placeIntro(text string, ws []word, k int) bool {
	switch ws[k].fold {
	case "in", "en":
		return true
	case "of", "de":
		return k > 0 && settlementNouns[ws[k-1].fold] && strings.TrimSpace(gapBefore(text, ws, k)) == ""
	}
	return false
}

// settlementNouns before "of" or "de" introduce a place's name.
var settlementNouns = map[string]bool{"village": true, "town": true, "city": true, "area": true,
	"localidad": true, "comunidad": true, "poblado": true, "rancheria": true, "ejido": true}

// nameConnectors may stand between the capitalised words of a place name;
// written in lower case at its start, they are not part of it.
var nameConnectors = map[string]bool{"de": true, "del": true, "la": true, "las": true, "los": true, "el": true,
	"al": true}

func isWeekday(w string) bool {
	_, ok := weekdays[w]
	return ok
}
