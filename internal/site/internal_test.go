package site

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseOutlines(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "basemap.topojson"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseOutlines(b)
	if err != nil {
		t.Fatal(err)
	}
	// The Venezuela square is one quantized, delta-encoded arc; the Yemen
	// box is arc 1 followed by arc 2 reversed (~2), whose shared end point
	// appears once.
	want := [][][][2]float64{
		{{{-73, 1}, {-60, 1}, {-60, 12}, {-73, 12}, {-73, 1}}},
		{{{42, 12}, {53, 12}, {53, 19}, {42, 19}, {42, 12}}},
	}
	var rings [][][][2]float64
	for _, o := range got {
		rings = append(rings, o.rings)
	}
	if diff := cmp.Diff(want, rings, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Errorf("rings (-want +got):\n%s", diff)
	}
	if o := got[1]; o.minX != 42 || o.maxX != 53 || math.Abs(o.minY-12) > 1e-9 || math.Abs(o.maxY-19) > 1e-9 {
		t.Errorf("Yemen box bounds %v %v %v %v", o.minX, o.minY, o.maxX, o.maxY)
	}
	for _, bad := range []string{`{`, `{"type":"Topology","objects":{}}`,
		`{"type":"Topology","arcs":[],"objects":{"countries":{"geometries":[{"type":"Polygon","arcs":[[5]]}]}}}`} {
		if _, err := parseOutlines([]byte(bad)); err == nil {
			t.Errorf("parseOutlines(%s) accepted it", bad)
		}
	}
}

func TestViewShape(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    bins
	}{
		{"empty", bins{}},
		{"one point", bins{{}: {lat: 15, lon: 45, n: 1}}},
		{"wide", bins{{1, 1}: {lat: 10, lon: -70, n: 1}, {2, 2}: {lat: 15, lon: 50, n: 1}}},
		{"tall", bins{{1, 1}: {lat: -40, lon: 10, n: 1}, {2, 2}: {lat: 60, lon: 12, n: 1}}},
	} {
		v := newView(tc.b)
		if v.height < minHeight-1 || v.height > maxHeight+1 {
			t.Errorf("%s: height %.0f outside [%v, %v]", tc.name, v.height, minHeight, maxHeight)
		}
		for _, c := range tc.b {
			x, y := v.xy(c.lat, c.lon)
			if x < 0 || x > mapWidth || y < 0 || y > v.height {
				t.Errorf("%s: point %v,%v drawn at %.0f,%.0f, outside the map", tc.name, c.lat, c.lon, x, y)
			}
		}
	}
}

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte("0000000000000000000000000000000000000000000000000000000000000000  index.html\n"))
	f.Add([]byte("zz  ../etc/passwd\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseManifest(b)
		if err != nil {
			return
		}
		for p, sum := range m {
			if !filepath.IsLocal(p) || len(sum) != 64 {
				t.Errorf("accepted %q %q", sum, p)
			}
		}
	})
}
