package readable

import (
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Normalize puts text into the one form testigo stores and extracts from, so
// that evidence offsets computed on it stay valid: it drops a leading byte
// order mark, turns CRLF and lone CR line endings into LF, composes
// characters (Unicode NFC, so "Culiacán" is always spelled with the same
// bytes) and trims surrounding white space. Normalize is idempotent.
func Normalize(text string) string {
	text = strings.TrimPrefix(text, "\uFEFF")
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(text, "\r\n", "\n")
		text = strings.ReplaceAll(text, "\r", "\n")
	}
	return strings.TrimSpace(norm.NFC.String(text))
}

// Markdown syntax that FromMarkdown removes. The patterns only ever match
// markup, never words, so the text that remains is what a reader sees.
var (
	mdHeading = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]+|$)`)
	mdClosing = regexp.MustCompile(`[ \t]+#+[ \t]*$`)
	mdQuote   = regexp.MustCompile(`^ {0,3}(?:>[ \t]?)+`)
	mdFence   = regexp.MustCompile("^ {0,3}(?:```|~~~)")
	mdRule    = regexp.MustCompile(`^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	mdImage   = regexp.MustCompile(`!\[([^\]\n]*)\]\([^)\n]*\)`)
	mdLink    = regexp.MustCompile(`\[([^\]\n]+)\]\([^)\n]*\)`)
	mdStars   = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	mdUnders  = regexp.MustCompile(`(^|[ \t(])__([^_\n]+)__`)
)

// FromMarkdown returns the text of a Markdown document with only the obvious
// markup removed: heading markers, block-quote markers, code fences,
// horizontal rules, link and image targets (their text stays) and bold
// markers. Everything else, including single '*' and '_', is kept as
// written, and the result is normalised like Normalize.
func FromMarkdown(md string) string {
	lines := strings.Split(Normalize(md), "\n")
	out := lines[:0]
	for _, line := range lines {
		if mdFence.MatchString(line) || mdRule.MatchString(line) {
			out = append(out, "")
			continue
		}
		line = mdQuote.ReplaceAllString(line, "")
		if loc := mdHeading.FindStringIndex(line); loc != nil {
			line = mdClosing.ReplaceAllString(line[loc[1]:], "")
		}
		line = mdImage.ReplaceAllString(line, "$1")
		line = mdLink.ReplaceAllString(line, "$1")
		line = mdStars.ReplaceAllString(line, "$1")
		line = mdUnders.ReplaceAllString(line, "$1$2")
		out = append(out, line)
	}
	return Normalize(strings.Join(out, "\n"))
}
