package watch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/extract"
	"github.com/testigo-project/testigo/internal/fetch"
	"github.com/testigo-project/testigo/internal/geo"
	"github.com/testigo-project/testigo/internal/ingest"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/watch"
)

type extractorFunc func(text, lang string, published time.Time) []testigo.Event

func (f extractorFunc) Extract(text, lang string, published time.Time) []testigo.Event {
	return f(text, lang, published)
}

// BenchmarkWatchOnce measures a whole round of watching: 200 feeds of 50
// items each on a local server, every item's article page fetched,
// archived, extracted, clustered, logged and recorded, through the same
// pipeline the watch command uses. It reports items/s.
//
//	go test -run=NONE -bench=WatchOnce -benchtime=1x ./internal/watch/
func BenchmarkWatchOnce(b *testing.B) {
	const feeds, perFeed = 200, 50
	places := []string{"Culiacán, Sinaloa", "Reynosa, Tamaulipas", "Uruapan, Michoacán", "Tijuana, Baja California",
		"Celaya, Guanajuato", "Acapulco, Guerrero", "Ciudad Juárez, Chihuahua", "Zamora, Michoacán", "Cajeme, Sonora",
		"Fresnillo, Zacatecas", "Irapuato, Guanajuato", "Chilpancingo, Guerrero", "Apatzingán, Michoacán",
		"Nuevo Laredo, Tamaulipas", "Ensenada, Baja California", "Mazatlán, Sinaloa", "Guasave, Sinaloa",
		"Salamanca, Guanajuato", "Tlaquepaque, Jalisco", "Zapopan, Jalisco"}
	base := time.Date(2024, 1, 1, 10, 0, 0, 0, time.UTC)
	// event numbers an item: about one item in five repeats the event of
	// the same item in the previous feed, as another outlet reporting it.
	event := func(n, i int) int {
		if n > 0 && (n+i)%5 == 0 {
			n--
		}
		return n*perFeed + i
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/feed/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>feed %d</title>`, n)
		for i := range perFeed {
			day := base.AddDate(0, 0, event(n, i)%700)
			fmt.Fprintf(w, `<item><title>Nota %d</title><link>/a/%d/%d</link><guid>%d-%d</guid><pubDate>%s</pubDate></item>`,
				i, n, i, n, i, day.Format(http.TimeFormat))
		}
		io.WriteString(w, `</channel></rss>`)
	})
	mux.HandleFunc("/a/{n}/{i}", func(w http.ResponseWriter, r *http.Request) {
		var n, i int
		fmt.Sscan(r.PathValue("n"), &n)
		fmt.Sscan(r.PathValue("i"), &i)
		e := event(n, i)
		place := places[e%len(places)]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><head><title>Nota %d-%d</title></head><body><article><h1>Ataque armado en %s</h1>
<p>Un ataque armado dejó %d muertos y %d heridos en %s la madrugada del domingo, informó la fiscalía estatal.
Según testigos de la nota %d, hombres armados dispararon contra un grupo de personas reunidas frente a un domicilio;
la Guardia Nacional y el Ejército desplegaron un operativo en la zona sin reportar detenidos.</p>
<p>Es el ataque número %d de la semana en la región, según el recuento del diario local.</p></article></body></html>`,
			n, i, place, 1+e%9, e%4, place, n, i)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	gz, err := geo.Load()
	if err != nil {
		b.Fatal(err)
	}
	ex := extract.New(gz)
	for b.Loop() {
		b.StopTimer()
		st := sqlitetest.MustOpenTemp(b)
		blobs, err := archive.Open(filepath.Join(b.TempDir(), "blobs"))
		if err != nil {
			b.Fatal(err)
		}
		for n := range feeds {
			if err := st.CreateSource(b.Context(), &testigo.Source{Kind: testigo.SourceFeed, URL: fmt.Sprintf("%s/feed/%d", srv.URL, n)}); err != nil {
				b.Fatal(err)
			}
		}
		now := time.Now()
		w := &watch.Watcher{
			Store: st, List: watch.ListItems, Workers: 8,
			Fetcher: watch.HTTPFetcher{F: fetch.New(fetch.Config{AllowNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")},
				PerHostRate: 1e9, PerHostBurst: 1000, PerHostConcurrency: 16})},
			Pipeline: &ingest.Pipeline{Store: st, Blobs: blobs, Record: jobs.LogCapture, ExtractorVersion: extract.Version,
				Extract: extractorFunc(func(text, lang string, published time.Time) []testigo.Event {
					return ex.Extract(extract.Input{Text: text, Lang: lang, Published: published})
				}),
				Attach: func(ctx2 context.Context, tx testigo.Store, r *testigo.Report) error {
					return jobs.AttachReport(ctx2, tx, r, now)
				},
			},
		}
		b.StartTimer()
		start := time.Now()
		sum, err := w.RunOnce(b.Context(), nil)
		if err != nil {
			b.Fatal(err)
		}
		if sum.New != feeds*perFeed {
			b.Fatalf("captured %s, want %d new", sum, feeds*perFeed)
		}
		b.ReportMetric(float64(sum.New)/time.Since(start).Seconds(), "items/s")
	}
}
