package site

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/demo"
	"github.com/testigo-project/testigo/internal/exporter"
	"github.com/testigo-project/testigo/internal/translog"
)

//go:embed templates/*.html assets/site.css assets/favicon.svg
var embedded embed.FS

// templates holds one parsed template per page, each with the layout.
type templates struct {
	pages map[string]*template.Template
}

// pageNames lists the page templates besides the layout.
var pageNames = []string{"index", "incident", "month", "country", "verify"}

func parseTemplates() (*templates, error) {
	t := &templates{pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		p, err := template.New("layout.html").ParseFS(embedded, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("site: parse template %s: %w", name, err)
		}
		t.pages[name] = p
	}
	return t, nil
}

// page is what the layout needs.
type page struct {
	Title     string // of this page
	SiteTitle string
	Root      string // relative path to the site's root: "", "../" or "../../"
}

// render executes a page template into memory and writes it to rel.
func (b *builder) render(rel, name string, data any) error {
	var buf bytes.Buffer
	if err := b.tpl.pages[name].Execute(&buf, data); err != nil {
		return fmt.Errorf("render %s: %w", rel, err)
	}
	return b.files.write(rel, buf.Bytes())
}

// listRow is an incident in a list.
type listRow struct {
	Href    string // relative to the page listing it
	ID      testigo.IncidentID
	Title   string
	Date    string
	Type    string
	Place   string
	Killed  string
	Grade   testigo.Grade
	Country string
}

// listRow makes the row of inc for a page at root.
func (b *builder) listRow(inc *testigo.Incident, root string) listRow {
	title := inc.Title
	if title == "" {
		title = fmt.Sprintf("Incident %d", inc.ID)
	}
	return listRow{Href: fmt.Sprintf("%sincidents/%d/index.html", root, inc.ID), ID: inc.ID, Title: title,
		Date: inc.Date, Type: typeLabel(inc.Type), Place: b.place(inc.Place), Killed: rangeText(inc.Killed),
		Grade: inc.Grade, Country: inc.Country}
}

// withRoot returns r with its link made relative to another page depth.
func (r listRow) withRoot(root string) listRow {
	r.Href = fmt.Sprintf("%sincidents/%d/index.html", root, r.ID)
	return r
}

// typeLabel turns "air_drone_strike" into "Air drone strike".
func typeLabel(t testigo.EventType) string {
	s := strings.ReplaceAll(string(t), "_", " ")
	if s == "" {
		return "Unknown"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// rangeText formats a count range, or "unknown".
func rangeText(r *testigo.Range) string {
	if r == nil {
		return "unknown"
	}
	return r.String()
}

// place joins the named parts of a place, most precise first.
func (b *builder) place(p testigo.Place) string {
	var parts []string
	for _, s := range []string{p.Location, p.Admin2, p.Admin1} {
		if s != "" && (len(parts) == 0 || parts[len(parts)-1] != s) {
			parts = append(parts, s)
		}
	}
	if p.Country != "" {
		parts = append(parts, b.countryName(p.Country))
	}
	if len(parts) == 0 {
		return "unknown"
	}
	return strings.Join(parts, ", ")
}

// incidentPage is the data of incidents/N/index.html.
type incidentPage struct {
	page
	Inc         *testigo.Incident
	Type        string
	Place       string
	CountryHref string
	Coords      string
	Killed      string
	Injured     string
	LogIndex    int64 // -1 when the incident has no log entry
	Month       string
	Reports     []reportView
	Changes     []change
}

// reportView is one report on an incident page.
type reportView struct {
	ID           testigo.ReportID
	DocTitle     string
	DocURL       string
	SHA256       testigo.Digest
	Published    string
	Illustrative bool
	Type         string
	Date         string
	Place        string
	Killed       string
	Injured      string
	Attribution  []string
	Actors       []string
	Quotes       []quote
}

// quote is one field's evidence.
type quote struct {
	Field string
	Text  string
	Basis string
}

// change is one audit entry as published: when, what and why, without the
// analyst's name.
type change struct {
	At     string
	Action testigo.AuditAction
	Reason string
}

// maxDocs bounds the document cache.
const maxDocs = 2048

// incidentPageIfChanged renders the page of inc unless the last build's
// page can be kept: inc has no log entry since, and the page is there.
func (b *builder) incidentPageIfChanged(ctx context.Context, inc *testigo.Incident) (listRow, error) {
	if b.changed != nil && !b.changed[inc.ID] {
		rel := fmt.Sprintf("incidents/%d/index.html", inc.ID)
		if ok, err := b.files.keep(rel); err != nil {
			return listRow{}, err
		} else if ok {
			return b.listRow(inc, "../"), nil
		}
	}
	return b.incidentPage(ctx, inc)
}

// incidentPage renders incidents/N/index.html and returns the incident's
// row for the index and the month pages.
func (b *builder) incidentPage(ctx context.Context, inc *testigo.Incident) (listRow, error) {
	idx, err := b.logIndex(ctx, inc)
	if err != nil {
		return listRow{}, err
	}
	reps, err := b.rd.FindReports(ctx, testigo.ReportFilter{IncidentID: inc.ID})
	if err != nil {
		return listRow{}, fmt.Errorf("build site: reports of incident %d: %w", inc.ID, err)
	}
	audit, err := b.rd.FindAuditEntries(ctx, inc.ID)
	if err != nil {
		return listRow{}, fmt.Errorf("build site: audit trail of incident %d: %w", inc.ID, err)
	}
	const root = "../../"
	p := incidentPage{page: page{Title: inc.Title, SiteTitle: b.opt.Title, Root: root}, Inc: inc,
		Type: typeLabel(inc.Type), Place: b.place(inc.Place), Killed: rangeText(inc.Killed),
		Injured: rangeText(inc.Injured), LogIndex: idx, Month: monthOf(inc.Date)}
	if p.Title == "" {
		p.Title = fmt.Sprintf("Incident %d", inc.ID)
	}
	cc := inc.Country
	if cc == "" {
		cc = noCountry
	}
	p.CountryHref = root + "countries/" + cc + ".html"
	if lat, lon, ok := coords(inc); ok {
		p.Coords = fmt.Sprintf("%.4f, %.4f", lat, lon)
	}
	for _, r := range reps {
		doc, err := b.document(ctx, r.DocumentID)
		if err != nil {
			return listRow{}, err
		}
		p.Reports = append(p.Reports, b.reportView(r, doc))
	}
	for _, e := range audit {
		p.Changes = append(p.Changes, change{At: e.At.UTC().Format("2006-01-02 15:04 UTC"), Action: e.Action, Reason: e.Reason})
	}
	if err := b.render(fmt.Sprintf("incidents/%d/index.html", inc.ID), "incident", p); err != nil {
		return listRow{}, err
	}
	return b.listRow(inc, "../"), nil
}

// logIndex returns the index of the latest log entry about inc, -1 if
// there is none. It fails when that entry commits to another state than
// inc's, so that a page never names an entry that does not back it.
func (b *builder) logIndex(ctx context.Context, inc *testigo.Incident) (int64, error) {
	es, err := b.rd.FindLogEntriesBySubject(ctx, translog.IncidentSubject(inc.ID))
	if err != nil {
		return 0, fmt.Errorf("build site: log entries of incident %d: %w", inc.ID, err)
	}
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		if e.Kind != testigo.LogIncident {
			continue
		}
		if !e.Redacted() {
			want, err := translog.IncidentStateOf(e.Content)
			if err != nil {
				return 0, fmt.Errorf("build site: log entry %d: %w", e.Index, err)
			}
			if want != translog.IncidentStateHash(inc) {
				return 0, fmt.Errorf("build site: incident %d differs from its latest log entry %d (changed during the build, or outside the log); run publish again", inc.ID, e.Index)
			}
		}
		return e.Index, nil
	}
	return -1, nil
}

// document returns a report's document through a small cache.
func (b *builder) document(ctx context.Context, id testigo.DocumentID) (*testigo.Document, error) {
	if d, ok := b.docs[id]; ok {
		return d, nil
	}
	d, err := b.rd.FindDocument(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("build site: document %d: %w", id, err)
	}
	d.Text = "" // not published, and not kept in the cache
	if len(b.docs) >= maxDocs {
		clear(b.docs)
	}
	b.docs[id] = d
	return d, nil
}

func (b *builder) reportView(r *testigo.Report, doc *testigo.Document) reportView {
	v := reportView{ID: r.ID, DocTitle: doc.Title, DocURL: doc.URL, SHA256: doc.SHA256,
		Illustrative: demo.Illustrative(doc.Name), Type: typeLabel(r.Type), Date: r.Date,
		Place: b.place(r.Place), Killed: rangeText(r.Killed), Injured: rangeText(r.Injured)}
	if v.DocTitle == "" {
		v.DocTitle = doc.Name
	}
	if !strings.HasPrefix(doc.URL, "https://") && !strings.HasPrefix(doc.URL, "http://") {
		v.DocURL = "" // a file name given at ingest, not a link
	}
	if !doc.Published.IsZero() {
		v.Published = doc.Published.UTC().Format(testigo.DateLayout)
	}
	for _, a := range r.Attribution {
		v.Attribution = append(v.Attribution, a.Text)
	}
	for _, a := range r.Actors {
		if a.Role == testigo.RolePerpetrator || a.Role == testigo.RoleTarget {
			v.Actors = append(v.Actors, fmt.Sprintf("%s (%s)", a.Name, a.Role))
		}
	}
	fields := make([]string, 0, len(r.Evidence))
	for k := range r.Evidence {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	for _, k := range fields {
		s := r.Evidence[k]
		v.Quotes = append(v.Quotes, quote{Field: k, Text: s.Quote, Basis: s.Basis})
	}
	return v
}

// monthPage is the data of months/YYYY-MM.html.
type monthPage struct {
	page
	Rows []listRow
}

func (b *builder) monthPage(month string, rows []listRow) error {
	p := monthPage{page: page{Title: monthLabel(month), SiteTitle: b.opt.Title, Root: "../"}, Rows: rows}
	return b.render("months/"+month+".html", "month", p)
}

// monthGroup is a country page's incidents of one month.
type monthGroup struct {
	Month string // "YYYY-MM" or "undated", the heading's id
	Label string
	Rows  []listRow
}

// countryPage is the data of countries/CC.html.
type countryPage struct {
	page
	Code     string
	N        int
	Map      template.HTML
	Timeline template.HTML
	Groups   []monthGroup
}

func (b *builder) countryPage(cc string, groups []monthGroup) error {
	name := b.countryName(cc)
	cs := b.countries[cc]
	p := countryPage{page: page{Title: name, SiteTitle: b.opt.Title, Root: "../"}, Code: cc, N: cs.n, Groups: groups}
	if len(cs.bins) > 0 {
		p.Map = renderMap(b.outlines, cs.bins, "../", "Map of the published incidents in "+name)
	}
	p.Timeline = renderTimeline(dated(cs.months), func(m string) string { return "#m-" + m }, "Published incidents in "+name+" per month")
	return b.render("countries/"+cc+".html", "country", p)
}

// dated returns the month counts without the undated ones.
func dated(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		if k != "undated" {
			out[k] = v
		}
	}
	return out
}

// indexPage is the data of index.html.
type indexPage struct {
	page
	N         int
	Map       template.HTML
	Timeline  template.HTML
	Latest    []listRow
	Countries []countryLink
	Months    []countryLink
	Exports   []exportFile
}

// countryLink is a link with a count.
type countryLink struct {
	Href  string
	Label string
	N     int
}

func (b *builder) index() error {
	p := indexPage{page: page{Title: b.opt.Title, SiteTitle: b.opt.Title, Root: ""}, N: b.total,
		Latest: b.latest, Exports: exportFiles}
	if len(b.bins) > 0 {
		p.Map = renderMap(b.outlines, b.bins, "", "Map of the published incidents")
	}
	p.Timeline = renderTimeline(dated(b.months), func(m string) string { return "months/" + m + ".html" }, "Published incidents per month")
	for i := range p.Latest {
		p.Latest[i] = p.Latest[i].withRoot("")
	}
	codes := make([]string, 0, len(b.countries))
	for cc := range b.countries {
		codes = append(codes, cc)
	}
	sort.Slice(codes, func(i, j int) bool {
		if (codes[i] == noCountry) != (codes[j] == noCountry) {
			return codes[j] == noCountry
		}
		return b.countryName(codes[i]) < b.countryName(codes[j])
	})
	for _, cc := range codes {
		p.Countries = append(p.Countries, countryLink{Href: "countries/" + cc + ".html", Label: b.countryName(cc), N: b.countries[cc].n})
	}
	months := make([]string, 0, len(b.months))
	for m := range b.months {
		months = append(months, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(months))) // newest first; "undated" sorts before digits, so last
	for _, m := range months {
		p.Months = append(p.Months, countryLink{Href: "months/" + m + ".html", Label: monthLabel(m), N: b.months[m]})
	}
	return b.render("index.html", "index", p)
}

// exportFile is one of the site's export files.
type exportFile struct {
	Format exporter.Format
	Path   string
	About  string
}

// exportFiles lists the site's exports, in exporter.Formats order.
var exportFiles = []exportFile{
	{exporter.JSONL, "exports/incidents.jsonl", "JSON Lines, one incident per line with every field"},
	{exporter.CSV, "exports/incidents.csv", "CSV with testigo's own columns"},
	{exporter.ACLEDCSV, "exports/incidents-acled.csv", "CSV with ACLED's columns, then testigo's"},
	{exporter.UCDPCSV, "exports/incidents-ucdp.csv", "CSV with UCDP GED's columns (best, low, high)"},
	{exporter.GeoJSON, "exports/incidents.geojson", "GeoJSON FeatureCollection (RFC 7946) for QGIS and web maps"},
	{exporter.Atom, "exports/incidents.atom", "Atom feed of the published incidents"},
}

// verifyPage is the data of verify/index.html.
type verifyPage struct {
	page
	Manifest string
}

// static writes the style sheet and the page that explains how to check
// the release.
func (b *builder) static() error {
	css, err := embedded.ReadFile("assets/site.css")
	if err != nil {
		return fmt.Errorf("build site: %w", err)
	}
	if err := b.files.write("site.css", css); err != nil {
		return err
	}
	// A site without an icon makes every browser on a web host log a 404.
	icon, err := embedded.ReadFile("assets/favicon.svg")
	if err != nil {
		return fmt.Errorf("build site: %w", err)
	}
	if err := b.files.write("favicon.svg", icon); err != nil {
		return err
	}
	return b.render("verify/index.html", "verify", verifyPage{page: page{Title: "Check this release", SiteTitle: b.opt.Title, Root: "../"}, Manifest: ManifestName})
}
