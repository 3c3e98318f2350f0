package clustereval

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
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

// storeCandidates is the blocking query of jobs.AttachReport without its
// limit on the number of candidates, to see what the limit cuts off.
func storeCandidates(ctx context.Context, st testigo.Store, ev *testigo.Event, limit int) ([]*testigo.Incident, error) {
	since, until, dated := cluster.Window(ev)
	country := ev.Country
	if cluster.AtSea(ev.Type) && dated {
		country = ""
	}
	return st.FindIncidents(ctx, testigo.IncidentFilter{Country: country, Since: since, Until: until, Limit: limit})
}

// BenchmarkStoreAttach measures the SQLite-backed attach step on a
// database that already holds 10,000, 100,000 or 1,000,000 incidents.
// Filling the database takes most of the run (about 2.5 minutes for
// 1,000,000 on the 2-core machine); only the sub-benchmarks are timed:
//
//   - attach: what ingest and watch run per report, jobs.AttachReport in
//     the ingest transaction (document, report, candidate query, scoring,
//     incident insert or update, audit entry, log append);
//   - search: its read side alone, the candidate query (country and date
//     window, at most 500 incidents, newest first) and cluster.Best;
//   - blocks: the same read side answered per cluster.Blocks block with
//     indexes on (country, admin1, date) and (type, date), as a store could once
//     IncidentFilter can say admin1 and types (an emulation in SQL here:
//     internal/sqlite has no such filter yet).
//
// blocks runs last, since its indexes change the plan of the attach step's
// own query. attach and search also report, over 2,000 probes, how often the limit of
// 500 cut the candidate window short ("cut%") and how often that changed
// the incident chosen ("wrong%"); blocks reports how often its choice
// differs from scoring every incident in the window ("wrong%").
//
//	go test ./internal/clustereval -run XXX -bench StoreAttach -benchtime 1000x
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
			cut, wrong := limitEffect(ctx, b, st, existing, r, 2000)

			b.Run("search", func(b *testing.B) {
				for b.Loop() {
					ev := probe(r, existing)
					cands, err := storeCandidates(ctx, st, &ev, 500)
					if err != nil {
						b.Fatal(err)
					}
					cluster.Best(&ev, cands)
				}
				b.ReportMetric(100*cut, "cut%")
				b.ReportMetric(100*wrong, "wrong%")
			})

			b.Run("attach", func(b *testing.B) {
				now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				i := 0
				for b.Loop() {
					attachOne(ctx, b, st, probe(r, existing), i, now)
					i++
				}
				b.ReportMetric(100*cut, "cut%")
				b.ReportMetric(100*wrong, "wrong%")
			})

			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			for _, q := range []string{`CREATE INDEX bench_blocks ON incidents (country, admin1, date)`,
				`CREATE INDEX bench_types ON incidents (type, date)`} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("blocks", func(b *testing.B) {
				wrong := 0
				for b.Loop() {
					ev := probe(r, existing)
					cands := blockCandidates(ctx, b, db, &ev)
					got := cluster.Best(&ev, cands)
					b.StopTimer()
					all, err := storeCandidates(ctx, st, &ev, 0)
					if err != nil {
						b.Fatal(err)
					}
					if want := cluster.Best(&ev, all); (want == nil) != (got == nil) || want != nil && want.ID != got.ID {
						wrong++
					}
					b.StartTimer()
				}
				b.ReportMetric(100*float64(wrong)/float64(b.N), "wrong%")
			})
		})
	}
}

// blockCandidates answers cluster.Blocks(ev) with one query per block over
// the same columns FindIncidents reads, as internal/sqlite could if
// IncidentFilter carried the block's fields.
func blockCandidates(ctx context.Context, tb testing.TB, db *sql.DB, ev *testigo.Event) []*testigo.Incident {
	seen := map[testigo.IncidentID]bool{}
	var out []*testigo.Incident
	for _, bl := range cluster.Blocks(ev) {
		where, args := []string{"merged_into = 0"}, []any{}
		in := func(col string, vals []string) {
			if vals == nil {
				return
			}
			ph := make([]string, len(vals))
			for i, v := range vals {
				args = append(args, v)
				ph[i] = "$" + strconv.Itoa(len(args))
			}
			where = append(where, col+" IN ("+strings.Join(ph, ", ")+")")
		}
		in("country", bl.Countries)
		in("admin1", bl.Admin1s)
		if bl.Admin2 != "" {
			in("admin2", []string{bl.Admin2})
		}
		if bl.Types != nil {
			ts := make([]string, len(bl.Types))
			for i, t := range bl.Types {
				ts[i] = string(t)
			}
			in("type", ts)
		}
		// The index to read: by place, or, for strikes at sea in any
		// country, by type.
		hint := ""
		switch {
		case bl.Countries != nil:
			hint = "INDEXED BY bench_blocks"
		case bl.Types != nil && bl.Since != "":
			hint = "INDEXED BY bench_types"
		}
		if bl.Since != "" {
			args = append(args, bl.Since, bl.Until)
			where = append(where, fmt.Sprintf("date <> '' AND date BETWEEN $%d AND $%d", len(args)-1, len(args)))
		}
		q := `SELECT id, title, type, date, country, admin1, admin2, location, lat, lon, killed_min, killed_max,
			injured_min, injured_max, grade, grade_reason, derivation, review, merged_into, version, report_count,
			created_at, updated_at, grade_set FROM incidents ` + hint + ` WHERE ` + strings.Join(where, " AND ")
		if bl.Since == "" {
			q += " ORDER BY date DESC, id DESC LIMIT 500" // an undated event's block is its whole place
		}
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			tb.Fatalf("block query: %v", err)
		}
		for rows.Next() {
			var (
				inc                    testigo.Incident
				lat, lon               sql.NullFloat64
				kmin, kmax, imin, imax sql.NullInt64
				created, updated       string
			)
			if err := rows.Scan(&inc.ID, &inc.Title, &inc.Type, &inc.Date, &inc.Country, &inc.Admin1, &inc.Admin2,
				&inc.Location, &lat, &lon, &kmin, &kmax, &imin, &imax, &inc.Grade, &inc.GradeReason, &inc.Derivation,
				&inc.Review, &inc.MergedInto, &inc.Version, &inc.ReportCount, &created, &updated, &inc.GradeSet); err != nil {
				tb.Fatalf("block query: %v", err)
			}
			if kmin.Valid {
				inc.Killed = &testigo.Range{Min: int(kmin.Int64), Max: int(kmax.Int64)}
			}
			if !seen[inc.ID] {
				seen[inc.ID] = true
				out = append(out, &inc)
			}
		}
		if err := rows.Close(); err != nil {
			tb.Fatalf("block query: %v", err)
		}
	}
	return out
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

// limitEffect returns the share of k probes whose candidate window holds
// more incidents than the attach step's limit, and the share for which the
// limit changed the incident Best picks.
func limitEffect(ctx context.Context, tb testing.TB, st testigo.Store, existing []testigo.Event, r *rand.Rand, k int) (cut, wrong float64) {
	const limit = 500 // jobs.candidateLimit
	var nCut, nWrong int
	for range k {
		ev := probe(r, existing)
		all, err := storeCandidates(ctx, st, &ev, 0)
		if err != nil {
			tb.Fatal(err)
		}
		if len(all) <= limit {
			continue
		}
		nCut++
		a, b := cluster.Best(&ev, all), cluster.Best(&ev, all[:limit])
		if (a == nil) != (b == nil) || a != nil && a.ID != b.ID {
			nWrong++
		}
	}
	return float64(nCut) / float64(k), float64(nWrong) / float64(k)
}
