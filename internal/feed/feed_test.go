package feed

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Ríodoce</title><link>https://example.org/</link>
<item><title>Ataque en Culiacán</title><link>/2025/11/03/ataque-en-culiacan/</link><guid isPermaLink="false">id-1</guid><pubDate>Mon, 03 Nov 2025 10:00:00 GMT</pubDate></item>
<item><title>Repetido</title><link>https://example.org/otra</link><guid>id-1</guid></item>
<item><title>Sin fecha</title><link>https://example.org/2025/11/sin-fecha</link></item>
<item><title>Sin enlace</title></item>
<item><title>Mal enlace</title><link>javascript:alert(1)</link></item>
</channel></rss>`

func TestParseRSS(t *testing.T) {
	l, err := Parse([]byte(rss), "https://example.org/feed/", "application/rss+xml")
	if err != nil {
		t.Fatal(err)
	}
	if l.Title != "Ríodoce" || len(l.Items) != 2 {
		t.Fatalf("listing = %q with %d items: %+v", l.Title, len(l.Items), l.Items)
	}
	first := l.Items[0]
	if first.Link != "https://example.org/2025/11/03/ataque-en-culiacan/" || first.Key() != "id-1" ||
		!first.Published.Equal(time.Date(2025, 11, 3, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("first item = %+v", first)
	}
	if l.Items[1].Key() != "https://example.org/2025/11/sin-fecha" || !l.Items[1].Published.IsZero() {
		t.Errorf("item without GUID or date = %+v", l.Items[1])
	}
	if len(l.Problems) != 2 || !strings.Contains(l.Problems[0], "no link") || !strings.Contains(l.Problems[1], "not http(s)") {
		t.Errorf("problems = %q", l.Problems)
	}
}

func TestParseAtomAndJSON(t *testing.T) {
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>urn:1</id><title>A</title>
<link href="https://example.org/a"/><updated>2025-11-02T08:00:00Z</updated></entry></feed>`
	l, err := Parse([]byte(atom), "https://example.org/atom", "application/atom+xml")
	if err != nil || len(l.Items) != 1 || l.Items[0].Key() != "urn:1" || l.Items[0].Published.IsZero() {
		t.Errorf("atom = %+v, %v", l, err)
	}
	js := `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"7","url":"https://example.org/7","title":"Siete"}]}`
	l, err = Parse([]byte(js), "https://example.org/feed.json", "application/feed+json")
	if err != nil || len(l.Items) != 1 || l.Items[0].Link != "https://example.org/7" {
		t.Errorf("json feed = %+v, %v", l, err)
	}
}

func TestParseBadFeeds(t *testing.T) {
	page := `<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>hola</body></html>`
	l, err := Parse([]byte(page), "https://example.org/noticias", "text/html")
	if !errors.Is(err, ErrNotFeed) || !strings.Contains(err.Error(), "HTML page") || len(l.Alternates) != 1 || l.Alternates[0] != "https://example.org/rss.xml" {
		t.Errorf("HTML as a feed: %v, %+v", err, l)
	}
	for name, body := range map[string]string{
		"malformed XML": `<rss><channel><item><title>x</title></channel>`,
		"plain text":    "just some words",
		"empty":         "",
	} {
		_, err := Parse([]byte(body), "https://example.org/f", "")
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want a one-line error", name, err)
		}
	}
}

func TestParseLatin1Feed(t *testing.T) {
	body := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Se\xf1al</title>" +
		"<item><title>Acci\xf3n</title><link>https://example.org/a</link></item></channel></rss>"
	l, err := Parse([]byte(body), "https://example.org/f", "application/rss+xml; charset=ISO-8859-1")
	if err != nil || l.Title != "Señal" || len(l.Items) != 1 || l.Items[0].Title != "Acción" {
		t.Errorf("latin-1 feed = %+v, %v", l, err)
	}
}

func TestParseLargeFeed(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>big</title>`)
	for i := range 10000 {
		fmt.Fprintf(&b, `<item><title>n %d</title><link>https://example.org/n/%d</link><guid>g%d</guid></item>`, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	l, err := Parse([]byte(b.String()), "https://example.org/f", "")
	if err != nil || len(l.Items) != 10000 {
		t.Fatalf("10,000-item feed: %d items, %v", len(l.Items), err)
	}
}

func TestParseSitemap(t *testing.T) {
	sm := `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://example.org/2025/11/03/a</loc><news:news><news:publication_date>2025-11-03T10:00:00Z</news:publication_date><news:title>A</news:title></news:news></url>
<url><loc>/relative/b</loc><lastmod>2025-11-02</lastmod></url>
<url><loc></loc></url></urlset>`
	l, err := ParseSitemap([]byte(sm), "https://example.org/sitemap.xml")
	if err != nil || len(l.Items) != 2 || l.Items[0].Title != "A" || l.Items[1].Link != "https://example.org/relative/b" ||
		l.Items[1].Published.IsZero() || len(l.Problems) != 1 {
		t.Errorf("sitemap = %+v, %v", l, err)
	}
	idx := `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://example.org/s1.xml</loc></sitemap></sitemapindex>`
	if l, err := ParseSitemap([]byte(idx), "https://example.org/"); err != nil || len(l.Items) != 1 {
		t.Errorf("sitemap index = %+v, %v", l, err)
	}
	if _, err := ParseSitemap([]byte(`<rss/>`), "https://example.org/"); err == nil {
		t.Error("an RSS document read as a sitemap")
	}
}

func TestLinks(t *testing.T) {
	page := `<html><body><nav><a href="/">Inicio</a><a href="/tag/seguridad">Seguridad</a><a href="/contacto">Contacto</a></nav>
<a href="/prensa/comunicado-123-semar-informa-operativo">Comunicado 123</a>
<a href="https://www.example.org/prensa/2025/11/03/otro">Otro</a>
<a href="/prensa/comunicado-123-semar-informa-operativo#top">again</a>
<a href="https://elsewhere.org/prensa/2025/11/03/x">fuera</a>
<a href="mailto:x@example.org">correo</a></body></html>`
	l, err := Links([]byte(page), "https://example.org/prensa")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range l.Items {
		got = append(got, it.Link)
	}
	want := "https://example.org/prensa/comunicado-123-semar-informa-operativo https://www.example.org/prensa/2025/11/03/otro"
	if strings.Join(got, " ") != want {
		t.Errorf("links = %q, want %q", got, want)
	}
	if l.Items[0].Title != "Comunicado 123" {
		t.Errorf("title = %q", l.Items[0].Title)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(rss), "application/rss+xml")
	f.Add([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="a"/></entry></feed>`), "")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[{"url":"/x"}]}`), "application/json")
	f.Add([]byte(`<html><link rel=alternate type=application/rss+xml href=//x/y>`), "text/html; charset=latin1")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		l, err := Parse(body, "https://example.org/feed/", ct)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, it := range l.Items {
			if !strings.HasPrefix(it.Link, "http://") && !strings.HasPrefix(it.Link, "https://") {
				t.Fatalf("item link %q is not absolute http(s)", it.Link)
			}
			if seen[it.Key()] {
				t.Fatalf("duplicate key %q", it.Key())
			}
			seen[it.Key()] = true
		}
	})
}

func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>/a</loc><lastmod>2025-01-01</lastmod></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>https://e.org/s.xml</loc></sitemap></sitemapindex>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := ParseSitemap(body, "https://example.org/sitemap.xml")
		if err != nil {
			return
		}
		for _, it := range l.Items {
			if !strings.HasPrefix(it.Link, "http") {
				t.Fatalf("link %q", it.Link)
			}
		}
	})
}
