package exporter

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// incidentJSON is an incident with every field, as the jsonl format writes
// it and the GeoJSON format uses as a feature's properties.
type incidentJSON struct {
	ID           testigo.IncidentID  `json:"id"`
	Title        string              `json:"title"`
	Type         testigo.EventType   `json:"type"`
	Date         string              `json:"date"`
	Country      string              `json:"country"`
	Admin1       string              `json:"admin1"`
	Admin2       string              `json:"admin2"`
	Location     string              `json:"location"`
	Lat          *float64            `json:"lat"`
	Lon          *float64            `json:"lon"`
	Killed       *testigo.Range      `json:"killed"`
	Injured      *testigo.Range      `json:"injured"`
	Grade        testigo.Grade       `json:"grade"`
	GradeReason  string              `json:"grade_reason"`
	GradeSet     bool                `json:"grade_set"`
	Derivation   string              `json:"derivation"`
	ReviewStatus testigo.ReviewState `json:"review_status"`
	ReportCount  int                 `json:"report_count"`
	Version      int                 `json:"version"`
	CreatedAt    string              `json:"created_at"`
	UpdatedAt    string              `json:"updated_at"`
	EvidenceURL  string              `json:"evidence_url"`
	LogIndex     *int64              `json:"log_index"` // null when the incident has no log entry
}

func toJSON(r *row) *incidentJSON {
	inc := r.inc
	j := &incidentJSON{
		ID: inc.ID, Title: inc.Title, Type: inc.Type, Date: inc.Date, Country: inc.Country,
		Admin1: inc.Admin1, Admin2: inc.Admin2, Location: inc.Location, Lat: finite(inc.Lat), Lon: finite(inc.Lon),
		Killed: inc.Killed, Injured: inc.Injured, Grade: inc.Grade, GradeReason: inc.GradeReason,
		GradeSet: inc.GradeSet, Derivation: inc.Derivation, ReviewStatus: inc.Review,
		ReportCount: inc.ReportCount, Version: inc.Version,
		CreatedAt: timeText(inc.CreatedAt), UpdatedAt: timeText(inc.UpdatedAt), EvidenceURL: r.url,
	}
	if r.logIndex >= 0 {
		idx := r.logIndex
		j.LogIndex = &idx
	}
	return j
}

// finite drops a NaN or infinite coordinate, which JSON cannot carry.
func finite(f *float64) *float64 {
	if f == nil || math.IsNaN(*f) || math.IsInf(*f, 0) {
		return nil
	}
	return f
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// jsonlEncoder writes one JSON object per line.
type jsonlEncoder struct {
	w *bufio.Writer
}

func (e *jsonlEncoder) begin() error { return nil }

func (e *jsonlEncoder) row(r *row) error {
	b, err := json.Marshal(toJSON(r))
	if err != nil {
		return err
	}
	e.w.Write(b)
	return e.w.WriteByte('\n')
}

func (e *jsonlEncoder) end() error { return nil }

// csvEncoder writes a header line and one record per row.
type csvEncoder struct {
	w      *csv.Writer
	header []string
	record func(r *row, rec []string)
	rec    []string
}

func newCSVEncoder(w *bufio.Writer, header []string, record func(r *row, rec []string)) *csvEncoder {
	return &csvEncoder{w: csv.NewWriter(w), header: header, record: record, rec: make([]string, len(header))}
}

func (e *csvEncoder) begin() error { return e.w.Write(e.header) }

func (e *csvEncoder) row(r *row) error {
	clear(e.rec)
	e.record(r, e.rec)
	return e.w.Write(e.rec)
}

func (e *csvEncoder) end() error {
	e.w.Flush()
	return e.w.Error()
}

// csvColumns are the columns of testigo's own CSV.
var csvColumns = []string{
	"id", "date", "type", "title", "country", "admin1", "admin2", "location", "latitude", "longitude",
	"killed_min", "killed_max", "injured_min", "injured_max", "grade", "grade_reason", "review_status",
	"report_count", "version", "created_at", "updated_at", "derivation", "evidence_url", "log_index",
}

func csvRecord(Options) func(r *row, rec []string) {
	return func(r *row, rec []string) {
		inc := r.inc
		rec[0] = strconv.FormatInt(int64(inc.ID), 10)
		rec[1], rec[2], rec[3] = inc.Date, string(inc.Type), inc.Title
		rec[4], rec[5], rec[6], rec[7] = inc.Country, inc.Admin1, inc.Admin2, inc.Location
		rec[8], rec[9] = latLon(inc)
		rec[10], rec[11] = rangeMin(inc.Killed), rangeMax(inc.Killed)
		rec[12], rec[13] = rangeMin(inc.Injured), rangeMax(inc.Injured)
		rec[14], rec[15], rec[16] = string(inc.Grade), inc.GradeReason, string(inc.Review)
		rec[17], rec[18] = strconv.Itoa(inc.ReportCount), strconv.Itoa(inc.Version)
		rec[19], rec[20], rec[21] = timeText(inc.CreatedAt), timeText(inc.UpdatedAt), inc.Derivation
		rec[22], rec[23] = r.url, logIndexText(r.logIndex)
	}
}

// latLon formats the incident's latitude and longitude, or two empty
// strings when it has no coordinates or they are out of range.
func latLon(inc *testigo.Incident) (string, string) {
	p := pointOf(inc)
	if p == nil {
		return "", ""
	}
	return strconv.FormatFloat(p.Coordinates[1], 'f', -1, 64), strconv.FormatFloat(p.Coordinates[0], 'f', -1, 64)
}

func rangeMin(r *testigo.Range) string {
	if r == nil {
		return ""
	}
	return strconv.Itoa(r.Min)
}

func rangeMax(r *testigo.Range) string {
	if r == nil {
		return ""
	}
	return strconv.Itoa(r.Max)
}

func logIndexText(i int64) string {
	if i < 0 {
		return ""
	}
	return strconv.FormatInt(i, 10)
}

// geojsonEncoder writes an RFC 7946 FeatureCollection, one feature per line.
type geojsonEncoder struct {
	w *bufio.Writer
	n int64
}

type feature struct {
	Type       string        `json:"type"`
	ID         int64         `json:"id"`
	Geometry   *point        `json:"geometry"` // null without coordinates
	Properties *incidentJSON `json:"properties"`
}

type point struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // longitude, latitude
}

// pointOf returns the incident's point, or nil when it has no coordinates
// or they are out of range.
func pointOf(inc *testigo.Incident) *point {
	lat, lon := finite(inc.Lat), finite(inc.Lon)
	if lat == nil || lon == nil || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180 {
		return nil
	}
	return &point{Type: "Point", Coordinates: [2]float64{*lon, *lat}}
}

func (e *geojsonEncoder) begin() error {
	_, err := e.w.WriteString(`{"type":"FeatureCollection","features":[`)
	return err
}

func (e *geojsonEncoder) row(r *row) error {
	b, err := json.Marshal(feature{Type: "Feature", ID: int64(r.inc.ID), Geometry: pointOf(r.inc), Properties: toJSON(r)})
	if err != nil {
		return err
	}
	if e.n > 0 {
		e.w.WriteByte(',')
	}
	e.n++
	e.w.WriteByte('\n')
	_, err = e.w.Write(b)
	return err
}

func (e *geojsonEncoder) end() error {
	_, err := e.w.WriteString("\n]}\n")
	return err
}

// atomEncoder writes an Atom 1.0 feed (RFC 4287).
type atomEncoder struct {
	w   *bufio.Writer
	opt Options
}

// tagDate is the date part of the feed's tag URIs (RFC 4151); it never
// changes, so that entry IDs stay the same from one export to the next.
const tagDate = "2026"

// authority returns the tagging authority: the base URL's host, or
// testigo.invalid without one.
func (e *atomEncoder) authority() string {
	if u, err := url.Parse(e.opt.BaseURL); err == nil && u.Hostname() != "" {
		return strings.ToLower(u.Hostname())
	}
	return "testigo.invalid"
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	XMLName  xml.Name     `xml:"entry"`
	ID       string       `xml:"id"`
	Title    string       `xml:"title"`
	Updated  string       `xml:"updated"`
	Link     atomLink     `xml:"link"`
	Category atomCategory `xml:"category"`
	Summary  string       `xml:"summary"`
}

func (e *atomEncoder) begin() error {
	base := strings.TrimSuffix(e.opt.BaseURL, "/")
	e.w.WriteString(xml.Header)
	e.w.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom">` + "\n")
	tag, title := "incidents", "testigo: published incidents"
	if e.opt.FeedTag != "" {
		tag = e.opt.FeedTag
	}
	if e.opt.FeedTitle != "" {
		title = e.opt.FeedTitle
	}
	e.element("id", "tag:"+e.authority()+","+tagDate+":"+tag)
	e.element("title", title)
	e.element("updated", e.opt.Now().UTC().Format(time.RFC3339))
	e.w.WriteString("<author><name>testigo</name></author>\n")
	e.w.WriteString(`<link href="`)
	if err := xml.EscapeText(e.w, []byte(base+"/")); err != nil {
		return err
	}
	_, err := e.w.WriteString(`" rel="alternate" type="text/html"></link>` + "\n")
	return err
}

// element writes <name>text</name> and a newline.
func (e *atomEncoder) element(name, text string) {
	e.w.WriteString("<" + name + ">")
	// Writes to a bufio.Writer report their error at Flush.
	_ = xml.EscapeText(e.w, []byte(text))
	e.w.WriteString("</" + name + ">\n")
}

func (e *atomEncoder) row(r *row) error {
	inc := r.inc
	ent := atomEntry{
		ID:       fmt.Sprintf("tag:%s,%s:incident:%d", e.authority(), tagDate, inc.ID),
		Title:    inc.Title,
		Updated:  inc.UpdatedAt.UTC().Format(time.RFC3339),
		Link:     atomLink{Href: r.url, Rel: "alternate", Type: "text/html"},
		Category: atomCategory{Term: string(inc.Type)},
		Summary:  summary(r, e.opt),
	}
	if ent.Title == "" {
		ent.Title = fmt.Sprintf("Incident %d", inc.ID)
	}
	if err := xml.NewEncoder(e.w).Encode(ent); err != nil {
		return err
	}
	return e.w.WriteByte('\n')
}

// summary describes an incident in one line for a feed reader.
func summary(r *row, opt Options) string {
	inc := r.inc
	var parts []string
	if inc.Date != "" {
		parts = append(parts, inc.Date)
	}
	parts = append(parts, string(inc.Type))
	var place []string
	for _, p := range []string{inc.Location, inc.Admin2, inc.Admin1, opt.countryName(inc.Country)} {
		if p != "" && (len(place) == 0 || place[len(place)-1] != p) {
			place = append(place, p)
		}
	}
	if len(place) > 0 {
		parts = append(parts, strings.Join(place, ", "))
	}
	if inc.Killed != nil {
		parts = append(parts, inc.Killed.String()+" killed")
	}
	parts = append(parts, "grade "+string(inc.Grade))
	if r.logIndex >= 0 {
		parts = append(parts, "log entry "+strconv.FormatInt(r.logIndex, 10))
	}
	return strings.Join(parts, "; ")
}

func (e *atomEncoder) end() error {
	_, err := e.w.WriteString("</feed>\n")
	return err
}
