package cluster

import "github.com/testigo-project/testigo"

// Index clusters events in memory with the same Score as the store-backed
// attach step (internal/jobs.AttachReport): an event is compared only with
// incidents within DateWindow days in its country and first-level unit (or
// naming none), or, at sea, with strikes at sea in that window, so the
// cost per event depends on how many incidents share its place and week,
// not on how many the index holds. It is used to measure clustering at
// scale and to re-cluster a batch of reports without a store; Blocks
// describes the same groups for a store.
type Index struct {
	incs []*testigo.Incident
	// cells holds incidents by bucket of bucketDays days and place (a
	// country's number when they name no admin1, else the admin1's); all
	// by bucket and country, for events that name no admin1. Integer keys
	// keep lookups free of string hashing, and entries carry what the
	// pre-filter reads, so a bucket is scanned without touching incidents.
	cells map[uint64][]entry
	all   map[uint64][]entry
	// places numbers each country and each (country, folded admin1),
	// names each folded admin2 and fams each type family, from 1; 0 is
	// "none".
	places map[string]uint32
	names  map[string]uint32
	fams   map[string]uint32
}

// entry is an incident in a cell: its position, day, admin2 and type
// family numbers, and whether it has coordinates.
type entry struct {
	inc, day int32
	admin2   uint32
	fam      uint32 // number of the type's family; 0 none
	coord    bool
}

// Family numbers 1 and 2 are the two families Score lets meet.
const famStrike, famViolence = 1, 2

// bucketDays is the width of a cell in days: a power of two at least
// 2*DateWindow+1, so that an event's window spans at most two cells.
const bucketDays = 8

func cellKey(bucket int32, place uint32) uint64 { return uint64(uint32(bucket))<<32 | uint64(place) }

const seaCell = "~sea"

// NewIndex returns an empty index sized for about n incidents.
func NewIndex(n int) *Index {
	return &Index{incs: make([]*testigo.Incident, 0, n),
		cells: make(map[uint64][]entry, n/16+1), all: make(map[uint64][]entry, n/64+1),
		places: map[string]uint32{}, names: map[string]uint32{},
		fams: map[string]uint32{"strike": famStrike, "violence": famViolence}}
}

// number returns the number of key in m, adding it if it is new; 0 for an
// empty key.
func number(m map[string]uint32, key string) uint32 {
	if key == "" {
		return 0
	}
	n, ok := m[key]
	if !ok {
		n = uint32(len(m) + 1)
		m[key] = n
	}
	return n
}

// Len returns the number of incidents.
func (x *Index) Len() int { return len(x.incs) }

// Incident returns incident i (0-based, in creation order).
func (x *Index) Incident(i int) *testigo.Incident { return x.incs[i] }

// Add clusters ev: it joins the best-scoring incident at or above
// Threshold (ties to the older), whose casualty range then widens as
// Derive would widen it, or starts a new incident. It returns the
// incident's index and whether it is new. Undated events, and events on
// land that name no country, start their own incident, as in the store
// path.
func (x *Index) Add(ev *testigo.Event) (int, bool) {
	day, dated := civilDay(ev.Date)
	country, admin1 := ev.Country, foldName(ev.Admin1)
	if AtSea(ev.Type) {
		country, admin1 = seaCell, ""
	}
	// The country's number and the admin1's, numbered on first sight.
	var whole, sub uint32
	if dated && country != "" {
		whole = number(x.places, country)
		if admin1 != "" {
			sub = number(x.places, country+"\x00"+admin1)
		}
	}
	e := entry{admin2: number(x.names, foldName(ev.Admin2)), fam: number(x.fams, family(ev.Type)),
		coord: ev.Lat != nil && ev.Lon != nil}
	if whole != 0 {
		e.day = int32(day)
		best, bestScore := -1, 0.0
		consider := func(es []entry) {
			for _, c := range es {
				// Outside the window, or in another municipality: Score
				// is 0, or cannot reach Threshold (date 0.35, place -0.2,
				// type 0.2, tolls 0.15 at most) unless both have
				// coordinates, which Score compares.
				if c.day < e.day-DateWindow || c.day > e.day+DateWindow ||
					e.admin2 != 0 && c.admin2 != 0 && e.admin2 != c.admin2 && !(e.coord && c.coord) {
					continue
				}
				// Types of two families: Score is 0 but for a strike and
				// other violence on one day in one municipality.
				if e.fam != 0 && c.fam != 0 && e.fam != c.fam &&
					(e.fam+c.fam != famStrike+famViolence || c.day != e.day || e.admin2 == 0 || e.admin2 != c.admin2) {
					continue
				}
				s := scoreDays(ev, x.incs[c.inc], dayNum{int64(e.day), true}, dayNum{int64(c.day), true})
				if s >= Threshold && (best < 0 || s > bestScore || s == bestScore && int(c.inc) < best) {
					best, bestScore = int(c.inc), s
				}
			}
		}
		for b := (e.day - DateWindow) / bucketDays; b <= (e.day+DateWindow)/bucketDays; b++ {
			if sub == 0 {
				consider(x.all[cellKey(b, whole)])
				continue
			}
			consider(x.cells[cellKey(b, sub)])
			consider(x.cells[cellKey(b, whole)])
		}
		if best >= 0 {
			widen(x.incs[best], ev)
			return best, false
		}
	}
	inc := &testigo.Incident{Type: ev.Type, Date: ev.Date, Place: ev.Place, ReportCount: 1}
	if ev.Killed != nil {
		k := *ev.Killed
		inc.Killed = &k
	}
	e.inc = int32(len(x.incs))
	x.incs = append(x.incs, inc)
	if whole != 0 {
		b := e.day / bucketDays
		key := cellKey(b, whole)
		if sub != 0 {
			key = cellKey(b, sub)
		}
		x.cells[key] = append(x.cells[key], e)
		all := cellKey(b, whole)
		x.all[all] = append(x.all[all], e)
	}
	return int(e.inc), true
}

// widen folds ev into inc's derived fields: the killed range runs from the
// highest minimum to the highest maximum any report gives (see Derive).
func widen(inc *testigo.Incident, ev *testigo.Event) {
	inc.ReportCount++
	if ev.Killed == nil {
		return
	}
	if inc.Killed == nil {
		k := *ev.Killed
		inc.Killed = &k
		return
	}
	inc.Killed.Min = max(inc.Killed.Min, ev.Killed.Min)
	inc.Killed.Max = max(inc.Killed.Max, ev.Killed.Max, inc.Killed.Min)
}
