package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/testigo-project/testigo/internal/geo"
)

// maxDateline bounds the opening words read as a dateline.
const maxDateline = 96

// datelineEnd returns the byte offset where a news dateline at the start of
// text ends, or 0 when there is none. A dateline names where the report was
// filed, not where the event happened: "KABUL, Afghanistan (AP) —",
// "MOGADISHU, Somalia —", "BAGHDAD (Reuters) -", "CULIACÁN, Sin.-",
// "Ciudad de México, 3 nov (EFE).-". It is a place written in capitals, or
// any opening words closed by a news agency in parentheses, followed within
// a few words by a dash (or ".-").
func datelineEnd(text string) int {
	start := len(text) - len(strings.TrimLeft(text, " \t\r\n"))
	head := text[start:min(len(text), start+maxDateline)]
	dash := -1
	width := 0
	for _, sep := range []string{" — ", " – ", " - ", "—", "–", ".-", " -", "- "} {
		if i := strings.Index(head, sep); i > 0 && (dash < 0 || i < dash) {
			dash, width = i, len(sep)
		}
	}
	if dash < 0 {
		return 0
	}
	lead := head[:dash]
	if strings.ContainsAny(lead, "\n!?\"“”") {
		return 0
	}
	agency := strings.HasSuffix(strings.TrimSpace(lead), ")") && strings.Contains(lead, "(")
	if !agency && !capitalsFirst(lead) {
		return 0
	}
	return start + dash + width
}

// capitalsFirst reports whether s opens with a word of at least three
// letters written all in capitals ("KABUL", "CULIACÁN", "SAN JUAN") and
// holds no more than six words: a dateline, not a sentence.
func capitalsFirst(s string) bool {
	if len(strings.Fields(s)) > 6 {
		return false
	}
	letters := 0
	for _, r := range s {
		if r == ' ' || r == ',' || r == '\'' || r == '.' {
			break
		}
		if !unicode.IsLetter(r) || !unicode.IsUpper(r) {
			return false
		}
		letters++
	}
	if letters < 3 {
		return false
	}
	// A headline in capitals ("BREAKING NEWS") has no comma, agency or
	// dash-ended place; require the word to stand before a comma, a
	// parenthesis or the dash itself.
	rest := strings.TrimLeft(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZÁÉÍÓÚÜÑ'. ")
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return r == ',' || r == '('
}

// dropDateline removes the matches inside a dateline ending at end when the
// rest of the text names a place (one geo.Primary accepts): the place of filing gives way to the
// place the report tells of. With no place after it, the dateline's place
// stands.
//
// A dateline in the country of the side that acted ("WASHINGTON — U.S.
// forces struck a boat in the Caribbean") says where the government spoke,
// not where it struck: then the dateline's place is dropped even with no
// other place. raw holds every match of the text, agents included.
func dropDateline(text string, ms, raw []geo.Match, end int) []geo.Match {
	if end <= 0 {
		return ms
	}
	var after []geo.Match
	for _, m := range ms {
		if m.Start >= end {
			after = append(after, m)
		}
	}
	if _, ok := geo.Primary(text, after); ok {
		return after
	}
	for _, m := range ms {
		if m.Start >= end {
			continue
		}
		for _, a := range raw {
			if a.Start >= end && a.Kind == geo.KindCountry && a.Country == m.Country && countryActs(text, a) {
				return after
			}
		}
	}
	return ms
}
