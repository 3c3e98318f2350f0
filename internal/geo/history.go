package geo

import "strings"

// Pakistan's Federally Administered Tribal Areas (FATA) were a first-level
// area until the 25th Amendment merged them into Khyber Pakhtunkhwa on 31
// May 2018. The gazetteer follows today's boundaries; Admin1On gives the
// name that was in force when an event happened.
const (
	fataName   = "Federally Administered Tribal Areas"
	fataMerged = "2018-05-31"
)

// tribalAdmin2 are the canonical names of the former agencies and frontier
// regions, as this gazetteer spells them.
var tribalAdmin2 = map[string]bool{
	"North Waziristan": true, "South Waziristan": true, "Khyber Agency": true, "Kurram District": true,
	"Orakzai Agency": true, "Mohmand Agency": true, "Bajaur": true, "Bannu Tribal Area": true,
	"Tank Frontier Region": true, "Peshawar Frontier Region": true, "Tribal Area Adjoining Kohat District": true,
	"Dera Ismail Khan Tribal Area": true, "Lakki Marwat Tribal Area": true,
}

// fataMentions are folded names of the tribal areas as a whole.
var fataMentions = map[string]bool{"fata": true, "federally administered tribal areas": true,
	"federally administered tribal area": true, "tribal areas": true, "tribal area": true}

// preMergerWords are words only reporting from before the merger uses for
// the tribal areas: agencies became tribal districts in 2018.
var preMergerWords = []string{"agency", "fata", "tribal area", "frontier region"}

// Admin1On returns the admin1 name to report for m, found in text, for an
// event on day (YYYY-MM-DD, or "" when the date is unknown). It differs
// from m.Admin1 (or m.Name for an admin1 match) only for Pakistan's former
// tribal areas: before the merger, or with no date in a text that uses the
// pre-merger words ("Khyber Agency", "FATA"), they are the Federally
// Administered Tribal Areas. With no date and no such word the province is
// unknown, and Admin1On returns "": the text does not say whether the event
// happened before or after the merger, and either name would be a guess.
func Admin1On(m Match, text, day string) string {
	a1 := m.Admin1
	if m.Kind == KindAdmin1 {
		a1 = m.Name
	}
	if m.Country != "PK" || a1 != "Khyber Pakhtunkhwa" {
		return a1
	}
	tribal := tribalAdmin2[m.Admin2]
	if m.Kind == KindAdmin1 && m.Start >= 0 && m.End <= len(text) && m.Start <= m.End {
		tribal = fataMentions[foldKey(text[m.Start:m.End])]
	}
	if !tribal {
		return a1
	}
	if day != "" {
		if day < fataMerged {
			return fataName
		}
		return a1
	}
	lower := strings.ToLower(text)
	for _, w := range preMergerWords {
		if strings.Contains(lower, w) {
			return fataName
		}
	}
	return ""
}
