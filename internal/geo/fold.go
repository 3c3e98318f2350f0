package geo

import (
	"math"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// token is one word of a text: a run of letters and digits (apostrophes
// inside a word are dropped, so "Sana'a" and "Sanaa" fold alike).
type token struct {
	start, end   int32 // byte offsets into the original text
	nstart, nend int32 // byte offsets into the folded buffer
	runes        int32 // number of runes in the folded token
	joinPrev     bool  // only spaces, a hyphen or an abbreviation dot separate it from the previous token
	upper        bool  // the first letter is upper case in the original
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', 'ʻ', '`', '´', 'ʹ', 'ʿ', 'ʾ':
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// foldRune appends the match key of r to buf: accents dropped (NFD, then
// every unicode.Mn removed) and lower case.
func foldRune(buf []byte, s string, r rune, size int) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(buf, byte(r))
	}
	if unicode.Is(unicode.Mn, r) {
		return buf
	}
	d := norm.NFD.PropertiesString(s[:size]).Decomposition()
	if d == nil {
		return utf8.AppendRune(buf, unicode.ToLower(r))
	}
	for len(d) > 0 {
		dr, n := utf8.DecodeRune(d)
		d = d[n:]
		if dr == utf8.RuneError || unicode.Is(unicode.Mn, dr) {
			continue
		}
		buf = utf8.AppendRune(buf, unicode.ToLower(dr))
	}
	return buf
}

// tokenize splits s into tokens and appends their folded forms to buf,
// separated by single spaces, so that the folded text of tokens i..j is
// buf[toks[i].nstart:toks[j].nend]. It never panics, whatever the bytes.
func tokenize(s string, buf []byte, toks []token) ([]byte, []token) {
	if len(s) > math.MaxInt32/2 {
		s = s[:math.MaxInt32/2] // offsets are int32; nobody sends a gigabyte of news
	}
	join := false // what separates the next token from the previous one
	var cur *token
	endTok := func() {
		cur = nil
		join = true
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWordRune(r):
			if cur == nil {
				if len(toks) > 0 {
					buf = append(buf, ' ')
				}
				toks = append(toks, token{start: int32(i), nstart: int32(len(buf)), joinPrev: join && len(toks) > 0, upper: unicode.IsUpper(r)})
				cur = &toks[len(toks)-1]
			}
			n := len(buf)
			buf = foldRune(buf, s[i:], r, size)
			if len(buf) > n {
				cur.runes++
			}
			cur.end = int32(i + size)
			cur.nend = int32(len(buf))
			i += size
			continue
		case isApostrophe(r) && cur != nil:
			// Inside a word ("Sana'a") the apostrophe is dropped; an English
			// possessive ("Pakistan's") ends the word and is skipped.
			nr, nsize := utf8.DecodeRuneInString(s[i+size:])
			if !isWordRune(nr) {
				endTok()
				i += size
				continue
			}
			if nr == 's' || nr == 'S' {
				ar, _ := utf8.DecodeRuneInString(s[i+size+nsize:])
				if !isWordRune(ar) {
					endTok()
					i += size + nsize
					continue
				}
			}
			i += size
			continue
		case r == ' ' || r == '\t' || r == '\u00a0' || r == '-' || r == '\u2010' || r == '\u2011':
			if cur != nil {
				endTok()
			}
		case r == '.':
			// "N. Waziristan", "St. Louis", "U.S.": a dot after a short word
			// may join; after a longer word it ends a sentence.
			if cur != nil {
				short := cur.runes <= 2 && cur.upper
				endTok()
				join = short
			} else {
				join = false
			}
		default:
			cur = nil
			join = false
		}
		i += size
	}
	return buf, toks
}

// foldKey returns the match key of a name: its folded tokens joined by
// single spaces, whatever punctuation separated them.
func foldKey(name string) string {
	buf, _ := tokenize(name, nil, nil)
	return string(buf)
}
