// Package readable turns captured bytes into the readable text the
// extractor reads: the main text of an HTML page (go-trafilatura, with its
// fallback extractors), its title and date, and the language of a text
// (English or Spanish).
package readable

import (
	"bytes"
	nurl "net/url"
	"strings"
	"time"
	"unicode"

	"github.com/abadojack/whatlanggo"
	"github.com/markusmobius/go-trafilatura"

	"github.com/testigo-project/testigo"
)

// Doc is the readable content of a capture.
type Doc struct {
	Title     string
	Text      string
	Lang      string // "en", "es" or "" when unsure
	Published time.Time
}

// FromHTML extracts the main text, title and publication date of an HTML
// page with go-trafilatura (its fallback extractors enabled). The page may
// be in any character set it declares or that can be detected; the text
// comes back as UTF-8 with a blank line between paragraphs, headings and
// list items, normalised like Normalize. pageURL, when given, helps
// to resolve relative links and to read the date. Lang is detected from the
// text, or taken from the page's declared language when detection is unsure.
// It returns an error wrapping testigo.ErrInvalid when the page has no
// readable text.
func FromHTML(raw []byte, pageURL string) (Doc, error) {
	// Fast date mode reads the publish date from the page's metadata and markup
	// without the slow multilingual date parser over the whole text: dates in
	// running text are the extractor's job, and feeds give their own dates.
	opts := trafilatura.Options{EnableFallback: true, ExcludeComments: true, HtmlDateMode: trafilatura.Fast}
	if u, err := nurl.Parse(pageURL); err == nil && u.Host != "" {
		opts.OriginalURL = u
	}
	res, err := trafilatura.Extract(bytes.NewReader(raw), opts)
	if err != nil {
		return Doc{}, noTextError{cause: err}
	}
	text := blockText(res.ContentNode)
	if text == "" {
		text = Normalize(res.ContentText)
	}
	if text == "" {
		return Doc{}, noTextError{}
	}
	lang := DetectLang(text)
	if lang == "" {
		lang = declaredLang(res.Metadata.Language)
	}
	return Doc{
		Title:     Normalize(res.Metadata.Title),
		Text:      text,
		Lang:      lang,
		Published: res.Metadata.Date,
	}, nil
}

// noTextError says that a page has no readable text. It is an input error:
// errors.Is(err, testigo.ErrInvalid) holds, without the message saying so.
type noTextError struct{ cause error }

func (e noTextError) Error() string {
	if e.cause != nil {
		return "the page has no main text (" + e.cause.Error() + ")"
	}
	return "the page has no main text"
}

func (e noTextError) Is(target error) bool { return target == testigo.ErrInvalid }

func (e noTextError) Unwrap() error { return e.cause }

// declaredLang maps a page's declared language ("es-MX", "en_US") to "en"
// or "es", or "" for any other.
func declaredLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 2 && (s[2] == '-' || s[2] == '_') {
		s = s[:2]
	}
	if s == "en" || s == "es" {
		return s
	}
	return ""
}

// Stopwords that are frequent in one language and rare in the other; they
// decide short texts, where statistical detection is unreliable.
var (
	englishWords = map[string]bool{"the": true, "and": true, "of": true, "in": true, "was": true, "were": true,
		"killed": true, "said": true, "on": true, "by": true, "with": true, "at": true, "people": true, "after": true}
	spanishWords = map[string]bool{"el": true, "la": true, "los": true, "las": true, "de": true, "del": true,
		"en": true, "y": true, "que": true, "por": true, "con": true, "muertos": true, "una": true, "tras": true, "dejó": true}
)

// DetectLang returns "en" or "es" for text, or "" when it cannot tell.
// Short texts are decided by a vote of function words; longer ones by
// whatlanggo restricted to English and Spanish.
func DetectLang(text string) string {
	if len(text) > 4096 {
		text = text[:4096]
	}
	en, es := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if englishWords[w] {
			en++
		}
		if spanishWords[w] {
			es++
		}
	}
	if en+es >= 3 && (en >= 2*es || es >= 2*en) {
		if en > es {
			return "en"
		}
		return "es"
	}
	info := whatlanggo.DetectWithOptions(text, whatlanggo.Options{
		Whitelist: map[whatlanggo.Lang]bool{whatlanggo.Eng: true, whatlanggo.Spa: true},
	})
	switch {
	case info.Lang == whatlanggo.Eng && info.Confidence > 0.1:
		return "en"
	case info.Lang == whatlanggo.Spa && info.Confidence > 0.1:
		return "es"
	case en > es:
		return "en"
	case es > en:
		return "es"
	}
	return ""
}
