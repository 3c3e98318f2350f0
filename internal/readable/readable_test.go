package readable

import (
	"strings"
	"testing"
)

func TestDetectLang(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Seis personas sin vida dejó el ataque en Culiacán", "es"},
		{"Sinaloa: 5 muertos tras enfrentamiento", "es"},
		{"A drone strike killed four people in North Waziristan on Tuesday, officials said.", "en"},
		{"ataque aéreo", "es"},
		{"drone strike", "en"},
		{"12345 !!!", ""},
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
	if !strings.Contains(doc.Text, "Seis personas sin vida") || strings.Contains(doc.Text, "alert") || strings.Contains(doc.Text, "Deportes") {
		t.Errorf("text = %q", doc.Text)
	}
	if doc.Lang != "es" || doc.Title != "Ataque en Badiraguato" || doc.Published.Format("2006-01-02") != "2025-11-21" {
		t.Errorf("doc = %+v", doc)
	}
	if _, err := FromHTML([]byte("<html><body><script>x()</script></body></html>"), ""); err == nil {
		t.Error("a page with no text gave no error")
	}
}
