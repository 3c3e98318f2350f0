package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// viewFilter is what the map, the timeline and the table on / share: the
// listing's filter plus the grade and an actor, which the store cannot
// filter on and which are applied here.
type viewFilter struct {
	testigo.IncidentFilter
	Grade testigo.Grade
	Actor string // case-insensitive substring of an actor's name
}

// maxActor is the longest actor filter accepted, in bytes.
const maxActor = 100

// grades lists the grades in the order the filter offers them.
var grades = []testigo.Grade{
	testigo.GradeConfirmed, testigo.GradeFair, testigo.GradeWeak, testigo.GradeContested, testigo.GradeDiscounted,
}

// parseViewFilter reads the filters of / and of its data routes. Empty
// fields, which the filter form sends, are dropped first; the lang
// parameter belongs to the language switch and is ignored.
func parseViewFilter(q url.Values, paging bool) (viewFilter, url.Values, error) {
	clean := url.Values{}
	for k, vs := range q {
		if len(vs) == 1 && vs[0] == "" || k == "lang" {
			continue
		}
		clean[k] = vs
	}
	var vf viewFilter
	rest := url.Values{}
	for k, vs := range clean {
		rest[k] = vs
	}
	if vs, ok := rest["grade"]; ok {
		if len(vs) > 1 {
			return vf, clean, fmt.Errorf("%w: parameter \"grade\" given %d times", testigo.ErrInvalid, len(vs))
		}
		if !slices.Contains(grades, testigo.Grade(vs[0])) {
			return vf, clean, fmt.Errorf("%w: grade %q is not one of confirmed, fair, weak, contested, discounted", testigo.ErrInvalid, vs[0])
		}
		vf.Grade = testigo.Grade(vs[0])
		rest.Del("grade")
	}
	if vs, ok := rest["actor"]; ok {
		if len(vs) > 1 {
			return vf, clean, fmt.Errorf("%w: parameter \"actor\" given %d times", testigo.ErrInvalid, len(vs))
		}
		a := strings.TrimSpace(vs[0])
		if len(a) > maxActor {
			return vf, clean, fmt.Errorf("%w: actor is %d bytes long, at most %d", testigo.ErrInvalid, len(a), maxActor)
		}
		vf.Actor = a
		rest.Del("actor")
	}
	if !paging {
		for _, k := range []string{"limit", "cursor"} {
			if _, ok := rest[k]; ok {
				return vf, clean, fmt.Errorf("%w: unknown parameter %q (known: country, type, since, until, review, grade, actor)", testigo.ErrInvalid, k)
			}
		}
	}
	f, err := parseIncidentFilter(rest)
	if err != nil {
		return vf, clean, err
	}
	vf.IncidentFilter = f
	return vf, clean, nil
}

// needsScan reports whether the filter needs the grade or actor test,
// which only this package can apply.
func (vf viewFilter) needsScan() bool { return vf.Grade != "" || vf.Actor != "" }

// allIncidents returns every incident matching vf, in listing order,
// ignoring its limit and cursor.
func (h *handler) allIncidents(ctx context.Context, vf viewFilter) ([]*testigo.Incident, error) {
	f := vf.IncidentFilter
	f.Limit, f.After = 0, nil
	incs, err := h.Store.FindIncidents(ctx, f)
	if err != nil {
		return nil, err
	}
	if !vf.needsScan() {
		return incs, nil
	}
	var withActor map[testigo.IncidentID]bool
	if vf.Actor != "" {
		withActor, err = h.incidentsWithActor(ctx, vf.Actor)
		if err != nil {
			return nil, err
		}
	}
	out := incs[:0]
	for _, inc := range incs {
		if vf.Grade != "" && inc.Grade != vf.Grade {
			continue
		}
		if withActor != nil && !withActor[inc.ID] {
			continue
		}
		out = append(out, inc)
	}
	return out, nil
}

// incidentsWithActor returns the incidents one of whose reports names an
// actor whose name or group contains name, ignoring case.
func (h *handler) incidentsWithActor(ctx context.Context, name string) (map[testigo.IncidentID]bool, error) {
	reports, err := h.Store.FindReports(ctx, testigo.ReportFilter{})
	if err != nil {
		return nil, err
	}
	want := strings.ToLower(name)
	out := map[testigo.IncidentID]bool{}
	for _, r := range reports {
		if r.IncidentID == 0 || out[r.IncidentID] {
			continue
		}
		for _, a := range r.Actors {
			if strings.Contains(strings.ToLower(a.Name), want) || strings.Contains(strings.ToLower(a.Group), want) {
				out[r.IncidentID] = true
				break
			}
		}
	}
	return out, nil
}

// pageIncidents cuts one page out of incidents, which are in listing
// order, starting after f.After; it mirrors findIncidents.
func pageIncidents(incs []*testigo.Incident, f testigo.IncidentFilter) incidentList {
	start := 0
	if c := f.After; c != nil {
		start = len(incs)
		for i, inc := range incs {
			if inc.Date < c.Date || inc.Date == c.Date && inc.ID < c.ID {
				start = i
				break
			}
		}
	}
	incs = incs[start:]
	var out incidentList
	if len(incs) > f.Limit {
		incs = incs[:f.Limit]
		out.NextCursor = encodeCursor(incs[len(incs)-1])
	}
	out.Incidents = incs
	return out
}

// geoJSON is a GeoJSON FeatureCollection of incident points.
type geoJSON struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
	// Unplaced counts the matching incidents without coordinates, which
	// the map cannot show (the table does).
	Unplaced int `json:"unplaced"`
}

type geoFeature struct {
	Type       string      `json:"type"`
	Geometry   geoPoint    `json:"geometry"`
	Properties geoProperty `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// geoProperty is kept short: the map needs only enough to colour, size
// and link each point.
type geoProperty struct {
	ID     testigo.IncidentID `json:"id"`
	Type   testigo.EventType  `json:"type"`
	Date   string             `json:"date,omitempty"`
	Killed int                `json:"killed"` // the upper figure, 0 when unknown
}

// round4 keeps four decimals (about 11 m), plenty for a map.
func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// mapData answers the incidents matching the filters as GeoJSON points.
func (h *handler) mapData(w http.ResponseWriter, r *http.Request) error {
	vf, _, err := parseViewFilter(r.URL.Query(), false)
	if err != nil {
		return err
	}
	incs, err := h.allIncidents(r.Context(), vf)
	if err != nil {
		return err
	}
	out := geoJSON{Type: "FeatureCollection", Features: make([]geoFeature, 0, len(incs))}
	for _, inc := range incs {
		if inc.Lat == nil || inc.Lon == nil {
			out.Unplaced++
			continue
		}
		p := geoProperty{ID: inc.ID, Type: inc.Type, Date: inc.Date}
		if inc.Killed != nil {
			p.Killed = inc.Killed.Max
		}
		out.Features = append(out.Features, geoFeature{Type: "Feature",
			Geometry:   geoPoint{Type: "Point", Coordinates: [2]float64{round4(*inc.Lon), round4(*inc.Lat)}},
			Properties: p})
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// timelineJSON is the weekly timeline: for each week (starting Monday,
// as Unix seconds) the number of incidents of each type shown and the sum
// of the killed figures' lower and upper bounds.
type timelineJSON struct {
	Weeks     []int64           `json:"weeks"`
	Types     []string          `json:"types"`
	Counts    [][]int           `json:"counts"` // Counts[type][week]
	KilledMin []int             `json:"killed_min"`
	KilledMax []int             `json:"killed_max"`
	Undated   int               `json:"undated"`
	Labels    map[string]string `json:"labels"`
}

// timelineTypes is how many types the timeline stacks; the rest are
// summed as "other types".
const timelineTypes = 6

// otherTypes names the stack of the remaining types.
const otherTypes = "other_types"

// maxWeeks bounds the timeline's length; older weeks are dropped.
const maxWeeks = 1040

// weekStart returns the Monday of the week of day.
func weekStart(day time.Time) time.Time {
	wd := (int(day.Weekday()) + 6) % 7
	return day.AddDate(0, 0, -wd)
}

// timeline answers the weekly counts of the incidents matching the
// filters.
func (h *handler) timeline(w http.ResponseWriter, r *http.Request) error {
	vf, _, err := parseViewFilter(r.URL.Query(), false)
	if err != nil {
		return err
	}
	incs, err := h.allIncidents(r.Context(), vf)
	if err != nil {
		return err
	}
	out := buildTimeline(incs, h.lang(r))
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, out)
	return nil
}

// buildTimeline buckets incidents by week and stacks the commonest types.
func buildTimeline(incs []*testigo.Incident, lang string) timelineJSON {
	out := timelineJSON{Weeks: []int64{}, Types: []string{}, Counts: [][]int{}, KilledMin: []int{}, KilledMax: []int{}, Labels: map[string]string{}}
	perType := map[testigo.EventType]int{}
	var first, last time.Time
	type dated struct {
		inc  *testigo.Incident
		week time.Time
	}
	var ds []dated
	for _, inc := range incs {
		day, err := time.Parse(testigo.DateLayout, inc.Date)
		if err != nil {
			out.Undated++
			continue
		}
		wk := weekStart(day)
		ds = append(ds, dated{inc, wk})
		perType[inc.Type]++
		if first.IsZero() || wk.Before(first) {
			first = wk
		}
		if wk.After(last) {
			last = wk
		}
	}
	if len(ds) == 0 {
		return out
	}
	if n := int(last.Sub(first).Hours()/(24*7)) + 1; n > maxWeeks {
		first = last.AddDate(0, 0, -7*(maxWeeks-1))
	}
	types := make([]testigo.EventType, 0, len(perType))
	for t := range perType {
		types = append(types, t)
	}
	slices.SortFunc(types, func(a, b testigo.EventType) int {
		if perType[a] != perType[b] {
			return perType[b] - perType[a]
		}
		return strings.Compare(string(a), string(b))
	})
	stackOf := map[testigo.EventType]int{}
	for i, t := range types {
		if i < timelineTypes {
			stackOf[t] = i
			out.Types = append(out.Types, string(t))
			out.Labels[string(t)] = typeLabel(lang, t)
		} else {
			stackOf[t] = timelineTypes
		}
	}
	if len(types) > timelineTypes {
		out.Types = append(out.Types, otherTypes)
		out.Labels[otherTypes] = message(lang, "other types")
	}
	n := int(last.Sub(first).Hours()/(24*7)) + 1
	for i := range n {
		out.Weeks = append(out.Weeks, first.AddDate(0, 0, 7*i).Unix())
	}
	out.Counts = make([][]int, len(out.Types))
	for i := range out.Counts {
		out.Counts[i] = make([]int, n)
	}
	out.KilledMin, out.KilledMax = make([]int, n), make([]int, n)
	for _, d := range ds {
		if d.week.Before(first) {
			continue
		}
		i := int(d.week.Sub(first).Hours() / (24 * 7))
		out.Counts[stackOf[d.inc.Type]][i]++
		if k := d.inc.Killed; k != nil {
			out.KilledMin[i] += k.Min
			out.KilledMax[i] += k.Max
		}
	}
	return out
}

// typeColours is the palette the map and the legend share, by type family.
var typeColours = map[testigo.EventType]string{
	testigo.TypeAirDroneStrike:           "#b2182b",
	testigo.TypeShellingArtilleryMissile: "#d6604d",
	testigo.TypeVesselStrike:             "#762a83",
	testigo.TypeGroundRaid:               "#e08214",
	testigo.TypeArmedClash:               "#8c510a",
	testigo.TypeAttack:                   "#bf812d",
	testigo.TypeRemoteExplosive:          "#c51b7d",
	testigo.TypeOrganizedCrime:           "#35978f",
	testigo.TypeAbduction:                "#01665e",
	testigo.TypeArrest:                   "#4393c3",
	testigo.TypeOfficialStatement:        "#878787",
}

// defaultColour colours the types without their own colour.
const defaultColour = "#2166ac"

// colourOf returns the map colour of t.
func colourOf(t testigo.EventType) string {
	if c, ok := typeColours[t]; ok {
		return c
	}
	return defaultColour
}

// legendEntry is one type in the map's legend and colour expression.
type legendEntry struct {
	Type   testigo.EventType
	Label  string
	Colour string
}

// legendTypes are the types the legend names, in order; the rest share
// defaultColour.
var legendTypes = []testigo.EventType{
	testigo.TypeAirDroneStrike, testigo.TypeShellingArtilleryMissile, testigo.TypeVesselStrike,
	testigo.TypeGroundRaid, testigo.TypeArmedClash, testigo.TypeAttack, testigo.TypeRemoteExplosive,
	testigo.TypeOrganizedCrime, testigo.TypeAbduction, testigo.TypeArrest, testigo.TypeOfficialStatement,
}

// mapColours is the "type=colour;…" list map.js turns into the circle
// layer's colour expression, in legend order.
func mapColours() string {
	var b strings.Builder
	for _, t := range legendTypes {
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(string(t) + "=" + colourOf(t))
	}
	return b.String()
}
