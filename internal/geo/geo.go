// Package geo is testigo's gazetteer: it finds mentions of countries,
// first- and second-level administrative areas and populated places in
// English and Spanish text and resolves them to names, codes and
// coordinates, offline, from an embedded GeoNames-derived data file plus
// curated alias files.
//
// Ambiguous names are resolved with the document's own context: a place
// whose country, state or district is also mentioned wins over namesakes
// elsewhere, then higher administrative levels and larger populations.
package geo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Kind says what a match names.
type Kind int

// The kinds of named entity, from the broadest to the most specific.
const (
	KindCountry Kind = iota
	KindAdmin1       // state, province, governorate, region
	KindAdmin2       // municipality, district, agency
	KindPlace        // city, town or village
)

// String returns the kind's lower-case name.
func (k Kind) String() string {
	switch k {
	case KindCountry:
		return "country"
	case KindAdmin1:
		return "admin1"
	case KindAdmin2:
		return "admin2"
	case KindPlace:
		return "place"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Match is one place mention found in a text.
type Match struct {
	Start, End int     // byte offsets of the mention in the text given to Find
	Kind       Kind    // what the mention names
	Name       string  // canonical name of the matched entity, e.g. "Culiacán"
	Country    string  // ISO 3166-1 alpha-2 code, always set
	Admin1     string  // canonical admin1 name, set for admin1, admin2 and place matches
	Admin2     string  // canonical admin2 name when known
	Lat, Lon   float64 // representative point: the place, or the seat of an area or country
	HasCoord   bool    // whether Lat and Lon are known
	Population int     // population when known, else 0
}

//go:embed data/gazetteer.tsv.gz
var dataFile []byte

//go:embed aliases/*.tsv words/*.txt
var curated embed.FS

// entity is a country, admin area or place.
type entity struct {
	name     string
	iso      string // ISO 3166-1 alpha-2, countries only
	kind     Kind
	country  int32 // entity index of the country
	a1, a2   int32 // entity indexes of the admin1 and admin2, or -1
	lat, lon float32
	hasCoord bool
	pop      int32
	seat     uint8 // 3 national capital, 2 admin1 seat, 1 admin2 seat, 0 other
}

// posting flags.
const (
	flagLower uint8 = 1 << iota // may match when written in lower case (demonyms)
	flagAlias                   // comes from a curated alias
	flagBlock                   // the key names something that is not a place ("Sinaloa Cartel"); ent is -1
	flagShort                   // a shortened name ("Acapulco" for "Acapulco de Juárez")
)

type posting struct {
	ent   int32
	flags uint8
}

// Gazetteer finds and resolves place names. It is immutable after Load
// and safe for concurrent use.
type Gazetteer struct {
	ents     []entity
	index    map[string]int32 // folded key → postings index, or -1 for a key prefix only
	postings [][]posting
	stop     map[string]bool // keys that are also common words or person names
	iso      map[string]int32
	maxToks  int
	sources  []string
}

// Sources returns the "package@version (licence)" lines naming the data
// the gazetteer was built from.
func (g *Gazetteer) Sources() []string { return append([]string(nil), g.sources...) }

// CountryName returns the English name of the country with the given ISO
// 3166-1 alpha-2 code, or "" if the code is unknown.
func (g *Gazetteer) CountryName(iso2 string) string {
	i, ok := g.iso[strings.ToUpper(iso2)]
	if !ok {
		return ""
	}
	return g.ents[i].name
}

// Load reads the embedded data file and alias files.
func Load() (*Gazetteer, error) {
	g := &Gazetteer{
		index: make(map[string]int32, 400_000),
		stop:  map[string]bool{},
		iso:   map[string]int32{},
	}
	zr, err := gzip.NewReader(bytes.NewReader(dataFile))
	if err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	if err := g.parseData(raw); err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	if err := g.loadCurated(); err != nil {
		return nil, fmt.Errorf("load gazetteer: %w", err)
	}
	return g, nil
}

func (g *Gazetteer) parseData(raw []byte) error {
	codes := map[string]int32{} // "MX", "MX.25", "MX.25.006" → entity
	g.ents = make([]entity, 0, 230_000)
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	var f [8]string
	for sc.Scan() {
		line++
		s := sc.Text()
		if strings.HasPrefix(s, "# source ") {
			g.sources = append(g.sources, strings.TrimPrefix(s, "# source "))
			continue
		}
		if s == "" || s[0] == '#' {
			continue
		}
		n := splitTabs(s, f[:])
		bad := func() error { return fmt.Errorf("data line %d: malformed %q", line, s) }
		if n < 5 {
			return bad()
		}
		e := entity{country: -1, a1: -1, a2: -1}
		code := f[1]
		if f[2] != "" {
			lat, err1 := strconv.ParseFloat(f[2], 32)
			lon, err2 := strconv.ParseFloat(f[3], 32)
			if err1 != nil || err2 != nil {
				return bad()
			}
			e.lat, e.lon, e.hasCoord = float32(lat), float32(lon), true
		}
		parent := func(c string) bool {
			parts := strings.Split(c, ".")
			ok := true
			var idx int32 = -1
			for k := range parts {
				i, found := codes[strings.Join(parts[:k+1], ".")]
				if !found {
					if k == 0 {
						ok = false
					}
					continue
				}
				idx = i
				switch k {
				case 0:
					e.country = i
				case 1:
					e.a1 = i
				case 2:
					e.a2 = i
				}
			}
			return ok && idx >= 0
		}
		id := int32(len(g.ents))
		var names []string
		switch f[0] {
		case "C":
			e.kind = KindCountry
			e.country = id
			e.iso = code
			e.seat = 3
			en := strings.Split(f[4], "|")
			// The shortest English name reads best ("Iran", not "Islamic Republic of Iran").
			e.name = en[0]
			for _, x := range en {
				if len(x) < len(e.name) && !strings.Contains(x, ".") && strings.ToUpper(x) != x {
					e.name = x
				}
			}
			names = append(names, en...)
			if n > 5 {
				names = append(names, strings.Split(f[5], "|")...)
			}
			codes[code] = id
			g.iso[code] = id
		case "A", "B":
			e.kind = KindAdmin1
			if f[0] == "B" {
				e.kind = KindAdmin2
			}
			if !parent(code) {
				continue // admin area of a country we do not know
			}
			if n < 6 {
				return bad()
			}
			if f[4] != "" {
				p, err := strconv.Atoi(f[4])
				if err != nil {
					return bad()
				}
				e.pop = int32(min(p, 1<<31-1))
			}
			e.name = f[5]
			names = adminVariants(e.name)
			codes[code] = id
			if e.kind == KindAdmin1 {
				e.a1 = id
			} else {
				e.a2 = id
			}
		case "P":
			if n < 7 {
				return bad()
			}
			e.kind = KindPlace
			if !parent(code) {
				continue
			}
			if f[4] != "" {
				p, err := strconv.Atoi(f[4])
				if err != nil {
					return bad()
				}
				e.pop = int32(min(p, 1<<31-1))
			}
			switch f[5] {
			case "PPLC":
				e.seat = 3
			case "PPLA":
				e.seat = 2
			case "PPLA2":
				e.seat = 1
			}
			e.name = f[6]
			names = []string{e.name}
		default:
			return bad()
		}
		var short []string
		if e.kind >= KindAdmin2 && hispanic[code[:2]] && (e.kind == KindAdmin2 || e.pop >= 1000) {
			short = shortSpanish(e.name)
		}
		if e.kind >= KindAdmin1 && arabic[code[:2]] {
			names = append(names, withoutArticle(names)...)
		}
		if e.kind == KindPlace && code[:2] == "PH" && e.seat > 0 {
			// Philippine cities are named "Marawi City", "Cotabato City"
			// and written "Marawi", "Cotabato"; only seats, so that the
			// province of the same name keeps its own reading.
			if base, ok := strings.CutSuffix(e.name, " City"); ok && len(base) >= 4 && !g.namesArea(base, e.country) {
				short = append(short, base)
			}
		}
		g.ents = append(g.ents, e)
		for _, nm := range names {
			g.add(foldKey(nm), posting{ent: id})
		}
		for _, nm := range short {
			g.add(foldKey(nm), posting{ent: id, flags: flagShort})
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if len(g.iso) == 0 {
		return fmt.Errorf("no countries in data file")
	}
	return nil
}

func splitTabs(s string, f []string) int {
	n := 0
	for n < len(f)-1 {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			break
		}
		f[n] = s[:i]
		s = s[i+1:]
		n++
	}
	f[n] = s
	return n + 1
}

// Generic words around admin names: "Sanaa Governorate", "Muhafazat
// Hadramaout", "Khyber Agency", "Departamento de Antioquia".
var (
	adminSuffixes = []string{"district", "agency", "department", "province", "governorate", "municipality",
		"region", "county", "state", "division", "prefecture", "parish", "borough", "oblast", "raion", "municipio"}
	// adminPrefixes are tried in order and the first that fits is cut, so a
	// longer prefix ("municipio de") comes before its first word
	// ("municipio", as in GeoNames' Venezuelan "Municipio Cedeño").
	adminPrefixes = []string{"muhafazat", "provincia de", "provincia", "departamento de", "departamento del",
		"departamento", "municipio de", "municipio", "distrito de", "distrito", "partido de", "partido",
		"estado de", "province of", "region of"}
)

// adminVariants returns an admin area's name and the name with a generic
// leading or trailing word removed.
func adminVariants(name string) []string {
	out := []string{name}
	k := foldKey(name)
	for _, s := range adminSuffixes {
		if rest, ok := strings.CutSuffix(k, " "+s); ok && rest != "" {
			out = append(out, rest)
		}
	}
	for _, p := range adminPrefixes {
		if rest, ok := strings.CutPrefix(k, p+" "); ok && rest != "" {
			if len(rest) >= 4 {
				out = append(out, rest)
			}
			break
		}
	}
	return out
}

// hispanic lists countries whose place names often carry an honorific tail
// that the press leaves out ("Acapulco de Juárez", "Chilpancingo de los Bravo").
var hispanic = map[string]bool{"MX": true, "CO": true, "VE": true, "ES": true, "AR": true, "PE": true, "CL": true,
	"EC": true, "BO": true, "GT": true, "HN": true, "SV": true, "NI": true, "CR": true, "PA": true, "CU": true,
	"DO": true, "PY": true, "UY": true, "PR": true}

// namesArea reports whether name is already the name of an admin area of
// the country with entity index country ("Quezon" the province, so
// "Quezon City" does not shorten to it). Areas precede places in the data
// file.
func (g *Gazetteer) namesArea(name string, country int32) bool {
	v, ok := g.index[foldKey(name)]
	if !ok || v < 0 {
		return false
	}
	for _, p := range g.postings[v] {
		if e := &g.ents[p.ent]; e.country == country && (e.kind == KindAdmin1 || e.kind == KindAdmin2) {
			return true
		}
	}
	return false
}

// shortSpanish returns the short forms the press uses for a Spanish place
// name: the part before " de " ("Acapulco de Juárez" → "Acapulco"), the
// name without a leading title ("Ciudad Juárez" → "Juárez", "General
// Escobedo" → "Escobedo", "Heroica Caborca" → "Caborca") and the name
// without its saint ("San Martín Texmelucan" → "Texmelucan", "San Pedro
// Tlaquepaque" → "Tlaquepaque"), each when at least five letters long.
func shortSpanish(name string) []string {
	var out []string
	if i := strings.Index(name, " de "); i >= 5 {
		out = append(out, name[:i])
	}
	words := strings.Fields(name)
	if len(words) < 2 {
		return out
	}
	switch words[0] {
	case "Ciudad", "Heroica", "General", "H.":
		rest := strings.Join(words[1:], " ")
		if len(words) == 3 && words[1] == "General" {
			rest = words[2] // "Ciudad General Escobedo"
		}
		if len(rest) >= 5 && !strings.HasPrefix(rest, "de ") && !strings.HasPrefix(rest, "del ") {
			out = append(out, rest)
			if j := strings.Index(rest, " de "); j >= 5 {
				out = append(out, rest[:j])
			}
		}
	case "San", "Santa", "Santo":
		// "Santa Cruz Municipality" does not shorten to "Municipality".
		if len(words) >= 3 && len(words[2]) >= 5 && unicode.IsUpper([]rune(words[2])[0]) &&
			!slices.Contains(adminSuffixes, foldKey(words[2])) {
			rest := strings.Join(words[2:], " ")
			if j := strings.Index(rest, " de "); j >= 5 {
				rest = rest[:j]
			}
			out = append(out, rest)
		}
	}
	return out
}

// arabic lists countries whose place names carry an Arabic article that
// the press often leaves out ("Al Mahfad" → "Mahfad", "Al Mukalla" →
// "Mukalla").
var arabic = map[string]bool{"YE": true, "SA": true, "IQ": true, "SY": true, "LY": true, "EG": true, "JO": true,
	"LB": true, "PS": true, "OM": true, "AE": true, "QA": true, "KW": true, "BH": true, "SD": true, "DZ": true,
	"MA": true, "TN": true, "MR": true}

// arabicArticles are the folded forms of the article before sun and moon
// letters.
var arabicArticles = []string{"al ", "el ", "as ", "ad ", "ar ", "an ", "at ", "az ", "ash ", "adh ", "ath "}

// withoutArticle returns the names that start with an Arabic article,
// without it, when at least four letters remain.
func withoutArticle(names []string) []string {
	var out []string
	for _, n := range names {
		k := foldKey(n)
		for _, a := range arabicArticles {
			if rest, ok := strings.CutPrefix(k, a); ok && len(rest) >= 4 {
				out = append(out, rest)
				break
			}
		}
	}
	return out
}

// add indexes key → p, registering every token prefix of key.
func (g *Gazetteer) add(key string, p posting) {
	if key == "" {
		return
	}
	ntok := 1
	for i := 0; i < len(key); i++ {
		if key[i] == ' ' {
			if _, ok := g.index[key[:i]]; !ok {
				g.index[key[:i]] = -1
			}
			ntok++
		}
	}
	g.maxToks = max(g.maxToks, ntok)
	v, ok := g.index[key]
	if !ok || v < 0 {
		v = int32(len(g.postings))
		g.postings = append(g.postings, nil)
		g.index[key] = v
	}
	for i, q := range g.postings[v] {
		if q.ent == p.ent && p.ent >= 0 {
			g.postings[v][i].flags |= p.flags
			return
		}
	}
	g.postings[v] = append(g.postings[v], p)
}

// loadCurated reads aliases/*.tsv and words/*.txt.
func (g *Gazetteer) loadCurated() error {
	var drops []func()
	files, err := fs.Glob(curated, "aliases/*.tsv")
	if err != nil {
		return err
	}
	for _, name := range files {
		b, err := curated.ReadFile(name)
		if err != nil {
			return err
		}
		if err := g.parseAliases(name, string(b), &drops); err != nil {
			return err
		}
	}
	for _, d := range drops {
		d()
	}
	words, err := fs.Glob(curated, "words/*.txt")
	if err != nil {
		return err
	}
	for _, name := range words {
		b, err := curated.ReadFile(name)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if i := strings.IndexByte(l, '#'); i >= 0 {
				l = l[:i]
			}
			if k := foldKey(l); k != "" {
				g.stop[k] = true
			}
		}
	}
	return nil
}

// parseAliases reads one alias file: lines of "alias<TAB>target<TAB>flags<TAB>note",
// where target is "country:MX", "admin1:MX>Sinaloa", "admin2:MX>Sinaloa>Culiacán",
// "place:MX>Sinaloa>Culiacán" (the admin1 part of a place may be empty) or
// "locality:PK>Khyber Pakhtunkhwa>North Wazīristān District" (a place the
// data does not list, named by the alias, inside that admin2),
// and flags is "-" or a comma-separated list of "lc" (may match in lower
// case) and "canon" (the alias becomes the entity's canonical name).
// Drops are returned to run after every file is read, so other aliases can
// still name their target.
func (g *Gazetteer) parseAliases(file, text string, drops *[]func()) error {
	for n, l := range strings.Split(text, "\n") {
		if l == "" || l[0] == '#' {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) < 3 {
			return fmt.Errorf("%s:%d: want alias, target, flags and a note", path.Base(file), n+1)
		}
		key := foldKey(f[0])
		if f[1] == "none" {
			g.add(key, posting{ent: -1, flags: flagBlock})
			continue
		}
		id, err := g.resolveTarget(f[1])
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path.Base(file), n+1, err)
		}
		if strings.HasPrefix(f[1], "locality:") {
			id = g.addLocality(f[0], id)
		}
		p := posting{ent: id, flags: flagAlias}
		drop := false
		for _, fl := range strings.Split(f[2], ",") {
			switch strings.TrimSpace(fl) {
			case "lc":
				p.flags |= flagLower
			case "canon":
				g.ents[id].name = f[0]
			case "drop":
				drop = true
			case "-", "":
			default:
				return fmt.Errorf("%s:%d: unknown flag %q", path.Base(file), n+1, fl)
			}
		}
		if drop {
			*drops = append(*drops, func() { g.remove(key, id) })
			continue
		}
		g.add(key, p)
	}
	return nil
}

// addLocality adds a place the data does not list, named name, inside the
// admin2 area a2: a village, valley or subdistrict the press names
// ("Shawal", "Mir Ali", "Angoor Adda"). It has no coordinates of its own; it carries
// its area's, so that it can be mapped, and no population. It returns the
// new entity's index.
func (g *Gazetteer) addLocality(name string, a2 int32) int32 {
	area := g.ents[a2]
	g.ents = append(g.ents, entity{
		name: name, kind: KindPlace, country: area.country, a1: area.a1, a2: a2,
		lat: area.lat, lon: area.lon, hasCoord: area.hasCoord,
	})
	return int32(len(g.ents) - 1)
}

// remove drops entity id from key's postings.
func (g *Gazetteer) remove(key string, id int32) {
	v, ok := g.index[key]
	if !ok || v < 0 {
		return
	}
	ps := g.postings[v][:0]
	for _, p := range g.postings[v] {
		if p.ent != id {
			ps = append(ps, p)
		}
	}
	g.postings[v] = ps
}

// resolveTarget finds the entity an alias target names.
func (g *Gazetteer) resolveTarget(t string) (int32, error) {
	kind, rest, ok := strings.Cut(t, ":")
	if !ok {
		return 0, fmt.Errorf("target %q: want kind:path", t)
	}
	parts := strings.Split(rest, ">")
	c, ok := g.iso[parts[0]]
	if !ok {
		return 0, fmt.Errorf("target %q: unknown country %q", t, parts[0])
	}
	if kind == "country" && len(parts) == 1 {
		return c, nil
	}
	// find returns the best entity of kind k named name inside parent.
	find := func(k Kind, name string, inside func(e *entity) bool) int32 {
		best := int32(-1)
		v, ok := g.index[foldKey(name)]
		if !ok || v < 0 {
			return -1
		}
		for _, p := range g.postings[v] {
			e := &g.ents[p.ent]
			if e.kind != k || !inside(e) {
				continue
			}
			if best < 0 || e.pop > g.ents[best].pop {
				best = p.ent
			}
		}
		return best
	}
	var a1 int32 = -1
	if len(parts) > 1 && parts[1] != "" {
		a1 = find(KindAdmin1, parts[1], func(e *entity) bool { return e.country == c })
		if a1 < 0 {
			return 0, fmt.Errorf("target %q: no admin1 %q", t, parts[1])
		}
	}
	inA1 := func(e *entity) bool { return e.country == c && (a1 < 0 || e.a1 == a1) }
	switch {
	case kind == "admin1" && len(parts) == 2:
		return a1, nil
	case (kind == "admin2" || kind == "locality") && len(parts) == 3:
		if id := find(KindAdmin2, parts[2], inA1); id >= 0 {
			return id, nil
		}
	case kind == "place" && len(parts) == 3:
		if id := find(KindPlace, parts[2], inA1); id >= 0 {
			return id, nil
		}
	default:
		return 0, fmt.Errorf("target %q: bad kind or path", t)
	}
	return 0, fmt.Errorf("target %q: not found", t)
}
