package extract

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// predEvent is an event in the PRED format of the evaluation data: every
// field present, null when unknown.
type predEvent struct {
	Type        *string               `json:"type"`
	Date        *string               `json:"date"`
	Country     *string               `json:"country"`
	Admin1      *string               `json:"admin1"`
	Admin2      *string               `json:"admin2"`
	Location    *string               `json:"location"`
	Lat         *float64              `json:"lat"`
	Lon         *float64              `json:"lon"`
	Killed      *testigo.Range        `json:"killed"`
	Injured     *testigo.Range        `json:"injured"`
	Actors      []testigo.Actor       `json:"actors"`
	Platform    *string               `json:"platform"`
	Attribution []testigo.Attribution `json:"attribution"`
	Modality    *string               `json:"modality"`
	Evidence    testigo.Evidence      `json:"evidence"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// PredEvent converts an event to the PRED JSON object: null for every
// empty field, killed and injured null when unknown.
func PredEvent(e testigo.Event) any {
	p := predEvent{
		Type: nullable(string(e.Type)), Date: nullable(e.Date), Country: nullable(e.Country),
		Admin1: nullable(e.Admin1), Admin2: nullable(e.Admin2), Location: nullable(e.Location),
		Lat: e.Lat, Lon: e.Lon, Killed: e.Killed, Injured: e.Injured, Actors: e.Actors,
		Platform: nullable(string(e.Platform)), Attribution: e.Attribution, Modality: nullable(string(e.Modality)),
		Evidence: e.Evidence,
	}
	if p.Actors == nil {
		p.Actors = []testigo.Actor{}
	}
	if p.Attribution == nil {
		p.Attribution = []testigo.Attribution{}
	}
	if p.Evidence == nil {
		p.Evidence = testigo.Evidence{}
	}
	return p
}

// jsonlInput is one line of JSONL input.
type jsonlInput struct {
	ID        json.RawMessage `json:"id"`
	Text      *string         `json:"text"`
	Lang      string          `json:"lang"`
	Published *string         `json:"published"`
}

// ExtractJSONL reads JSONL lines {"id","text","lang"?,"published"?} and
// writes one line per input line, in order: {"id", "events"}. A line that
// cannot be read yields {"id": null, "error": "line N: …"} and the rest go
// on. Lines of any length are read.
func (x *Extractor) ExtractJSONL(ctx context.Context, r io.Reader, w io.Writer) (lines, failed int, err error) {
	br := bufio.NewReaderSize(r, 1<<20)
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	enc := json.NewEncoder(bw)
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return lines, failed, err
		}
		line, rerr := br.ReadBytes('\n')
		if len(line) == 0 && rerr != nil {
			if errors.Is(rerr, io.EOF) {
				return lines, failed, bw.Flush()
			}
			return lines, failed, fmt.Errorf("read line %d: %w", n, rerr)
		}
		if strings.TrimSpace(string(line)) == "" {
			if rerr != nil {
				return lines, failed, bw.Flush()
			}
			continue
		}
		lines++
		out, lineErr := x.extractLine(line, n)
		if lineErr != nil {
			failed++
			out = map[string]any{"id": nil, "error": lineErr.Error()}
		}
		if err := enc.Encode(out); err != nil {
			return lines, failed, fmt.Errorf("write line %d: %w", n, err)
		}
		if rerr != nil {
			return lines, failed, bw.Flush()
		}
	}
}

func (x *Extractor) extractLine(line []byte, n int) (any, error) {
	var in jsonlInput
	if err := json.Unmarshal(line, &in); err != nil {
		return nil, fmt.Errorf("line %d: invalid JSON: %v", n, err)
	}
	if in.Text == nil {
		return nil, fmt.Errorf(`line %d: no "text" field`, n)
	}
	var pub time.Time
	if in.Published != nil && *in.Published != "" {
		s := *in.Published
		if len(s) > 10 {
			s = s[:10]
		}
		t, err := time.Parse(testigo.DateLayout, s)
		if err != nil {
			return nil, fmt.Errorf(`line %d: "published" %q is not a YYYY-MM-DD date`, n, *in.Published)
		}
		pub = t
	}
	var id any
	if len(in.ID) > 0 {
		if err := json.Unmarshal(in.ID, &id); err != nil {
			id = string(in.ID)
		}
	}
	events := []any{}
	for _, e := range x.Extract(Input{Text: *in.Text, Lang: in.Lang, Published: pub}) {
		events = append(events, PredEvent(e))
	}
	return map[string]any{"id": id, "events": events}, nil
}
