package sourcelist

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

const list = `# a comment line
url,kind,lang,every,tags,name
https://example.org/feed.xml,feed,es,15m,mx;press,Ejemplo
https://example.org/prensa,page,,1h,gov,
ftp://example.org/x,feed,,,,
https://example.org/a,feed,fr,,,
https://example.org/b,feed,,5s,,
https://example.org/c,upload,,,,
https://example.org/sitemap.xml,SITEMAP,EN,,,Sitemap
`

func TestReadCSV(t *testing.T) {
	srcs, errs := ReadCSV(strings.NewReader(list))
	want := []*testigo.Source{
		{Kind: testigo.SourceFeed, URL: "https://example.org/feed.xml", Lang: "es", Every: 15 * time.Minute, Tags: []string{"mx", "press"}, Name: "Ejemplo"},
		{Kind: testigo.SourcePage, URL: "https://example.org/prensa", Every: time.Hour, Tags: []string{"gov"}},
		{Kind: testigo.SourceSitemap, URL: "https://example.org/sitemap.xml", Lang: "en", Name: "Sitemap"},
	}
	if diff := cmp.Diff(want, srcs); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	wantLines := []int{5, 6, 7, 8}
	if len(errs) != len(wantLines) {
		t.Fatalf("got %d errors %v, want %d", len(errs), errs, len(wantLines))
	}
	for i, err := range errs {
		var le *LineError
		if !errors.As(err, &le) || le.Line != wantLines[i] {
			t.Errorf("error %d = %v, want one for line %d", i, err, wantLines[i])
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error %q is not one line", err)
		}
	}
}

func TestReadCSVBadHeader(t *testing.T) {
	for _, in := range []string{"", "name,kind\nx,feed\n", "url,colour\nhttps://example.org,red\n"} {
		srcs, errs := ReadCSV(strings.NewReader(in))
		if len(srcs) != 0 || len(errs) != 1 {
			t.Errorf("ReadCSV(%q) = %d sources, %v; want one header error", in, len(srcs), errs)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	srcs, _ := ReadCSV(strings.NewReader(list))
	var buf bytes.Buffer
	if err := WriteCSV(&buf, srcs); err != nil {
		t.Fatal(err)
	}
	again, errs := ReadCSV(&buf)
	if len(errs) > 0 {
		t.Fatalf("reading back: %v", errs)
	}
	if diff := cmp.Diff(srcs, again); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	srcs, _ := ReadCSV(strings.NewReader(list))
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "testigo sources", srcs); err != nil {
		t.Fatal(err)
	}
	again, errs := ReadOPML(&buf)
	if len(errs) > 0 {
		t.Fatalf("reading back: %v", errs)
	}
	// A source without a name comes back named by its URL.
	srcs[1].Name = srcs[1].URL
	if diff := cmp.Diff(srcs, again); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestReadOPMLFromAFeedReader(t *testing.T) {
	const in = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Subscriptions</title></head><body>
  <outline text="México">
    <outline text="Noticias" title="Noticias" type="rss" xmlUrl="https://example.org/mx.xml" htmlUrl="https://example.org/"/>
    <outline text="Roto" type="rss" xmlUrl="not a url"/>
  </outline>
  <outline text="Sin carpeta" type="rss" xmlUrl="https://example.org/b.xml" category="/press,/us"/>
</body></opml>`
	srcs, errs := ReadOPML(strings.NewReader(in))
	want := []*testigo.Source{
		{Kind: testigo.SourceFeed, URL: "https://example.org/mx.xml", Name: "Noticias", Tags: []string{"México"}},
		{Kind: testigo.SourceFeed, URL: "https://example.org/b.xml", Name: "Sin carpeta", Tags: []string{"press", "us"}},
	}
	if diff := cmp.Diff(want, srcs); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "Roto") {
		t.Errorf("errors = %v, want one naming the outline Roto", errs)
	}
	if _, errs := ReadOPML(strings.NewReader("<html><body>no</body></html>")); len(errs) != 1 {
		t.Errorf("an HTML page gave %v, want one error", errs)
	}
}

// TestStarterList checks that the shipped starter list reads without error.
func TestStarterList(t *testing.T) {
	f, err := os.Open("../../sources/starter.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	srcs, errs := ReadCSV(f)
	if len(errs) > 0 {
		t.Fatalf("starter list: %v", errs)
	}
	if len(srcs) < 20 {
		t.Errorf("starter list has %d sources, want at least 20", len(srcs))
	}
	seen := map[string]bool{}
	for _, s := range srcs {
		if seen[s.URL] {
			t.Errorf("starter list repeats %s", s.URL)
		}
		seen[s.URL] = true
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add(list)
	f.Add("url\nhttps://example.org/\n")
	f.Add("url,tags\n\"https://example.org/\",\"a;b\n")
	f.Fuzz(func(t *testing.T, in string) {
		srcs, _ := ReadCSV(strings.NewReader(in))
		for _, s := range srcs {
			if err := s.Validate(); err != nil {
				t.Fatalf("ReadCSV returned an invalid source %+v: %v", s, err)
			}
		}
	})
}

func FuzzReadOPML(f *testing.F) {
	f.Add(`<opml version="2.0"><body><outline text="a" xmlUrl="https://example.org/f"/></body></opml>`)
	f.Add(`<opml><body><outline text="x"><outline xmlUrl="https://e.org/" testigoEvery="1h" testigoKind="page"/></outline></body></opml>`)
	f.Fuzz(func(t *testing.T, in string) {
		srcs, _ := ReadOPML(strings.NewReader(in))
		for _, s := range srcs {
			if err := s.Validate(); err != nil {
				t.Fatalf("ReadOPML returned an invalid source %+v: %v", s, err)
			}
		}
	})
}
