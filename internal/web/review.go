package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/cluster"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/review"
)

// queueLimit is how many incidents the review queue lists.
const queueLimit = 50

// mergeLimit is how many suggested merges the queue lists.
const mergeLimit = 20

// queueItem is an incident waiting for review, with its reports for the
// split form.
type queueItem struct {
	*testigo.Incident
	Reports []*testigo.Report
}

// mergePair is a suggested merge: Newer looks like a duplicate of Older.
type mergePair struct {
	Older, Newer *testigo.Incident
	Score        string
}

// reviewPage is the data of the review queue.
type reviewPage struct {
	User   *sessionUser
	Items  []queueItem
	Merges []mergePair
	Grades []testigo.Grade
	Done   string
}

func (h *handler) reviewQueue(w http.ResponseWriter, r *http.Request, u *sessionUser) error {
	ctx := r.Context()
	var incs []*testigo.Incident
	for _, st := range []testigo.ReviewState{testigo.ReviewNew, testigo.ReviewInReview} {
		got, err := h.Store.FindIncidents(ctx, testigo.IncidentFilter{Review: st, Limit: queueLimit})
		if err != nil {
			return err
		}
		incs = append(incs, got...)
	}
	if len(incs) > queueLimit {
		incs = incs[:queueLimit]
	}
	data := reviewPage{User: u, Grades: grades}
	for _, inc := range incs {
		reports, err := h.Store.FindReports(ctx, testigo.ReportFilter{IncidentID: inc.ID})
		if err != nil {
			return err
		}
		data.Items = append(data.Items, queueItem{Incident: inc, Reports: reports})
	}
	merges, err := h.suggestMerges(ctx, incs)
	if err != nil {
		return err
	}
	data.Merges = merges
	if d := r.URL.Query().Get("done"); d != "" {
		data.Done = message(h.lang(r), "Done.")
	}
	return h.render(w, r, http.StatusOK, "review", message(h.lang(r), "Review queue"), data)
}

// suggestMerges pairs each incident under review with the stored incidents
// that cluster.Score rates as likely the same event, best first. The
// candidates are those the attach step scores (jobs.Candidates: the
// incident's cluster blocks), so the queue suggests what clustering would
// have matched had the two reports arrived in another order.
func (h *handler) suggestMerges(ctx context.Context, incs []*testigo.Incident) ([]mergePair, error) {
	type scored struct {
		mergePair
		score float64
	}
	seen := map[[2]testigo.IncidentID]bool{}
	var out []scored
	for _, inc := range incs {
		ev := &testigo.Event{Type: inc.Type, Date: inc.Date, Place: inc.Place, Killed: inc.Killed}
		if _, _, ok := cluster.Window(ev); !ok {
			continue
		}
		cands, err := jobs.Candidates(ctx, h.Store, ev)
		if err != nil {
			return nil, err
		}
		for _, c := range cands {
			if c.ID == inc.ID {
				continue
			}
			s := cluster.Score(ev, c)
			if s < cluster.Threshold {
				continue
			}
			older, newer := c, inc
			if newer.ID < older.ID {
				older, newer = newer, older
			}
			k := [2]testigo.IncidentID{older.ID, newer.ID}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, scored{mergePair{Older: older, Newer: newer, Score: strconv.FormatFloat(s, 'f', 2, 64)}, s})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return int(a.Older.ID - b.Older.ID)
	})
	if len(out) > mergeLimit {
		out = out[:mergeLimit]
	}
	pairs := make([]mergePair, len(out))
	for i, s := range out {
		pairs[i] = s.mergePair
	}
	return pairs, nil
}

// actionResult is the fragment an htmx action swaps into the queue.
type actionResult struct {
	OK      bool
	Message string
	Link    string // the incident changed or created
	// Gone names queue items the change made obsolete (a merged
	// incident's), which htmx removes out of band.
	Gone []string
}

// reviewForm reads a review action's form: the reason, required, and the
// version of the incident the analyst saw.
type reviewForm struct {
	url.Values
}

func parseReviewForm(w http.ResponseWriter, r *http.Request) (reviewForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return reviewForm{}, fmt.Errorf("%w: form: %v", testigo.ErrInvalid, err)
	}
	return reviewForm{r.PostForm}, nil
}

// reason returns the trimmed reason, which every action requires.
func (f reviewForm) reason() (string, error) {
	s := strings.TrimSpace(f.Get("reason"))
	if s == "" {
		return "", fmt.Errorf("%w: a reason is required", testigo.ErrInvalid)
	}
	if len(s) > 2000 {
		return "", fmt.Errorf("%w: the reason is longer than 2000 bytes", testigo.ErrInvalid)
	}
	return s, nil
}

// number reads a positive integer field.
func (f reviewForm) number(name string) (int64, error) {
	v := f.Get(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w: %s %q is not a positive number", testigo.ErrInvalid, name, v)
	}
	return n, nil
}

// reviewAction runs a review change and answers it: a fragment for htmx,
// otherwise a redirect back to the queue (or the error page).
func (h *handler) reviewAction(op func(ctx context.Context, r *http.Request, f reviewForm, req review.Request) (string, error)) func(w http.ResponseWriter, r *http.Request, u *sessionUser) error {
	return func(w http.ResponseWriter, r *http.Request, u *sessionUser) error {
		lang := h.lang(r)
		f, err := parseReviewForm(w, r)
		var link string
		if err == nil {
			var reason string
			reason, err = f.reason()
			if err == nil {
				req := review.Request{Actor: u.Name, Reason: reason, At: h.Now().UTC()}
				link, err = op(r.Context(), r, f, req)
				h.index.invalidate()
			}
		}
		if r.Header.Get("HX-Request") != "true" {
			if err != nil {
				return h.friendlyConflict(lang, err)
			}
			return &seeOtherError{to: "/review?done=1"}
		}
		res := actionResult{OK: err == nil, Message: message(lang, "Done."), Link: link}
		if err == nil && strings.HasSuffix(r.URL.Path, "/merge") {
			res.Gone = []string{"item-" + f.Get("from")}
		}
		status := http.StatusOK
		if err != nil {
			err = h.friendlyConflict(lang, err)
			status = statusOf(err)
			res.Message = h.publicMessage(r, err, status)
		}
		return h.renderFragment(w, r, status, "review", "result", res)
	}
}

// friendlyConflict rewrites a stale-version error in words an analyst can
// act on, keeping the details.
func (h *handler) friendlyConflict(lang string, err error) error {
	if errors.Is(err, testigo.ErrConflict) {
		return fmt.Errorf("%s (%w)", message(lang, "Someone else changed this incident since you loaded it. Reload the queue and try again."), err)
	}
	return err
}

// renderFragment executes one named template of a page, without the layout.
func (h *handler) renderFragment(w http.ResponseWriter, r *http.Request, status int, page, name string, data any) error {
	t, ok := h.pages[h.lang(r)][page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s/%s: %w", page, name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// incidentLink is the page of an incident.
func incidentLink(id testigo.IncidentID) string { return fmt.Sprintf("/incidents/%d", id) }

// setState accepts (publishes) or rejects an incident.
func (h *handler) setState(ctx context.Context, r *http.Request, f reviewForm, req review.Request) (string, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return "", err
	}
	version, err := f.number("version")
	if err != nil {
		return "", err
	}
	to := testigo.ReviewState(f.Get("state"))
	if !to.Valid() {
		return "", fmt.Errorf("%w: state %q is not one of new, in_review, published, rejected", testigo.ErrInvalid, f.Get("state"))
	}
	err = h.Store.Transact(ctx, func(tx testigo.Store) error {
		_, err := jobs.SetReview(ctx, tx, testigo.IncidentID(id), int(version), to, req)
		return err
	})
	return incidentLink(testigo.IncidentID(id)), err
}

// setGrade overrides an incident's grade.
func (h *handler) setGrade(ctx context.Context, r *http.Request, f reviewForm, req review.Request) (string, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return "", err
	}
	version, err := f.number("version")
	if err != nil {
		return "", err
	}
	g := testigo.Grade(f.Get("grade"))
	if !slices.Contains(grades, g) {
		return "", fmt.Errorf("%w: grade %q is not one of confirmed, fair, weak, contested, discounted", testigo.ErrInvalid, f.Get("grade"))
	}
	err = h.Store.Transact(ctx, func(tx testigo.Store) error {
		_, err := jobs.SetGrade(ctx, tx, testigo.IncidentID(id), int(version), g, req)
		return err
	})
	return incidentLink(testigo.IncidentID(id)), err
}

// mergeIncidents folds the newer incident into the older, checking that
// neither changed since the analyst saw them.
func (h *handler) mergeIncidents(ctx context.Context, r *http.Request, f reviewForm, req review.Request) (string, error) {
	var ids [2]int64
	var versions [2]int64
	for i, p := range []string{"into", "from"} {
		var err error
		if ids[i], err = f.number(p); err != nil {
			return "", err
		}
		if versions[i], err = f.number(p + "_version"); err != nil {
			return "", err
		}
	}
	if ids[0] == ids[1] {
		return "", fmt.Errorf("%w: cannot merge incident %d into itself", testigo.ErrInvalid, ids[0])
	}
	err := h.Store.Transact(ctx, func(tx testigo.Store) error {
		for i := range ids {
			inc, err := tx.FindIncident(ctx, testigo.IncidentID(ids[i]))
			if err != nil {
				return fmt.Errorf("incident %d: %w", ids[i], err)
			}
			if inc.Version != int(versions[i]) {
				return fmt.Errorf("%w: incident %d is at version %d, not %d", testigo.ErrConflict, ids[i], inc.Version, versions[i])
			}
		}
		_, err := jobs.Merge(ctx, tx, testigo.IncidentID(ids[0]), testigo.IncidentID(ids[1]), req)
		return err
	})
	return incidentLink(testigo.IncidentID(ids[0])), err
}

// splitIncident moves the checked reports of an incident into a new one.
func (h *handler) splitReports(ctx context.Context, r *http.Request, f reviewForm, req review.Request) (string, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return "", err
	}
	version, err := f.number("version")
	if err != nil {
		return "", err
	}
	var move []testigo.ReportID
	for _, v := range f.Values["report"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return "", fmt.Errorf("%w: report %q is not a report ID", testigo.ErrInvalid, v)
		}
		move = append(move, testigo.ReportID(n))
	}
	if len(move) == 0 {
		return "", fmt.Errorf("%w: check the reports to move to a new incident", testigo.ErrInvalid)
	}
	var created *testigo.Incident
	err = h.Store.Transact(ctx, func(tx testigo.Store) error {
		var err error
		created, err = jobs.Split(ctx, tx, testigo.IncidentID(id), int(version), move, req)
		return err
	})
	if err != nil {
		return "", err
	}
	return incidentLink(created.ID), nil
}
