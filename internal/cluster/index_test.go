package cluster

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/testigo-project/testigo"
)

func TestIndexMatchesScore(t *testing.T) {
	x := NewIndex(8)
	k := func(n int) *testigo.Range { return &testigo.Range{Min: n, Max: n} }
	a := &testigo.Event{Type: testigo.TypeAttack, Date: "2025-11-03", Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}, Killed: k(6)}
	same := &testigo.Event{Type: testigo.TypeArmedClash, Date: "2025-11-04", Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}, Killed: k(7)}
	other := &testigo.Event{Type: testigo.TypeAttack, Date: "2025-11-03", Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Culiacán"}, Killed: k(1)}
	sea1 := &testigo.Event{Type: testigo.TypeVesselStrike, Date: "2025-10-21", Place: testigo.Place{Country: "CO"}, Killed: k(2)}
	sea2 := &testigo.Event{Type: testigo.TypeVesselStrike, Date: "2025-10-21", Place: testigo.Place{Country: "VE"}, Killed: k(2)}
	sea3 := &testigo.Event{Type: testigo.TypeVesselStrike, Date: "2025-10-22", Killed: k(3)}
	undated := &testigo.Event{Type: testigo.TypeAttack, Place: testigo.Place{Country: "MX"}}
	for _, c := range []struct {
		ev      *testigo.Event
		want    int
		created bool
	}{{a, 0, true}, {same, 0, false}, {other, 1, true}, {sea1, 2, true}, {sea2, 2, false}, {sea3, 3, true}, {undated, 4, true}} {
		got, created := x.Add(c.ev)
		if got != c.want || created != c.created {
			t.Errorf("Add(%s %s %s) = %d, %v; want %d, %v", c.ev.Type, c.ev.Date, c.ev.Country, got, created, c.want, c.created)
		}
	}
	if inc := x.Incident(0); inc.ReportCount != 2 || inc.Killed.Min != 7 || inc.Killed.Max != 7 {
		t.Errorf("incident 0 = %d reports, killed %+v; want 2 reports, 7", inc.ReportCount, inc.Killed)
	}
}

// synthetic makes n reports of about n*(1-dup) events with a realistic
// spread: dates over days days (five years unless given), a theatre-weighted choice of countries, a
// few hundred districts, the common event types, skewed tolls; about dup
// of the reports repeat an earlier event as another outlet would (a day
// off, a toll that differs by one, a vaguer place).
func synthetic(n int, dup float64, seed uint64) []*testigo.Event {
	return syntheticOver(n, 5*365, false, dup, seed)
}

// syntheticOver is synthetic over the given number of days. With inOrder,
// events come roughly in date order (each within a week of its place in
// the sequence), as a watcher receives them; otherwise in random date
// order, as a backfill of an archive would.
func syntheticOver(n, days int, inOrder bool, dup float64, seed uint64) []*testigo.Event {
	r := rand.New(rand.NewPCG(seed, 42))
	countries := []string{"MX", "MX", "MX", "MX", "CO", "CO", "VE", "PK", "YE", "SO", "SY", "NG"}
	types := []testigo.EventType{testigo.TypeAttack, testigo.TypeAttack, testigo.TypeArmedClash, testigo.TypeAirDroneStrike,
		testigo.TypeVesselStrike, testigo.TypeShellingArtilleryMissile, testigo.TypeAbduction, testigo.TypePeacefulProtest}
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	out := make([]*testigo.Event, 0, n)
	for len(out) < n {
		if len(out) > 0 && r.Float64() < dup {
			src := out[len(out)-1-r.IntN(min(len(out), 2000))]
			ev := *src
			if d := src.Day(); !d.IsZero() && r.IntN(3) == 0 {
				ev.Date = d.AddDate(0, 0, 1).Format(testigo.DateLayout)
			}
			if src.Killed != nil && r.IntN(3) == 0 {
				k := *src.Killed
				k.Max++
				ev.Killed = &k
			}
			if r.IntN(4) == 0 {
				ev.Admin2 = ""
			}
			out = append(out, &ev)
			continue
		}
		c := countries[r.IntN(len(countries))]
		a1 := r.IntN(30)
		day := r.IntN(days)
		if inOrder {
			day = max(0, len(out)*days/n-r.IntN(7))
		}
		ev := &testigo.Event{
			Type: types[r.IntN(len(types))],
			Date: base.AddDate(0, 0, day).Format(testigo.DateLayout),
			Place: testigo.Place{Country: c, Admin1: fmt.Sprintf("%s-state-%d", c, a1),
				Admin2: fmt.Sprintf("%s-district-%d-%d", c, a1, r.IntN(40))},
		}
		if k := int(r.ExpFloat64() * 3); r.IntN(5) > 0 {
			ev.Killed = &testigo.Range{Min: k, Max: k}
		}
		out = append(out, ev)
	}
	return out
}

// BenchmarkIndex clusters synthetic reports at three scales and reports
// seconds for the whole set, ns per report and the heap in use after.
//
//	go test ./internal/cluster -run XXX -bench Index -benchtime 1x
//
// The figures are means over the runs: -benchtime 5x runs each set five
// times (a fresh index each time).
//
// The 5y sub-benchmarks spread every set over the same five years, so a
// larger set is also a denser one (ten times the incidents per place and
// week from 100,000 to 1,000,000) and more candidates are scored per
// report. The rate sub-benchmarks keep about 550 reports a day (1,000,000
// over five years, 100,000 over six months) and arrive roughly in date
// order, as a deployment that keeps watching the same sources accumulates
// them; the 5y sets arrive in random date order, like a backfill.
func BenchmarkIndex(b *testing.B) {
	for _, spread := range []string{"5y", "rate"} {
		for _, n := range []int{10_000, 100_000, 1_000_000} {
			days := 5 * 365
			if spread == "rate" {
				days = max(1, n*5*365/1_000_000)
			}
			b.Run(fmt.Sprintf("%s/%d", spread, n), func(b *testing.B) {
				benchIndex(b, syntheticOver(n, days, spread == "rate", 0.3, 1))
			})
		}
	}
}

func benchIndex(b *testing.B, evs []*testigo.Event) {
	n := len(evs)
	var (
		wall, cpu time.Duration
		runs      int
		ms        runtime.MemStats
		x         *Index
	)
	for b.Loop() {
		runtime.GC()
		start, cpu0 := time.Now(), cpuTime()
		x = NewIndex(n)
		for _, ev := range evs {
			x.Add(ev)
		}
		wall += time.Since(start)
		// CPU seconds of the process (both cores, GC included): steadier
		// than wall time on a shared machine.
		cpu += cpuTime() - cpu0
		runs++
		runtime.ReadMemStats(&ms)
	}
	// Means over the runs (-benchtime Nx), so that short sets can be run
	// several times to even out a shared machine's noise.
	b.ReportMetric(cpu.Seconds()/float64(runs), "cpu-s/set")
	b.ReportMetric(wall.Seconds()/float64(runs), "s/set")
	b.ReportMetric(float64(wall.Nanoseconds())/float64(runs*n), "ns/report")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heapMB")
	b.ReportMetric(float64(x.Len()), "incidents")
}

// BenchmarkIndexAddOne measures attaching one more report to an index that
// already holds the clustering of 1,000,000 reports.
func BenchmarkIndexAddOne(b *testing.B) {
	evs := synthetic(1_000_000, 0.3, 1)
	x := NewIndex(len(evs))
	for _, ev := range evs {
		x.Add(ev)
	}
	more := synthetic(10_000, 0.3, 2)
	i := 0
	for b.Loop() {
		x.Add(more[i%len(more)])
		i++
	}
}

// TestIndexAgreesWithBest checks the Index's blocking and pre-filter
// against brute force: each event joins the incident Best would pick among
// every incident the index holds that it could block on (dated, in the
// event's country, or at sea when the event is), or starts a new one.
func TestIndexAgreesWithBest(t *testing.T) {
	evs := synthetic(4000, 0.4, 3)
	// Crowd the events into two months so that blocks overlap.
	for i, ev := range evs {
		if d := ev.Day(); !d.IsZero() {
			c := *ev
			c.Date = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(d.Unix()/86400)%60).Format(testigo.DateLayout)
			evs[i] = &c
		}
	}
	x := NewIndex(len(evs))
	joined := 0
	for n, ev := range evs {
		want, bestScore := -1, 0.0
		if ev.Date != "" && ev.Country != "" || ev.Date != "" && AtSea(ev.Type) {
			for i := range x.Len() {
				inc := x.Incident(i)
				if inc.Date == "" || AtSea(inc.Type) != AtSea(ev.Type) || !AtSea(ev.Type) && inc.Country != ev.Country {
					continue
				}
				if s := Score(ev, inc); s >= Threshold && (want < 0 || s > bestScore) {
					want, bestScore = i, s
				}
			}
		}
		if want < 0 {
			want = x.Len()
		}
		got, _ := x.Add(ev)
		if got != want {
			t.Fatalf("event %d (%s %s %s/%s/%s) joined %d, brute force says %d", n, ev.Type, ev.Date,
				ev.Country, ev.Admin1, ev.Admin2, got, want)
		}
		if got < n-joined {
			joined++
		}
	}
	if joined < 500 {
		t.Errorf("only %d of %d events joined an incident: the test no longer exercises matching", joined, len(evs))
	}
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0 // no figure rather than a wrong one: the metric reads 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
