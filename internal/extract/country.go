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
		if m.Kind != geo.KindCountry || !homeInstitutions[firstWord(text[m.End:])] ||
			intervening[m.Country] || acting[m.Country] {
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
