package web

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/testigo-project/testigo"
)

// The map and the timeline read every incident at once, which takes the
// store most of a second at 100,000 incidents. mapIndex keeps a compact
// copy of them, rebuilt when the transparency log has grown (every change
// to an incident through internal/jobs appends to it) or when the copy is
// older than maxIndexAge (for changes made around the log, such as tests
// writing rows directly).
type mapIndex struct {
	mu      sync.Mutex
	snap    *indexSnapshot
	now     func() time.Time
	store   testigo.Store
	maxAge  time.Duration
	rebuilt int // how many times the copy was built, for tests and logs
}

// maxIndexAge bounds how stale the map's copy may be.
const maxIndexAge = 30 * time.Second

// indexSnapshot is the copy of the incidents at one log size.
type indexSnapshot struct {
	logSize int64
	built   time.Time
	incs    []*testigo.Incident // not merged, in listing order

	actorsMu sync.Mutex
	actors   map[testigo.IncidentID][]string // folded actor names and groups; nil until asked for
}

func newMapIndex(st testigo.Store, now func() time.Time) *mapIndex {
	return &mapIndex{store: st, now: now, maxAge: maxIndexAge}
}

// snapshot returns a current copy of the incidents, rebuilding it if the log
// has grown or it is too old. One rebuild runs at a time; others wait.
func (m *mapIndex) snapshot(ctx context.Context) (*indexSnapshot, error) {
	size, err := m.store.LogSize(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.snap; s != nil && s.logSize == size && m.now().Sub(s.built) < m.maxAge {
		return s, nil
	}
	incs, err := m.store.FindIncidents(ctx, testigo.IncidentFilter{})
	if err != nil {
		return nil, fmt.Errorf("map index: %w", err)
	}
	for _, inc := range incs {
		// Only what the map and the timeline use is kept.
		inc.Derivation, inc.GradeReason = "", ""
	}
	m.snap = &indexSnapshot{logSize: size, built: m.now(), incs: incs}
	m.rebuilt++
	return m.snap, nil
}

// invalidate drops the copy, after a change made through the pages.
func (m *mapIndex) invalidate() {
	m.mu.Lock()
	m.snap = nil
	m.mu.Unlock()
}

// actorIndex returns the folded actor names and groups of each incident's
// reports, read once per snapshot. A failed read is not kept, so that a
// request cancelled half-way does not break the next one.
func (s *indexSnapshot) actorIndex(ctx context.Context, st testigo.Store) (map[testigo.IncidentID][]string, error) {
	s.actorsMu.Lock()
	defer s.actorsMu.Unlock()
	if s.actors != nil {
		return s.actors, nil
	}
	reports, err := st.FindReports(ctx, testigo.ReportFilter{})
	if err != nil {
		return nil, fmt.Errorf("map index actors: %w", err)
	}
	actors := map[testigo.IncidentID][]string{}
	for _, r := range reports {
		if r.IncidentID == 0 {
			continue
		}
		for _, a := range r.Actors {
			actors[r.IncidentID] = append(actors[r.IncidentID], strings.ToLower(a.Name), strings.ToLower(a.Group))
		}
	}
	s.actors = actors
	return actors, nil
}

// filter returns the incidents of the snapshot matching vf, in listing
// order. It applies the same tests as the store's FindIncidents.
func (s *indexSnapshot) filter(ctx context.Context, st testigo.Store, vf viewFilter) ([]*testigo.Incident, error) {
	var actors map[testigo.IncidentID][]string
	want := strings.ToLower(vf.Actor)
	if vf.Actor != "" {
		var err error
		if actors, err = s.actorIndex(ctx, st); err != nil {
			return nil, err
		}
	}
	f := vf.IncidentFilter
	out := make([]*testigo.Incident, 0, len(s.incs))
	for _, inc := range s.incs {
		switch {
		case f.Country != "" && inc.Country != f.Country,
			f.Type != "" && inc.Type != f.Type,
			f.Review != "" && inc.Review != f.Review,
			f.Since != "" && (inc.Date == "" || inc.Date < f.Since),
			f.Until != "" && (inc.Date == "" || inc.Date > f.Until),
			vf.Grade != "" && inc.Grade != vf.Grade:
			continue
		}
		if actors != nil && !containsPart(actors[inc.ID], want) {
			continue
		}
		out = append(out, inc)
	}
	return out, nil
}

// containsPart reports whether one of names contains part.
func containsPart(names []string, part string) bool {
	for _, n := range names {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

// indexed returns the incidents matching vf from the map's copy, in
// listing order.
func (h *handler) indexed(ctx context.Context, vf viewFilter) ([]*testigo.Incident, error) {
	snap, err := h.index.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return snap.filter(ctx, h.Store, vf)
}
