// Package site builds testigo's public static site: an index with a map and
// a timeline of the published incidents, one page per published incident,
// a page per month and per country, the exports in every format, and the
// files a reader needs to check the release against the transparency log.
//
// The site is plain HTML and CSS with relative links and no script: the map
// and the timeline are SVG drawn at build time. It therefore works from any
// static host and straight from the file system (file://), under a
// Content-Security-Policy that forbids scripts.
//
// Build is incremental. When no incident log entry was appended since the
// last build (and the program and options are the same), nothing is
// rendered at all; when some were, only those incidents' pages are
// rendered, with the lists, maps and exports. Every file rendered is written
// only when its bytes differ from the file already there, and files a
// previous build wrote that this one does not (an incident withdrawn from
// publication) are removed. The previous build is known from SHA256SUMS, the manifest of
// every file and its digest, which Build writes last; its digest is what the
// release's publication entry in the transparency log commits to.
//
// Layout (paths relative to the site's root):
//
//	index.html                  map, timeline, latest incidents, links
//	incidents/N/index.html      incident N, its reports, quotes and log entry
//	months/YYYY-MM.html         incidents of a month (months/undated.html)
//	countries/CC.html           incidents in a country (countries/none.html)
//	exports/incidents.*         JSONL, CSV, ACLED CSV, UCDP CSV, GeoJSON, Atom
//	feed.atom                   Atom feed of the 50 published incidents changed last
//	verify/index.html           how to check the release
//	verify/checkpoint.txt       the signed checkpoint covering the release
//	verify/log.pub              the log's verifier key
//	verify/publication.json     the release's log entry with its inclusion proof
//	site.css, favicon.svg       style sheet and icon
//	SHA256SUMS                  digest of every file above but verify/*.txt, .pub, .json
//
// Two dot files are not part of the site: StateName (what the last build
// read, for the incremental shortcut) and LockName (see Lock).
//
// Incident pages live at incidents/N/index.html so that the evidence_url
// of the exports (BASE/incidents/N) resolves on a static host.
package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/exporter"
)

// Reader is what Build reads from the store: what the exporter reads, and
// the audit trail of each incident.
type Reader interface {
	exporter.Reader
	FindAuditEntries(ctx context.Context, id testigo.IncidentID) ([]*testigo.AuditEntry, error)
	LogSize(ctx context.Context) (int64, error)
	FindLogEntries(ctx context.Context, from, to int64) ([]*testigo.LogEntry, error)
}

// Options configures a build.
type Options struct {
	// Title names the site in headings; empty means "testigo".
	Title string
	// BaseURL is where the site will be served, such as
	// "https://testigo.example.org"; the exports use it in evidence_url
	// and the Atom links. Empty leaves those paths relative to the root
	// ("/incidents/N"). The pages themselves link relatively either way.
	BaseURL string
	// CountryName returns the English name of a country code; nil or ""
	// shows the code.
	CountryName func(iso2 string) string
	// Basemap is a world-atlas TopoJSON file (countries-110m.json) drawn
	// under the incidents on the maps; nil draws the incidents alone.
	Basemap []byte
	// Full renders every file even when no incident changed since the
	// last build, which otherwise leaves the site as it is (see
	// StateName); it also repairs files edited by hand.
	Full bool
}

// Result says what a build did.
type Result struct {
	Incidents int // published incidents on the site
	Written   int // files written because they were new or changed
	Unchanged int // files left alone because their bytes were the same
	Removed   int // files of the previous build no longer part of the site
	Files     int // files SHA256SUMS lists
	// ManifestSHA256 is the hex SHA-256 of SHA256SUMS, which lists every
	// file of the build with its digest.
	ManifestSHA256 string
	// Updated is the latest change to a published incident; the Atom
	// feed's updated time. Zero when nothing is published.
	Updated time.Time
	// Skipped is true when no incident changed since the last build, so
	// nothing was rendered: every file counts as unchanged.
	Skipped bool
}

// pageSize is how many incidents Build reads at a time.
const pageSize = 500

// latestCount is how many incidents the index lists.
const latestCount = 50

// Build renders the site from the published incidents in rd into dir,
// which must be new, empty or hold a previous build. It writes only files
// whose bytes changed.
func Build(ctx context.Context, rd Reader, dir string, opt Options) (Result, error) {
	var res Result
	if opt.Title == "" {
		opt.Title = "testigo"
	}
	var outlines []outline
	if opt.Basemap != nil {
		var err error
		if outlines, err = parseOutlines(opt.Basemap); err != nil {
			return res, err
		}
	}
	tpl, err := parseTemplates()
	if err != nil {
		return res, err
	}
	fl, err := openFiles(dir)
	if err != nil {
		return res, err
	}
	size, err := rd.LogSize(ctx)
	if err != nil {
		return res, fmt.Errorf("build site: log size: %w", err)
	}
	exe := exeSum()
	var changed map[testigo.IncidentID]bool // nil: render every incident page
	if !opt.Full {
		st := readState(dir)
		ch, ok, err := changedSince(ctx, rd, opt, exe, st, size)
		if err != nil {
			return res, err
		}
		if ok {
			changed = ch
		}
		there := false
		if ok && len(ch) == 0 {
			if there, err = allThere(dir, fl.old); err != nil {
				return res, err
			}
		}
		if there {
			manifest, err := os.ReadFile(filepath.Join(dir, ManifestName))
			if err != nil {
				return res, fmt.Errorf("build site: %w", err)
			}
			sum := sha256.Sum256(manifest)
			res = Result{Incidents: st.Incidents, Unchanged: len(fl.old) + 1, Files: len(fl.old),
				ManifestSHA256: hex.EncodeToString(sum[:]), Skipped: true}
			res.Updated, _ = time.Parse(timeLayout, st.Updated) // zero when nothing was published
			return res, nil
		}
	}
	// A build that fails half-way must not leave a state that vouches for
	// the files.
	if err := os.Remove(filepath.Join(dir, StateName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return res, fmt.Errorf("build site: %w", err)
	}
	b := &builder{rd: rd, opt: opt, tpl: tpl, files: fl, outlines: outlines,
		changed: changed, months: map[string]int{}, countries: map[string]*countryStats{}, bins: bins{},
		docs: map[testigo.DocumentID]*testigo.Document{}}
	if err := b.incidents(ctx); err != nil {
		return res, err
	}
	if err := b.countryPages(ctx); err != nil {
		return res, err
	}
	if err := b.exports(ctx); err != nil {
		return res, err
	}
	if err := b.feed(ctx); err != nil {
		return res, err
	}
	if err := b.index(); err != nil {
		return res, err
	}
	if err := b.static(); err != nil {
		return res, err
	}
	removed, sum, err := fl.finish()
	if err != nil {
		return res, err
	}
	if err := b.writeState(size, exe); err != nil {
		return res, err
	}
	return Result{Incidents: b.total, Written: fl.written, Unchanged: fl.unchanged, Removed: removed,
		Files: len(fl.sums), ManifestSHA256: sum, Updated: b.updated}, nil
}

// builder holds one build's state: what the pass over the incidents
// counted for the index and the country pages.
type builder struct {
	rd       Reader
	opt      Options
	tpl      *templates
	files    *files
	outlines []outline
	// changed, when not nil, names the only incidents whose pages need
	// rendering: the others' pages of the last build are kept.
	changed map[testigo.IncidentID]bool

	total     int
	updated   time.Time
	latest    []listRow
	months    map[string]int // "YYYY-MM" (or "undated") → incidents
	countries map[string]*countryStats
	bins      bins
	recent    recent
	docs      map[testigo.DocumentID]*testigo.Document // small cache, cleared when full
}

// countryStats is what the country page of code needs besides its list.
type countryStats struct {
	n      int
	months map[string]int
	bins   bins
}

// noCountry is the country page of incidents without a country (at sea,
// or unknown).
const noCountry = "none"

// incidents renders every published incident's page and the month pages
// in one pass over the listing, which is ordered by date, newest first, so
// that a month's incidents come together.
func (b *builder) incidents(ctx context.Context) error {
	f := testigo.IncidentFilter{Review: testigo.ReviewPublished, Limit: pageSize}
	var month string
	var rows []listRow
	flush := func() error {
		if month == "" {
			return nil
		}
		err := b.monthPage(month, rows)
		rows = rows[:0]
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("build site: %w", err)
		}
		page, err := b.rd.FindIncidents(ctx, f)
		if err != nil {
			return fmt.Errorf("build site: list incidents: %w", err)
		}
		for _, inc := range page {
			if inc.Review != testigo.ReviewPublished || inc.MergedInto != 0 {
				continue
			}
			row, err := b.incidentPageIfChanged(ctx, inc)
			if err != nil {
				return err
			}
			if m := monthOf(inc.Date); m != month {
				if err := flush(); err != nil {
					return err
				}
				month = m
			}
			rows = append(rows, row)
			b.count(inc, row)
		}
		if len(page) < pageSize {
			break
		}
		last := page[len(page)-1]
		f.After = &testigo.IncidentCursor{Date: last.Date, ID: last.ID}
	}
	return flush()
}

// count adds inc to the index's and its country's tallies.
func (b *builder) count(inc *testigo.Incident, row listRow) {
	b.total++
	b.recent.add(inc)
	if inc.UpdatedAt.After(b.updated) {
		b.updated = inc.UpdatedAt
	}
	if len(b.latest) < latestCount {
		b.latest = append(b.latest, row)
	}
	m := monthOf(inc.Date)
	b.months[m]++
	b.bins.add(inc)
	cc := inc.Country
	if cc == "" {
		cc = noCountry
	}
	cs := b.countries[cc]
	if cs == nil {
		cs = &countryStats{months: map[string]int{}, bins: bins{}}
		b.countries[cc] = cs
	}
	cs.n++
	cs.months[m]++
	cs.bins.add(inc)
}

// monthOf returns "YYYY-MM" of a date, or "undated".
func monthOf(date string) string {
	if len(date) < 7 {
		return "undated"
	}
	return date[:7]
}

// countryPages renders a page per country, reading each country's
// incidents again through the store's country filter so that no list is
// held for all countries at once. Incidents without a country are listed
// from the same pass, filtered here.
func (b *builder) countryPages(ctx context.Context) error {
	codes := make([]string, 0, len(b.countries))
	for cc := range b.countries {
		codes = append(codes, cc)
	}
	sort.Strings(codes)
	for _, cc := range codes {
		f := testigo.IncidentFilter{Review: testigo.ReviewPublished, Limit: pageSize}
		if cc != noCountry {
			f.Country = cc
		}
		var groups []monthGroup
		for {
			page, err := b.rd.FindIncidents(ctx, f)
			if err != nil {
				return fmt.Errorf("build site: list incidents in %s: %w", cc, err)
			}
			for _, inc := range page {
				if inc.Review != testigo.ReviewPublished || inc.MergedInto != 0 || (cc == noCountry && inc.Country != "") {
					continue
				}
				m := monthOf(inc.Date)
				if len(groups) == 0 || groups[len(groups)-1].Month != m {
					groups = append(groups, monthGroup{Month: m, Label: monthLabel(m)})
				}
				g := &groups[len(groups)-1]
				g.Rows = append(g.Rows, b.listRow(inc, "../"))
			}
			if len(page) < pageSize {
				break
			}
			last := page[len(page)-1]
			f.After = &testigo.IncidentCursor{Date: last.Date, ID: last.ID}
		}
		if err := b.countryPage(cc, groups); err != nil {
			return err
		}
	}
	return nil
}

// monthLabel returns "March 2026" for "2026-03".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return "Undated"
	}
	return t.Format("January 2006")
}

// countryName returns the name of a country code, or the code.
func (b *builder) countryName(cc string) string {
	if cc == noCountry {
		return "No country (at sea or unknown)"
	}
	if b.opt.CountryName != nil {
		if n := b.opt.CountryName(cc); n != "" {
			return n
		}
	}
	return cc
}
