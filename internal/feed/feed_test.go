package feed

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fixtures are the files under testdata/feeds: how each is read and from
// which URL it was fetched.
var fixtures = map[string]struct {
	kind, base, contentType string
}{
	"rss-es.xml":             {"feed", "https://noticias.example.org/feed/", "application/rss+xml"},
	"atom-base.xml":          {"feed", "https://press.example.gov/news/atom", "application/atom+xml"},
	"jsonfeed.json":          {"feed", "https://gob.example.mx/feed.json", "application/feed+json"},
	"misdeclared-cp1252.xml": {"feed", "https://radio.example.co/rss", "application/rss+xml; charset=utf-8"},
	"html-as-feed.html":      {"feed", "https://noticias.example.org/noticias", "text/html"},
	"sitemap-news.xml":       {"sitemap", "https://diario.example.ve/sitemap-news.xml", ""},
	"sitemap-index.xml":      {"sitemap", "https://diario.example.ve/sitemap.xml", ""},
	"press-page.html":        {"page", "https://gob.example.mx/prensa", "text/html"},
}

// TestGolden reads every fixture and compares the listing (and error) with
// testdata/golden/<name>.json; go test -update rewrites them.
func TestGolden(t *testing.T) {
	names, err := filepath.Glob("testdata/feeds/*")
	if err != nil || len(names) != len(fixtures) {
		t.Fatalf("fixtures on disk %v, %d described: %v", names, len(fixtures), err)
	}
	for _, path := range names {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			fx, ok := fixtures[name]
			if !ok {
				t.Fatalf("%s is not described in fixtures", name)
			}
			body, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var l *Listing
			switch fx.kind {
			case "feed":
				l, err = Parse(body, fx.base, fx.contentType)
			case "sitemap":
				l, err = ParseSitemap(body, fx.base)
			case "page":
				l, err = Links(body, fx.base)
			}
			got := struct {
				Listing *Listing `json:"listing"`
				Keys    []string `json:"keys,omitempty"`
				Error   string   `json:"error,omitempty"`
			}{Listing: l}
			if err != nil {
				got.Error = err.Error()
			}
			if l != nil {
				for _, it := range l.Items {
					got.Keys = append(got.Keys, it.Key())
				}
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(got); err != nil {
				t.Fatal(err)
			}
			out := buf.Bytes()
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".json")
			if *update {
				if err := os.WriteFile(golden, out, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if d := cmp.Diff(string(want), string(out)); d != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", name, golden, d)
			}
		})
	}
}

func mustParse(t *testing.T, body, base, ct string) *Listing {
	t.Helper()
	l, err := Parse([]byte(body), base, ct)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return l
}

func TestParseItems(t *testing.T) {
	body, err := os.ReadFile("testdata/feeds/rss-es.xml")
	if err != nil {
		t.Fatal(err)
	}
	l := mustParse(t, string(body), "https://noticias.example.org/feed/", "application/rss+xml")
	if l.Title != "Noticias de Sinaloa" || l.Lang != "es-MX" || len(l.Items) != 3 {
		t.Fatalf("listing %q %q with %d items: %+v", l.Title, l.Lang, len(l.Items), l.Items)
	}
	first := l.Items[0]
	want := Item{GUID: "nota-1001", Link: "https://noticias.example.org/2025/11/03/enfrentamiento-culiacan/",
		Title: "Enfrentamiento en Culiacán deja seis muertos", Summary: "Al menos seis personas murieron & tres resultaron heridas.",
		Content: "Al menos seis personas murieron.\nLa Fiscalía informó del hallazgo.", Lang: "es-MX",
		Published: time.Date(2025, 11, 3, 16, 0, 0, 0, time.UTC)}
	if d := cmp.Diff(want, first); d != "" {
		t.Errorf("first item (-want +got):\n%s", d)
	}
	// Relative link against the channel's link, fragment dropped, keyed
	// by link, no date.
	second := l.Items[1]
	if second.Link != "https://noticias.example.org/seguridad/operativo-en-navolato" || second.Key() != second.Link ||
		!second.Published.IsZero() {
		t.Errorf("item without GUID or date = %+v", second)
	}
	// The GUID that is a permalink is the link; dc:language overrides.
	third := l.Items[2]
	if third.Link != "https://noticias.example.org/2025/11/04/guid-is-the-link" || third.Lang != "en" || third.Published.IsZero() {
		t.Errorf("permalink GUID item = %+v", third)
	}
	wantProblems := []string{`item 5 ("Only a GUID"): no link`, `item 6 (""): no link and no GUID`,
		`item 7 ("Script link"): link "javascript:alert(1)" is not http(s)`}
	if d := cmp.Diff(wantProblems, l.Problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

func TestRelativeLinks(t *testing.T) {
	// No channel link: the base URL decides.
	l := mustParse(t, `<rss version="2.0"><channel><title>x</title>
<item><title>a</title><link>a/b-c-d</link></item>
<item><title>b</title><link>//cdn.example.net/x</link></item>
<item><title>c</title><link>../up</link></item>
<item><title>d</title><link>?p=123</link></item>
<item><title>e</title><link>https://example.org/nota-larga?utm_source=rss&amp;id=9&amp;utm_medium=feed&amp;fbclid=x</link></item>
<item><title>f</title><link>https://example.org/otra-nota?utm_campaign=a</link></item></channel></rss>`, "https://example.org/dir/feed.xml", "")
	var got []string
	for _, it := range l.Items {
		got = append(got, it.Link)
	}
	want := []string{"https://example.org/dir/a/b-c-d", "https://cdn.example.net/x", "https://example.org/up", "https://example.org/dir/feed.xml?p=123",
		"https://example.org/nota-larga?id=9", "https://example.org/otra-nota"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("links (-want +got):\n%s", d)
	}
	// A relative channel link is itself resolved first.
	l = mustParse(t, `<rss version="2.0"><channel><link>/news/</link><item><link>x-y-z</link></item></channel></rss>`,
		"https://example.org/feeds/rss", "")
	if l.Link != "https://example.org/news/" || l.Items[0].Link != "https://example.org/news/x-y-z" {
		t.Errorf("relative channel link: %q, %+v", l.Link, l.Items)
	}
	if _, err := Parse([]byte(`<rss/>`), "/relative/base", ""); err == nil || !strings.Contains(err.Error(), "base URL") {
		t.Errorf("relative base URL: %v", err)
	}
}

func TestDuplicateGUIDs(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel>`)
	for i := range 30 {
		fmt.Fprintf(&b, `<item><guid>g%d</guid><link>https://example.org/n/%d</link></item>`, i%10, i)
	}
	b.WriteString(`</channel></rss>`)
	l := mustParse(t, b.String(), "https://example.org/f", "")
	if len(l.Items) != 10 || l.Items[9].Link != "https://example.org/n/9" || len(l.Problems) != 0 {
		t.Errorf("30 entries over 10 GUIDs: %d items, first wins? %+v", len(l.Items), l.Items[len(l.Items)-1])
	}
}

func TestParseNotFeeds(t *testing.T) {
	body, err := os.ReadFile("testdata/feeds/html-as-feed.html")
	if err != nil {
		t.Fatal(err)
	}
	l, err := Parse(body, "https://noticias.example.org/noticias", "text/html; charset=utf-8")
	if !errors.Is(err, ErrNotFeed) || err.Error() != "not a feed: looks like an HTML page; it advertises the feed https://noticias.example.org/feed/" ||
		l == nil || len(l.Alternates) != 2 {
		t.Errorf("HTML as a feed: %v, %+v", err, l)
	}
	sm, err := os.ReadFile("testdata/feeds/sitemap-news.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(sm, "https://example.org/sitemap.xml", "application/xml"); !errors.Is(err, ErrNotFeed) || !strings.Contains(err.Error(), "sitemap") {
		t.Errorf("sitemap as a feed: %v", err)
	}
	if _, err := ParseSitemap([]byte(`<rss version="2.0"><channel/></rss>`), "https://example.org/rss"); !errors.Is(err, ErrNotFeed) ||
		!strings.Contains(err.Error(), "kind feed") {
		t.Errorf("feed as a sitemap: %v", err)
	}
	for name, body := range map[string]string{
		"malformed XML":    `<rss version="2.0"><channel><item><title>x</title></channel>`,
		"truncated":        `<?xml version="1.0"?><rss version="2.0"><channel><title>cut`,
		"plain text":       "just some words\nand more",
		"empty":            "",
		"JSON, not feed":   `{"hello": "world"}`,
		"bad JSON feed":    `{"version":"https://jsonfeed.org/version/1","items":[`,
		"HTML, no doctype": "<html><body>hola</body></html>",
		"NUL bytes":        "\x00\x00\x00",
	} {
		_, err := Parse([]byte(body), "https://example.org/f", "")
		if err == nil || strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("%s: %v, want a one-line error", name, err)
		}
	}
}

func TestCharsets(t *testing.T) {
	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Se\xf1al</title>" +
		"<item><title>Acci\xf3n</title><link>https://example.org/a</link></item></channel></rss>"
	utf8Declared1252 := "<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss version=\"2.0\"><channel><title>Señal</title>" +
		"<item><title>Acción</title><link>https://example.org/a</link></item></channel></rss>"
	smart := "<rss version=\"2.0\"><channel><title>\x93Se\xf1al\x94</title><item><title>Acci\xf3n</title><link>https://example.org/a</link></item></channel></rss>"
	u16 := utf16.Encode([]rune(`<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Señal</title><item><title>Acción</title><link>https://example.org/a</link></item></channel></rss>`))
	var le bytes.Buffer
	le.Write([]byte{0xFF, 0xFE})
	for _, c := range u16 {
		le.Write([]byte{byte(c), byte(c >> 8)})
	}
	for _, c := range []struct {
		name, body, ct, title string
	}{
		{"latin-1 declared in the header", latin1, "application/rss+xml; charset=ISO-8859-1", "Señal"},
		{"latin-1 declared in the XML only", latin1, "application/rss+xml", "Señal"},
		{"latin-1 with a header that says UTF-8", latin1, "text/xml; charset=utf-8", "Señal"},
		{"UTF-8 that declares windows-1252", utf8Declared1252, "application/xml; charset=windows-1252", "Señal"},
		{"undeclared windows-1252", smart, "", "“Señal”"},
		{"UTF-16 with a BOM", le.String(), "application/rss+xml", "Señal"},
		{"UTF-8 with a BOM", "\xEF\xBB\xBF" + utf8Declared1252, "", "Señal"},
	} {
		l, err := Parse([]byte(c.body), "https://example.org/f", c.ct)
		if err != nil || l.Title != c.title || len(l.Items) != 1 || !strings.HasPrefix(l.Items[0].Title, "Acci") || l.Items[0].Title != "Acción" {
			t.Errorf("%s: %+v, %v", c.name, l, err)
		}
	}
}

func TestLargeFeed(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>big</title><link>https://example.org/</link>`)
	for i := range 10000 {
		fmt.Fprintf(&b, `<item><title>Nota %d</title><link>/n/%d</link><guid>g%d</guid><pubDate>Mon, 03 Nov 2025 10:00:00 GMT</pubDate><description>&lt;p&gt;Texto %d&lt;/p&gt;</description></item>`, i, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	start := time.Now()
	l, err := Parse([]byte(b.String()), "https://example.org/f", "")
	if err != nil || len(l.Items) != 10000 || l.Items[9999].Link != "https://example.org/n/9999" || l.Items[9999].Summary != "Texto 9999" {
		t.Fatalf("10,000-item feed: %d items, %v", len(l.Items), err)
	}
	t.Logf("10,000 items (%d KB) in %s", b.Len()>>10, time.Since(start))
}

func TestParseSitemap(t *testing.T) {
	body, err := os.ReadFile("testdata/feeds/sitemap-news.xml")
	if err != nil {
		t.Fatal(err)
	}
	l, err := ParseSitemap(body, "https://diario.example.ve/sitemap-news.xml")
	if err != nil || len(l.Items) != 3 || l.Index {
		t.Fatalf("news sitemap = %+v, %v", l, err)
	}
	if it := l.Items[0]; it.Title != "Ataque a lancha frente a Sucre" || it.Lang != "es" ||
		!it.Published.Equal(time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("news entry = %+v", it)
	}
	if it := l.Items[1]; it.Link != "https://diario.example.ve/2025/11/02/relative-loc" || !it.Published.Equal(time.Date(2025, 11, 2, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("relative entry with a minutes-only lastmod = %+v", it)
	}
	if it := l.Items[2]; !it.Published.IsZero() {
		t.Errorf("unreadable lastmod gave %v", it.Published)
	}
	if len(l.Problems) != 1 || l.Problems[0] != "entry 4: no <loc>" {
		t.Errorf("problems = %q", l.Problems)
	}
	// Compressed, as sitemap.xml.gz.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(body)
	zw.Close()
	if lz, err := ParseSitemap(gz.Bytes(), "https://diario.example.ve/sitemap-news.xml.gz"); err != nil || !cmp.Equal(lz, l) {
		t.Errorf("gzip sitemap = %+v, %v", lz, err)
	}
	idx, err := os.ReadFile("testdata/feeds/sitemap-index.xml")
	if err != nil {
		t.Fatal(err)
	}
	if l, err := ParseSitemap(idx, "https://diario.example.ve/sitemap.xml"); err != nil || !l.Index || len(l.Items) != 2 ||
		l.Items[1].Link != "https://diario.example.ve/sitemap-2025-10.xml.gz" {
		t.Errorf("sitemap index = %+v, %v", l, err)
	}
	for name, body := range map[string]string{
		"RSS":       `<rss version="2.0"><channel/></rss>`,
		"HTML":      `<!DOCTYPE html><html><body><p>hola<br></body></html>`,
		"malformed": `<urlset><url><loc>https://e.org/a</loc></urlset>`,
		"empty":     ``,
		"bad gzip":  "\x1f\x8bnot really",
	} {
		_, err := ParseSitemap([]byte(body), "https://example.org/sitemap.xml")
		if err == nil || strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("%s as a sitemap: %v, want a one-line error", name, err)
		}
	}
}

func TestW3CDates(t *testing.T) {
	for s, want := range map[string]time.Time{
		"2025-11-03T10:00:00Z":        time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC),
		"2025-11-03T10:00:00.5+01:00": time.Date(2025, 11, 3, 9, 0, 0, 5e8, time.UTC),
		"2025-11-03T10:00-06:00":      time.Date(2025, 11, 3, 16, 0, 0, 0, time.UTC),
		" 2025-11-03 ":                time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC),
		"2025-11":                     time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC),
		"2025":                        time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		"03/11/2025":                  {},
		"":                            {},
	} {
		if got := w3cDate(s); !got.Equal(want) {
			t.Errorf("w3cDate(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestLinks(t *testing.T) {
	body, err := os.ReadFile("testdata/feeds/press-page.html")
	if err != nil {
		t.Fatal(err)
	}
	l, err := Links(body, "https://gob.example.mx/prensa")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range l.Items {
		got = append(got, it.Link+" | "+it.Title)
	}
	want := []string{
		"https://www.gob.example.mx/prensa/comunicado-123-semar-informa-resultados | Comunicado 123: SEMAR informa",
		"https://gob.example.mx/prensa/2025/11/02/otro-boletin | Otro boletín",
		"https://www.gob.example.mx/prensa/2025/10/31/informe-semanal.pdf | Informe semanal",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("links (-want +got):\n%s", d)
	}
	q := `<a href="noticia.php?id=12345">Noticia</a><a href="/?p=5678">Post</a><a href="/index.php?lang=es">ES</a>
<a href="/?p=2">page two</a><a href="/ver.php?idNoticia=991&amp;sec=2">Otra</a><a href="/foto.jpg?id=1234">img</a>`
	l, err = Links([]byte(q), "https://mindefensa.example.co/")
	got = nil
	for _, it := range l.Items {
		got = append(got, it.Link)
	}
	want = []string{"https://mindefensa.example.co/noticia.php?id=12345", "https://mindefensa.example.co/?p=5678",
		"https://mindefensa.example.co/ver.php?idNoticia=991&sec=2"}
	if d := cmp.Diff(want, got); err != nil || d != "" {
		t.Errorf("query links (-want +got):\n%s%v", d, err)
	}
	if l, err := Links([]byte("no markup at all"), "https://example.org/"); err != nil || len(l.Items) != 0 {
		t.Errorf("text page: %+v, %v", l, err)
	}
}

func TestHTMLText(t *testing.T) {
	for in, want := range map[string]string{
		"plain  text\n\n here":                       "plain text\nhere",
		"<p>Uno</p><p>Dos &amp; tres</p>":            "Uno\nDos & tres",
		"a<br>b<script>alert('<p>x</p>')</script> c": "a\nb c",
		"<style>p{}</style><div>  x  </div>":         "x",
		"Tom &lt;3 Jerry":                            "Tom <3 Jerry",
		"<ul><li>uno</li><li>dos</li></ul>":          "uno\ndos",
		"unclosed <b>bold":                           "unclosed bold",
		"&#233;l":                                    "él",
	} {
		if got := htmlText(in); got != want {
			t.Errorf("htmlText(%q) = %q, want %q", in, got, want)
		}
	}
}

// checkListing holds for every listing any parser returns.
func checkListing(t *testing.T, l *Listing) {
	seen := map[string]bool{}
	for _, it := range l.Items {
		if !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") || strings.Contains(it.Link, "#") {
			t.Fatalf("item link %q is not absolute http(s) without fragment", it.Link)
		}
		if it.Key() == "" || seen[it.Key()] {
			t.Fatalf("empty or duplicate key %q", it.Key())
		}
		seen[it.Key()] = true
	}
	for _, p := range l.Problems {
		if strings.ContainsAny(p, "\r\n") {
			t.Fatalf("multi-line problem %q", p)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="a"/></entry></feed>`), "")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		l, err := Parse(body, "https://example.org/feed/", ct)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		checkListing(t, l)
	})
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>/a</loc><lastmod>2025-01-01</lastmod></url></urlset>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := ParseSitemap(body, "https://example.org/sitemap.xml")
		if err != nil {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		checkListing(t, l)
	})
}

func FuzzLinks(f *testing.F) {
	f.Add([]byte(`<a href="/prensa/2025/11/03/x">x</a><base href="//other.example/"><a href="a/b/c">y</a>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := Links(body, "https://example.org/prensa")
		if err != nil {
			t.Fatalf("Links never fails on a good base URL: %v", err)
		}
		checkListing(t, l)
	})
}

// BenchmarkParse reads a 50-item RSS feed, the watcher's typical source.
func BenchmarkParse(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://example.org/</link><language>es</language>`)
	for i := range 50 {
		fmt.Fprintf(&sb, `<item><title>Nota %d sobre un enfrentamiento</title><link>/2025/11/03/nota-%d</link><guid>g%d</guid>`+
			`<pubDate>Mon, 03 Nov 2025 10:00:00 GMT</pubDate><description>&lt;p&gt;Al menos %d personas murieron en un ataque armado.&lt;/p&gt;</description></item>`, i, i, i, i)
	}
	sb.WriteString(`</channel></rss>`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if l, err := Parse(body, "https://example.org/feed", "application/rss+xml"); err != nil || len(l.Items) != 50 {
			b.Fatal(len(l.Items), err)
		}
	}
	b.ReportMetric(float64(b.N*50)/b.Elapsed().Seconds(), "items/s")
}
