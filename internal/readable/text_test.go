package readable

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Seis muertos.", "Seis muertos."},
		{"crlf", "uno\r\ndos\r\n", "uno\ndos"},
		{"lone cr", "uno\rdos", "uno\ndos"},
		{"bom", "\uFEFFhola", "hola"},
		{"decomposed accent", "Culiaca\u0301n", "Culiacán"},
		{"surrounding space", "\n\n  texto \t\n", "texto"},
		{"inner space kept", "a  b\n\n\nc", "a  b\n\n\nc"},
		{"empty", " \n ", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Normalize(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Normalize(%q) (-want +got):\n%s", tc.in, diff)
			}
			if again := Normalize(got); again != got {
				t.Errorf("Normalize is not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestFromMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"heading", "# Ataque en Culiacán\n\nTres muertos.", "Ataque en Culiacán\n\nTres muertos."},
		{"closed heading", "## Strike ##\ntext", "Strike\ntext"},
		{"hash inside text kept", "Report #3 says 5 killed", "Report #3 says 5 killed"},
		{"hashtag kept", "#Sinaloa: tres muertos", "#Sinaloa: tres muertos"},
		{"quote", "> Two officials said\n> it happened.", "Two officials said\nit happened."},
		{"link", "According to [NBC News](https://nbc.example/a), troops", "According to NBC News, troops"},
		{"image", "![map of Sinaloa](m.png) caption", "map of Sinaloa caption"},
		{"bold", "**Five** people were __killed__.", "Five people were killed."},
		{"single star kept", "2 * 3 and *emphasis*", "2 * 3 and *emphasis*"},
		{"fence and rule", "```\ncode\n```\n---\nend", "code\n\n\nend"},
		{"crlf", "# T\r\n\r\nbody\r\n", "T\n\nbody"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, FromMarkdown(tc.in)); diff != "" {
				t.Errorf("FromMarkdown(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}
