package demo

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestFiles(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 11 || len(files) > 21 {
		t.Fatalf("demo corpus has %d files, want the seed plus 10–20 illustrative reports", len(files))
	}
	if files[0].Name != "demo/seed-us-mission-mexico-2025-11-03.txt" || Illustrative(files[0].Name) {
		t.Errorf("first file = %s, want the real seed report, not marked illustrative", files[0].Name)
	}
	if !strings.Contains(string(files[0].Data), "source: UNN (Ukrainian National News), citing NBC News") {
		t.Error("seed report lost its attribution header")
	}
	langs := map[string]int{}
	for _, f := range files[1:] {
		if !Illustrative(f.Name) {
			t.Errorf("%s is not marked illustrative", f.Name)
		}
		var doc struct{ ID, Text, URL, Published, Lang string }
		if err := json.Unmarshal(f.Data, &doc); err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !strings.HasPrefix(doc.ID, "demo-illustrative-") || !strings.Contains(doc.URL, "example.org") {
			t.Errorf("%s: id %q / url %q do not mark it as illustrative", f.Name, doc.ID, doc.URL)
		}
		if doc.Text == "" || doc.Published == "" {
			t.Errorf("%s: missing text or published date", f.Name)
		}
		langs[doc.Lang]++
	}
	if langs["en"] == 0 || langs["es"] == 0 || langs["en"]+langs["es"] != len(files)-1 {
		t.Errorf("languages = %v, want English and Spanish only", langs)
	}
}
