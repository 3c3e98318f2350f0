package extract

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzExtract checks that no input makes the extractor panic or produce a
// span that does not quote the input.
func FuzzExtract(f *testing.F) {
	f.Add("A drone strike killed four people near Badiraguato, Sinaloa, on Thursday.", "en")
	f.Add("Dos muertos dejó el ataque en Aguililla, Michoacán, el pasado jueves.", "es")
	f.Add("\x00\xff\xfe killed 3 \u202e\u05e9\u05dc\u05d5\u05dd 😀 hace tres días", "")
	f.Add(strings.Repeat("between 3 and ", 50)+"5 killed", "en")
	x := mustExtractor(f)
	pub := time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text, lang string) {
		for _, ev := range x.extract(Input{Text: text, Lang: lang, Published: pub}) {
			for field, sp := range ev.Evidence {
				if sp.Basis != "" {
					continue
				}
				if sp.Start < 0 || sp.End > len(text) || sp.Start > sp.End || text[sp.Start:sp.End] != sp.Quote {
					t.Fatalf("evidence for %s %+v does not quote the input", field, sp)
				}
			}
			if ev.Killed != nil && (ev.Killed.Min < 0 || ev.Killed.Max < ev.Killed.Min) {
				t.Fatalf("killed range %v is not a range", ev.Killed)
			}
		}
		if utf8.ValidString(text) {
			var out bytes.Buffer
			line := `{"id":"f","text":` + quote(text) + `}` + "\n"
			if _, _, err := x.ExtractJSONL(context.Background(), strings.NewReader(line), &out); err != nil {
				t.Fatalf("ExtractJSONL: %v", err)
			}
		}
	})
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[r>>4])
			b.WriteByte("0123456789abcdef"[r&15])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
