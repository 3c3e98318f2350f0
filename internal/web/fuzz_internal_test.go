package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParsePHC feeds arbitrary stored hashes to the PHC parser: it must
// never panic, and what it accepts must be an argon2id string within the
// limits, which CheckPassword then runs without error.
func FuzzParsePHC(f *testing.F) {
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$c29tZXNhbHRzb21lc2FsdA$MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY")
	f.Add("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("$argon2i$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, hash string) {
		p, err := parsePHC(hash)
		if err != nil {
			return
		}
		if !strings.HasPrefix(hash, "$argon2id$") || p.memory > 1<<20 || p.time > 100 || len(p.key) < 16 {
			t.Fatalf("accepted %q as %+v", hash, p)
		}
		if p.memory <= 64 && p.time <= 2 {
			if _, err := CheckPassword(hash, "x"); err != nil {
				t.Errorf("parsed but not checked: %q: %v", hash, err)
			}
		}
	})
}

// FuzzAcceptLanguage checks that any header yields a supported language.
func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"es-MX,es;q=0.9,en;q=0.5", "fr, de", "", "es;q=abc", "*;q=0.1,en;q=1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if l := fromAcceptLanguage(h); !validLang(l) {
			t.Errorf("%q gave %q", h, l)
		}
	})
}

// FuzzMapQuery feeds arbitrary query strings to the map's parameter
// parsers: they must not panic, and an accepted view is well formed.
func FuzzMapQuery(f *testing.F) {
	for _, s := range []string{"z=3&bbox=-118,14,-86,33&type=air_drone_strike", "bbox=1,2,3", "z=-1", "actor=CIA&grade=weak", "since=2025-01-01&until=2024-01-01", "bbox=NaN,0,0,0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		v, err := parseMapView(q)
		if err != nil {
			return
		}
		if v.zoom < -1 || v.zoom > 24 || v.bbox && v.s > v.n {
			t.Errorf("%q gave the view %+v", raw, v)
		}
		vf, _, err := parseViewFilter(q, false)
		if err == nil && len(vf.Actor) > maxActor {
			t.Errorf("%q gave an actor of %d bytes", raw, len(vf.Actor))
		}
	})
}
