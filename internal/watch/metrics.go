package watch

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/testigo-project/testigo"
)

// Metrics are the watcher's Prometheus metrics. A nil *Metrics records
// nothing.
type Metrics struct {
	fetches  *prometheus.CounterVec
	bytes    *prometheus.CounterVec
	duration *prometheus.HistogramVec
	ingest   prometheus.Histogram
	queue    *prometheus.GaugeVec
	// Outcome names the outcome of a fetch error for the fetches counter
	// ("timeout", "http_5xx", …); nil counts every error as "error".
	Outcome func(error) string
}

// NewMetrics registers the watcher's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "testigo_fetches_total", Help: "Fetches of sources and items, by what was fetched and the outcome.",
		}, []string{"what", "outcome"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "testigo_fetch_bytes_total", Help: "Bytes of response bodies fetched, by what was fetched.",
		}, []string{"what"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "testigo_fetch_duration_seconds", Help: "Time to fetch a source or an item, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.005, 3, 10),
		}, []string{"what"}),
		ingest: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "testigo_ingest_duration_seconds", Help: "Time to archive, extract, cluster and store one captured item.",
			Buckets: prometheus.ExponentialBuckets(0.001, 3, 10),
		}),
		queue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "testigo_queue_jobs", Help: "Jobs in the queue, by state (due, leased, scheduled).",
		}, []string{"state"}),
	}
	reg.MustRegister(m.fetches, m.bytes, m.duration, m.ingest, m.queue)
	return m
}

func (m *Metrics) observeFetch(what string, c *Capture, err error, d time.Duration) {
	if m == nil {
		return
	}
	outcome := "ok"
	switch {
	case err != nil && m.Outcome != nil:
		outcome = m.Outcome(err)
	case err != nil:
		outcome = "error"
	case c.NotModified:
		outcome = "not_modified"
	}
	m.fetches.WithLabelValues(what, outcome).Inc()
	m.duration.WithLabelValues(what).Observe(d.Seconds())
	if c != nil {
		m.bytes.WithLabelValues(what).Add(float64(len(c.Body)))
	}
}

func (m *Metrics) observeIngest(d time.Duration) {
	if m == nil {
		return
	}
	m.ingest.Observe(d.Seconds())
}

func (m *Metrics) observeQueue(jobs []*testigo.Job, now time.Time) {
	if m == nil {
		return
	}
	var due, leased, scheduled float64
	for _, j := range jobs {
		switch {
		case j.LeaseOwner != "" && j.LeaseUntil.After(now):
			leased++
		case !j.RunAt.After(now):
			due++
		default:
			scheduled++
		}
	}
	m.queue.WithLabelValues("due").Set(due)
	m.queue.WithLabelValues("leased").Set(leased)
	m.queue.WithLabelValues("scheduled").Set(scheduled)
}
