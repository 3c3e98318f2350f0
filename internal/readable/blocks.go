package readable

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// blockTags are the elements whose text stands apart from what is around
// it: a paragraph break before and after.
var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true, "blockquote": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "summary": true,
	"ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true, "pre": true,
	"table": true, "tr": true, "figure": true, "figcaption": true, "hr": true,
}

var (
	spaceRun   = regexp.MustCompile(`[ \t\f\v\p{Zs}]+`)
	spaceAtEOL = regexp.MustCompile(` *\n *`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// blockText returns the text under n with one blank line between blocks
// (paragraphs, headings, list items) and white space inside a block
// collapsed to single spaces, as a reader sees it.
func blockText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(spaceRun.ReplaceAllString(strings.ReplaceAll(n.Data, "\n", " "), " "))
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template":
				return
			case "br":
				b.WriteString("\n")
				return
			case "td", "th":
				b.WriteString(" ")
			}
		}
		block := n.Type == html.ElementNode && blockTags[n.Data]
		if block {
			b.WriteString("\n\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			b.WriteString("\n\n")
		}
	}
	walk(n)
	s := spaceAtEOL.ReplaceAllString(b.String(), "\n")
	return Normalize(blankLines.ReplaceAllString(s, "\n\n"))
}
