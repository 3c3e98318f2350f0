package site

import (
	"encoding/json"
	"fmt"
)

// outline is one country's polygons as rings of [lon, lat] points.
type outline struct {
	rings                  [][][2]float64
	minX, minY, maxX, maxY float64 // bounding box in degrees
}

// topology is the part of a TopoJSON file (world-atlas) the map reads.
type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects map[string]struct {
		Geometries []struct {
			Type string          `json:"type"`
			Arcs json.RawMessage `json:"arcs"`
		} `json:"geometries"`
	} `json:"objects"`
}

// parseOutlines decodes the polygons of the "countries" object of a
// world-atlas TopoJSON file: quantized, delta-encoded arcs are decoded, and
// each ring is stitched from its arcs (a negative index ~i is arc i
// reversed).
func parseOutlines(b []byte) ([]outline, error) {
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("basemap: %w", err)
	}
	obj, ok := t.Objects["countries"]
	if t.Type != "Topology" || !ok {
		return nil, fmt.Errorf("basemap: not a TopoJSON topology with a countries object")
	}
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		pts := make([][2]float64, len(a))
		var x, y float64
		for j, p := range a {
			if t.Transform != nil {
				x, y = x+p[0], y+p[1]
				pts[j] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
			} else {
				pts[j] = p
			}
		}
		arcs[i] = pts
	}
	ring := func(idx []int) ([][2]float64, error) {
		var out [][2]float64
		for k, i := range idx {
			rev := i < 0
			if rev {
				i = ^i
			}
			if i >= len(arcs) {
				return nil, fmt.Errorf("basemap: arc %d out of range", i)
			}
			a := arcs[i]
			for j := range a {
				p := a[j]
				if rev {
					p = a[len(a)-1-j]
				}
				if k > 0 && j == 0 {
					continue // the previous arc ended here
				}
				out = append(out, p)
			}
		}
		return out, nil
	}
	var outs []outline
	for _, g := range obj.Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, fmt.Errorf("basemap: polygon arcs: %w", err)
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("basemap: multipolygon arcs: %w", err)
			}
		default:
			continue
		}
		o := outline{minX: 180, minY: 90, maxX: -180, maxY: -90}
		for _, p := range polys {
			for _, r := range p {
				pts, err := ring(r)
				if err != nil {
					return nil, err
				}
				for _, q := range pts {
					o.minX, o.maxX = min(o.minX, q[0]), max(o.maxX, q[0])
					o.minY, o.maxY = min(o.minY, q[1]), max(o.maxY, q[1])
				}
				o.rings = append(o.rings, pts)
			}
		}
		outs = append(outs, o)
	}
	return outs, nil
}
