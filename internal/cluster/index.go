package cluster

import (
	"time"

	"github.com/testigo-project/testigo"
)

// Index clusters events in memory with the same blocking and Score as the
// store-backed attach step (internal/jobs.AttachReport, whose blocking is a
// SQL query on date and country): an event is compared only with incidents
// in its country within DateWindow days, or, at sea, with strikes at sea in
// that window, so the cost per event stays flat as the index grows. It is
// used to measure clustering at scale and to re-cluster a batch of reports
// without a store.
type Index struct {
	incs []*testigo.Incident
	meta []meta // per incident, what the pre-filter reads
	// cells holds incidents by day, country and admin1 (place 0 of a
	// country when unknown); all by day and country, for events that name
	// no admin1. Keys are cellKey(day, place): integer keys keep the maps
	// small and lookups free of string hashing and comparison, which
	// dominated at a million incidents.
	cells map[uint64][]int32
	all   map[uint64][]int32
	// places numbers each country and each (country, folded admin1), and
	// names each folded admin2, from 1; 0 is "none".
	places map[string]uint32
	names  map[string]uint32
}

// meta is what Add's cheap pre-filter needs of an incident: its admin2's
// number and whether it has coordinates.
type meta struct {
	admin2   uint32
	hasCoord bool
}

// A cell is a blocking key: one day in one country ("~sea" for events at
// sea, whose country names only a coast), and one admin1 or none. Score is
// 0 between two different admin1 units, so an event naming one need only
// be compared with incidents in it and incidents naming none.
func cellKey(day int32, place uint32) uint64 { return uint64(uint32(day))<<32 | uint64(place) }

const seaCell = "~sea"

// NewIndex returns an empty index sized for about n incidents.
func NewIndex(n int) *Index {
	return &Index{incs: make([]*testigo.Incident, 0, n), meta: make([]meta, 0, n),
		cells: make(map[uint64][]int32, n/4+1), all: make(map[uint64][]int32, n/8+1),
		places: map[string]uint32{}, names: map[string]uint32{}}
}

// number returns the number of key in m, adding it if add is set; 0 for an
// empty key, or an unknown one when add is not set.
func number(m map[string]uint32, key string, add bool) uint32 {
	if key == "" {
		return 0
	}
	n, ok := m[key]
	if !ok && add {
		n = uint32(len(m) + 1)
		m[key] = n
	}
	return n
}

// Len returns the number of incidents.
func (x *Index) Len() int { return len(x.incs) }

// Incident returns incident i (0-based, in creation order).
func (x *Index) Incident(i int) *testigo.Incident { return x.incs[i] }

func dayNumber(t time.Time) int32 { return int32(t.Unix() / 86400) }

// Add clusters ev: it joins the best-scoring incident at or above
// Threshold, whose casualty range then widens as Derive would widen it, or
// starts a new incident. It returns the incident's index and whether it is
// new. Undated events start their own incident, as in the store path.
func (x *Index) Add(ev *testigo.Event) (int, bool) {
	d := ev.Day()
	country, admin1 := ev.Country, foldName(ev.Admin1)
	if AtSea(ev.Type) {
		country, admin1 = seaCell, ""
	}
	// The country's own cell (no admin1) and the admin1's, numbered on
	// first sight: an unknown one holds no incident yet.
	var whole, sub uint32
	if !d.IsZero() && country != "" {
		whole = number(x.places, country, true)
		if admin1 != "" {
			sub = number(x.places, country+"\x00"+admin1, true)
		}
	}
	admin2 := number(x.names, foldName(ev.Admin2), true)
	coord := ev.Lat != nil && ev.Lon != nil
	if whole != 0 {
		day := dayNumber(d)
		best, bestScore := -1, 0.0
		consider := func(ids []int32) {
			for _, i := range ids {
				// Two different municipalities cannot reach Threshold
				// (date 0.35, place -0.2, type 0.2, tolls 0.15 at most)
				// unless both have coordinates, which Score compares.
				m := x.meta[i]
				if admin2 != 0 && m.admin2 != 0 && admin2 != m.admin2 && !(coord && m.hasCoord) {
					continue
				}
				s := Score(ev, x.incs[i])
				if s >= Threshold && (best < 0 || s > bestScore || s == bestScore && int(i) < best) {
					best, bestScore = int(i), s
				}
			}
		}
		for k := day - DateWindow; k <= day+DateWindow; k++ {
			if sub == 0 {
				consider(x.all[cellKey(k, whole)])
				continue
			}
			consider(x.cells[cellKey(k, sub)])
			consider(x.cells[cellKey(k, whole)])
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
	i := len(x.incs)
	x.incs = append(x.incs, inc)
	x.meta = append(x.meta, meta{admin2: admin2, hasCoord: coord})
	if whole != 0 {
		day := dayNumber(d)
		key := cellKey(day, whole)
		if sub != 0 {
			key = cellKey(day, sub)
		}
		x.cells[key] = append(x.cells[key], int32(i))
		all := cellKey(day, whole)
		x.all[all] = append(x.all[all], int32(i))
	}
	return i, true
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
