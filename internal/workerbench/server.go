package workerbench

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Server is the local news site: feeds /feed/F (RSS 2.0) listing the
// articles of feed F, and the articles /article/SLUG. It counts how often
// each article is served.
type Server struct {
	articles map[string]*Article
	feeds    [][]*Article
	mux      *http.ServeMux
	mu       sync.Mutex
	served   map[string]int // slug -> times served
}

// NewServer returns a handler serving the articles, in feeds feeds.
func NewServer(articles []Article, feeds int) *Server {
	s := &Server{articles: map[string]*Article{}, feeds: make([][]*Article, feeds), served: map[string]int{}}
	for i := range articles {
		a := &articles[i]
		s.articles[a.Slug] = a
		s.feeds[a.Feed] = append(s.feeds[a.Feed], a)
	}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "User-agent: *\nAllow: /\n")
	})
	s.mux.HandleFunc("GET /feed/{f}", s.feed)
	s.mux.HandleFunc("GET /article/{slug}", s.article)
	return s
}

// outlet names feed f's publication.
func outlet(f int) string { return fmt.Sprintf("Diario Costero %d", f+1) }

// ServeHTTP serves robots.txt, the feeds and the articles.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

type rssItem struct {
	Title   string `xml:"title"`
	Link    string `xml:"link"`
	GUID    string `xml:"guid"`
	PubDate string `xml:"pubDate"`
}

type rss struct {
	XMLName xml.Name  `xml:"rss"`
	Version string    `xml:"version,attr"`
	Title   string    `xml:"channel>title"`
	Link    string    `xml:"channel>link"`
	Items   []rssItem `xml:"channel>item"`
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	f, err := strconv.Atoi(r.PathValue("f"))
	if err != nil || f < 0 || f >= len(s.feeds) {
		http.NotFound(w, r)
		return
	}
	base := "http://" + r.Host
	doc := rss{Version: "2.0", Title: outlet(f), Link: base + "/"}
	for _, a := range s.feeds[f] {
		doc.Items = append(doc.Items, rssItem{Title: a.Title, Link: base + "/article/" + a.Slug,
			GUID: base + "/article/" + a.Slug, PubDate: a.Published.Format(time.RFC1123Z)})
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	io.WriteString(w, xml.Header)
	if err := xml.NewEncoder(w).Encode(doc); err != nil {
		// The client sees a cut feed; nothing else can be done mid-response.
		return
	}
}

func (s *Server) article(w http.ResponseWriter, r *http.Request) {
	a, ok := s.articles[r.PathValue("slug")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.served[a.Slug]++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, a.HTML(outlet(a.Feed)))
}

// Served returns how many articles were served, and how many of them more
// than once.
func (s *Server) Served() (distinct, repeated int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.served {
		distinct++
		if n > 1 {
			repeated++
		}
	}
	return distinct, repeated
}

// Reset forgets what was served.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.served)
}
