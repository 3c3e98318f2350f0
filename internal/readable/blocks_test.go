package readable

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

func TestBlockText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs", "<p>Uno   dos.</p>\n<p>Tres\ncuatro.</p>", "Uno dos.\n\nTres cuatro."},
		{"inline kept in line", "<p>A <b>drone</b> <a href='#'>strike</a>.</p>", "A drone strike."},
		{"heading and list", "<h2>Title</h2><ul><li>one</li><li>two</li></ul>", "Title\n\none\n\ntwo"},
		{"line break", "<p>line one<br>line two</p>", "line one\nline two"},
		{"table cells", "<table><tr><td>Culiacán</td><td>3</td></tr></table>", "Culiacán 3"},
		{"scripts dropped", "<p>text</p><script>alert(1)</script><style>p{}</style>", "text"},
		{"nbsp collapsed", "<p>tres\u00a0 muertos</p>", "tres muertos"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader("<html><body>" + tc.in + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, blockText(doc)); diff != "" {
				t.Errorf("blockText (-want +got):\n%s", diff)
			}
		})
	}
}
