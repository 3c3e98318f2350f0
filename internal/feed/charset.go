package feed

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// xmlDecl matches an XML declaration and its encoding.
var (
	xmlDecl     = regexp.MustCompile(`^<\?xml[^>]*\?>`)
	xmlEncoding = regexp.MustCompile(`encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
)

// toUTF8 returns body as UTF-8 with any XML declaration saying so, since
// the charsets that feeds declare are often wrong:
//
//   - a byte-order mark decides first (UTF-8, UTF-16 LE or BE);
//   - a body that is valid UTF-8 is UTF-8, whatever it declares;
//   - otherwise the charset of the Content-Type, else of the XML
//     declaration, is used when it is a known non-UTF-8 charset, and
//     Windows-1252 (the usual truth behind a false "UTF-8") when not.
func toUTF8(body []byte, contentType string) []byte {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		body = body[3:]
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}), bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	}
	if enc == nil && utf8.Valid(body) {
		return declareUTF8(body)
	}
	if enc == nil {
		enc = declared(body, contentType)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		// Windows-1252 maps every byte; this only happens for UTF-16
		// with an odd length and the like: replace what cannot be read.
		out = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return declareUTF8(out)
}

// declared returns the non-UTF-8 encoding the body declares, or
// Windows-1252.
func declared(body []byte, contentType string) encoding.Encoding {
	var labels []string
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		labels = append(labels, params["charset"])
	}
	if d := xmlDecl.Find(body); d != nil {
		if m := xmlEncoding.FindSubmatch(d); m != nil {
			labels = append(labels, string(m[1]))
		}
	}
	for _, l := range labels {
		if e, name := charset.Lookup(strings.TrimSpace(l)); e != nil && name != "utf-8" && !strings.HasPrefix(name, "utf-16") {
			return e
		}
	}
	return charmap.Windows1252
}

// declareUTF8 rewrites an XML declaration to say UTF-8, so that the XML
// parser does not convert the bytes a second time.
func declareUTF8(body []byte) []byte {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	d := xmlDecl.Find(trimmed)
	if d == nil || !xmlEncoding.Match(d) {
		return body
	}
	fixed := xmlEncoding.ReplaceAll(d, []byte(`encoding="UTF-8"`))
	out := make([]byte, 0, len(trimmed)-len(d)+len(fixed))
	out = append(out, fixed...)
	return append(out, trimmed[len(d):]...)
}
