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
	// cells holds incidents by day, country and admin1 (empty when
	// unknown); all by day and country, for events that name no admin1.
	cells map[cell][]int32
	all   map[cell][]int32
}

// meta is what Add's cheap pre-filter needs of an incident: its folded
// admin2 and whether it has coordinates.
type meta struct {
	admin2   string
	hasCoord bool
}

// cell is a blocking key: one day in one country ("~sea" for events at
// sea, whose country names only a coast), and one admin1 or none. Score is
// 0 between two different admin1 units, so an event naming one need only
// be compared with incidents in it and incidents naming none.
type cell struct {
	day     int32
	country string
	admin1  string
}

const seaCell = "~sea"

// NewIndex returns an empty index sized for about n incidents.
func NewIndex(n int) *Index {
	return &Index{incs: make([]*testigo.Incident, 0, n), meta: make([]meta, 0, n), cells: make(map[cell][]int32, n/4+1), all: make(map[cell][]int32, n/8+1)}
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
	if !d.IsZero() && country != "" {
		day := dayNumber(d)
		best, bestScore := -1, 0.0
		admin2, coord := foldName(ev.Admin2), ev.Lat != nil && ev.Lon != nil
		consider := func(ids []int32) {
			for _, i := range ids {
				// Two different municipalities cannot reach Threshold
				// (date 0.35, place -0.2, type 0.2, tolls 0.15 at most)
				// unless both have coordinates, which Score compares.
				m := x.meta[i]
				if admin2 != "" && m.admin2 != "" && admin2 != m.admin2 && !(coord && m.hasCoord) {
					continue
				}
				s := Score(ev, x.incs[i])
				if s >= Threshold && (best < 0 || s > bestScore || s == bestScore && int(i) < best) {
					best, bestScore = int(i), s
				}
			}
		}
		for k := day - DateWindow; k <= day+DateWindow; k++ {
			if admin1 == "" {
				consider(x.all[cell{k, country, ""}])
				continue
			}
			consider(x.cells[cell{k, country, admin1}])
			consider(x.cells[cell{k, country, ""}])
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
	x.meta = append(x.meta, meta{admin2: foldName(ev.Admin2), hasCoord: ev.Lat != nil && ev.Lon != nil})
	if !d.IsZero() && country != "" {
		key := cell{dayNumber(d), country, admin1}
		x.cells[key] = append(x.cells[key], int32(i))
		all := cell{key.day, country, ""}
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
