package web

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/testigo-project/testigo"
)

func TestHighlight(t *testing.T) {
	const text = "Un dron mató a tres personas en Culiacán, según vecinos."
	at := func(quote string) testigo.Span {
		i := strings.Index(text, quote)
		return testigo.Span{Start: i, End: i + len(quote), Quote: quote}
	}
	tests := []struct {
		name     string
		evidence []testigo.Evidence
		want     []segment
	}{
		{"no reports", nil, []segment{{Text: text}}},
		{
			"two fields, one span, sorted names",
			[]testigo.Evidence{{"type": at("dron"), "platform": at("dron")}},
			[]segment{{Text: "Un "}, {Text: "dron", Start: 3, Fields: "platform, type"}, {Text: text[7:], Start: 7}},
		},
		{
			"spans from two reports, multibyte text",
			[]testigo.Evidence{{"killed": at("tres personas")}, {"location": at("Culiacán")}},
			[]segment{
				{Text: text[:at("tres").Start]},
				{Text: "tres personas", Start: at("tres").Start, Fields: "killed"},
				{Text: " en ", Start: at("tres personas").End},
				{Text: "Culiacán", Start: at("Culiacán").Start, Fields: "location"},
				{Text: text[at("Culiacán").End:], Start: at("Culiacán").End},
			},
		},
		{
			"overlap keeps the earlier, longer span",
			[]testigo.Evidence{{"killed": at("tres personas"), "count": at("personas en")}},
			[]segment{
				{Text: text[:at("tres").Start]},
				{Text: "tres personas", Start: at("tres").Start, Fields: "killed"},
				{Text: text[at("tres personas").End:], Start: at("tres personas").End},
			},
		},
		{
			"spans that do not match the text are dropped",
			[]testigo.Evidence{{
				"wrong quote":  {Start: 0, End: 2, Quote: "Dos"},
				"past the end": {Start: 50, End: 500, Quote: "x"},
				"negative":     {Start: -1, End: 2, Quote: "Un"},
				"empty":        {Start: 3, End: 3, Quote: ""},
				"mid-rune":     {Start: at("Culiacán").End - 2, End: at("Culiacán").End, Quote: "án"[1:]},
			}},
			[]segment{{Text: text}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var reports []*testigo.Report
			for _, ev := range tc.evidence {
				reports = append(reports, &testigo.Report{Event: testigo.Event{Evidence: ev}})
			}
			got := highlight(text, reports)
			if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(segment{})); d != "" {
				t.Errorf("highlight (-want +got):\n%s", d)
			}
			var joined strings.Builder
			for _, s := range got {
				joined.WriteString(s.Text)
			}
			if joined.String() != text {
				t.Errorf("segments do not add up to the text: %q", joined.String())
			}
		})
	}
}

func TestCursorRoundTrip(t *testing.T) {
	for _, inc := range []*testigo.Incident{{ID: 1, Date: "2025-11-02"}, {ID: 9000000000, Date: ""}} {
		c, err := decodeCursor(encodeCursor(inc))
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(&testigo.IncidentCursor{Date: inc.Date, ID: inc.ID}, c); d != "" {
			t.Errorf("round trip (-want +got):\n%s", d)
		}
	}
}
