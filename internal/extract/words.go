package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is a token of the text: its folded form (lower case, accents
// removed) and its byte span in the original text.
type word struct {
	fold       string
	start, end int
	cls        uint32 // classes of fold, set by wordClasses.classify before the readers run
}

// fold lower-cases r and drops Spanish and other Latin accents.
func fold(r rune) rune {
	switch r {
	case 'á', 'à', 'â', 'ä', 'Á', 'À', 'Â', 'Ä':
		return 'a'
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return 'e'
	case 'í', 'ì', 'î', 'ï', 'Í', 'Ì', 'Î', 'Ï':
		return 'i'
	case 'ó', 'ò', 'ô', 'ö', 'Ó', 'Ò', 'Ô', 'Ö':
		return 'o'
	case 'ú', 'ù', 'û', 'ü', 'Ú', 'Ù', 'Û', 'Ü':
		return 'u'
	case 'ñ', 'Ñ':
		return 'n'
	}
	return unicode.ToLower(r)
}

// tokenize splits text into words: runs of letters and digits, with "." and
// "," kept inside numbers ("1,200") and apostrophes inside words. Invalid
// UTF-8 bytes separate words. It runs in linear time. Words that are
// already lower-case ASCII share the text's bytes; the folded forms of the
// others are written to one buffer that becomes a single string, so that
// tokenizing costs a few allocations per text, not one per word.
func tokenize(text string) []word {
	ws := make([]word, 0, len(text)/6)
	var folded []byte // folded forms of the words that are not plain
	type ref struct{ w, start, end int }
	refs := make([]ref, 0, len(text)/24+1) // word ws[w] has the folded form folded[start:end]
	start := -1
	plain := true // the word so far is lower-case ASCII and can be sliced, not built
	mark := 0     // where the current word's folded form starts in folded
	flush := func(end int) {
		if start >= 0 {
			if plain {
				ws = append(ws, word{fold: text[start:end], start: start, end: end})
			} else {
				refs = append(refs, ref{w: len(ws), start: mark, end: len(folded)})
				ws = append(ws, word{start: start, end: end})
			}
			start = -1
			plain = true
		}
	}
	for i := 0; i < len(text); {
		// Fast path for the ASCII letters, digits and separators that
		// make most of the text; ".", "," and "'" take the full path.
		if c := text[i]; c < utf8.RuneSelf && c != '.' && c != ',' && c != '\'' {
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				if start < 0 {
					start = i
					mark = len(folded)
				}
				if !plain {
					folded = append(folded, c)
				}
			case 'A' <= c && c <= 'Z':
				if start < 0 {
					start = i
					mark = len(folded)
				}
				if plain {
					plain = false
					folded = append(folded, text[start:i]...)
				}
				folded = append(folded, c+'a'-'A')
			default:
				flush(i)
			}
			i++
			continue
		}
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		isWord := r != utf8.RuneError && isLetterOrDigit(r)
		if !isWord && start >= 0 && (r == '.' || r == ',' || r == '\'' || r == '’') && i+size < len(text) {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			next, _ := utf8.DecodeRuneInString(text[i+size:])
			if (r == '.' || r == ',') && unicode.IsDigit(prev) && unicode.IsDigit(next) {
				isWord = true
				r = 0 // dropped from the folded form
			} else if (r == '\'' || r == '’') && unicode.IsLetter(prev) && unicode.IsLetter(next) {
				isWord = true
				r = 0
			}
		}
		if isWord {
			if start < 0 {
				start = i
				mark = len(folded)
			}
			if plain && (r == 0 || r >= utf8.RuneSelf || ('A' <= r && r <= 'Z')) {
				// Not plain after all: copy what was sliced so far.
				plain = false
				folded = append(folded, text[start:i]...)
			}
			if !plain && r != 0 {
				folded = utf8.AppendRune(folded, fold(r))
			}
		} else {
			flush(i)
		}
		i += size
	}
	flush(len(text))
	if len(refs) > 0 {
		all := string(folded)
		for _, r := range refs {
			ws[r.w].fold = all[r.start:r.end]
		}
	}
	return ws
}

// isLetterOrDigit is unicode.IsLetter(r) || unicode.IsDigit(r), with ASCII
// answered without table lookups.
func isLetterOrDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// sentence is a span of the text ending at a sentence boundary.
type sentence struct {
	start, end  int // byte span
	first, last int // word index range [first, last)
}

// abbreviations that end with a period without ending a sentence.
var abbreviations = map[string]bool{
	"u.s": true, "gen": true, "gral": true, "sr": true, "sra": true, "mr": true, "mrs": true, "dr": true,
	"lt": true, "col": true, "capt": true, "cap": true, "sgt": true, "no": true, "st": true, "jr": true, "p.m": true,
	"a.m": true, "lic": true, "tte": true, "cmdte": true, "ee.uu": true, "gob": true, "dip": true, "sen": true,
	"rep": true, "gov": true, "maj": true, "adm": true, "corp": true, "inc": true, "vs": true, "n": true, "s": true,
	"e": true, "w": true, "mt": true, "ft": true, "sta": true, "sto": true, "cd": true, "edo": true, "mpio": true,
}

// splitSentences cuts text at ". ", "! ", "? ", ";" and line breaks, not
// after abbreviations or initials.
func splitSentences(text string, ws []word) []sentence {
	var out []sentence
	begin, first := 0, 0
	wi := 0
	cut := func(end int) {
		for wi < len(ws) && ws[wi].start < end {
			wi++
		}
		if strings.TrimSpace(text[begin:end]) != "" {
			out = append(out, sentence{start: begin, end: end, first: first, last: wi})
		}
		begin, first = end, wi
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '\n':
			if i+1 < len(text) && (text[i+1] == '\n' || i > 0 && text[i-1] == '\n') || endsClause(text, i) {
				cut(i + 1)
			}
		case ';':
			cut(i + 1)
		case '.', '!', '?':
			if i+1 < len(text) && text[i+1] != ' ' && text[i+1] != '\n' && text[i+1] != '"' && text[i+1] != '\'' {
				continue
			}
			if c == '.' {
				j := i
				for j > begin && text[j-1] != ' ' && text[j-1] != '\n' && text[j-1] != '(' {
					j--
				}
				prev := strings.ToLower(strings.TrimRight(text[j:i], "."))
				if abbreviations[prev] || (len(prev) == 1 && prev[0] >= 'a' && prev[0] <= 'z') {
					continue
				}
			}
			cut(i + 1)
		}
	}
	cut(len(text))
	return out
}

// endsClause reports whether the line ending at i looks like a finished
// line (a headline) rather than a wrapped one.
func endsClause(text string, i int) bool {
	j := i
	for j > 0 && text[j-1] == ' ' {
		j--
	}
	return j > 0 && strings.IndexByte(".!?:", text[j-1]) >= 0
}
