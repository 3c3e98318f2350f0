package cluster

import (
	"slices"

	"github.com/testigo-project/testigo"
)

// Block describes one group of stored incidents that may hold the event a
// report describes: the attach step needs to score only the incidents in
// the blocks Blocks returns, whatever the size of the store. Each field
// narrows the group; an empty one does not. A store can answer a block
// with one indexed query (country, admin1, date), and an in-memory index
// with a few map lookups.
type Block struct {
	// Countries the incident's country is one of ("" among them means
	// incidents that name no country); nil means any country.
	Countries []string
	// Admin1s the incident's first-level unit is one of, compared as
	// sameName does ("" means incidents that name none); nil means any.
	Admin1s []string
	// Admin2, if set, the incident's municipality must name (sameName).
	Admin2 string
	// Types the incident's type is one of ("" means untyped incidents);
	// nil means any type.
	Types []testigo.EventType
	// Since and Until bound the incident's date (YYYY-MM-DD, inclusive);
	// when set, undated incidents are outside the block. Both are empty for
	// an undated event, whose block is the whole of its place.
	Since, Until string
}

// Blocks returns the blocks that hold every stored incident ev can score
// above zero against (see Score), under the attach step's policy that a
// dated report is matched only with dated incidents. It returns nil when
// there is nothing to block on (no date and no country): such a report
// starts its own incident.
//
// The blocks follow Score's rules: countries and first-level units must
// agree unless one side leaves them out; types must be of one family,
// except that a strike and other violence may be one event on the same
// day in the same municipality; strikes at sea are matched across
// countries, since reports name different coasts (an undated one only
// under the country it names). An undated event's blocks have no date
// bounds, so callers should cap them (newest first).
func Blocks(ev *testigo.Event) []Block {
	since, until, dated := Window(ev)
	if !dated && ev.Country == "" {
		return nil
	}
	main := Block{Since: since, Until: until, Types: familyTypes(family(ev.Type))}
	if ev.Country != "" {
		main.Countries = []string{ev.Country, ""}
	}
	if ev.Admin1 != "" {
		main.Admin1s = []string{ev.Admin1, ""}
	}
	out := []Block{main}
	if AtSea(ev.Type) {
		// Strikes at sea anywhere in the window, whatever coast they are
		// named after; undated, those named after the same country.
		sea := Block{Since: since, Until: until, Types: []testigo.EventType{ev.Type}}
		if !dated {
			sea.Countries = []string{ev.Country}
		}
		out = append(out, sea)
	}
	if other := crossFamily(family(ev.Type)); other != "" && dated && ev.Admin2 != "" {
		cross := main
		cross.Since, cross.Until, cross.Admin2 = ev.Date, ev.Date, ev.Admin2
		cross.Types = familyTypes(other)
		out = append(out, cross)
	}
	return out
}

// Contains reports whether inc is in b. Merged incidents are in no block.
func (b Block) Contains(inc *testigo.Incident) bool {
	if inc.MergedInto != 0 {
		return false
	}
	if b.Countries != nil && !slices.Contains(b.Countries, inc.Country) {
		return false
	}
	if b.Admin1s != nil && !slices.ContainsFunc(b.Admin1s, func(a string) bool { return sameName(a, inc.Admin1) }) {
		return false
	}
	if b.Admin2 != "" && !sameName(b.Admin2, inc.Admin2) {
		return false
	}
	if b.Types != nil && !slices.Contains(b.Types, inc.Type) {
		return false
	}
	if b.Since != "" && (inc.Date == "" || inc.Date < b.Since) {
		return false
	}
	if b.Until != "" && (inc.Date == "" || inc.Date > b.Until) {
		return false
	}
	return true
}

// familyTypes returns the event types of family f and the empty type,
// which Score lets match any family; nil (any type) when f is empty.
func familyTypes(f string) []testigo.EventType {
	if f == "" {
		return nil
	}
	out := []testigo.EventType{""}
	for _, t := range testigo.EventTypes {
		if family(t) == f {
			out = append(out, t)
		}
	}
	if len(out) == 1 {
		// A type testigo does not list forms a family of its own.
		out = append(out, testigo.EventType(f))
	}
	return out
}

// crossFamily returns the family whose incidents Score may match with an
// event of family f on the same day in the same municipality, or "".
func crossFamily(f string) string {
	switch f {
	case "strike":
		return "violence"
	case "violence":
		return "strike"
	}
	return ""
}
