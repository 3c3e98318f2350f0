package extract

import (
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/geo"
)

// A text that names no place can still say which country it is about: an
// actor that acts in one country only (the dictionary's home country: the
// Houthis, SEDENA, al-Shabaab) or a country's own institutions named by
// its demonym ("Pakistani officials", "Somali police"). Such evidence gives
// the country only; a place named in the text always wins over it, and two
// pieces of evidence that disagree give nothing.

// homeInstitutions are words after a country name or demonym that name the
// country's own civil institutions, which act at home: "Pakistani
// officials", "Yemeni authorities", "Mexico security update". Forces,
// drones and strikes are not among them: a state's military also acts
// abroad.
var homeInstitutions = map[string]bool{
	"officials": true, "official": true, "authorities": true, "government": true, "police": true,
	"policemen": true, "policeman": true, "security": true, "interior": true, "ministry": true,
	"provincial": true, "state": true, "judiciary": true, "prosecutors": true, "lawmakers": true,
}

// militaryAfter are words after a country name or demonym that show the
// country acting by force; a country shown so in a text is the one that
// strikes, and its officials speak for the striker, not for the place.
var militaryAfter = map[string]bool{
	"drone": true, "drones": true, "military": true, "forces": true, "force": true, "troops": true,
	"army": true, "navy": true, "air": true, "airstrike": true, "airstrikes": true, "strike": true,
	"strikes": true, "missile": true, "missiles": true, "predator": true, "reaper": true, "warplanes": true,
	"jets": true, "aircraft": true, "led": true, "backed": true, "coalition": true, "soldiers": true,
	"special": true, "marines": true, "commandos": true, "raid": true, "bombers": true, "rocket": true,
	"rockets": true, "fighter": true, "artillery": true, "helicopter": true, "helicopters": true,
}

// intervening are the states whose officials and governments routinely
// speak about military operations they conduct abroad, so that their
// institutions never say where an event happened.
var intervening = map[string]bool{
	"US": true, "GB": true, "FR": true, "RU": true, "SA": true, "AE": true, "IL": true, "TR": true, "IR": true,
}

// countryWithoutPlace sets the event's country when the text (the window
// starting at byte lo of the document) names no place but names an actor
// that acts in one country only or that country's civil institutions, and
// all such evidence agrees. ms are the gazetteer's matches in the window.
func (x *Extractor) countryWithoutPlace(ev *testigo.Event, text string, lo int, ms []geo.Match, home homeHint) {
	acting := map[string]bool{}
	for _, m := range ms {
		if m.Kind == geo.KindCountry && actsByForce(text, m) {
			acting[m.Country] = true
		}
	}
	country, at := "", testigo.Span{}
	if !home.weak && home.country != "" {
		country, at = home.country, home.at
	}
	for _, m := range ms {
		next := firstWord(text[m.End:])
		if m.Kind != geo.KindCountry || acting[m.Country] ||
			!(homeInstitutions[next] && !intervening[m.Country] || placeNouns[next]) {
			continue
		}
		if country != "" && country != m.Country {
			return // the evidence disagrees
		}
		if country == "" {
			rest := strings.TrimLeft(text[m.End:], " ")
			end := len(text) - len(rest) + len(firstWordRaw(rest)) // "Pakistani officials"
			country, at = m.Country, testigo.Span{Start: lo + m.Start, End: lo + end, Quote: text[m.Start:end]}
		}
	}
	if country == "" {
		return
	}
	ev.Country = country
	ev.Evidence["country"] = at
}

// forceBefore are Spanish phrases before a country's name that show it
// acting by force: "fuerzas de Estados Unidos", "un ataque de Israel".
var forceBefore = []string{"ataque de", "ataques de", "bombardeo de", "bombardeos de", "fuerzas de",
	"ejército de", "militares de", "fuerzas", "tropas", "militares", "aviones", "buques", "drones de"}

// actsByForce reports whether the country match m is written as acting
// by force: "US drone", "Saudi forces", "tropas estadounidenses".
func actsByForce(text string, m geo.Match) bool {
	if militaryAfter[firstWord(text[m.End:])] {
		return true
	}
	before := strings.ToLower(strings.TrimRight(text[max(0, m.Start-24):m.Start], " "))
	for _, p := range forceBefore {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	return false
}

// firstWordRaw returns s up to its first space or punctuation.
func firstWordRaw(s string) string {
	end := strings.IndexAny(s, " ,.;:()\"'\n\t")
	if end < 0 {
		return s
	}
	return s[:end]
}

// firstWord returns the first word of s in lower case.
func firstWord(s string) string {
	return strings.ToLower(firstWordRaw(strings.TrimLeft(s, " ")))
}

// placeNouns follow a country's adjective that places the event in it:
// "the southern Philippine city of Marawi", "a Syrian village".
var placeNouns = map[string]bool{
	"city": true, "town": true, "village": true, "villages": true, "province": true, "capital": true,
	"port": true, "region": true, "district": true, "border": true, "governorate": true,
}

// placeNounsEs come before a country's adjective in Spanish: "la ciudad
// ecuatoriana de Guayaquil", "la región sudanesa de Darfur".
var placeNounsEs = map[string]bool{
	"ciudad": true, "localidad": true, "provincia": true, "capital": true, "region": true,
	"municipio": true, "pueblo": true, "departamento": true, "estado": true, "poblado": true,
}

// placeNounBefore reports whether the text before a match ends with a
// Spanish place noun ("la ciudad").
func placeNounBefore(before string) bool {
	before = strings.TrimRight(before, " ")
	i := strings.LastIndexAny(before, " ,.;:()\"'\n\t")
	return placeNounsEs[strings.Map(fold, before[i+1:])]
}

// demonymHome reads the country the text places itself in by a country's
// adjective before an institution or a place noun ("Honduran police", "the
// Iraqi city of"), so that ambiguous names are read there. It returns
// false when no such words are found or when they name different countries.
func demonymHome(text string, ms []geo.Match) (string, testigo.Span, bool) {
	country, at := "", testigo.Span{}
	for _, m := range ms {
		if m.Kind != geo.KindCountry || actsByForce(text, m) {
			continue
		}
		next := firstWord(text[m.End:])
		if !(homeInstitutions[next] && !intervening[m.Country] || placeNouns[next] || placeNounBefore(text[:m.Start])) {
			continue
		}
		if country != "" && country != m.Country {
			return "", testigo.Span{}, false
		}
		if country == "" {
			end := m.End
			if !placeNounBefore(text[:m.Start]) {
				rest := strings.TrimLeft(text[m.End:], " ")
				end = len(text) - len(rest) + len(firstWordRaw(rest)) // "Honduran police"
			}
			country, at = m.Country, testigo.Span{Start: m.Start, End: end, Quote: text[m.Start:end]}
		}
	}
	return country, at, country != ""
}
