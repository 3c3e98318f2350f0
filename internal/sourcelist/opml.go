package sourcelist

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/testigo-project/testigo"
)

// opml is the subset of OPML 2.0 that feed readers exchange. testigo adds
// its own attributes for what OPML cannot say (kind and interval); readers
// ignore attributes they do not know.
type opml struct {
	XMLName xml.Name  `xml:"opml"`
	Version string    `xml:"version,attr"`
	Title   string    `xml:"head>title"`
	Body    []outline `xml:"body>outline"`
}

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Language string    `xml:"language,attr,omitempty"`
	Category string    `xml:"category,attr,omitempty"`
	Kind     string    `xml:"testigoKind,attr,omitempty"`
	Every    string    `xml:"testigoEvery,attr,omitempty"`
	Children []outline `xml:"outline"`
}

// ReadOPML reads the sources of an OPML outline: every outline with an
// xmlUrl is a feed (or the kind its testigoKind attribute names). The
// titles of enclosing outlines and the category attribute become tags.
// It returns the good sources and one error per bad outline.
func ReadOPML(r io.Reader) ([]*testigo.Source, []error) {
	var doc opml
	dec := xml.NewDecoder(io.LimitReader(r, 32<<20))
	if err := dec.Decode(&doc); err != nil {
		return nil, []error{fmt.Errorf("not an OPML outline: %w", err)}
	}
	var (
		out  []*testigo.Source
		errs []error
		n    int
	)
	var walk func(os []outline, parents []string)
	walk = func(os []outline, parents []string) {
		for _, o := range os {
			n++
			if o.XMLURL == "" {
				title := strings.TrimSpace(o.Text)
				if title == "" {
					title = strings.TrimSpace(o.Title)
				}
				next := parents
				if title != "" {
					next = append(parents[:len(parents):len(parents)], title)
				}
				walk(o.Children, next)
				continue
			}
			tags := append([]string(nil), parents...)
			for c := range strings.SplitSeq(o.Category, ",") {
				if c = strings.Trim(strings.TrimSpace(c), "/"); c != "" {
					tags = append(tags, c)
				}
			}
			name := o.Title
			if name == "" {
				name = o.Text
			}
			src, err := Parse(strings.TrimSpace(o.XMLURL), o.Kind, o.Language, o.Every, strings.Join(tags, ";"), strings.TrimSpace(name))
			if err != nil {
				errs = append(errs, fmt.Errorf("outline %d (%q): %w", n, name, err))
				continue
			}
			out = append(out, src)
		}
	}
	walk(doc.Body, nil)
	if len(out) == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("OPML outline lists no feeds (no outline has an xmlUrl)"))
	}
	return out, errs
}

// WriteOPML writes srcs as an OPML 2.0 outline that feed readers import.
func WriteOPML(w io.Writer, title string, srcs []*testigo.Source) error {
	doc := opml{Version: "2.0", Title: title}
	for _, s := range srcs {
		name := s.Name
		if name == "" {
			name = s.URL
		}
		o := outline{Text: name, Title: name, Type: "rss", XMLURL: s.URL, Language: s.Lang,
			Category: strings.Join(s.Tags, ",")}
		if s.Kind != testigo.SourceFeed {
			o.Kind = string(s.Kind)
		}
		if s.Every > 0 {
			o.Every = s.Every.String()
		}
		doc.Body = append(doc.Body, o)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write OPML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
