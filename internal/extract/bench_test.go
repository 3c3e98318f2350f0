package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// corpus generates n bytes of mixed English and Spanish news text, built from
// sentences written for this benchmark, varied by number and place.
func corpus(n int) string {
	places := []string{"Culiacán, Sinaloa", "Aguililla, Michoacán", "Reynosa, Tamaulipas", "Marib, Yemen",
		"Mogadishu, Somalia", "Miranshah, North Waziristan", "Caracas, Venezuela", "Cúcuta, Colombia"}
	sents := []string{
		"A drone strike killed %d people near %s on Thursday, two security officials said. ",
		"Al menos %d personas murieron en un enfrentamiento entre militares y hombres armados en %s, informó la SEMAR. ",
		"Protesters marched through %[2]s on Monday demanding the release of %[1]d detained students. ",
		"Hombres armados secuestraron a %d trabajadores en %s el pasado martes, denunciaron sus familiares. ",
		"Between %d and 12 civilians were wounded when mortar shells hit a market in %s. ",
	}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, sents[i%len(sents)], 2+i%9, places[i%len(places)])
		if i%7 == 6 {
			b.WriteString("\n\n")
		}
	}
	return b.String()[:n]
}

// BenchmarkExtract measures throughput over 1 MB documents of mixed text.
// Besides the wall-clock MB/s it reports cpu-MB/s, the bytes read per
// second of CPU time the process used (garbage collection included), which
// does not depend on how busy a shared machine is.
func BenchmarkExtract(b *testing.B) {
	x := mustExtractor(b)
	text := corpus(1 << 20)
	pub := time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)
	b.SetBytes(int64(len(text)))
	cpu := startCPU()
	for b.Loop() {
		x.Extract(Input{Text: text, Published: pub})
	}
	cpu.report(b, len(text))
}

// cpuClock measures the process CPU time a benchmark loop uses.
type cpuClock struct {
	start time.Duration
	ok    bool
}

func startCPU() cpuClock {
	t, ok := processCPU()
	return cpuClock{start: t, ok: ok}
}

// report adds the cpu-MB/s metric for b.N documents of size bytes.
func (c cpuClock) report(b *testing.B, size int) {
	end, ok := processCPU()
	if !c.ok || !ok || end <= c.start {
		return
	}
	b.ReportMetric(float64(size)*float64(b.N)/1e6/(end-c.start).Seconds(), "cpu-MB/s")
}

// BenchmarkExtractSizes shows that time grows linearly with the length of a
// single document.
func BenchmarkExtractSizes(b *testing.B) {
	x := mustExtractor(b)
	pub := time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)
	for _, size := range []int{1 << 10, 100 << 10, 10 << 20} {
		text := corpus(size)
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(size))
			cpu := startCPU()
			for b.Loop() {
				x.Extract(Input{Text: text, Published: pub})
			}
			cpu.report(b, size)
		})
	}
}
