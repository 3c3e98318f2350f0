package extract

import (
	"strings"

	"github.com/testigo-project/testigo"
)

// readActors lists the dictionary actors named in the text with their role
// in the main event. It returns the home country of the first actor that
// acts in one country only, preferring actors of the main sentence.
func (x *Extractor) readActors(ev *testigo.Event, text string, ws []word, sents []sentence, main int, cues []foundCue) (home homeHint) {
	homeInMain := false
	cueAt := -1
	for _, c := range cues {
		if c.sentence == main && isEvent(c.typ) {
			cueAt = c.start
			break
		}
	}
	seen := map[string]int{}
	var first testigo.Span
	si := 0
	for i := 0; i < len(ws); i++ {
		for si < len(sents)-1 && i >= sents[si].last {
			si++
		}
		if !x.actors.mayStart(ws[i]) {
			continue
		}
		h, ok := x.actors.longestAt(ws, i)
		if !ok {
			continue
		}
		// Acronyms and short names must be written as names, not words.
		mention := text[ws[h.i].start:ws[h.j-1].end]
		if h.j-h.i == 1 && len(mention) <= 4 && strings.ToUpper(mention) != mention {
			continue
		}
		role := testigo.RoleMentioned
		switch {
		case si == main && i > 0 && (ws[i-1].fold == "by" || ws[i-1].fold == "por"):
			role = testigo.RolePerpetrator
		case si == main && cueAt >= 0 && ws[i].start < cueAt:
			role = testigo.RolePerpetrator
		case si == main && cueAt >= 0:
			role = testigo.RoleTarget
		}
		home.actors = append(home.actors, [2]int{ws[h.i].start, ws[h.j-1].end})
		if h.value.home != "" && (home.country == "" || si == main && !homeInMain) {
			home.country, home.at = h.value.home, span(text, ws[h.i].start, ws[h.j-1].end)
			homeInMain = si == main
		}
		if k, dup := seen[h.value.name]; dup {
			if ev.Actors[k].Role == testigo.RoleMentioned && role != testigo.RoleMentioned {
				ev.Actors[k].Role = role
			}
			i = h.j - 1
			continue
		}
		seen[h.value.name] = len(ev.Actors)
		ev.Actors = append(ev.Actors, testigo.Actor{Name: h.value.name, Group: h.value.group, Role: role, Mention: mention})
		if len(ev.Actors) == 1 {
			first = span(text, ws[h.i].start, ws[h.j-1].end)
		}
		i = h.j - 1
		if len(ev.Actors) >= 20 {
			break
		}
	}
	if len(ev.Actors) > 0 {
		ev.Evidence["actors"] = first
	}
	return home
}
