package extract

import (
	"fmt"
	"strings"

	"github.com/testigo-project/testigo"
)

// genericActors are dictionary names that say what armed people are, not
// whose: "gunmen of the Gulf Cartel", "al-Shabaab militants" name one
// actor, the cartel or the group.
var genericActors = map[string]bool{
	"Gunmen": true, "Militants": true, "Rebels": true, "Military forces": true, "Security forces": true,
	"Drug cartels": true, "Drug traffickers": true,
}

// tiedBy are the participles after which "by"/"por" names whom the thing
// struck belongs to, not who struck it: "a boat operated by Tren de Aragua".
var tiedBy = map[string]bool{
	"operated": true, "owned": true, "run": true, "crewed": true, "controlled": true, "used": true, "chartered": true,
	"operada": true, "operado": true, "operadas": true, "operados": true, "tripulada": true, "tripulado": true,
	"controlada": true, "controlado": true, "utilizada": true, "utilizado": true, "propiedad": true,
}

// strikeNouns are the words a country's adjective turns into a strike by
// its forces: "a suspected U.S. drone strike", "un bombardeo estadounidense".
var strikeNouns = map[string]bool{
	"drone": true, "drones": true, "strike": true, "strikes": true, "airstrike": true, "airstrikes": true,
	"raid": true, "raids": true, "missile": true, "missiles": true,
	"dron": true, "ataque": true, "ataques": true, "bombardeo": true, "bombardeos": true,
}

// usMilitary is the actor a US strike is attributed to.
var usMilitary = actorDef{name: "US military", group: "United States"}

// usStrikeAt reads "U.S. drone strike", "US airstrikes", "American drone"
// at word i and "bombardeo estadounidense" ending at word i; it returns
// the words that name the United States.
func usStrikeAt(text string, ws []word, i int) (from, to int, ok bool) {
	f := ws[i].fold
	switch {
	case f == "us" && text[ws[i].start:ws[i].end] == "US" && i+1 < len(ws) && strikeNouns[ws[i+1].fold]:
		return i, i + 1, true
	case f == "u" && i+2 < len(ws) && ws[i+1].fold == "s" && text[ws[i].start:ws[i+1].end] == "U.S" && strikeNouns[ws[i+2].fold]:
		return i, i + 2, true
	case f == "american" && i+1 < len(ws) && strikeNouns[ws[i+1].fold]:
		return i, i + 1, true
	case (f == "estadounidense" || f == "estadounidenses") && i > 0 && strikeNouns[ws[i-1].fold]:
		return i, i + 1, true
	}
	return 0, 0, false
}

// roleRank orders roles: a role read from what an actor did wins over
// speaking, which wins over a bare mention.
func roleRank(r testigo.ActorRole) int {
	switch r {
	case testigo.RolePerpetrator, testigo.RoleTarget:
		return 2
	case testigo.RoleReporter:
		return 1
	}
	return 0
}

// actorsKey names the evidence of the i-th actor or source: "actors" for
// the first, "actors.1" for the second and so on.
func listKey(field string, i int) string {
	if i == 0 {
		return field
	}
	return fmt.Sprintf("%s.%d", field, i)
}

// readActors lists the dictionary actors named in the text with their role
// in the main event, each with the span of its first mention. Actors named
// as the source of a claim (inside one of the spans in said) report it.
// It returns the home country of the first actor that acts in one country
// only, preferring actors of the main sentence.
func (x *Extractor) readActors(ev *testigo.Event, text string, ws []word, sents []sentence, main int, cues []foundCue, said []testigo.Span) (home homeHint) {
	homeInMain := false
	cueAt, cueEnd, cueWord := -1, -1, -1
	for _, c := range cues {
		if c.sentence == main && isEvent(c.typ) {
			cueAt, cueEnd, cueWord = c.start, c.end, c.wi
			break
		}
	}
	// "was shot dead", "fue asesinado": what comes before the cue was hit.
	passive := false
	if cueWord > 0 {
		switch ws[cueWord-1].fold {
		case "was", "were", "been", "being", "fue", "fueron", "sido":
			passive = true
		}
	}
	// "a Mexican Navy raid": the actor that names the cue's doer; others
	// well before it in the sentence did not do it ("CIA officers had
	// provided intelligence for a Mexican Navy raid").
	doerAt := -1
	for k := max(cueWord-4, 0); k < cueWord; k++ {
		if h, ok := x.actors.longestAt(ws, k); ok && h.j == cueWord && !genericActors[h.value.name] {
			doerAt = k
			break
		}
	}
	seen := map[string]int{}
	si := 0
	lastEnd, lastSpecific := -1, false // the word after the last actor read, and whether it was named
	between := -1                      // the word after an actor read from "between A and B"
	carriedTo, carriedFrom := -1, 0    // the actor a generic name before it belongs to, and where that name starts
	for i := 0; i < len(ws); i++ {
		for si < len(sents)-1 && i >= sents[si].last {
			si++
		}
		var h hit[actorDef]
		if f := ws[i].fold; len(f) > 0 && (f[0] == 'u' || f[0] == 'a' || f[0] == 'e') && len(f) <= 15 {
			if from, to, ok := usStrikeAt(text, ws, i); ok {
				h = hit[actorDef]{i: from, j: to, value: usMilitary}
			}
		}
		if h.j == 0 {
			if !x.actors.mayStart(ws[i]) {
				continue
			}
			var ok bool
			if h, ok = x.actors.longestAt(ws, i); !ok {
				continue
			}
		}
		// Acronyms and short names must be written as names, not words.
		mention := text[ws[h.i].start:ws[h.j-1].end]
		if h.j-h.i == 1 && len(mention) <= 4 && strings.ToUpper(mention) != mention {
			continue
		}
		if genericActors[h.value.name] {
			// "al-Shabaab militants": the group named just before.
			if lastEnd == h.i && lastSpecific {
				lastEnd = h.j
				i = h.j - 1
				continue
			}
			// "sicarios del CJNG", "gunmen from the Gulf Cartel".
			k := h.j
			if k < len(ws) && (ws[k].fold == "of" || ws[k].fold == "from" || ws[k].fold == "de" || ws[k].fold == "del") {
				k++
				if k < len(ws) && (ws[k].fold == "the" || ws[k].fold == "la" || ws[k].fold == "el") {
					k++
				}
				if k < len(ws) && !punctBetween(text, ws[h.j-1], ws[k], true) {
					if s, ok := x.actors.longestAt(ws, k); ok && !genericActors[s.value.name] {
						carriedTo, carriedFrom = k, ws[h.i].start
						i = k - 1
						continue
					}
				}
			}
		}
		prev := ""
		if h.i > 0 {
			prev = ws[h.i-1].fold
		}
		role := testigo.RoleMentioned
		inMain := si == main
		at := ws[h.i].start // where the actor stands relative to the cue
		if h.i == carriedTo {
			at = carriedFrom
		}
		switch {
		case inMain && (prev == "by" || prev == "por") && !(h.i > 1 && tiedBy[ws[h.i-2].fold]):
			role = testigo.RolePerpetrator
		case inMain && (prev == "between" || prev == "entre") || h.i == between:
			// "clashes between Los Chapitos and La Mayiza": both sides fought.
			role = testigo.RolePerpetrator
			if h.j+1 < len(ws) && (ws[h.j].fold == "and" || ws[h.j].fold == "y") {
				between = h.j + 1
			}
		case inMain && (prev == "obra" || h.i > 1 && ws[h.i-2].fold == "obra" && (prev == "de" || prev == "del")):
			role = testigo.RolePerpetrator // "fue obra del CJNG"
		case inSpans(said, ws[h.i].start, ws[h.j-1].end):
			role = testigo.RoleReporter
			if inMain && cueWord >= h.j && saysItDid(text, ws, h.j, cueWord) {
				role = testigo.RolePerpetrator // "AFRICOM said it conducted an airstrike"
			}
		case inMain && cueAt >= 0 && at <= cueAt:
			role = testigo.RolePerpetrator
			if passive {
				role = testigo.RoleTarget
			} else if doerAt >= 0 && h.j+3 < doerAt {
				role = testigo.RoleMentioned
			}
		case inMain && cueAt >= 0 && !relativeBetween(text, cueEnd, at):
			role = testigo.RoleTarget
		}
		lastEnd, lastSpecific = h.j, !genericActors[h.value.name]
		home.actors = append(home.actors, [2]int{ws[h.i].start, ws[h.j-1].end})
		if h.value.home != "" && (home.country == "" || si == main && !homeInMain) {
			home.country, home.at = h.value.home, span(text, ws[h.i].start, ws[h.j-1].end)
			homeInMain = si == main
		}
		if k, dup := seen[h.value.name]; dup {
			if roleRank(role) > roleRank(ev.Actors[k].Role) {
				ev.Actors[k].Role = role
			}
			i = h.j - 1
			continue
		}
		seen[h.value.name] = len(ev.Actors)
		ev.Evidence[listKey("actors", len(ev.Actors))] = span(text, ws[h.i].start, ws[h.j-1].end)
		ev.Actors = append(ev.Actors, testigo.Actor{Name: h.value.name, Group: h.value.group, Role: role, Mention: mention})
		i = h.j - 1
		if len(ev.Actors) >= 20 {
			break
		}
	}
	return home
}

// inSpans reports whether [start, end) lies inside one of spans.
func inSpans(spans []testigo.Span, start, end int) bool {
	for _, sp := range spans {
		if sp.Start <= start && end <= sp.End {
			return true
		}
	}
	return false
}

// saysItDid reports whether the words from..cue, after an actor that
// speaks, say the actor did the event itself: "said it conducted", "said
// in a post on X that its forces had destroyed", "informó que derribó".
func saysItDid(text string, ws []word, from, cue int) bool {
	if cue-from > 12 || from >= len(ws) || ws[from].cls&clsSay == 0 && !(from+1 < len(ws) && ws[from+1].cls&clsSay != 0) {
		return false
	}
	for k := from; k < cue; k++ {
		switch ws[k].fold {
		case "it", "its", "sus":
			return true
		case "que":
			if k+1 == cue {
				return true
			}
		}
	}
	return false
}

// relativeBetween reports whether a relative clause starts between the
// cue and an actor: "fue obra del CJNG, que disputa la zona a Cárteles
// Unidos" does not make the cartels a target.
func relativeBetween(text string, from, to int) bool {
	if from < 0 || to <= from {
		return false
	}
	s := text[from:to]
	for _, r := range []string{", que ", ", which ", ", who ", ", quien", ", donde ", ", where ", ", el cual", ", la cual"} {
		if strings.Contains(s, r) {
			return true
		}
	}
	return false
}

// localForce returns the actor a bare Spanish word for a force ("el
// Ejército", "la Marina", "la Guardia Nacional"), which the dictionary
// reads as Mexico's, names in the news of another country: Venezuela's
// FANB and GNB, elsewhere the country's military. ok is false when the
// actor stays as it is.
func localForce(name, mention, country string) (to, group string, ok bool) {
	switch strings.Map(fold, mention) {
	case "ejercito", "el ejercito", "marina", "la marina", "armada", "la armada":
		if name != "SEDENA" && name != "SEMAR" {
			return "", "", false
		}
		if country == "VE" {
			return "FANB", "Venezuela", true
		}
		if name == "SEMAR" {
			return "Naval forces", "", true
		}
		return "Military forces", "", true
	case "guardia nacional", "la guardia nacional":
		if name == "Guardia Nacional" && country == "VE" {
			return "GNB", "Venezuela", true
		}
	}
	return "", "", false
}

// localForces renames the Mexican forces read from a bare "Ejército",
// "Marina" or "Guardia Nacional" when the event happened in another
// country: in Colombian or Venezuelan news the word names that country's
// forces ("un enfrentamiento entre el Ejército y disidencias de las FARC en
// Cauca"). A mention that says which forces ("Ejército Mexicano", "SEDENA")
// stays.
func localForces(ev *testigo.Event) {
	if ev.Country == "" || ev.Country == "MX" {
		return
	}
	for i, a := range ev.Actors {
		if to, group, ok := localForce(a.Name, a.Mention, ev.Country); ok {
			ev.Actors[i].Name, ev.Actors[i].Group = to, group
		}
	}
}
