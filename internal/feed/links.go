package feed

import (
	"bytes"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Links reads the article links of an HTML page fetched from baseURL (a
// press-release or news index page): links to the same site (www. or
// not) whose path looks like an article rather than navigation, in page
// order, without duplicates, each titled with its anchor text. A <base
// href> in the page is honoured.
func Links(body []byte, baseURL string) (*Listing, error) {
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, err
	}
	site := base
	l := &Listing{}
	seen := map[string]bool{}
	if self, err := resolve(base, ""); err == nil {
		seen[self] = true
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	var href, title string
	var text strings.Builder
	inA, skip := false, 0
	end := func() {
		inA = false
		abs, err := resolve(base, href)
		if href == "" || err != nil || seen[abs] || !articleLike(site, abs) {
			return
		}
		seen[abs] = true
		t := clean(text.String())
		if t == "" {
			t = clean(title)
		}
		l.Items = append(l.Items, Item{Link: abs, Title: t})
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if inA {
				end()
			}
			return l, nil
		case html.TextToken:
			if inA && skip == 0 {
				text.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.DataAtom {
			case atom.Base:
				if h := attr(t, "href"); h != "" {
					if u, err := base.Parse(h); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
						base = u
					}
				}
			case atom.A:
				if inA {
					end() // an unclosed <a> ends at the next one
				}
				inA, href, title = true, attr(t, "href"), attr(t, "title")
				text.Reset()
			case atom.Script, atom.Style:
				if tt == html.StartTagToken {
					skip++
				}
			case atom.Img:
				if inA && skip == 0 {
					text.WriteString(" " + attr(t, "alt") + " ")
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.A:
				if inA {
					end()
				}
			case atom.Script, atom.Style:
				if skip > 0 {
					skip--
				}
			}
		}
	}
}

// navigation are path segments of listing and utility pages, in English
// and Spanish.
var navigation = map[string]bool{
	"tag": true, "tags": true, "etiqueta": true, "etiquetas": true, "category": true, "categoria": true, "categorias": true,
	"author": true, "autor": true, "autores": true, "page": true, "pagina": true, "search": true, "buscar": true,
	"busqueda": true, "login": true, "contacto": true, "contact": true, "feed": true, "rss": true, "wp-admin": true,
	"wp-login.php": true, "cdn-cgi": true, "share": true, "compartir": true, "subscribe": true, "suscripcion": true,
}

// assets are file extensions that are not documents.
var assets = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true, ".css": true, ".js": true,
	".ico": true, ".mp3": true, ".mp4": true, ".zip": true, ".xml": true, ".rss": true, ".json": true,
}

// articleLike keeps links on the page's own site whose path looks like an
// article rather than navigation: three or more segments (dated paths), or
// two with a last segment of several words, a long slug or a number, or a
// query naming an item by number (noticia.php?id=1234, /?p=5678).
func articleLike(site *url.URL, link string) bool {
	u, err := url.Parse(link)
	if err != nil || !strings.EqualFold(strings.TrimPrefix(u.Hostname(), "www."), strings.TrimPrefix(site.Hostname(), "www.")) {
		return false
	}
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	for _, s := range segs {
		if navigation[strings.ToLower(s)] {
			return false
		}
	}
	if articleQuery(u.Query()) {
		return len(segs) == 0 || !assets[path.Ext(strings.ToLower(segs[len(segs)-1]))]
	}
	if len(segs) == 0 {
		return false
	}
	last := strings.ToLower(segs[len(segs)-1])
	if assets[path.Ext(last)] {
		return false
	}
	return len(segs) >= 3 || len(segs) >= 2 && (strings.Count(last, "-") >= 2 || len(last) >= 12 || strings.ContainsAny(last, "0123456789"))
}

// articleQuery reports a query that names one item by number: a parameter
// such as id, nid, idNoticia, p or articulo with three or more digits.
func articleQuery(q url.Values) bool {
	for k, vs := range q {
		k = strings.ToLower(k)
		if !(strings.HasPrefix(k, "id") || strings.HasSuffix(k, "id") || itemParams[k]) {
			continue
		}
		for _, v := range vs {
			if len(v) >= 3 && strings.Trim(v, "0123456789") == "" {
				return true
			}
		}
	}
	return false
}

// itemParams are query parameters that name an article.
var itemParams = map[string]bool{"p": true, "noticia": true, "articulo": true, "article": true, "story": true, "post": true,
	"comunicado": true, "boletin": true, "cve": true, "folio": true}
