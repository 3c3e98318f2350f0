package feed

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlText turns an HTML fragment (a feed's description or content) into
// plain text: tags dropped, entities decoded, script and style skipped,
// block elements separated by a line break, spaces collapsed.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(collapse(s))
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(collapse(b.String()))
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.P, atom.Br, atom.Div, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
				atom.Blockquote, atom.Tr, atom.Figcaption, atom.Section, atom.Article, atom.Pre:
				b.WriteByte('\n')
			}
		}
	}
}

// collapse collapses spaces within lines and drops empty lines.
func collapse(s string) string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return strings.Join(out, "\n")
}

// looksHTML says whether a body is an HTML page rather than a feed.
func looksHTML(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	head := strings.ToLower(string(b[:min(len(b), 1024)]))
	if strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") {
		return true
	}
	return strings.Contains(head, "<html") && !strings.Contains(head, "<rss") && !strings.Contains(head, "<feed") &&
		!strings.Contains(head, "<rdf:rdf") && !strings.HasPrefix(head, "{")
}

// alternates returns the feeds an HTML page advertises with
// <link rel="alternate" type="application/rss+xml|atom+xml|feed+json" href>.
func alternates(body []byte, base *url.URL) []string {
	var out []string
	seen := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.DataAtom {
			case atom.Base:
				if u, err := base.Parse(attr(t, "href")); err == nil && attr(t, "href") != "" {
					base = u
				}
			case atom.Link:
				typ := strings.ToLower(attr(t, "type"))
				if !hasWord(attr(t, "rel"), "alternate") ||
					!(strings.Contains(typ, "rss") || strings.Contains(typ, "atom") || strings.Contains(typ, "feed+json")) {
					continue
				}
				if u, err := resolve(base, attr(t, "href")); err == nil && !seen[u] {
					seen[u] = true
					out = append(out, u)
				}
			case atom.Body:
				return out
			}
		}
	}
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// hasWord reports whether a space-separated attribute holds word.
func hasWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if strings.EqualFold(w, word) {
			return true
		}
	}
	return false
}
