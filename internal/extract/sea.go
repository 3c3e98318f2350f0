package extract

import (
	"strings"

	"github.com/testigo-project/testigo"
)

// seaNames maps the folded ways English and Spanish news name a sea, in
// the order they are tried (longer names first), to the name reported.
// One name per sea, so that reports of one strike that say "eastern
// Pacific" and "el Pacífico" place it alike; the quote keeps the words.
// Strikes on boats happen there, in no country: the gazetteer holds no
// seas, and these words must not send the reader to a country named
// elsewhere in the text.
var seaNames = []struct{ phrase, name string }{
	{"eastern pacific", "Pacific Ocean"},
	{"east pacific", "Pacific Ocean"},
	{"pacifico oriental", "Pacific Ocean"},
	{"pacific ocean", "Pacific Ocean"},
	{"oceano pacifico", "Pacific Ocean"},
	{"caribbean sea", "Caribbean Sea"},
	{"mar caribe", "Caribbean Sea"},
	{"southern caribbean", "Caribbean Sea"},
	{"caribbean", "Caribbean Sea"},
	{"el caribe", "Caribbean Sea"},
	{"gulf of mexico", "Gulf of Mexico"},
	{"gulf of america", "Gulf of Mexico"},
	{"golfo de mexico", "Gulf of Mexico"},
	{"red sea", "Red Sea"},
	{"mar rojo", "Red Sea"},
	{"gulf of aden", "Gulf of Aden"},
	{"golfo de aden", "Gulf of Aden"},
	{"arabian sea", "Arabian Sea"},
	{"mediterranean", "Mediterranean Sea"},
	{"mediterraneo", "Mediterranean Sea"},
	{"persian gulf", "Persian Gulf"},
	{"golfo persico", "Persian Gulf"},
	{"black sea", "Black Sea"},
	{"mar negro", "Black Sea"},
	{"international waters", "international waters"},
	{"aguas internacionales", "international waters"},
	{"the pacific", "Pacific Ocean"},
	{"el pacifico", "Pacific Ocean"},
}

// seaInSentence finds the first sea named in words first..last of ws (a
// sentence) and returns its reported name and the quoted span.
func seaInSentence(text string, ws []word, first, last int) (string, testigo.Span, bool) {
	for i := first; i < last; i++ {
		for _, sn := range seaNames {
			parts := strings.Fields(sn.phrase)
			if i+len(parts) > last {
				continue
			}
			ok := true
			for k, p := range parts {
				if ws[i+k].fold != p {
					ok = false
					break
				}
			}
			if ok && seaUse(text, ws, i, i+len(parts), last) {
				end := ws[i+len(parts)-1].end
				return sn.name, span(text, ws[i].start, end), true
			}
		}
	}
	return "", testigo.Span{}, false
}

// atSea reports a sea named in the event's sentence as its location when
// no place of that sentence was read: "a strike on a boat in the eastern
// Pacific" happened in no country, whatever countries the rest of the text
// names. A place in the sentence itself ("off Venezuela", "frente a las
// costas de Sinaloa") keeps its reading.
func atSea(ev *testigo.Event, text string, ws []word, s sentence) {
	name, at, ok := seaInSentence(text, ws, s.first, s.last)
	if !ok {
		return
	}
	if c, has := ev.Evidence["country"]; has && c.Basis == "" && c.Start >= s.start && c.End <= s.end {
		if ev.Lat != nil || ev.Admin1 != "" {
			return // a place on land the sentence names
		}
		if offShore(text[max(s.start, c.Start-32):c.Start]) {
			// "in the Pacific off Ecuador": the country the boat was off,
			// and the sea it was in.
			ev.Location = name
			ev.Evidence["location"] = at
			return
		}
	}
	ev.Country, ev.Admin1, ev.Admin2 = "", "", ""
	ev.Lat, ev.Lon = nil, nil
	for _, k := range []string{"country", "admin1", "admin2", "location"} {
		delete(ev.Evidence, k)
	}
	ev.Location = name
	ev.Evidence["location"] = at
}

// offShore reports whether the words just before a place put a boat beside
// it: "off", "coast", "costa(s)", "frente a", "near".
func offShore(before string) bool {
	b := strings.ToLower(before)
	for _, w := range []string{"off ", "coast of ", "coasts of ", "costa de ", "costas de ", "frente a ", "near ", "cerca de "} {
		if strings.Contains(b, w) {
			return true
		}
	}
	return false
}

// landWords after a sea's name make it the name of something on land: "Red
// Sea port", "Black Sea neighbourhood", "Pacific coast".
var landWords = map[string]bool{
	"port": true, "city": true, "coast": true, "coastal": true, "neighbourhood": true, "neighborhood": true,
	"region": true, "state": true, "department": true, "province": true, "street": true, "district": true,
	"town": true, "village": true, "costa": true, "region's": true, "resort": true, "island": true, "islands": true,
}

// seaUse reports whether words i..j (a sea's name, in a sentence ending
// at word last) name the sea itself: not followed by a land word, and,
// when the name opens with an article, written in lower case ("in the
// Pacific", not "Colonia El Pacífico").
func seaUse(text string, ws []word, i, j, last int) bool {
	if j < last && landWords[ws[j].fold] {
		return false
	}
	if f := ws[i].fold; f == "the" || f == "el" {
		if c := text[ws[i].start]; c >= 'A' && c <= 'Z' {
			return false
		}
	}
	return true
}
