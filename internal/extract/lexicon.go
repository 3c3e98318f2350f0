package extract

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// phrase is a sequence of folded words; a word ending in "*" matches any
// word it starts.
type phrase []string

// lexicon finds phrases in a word sequence. Phrases are indexed by their
// first word, or by the first three letters of a prefix pattern, so that a
// scan costs a few map lookups per word.
type lexicon[T any] struct {
	exact  map[string][]entry[T]
	prefix map[string][]entry[T]
	// exactBit and prefixBit are the word classes that say a word may
	// start an exact or a prefix phrase; 0 until newWordClasses sets them.
	// Words not classified (no clsSeen) are looked up in full.
	exactBit, prefixBit uint32
}

type entry[T any] struct {
	words phrase
	value T
}

func newLexicon[T any]() *lexicon[T] {
	return &lexicon[T]{exact: map[string][]entry[T]{}, prefix: map[string][]entry[T]{}}
}

func (l *lexicon[T]) add(text string, v T) {
	// Hyphens separate words as they do in the text's tokens: "al-shabaab"
	// is the two words "al shabaab".
	ws := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '\t' || r == '-' })
	if len(ws) == 0 {
		return
	}
	e := entry[T]{words: ws, value: v}
	first := ws[0]
	if stem, ok := strings.CutSuffix(first, "*"); ok {
		key := stem
		if len(key) > 3 {
			key = key[:3]
		}
		l.prefix[key] = append(l.prefix[key], e)
		return
	}
	l.exact[first] = append(l.exact[first], e)
}

func wordMatches(pattern, w string) bool {
	if stem, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(w, stem)
	}
	return pattern == w
}

// hit is a phrase found at words [i, j).
type hit[T any] struct {
	i, j  int
	value T
}

// mayStart reports whether a phrase may start at w: false only for a
// classified word that starts no phrase, which at need not look up.
func (l *lexicon[T]) mayStart(w word) bool {
	return l.exactBit == 0 || w.cls&clsSeen == 0 || w.cls&(l.exactBit|l.prefixBit) != 0
}

// at returns every phrase that starts at word i.
func (l *lexicon[T]) at(ws []word, i int) []hit[T] {
	return l.appendAt(nil, ws, i)
}

// appendAt appends to dst every phrase that starts at word i, exact
// phrases first, each list in table order; scans reuse dst.
func (l *lexicon[T]) appendAt(dst []hit[T], ws []word, i int) []hit[T] {
	unknown := l.exactBit == 0 || ws[i].cls&clsSeen == 0 // not classified: look everything up
	if unknown || ws[i].cls&l.exactBit != 0 {
		dst = appendMatches(dst, l.exact[ws[i].fold], ws, i)
	}
	if unknown || ws[i].cls&l.prefixBit != 0 {
		key := ws[i].fold
		if len(key) > 3 {
			key = key[:3]
		}
		dst = appendMatches(dst, l.prefix[key], ws, i)
	}
	return dst
}

// appendMatches appends the entries of es that match the words from i.
func appendMatches[T any](dst []hit[T], es []entry[T], ws []word, i int) []hit[T] {
	for _, e := range es {
		if i+len(e.words) > len(ws) {
			continue
		}
		ok := true
		for k, p := range e.words {
			if !wordMatches(p, ws[i+k].fold) {
				ok = false
				break
			}
		}
		if ok {
			dst = append(dst, hit[T]{i: i, j: i + len(e.words), value: e.value})
		}
	}
	return dst
}

// longestAt returns the longest phrase starting at word i, if any: the
// first found among those of that length.
func (l *lexicon[T]) longestAt(ws []word, i int) (hit[T], bool) {
	var arr [4]hit[T]
	var best hit[T]
	found := false
	for _, h := range l.appendAt(arr[:0], ws, i) {
		if !found || h.j > best.j {
			best, found = h, true
		}
	}
	return best, found
}

// cue is an event-type cue and its weight.
type cue struct {
	typ    string
	weight float64
}

// parseCues reads the cue table: type, weight and phrase per line.
func parseCues(text string) (*lexicon[cue], error) {
	l := newLexicon[cue]()
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("cues.tsv line %d: want type, weight and phrase separated by tabs", n)
		}
		w, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			return nil, fmt.Errorf("cues.tsv line %d: weight %q: %w", n, f[1], err)
		}
		l.add(f[2], cue{typ: f[0], weight: w})
	}
	return l, sc.Err()
}

// actorDef is an entry of the actor dictionary.
type actorDef struct {
	name, group string
	home        string // ISO 3166-1 alpha-2 code of the one country the actor acts in, or ""
}

// parseActors reads the actor table: phrase, name, group and optional home
// country per line.
func parseActors(text string) (*lexicon[actorDef], error) {
	l := newLexicon[actorDef]()
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) == 2 {
			f = append(f, "") // no group
		}
		if len(f) == 3 {
			f = append(f, "") // no home country
		}
		if len(f) != 4 || f[3] != "" && len(f[3]) != 2 {
			return nil, fmt.Errorf("actors.tsv line %d: want phrase, name, group and home country separated by tabs", n)
		}
		l.add(f[0], actorDef{name: f[1], group: f[2], home: f[3]})
	}
	return l, sc.Err()
}
