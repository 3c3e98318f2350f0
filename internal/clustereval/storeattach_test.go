package clustereval

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/cluster"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
)

// synthEvent draws one event with a spread like the theatres testigo
// watches: five years of dates, a third of events in Mexico, thirty
// first-level units per country with forty districts each, the common
// types, and skewed tolls (a fifth unknown).
func synthEvent(r *rand.Rand) testigo.Event {
	countries := []string{"MX", "MX", "MX", "MX", "CO", "CO", "VE", "PK", "YE", "SO", "SY", "NG"}
	types := []testigo.EventType{testigo.TypeAttack, testigo.TypeAttack, testigo.TypeArmedClash, testigo.TypeAirDroneStrike,
		testigo.TypeVesselStrike, testigo.TypeShellingArtilleryMissile, testigo.TypeAbduction, testigo.TypePeacefulProtest}
	c := countries[r.IntN(len(countries))]
	a1 := r.IntN(30)
	ev := testigo.Event{
		Type: types[r.IntN(len(types))],
		Date: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(5*365)).Format(testigo.DateLayout),
		Place: testigo.Place{Country: c, Admin1: c + "-state-" + strconv.Itoa(a1),
			Admin2: c + "-district-" + strconv.Itoa(a1) + "-" + strconv.Itoa(r.IntN(40))},
	}
	if r.IntN(5) > 0 {
		k := int(r.ExpFloat64() * 3)
		ev.Killed = &testigo.Range{Min: k, Max: k}
	}
	return ev
}

// fillStore writes n synthetic incidents into st, as the attach step would
// have left them (one report each, derived fields set), in transactions of
// 20,000. Their reports, documents and log entries are not written: only
// the incidents table is what the attach step searches.
func fillStore(ctx context.Context, tb testing.TB, st testigo.Store, n int, r *rand.Rand) []testigo.Event {
	evs := make([]testigo.Event, n)
	for i := range evs {
		evs[i] = synthEvent(r)
	}
	for lo := 0; lo < n; lo += 20_000 {
		err := st.Transact(ctx, func(tx testigo.Store) error {
			for i := lo; i < min(n, lo+20_000); i++ {
				ev := evs[i]
				inc := &testigo.Incident{Type: ev.Type, Date: ev.Date, Place: ev.Place, Killed: ev.Killed,
					Review: testigo.ReviewNew, Grade: testigo.GradeWeak, ReportCount: 1,
					Title: string(ev.Type) + " in " + ev.Admin2}
				if err := tx.CreateIncident(ctx, inc); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatalf("fill store: %v", err)
		}
	}
	return evs
}

// probe returns the next report to attach: every other one repeats an
// existing event as another outlet would (a day later, a vaguer toll),
// the rest are new events.
func probe(r *rand.Rand, existing []testigo.Event) testigo.Event {
	if r.IntN(2) == 0 {
		return synthEvent(r)
	}
	ev := existing[r.IntN(len(existing))]
	if r.IntN(3) == 0 {
		d := ev.Day().AddDate(0, 0, 1)
		ev.Date = d.Format(testigo.DateLayout)
	}
	if ev.Killed != nil && r.IntN(3) == 0 {
		k := *ev.Killed
		k.Max++
		ev.Killed = &k
	}
	return ev
}

// windowCandidates returns every live incident dated within ev's window in
// its country (or in any country for a strike at sea): the reference the
// block-wise candidate query is checked against.
func windowCandidates(ctx context.Context, st testigo.Store, ev *testigo.Event) ([]*testigo.Incident, error) {
	since, until, _ := cluster.Window(ev)
	country := ev.Country
	if cluster.AtSea(ev.Type) {
		country = ""
	}
	return st.FindIncidents(ctx, testigo.IncidentFilter{Country: country, Since: since, Until: until})
}

// BenchmarkStoreAttach measures the SQLite-backed attach step on a
// database that already holds 10,000, 100,000 or 1,000,000 incidents.
// Filling the database takes most of the run (about 2.5 minutes for
// 1,000,000 on the 2-core machine); only the sub-benchmarks are timed:
//
//   - search: the read side, jobs.Candidates (one indexed query per
//     cluster.Blocks block) and cluster.Best. It also reports how often its
//     choice differs from scoring every incident in the report's date
//     window and country ("wrong%", checked outside the timer);
//
//   - attach: what ingest and watch run per report, jobs.AttachReport in
//     the ingest transaction (document, report, candidate queries, scoring,
//     incident insert or update, audit entry, log append).
//
//     go test ./internal/clustereval -run XXX -bench StoreAttach -benchtime 1000x
func BenchmarkStoreAttach(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ctx := context.Background()
			path := filepath.Join(b.TempDir(), "attach.db")
			st := sqlitetest.MustOpen(b, path)
			r := rand.New(rand.NewPCG(uint64(n), 7))
			start := time.Now()
			existing := fillStore(ctx, b, st, n, r)
			b.Logf("filled %d incidents in %s", n, time.Since(start).Round(time.Millisecond))

			b.Run("search", func(b *testing.B) {
				wrong, dated := 0, 0
				for b.Loop() {
					ev := probe(r, existing)
					cands, err := jobs.Candidates(ctx, st, &ev)
					if err != nil {
						b.Fatal(err)
					}
					got := cluster.Best(&ev, cands)
					b.StopTimer()
					if ev.Date != "" {
						dated++
						all, err := windowCandidates(ctx, st, &ev)
						if err != nil {
							b.Fatal(err)
						}
						if want := cluster.Best(&ev, all); (want == nil) != (got == nil) || want != nil && want.ID != got.ID {
							wrong++
						}
					}
					b.StartTimer()
				}
				b.ReportMetric(100*float64(wrong)/float64(max(dated, 1)), "wrong%")
			})

			b.Run("attach", func(b *testing.B) {
				now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				i := 0
				for b.Loop() {
					attachOne(ctx, b, st, probe(r, existing), i, now)
					i++
				}
			})
		})
	}
}

// attachOne stores a document and a report of ev and attaches it in one
// transaction, as the ingest pipeline does.
func attachOne(ctx context.Context, tb testing.TB, st *sqlite.Store, ev testigo.Event, i int, now time.Time) {
	err := st.Transact(ctx, func(tx testigo.Store) error {
		text := fmt.Sprintf("probe %d: %s on %s in %s", i, ev.Type, ev.Date, ev.Admin2)
		doc := &testigo.Document{SHA256: testigo.DigestOf([]byte(text)), Name: "probe", Text: text, FetchedAt: now, Size: int64(len(text))}
		if err := tx.CreateDocument(ctx, doc); err != nil {
			return err
		}
		rep := &testigo.Report{DocumentID: doc.ID, Event: ev, ExtractorVersion: "bench"}
		if err := tx.CreateReport(ctx, rep); err != nil {
			return err
		}
		return jobs.AttachReport(ctx, tx, rep, now)
	})
	if err != nil {
		tb.Fatalf("attach probe %d: %v", i, err)
	}
}
