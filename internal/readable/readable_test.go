package readable

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/testigo-project/testigo"
)

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Seis personas sin vida dejó el ataque en Culiacán", "es"},
		{"Sinaloa: 5 muertos tras enfrentamiento", "es"},
		{"A drone strike killed four people in North Waziristan on Tuesday, officials said.", "en"},
		{"ataque aéreo", "es"},
		{"drone strike", "en"},
		{"12345 !!!", ""},
		{"", ""},
		{"Dos muertos dejó un ataque armado en Reynosa, Tamaulipas, el 4 de marzo de 2025.", "es"},
		{"Two current and two former US officials said the mission would stay secret.", "en"},
		{"Hombres armados asesinaron a tres personas en Culiacán", "es"},
	}
	for _, tc := range tests {
		if got := DetectLang(tc.text); got != tc.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestFromHTML(t *testing.T) {
	page := `<!doctype html><html lang="es"><head><title>Ataque en Badiraguato</title>
<meta property="article:published_time" content="2025-11-21T08:00:00Z"></head><body>
<nav><a href="/">Inicio</a> <a href="/deportes">Deportes</a></nav>
<article><h1>Ataque en Badiraguato</h1>
<p>Seis personas sin vida dejó el ataque con dron contra un laboratorio clandestino en la sierra de Badiraguato, Sinaloa, la madrugada del jueves.</p>
<p>Vecinos de la comunidad dijeron que escucharon dos explosiones antes del amanecer y que el laboratorio quedó destruido por completo.</p>
<p>La Fiscalía estatal abrió una carpeta de investigación y no ha identificado a las víctimas.</p>
</article><footer>© Ejemplo</footer><script>alert(1)</script></body></html>`
	doc, err := FromHTML([]byte(page), "https://example.org/a")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc.Text, "la madrugada del jueves.\n\nVecinos de la comunidad") {
		t.Errorf("paragraphs not kept apart: %q", doc.Text)
	}
	if !strings.Contains(doc.Text, "Seis personas sin vida") || strings.Contains(doc.Text, "alert") || strings.Contains(doc.Text, "Deportes") {
		t.Errorf("text = %q", doc.Text)
	}
	if doc.Lang != "es" || doc.Title != "Ataque en Badiraguato" || doc.Published.Format("2006-01-02") != "2025-11-21" {
		t.Errorf("doc = %+v", doc)
	}
	_, err = FromHTML([]byte("<html><body><script>x()</script></body></html>"), "")
	if !errors.Is(err, testigo.ErrInvalid) || strings.Contains(err.Error(), "invalid input") {
		t.Errorf("a page with no text: %v, want an ErrInvalid saying only what is wrong", err)
	}
}

// TestFromHTMLCharset reads a page in ISO-8859-1, as older Spanish-language
// sites still serve them: the text must come back as proper UTF-8.
func TestFromHTMLCharset(t *testing.T) {
	page := `<html><head><meta charset="iso-8859-1"><title>Ataque en Culiacán</title></head><body><article>
<p>Seis personas sin vida dejó el ataque con dron contra un laboratorio clandestino en la sierra de Badiraguato, Sinaloa, según la Fiscalía.</p>
<p>Vecinos dijeron que escucharon dos explosiones antes del amanecer y que el laboratorio quedó destruido.</p></article></body></html>`
	raw, err := charmap.ISO8859_1.NewEncoder().Bytes([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(raw) {
		t.Fatal("test page is valid UTF-8; it should not be")
	}
	doc, err := FromHTML(raw, "https://example.org/nota")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Ataque en Culiacán" || !strings.Contains(doc.Text, "dejó el ataque") || doc.Lang != "es" {
		t.Errorf("doc = %+v", doc)
	}
}

func TestDeclaredLang(t *testing.T) {
	for in, want := range map[string]string{"es-MX": "es", "en_US": "en", "EN": "en", "fr": "", "": "", "esp": ""} {
		if got := declaredLang(in); got != want {
			t.Errorf("declaredLang(%q) = %q, want %q", in, got, want)
		}
	}
}
