package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzTokenize checks tokenize against its definition: words in order,
// not overlapping, each folded as its own text with accents and case
// folded and the dots, commas and apostrophes inside it dropped.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"Al menos 1,200 muertos en Culiacán.", "Sana'a’s ÁÉÍÓÚ Ñandú 3.5 km", "\xff\xfeZ A’B İstanbul",
		"abc'd o'Neil 2,,3 4.5.6", "ǅemal ΣΑΣ x\u0301y", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		last := 0
		for _, w := range tokenize(text) {
			if w.start < last || w.end <= w.start || w.end > len(text) {
				t.Fatalf("word %+v out of order in %q", w, text)
			}
			last = w.end
			var want strings.Builder
			for _, r := range text[w.start:w.end] {
				switch r {
				case '.', ',', '\'', '’':
				default:
					want.WriteRune(fold(r))
				}
			}
			if w.fold != want.String() {
				t.Fatalf("word %q folded %q, want %q", text[w.start:w.end], w.fold, want.String())
			}
			if !utf8.ValidString(w.fold) {
				t.Fatalf("fold %q is not UTF-8", w.fold)
			}
		}
	})
}
