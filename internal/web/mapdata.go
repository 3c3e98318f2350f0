package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
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

// round4 keeps four decimals (about 11 m), plenty for a map.
func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// mapView is the part of the map a request asks for: a zoom level, at
// which nearby points are clustered, and optionally the bounds shown.
type mapView struct {
	zoom       int  // -1: no clustering
	bbox       bool // whether w, s, e, n are set
	w, s, e, n float64
}

// clusterCell is the grid cell size in screen pixels within which points
// are clustered.
const clusterCell = 60

// noClusterZoom is the zoom from which every point is sent on its own.
const noClusterZoom = 13

// parseMapView reads and removes z and bbox from q.
func parseMapView(q url.Values) (mapView, error) {
	v := mapView{zoom: -1}
	if vs, ok := q["z"]; ok {
		z, err := strconv.Atoi(vs[0])
		if err != nil || len(vs) > 1 || z < 0 || z > 24 {
			return v, fmt.Errorf("%w: z %q is not a zoom level from 0 to 24", testigo.ErrInvalid, vs[0])
		}
		v.zoom = z
		q.Del("z")
	}
	if vs, ok := q["bbox"]; ok {
		parts := strings.Split(vs[0], ",")
		bad := fmt.Errorf("%w: bbox %q is not west,south,east,north in degrees", testigo.ErrInvalid, vs[0])
		if len(parts) != 4 || len(vs) > 1 {
			return v, bad
		}
		var f [4]float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(p, 64)
			if err != nil || math.IsNaN(x) || math.Abs(x) > 540 {
				return v, bad
			}
			f[i] = x
		}
		if f[1] > f[3] {
			return v, bad
		}
		v.bbox, v.w, v.s, v.e, v.n = true, f[0], f[1], f[2], f[3]
		q.Del("bbox")
	}
	return v, nil
}

// contains reports whether the view's bounds, widened by a fifth on every
// side so that panning shows points at once, hold the point.
func (v mapView) contains(lon, lat float64) bool {
	if !v.bbox {
		return true
	}
	if v.e-v.w >= 300 {
		return lat >= v.s-(v.n-v.s)/5 && lat <= v.n+(v.n-v.s)/5
	}
	dx, dy := (v.e-v.w)/5, (v.n-v.s)/5
	if lat < v.s-dy || lat > v.n+dy {
		return false
	}
	// Longitudes beyond ±180 (a map panned across the antimeridian) are
	// tried shifted by a turn both ways.
	for _, shift := range []float64{0, 360, -360} {
		if x := lon + shift; x >= v.w-dx && x <= v.e+dx {
			return true
		}
	}
	return false
}

// placedBounds returns how many of incs have coordinates and, when some
// do, their bounds as "west,south,east,north".
func placedBounds(incs []*testigo.Incident) (placed, unplaced int, bounds string) {
	minLon, minLat, maxLon, maxLat := 180.0, 90.0, -180.0, -90.0
	for _, inc := range incs {
		if inc.Lat == nil || inc.Lon == nil {
			unplaced++
			continue
		}
		placed++
		minLon, maxLon = math.Min(minLon, *inc.Lon), math.Max(maxLon, *inc.Lon)
		minLat, maxLat = math.Min(minLat, *inc.Lat), math.Max(maxLat, *inc.Lat)
	}
	if placed == 0 {
		return placed, unplaced, ""
	}
	var b []byte
	for i, f := range []float64{minLon, minLat, maxLon, maxLat} {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendFloat(b, round4(f), 'f', -1, 64)
	}
	return placed, unplaced, string(b)
}

// mercator returns a point's Web Mercator position in [0, 1]².
func mercator(lon, lat float64) (x, y float64) {
	lat = math.Max(-85.05, math.Min(85.05, lat))
	r := lat * math.Pi / 180
	return (lon + 180) / 360, (1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2
}

// mapCluster is the points of one grid cell.
type mapCluster struct {
	lon, lat float64 // sums, then means
	killed   int
	count    int
	first    *testigo.Incident
}

// abbreviate writes a cluster size as MapLibre does: 950, 1.2k, 12k.
func abbreviate(n int) string {
	switch {
	case n >= 10000:
		return strconv.Itoa(n/1000) + "k"
	case n >= 1000:
		return strconv.FormatFloat(math.Round(float64(n)/100)/10, 'f', -1, 64) + "k"
	}
	return strconv.Itoa(n)
}

// mapData answers the incidents matching the filters as GeoJSON. With a
// zoom level (z) the points are clustered on the server in grid cells of
// about clusterCell pixels, and with bounds (bbox) only what is in view is
// sent, so that the answer stays small however many incidents there are.
// Clusters carry point_count, point_count_abbreviated and the killed sum,
// as MapLibre's own clusters do; the answer also says how many incidents
// match in all (placed), how many have no coordinates (unplaced) and the
// bounds of the placed ones. It writes the JSON itself: encoding/json took
// ten times as long for 100,000 points.
func (h *handler) mapData(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	view, err := parseMapView(q)
	if err != nil {
		return err
	}
	vf, _, err := parseViewFilter(q, false)
	if err != nil {
		return err
	}
	incs, err := h.indexed(r.Context(), vf)
	if err != nil {
		return err
	}
	cells := 0.0
	if view.zoom >= 0 && view.zoom < noClusterZoom {
		cells = math.Floor(512 * math.Exp2(float64(view.zoom)) / clusterCell)
	}
	var (
		unplaced, placed int
		minLon, minLat   = 180.0, 90.0
		maxLon, maxLat   = -180.0, -90.0
		clusters         = map[[2]int]*mapCluster{}
		order            [][2]int
	)
	for _, inc := range incs {
		if inc.Lat == nil || inc.Lon == nil {
			unplaced++
			continue
		}
		lon, lat := *inc.Lon, *inc.Lat
		placed++
		minLon, maxLon = math.Min(minLon, lon), math.Max(maxLon, lon)
		minLat, maxLat = math.Min(minLat, lat), math.Max(maxLat, lat)
		if !view.contains(lon, lat) {
			continue
		}
		key := [2]int{int(inc.ID), 0}
		if cells > 0 {
			x, y := mercator(lon, lat)
			key = [2]int{int(x * cells), -1 - int(y*cells)}
		}
		c := clusters[key]
		if c == nil {
			c = &mapCluster{first: inc}
			clusters[key] = c
			order = append(order, key)
		}
		c.lon += lon
		c.lat += lat
		c.count++
		if inc.Killed != nil {
			c.killed += inc.Killed.Max
		}
	}
	b := make([]byte, 0, 64+len(order)*130)
	b = append(b, `{"type":"FeatureCollection","features":[`...)
	quoted := map[testigo.EventType][]byte{}
	for i, key := range order {
		c := clusters[key]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"Feature","geometry":{"type":"Point","coordinates":[`...)
		b = strconv.AppendFloat(b, round4(c.lon/float64(c.count)), 'f', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, round4(c.lat/float64(c.count)), 'f', -1, 64)
		b = append(b, `]},"properties":{`...)
		if c.count > 1 {
			b = append(b, `"cluster":true,"point_count":`...)
			b = strconv.AppendInt(b, int64(c.count), 10)
			b = append(b, `,"point_count_abbreviated":"`...)
			b = append(b, abbreviate(c.count)...)
			b = append(b, `","killed":`...)
			b = strconv.AppendInt(b, int64(c.killed), 10)
			b = append(b, "}}"...)
			continue
		}
		inc := c.first
		b = append(b, `"id":`...)
		b = strconv.AppendInt(b, int64(inc.ID), 10)
		t, ok := quoted[inc.Type]
		if !ok {
			if t, err = json.Marshal(inc.Type); err != nil {
				return fmt.Errorf("encode map data: %w", err)
			}
			quoted[inc.Type] = t
		}
		b = append(b, `,"type":`...)
		b = append(b, t...)
		b = append(b, `,"killed":`...)
		b = strconv.AppendInt(b, int64(c.killed), 10)
		b = append(b, "}}"...)
	}
	b = append(b, `],"placed":`...)
	b = strconv.AppendInt(b, int64(placed), 10)
	b = append(b, `,"unplaced":`...)
	b = strconv.AppendInt(b, int64(unplaced), 10)
	if placed > 0 {
		b = append(b, `,"bounds":[`...)
		for i, f := range []float64{minLon, minLat, maxLon, maxLat} {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendFloat(b, round4(f), 'f', -1, 64)
		}
		b = append(b, ']')
	}
	b = append(b, "}\n"...)
	w.Header().Set("Content-Type", "application/geo+json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b) // the client may be gone; nothing to do about it
	return nil
}

// writeCompactJSON answers v as unindented JSON: the map's data can hold
// a hundred thousand points, and every byte counts.
func writeCompactJSON(w http.ResponseWriter, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode map data: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b) // the client may be gone; nothing to do about it
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
	incs, err := h.indexed(r.Context(), vf)
	if err != nil {
		return err
	}
	return writeCompactJSON(w, buildTimeline(incs, h.lang(r)))
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
