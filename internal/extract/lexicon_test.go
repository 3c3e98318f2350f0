package extract

import "testing"

func TestEmbeddedTablesParse(t *testing.T) {
	if _, err := parseCues(cuesTSV); err != nil {
		t.Error(err)
	}
	if _, err := parseActors(actorsTSV); err != nil {
		t.Error(err)
	}
	if _, err := parseCues("attack\tx\tshot"); err == nil {
		t.Error("a bad weight was accepted")
	}
}
