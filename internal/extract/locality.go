package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/testigo-project/testigo/internal/geo"
)

// unlistedLocality finds the name of a place the gazetteer does not know,
// written where coders and reporters put the event's place, just before the
// area it lies in: "in El Ramie, Veracruz", "en Tocuyito, estado Carabobo",
// "in Halani town (Naushahro Feroze, Sindh)". area is the match of that
// area in text. It returns the byte span of the name.
//
// The name is one to six words after "in", "en" or "the village (town,
// city, area) of", each capitalised or a Spanish or Arabic article or
// particle between capitalised words; month and weekday names are not
// places. known holds the place names the gazetteer found, read or
// dropped: a name that overlaps one is not unlisted.
func unlistedLocality(text string, area geo.Match, known []geo.Match) (start, end int, ok bool) {
	if area.Kind != geo.KindAdmin1 && area.Kind != geo.KindAdmin2 || area.Start <= 0 || area.Start > len(text) {
		return 0, 0, false
	}
	before := text[:area.Start]
	for _, after := range []func(string) (int, bool){nameBeforeComma, nameBeforeParenthesis} {
		end, ok := after(before)
		if !ok {
			continue
		}
		start, ok := localityStart(text, end)
		if !ok {
			continue
		}
		// A known name inside a longer one ("Santa Maria" in "Santa
		// Maria de Ostula") does not make it known.
		for _, m := range known {
			if m.Start < end && m.End > start && (m.Start <= start && m.End >= end || m.Start < start || m.End > end) {
				ok = false
			}
		}
		if ok {
			return start, end, true
		}
	}
	return 0, 0, false
}

// nameBeforeComma returns where a place name ends in before, the text up
// to an area's name, when a comma separates them ("El Ramie, Veracruz").
func nameBeforeComma(before string) (int, bool) {
	s := strings.TrimRight(before, " ")
	if !strings.HasSuffix(s, ",") {
		return 0, false
	}
	s = strings.TrimRight(s[:len(s)-1], " ")
	return len(s), len(s) > 0
}

// nameBeforeParenthesis returns where a place name ends in before when a
// word such as "town" and an opening parenthesis that holds the area
// follow it ("Halani town (Naushahro Feroze, Sindh)"); the area may be the
// second name in the parenthesis.
func nameBeforeParenthesis(before string) (int, bool) {
	s := strings.TrimRight(before, " ")
	open := strings.LastIndexByte(s, '(')
	if open < 0 || len(s)-open > 64 || strings.ContainsAny(s[open+1:], "()") {
		return 0, false
	}
	s = strings.TrimRight(s[:open], " ")
	sp := strings.LastIndexByte(s, ' ')
	if sp < 0 || !localityWords[strings.ToLower(s[sp+1:])] {
		return 0, false
	}
	s = strings.TrimRight(s[:sp], " ")
	return len(s), len(s) > 0
}

// localityWords follow the name of a place and say what it is.
var localityWords = map[string]bool{"city": true, "town": true, "village": true, "area": true, "areas": true}

// localityStart walks back from end over the words of a place name and
// returns where it starts, when the word before it says a place follows.
func localityStart(text string, end int) (int, bool) {
	start, caps := end, 0
	for n := 0; n < 10; n++ {
		ws, we := prevWord(text, start)
		if ws < 0 || strings.TrimSpace(text[we:start]) != "" {
			return 0, false
		}
		lw := strings.ToLower(text[ws:we])
		if caps > 0 && placeIntro(text, ws, we) {
			return trimConnectors(text, start, end), caps <= 6
		}
		switch {
		case startsUpper(text[ws:we]):
			if f := foldString(lw); months[f] != 0 || isWeekday(f) {
				return 0, false
			}
			caps++
		case nameConnectors[lw] && caps > 0:
		default:
			return 0, false
		}
		start = ws
	}
	return 0, false
}

// trimConnectors drops lower-case articles that open the name
// text[start:end] ("la Anáhuac" is the Anáhuac neighbourhood); "El Ramie"
// keeps its article.
func trimConnectors(text string, start, end int) int {
	for {
		i := strings.IndexByte(text[start:end], ' ')
		if i < 0 || !nameConnectors[text[start:start+i]] {
			return start
		}
		start += i + 1
	}
}

// placeIntro reports whether the word text[ws:we] says a place name
// follows: "in", "en", or "of" and "de" after a word such as "village".
func placeIntro(text string, ws, we int) bool {
	switch strings.ToLower(text[ws:we]) {
	case "in", "en":
		return true
	case "of", "de":
		ps, pe := prevWord(text, ws)
		return ps >= 0 && settlementNouns[strings.ToLower(text[ps:pe])]
	}
	return false
}

// settlementNouns before "of" or "de" introduce a place's name.
var settlementNouns = map[string]bool{"village": true, "town": true, "city": true, "area": true,
	"localidad": true, "comunidad": true, "poblado": true, "ranchería": true, "rancheria": true, "ejido": true}

// nameConnectors may stand between the capitalised words of a place name.
var nameConnectors = map[string]bool{"de": true, "del": true, "la": true, "las": true, "los": true, "el": true,
	"al": true}

// prevWord returns the span of the word that ends at or before end
// (skipping spaces), or -1: letters, digits, apostrophes and hyphens.
func prevWord(text string, end int) (int, int) {
	i := end
	for i > 0 && text[i-1] == ' ' {
		i--
	}
	we := i
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-' && r != '’' {
			break
		}
		i -= size
	}
	if i == we {
		return -1, -1
	}
	return i, we
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func isWeekday(w string) bool {
	_, ok := weekdays[w]
	return ok
}

// foldString lower-cases s and removes its accents, as the word lists are
// keyed.
func foldString(s string) string {
	return strings.Map(fold, strings.ToLower(s))
}
