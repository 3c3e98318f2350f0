// Package extract reads what a news text reports about violent events —
// event type, platform, date, place, killed and injured as ranges, actors
// and who says so — in English and Spanish, with the quoted evidence for
// every field. It is rule-based: cue lexicons, a closed number-word parser,
// date rules anchored on the publication date and the geo gazetteer. Output
// depends only on the text, the publication date and the embedded data.
package extract

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/geo"
)

// Version names the extractor's rules; it is stored with every report.
const Version = "extract/0.1.0"

//go:embed cues.tsv
var cuesTSV string

//go:embed actors.tsv
var actorsTSV string

// Input is one text to read.
type Input struct {
	Text      string
	Lang      string    // "en", "es" or "" to detect
	Published time.Time // the document date; zero when unknown
}

// Extractor reads events out of texts. It is immutable and safe for
// concurrent use.
type Extractor struct {
	geo     *geo.Gazetteer
	cues    *lexicon[cue]
	actors  *lexicon[actorDef]
	classes wordClasses
}

// New returns an extractor using the gazetteer g. It panics only if the
// embedded tables are malformed, which the tests rule out.
func New(g *geo.Gazetteer) *Extractor {
	cues, err := parseCues(cuesTSV)
	if err != nil {
		panic(fmt.Sprintf("extract: %v", err))
	}
	actors, err := parseActors(actorsTSV)
	if err != nil {
		panic(fmt.Sprintf("extract: %v", err))
	}
	return &Extractor{geo: g, cues: cues, actors: actors, classes: newWordClasses(cues, actors)}
}

// maxText bounds the text read; longer inputs are cut (at a rune boundary)
// so that time and memory stay bounded.
const maxText = 16 << 20

// foundCue is a cue located in the text.
type foundCue struct {
	typ        string
	weight     float64
	start, end int // byte span
	sentence   int
	wi, wj     int  // word range
	topic      bool // follows "against", "demanding", "contra": what a protest is about
}

// Extract returns the events the text reports, the main event first. It
// returns nil when the text reports nothing it can read.
func (x *Extractor) Extract(in Input) (events []testigo.Event) {
	defer func() {
		// The extractor must never take the caller down; a bug yields no
		// events rather than a crash.
		if recover() != nil {
			events = nil
		}
	}()
	return x.extract(in)
}

// extract is Extract without the recovery, so that tests see any panic.
func (x *Extractor) extract(in Input) []testigo.Event {
	text := in.Text
	if len(text) > maxText {
		text = strings.ToValidUTF8(text[:maxText], "")
	}
	ws := tokenize(text)
	if len(ws) == 0 {
		return nil
	}
	x.classes.classify(ws)
	sents := splitSentences(text, ws)
	cues := x.findCues(ws, sents)
	main := mainSentence(sents, cues)

	ev := testigo.Event{Evidence: testigo.Evidence{}}
	if typeSentence := x.readType(&ev, text, ws, sents, cues, main); typeSentence >= 0 {
		// The sentence whose cue decided the type is where the event is told.
		main = typeSentence
	}
	x.readDate(&ev, text, ws, sents, main, in.Published)
	attr, said := x.attributions(text, ws, sents)
	home := x.readActors(&ev, text, ws, sents, main, cues, said)
	lang := in.Lang
	if lang == "" {
		lang = detectLang(ws)
	}
	if home.country == "" && lang == "es" {
		// Spanish reporting this project follows is mostly Mexican: read
		// ambiguous names there, but without claiming the country unseen.
		home.country, home.weak = "MX", true
	}
	x.readPlace(&ev, text, ws, sents, main, home)
	localForces(&ev)
	if main < len(sents) {
		atSea(&ev, text, ws, sents[main])
	}
	x.readCasualties(&ev, text, ws, sents, main)
	if ev.Killed != nil && ev.Killed.Min > 0 && (ev.Type == testigo.TypeProtestWithIntervention ||
		ev.Type == testigo.TypePeacefulProtest && stateForceIn(ws)) {
		// Protesters killed as a protest is broken up, or by state forces
		// at a protest: lethal force.
		ev.Type = testigo.TypeExcessiveForceProtest
	}
	if len(attr) > 0 {
		ev.Attribution = attr
		for i, sp := range said {
			ev.Evidence[listKey("attribution", i)] = sp
		}
	}
	if ev.Type == "" && ev.Country == "" && ev.Killed == nil && ev.Date == "" {
		return nil
	}
	return []testigo.Event{ev}
}

func span(text string, start, end int) testigo.Span {
	return testigo.Span{Start: start, End: end, Quote: text[start:end]}
}

// findCues locates every event-type cue, longest match first.
func (x *Extractor) findCues(ws []word, sents []sentence) []foundCue {
	var out []foundCue
	var hits []hit[cue] // reused for every word
	si := 0
	for i := 0; i < len(ws); i++ {
		for si < len(sents)-1 && i >= sents[si].last {
			si++
		}
		if !x.cues.mayStart(ws[i]) {
			continue
		}
		hs := x.cues.appendAt(hits[:0], ws, i)
		hits = hs
		if len(hs) == 0 {
			continue
		}
		longest := 0
		for _, h := range hs {
			longest = max(longest, h.j)
		}
		if longest == i+1 && ws[i].fold == "march" && isMonthUse(ws, i) {
			continue // the month, not a protest march
		}
		if longest == i+1 && i > 0 && ws[i-1].fold == "in" && (ws[i].fold == "front" || ws[i].fold == "fronts") {
			continue // "in front of", not a front line
		}
		if longest == i+1 && ws[i].fold == "planned" && i > 0 && adjectiveOpeners[ws[i-1].fold] {
			continue // "a planned attack": carried out, not a plan
		}
		for _, h := range hs {
			if h.j != longest {
				continue
			}
			out = append(out, foundCue{typ: h.value.typ, weight: h.value.weight, wi: h.i, wj: h.j,
				start: ws[h.i].start, end: ws[h.j-1].end, sentence: si, topic: isTopic(ws, h.i, sents[si].first)})
		}
		i = longest - 1
	}
	return out
}

// adjectiveOpeners are the words after which "planned" describes a noun.
var adjectiveOpeners = map[string]bool{"a": true, "an": true, "the": true, "well": true, "pre": true, "carefully": true}

// isMonthUse reports whether "march" at word i is the month: next to a
// number or after a word that introduces a time.
func isMonthUse(ws []word, i int) bool {
	digit := func(k int) bool { return k >= 0 && k < len(ws) && ws[k].fold[0] >= '0' && ws[k].fold[0] <= '9' }
	if digit(i-1) || digit(i+1) {
		return true
	}
	if i > 0 {
		switch ws[i-1].fold {
		case "of", "in", "since", "until", "early", "late", "mid", "last", "next", "this", "from", "by", "before", "after":
			return true
		}
	}
	return false
}

// topicWords introduce what a protest or statement is about.
var topicWords = map[string]bool{
	"against": true, "over": true, "demanding": true, "demand": true, "condemning": true, "denouncing": true,
	"protesting": true, "contra": true, "exigir": true, "exigiendo": true, "exigen": true, "rechazo": true,
	"denunciar": true, "denunciando": true, "about": true, "following": true, "after": true, "tras": true,
	"who": true, "whose": true, "denounce": true, "denounced": true, "condemn": true, "criticize": true,
	"criticise": true, "reject": true, "rejecting": true, "denunciaron": true, "repudio": true,
}

// isTopic reports whether the cue at word i follows a topic word within
// four words of the same sentence.
func isTopic(ws []word, i, first int) bool {
	for k := i - 1; k >= first && k >= i-4; k-- {
		if topicWords[ws[k].fold] {
			return true
		}
	}
	return false
}

// eventTypes are the cue types that describe something happening, as
// opposed to talk about it.
func isEvent(typ string) bool {
	switch typ {
	case "official_statement", "organized_crime", "operation_planning", "diplomatic_event":
		return false
	}
	return true
}

// mainSentence picks the sentence that carries the main event: the first
// with a strong event cue, else the one with most cue weight, else the first.
func mainSentence(sents []sentence, cues []foundCue) int {
	score := make([]float64, len(sents))
	for _, c := range cues {
		if isEvent(c.typ) {
			score[c.sentence] = max(score[c.sentence], c.weight)
		}
	}
	for i, s := range score {
		if s >= 4 {
			return i
		}
	}
	best := 0
	for i, s := range score {
		if s > score[best] {
			best = i
		}
	}
	return best
}

// modal words mark a sentence as talking about what may or will happen.
var modalWords = map[string]bool{
	"would": true, "could": true, "will": true, "may": false, "might": true, "plan": true, "plans": true,
	"planned": true, "planning": true, "potential": true, "possible": true, "if": true, "considering": true,
	"mission": true, "podria": true, "podrian": true, "planea": true, "planean": true, "posible": true,
	"posibles": true, "si": false, "contempla": true, "preparing": true, "proposed": true, "threatened": true,
	"amenazo": true, "prepara": true, "preparan": true, "preparaba": true, "preparaban": true, "preparando": true,
	"planeaba": true, "planeaban": true, "planeando": true, "contemplan": true, "considera": true,
	"consideran": true, "evalua": true, "evaluan": true, "analiza": true, "analizan": true, "pretende": true,
	"pretenden": true, "podra": true, "podran": true, "realizaria": true, "atacaria": true,
	"options": true, "option": true, "opciones": true, "begin": true, "commence": true,
}

// hedgeWords are modal words that, in a sentence saying people died, only
// hedge what happened.
var hedgeWords = map[string]bool{"possible": true, "posible": true, "posibles": true, "potential": true, "may": true, "might": true}

var denialWords = map[string]bool{"denied": true, "denies": true, "nego": true, "niega": true, "desmintio": true, "rejected": false}

// readType scores the cues and picks the event type and modality. It
// returns the sentence of the deciding cue, or -1 when no type was found.
func (x *Extractor) readType(ev *testigo.Event, text string, ws []word, sents []sentence, cues []foundCue, main int) int {
	denied := make([]bool, len(sents))
	for si, s := range sents {
		for i := s.first; i < s.last; i++ {
			denied[si] = denied[si] || ws[i].cls&clsDenial != 0
		}
		// "has not carried out any strikes": a denial too.
		denied[si] = denied[si] || negatedAction(ws, s) >= 0
	}
	// modalNear reports whether a modal word governs the cue: one within
	// eight words before it or three after it in its sentence ("would
	// strike", "strikes were planned"), not one in another clause.
	happenedIn := make([]int8, len(sents)) // 0 not known yet, 1 no, 2 yes
	modalNear := func(c foundCue) bool {
		s := sents[c.sentence]
		// "a possible drone strike killed 5": a hedge on what happened,
		// not talk of what may happen.
		if happenedIn[c.sentence] == 0 {
			happenedIn[c.sentence] = 1
			for i := s.first; i < s.last; i++ {
				if ws[i].cls&clsKill != 0 && ws[i].fold != "sin" || ws[i].cls&clsKillVerb != 0 {
					happenedIn[c.sentence] = 2
					break
				}
			}
		}
		happened := happenedIn[c.sentence] == 2
		for i := max(s.first, c.wi-8); i < min(s.last, c.wj+3); i++ {
			if i >= c.wi && i < c.wj {
				continue
			}
			if happened && ws[i].cls&clsHedge != 0 {
				continue
			}
			if ws[i].fold == "would" && i+1 < len(ws) && ws[i+1].fold == "be" && strings.Contains(text[ws[i].end:ws[i+1].start], "-") {
				continue // "would-be suicide bombers": attackers, not a possibility
			}
			if ws[i].cls&clsModal != 0 && !(ws[i].fold == "planned" && i > 0 && adjectiveOpeners[ws[i-1].fold]) {
				return true
			}
		}
		return false
	}
	score := map[string]float64{}
	best := map[string]foundCue{}
	var talked foundCue // the strongest event cue spoken of as possible
	strikeInSentence := map[int]bool{}
	for _, c := range cues {
		switch c.typ {
		case "air_drone_strike", "shelling_artillery_missile", "attack":
			strikeInSentence[c.sentence] = true
		}
	}
	// Topic words only demote cues in sentences about protests or
	// statements: "an attack against a boat" is still an attack on it.
	talk := map[int]bool{}
	for _, c := range cues {
		switch c.typ {
		case "peaceful_protest", "official_statement", "diplomatic_event", "protest_with_intervention":
			talk[c.sentence] = true
		}
	}
	firstInMain := -1
	for i, c := range cues {
		if c.sentence == main && isEvent(c.typ) {
			firstInMain = i
			break
		}
	}
	for ci, c := range cues {
		w := c.weight
		switch {
		case ci == firstInMain:
			// The first event word of the main sentence is usually its verb.
			w *= 3
		case c.sentence == main:
			w *= 2
		case c.sentence < 3:
			w *= 1
		default:
			w *= 0.3
		}
		typ := c.typ
		if c.topic && (talk[c.sentence] || c.sentence > 0 && talk[c.sentence-1]) {
			// "protested against the arrest of…": the topic, not the event.
			w *= 0.2
		}
		if q := ws[c.wi].fold; c.wj == c.wi+1 && (q == "captured" || q == "seized" || q == "occupied") {
			ground := takesTerritory(text, ws, sents[c.sentence], c.wj)
			switch typ {
			case "non_state_takeover", "government_regains_territory":
				if !ground {
					continue // "captured the vehicle", "captured by police"
				}
			default:
				if ground {
					continue // "seized a village": ground, not weapons or people
				}
			}
		}
		if typ == "headquarters_established" && c.wj-c.wi <= 2 && (ws[c.wi].fold == "established" || ws[c.wi].fold == "set") &&
			!baseNamed(ws, sents[c.sentence], c.wj) {
			continue // "established fortifications", "a locally established market": no base
		}
		if typ == "agreement" && dealEnded(ws, sents[c.sentence], c) {
			continue // "the ceasefire ended": no deal made
		}
		if typ == "agreement" && !agreedIn(ws, sents[c.sentence]) {
			w *= 0.3 // "along the ceasefire line", "after the truce": no new deal
		}
		if typ == "vessel_strike" && !strikeInSentence[c.sentence] {
			continue // a boat mentioned is not a strike on it
		}
		if isEvent(typ) && typ != "vessel_strike" && modalNear(c) {
			// "would strike", "planned drone strikes": talk of a possible
			// event supports planning, not the event.
			score["operation_planning"] += w * 0.5
			if c.weight > talked.weight {
				talked = c
			}
			continue
		}
		score[typ] += w
		if b, ok := best[typ]; !ok || c.weight > b.weight || (c.weight == b.weight && c.sentence == main && b.sentence != main) {
			best[typ] = c
		}
	}
	// Specific kinds of violence win over the generic ones they co-occur with.
	boost := func(specific string, over ...string) {
		if score[specific] == 0 {
			return
		}
		for _, o := range over {
			score[specific] += score[o] * 0.6
		}
	}
	boost("suicide_bomb", "remote_explosive", "attack")
	boost("grenade", "attack", "remote_explosive")
	boost("vessel_strike", "air_drone_strike", "attack", "shelling_artillery_missile")
	boost("air_drone_strike", "attack")
	boost("shelling_artillery_missile", "attack")
	boost("protest_with_intervention", "peaceful_protest")
	boost("excessive_force_protest", "peaceful_protest", "attack")
	boost("violent_demonstration", "peaceful_protest")
	boost("mob_violence", "attack")
	boost("non_state_takeover", "armed_clash")
	boost("government_regains_territory", "armed_clash", "non_state_takeover")
	if score["operation_planning"] > 0 {
		// Only planning that is reported as such is an event of its own.
		if _, ok := best["operation_planning"]; !ok {
			delete(score, "operation_planning")
		}
	}
	types := make([]string, 0, len(score))
	for t := range score {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool {
		if score[types[i]] != score[types[j]] {
			return score[types[i]] > score[types[j]]
		}
		return types[i] < types[j]
	})
	if len(types) == 0 || score[types[0]] < 2 {
		return -1
	}
	typ := types[0]
	flown := false // drones flown, not striking: see onlyFlights
	if typ == "organized_crime" && len(types) > 1 && score[types[1]] >= score[typ]*0.5 {
		typ = types[1]
	}
	c, ok := best[typ]
	if typ == "operation_planning" && ok && c.weight <= 2 && talked.weight >= 3 && talked.sentence == c.sentence {
		// "considering drone strikes": a weak planning word made strong by
		// the strike it governs; quote both.
		c.start, c.end, c.weight = min(c.start, talked.start), max(c.end, talked.end), talked.weight
		best[typ] = c
	}
	if ok && c.weight <= 2 && typ == "attack" {
		// Only weak words ("killed", "dead"), but the sentence says who
		// killed whom: armed men killing others is an attack on them,
		// armed men killing armed men a clash.
		if t, span, found := whoKilledWhom(ws, sents[c.sentence], c); found {
			typ, c = t, span
			best[typ] = c
		}
	}
	if !ok || c.weight <= 2 {
		// Only weak words with nobody armed doing them: say nothing
		// rather than guess.
		return -1
	}
	if typ == "peaceful_protest" || typ == "protest_with_intervention" {
		// What else happens in the protest's sentence decides its kind.
		for _, o := range cues {
			if o.sentence < c.sentence-1 || o.sentence > c.sentence+2 || o.topic {
				continue
			}
			switch o.typ {
			case "armed_clash", "looting", "violent_demonstration":
				typ = "violent_demonstration"
			case "attack", "excessive_force_protest":
				if strings.Contains(strings.ToLower(text[o.start:o.end]), "fire") || o.typ == "excessive_force_protest" {
					typ = "excessive_force_protest"
				}
			}
		}
	}
	switch typ {
	case "peaceful_protest", "protest_with_intervention":
		// Protesters seriously hurt by the force used on them: excessive
		// force, as the ACLED codebook defines it.
		if seriousInjury(ws, sents[c.sentence]) {
			typ = "excessive_force_protest"
			break
		}
		// "detained ten students during a protest": arrests at the
		// protest are an intervention in it.
		if typ == "peaceful_protest" && duringProtest(ws, sents[c.sentence], c.wi) {
			for _, o := range cues {
				if o.sentence == c.sentence && !o.topic && o.typ == "arrest" && o.weight > 2 {
					typ = "protest_with_intervention"
					break
				}
			}
		}
	case "arrest":
		// Protesters detained at their protest: a protest with
		// intervention, not an arrest elsewhere.
		for _, o := range cues {
			if o.sentence == c.sentence && !o.topic && o.typ == "peaceful_protest" && duringProtest(ws, sents[c.sentence], o.wi) {
				typ, c = "protest_with_intervention", o
				break
			}
		}
	case "air_drone_strike":
		// Drones flown over a place, with no strike but a denied one, are
		// strike assets deployed, not a strike; the flights are not denied.
		if onlyFlights(ws, sents, c.sentence) {
			typ, flown = "deployment", true
		}
	case "ground_raid":
		// A raid that turned into a firefight, arrests or a strike is coded
		// as what happened in it.
		if aerialRaid(ws, sents[c.sentence]) {
			typ = "air_drone_strike"
			break
		}
		if armedTargetHit(ws, sents[c.sentence]) || firedBack(ws, sents[c.sentence]) {
			typ = "armed_clash"
			break
		}
		for _, o := range cues {
			if o.sentence == c.sentence && o.weight > 2 && !o.topic {
				switch o.typ {
				case "armed_clash", "arrest", "attack", "air_drone_strike", "disrupted_weapons_use":
					typ, c = o.typ, o
				}
			}
			if typ != "ground_raid" {
				break
			}
		}
	case "looting":
		// "destroyed" tells what a strike or a demolition did: the strike
		// is the event, and weapons destroyed by those who seized them
		// are a disrupted use of weapons, not destruction of property.
		if q := ws[c.wi].fold; c.wj == c.wi+1 && (q == "destroyed" || q == "destroy") {
			if weaponsDestroyed(ws, sents[c.sentence], c.wj) {
				typ = "disrupted_weapons_use"
				break
			}
			for _, o := range cues {
				if o.sentence == c.sentence && o.weight >= 2 && !o.topic {
					switch o.typ {
					case "air_drone_strike", "shelling_artillery_missile", "remote_explosive", "suicide_bomb":
						typ, c = o.typ, o
					}
				}
				if typ != "looting" {
					break
				}
			}
		}
	case "grenade", "shelling_artillery_missile", "excessive_force_protest":
		// "seized two grenades", "rockets were recovered": arms taken,
		// not used.
		if weaponsSeized(ws, sents[c.sentence]) {
			typ = "disrupted_weapons_use"
		}
	case "remote_explosive":
		// Explosives found, defused or cleared are a disrupted attack.
		if disrupted(ws, sents[c.sentence]) || weaponsSeized(ws, sents[c.sentence]) {
			typ = "disrupted_weapons_use"
		}
	case "disrupted_weapons_use":
		// "thwarted an attack of Houthi forces": a fight repelled.
		if q := strings.ToLower(text[c.start:c.end]); (strings.HasPrefix(q, "thwart") || strings.HasPrefix(q, "foil")) &&
			(armedOnBothSides(ws, sents[c.sentence]) || frontWord(ws, sents[c.sentence])) {
			typ = "armed_clash"
		}
	case "non_state_takeover", "government_regains_territory":
		// Who took the ground decides: state forces regain it, others
		// take it over.
		if peacefulHandover(ws, sents[c.sentence]) {
			typ = "non_violent_transfer"
			break
		}
		switch takerAt(ws, sents[c.sentence], c.wi) {
		case "state":
			typ = "government_regains_territory"
		case "nonstate":
			typ = "non_state_takeover"
		}
	case "deployment":
		// Moving strike assets (warships, aircraft, drones) is a deployment
		// of a campaign; other troop movements are a change in a group's
		// activity, as ACLED codes them.
		if !mentionsStrikeAssets(ws, sents[c.sentence]) {
			typ = "change_to_group"
		}
	}
	if typ == "operation_planning" && c.start < len(text) && text[c.start] >= 'A' && text[c.start] <= 'Z' &&
		strings.HasPrefix(strings.ToLower(text[c.start:c.end]), "planning") {
		// "Ministry of Finance and Planning": a name, not a plan.
		return -1
	}
	switch c.typ {
	case "arrest", "disrupted_weapons_use", "looting":
		// Arrests, seizures and interceptions in a smuggling, drugs,
		// counterfeiting or robbery case are organised crime, not a
		// political arrest or a disrupted use of arms.
		if c.typ == "looting" && ws[c.wi].fold != "confiscated" {
			break
		}
		if crimeNamed(ws, sents, c.sentence) && !weaponsSeized(ws, sents[c.sentence]) {
			typ = "organized_crime"
		}
	}
	hasProtest := false
	for _, o := range cues {
		if o.topic {
			continue
		}
		switch o.typ {
		case "peaceful_protest", "protest_with_intervention", "excessive_force_protest":
			hasProtest = true
		case "violent_demonstration":
			// "rioters", "rioted", "violent protest": a demonstration itself.
			q := strings.ToLower(text[o.start:o.end])
			hasProtest = hasProtest || strings.Contains(q, "riot") || strings.Contains(q, "protest") ||
				strings.Contains(q, "disturbio") || strings.Contains(q, "demonstr") ||
				// Tyres burnt in the street are a demonstration's blockade.
				strings.Contains(q, "tire") || strings.Contains(q, "tyre") || strings.Contains(q, "llanta")
		}
	}
	switch {
	case typ == "violent_demonstration" && !hasProtest:
		// Stones and petrol bombs thrown with no protest named: a crowd's
		// violence against people, else destruction of property.
		if crowdViolence(ws, sents[c.sentence]) && mentionsPeopleHurt(ws, sents[c.sentence]) {
			typ = "mob_violence"
		} else {
			typ = "looting"
		}
	case (typ == "armed_clash" || typ == "attack") && crowdViolence(ws, sents[c.sentence]) && !firearms(ws, sents[c.sentence]):
		// Villagers, traders or a crowd fighting with sticks and stones,
		// not armed groups: mob violence.
		typ = "mob_violence"
	}
	switch typ {
	case "grenade", "shelling_artillery_missile", "attack":
		// Fire returned by the side attacked makes it a clash.
		if returnedFire(ws, sents, c.sentence) {
			typ = "armed_clash"
		}
	}
	if typ == "attack" && !civilianVictim(ws, sents[c.sentence]) && (armedOnBothSides(ws, sents[c.sentence]) || armedOnBothSides(ws, sents[main]) ||
		armedTargetHit(ws, sents[c.sentence])) {
		// Violence between armed parties is a clash, not an attack on
		// civilians (the ACLED distinction).
		typ = "armed_clash"
	}
	ev.Type = testigo.EventType(typ)
	ev.Evidence["type"] = span(text, c.start, c.end)
	if b, ok := best[typ]; ok && b.weight > 2 {
		// Quote the cue of the type finally chosen when there is one.
		ev.Evidence["type"] = span(text, b.start, b.end)
	}
	switch {
	case typ == "operation_planning":
		ev.Modality = testigo.Planned
	case (denied[c.sentence] || denied[main]) && !flown:
		ev.Modality = testigo.Denied
	default:
		ev.Modality = testigo.Asserted
	}
	x.readPlatform(ev, text, cues, typ, c.sentence)
	return c.sentence
}

// weaponNouns name arms and explosives.
var weaponNouns = map[string]bool{
	"weapons": true, "arms": true, "guns": true, "rifles": true, "mines": true, "landmines": true, "explosives": true,
	"ieds": true, "ied": true, "rockets": true, "ammunition": true, "munitions": true, "grenades": true,
	"devices": true, "grenade": true, "launcher": true, "launchers": true, "bullets": true, "detonators": true,
	"firearms": true, "pistols": true, "cartuchos": true, "granadas": true, "armas": true, "explosivos": true, "minas": true, "artefactos": true, "municiones": true,
	"fusiles": true, "pistolas": true, "cargadores": true, "rifle": true, "fusil": true,
}

// crimeStems start the words that name ordinary criminal business.
var crimeStems = []string{"smuggl", "traffick", "counterfeit", "robber", "narcotic", "cocain", "heroin", "contraband",
	"fentanil", "fentanyl", "marihuana", "marijuana", "metanfetamin", "methamphetamin",
	"fraud", "contraband", "narcotrafic", "contrabando", "estupefaciente", "huachicol", "trafican", "trafico"}

// crimeNamed reports whether sentence si or the next names smuggling,
// trafficking, drugs, counterfeiting, fraud or robbery.
func crimeNamed(ws []word, sents []sentence, si int) bool {
	for k := si; k < len(sents) && k <= si+1; k++ {
		for i := sents[k].first; i < sents[k].last; i++ {
			f := ws[i].fold
			if f == "drugs" || f == "drogas" || f == "droga" || f == "rob" || f == "fake" && i+1 < sents[k].last && ws[i+1].fold == "currency" {
				return true
			}
			for _, p := range crimeStems {
				if strings.HasPrefix(f, p) {
					return true
				}
			}
		}
	}
	return false
}

// baseNouns are what an armed group establishes as a base.
var baseNouns = map[string]bool{
	"base": true, "bases": true, "headquarters": true, "hq": true, "camp": true, "camps": true, "post": true,
	"posts": true, "outpost": true, "outposts": true, "office": true, "offices": true, "barracks": true,
	"garrison": true, "checkpoint": true, "checkpoints": true, "point": true, "points": true, "position": true,
	"positions": true, "presence": true, "cuartel": true, "campamento": true,
}

// baseNamed reports whether a base noun follows the verb ending at word j
// within five words of its sentence.
func baseNamed(ws []word, s sentence, j int) bool {
	for k := j; k < s.last && k < j+5; k++ {
		if baseNouns[ws[k].fold] {
			return true
		}
	}
	return false
}

// seizeVerbs take arms out of use.
var seizeVerbs = map[string]bool{
	"seized": true, "confiscated": true, "recovered": true, "destroyed": true, "impounded": true, "incautaron": true,
	"aseguraron": true, "decomisaron": true, "incautados": true, "asegurados": true, "decomisados": true,
	// singular and present forms: "decomisó", "aseguró", "incautan", "seizes"
	"decomiso": true, "aseguro": true, "incauto": true, "aseguran": true, "decomisan": true, "incautan": true,
	"seizes": true, "confiscates": true, "seizing": true, "confiscating": true,
}

// weaponsSeized reports whether the sentence says arms or explosives were
// seized, recovered or destroyed: a weapon noun as the object of such a
// verb ("seized 50 rifles and a grenade launcher") or its passive subject
// ("arms and ammunition have been seized").
func weaponsSeized(ws []word, s sentence) bool {
	for k := s.first; k < s.last; k++ {
		if !seizeVerbs[ws[k].fold] {
			continue
		}
		for j := k + 1; j < s.last && j <= k+8; j++ {
			if f := ws[j].fold; f == "by" || f == "with" || f == "por" || f == "con" {
				break
			}
			if weaponNouns[ws[j].fold] {
				return true
			}
		}
		if k > s.first {
			switch ws[k-1].fold {
			case "been", "were", "was", "fueron", "son":
				for j := k - 2; j >= s.first && j >= k-8; j-- {
					if weaponNouns[ws[j].fold] {
						return true
					}
				}
			}
		}
	}
	return false
}

// weaponsDestroyed reports whether arms or explosives are the object of
// the verb ending at word j: a weapon noun within six words after it that
// does not name a store of them ("an ammunition depot" is a target).
func weaponsDestroyed(ws []word, s sentence, j int) bool {
	for k := j; k < s.last && k < j+6; k++ {
		if !weaponNouns[ws[k].fold] {
			continue
		}
		if k+1 < s.last {
			switch ws[k+1].fold {
			case "depot", "depots", "store", "stores", "warehouse", "warehouses", "factory", "factories", "dump":
				return false
			}
		}
		return true
	}
	return false
}

// seriousInjury reports whether the sentence says people were seriously
// or critically hurt.
func seriousInjury(ws []word, s sentence) bool {
	for i := s.first; i+1 < s.last; i++ {
		switch ws[i].fold {
		case "serious", "seriously", "critically", "severe", "severely", "graves", "gravemente":
			if n := ws[i+1].fold; strings.HasPrefix(n, "injur") || strings.HasPrefix(n, "wound") || strings.HasPrefix(n, "herid") || strings.HasPrefix(n, "lesion") {
				return true
			}
		}
	}
	return false
}

// duringProtest reports whether the protest cue at word i is introduced as
// the time or place of what the sentence tells ("during protests", "while
// trying to hold a rally", "as supporters staged sit-ins"), not as what
// someone is accused of organising.
func duringProtest(ws []word, s sentence, i int) bool {
	for k := i - 1; k >= s.first && k >= i-5; k-- {
		switch ws[k].fold {
		case "during", "while", "as", "amid", "at", "durante", "mientras":
			return true
		}
	}
	return false
}

// stateForceIn reports whether the text names state security forces.
func stateForceIn(ws []word) bool {
	for i := range ws {
		switch ws[i].fold {
		case "police", "policemen", "security", "soldiers", "troops", "army", "military", "policia", "policias",
			"militares", "soldados", "ejercito", "antimotines", "gendarmes", "gendarmerie", "riot":
			return true
		}
	}
	return false
}

// crowdWords name unarmed groups of people and what they fight with.
var crowdWords = map[string]bool{
	"villagers": true, "residents": true, "locals": true, "shopkeepers": true, "traders": true, "crowd": true,
	"crowds": true, "neighbors": true, "neighbours": true, "community": true, "sticks": true, "stones": true,
	"axes": true, "clubs": true, "vecinos": true, "pobladores": true, "comerciantes": true, "piedras": true,
	"palos": true, "beneficiaries": true, "tribesmen": false, "group": false, "people": false,
}

// crowdViolence reports whether the sentence names an unarmed crowd.
func crowdViolence(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		if crowdWords[ws[i].fold] {
			return true
		}
		if ws[i].fold == "group" && i+2 < s.last && ws[i+1].fold == "of" && (ws[i+2].fold == "people" || ws[i+2].fold == "residents") {
			return true
		}
	}
	return false
}

// firearms reports whether the sentence names guns or armed parties.
func firearms(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		f := ws[i].fold
		if armedWords[f] && f != "police" && f != "policemen" && f != "officers" && f != "officer" && f != "policia" && f != "policias" && f != "agentes" {
			return true
		}
		switch f {
		case "gun", "guns", "gunfire", "fire", "fired", "shot", "shooting", "firearms", "rifles", "armas", "disparos", "balazos", "grenade", "bomb":
			return true
		}
	}
	return false
}

// mentionsPeopleHurt reports whether the sentence says people were hurt or
// attacked.
func mentionsPeopleHurt(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		switch ws[i].fold {
		case "injured", "injuring", "wounded", "hurt", "attacked", "beat", "beaten", "heridos", "lesionados", "killed":
			return true
		}
	}
	return false
}

// returnFire lists the phrases saying the side attacked fired back.
var returnFire = [][]string{
	{"fired", "back"}, {"returned", "fire"}, {"responded", "to", "the", "fire"}, {"opened", "gunfire"},
	{"reacted", "with", "gunfire"}, {"exchange", "of", "gunfire"}, {"gunfire", "from", "both"},
	{"exchange", "of", "fire"}, {"exchanged", "fire"}, {"repelieron", "la", "agresion"}, {"repelen", "la", "agresion"},
	{"respondieron", "el", "fuego"}, {"repelen", "agresion"},
}

// returnedFire reports whether sentence si or the next says fire was
// returned.
func returnedFire(ws []word, sents []sentence, si int) bool {
	for k := si; k < len(sents) && k <= si+1; k++ {
		for i := sents[k].first; i < sents[k].last; i++ {
		phrases:
			for _, p := range returnFire {
				if ws[i].fold != p[0] || i+len(p) > sents[k].last {
					continue
				}
				for j := 1; j < len(p); j++ {
					if ws[i+j].fold != p[j] {
						continue phrases
					}
				}
				return true
			}
		}
	}
	return false
}

// disrupted reports whether the sentence says explosives were found or
// made safe.
func disrupted(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		switch ws[i].fold {
		case "found", "defused", "cleared", "seized", "recovered", "dismantled", "discovered", "desactivaron",
			"desactivan", "aseguraron", "aseguran", "localizaron", "hallaron", "defuse", "neutralized", "neutralised":
			return true
		}
	}
	return false
}

// frontWord reports whether the sentence names a front line.
func frontWord(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		if f := ws[i].fold; (f == "front" || f == "fronts" || f == "frontline" || f == "positions") && !(i > 0 && ws[i-1].fold == "in") {
			return true
		}
	}
	return false
}

// stateWords and nonStateWords name who takes ground.
var (
	stateWords = map[string]bool{
		"army": true, "troops": true, "government": true, "military": true, "forces": true, "soldiers": true,
		"police": true, "ejercito": true, "gobierno": true, "militares": true, "soldados": true, "amisom": true,
		"troopers": true, "brigade": true, "marines": true, "regime": true,
	}
	nonStateWords = map[string]bool{
		"rebels": true, "militants": true, "insurgents": true, "terrorists": true, "isis": true, "shabaab": true,
		"taliban": true, "jihadists": true, "militia": true, "militias": true, "fighters": true, "guerrillas": true,
		"rebeldes": true, "guerrilla": true, "cartel": true, "sicarios": true, "is": false, "daesh": true,
	}
)

// takerAt returns "state" or "nonstate" for the subject of the takeover
// cue at word i: the first actor word of the sentence before it, or the
// agent of a passive ("terrorists were pushed back by the army"). It
// returns "" when none is named.
func takerAt(ws []word, s sentence, i int) string {
	kind := func(k int) string {
		switch {
		case nonStateWords[ws[k].fold]:
			return "nonstate"
		case stateWords[ws[k].fold]:
			if k > s.first && (nonStateWords[ws[k-1].fold] || ws[k-1].fold == "rebel") {
				return "nonstate" // "rebel forces", "ISIS fighters"
			}
			return "state"
		}
		return ""
	}
	subject := ""
	for k := s.first; k < min(i, s.last); k++ {
		if subject = kind(k); subject != "" {
			break
		}
	}
	if i > s.first && (ws[i-1].fold == "were" || ws[i-1].fold == "was" || ws[i-1].fold == "been") {
		switch subject {
		case "state":
			return "nonstate"
		case "nonstate":
			return "state"
		}
	}
	return subject
}

// peacefulHandover reports whether ground changed hands without a fight.
func peacefulHandover(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		switch ws[i].fold {
		case "withdrew", "vacated", "pulled", "handed", "retiraron", "abandonaron":
			return true
		case "without":
			if i+1 < s.last && (ws[i+1].fold == "resistance" || ws[i+1].fold == "a" || ws[i+1].fold == "fighting") {
				return true
			}
		}
	}
	return false
}

// territoryNouns are what is taken when ground changes hands.
var territoryNouns = map[string]bool{
	"town": true, "village": true, "villages": true, "city": true, "district": true, "area": true, "areas": true,
	"positions": true, "position": true, "base": true, "bases": true, "camp": true, "camps": true, "neighborhood": true,
	"neighbourhood": true, "hill": true, "hills": true, "territory": true, "region": true, "province": true,
	"posts": true, "post": true, "outpost": true, "outposts": true, "localities": true, "zone": true,
	"poblado": true, "comunidad": true, "municipio": true, "plaza": true, "control": true, "stronghold": true,
}

// takesTerritory reports whether a bare "captured", "seized" or "occupied"
// at words [i, j) has ground as its object: a territory noun or a
// capitalised name within four words, not a vehicle or a person.
func takesTerritory(text string, ws []word, s sentence, j int) bool {
	for k := j; k < s.last && k < j+6; k++ {
		if territoryNouns[ws[k].fold] {
			return true
		}
		if c := text[ws[k].start]; c >= 'A' && c <= 'Z' && k == j {
			return true
		}
	}
	return false
}

// agreeWords are the verbs that make a ceasefire or accord an event.
var agreeWords = []string{"agree", "sign", "reach", "announc", "declar", "accept", "broker", "conclud", "acord",
	"pact", "firm", "anunci", "negoti", "struck"}

// agreedIn reports whether the sentence says a deal was made.
func agreedIn(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		for _, p := range agreeWords {
			if strings.HasPrefix(ws[i].fold, p) {
				return true
			}
		}
	}
	return false
}

// dealEnded reports whether the deal named by cue c is said to end within
// four words of it: "the end of the ceasefire", "the truce collapsed".
func dealEnded(ws []word, s sentence, c foundCue) bool {
	for i := max(s.first, c.wi-4); i < min(s.last, c.wj+4); i++ {
		switch ws[i].fold {
		case "end", "ended", "ends", "ending", "collapsed", "collapse", "expired", "violated", "violation", "violations",
			"breach", "breached", "fin", "termino", "rompio", "violo", "violaciones":
			return true
		}
	}
	return false
}

// aerialRaid reports whether a raid's sentence names aircraft: "raids by
// the army's choppers" are air strikes.
func aerialRaid(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		switch ws[i].fold {
		case "choppers", "chopper", "helicopter", "helicopters", "warplanes", "jets", "aircraft", "aerial", "air",
			"aviones", "helicopteros", "aereo", "aereos", "aerea", "aereas":
			return true
		}
	}
	return false
}

// civilianVictim reports whether the sentence names civilians or people
// off duty, which keeps violence against them an attack.
func civilianVictim(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		switch ws[i].fold {
		case "civilian", "civilians", "unarmed", "off-duty", "activist", "journalist", "idps", "civiles", "civil":
			return true
		case "off":
			if i+1 < s.last && ws[i+1].fold == "duty" {
				return true
			}
		}
	}
	return false
}

// firedBack reports whether the people raided fought back.
func firedBack(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		switch ws[i].fold {
		case "retaliated", "gunfire", "firing", "firefight", "encounter", "violent", "repelieron", "repelen", "agredieron":
			return true
		}
	}
	return false
}

// armedWords name armed people; two of them in one sentence, or one with
// an attack verb aimed at it, make the violence a clash.
var armedWords = map[string]bool{
	"forces": true, "soldiers": true, "soldier": true, "troops": true, "police": true, "policemen": true,
	"officer": true, "officers": true, "military": true, "army": true, "militants": true, "militias": true,
	"militia": true, "personnel": true, "rebels": true, "insurgents": true, "policias": true, "policia": true,
	"militares": true, "soldados": true, "elementos": true, "agentes": true, "marinos": true, "guardia": true,
	"ejercito": true, "sicarios": true, "gunmen": true, "fighters": true, "combatants": true, "armed": true,
	"armados": true, "jihadists": true, "guerrillas": true, "guerrilleros": true,
}

// strikeAssets are the words for ships, aircraft and drones a strike
// campaign moves.
var strikeAssets = map[string]bool{
	"warship": true, "warships": true, "destroyer": true, "destroyers": true, "carrier": true, "aircraft": true,
	"jets": true, "drones": true, "bombers": true, "submarine": true, "navy": true, "ships": true, "buques": true,
	"buque": true, "aviones": true, "portaaviones": true, "destructores": true, "submarino": true,
	"f": true, "mq": true, "reaper": true, "marines": true,
}

func mentionsStrikeAssets(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		if strikeAssets[ws[i].fold] {
			return true
		}
	}
	return false
}

// armedTargets are places only armed people hold: an attack on one is a
// clash with them.
var armedTargets = map[string]bool{
	"base": true, "bases": true, "checkpoint": true, "checkpoints": true, "outpost": true, "outposts": true,
	"garrison": true, "convoy": true, "patrol": true, "barracks": true, "cuartel": true, "reten": true,
	"comandancia": true, "patrulla": true, "amisom": true,
}

// armedTargetHit reports whether the sentence names an armed target or
// an exchange of fire.
func armedTargetHit(ws []word, s sentence) bool {
	for i := s.first; i < s.last; i++ {
		f := ws[i].fold
		if armedTargets[f] || f == "exchange" && i+2 < s.last && (ws[i+2].fold == "fire" || ws[i+2].fold == "gunfire") ||
			f == "fire" && i+1 < s.last && ws[i+1].fold == "exchange" {
			return true
		}
	}
	return false
}

// armedOnBothSides reports whether the sentence names two armed parties.
// One that only speaks ("police said", "según la policía") is the source,
// not a party.
func armedOnBothSides(ws []word, s sentence) bool {
	n, last := 0, -10
	for i := s.first; i < s.last; i++ {
		if armedWords[ws[i].fold] && !speaks(ws, s, i) {
			if i > last+1 {
				n++ // "police officers" is one party, not two
			}
			last = i
		}
	}
	return n >= 2
}

// whoKilledWhom reads a sentence whose only event word is a weak one
// ("killed", "killing"): an armed party before it (not one that only
// speaks) that killed people after it. Armed victims make a clash, others
// an attack. The returned cue quotes from the armed party to the killing.
func whoKilledWhom(ws []word, s sentence, c foundCue) (string, foundCue, bool) {
	kill := -1
	for i := s.first; i < s.last; i++ {
		if ws[i].cls&clsKillVerb != 0 || i >= c.wi && i < c.wj && ws[i].cls&clsKill != 0 {
			kill = i
			break
		}
	}
	if kill < 0 {
		return "", c, false
	}
	perp := -1
	for i := max(s.first, kill-15); i < kill; i++ {
		if armedWords[ws[i].fold] && !speaks(ws, s, i) {
			perp = i
			break
		}
	}
	if perp < 0 {
		return "", c, false
	}
	typ := "attack"
	for i := kill + 1; i < min(s.last, kill+6); i++ {
		if armedWords[ws[i].fold] && !speaks(ws, s, i) {
			typ = "armed_clash"
			break
		}
	}
	c.typ, c.weight, c.start, c.wi = typ, 3, ws[perp].start, perp
	return typ, c, true
}

// speaks reports whether word i is the one who says the sentence: a verb of
// saying follows it ("police said", "a police officer told") or "according
// to" or "según" comes just before it ("según la policía").
func speaks(ws []word, s sentence, i int) bool {
	for j := i + 1; j < s.last && j <= i+2; j++ {
		if sayVerbs[ws[j].fold] && ws[j].fold != "according" && ws[j].fold != "segun" {
			// "the military said it killed 18 militants" speaks of itself.
			if j+1 < s.last {
				switch ws[j+1].fold {
				case "it", "its", "they", "their", "troops", "forces":
					return false
				}
			}
			return true
		}
	}
	for j := i - 1; j >= s.first && j >= i-3; j-- {
		if f := ws[j].fold; f == "segun" || f == "according" {
			return true
		}
	}
	return false
}

// aircraftWord reports whether a cue's folded text names aircraft: "air
// strike", "aerial", "warplanes", "aviones", "helicopter gunship", "bombed".
func aircraftWord(q string) bool {
	for _, w := range []string{"air", "aer", "warplane", "jet", "avion", "helic", "bomb", "fighter", "gunship", "plane"} {
		if strings.Contains(q, w) {
			return true
		}
	}
	return false
}

// readPlatform names the means of a strike from the cues in the sentence
// that told the event.
func (x *Extractor) readPlatform(ev *testigo.Event, text string, cues []foundCue, typ string, sentence int) {
	var p testigo.Platform
	var at foundCue
	for _, c := range cues {
		if c.sentence != sentence {
			// Drones spoken of elsewhere ("a mission that could include
			// drone strikes") are not how this event was done.
			continue
		}
		q := strings.ToLower(text[c.start:c.end])
		var cand testigo.Platform
		switch {
		case strings.Contains(q, "dron") || strings.Contains(q, "uav") || strings.Contains(q, "predator") ||
			strings.Contains(q, "reaper") || strings.Contains(q, "hellfire"):
			cand = testigo.PlatformDrone
		case c.typ == "air_drone_strike" && aircraftWord(q):
			// A bare "strike" or "struck" does not say from what.
			cand = testigo.PlatformAircraft
		case strings.Contains(q, "missile") || strings.Contains(q, "misil") || strings.Contains(q, "rocket") || strings.Contains(q, "cohete"):
			cand = testigo.PlatformMissile
		case c.typ == "shelling_artillery_missile":
			cand = testigo.PlatformArtillery
		case c.typ == "ground_raid":
			cand = testigo.PlatformGround
		}
		if cand == "" {
			continue
		}
		if p == "" || cand == testigo.PlatformDrone && p != testigo.PlatformDrone {
			p, at = cand, c
		}
	}
	switch typ {
	case "air_drone_strike", "shelling_artillery_missile", "vessel_strike", "ground_raid", "operation_planning":
	default:
		return
	}
	if p != "" {
		ev.Platform = p
		ev.Evidence["platform"] = span(text, at.start, at.end)
	}
}

// readDate picks the date of the main event: a date in its sentence, else
// the first date in the text, else the publication date.
func (x *Extractor) readDate(ev *testigo.Event, text string, ws []word, sents []sentence, main int, pub time.Time) {
	ds := findDates(ws, pub)
	var pick *dateMention
	if main < len(sents) {
		for i := range ds {
			if ds[i].start >= sents[main].start && ds[i].end <= sents[main].end {
				pick = &ds[i]
				break
			}
		}
	}
	if pick == nil && len(ds) > 0 {
		pick = &ds[0]
	}
	if pick != nil && main < len(sents) && reportingDate(ws, *pick) {
		// "…, informó este miércoles el Ejército. El ataque ocurrió la
		// noche del martes": the day it was told is not the day it
		// happened; a day of its own, no later, in the next sentences is.
		for i := range ds {
			d := &ds[i]
			if d.start > pick.end && d.start < sents[min(main+2, len(sents)-1)].end && !d.day.After(pick.day) &&
				!reportingDate(ws, *d) {
				pick = d
				break
			}
		}
	}
	if pick != nil {
		ev.Date = pick.day.Format(testigo.DateLayout)
		ev.Evidence["date"] = span(text, pick.start, pick.end)
		return
	}
	if !pub.IsZero() {
		// No date in the text: news reports what happened that day or the
		// day before, so the document date is the best reading, and the
		// evidence says so instead of quoting words that are not there.
		ev.Date = pub.Format(testigo.DateLayout)
		ev.Evidence["date"] = testigo.Span{Basis: "published"}
	}
}

// reportingDate reports whether a verb of saying stands right before or
// after date mention d ("informó este miércoles", "said on Tuesday",
// "announced Wednesday").
func reportingDate(ws []word, d dateMention) bool {
	first := sort.Search(len(ws), func(i int) bool { return ws[i].start >= d.start })
	last := sort.Search(len(ws), func(i int) bool { return ws[i].end > d.end }) - 1
	if first >= len(ws) || last < first {
		return false
	}
	for i := max(0, first-2); i < first; i++ {
		if sayVerbs[ws[i].fold] {
			return true
		}
	}
	for i := last + 1; i < min(len(ws), last+2); i++ {
		if sayVerbs[ws[i].fold] {
			return true
		}
	}
	return false
}

// maxHinted bounds the texts read a second time with a country hint; in
// longer ones the text's own names outweigh any hint.
const maxHinted = 64 << 10

// homeHint is the country an actor named in the text acts in, with the
// words that name the actor.
type homeHint struct {
	country string
	at      testigo.Span
	weak    bool // a default region, not words of the text: never the place by itself
	// actors are the byte spans of every actor named in the text: a place
	// inside an actor's name ("Cártel de Sinaloa", "Baloch Liberation
	// Front") is not where the event happened.
	actors [][2]int
}

// readPlace resolves the main event's place with the gazetteer. When the
// text names an actor that acts in one country only (a Mexican cartel or
// force, the Houthis) and no other country, ambiguous names are read in that
// country. When no place is found, the country is read from actors and
// institutions (countryWithoutPlace).
func (x *Extractor) readPlace(ev *testigo.Event, text string, ws []word, sents []sentence, main int, home homeHint) {
	if x.geo == nil {
		return
	}
	// Long documents are read around their lead and the main sentence only:
	// the place of the main event is told there, and the gazetteer's cost
	// stays bounded per document. Offsets are shifted back at the end.
	lo, hi := window(text, sents, main)
	full := text
	text = text[lo:hi]
	sents = shiftSentences(sents, main, lo)
	main = 0
	found := x.geo.Find(text)
	if home.country == "" || home.weak {
		// "Honduran police", "the Iraqi city of": read ambiguous names in
		// the country the text places itself in.
		if c, at, ok := demonymHome(text, found); ok {
			at.Start, at.End = at.Start+lo, at.End+lo
			home.country, home.at, home.weak = c, at, false
		}
	}
	raw := dropInActors(append([]geo.Match(nil), found...), home.actors, lo)
	dateline := 0
	if lo == 0 {
		dateline = datelineEnd(text)
	}
	ms := dropDateline(text, dropAgentCountries(text, dropStreetNames(text, append([]geo.Match(nil), raw...))), found, dateline)
	if home.country != "" && !namesOtherCountry(ms, home.country) {
		if p, ok := geo.Primary(text, ms); (!ok || p.Country != home.country) && len(text) <= maxHinted {
			// Let the gazetteer weigh the names as if the country were
			// written after the text; matches in the added words are dropped.
			hinted := dropInActors(x.geo.Find(text+"\n\n"+x.geo.CountryName(home.country)), home.actors, lo)
			ms = ms[:0]
			for _, m := range hinted {
				if m.End <= len(text) {
					ms = append(ms, m)
				}
			}
			ms = dropDateline(text, dropAgentCountries(text, dropStreetNames(text, ms)), hinted, dateline)
		}
		if home.weak {
			ms = dropSentenceVerbs(text, ms, home.country)
		} else if _, placed := geo.Primary(text, ms); !placed {
			// A place named in the text wins over the actor's country.
			x.countryWithoutPlace(ev, text, lo, raw, home)
			return
		}
	}
	if len(ms) == 0 {
		x.countryWithoutPlace(ev, text, lo, raw, home)
		return
	}
	var inMain []geo.Match
	if main < len(sents) {
		for _, m := range ms {
			if m.Start >= sents[main].start && m.End <= sents[main].end {
				inMain = append(inMain, m)
			}
		}
	}
	primary, ok := geo.Primary(text, inMain)
	if !ok {
		primary, ok = geo.Primary(text, ms)
	}
	if !ok {
		x.countryWithoutPlace(ev, text, lo, raw, home)
		return
	}
	if near, ok := beyond(text, primary, ms); ok {
		// "south of Baghdad … near Musayyib in Babil province": a place
		// the event was only near gives way to the area the text puts it in.
		primary = near
	}
	// A more specific place elsewhere in the text that lies inside the
	// primary one refines it: "Sinaloa … in Culiacán".
	best := primary
	for _, m := range ms {
		if m.Country != primary.Country || m.Kind <= best.Kind {
			continue
		}
		if primary.Kind >= geo.KindAdmin1 && m.Admin1 != primary.Admin1 && !(primary.Kind == geo.KindAdmin1 && m.Admin1 == primary.Name) {
			continue
		}
		if primary.Kind == geo.KindAdmin2 && m.Admin2 != primary.Name && m.Admin2 != primary.Admin2 {
			continue
		}
		best = m
	}
	best = consistentWithAdmin1(best, inMain, ms)
	sp := span(full, lo+best.Start, lo+best.End)
	ev.Country = best.Country
	ev.Evidence["country"] = sp
	switch best.Kind {
	case geo.KindAdmin1:
		ev.Admin1 = best.Name
	case geo.KindAdmin2:
		// The district is the most specific place the text names: it is
		// the location too ("in South Waziristan", "Sucre municipality").
		ev.Admin1, ev.Admin2, ev.Location = best.Admin1, best.Name, best.Name
	case geo.KindPlace:
		ev.Admin1, ev.Admin2, ev.Location = best.Admin1, best.Admin2, best.Name
	}
	if ls, le, ok := unlistedLocality(full, ws, best, lo, found); ok {
		// "in El Ramie, Veracruz": a place the gazetteer does not know,
		// written just before the area it lies in.
		ev.Location = full[ls:le]
		ev.Evidence["location"] = span(full, ls, le)
	}
	if best.Kind != geo.KindCountry {
		// The province the place belonged to on the day of the event.
		ev.Admin1 = geo.Admin1On(best, text, ev.Date)
	}
	if ev.Admin1 != "" {
		ev.Evidence["admin1"] = sp
	}
	if ev.Admin2 != "" {
		ev.Evidence["admin2"] = sp
	}
	if _, ok := ev.Evidence["location"]; ev.Location != "" && !ok {
		ev.Evidence["location"] = sp
	}
	if best.HasCoord && best.Kind != geo.KindCountry {
		lat, lon := best.Lat, best.Lon
		ev.Lat, ev.Lon = &lat, &lon
	}
}

// relativeWords before a place say the event was beside it, not in it.
var relativeWords = []string{"north of", "south of", "east of", "west of", "northeast of", "northwest of",
	"southeast of", "southwest of", "outside", "al norte de", "al sur de", "al este de", "al oeste de",
	"al oriente de", "al poniente de", "a las afueras de"}

// beyond returns, when primary is written as a point of reference ("south
// of Baghdad", "al norte de Culiacán"), the first other match in the same
// country that names an admin1 other than primary's (an area, or a place
// in one): that is where the text puts the event.
func beyond(text string, primary geo.Match, ms []geo.Match) (geo.Match, bool) {
	before := strings.ToLower(text[max(0, primary.Start-24):primary.Start])
	rel := false
	for _, w := range relativeWords {
		if strings.HasSuffix(strings.TrimRight(before, " "), w) {
			rel = true
			break
		}
	}
	if !rel {
		return geo.Match{}, false
	}
	a1 := primary.Admin1
	if primary.Kind == geo.KindAdmin1 {
		a1 = primary.Name
	}
	for _, m := range ms {
		if m.Country != primary.Country || m.Kind == geo.KindCountry || m.Start == primary.Start {
			continue
		}
		ma1 := m.Admin1
		if m.Kind == geo.KindAdmin1 {
			ma1 = m.Name
		}
		if ma1 != "" && ma1 != a1 {
			return m, true
		}
	}
	return geo.Match{}, false
}

// consistentWithAdmin1 keeps the place consistent with a state or province
// the main sentence names: in "San Andrés Tuxtla, Veracruz" a town of that
// name in another state is the wrong reading, so a place inside the named
// area is taken, else the area itself.
func consistentWithAdmin1(best geo.Match, inMain, all []geo.Match) geo.Match {
	if best.Kind <= geo.KindAdmin1 {
		return best
	}
	var areas []geo.Match
	for _, m := range inMain {
		if m.Kind == geo.KindAdmin1 {
			if m.Country == best.Country && (m.Name == best.Admin1 || m.Admin1 == best.Admin1) {
				return best // consistent
			}
			areas = append(areas, m)
		}
	}
	if len(areas) == 0 && best.Population < 100_000 {
		// "In Simojovel, Chiapas, … locked up in the Santa Anita prison":
		// the main sentence names no state and a small place; the text
		// named another state before it, and not the small place's.
		for _, m := range all {
			if m.Start >= best.Start {
				break
			}
			if m.Kind == geo.KindAdmin1 && m.Country == best.Country {
				if m.Name == best.Admin1 {
					return best
				}
				areas = append(areas, m)
			}
		}
	}
	if len(areas) == 0 {
		return best
	}
	for _, m := range all {
		if m.Kind <= geo.KindAdmin1 {
			continue
		}
		for _, a := range areas {
			if m.Country == a.Country && (m.Admin1 == a.Name || m.Admin1 == a.Admin1) {
				return m
			}
		}
	}
	return areas[0]
}

// leadBytes is how much of a long document's beginning is read for
// document-wide evidence (places, casualties) besides the main sentence.
const leadBytes = 64 << 10

// window returns the byte range of text read for the main event: the whole
// text when it is short, else the lead and the main sentence with some
// context, cut at spaces.
func window(text string, sents []sentence, main int) (lo, hi int) {
	if len(text) <= leadBytes {
		return 0, len(text)
	}
	lo, hi = 0, leadBytes
	if main < len(sents) && sents[main].end > hi {
		lo, hi = max(0, sents[main].start-leadBytes/2), sents[main].end+leadBytes/2
	}
	hi = min(hi, len(text))
	for lo > 0 && lo < len(text) && text[lo-1] != ' ' && text[lo-1] != '\n' {
		lo++
	}
	for hi < len(text) && hi > lo && text[hi] != ' ' && text[hi] != '\n' {
		hi--
	}
	return lo, hi
}

// shiftSentences returns the main sentence as the only sentence, with
// offsets relative to lo.
func shiftSentences(sents []sentence, main, lo int) []sentence {
	if main >= len(sents) {
		return nil
	}
	s := sents[main]
	s.start -= lo
	s.end -= lo
	return []sentence{s}
}

// roadWords after a place name make it the name of a road or street:
// "Murree road", "Sanaa Street", "carretera a Mazatlán" is handled by geo.
var roadWords = map[string]bool{
	"road": true, "street": true, "st": true, "avenue": true, "highway": true, "boulevard": true, "bridge": true,
	"junction": true, "roundabout": true, "market": false,
}

// dropStreetNames drops matches that name a road rather than the place.
func dropStreetNames(text string, ms []geo.Match) []geo.Match {
	out := ms[:0]
	for _, m := range ms {
		rest := strings.TrimLeft(text[m.End:], " ")
		end := strings.IndexAny(rest, " ,.;:()\n")
		if end < 0 {
			end = len(rest)
		}
		if m.Kind != geo.KindCountry && roadWords[strings.ToLower(rest[:end])] {
			continue
		}
		out = append(out, m)
	}
	return out
}

// agentAfter are words after a country's name that make the country the one
// acting, not the place: "Estados Unidos atacó…", "US forces struck…",
// "the US military", "a US drone strike".
var agentAfter = map[string]bool{
	"atacó": true, "ataca": true, "atacaron": true, "bombardeó": true, "bombardea": true, "lanzó": true,
	"mató": true, "destruyó": true, "struck": true, "strikes": true, "strike": true, "airstrike": true,
	"airstrikes": true, "drone": true, "forces": true, "military": true, "troops": true, "navy": true,
	"officials": true, "claim": true, "said": true, "says": true, "prepara": true, "planea": true,
	"prepares": true, "plans": true, "planned": true, "desplegó": true, "envió": true, "deployed": true,
}

// agentBefore are phrases before a country's name that make it the one
// acting: "un ataque de Estados Unidos", "fuerzas de Estados Unidos".
var agentBefore = []string{"ataque de", "ataques de", "bombardeo de", "bombardeos de", "fuerzas de",
	"ejército de", "militares de", "gobierno de", "attack by", "strike by", "strikes by", "fuerzas", "tropas",
	"militares", "aviones", "buques"}

// dropAgentCountries drops country names written as the actor of the event
// rather than where it happened: the country that strikes a boat off
// Venezuela is not the place of the strike.
func dropAgentCountries(text string, ms []geo.Match) []geo.Match {
	out := ms[:0]
	for _, m := range ms {
		if m.Kind == geo.KindCountry && countryActs(text, m) {
			continue
		}
		out = append(out, m)
	}
	return out
}

func countryActs(text string, m geo.Match) bool {
	rest := text[m.End:]
	if strings.Contains(text[m.Start:m.End], ".") {
		// "U.S. forces": the abbreviation's last period is not an end.
		rest = strings.TrimPrefix(rest, ".")
	}
	rest = strings.TrimLeft(rest, " ")
	end := strings.IndexAny(rest, " ,.;:()\n")
	if end < 0 {
		end = len(rest)
	}
	if agentAfter[strings.ToLower(rest[:end])] {
		return true
	}
	before := strings.ToLower(strings.TrimRight(text[max(0, m.Start-24):m.Start], " "))
	for _, p := range agentBefore {
		if strings.HasSuffix(before, p) {
			return true
		}
	}
	return false
}

// dropSentenceVerbs drops one-word places abroad that open a sentence and
// are followed by a lower-case function word: "Matan a dos…", "Cerca del…"
// are a verb and an adverb written with a capital, not Israel or Angola.
func dropSentenceVerbs(text string, ms []geo.Match, home string) []geo.Match {
	out := ms[:0]
	for _, m := range ms {
		if m.Country != home && m.Kind >= geo.KindAdmin2 && opensSentence(text, m.Start) &&
			!strings.ContainsAny(text[m.Start:m.End], " -") && functionWordNext(text[m.End:]) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// opensSentence reports whether only spaces, quotes or brackets stand
// between the start of text or a sentence end and position i.
func opensSentence(text string, i int) bool {
	for i > 0 {
		c := text[i-1]
		switch c {
		case ' ', '\t', '"', '\'', '[', '(', ']', ')':
			i--
			continue
		case '.', '!', '?', ';', ':', '\n':
			return true
		}
		return false
	}
	return true
}

// functionWords are lower-case words that follow a verb or adverb, never a
// place name, at the start of a headline.
var functionWords = map[string]bool{
	"a": true, "al": true, "del": true, "de": true, "la": true, "el": true, "los": true, "las": true, "un": true,
	"una": true, "con": true, "en": true, "que": true, "se": true, "por": true, "tras": true,
}

func functionWordNext(rest string) bool {
	rest = strings.TrimLeft(rest, " ")
	end := strings.IndexAny(rest, " ,.;:")
	if end < 0 {
		end = len(rest)
	}
	return functionWords[rest[:end]]
}

// detectLang tells Spanish from English by their commonest short words.
func detectLang(ws []word) string {
	es, en := 0, 0
	for i, w := range ws {
		if i >= 400 {
			break
		}
		switch w.fold {
		case "de", "la", "el", "los", "las", "del", "y", "que", "por", "con", "una", "se", "tras", "muertos", "asesinan":
			es++
		case "the", "of", "and", "to", "was", "were", "by", "on", "with", "an", "is", "killed", "people":
			en++
		}
	}
	if es > en {
		return "es"
	}
	if en > 0 {
		return "en"
	}
	return ""
}

// dropInActors drops the matches that lie inside an actor's name; the
// matches are offsets into the document's window that starts at byte lo.
// Both lists are in text order and actor names do not overlap, so one
// pass over each suffices: only the first name that ends after a match
// starts can hold it.
func dropInActors(ms []geo.Match, actors [][2]int, lo int) []geo.Match {
	if len(actors) == 0 {
		return ms
	}
	out := ms[:0]
	k := 0
	for _, m := range ms {
		start, end := lo+m.Start, lo+m.End
		for k < len(actors) && actors[k][1] <= start {
			k++
		}
		if k < len(actors) && actors[k][0] <= start && end <= actors[k][1] {
			continue
		}
		out = append(out, m)
	}
	return out
}

// namesOtherCountry reports whether the text names a country other than c.
func namesOtherCountry(ms []geo.Match, c string) bool {
	for _, m := range ms {
		if m.Country != c && m.Kind == geo.KindCountry {
			return true
		}
	}
	return false
}

// readCasualties takes the killed and injured figures of the main sentence,
// else the first ones in the text. "N fatalities split between M events"
// divides the total.
func (x *Extractor) readCasualties(ev *testigo.Event, text string, ws []word, sents []sentence, main int) {
	var killed, hurt []count
	lo, hi := window(text, sents, main)
	for si, s := range sents {
		if (s.end <= lo || s.start >= hi) && si != main {
			continue // beyond the lead of a long document
		}
		k, h := x.casualties(text, ws, s, si)
		killed = append(killed, k...)
		hurt = append(hurt, h...)
	}
	pick := func(cs []count) *count {
		for i := range cs {
			if cs[i].total {
				return &cs[i] // the coder's own total
			}
		}
		for i := range cs {
			if cs[i].sentence == main {
				return &cs[i]
			}
		}
		if len(cs) > 0 {
			return &cs[0]
		}
		return nil
	}
	if c := pick(killed); c != nil {
		r := testigo.Range{Min: c.r[0], Max: c.r[1]}
		start, end := c.start, c.end
		if m, _, e, ok := splitAcross(ws); ok && r.Min > 0 {
			r = testigo.Range{Min: r.Min / m, Max: (r.Max + m - 1) / m}
			end = max(end, e)
			if start > e {
				start = c.start
			}
		}
		ev.Killed = &r
		ev.Evidence["killed"] = span(text, start, end)
	}
	if c := pick(hurt); c != nil {
		ev.Injured = &testigo.Range{Min: c.r[0], Max: c.r[1]}
		ev.Evidence["injured"] = span(text, c.start, c.end)
	}
}

// splitAcross reads "split (up) between M events" or "spread between M
// locations": the count before it is a total shared by several events, of
// which this is one.
func splitAcross(ws []word) (events, start, end int, ok bool) {
	for i := 0; i+3 < len(ws); i++ {
		if ws[i].fold != "split" && ws[i].fold != "spread" {
			continue
		}
		j := i + 1
		for j < len(ws) && j < i+3 && (ws[j].fold == "up" || ws[j].fold == "between" || ws[j].fold == "among" || ws[j].fold == "across") {
			j++
		}
		m, used := readNumber(ws, j)
		if used == 1 && m.lo > 1 && m.lo < 100 && j+1 < len(ws) &&
			(strings.HasPrefix(ws[j+1].fold, "event") || strings.HasPrefix(ws[j+1].fold, "location")) {
			return m.lo, ws[i].start, ws[j+1].end, true
		}
	}
	return 0, 0, 0, false
}

// negators say an action did not happen: "has not carried out", "never
// struck", "no ha realizado".
var negators = map[string]bool{"not": true, "never": true, "hasnt": true, "havent": true, "didnt": true,
	"hadnt": true, "nunca": true}

// doneVerbs are the actions a negator may deny: carrying out, launching or
// making a strike or attack.
var doneVerbs = map[string]bool{"carried": true, "carry": true, "conducted": true, "conduct": true, "launched": true,
	"launch": true, "struck": true, "bombed": true, "attacked": true, "realizado": true, "realizo": true,
	"llevado": true, "efectuado": true, "atacado": true, "bombardeado": true, "lanzado": true, "ejecutado": true}

// negatedAction reports where sentence s says an action was not done: the
// index of the negator, or -1. "has not carried out lethal strikes", "did
// not strike", "no ha realizado ataques"; not "did not confirm the strike"
// or "not the first strike".
func negatedAction(ws []word, s sentence) int {
	for k := s.first; k+1 < s.last; k++ {
		f := ws[k].fold
		neg := negators[f] || f == "no" && (ws[k+1].fold == "ha" || ws[k+1].fold == "han" || ws[k+1].fold == "habia")
		if !neg {
			continue
		}
		if ws[k+1].fold == "strike" {
			return k
		}
		for j := k + 1; j < s.last && j <= k+3; j++ {
			if doneVerbs[ws[j].fold] {
				return k
			}
		}
	}
	return -1
}

// flightWords say aircraft flew: over a place, on surveillance.
var flightWords = map[string]bool{"flying": true, "flew": true, "flown": true, "flights": true, "overflights": true,
	"surveillance": true, "reconnaissance": true, "sobrevuelos": true, "sobrevolando": true, "sobrevolaron": true,
	"vuelos": true, "vigilancia": true}

// strikeWords say a strike happened.
var strikeWords = map[string]bool{"strike": true, "strikes": true, "struck": true, "missile": true, "missiles": true,
	"bomb": true, "bombs": true, "bombed": true, "killed": true, "killing": true, "hit": true, "attack": true,
	"attacks": true, "attacked": true, "ataque": true, "ataques": true, "bombardeo": true, "bombardeos": true,
	"misil": true, "misiles": true, "murieron": true, "muertos": true, "mato": true, "mataron": true}

// onlyFlights reports whether sentence si tells of drones or aircraft
// flying, on surveillance or over a place, and the text tells of no strike
// or death but a denied strike: "The CIA has been flying Reaper drones over
// Sinaloa … but has not carried out lethal strikes." Drones "still flying
// in the area" after a strike that killed six are the strike's.
func onlyFlights(ws []word, sents []sentence, si int) bool {
	flights := false
	for i := sents[si].first; i < sents[si].last; i++ {
		flights = flights || flightWords[ws[i].fold]
	}
	if !flights {
		return false
	}
	for _, s := range sents {
		neg := negatedAction(ws, s)
		for i := s.first; i < s.last; i++ {
			if (strikeWords[ws[i].fold] || ws[i].cls&clsKill != 0) && !(neg >= 0 && i > neg && i <= neg+6) {
				return false
			}
		}
	}
	return true
}
