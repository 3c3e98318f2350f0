package site

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// The map and the timeline are drawn as inline SVG when the site is built,
// so the pages need no script: they work from file://, under a strict
// Content-Security-Policy and without a tile server.

// binKey is a cell of 0.1° by 0.1° that incidents are counted in.
type binKey struct{ lat, lon int32 }

// bin counts the incidents in one cell; while it holds one, it keeps that
// incident's ID and title for a link.
type bin struct {
	lat, lon float64 // of the first incident
	n        int
	id       testigo.IncidentID
	title    string
}

// bins counts placed incidents per cell.
type bins map[binKey]*bin

// add counts inc if it has valid coordinates.
func (b bins) add(inc *testigo.Incident) {
	lat, lon, ok := coords(inc)
	if !ok {
		return
	}
	k := binKey{int32(math.Round(lat * 10)), int32(math.Round(lon * 10))}
	if c := b[k]; c != nil {
		c.n++
		c.title = ""
		return
	}
	b[k] = &bin{lat: lat, lon: lon, n: 1, id: inc.ID, title: inc.Title}
}

// coords returns an incident's coordinates when both are set and in range.
func coords(inc *testigo.Incident) (lat, lon float64, ok bool) {
	if inc.Lat == nil || inc.Lon == nil {
		return 0, 0, false
	}
	lat, lon = *inc.Lat, *inc.Lon
	if math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}

const (
	mapWidth  = 800.0
	minHeight = 320.0
	maxHeight = 480.0
	minSpan   = 6.0 // degrees of latitude shown at least
	cellPx    = 10.0
)

// view is the part of the world a map shows and its projection: an
// equirectangular projection whose horizontal scale is corrected at the
// middle latitude.
type view struct {
	west, south, east, north float64
	scale, kx                float64 // pixels per degree of latitude; cos(middle latitude)
	height                   float64
}

// newView fits the cells with a margin, at least minSpan degrees tall,
// widened or heightened to a sensible shape; with no cells it shows the
// inhabited world.
func newView(b bins) view {
	v := view{west: -180, south: -58, east: 180, north: 84}
	if len(b) > 0 {
		v = view{west: 180, south: 90, east: -180, north: -90}
		for _, c := range b {
			v.west, v.east = min(v.west, c.lon), max(v.east, c.lon)
			v.south, v.north = min(v.south, c.lat), max(v.north, c.lat)
		}
		padLat := max((v.north-v.south)*0.15, (minSpan-(v.north-v.south))/2)
		padLon := max((v.east-v.west)*0.15, (minSpan-(v.east-v.west))/2)
		v.south, v.north = v.south-padLat, v.north+padLat
		v.west, v.east = v.west-padLon, v.east+padLon
	}
	v.south, v.north = max(v.south, -85), min(v.north, 85)
	v.kx = math.Cos((v.south + v.north) / 2 * math.Pi / 180)
	v.scale = mapWidth / ((v.east - v.west) * v.kx)
	v.height = (v.north - v.south) * v.scale
	switch {
	case v.height > maxHeight: // too tall: show more longitude
		extra := ((v.north-v.south)*mapWidth/maxHeight/v.kx - (v.east - v.west)) / 2
		v.west, v.east = v.west-extra, v.east+extra
	case v.height < minHeight: // too flat: show more latitude
		extra := ((v.east-v.west)*v.kx*minHeight/mapWidth - (v.north - v.south)) / 2
		v.south, v.north = v.south-extra, v.north+extra
	}
	v.scale = mapWidth / ((v.east - v.west) * v.kx)
	v.height = (v.north - v.south) * v.scale
	return v
}

// xy projects a point to pixels.
func (v view) xy(lat, lon float64) (x, y float64) {
	return (lon - v.west) * v.kx * v.scale, (v.north - lat) * v.scale
}

// renderMap draws the outlines that reach into the view and a circle per
// cluster of incidents, sized by count; a circle of one incident links to
// its page. root is the relative path from the page to the site's root.
func renderMap(outlines []outline, b bins, root, label string) template.HTML {
	v := newView(b)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="map" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, mapWidth, v.height, html.EscapeString(label))
	fmt.Fprintf(&sb, `<rect class="sea" width="%.0f" height="%.0f"/>`, mapWidth, v.height)
	if len(outlines) > 0 {
		sb.WriteString(`<path class="land" d="`)
		for _, o := range outlines {
			if o.maxX < v.west-1 || o.minX > v.east+1 || o.maxY < v.south-1 || o.minY > v.north+1 {
				continue
			}
			for _, r := range o.rings {
				var lx, ly float64
				for i, p := range r {
					x, y := v.xy(p[1], p[0])
					x, y = math.Round(x*10)/10, math.Round(y*10)/10
					switch {
					case i == 0:
						fmt.Fprintf(&sb, "M%g %g", x, y)
					case x != lx || y != ly:
						fmt.Fprintf(&sb, "L%g %g", x, y)
					}
					lx, ly = x, y
				}
				sb.WriteString("Z")
			}
		}
		sb.WriteString(`"/>`)
	}
	for _, c := range cluster(v, b) {
		r := math.Min(3+2*math.Sqrt(float64(c.n)), 22)
		circle := fmt.Sprintf(`<circle class="incident" cx="%.1f" cy="%.1f" r="%.1f">`, c.x, c.y, r)
		if c.n == 1 {
			title := c.title
			if title == "" {
				title = fmt.Sprintf("Incident %d", c.id)
			}
			fmt.Fprintf(&sb, `<a href="%sincidents/%d/index.html">%s<title>%s</title></circle></a>`,
				root, c.id, circle, html.EscapeString(title))
			continue
		}
		fmt.Fprintf(&sb, `%s<title>%d incidents</title></circle>`, circle, c.n)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// spot is a cluster of cells drawn as one circle.
type spot struct {
	x, y  float64
	n     int
	id    testigo.IncidentID
	title string
}

// cluster merges the cells that fall in the same cellPx square of the map,
// placing each circle at its incidents' mean position, in a stable order.
func cluster(v view, b bins) []*spot {
	type key struct{ x, y int }
	// Cells are taken in a fixed order, so that the sums, and so the
	// page's bytes, do not depend on map iteration.
	keys := make([]binKey, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].lat != keys[j].lat {
			return keys[i].lat < keys[j].lat
		}
		return keys[i].lon < keys[j].lon
	})
	m := map[key]*spot{}
	for _, k := range keys {
		c := b[k]
		x, y := v.xy(c.lat, c.lon)
		k := key{int(x / cellPx), int(y / cellPx)}
		s := m[k]
		if s == nil {
			s = &spot{id: c.id, title: c.title}
			m[k] = s
		} else {
			s.title = ""
		}
		s.x += x * float64(c.n)
		s.y += y * float64(c.n)
		s.n += c.n
	}
	out := make([]*spot, 0, len(m))
	for _, s := range m {
		s.x /= float64(s.n)
		s.y /= float64(s.n)
		out = append(out, s)
	}
	// Big circles first, so small ones stay clickable on top.
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		if out[i].x != out[j].x {
			return out[i].x < out[j].x
		}
		return out[i].y < out[j].y
	})
	return out
}

const (
	timelineWidth  = 800.0
	timelineHeight = 140.0
	axisHeight     = 30.0
	minMonths      = 12
)

// renderTimeline draws one bar per month from the first month with
// incidents to the last, with a year label under each January; each bar of
// a month with incidents links to href(month).
func renderTimeline(counts map[string]int, href func(month string) string, label string) template.HTML {
	var months []string
	for m := range counts {
		months = append(months, m)
	}
	if len(months) == 0 {
		return ""
	}
	sort.Strings(months)
	first, err1 := time.Parse("2006-01", months[0])
	last, err2 := time.Parse("2006-01", months[len(months)-1])
	if err1 != nil || err2 != nil {
		return ""
	}
	// At least a year is shown, so that a short record does not draw a
	// few very wide bars.
	if f := last.AddDate(0, -(minMonths - 1), 0); f.Before(first) {
		first = f
	}
	var all []string
	for t := first; !t.After(last); t = t.AddDate(0, 1, 0) {
		all = append(all, t.Format("2006-01"))
	}
	peak := 0
	for _, n := range counts {
		peak = max(peak, n)
	}
	w := timelineWidth / float64(len(all))
	plot := timelineHeight - axisHeight
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="timeline" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, timelineWidth, timelineHeight, html.EscapeString(label))
	fmt.Fprintf(&sb, `<line class="axis" x1="0" y1="%.1f" x2="%.0f" y2="%.1f"/>`, plot, timelineWidth, plot)
	for i, m := range all {
		x := float64(i) * w
		if n := counts[m]; n > 0 {
			h := math.Max(plot*float64(n)/float64(peak), 2)
			t, _ := time.Parse("2006-01", m) // m came from a parsed month
			fmt.Fprintf(&sb, `<a href="%s"><rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s: %d</title></rect></a>`,
				html.EscapeString(href(m)), x+w*0.1, plot-h, w*0.8, h, t.Format("January 2006"), n)
		}
		if len(all) <= 24 {
			t, _ := time.Parse("2006-01", m) // m came from a parsed month
			fmt.Fprintf(&sb, `<text class="month" x="%.1f" y="%.0f">%s</text>`, x+w/2, plot+12, t.Format("Jan"))
		}
		if strings.HasSuffix(m, "-01") || i == 0 {
			fmt.Fprintf(&sb, `<text class="year" x="%.1f" y="%.0f">%s</text>`, x+1, timelineHeight-3, m[:4])
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
