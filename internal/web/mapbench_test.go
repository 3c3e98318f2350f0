package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/web"
)

// seedPlaced stores n placed incidents spread over Mexico and two years.
func seedPlaced(tb testing.TB, st testigo.Store, n int) {
	tb.Helper()
	ctx := tb.Context()
	types := []testigo.EventType{testigo.TypeAirDroneStrike, testigo.TypeArmedClash, testigo.TypeAttack, testigo.TypeVesselStrike, testigo.TypeOrganizedCrime}
	grades := []testigo.Grade{testigo.GradeWeak, testigo.GradeFair, testigo.GradeConfirmed}
	err := st.Transact(ctx, func(tx testigo.Store) error {
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			lat, lon := 15+float64(i%1700)/100, -117+float64(i%2900)/100
			inc := &testigo.Incident{Title: fmt.Sprintf("Incident %d", i), Type: types[i%len(types)],
				Date:   day.AddDate(0, 0, i%730).Format(testigo.DateLayout),
				Place:  testigo.Place{Country: "MX", Admin1: "Sinaloa", Lat: &lat, Lon: &lon},
				Killed: &testigo.Range{Min: i % 5, Max: i%5 + i%3}, Grade: grades[i%len(grades)], Review: testigo.ReviewPublished}
			if err := tx.CreateIncident(ctx, inc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkMapData100k measures the map's and the timeline's data routes
// over 100,000 incidents (make the store once: about 10 s).
func BenchmarkMapData100k(b *testing.B) {
	st := sqlitetest.MustOpenTemp(b)
	seedPlaced(b, st, 100_000)
	h, err := web.NewHandler(web.Deps{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	// Build the in-memory copy once; the cases measure warm answers.
	if resp, err := http.Get(srv.URL + "/map/timeline.json"); err != nil {
		b.Fatal(err)
	} else {
		resp.Body.Close()
	}
	for _, path := range []string{
		"/map/incidents.geojson?z=5&bbox=-118,14,-86,33", // the page's request for a view of Mexico
		"/map/incidents.geojson?z=2",                     // the page's first request
		"/map/incidents.geojson",                         // every point, unclustered
		"/map/timeline.json",
		"/map/incidents.geojson?type=vessel_strike&grade=fair",
	} {
		b.Run(path, func(b *testing.B) {
			var size int64
			for b.Loop() {
				resp, err := http.Get(srv.URL + path)
				if err != nil {
					b.Fatal(err)
				}
				size, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("%s: %d", path, resp.StatusCode)
				}
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}
