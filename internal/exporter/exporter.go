// Package exporter writes incidents in the formats researchers already use:
// JSON Lines, testigo's own CSV, CSV with ACLED's columns, CSV with UCDP
// GED's columns, a GeoJSON FeatureCollection (RFC 7946) and an Atom 1.0 feed.
//
// Write streams: it reads the incidents a page at a time (1,000 per page,
// through the listing cursor) and writes each row as it goes, so memory stays
// flat however many incidents there are. Every row names log_index, the
// index of the latest transparency-log entry about the incident; the entry's
// content commits to the incident state the row was written from, and Write
// checks that it does (re-reading the incident when a change landed between
// the two reads), so a row can be checked against the log.
//
// # ACLED columns
//
// testigo's event types are ACLED sub-event types plus a few of its own. The
// acled-csv format maps each to ACLED's sub_event_type, event_type and
// disorder_type:
//
//	air_drone_strike, shelling_artillery_missile, remote_explosive,
//	suicide_bomb, grenade     → Explosions/Remote violence (Political violence)
//	armed_clash, government_regains_territory,
//	non_state_takeover        → Battles (Political violence)
//	attack, abduction,
//	sexual_violence           → Violence against civilians (Political violence)
//	mob_violence              → Riots, Mob violence (Political violence)
//	violent_demonstration     → Riots, Violent demonstration (Demonstrations)
//	excessive_force_protest   → Protests (Political violence; Demonstrations)
//	protest_with_intervention,
//	peaceful_protest          → Protests (Demonstrations)
//	arrest, looting, disrupted_weapons_use, headquarters_established,
//	non_violent_transfer, agreement, change_to_group,
//	other                     → Strategic developments (Strategic developments)
//
// testigo's own types become the nearest ACLED sub-event type, and the row's
// tags column keeps the original as "testigo_type=…":
//
//	vessel_strike             → Air/drone strike (Explosions/Remote violence)
//	ground_raid               → Armed clash (Battles)
//	deployment                → Change to group/activity (Strategic developments)
//	operation_planning, official_statement, organized_crime,
//	natural_disaster, man_made_disaster, diplomatic_event,
//	attribution_claim         → Other (Strategic developments)
//
// The other ACLED columns: event_id_cnty is the country code and the
// incident ID ("VE12"; "XX12" without a country); time_precision is 1 for a
// dated incident; actor1 and assoc_actor_1 are the perpetrators named in the
// incident's reports, actor2 and assoc_actor_2 the targets; inter1, inter2
// and interaction are left empty, since testigo does not classify actors;
// civilian_targeting is "Civilian targeting" for violence against civilians;
// iso is the numeric ISO 3166-1 code and region ACLED's region, for the
// countries in the built-in table (empty otherwise); geo_precision is 1 for a
// named location with coordinates, 2 for a district, 3 otherwise; source is
// the host names of the reports' documents; notes is the incident's title;
// fatalities is the lowest reported death toll (ACLED's conservative rule),
// 0 when none is reported; timestamp is the Unix time of the last change.
// testigo's columns follow: fatalities_min, fatalities_max, grade,
// review_status, evidence_url, log_index.
//
// # UCDP columns
//
// type_of_violence is 1 (state-based) for battles and explosions, 2
// (non-state) for riots and 3 (one-sided) for violence against civilians,
// empty for event types UCDP does not count; side_a and side_b are the first
// perpetrator and target; best and low are the lowest death toll, high the
// highest; where_prec is 1 for a location with coordinates, 3 for a
// district, 4 for a province, 6 for a country and 7 for no country (a strike
// at sea); date_prec is 1 for a dated incident.
//
// # GeoJSON and Atom
//
// GeoJSON features carry [longitude, latitude] points; an incident without
// coordinates, or with coordinates out of range, has "geometry": null, as RFC
// 7946 allows. The Atom feed holds published incidents only; each entry's id
// is a tag URI (RFC 4151) under the base URL's host.
package exporter

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/translog"
)

// Format is an export format.
type Format string

// The export formats.
const (
	JSONL    Format = "jsonl"
	CSV      Format = "csv"
	ACLEDCSV Format = "acled-csv"
	UCDPCSV  Format = "ucdp-csv"
	GeoJSON  Format = "geojson"
	Atom     Format = "atom"
)

// Formats lists every format in a fixed order.
var Formats = []Format{JSONL, CSV, ACLEDCSV, UCDPCSV, GeoJSON, Atom}

// Valid reports whether f is one of Formats.
func (f Format) Valid() bool {
	for _, v := range Formats {
		if f == v {
			return true
		}
	}
	return false
}

// Ext returns the usual file name extension of the format.
func (f Format) Ext() string {
	switch f {
	case JSONL:
		return ".jsonl"
	case GeoJSON:
		return ".geojson"
	case Atom:
		return ".atom"
	}
	return ".csv"
}

// grades lists the grades a filter may name.
var grades = []testigo.Grade{testigo.GradeConfirmed, testigo.GradeFair, testigo.GradeWeak, testigo.GradeContested, testigo.GradeDiscounted}

// Filter selects the incidents to export. Empty fields do not filter; an
// empty Status exports every incident that is not rejected.
type Filter struct {
	Since   string              `json:"since,omitempty"` // YYYY-MM-DD, inclusive
	Until   string              `json:"until,omitempty"` // YYYY-MM-DD, inclusive
	Country string              `json:"country,omitempty"`
	Type    testigo.EventType   `json:"type,omitempty"`
	Grade   testigo.Grade       `json:"grade,omitempty"`
	Status  testigo.ReviewState `json:"status,omitempty"`
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// Validate returns an error wrapping testigo.ErrInvalid that names the
// first bad field and lists the values it may take.
func (f Filter) Validate() error {
	for _, d := range []struct{ name, v string }{{"since", f.Since}, {"until", f.Until}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(testigo.DateLayout, d.v); err != nil {
			return fmt.Errorf("%w: --%s %q is not a date YYYY-MM-DD", testigo.ErrInvalid, d.name, d.v)
		}
	}
	if f.Since != "" && f.Until != "" && f.Since > f.Until {
		return fmt.Errorf("%w: --since %s is after --until %s", testigo.ErrInvalid, f.Since, f.Until)
	}
	if f.Country != "" && !countryCode.MatchString(f.Country) {
		return fmt.Errorf("%w: --country %q is not an ISO 3166-1 alpha-2 code in capitals, such as VE", testigo.ErrInvalid, f.Country)
	}
	if f.Type != "" && !f.Type.Valid() {
		var names []string
		for _, t := range testigo.EventTypes {
			names = append(names, string(t))
		}
		return fmt.Errorf("%w: --type %q is not one of %s", testigo.ErrInvalid, f.Type, strings.Join(names, ", "))
	}
	if f.Grade != "" && !validGrade(f.Grade) {
		var names []string
		for _, g := range grades {
			names = append(names, string(g))
		}
		return fmt.Errorf("%w: --grade %q is not one of %s", testigo.ErrInvalid, f.Grade, strings.Join(names, ", "))
	}
	if f.Status != "" && !f.Status.Valid() {
		return fmt.Errorf("%w: --status %q is not one of new, in_review, published, rejected", testigo.ErrInvalid, f.Status)
	}
	return nil
}

func validGrade(g testigo.Grade) bool {
	for _, v := range grades {
		if g == v {
			return true
		}
	}
	return false
}

// matches reports whether inc passes the filter. The store applies the
// same conditions except Grade and the default exclusion of rejected
// incidents; Write checks them all again here, because an incident it
// re-reads may have changed.
func (f Filter) matches(inc *testigo.Incident) bool {
	switch {
	case inc.MergedInto != 0:
		return false
	case f.Status == "" && inc.Review == testigo.ReviewRejected:
		return false
	case f.Status != "" && inc.Review != f.Status:
		return false
	case f.Country != "" && inc.Country != f.Country:
		return false
	case f.Type != "" && inc.Type != f.Type:
		return false
	case f.Grade != "" && inc.Grade != f.Grade:
		return false
	case f.Since != "" && (inc.Date == "" || inc.Date < f.Since):
		return false
	case f.Until != "" && (inc.Date == "" || inc.Date > f.Until):
		return false
	}
	return true
}

// Reader is what Write reads from the store.
type Reader interface {
	FindIncidents(ctx context.Context, f testigo.IncidentFilter) ([]*testigo.Incident, error)
	FindIncident(ctx context.Context, id testigo.IncidentID) (*testigo.Incident, error)
	FindLogEntriesBySubject(ctx context.Context, subject string) ([]*testigo.LogEntry, error)
	LatestLogEntries(ctx context.Context, kind testigo.LogKind, subjects []string) (map[string]*testigo.LogEntry, error)
	FindReports(ctx context.Context, f testigo.ReportFilter) ([]*testigo.Report, error)
	FindDocument(ctx context.Context, id testigo.DocumentID) (*testigo.Document, error)
	FindDocuments(ctx context.Context, f testigo.DocumentFilter) ([]*testigo.Document, error)
}

// Options says what to export and how.
type Options struct {
	Format Format
	Filter Filter
	// BaseURL prefixes each incident's page path in evidence_url and the
	// Atom links, such as "https://testigo.example.org"; empty leaves the
	// path "/incidents/N".
	BaseURL string
	// CountryName returns the English name of a country code; nil or ""
	// leaves the code.
	CountryName func(iso2 string) string
	// Now gives the Atom feed's updated time; nil means time.Now.
	Now func() time.Time
	// Lookups is how many incidents' log entries (and reports) are read at
	// once; 0 means DefaultLookups.
	Lookups int
	// FeedTitle and FeedTag name an Atom feed other than the one of all
	// published incidents: its title, and the end of its tag URI id
	// ("alert:3" gives tag:HOST,2026:alert:3). Empty means that feed's.
	FeedTitle string
	FeedTag   string
}

// DefaultLookups is the default number of concurrent per-incident reads.
// SQLite serves reads on several connections at once, and the per-row log
// lookup is most of an export's cost.
const DefaultLookups = 2

// Result describes a finished export.
type Result struct {
	Rows int64 // incidents written
}

// pageSize is how many incidents Write reads at a time.
const pageSize = 1000

// row is one incident as exported: the incident, the transparency-log entry
// its state was committed in and, for the formats that name them, the actors
// and sources of its reports.
type row struct {
	inc      *testigo.Incident
	logIndex int64 // -1 when the incident has no log entry
	url      string
	details  *details
}

// details is what the ACLED and UCDP formats read from an incident's reports.
type details struct {
	perpetrators []string
	targets      []string
	sources      []string // document host names
	articles     []string // document URLs
}

// encoder writes one format: a header, rows, a trailer.
type encoder interface {
	begin() error
	row(r *row) error
	end() error
}

// Write exports the incidents that opt.Filter selects to w in opt.Format.
// Bad options give an error wrapping testigo.ErrInvalid before anything is
// written.
func Write(ctx context.Context, rd Reader, w io.Writer, opt Options) (Result, error) {
	var res Result
	if !opt.Format.Valid() {
		var names []string
		for _, f := range Formats {
			names = append(names, string(f))
		}
		return res, fmt.Errorf("%w: format %q is not one of %s", testigo.ErrInvalid, opt.Format, strings.Join(names, ", "))
	}
	if err := opt.Filter.Validate(); err != nil {
		return res, err
	}
	if opt.Format == Atom {
		switch opt.Filter.Status {
		case "":
			opt.Filter.Status = testigo.ReviewPublished
		case testigo.ReviewPublished:
		default:
			return res, fmt.Errorf("%w: the atom feed holds published incidents only, not --status %s", testigo.ErrInvalid, opt.Filter.Status)
		}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Lookups <= 0 {
		opt.Lookups = DefaultLookups
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := newEncoder(opt, bw)
	if err := enc.begin(); err != nil {
		return res, fmt.Errorf("export %s: %w", opt.Format, err)
	}
	ex := &exporter{rd: rd, opt: opt, docs: map[testigo.DocumentID]docInfo{}}
	sf := testigo.IncidentFilter{
		Country: opt.Filter.Country, Type: opt.Filter.Type, Since: opt.Filter.Since, Until: opt.Filter.Until,
		Review: opt.Filter.Status, Limit: pageSize,
	}
	for {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("export %s: %w", opt.Format, err)
		}
		page, err := rd.FindIncidents(ctx, sf)
		if err != nil {
			return res, fmt.Errorf("export %s: %w", opt.Format, err)
		}
		rows, err := ex.rows(ctx, page)
		if err != nil {
			return res, fmt.Errorf("export %s: %w", opt.Format, err)
		}
		for _, r := range rows {
			if r == nil {
				continue
			}
			if err := enc.row(r); err != nil {
				return res, fmt.Errorf("export %s: incident %d: %w", opt.Format, r.inc.ID, err)
			}
			res.Rows++
		}
		if len(page) < pageSize {
			break
		}
		last := page[len(page)-1]
		sf.After = &testigo.IncidentCursor{Date: last.Date, ID: last.ID}
	}
	if err := enc.end(); err != nil {
		return res, fmt.Errorf("export %s: %w", opt.Format, err)
	}
	if err := bw.Flush(); err != nil {
		return res, fmt.Errorf("export %s: %w", opt.Format, err)
	}
	return res, nil
}

// exporter holds one Write call's lookups.
type exporter struct {
	rd   Reader
	opt  Options
	mu   sync.Mutex                     // guards docs
	docs map[testigo.DocumentID]docInfo // bounded cache of document hosts and URLs
}

// rows builds the rows of a page, opt.Lookups incidents at a time, in page
// order; a nil row is an incident left out. The goroutines it starts end
// before it returns.
func (ex *exporter) rows(ctx context.Context, page []*testigo.Incident) ([]*row, error) {
	out := make([]*row, len(page))
	subjects := make([]string, len(page))
	for i, inc := range page {
		subjects[i] = translog.IncidentSubject(inc.ID)
	}
	// The latest log entry of every incident on the page, in one lookup.
	latest, err := ex.rd.LatestLogEntries(ctx, testigo.LogIncident, subjects)
	if err != nil {
		return nil, fmt.Errorf("log entries of %d incidents: %w", len(page), err)
	}
	// The reports of every incident on the page, in one lookup, for the
	// formats that list actors and sources.
	var reports map[testigo.IncidentID][]*testigo.Report
	if ex.opt.Format == ACLEDCSV || ex.opt.Format == UCDPCSV {
		ids := make([]testigo.IncidentID, len(page))
		for i, inc := range page {
			ids[i] = inc.ID
		}
		reps, err := ex.rd.FindReports(ctx, testigo.ReportFilter{IncidentIDs: ids})
		if err != nil {
			return nil, fmt.Errorf("reports of %d incidents: %w", len(page), err)
		}
		reports = make(map[testigo.IncidentID][]*testigo.Report, len(page))
		for _, r := range reps {
			reports[r.IncidentID] = append(reports[r.IncidentID], r)
		}
		if err := ex.cacheDocuments(ctx, reps); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range min(ex.opt.Lookups, len(page)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(page) {
					return
				}
				r, err := ex.row(ctx, page[i], latest[subjects[i]], reports)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					cancel()
					return
				}
				out[i] = r
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return out, ctx.Err()
}

type docInfo struct{ host, url string }

// maxDocCache bounds the document cache, so memory stays flat.
const maxDocCache = 4096

// maxRereads is how many times row re-reads an incident whose latest log
// entry does not match it before giving up.
const maxRereads = 3

// row builds the row of inc, or returns nil when inc no longer passes the
// filter after a re-read. last is inc's latest incident log entry and
// reports the reports by incident (nil unless the format needs them), both
// as read with the page.
func (ex *exporter) row(ctx context.Context, inc *testigo.Incident, last *testigo.LogEntry,
	reports map[testigo.IncidentID][]*testigo.Report) (*row, error) {
	if !ex.opt.Filter.matches(inc) {
		return nil, nil
	}
	idx, err := logIndexOf(inc, last)
	for i := 0; errors.Is(err, errStale) && i < maxRereads; i++ {
		reports = nil // read again below, with the incident
		// The incident changed between the listing and the log read: read
		// it again, so that the row matches the entry it names.
		if inc, err = ex.rd.FindIncident(ctx, inc.ID); err != nil {
			return nil, err
		}
		if !ex.opt.Filter.matches(inc) {
			return nil, nil
		}
		idx, err = ex.logIndex(ctx, inc)
	}
	if err != nil {
		return nil, err
	}
	r := &row{inc: inc, logIndex: idx, url: ex.opt.evidenceURL(inc.ID)}
	if ex.opt.Format == ACLEDCSV || ex.opt.Format == UCDPCSV {
		reps, ok := reports[inc.ID]
		if !ok {
			if reps, err = ex.rd.FindReports(ctx, testigo.ReportFilter{IncidentID: inc.ID}); err != nil {
				return nil, fmt.Errorf("reports of incident %d: %w", inc.ID, err)
			}
		}
		if r.details, err = ex.details(ctx, reps); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// errStale reports that an incident's latest log entry commits to a state
// other than the one read.
var errStale = errors.New("incident changed while exporting")

// logIndex reads the latest log entry about inc and returns what
// logIndexOf says of it.
func (ex *exporter) logIndex(ctx context.Context, inc *testigo.Incident) (int64, error) {
	es, err := ex.rd.FindLogEntriesBySubject(ctx, translog.IncidentSubject(inc.ID))
	if err != nil {
		return 0, fmt.Errorf("log entries of incident %d: %w", inc.ID, err)
	}
	var last *testigo.LogEntry
	for _, e := range es {
		if e.Kind == testigo.LogIncident {
			last = e
		}
	}
	return logIndexOf(inc, last)
}

// logIndexOf returns the index of last, inc's latest incident log entry,
// -1 if there is none (nil), or errStale if that entry does not commit to
// inc's state.
func logIndexOf(inc *testigo.Incident, last *testigo.LogEntry) (int64, error) {
	if last == nil {
		return -1, nil
	}
	if !last.Redacted() {
		want, err := translog.IncidentStateOf(last.Content)
		if err != nil {
			return 0, fmt.Errorf("log entry %d: %w", last.Index, err)
		}
		if want != translog.IncidentStateHash(inc) {
			return 0, fmt.Errorf("%w: incident %d, log entry %d", errStale, inc.ID, last.Index)
		}
	}
	return last.Index, nil
}

// cacheDocuments reads the hosts and URLs of the documents of reps that
// are not cached yet, in one lookup without their texts.
func (ex *exporter) cacheDocuments(ctx context.Context, reps []*testigo.Report) error {
	ex.mu.Lock()
	var ids []testigo.DocumentID
	seen := map[testigo.DocumentID]bool{}
	for _, r := range reps {
		if _, ok := ex.docs[r.DocumentID]; !ok && !seen[r.DocumentID] {
			seen[r.DocumentID] = true
			ids = append(ids, r.DocumentID)
		}
	}
	ex.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	docs, err := ex.rd.FindDocuments(ctx, testigo.DocumentFilter{IDs: ids, WithoutText: true})
	if err != nil {
		return fmt.Errorf("documents of %d reports: %w", len(reps), err)
	}
	ex.remember(docs...)
	return nil
}

// remember caches the hosts and URLs of docs, emptying the cache first
// when they would not fit.
func (ex *exporter) remember(docs ...*testigo.Document) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if len(ex.docs)+len(docs) > maxDocCache {
		clear(ex.docs)
	}
	for _, d := range docs {
		ex.docs[d.ID] = docInfo{host: hostOf(d), url: d.URL}
	}
}

// details reads the actors and sources of an incident's reports.
func (ex *exporter) details(ctx context.Context, reps []*testigo.Report) (*details, error) {
	d := &details{}
	for _, r := range reps {
		for _, a := range r.Actors {
			switch a.Role {
			case testigo.RolePerpetrator:
				d.perpetrators = addUnique(d.perpetrators, a.Name)
			case testigo.RoleTarget:
				d.targets = addUnique(d.targets, a.Name)
			}
		}
		ex.mu.Lock()
		di, ok := ex.docs[r.DocumentID]
		ex.mu.Unlock()
		if !ok {
			doc, err := ex.rd.FindDocument(ctx, r.DocumentID)
			if err != nil {
				return nil, fmt.Errorf("document of report %d: %w", r.ID, err)
			}
			di = docInfo{host: hostOf(doc), url: doc.URL}
			ex.remember(doc)
		}
		d.sources = addUnique(d.sources, di.host)
		d.articles = addUnique(d.articles, di.url)
	}
	return d, nil
}

func addUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, v := range list {
		if v == s {
			return list
		}
	}
	return append(list, s)
}

// hostOf names a document's source: its URL's host without "www.", or its
// file name when it has no URL.
func hostOf(d *testigo.Document) string {
	u := d.URL
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexAny(u, "/?#"); j >= 0 {
			u = u[:j]
		}
		if j := strings.LastIndex(u, "@"); j >= 0 {
			u = u[j+1:]
		}
		return strings.TrimPrefix(strings.ToLower(u), "www.")
	}
	if u != "" {
		return u
	}
	return d.Name
}

// evidenceURL returns the page of incident id.
func (o Options) evidenceURL(id testigo.IncidentID) string {
	return fmt.Sprintf("%s/incidents/%d", strings.TrimSuffix(o.BaseURL, "/"), id)
}

// countryName returns the country's name, or its code when unknown.
func (o Options) countryName(iso2 string) string {
	if o.CountryName != nil && iso2 != "" {
		if n := o.CountryName(iso2); n != "" {
			return n
		}
	}
	return iso2
}

func newEncoder(opt Options, w *bufio.Writer) encoder {
	switch opt.Format {
	case JSONL:
		return &jsonlEncoder{w: w}
	case CSV:
		return newCSVEncoder(w, csvColumns, csvRecord(opt))
	case ACLEDCSV:
		return newCSVEncoder(w, acledColumns, acledRecord(opt))
	case UCDPCSV:
		return newCSVEncoder(w, ucdpColumns, ucdpRecord(opt))
	case GeoJSON:
		return &geojsonEncoder{w: w}
	}
	return &atomEncoder{w: w, opt: opt}
}
