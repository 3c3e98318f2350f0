// Package workerbench measures how the throughput of testigo's watcher
// scales with the number of worker processes on PostgreSQL: it serves a
// synthetic news corpus from a local feed server, registers its feeds as
// sources in a fresh schema, runs N "testigo worker" processes until every
// article is fetched, extracted and clustered, and reports articles per
// second. cmd/bench-workers is its command line and scripts/bench-workers.sh
// builds and runs both.
//
// The corpus is generated from templates written for this benchmark:
// English and Spanish wire-style reports of drone strikes, air strikes on
// boats, raids and shelling in places of testigo's theatres, with varying
// dates, tolls and attributions. Each event is reported by one to three
// articles in different feeds, so that clustering attaches reports to
// existing incidents as well as creating new ones.
package workerbench

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"
)

// Article is one generated news article.
type Article struct {
	Feed      int    // index of the feed that lists it
	Slug      string // unique within the corpus
	Lang      string // "en" or "es"
	Title     string
	Published time.Time
	Paras     []string // body paragraphs, plain text
	Event     int      // index of the event it reports
	Country   string   // ISO code of the event's country, for tests
}

// place is where a generated event happens: a name the gazetteer knows,
// its region and country as each language writes them.
type place struct {
	name, region, countryEN, countryES, code string
}

var places = []place{
	{"Jilib", "Middle Juba", "Somalia", "Somalia", "SO"},
	{"Kismayo", "Lower Juba", "Somalia", "Somalia", "SO"},
	{"Bosaso", "Bari", "Somalia", "Somalia", "SO"},
	{"Ataq", "Shabwah", "Yemen", "Yemen", "YE"},
	{"Tumaco", "Nariño", "Colombia", "Colombia", "CO"},
	{"Buenaventura", "Valle del Cauca", "Colombia", "Colombia", "CO"},
	{"Culiacán", "Sinaloa", "Mexico", "México", "MX"},
	{"Apatzingán", "Michoacán", "Mexico", "México", "MX"},
	{"Uruapan", "Michoacán", "Mexico", "México", "MX"},
	{"Carúpano", "Sucre", "Venezuela", "Venezuela", "VE"},
	{"Güiria", "Sucre", "Venezuela", "Venezuela", "VE"},
}

// kind is a type of event with its wording in both languages. In the
// templates, %[1]s is the place, %[2]s the region, %[3]s the country, %[4]s
// the toll in words or digits, %[5]s the day, %[6]s the attribution.
type kind struct {
	en, es           []string // lead sentences
	titleEN, titleES string
}

var kinds = []kind{
	{
		en: []string{
			"A drone strike killed %[4]s people near %[1]s, in %[3]s's %[2]s region, %[5]s, %[6]s said.",
			"%[6]s said a drone strike on a vehicle outside %[1]s, %[2]s, killed %[4]s people %[5]s.",
		},
		es: []string{
			"Un ataque con dron dejó %[4]s muertos cerca de %[1]s, en la región de %[2]s, %[3]s, %[5]s, según %[6]s.",
			"Un dron atacó %[5]s un vehículo en las afueras de %[1]s, %[2]s, y mató a %[4]s personas, informó %[6]s.",
		},
		titleEN: "Drone strike near %s", titleES: "Ataque con dron cerca de %s",
	},
	{
		en: []string{
			"An air strike on a boat off %[1]s, %[2]s, killed %[4]s people %[5]s, %[6]s said.",
			"%[6]s said %[4]s people were killed %[5]s when a military aircraft struck a speedboat near %[1]s, %[3]s.",
		},
		es: []string{
			"Un bombardeo contra una lancha frente a %[1]s, %[2]s, dejó %[4]s muertos %[5]s, según %[6]s.",
			"%[6]s confirmó que un ataque aéreo contra una embarcación cerca de %[1]s, %[3]s, dejó %[4]s muertos %[5]s.",
		},
		titleEN: "Boat struck off %s", titleES: "Atacan una lancha frente a %s",
	},
	{
		en: []string{
			"Soldiers raided a compound in %[1]s, %[2]s, %[5]s, killing %[4]s people, %[6]s said.",
			"%[4]s people were killed %[5]s in a raid by special forces on a house in %[1]s, in %[3]s, %[6]s said.",
		},
		es: []string{
			"Un operativo de fuerzas especiales en una vivienda de %[1]s, %[2]s, dejó %[4]s muertos %[5]s, según %[6]s.",
			"Militares irrumpieron %[5]s en un inmueble de %[1]s, %[3]s, en un operativo que dejó %[4]s muertos, informó %[6]s.",
		},
		titleEN: "Raid in %s", titleES: "Operativo en %s",
	},
	{
		en: []string{
			"Artillery shelling hit a market in %[1]s, %[2]s, %[5]s, killing %[4]s civilians, %[6]s said.",
		},
		es: []string{
			"Un ataque de artillería alcanzó un mercado de %[1]s, %[3]s, %[5]s y mató a %[4]s civiles, según %[6]s.",
		},
		titleEN: "Shelling in %s", titleES: "Bombardeo de artillería en %s",
	},
}

var (
	attribEN = []string{"local officials", "a police spokesman", "the regional governor", "two residents", "a hospital director", "the defence ministry"}
	attribES = []string{"autoridades locales", "un vocero de la policía", "el gobernador regional", "un vecino", "el director del hospital", "el Ministerio de Defensa"}
	numEN    = []string{"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
	numES    = []string{"dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"}
	monthsES = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
	daysES   = []string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}

	// Background paragraphs that carry no event, so that the extractor
	// reads article-sized text.
	fillerEN = []string{
		"Residents said the area had been quiet for several weeks before the attack, and that shops closed early as news spread.",
		"The government has not published a list of the dead, and relatives gathered outside the morgue to wait for information.",
		"Human rights groups have asked for an independent investigation and for the authorities to release the names of those killed.",
		"Roads into the town were closed for most of the day, and aid workers said they could not reach the site until the evening.",
		"Journalists were not allowed near the scene, and photographs shared by residents could not be independently verified.",
		"Analysts say the number of such operations has risen this year, although official figures are rarely released.",
	}
	fillerES = []string{
		"Vecinos dijeron que la zona llevaba varias semanas en calma y que los comercios cerraron temprano cuando se conoció la noticia.",
		"El gobierno no ha publicado la lista de fallecidos y varios familiares esperaban información a las puertas de la morgue.",
		"Organizaciones de derechos humanos pidieron una investigación independiente y que se den a conocer los nombres de las víctimas.",
		"Las carreteras de acceso permanecieron cerradas durante buena parte del día y los equipos de ayuda no pudieron llegar hasta la noche.",
		"A los periodistas no se les permitió acercarse al lugar y las fotografías difundidas por vecinos no pudieron ser verificadas.",
		"Analistas señalan que este tipo de operaciones ha aumentado este año, aunque rara vez se publican cifras oficiales.",
	}
)

// Generate returns n articles spread over feeds feeds, the same for the
// same seed. Events are reported by one to three articles each, in
// different feeds and often in both languages, published up to two days
// after the event.
func Generate(n, feeds int, seed uint64) []Article {
	r := rand.New(rand.NewPCG(seed, 0x7465737469676f))
	base := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	out := make([]Article, 0, n)
	for ev := 0; len(out) < n; ev++ {
		p := places[r.IntN(len(places))]
		k := kinds[r.IntN(len(kinds))]
		day := base.AddDate(0, 0, r.IntN(60)).Add(time.Duration(6+r.IntN(14)) * time.Hour)
		toll := 2 + r.IntN(len(numEN))
		reports := 1 + r.IntN(3)
		first := r.IntN(feeds)
		for i := 0; i < reports && len(out) < n; i++ {
			lang := "en"
			if r.IntN(2) == 0 {
				lang = "es"
			}
			pub := day.Add(time.Duration(1+r.IntN(40)) * time.Hour)
			a := Article{Feed: (first + i) % feeds, Lang: lang, Published: pub, Event: ev, Country: p.code,
				Slug: fmt.Sprintf("e%d-%d", ev, i)}
			lead, title := lead(r, k, p, lang, toll, day, pub)
			a.Title = title
			a.Paras = append(a.Paras, lead)
			fill := fillerEN
			if lang == "es" {
				fill = fillerES
			}
			for _, j := range r.Perm(len(fill))[:2+r.IntN(3)] {
				a.Paras = append(a.Paras, fill[j])
			}
			out = append(out, a)
		}
	}
	return out
}

// lead writes the sentence that reports the event, and the title.
func lead(r *rand.Rand, k kind, p place, lang string, toll int, day, pub time.Time) (string, string) {
	if lang == "es" {
		n := numES[toll-2]
		if r.IntN(3) == 0 {
			n = fmt.Sprint(toll)
		}
		when := "el " + daysES[day.Weekday()]
		if pub.Sub(day) > 24*time.Hour || r.IntN(2) == 0 {
			when = fmt.Sprintf("el %d de %s", day.Day(), monthsES[day.Month()-1])
		}
		t := k.es[r.IntN(len(k.es))]
		return capitalize(fmt.Sprintf(t, p.name, p.region, p.countryES, n, when, attribES[r.IntN(len(attribES))])),
			fmt.Sprintf(k.titleES, p.name)
	}
	n := numEN[toll-2]
	if r.IntN(3) == 0 {
		n = fmt.Sprint(toll)
	}
	when := "on " + day.Weekday().String()
	if pub.Sub(day) > 24*time.Hour || r.IntN(2) == 0 {
		when = "on " + day.Format("January 2")
	}
	t := k.en[r.IntN(len(k.en))]
	return capitalize(fmt.Sprintf(t, p.name, p.region, p.countryEN, n, when, attribEN[r.IntN(len(attribEN))])),
		fmt.Sprintf(k.titleEN, p.name)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// HTML renders the article as a news page.
func (a Article) HTML(outlet string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html lang=%q><head><meta charset=\"utf-8\"><title>%s | %s</title></head><body>\n",
		a.Lang, html.EscapeString(a.Title), html.EscapeString(outlet))
	fmt.Fprintf(&b, "<header><nav><a href=\"/\">%s</a></nav></header>\n<article><h1>%s</h1>\n<time datetime=%q>%s</time>\n",
		html.EscapeString(outlet), html.EscapeString(a.Title), a.Published.Format(time.RFC3339), a.Published.Format("2006-01-02 15:04"))
	for _, p := range a.Paras {
		fmt.Fprintf(&b, "<p>%s</p>\n", html.EscapeString(p))
	}
	b.WriteString("</article><footer>© " + html.EscapeString(outlet) + "</footer></body></html>\n")
	return b.String()
}
