package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/testigo-project/testigo"
	"github.com/testigo-project/testigo/internal/archive"
	"github.com/testigo-project/testigo/internal/demo"
	"github.com/testigo-project/testigo/internal/extract"
	"github.com/testigo-project/testigo/internal/geo"
	"github.com/testigo-project/testigo/internal/ingest"
	"github.com/testigo-project/testigo/internal/jobs"
	"github.com/testigo-project/testigo/internal/sqlite/sqlitetest"
	"github.com/testigo-project/testigo/internal/translog"
	"github.com/testigo-project/testigo/internal/web"
)

// loadGazetteer loads the embedded gazetteer once per test binary: it takes
// seconds under the race detector and is only read afterwards.
var loadGazetteer = sync.OnceValues(geo.Load)

// apiSeed is a real SQLite store filled by the ingest pipeline from the demo
// corpus: documents, reports clustered into incidents, their log entries
// and a signed checkpoint.
type apiSeed struct {
	st        testigo.Store
	incidents []*testigo.Incident // not merged, as listed
	docs      []*testigo.Document
}

// seedAPIStore ingests the demo corpus through the same pipeline as
// "testigo demo" into a fresh store and signs a checkpoint.
func seedAPIStore(t *testing.T) *apiSeed {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st := sqlitetest.MustOpenTemp(t)
	blobs, err := archive.Open(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	gz, err := loadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	ex := extract.New(gz)
	now := func() time.Time { return time.Date(2025, 12, 1, 12, 0, 0, 0, time.UTC) }
	p := &ingest.Pipeline{
		Store: st, Blobs: blobs,
		Extract: extractFunc(func(text, lang string, published time.Time) []testigo.Event {
			return ex.Extract(extract.Input{Text: text, Lang: lang, Published: published})
		}),
		Record: jobs.LogCapture,
		Attach: func(ctx context.Context, tx testigo.Store, r *testigo.Report) error {
			return jobs.AttachReport(ctx, tx, r, now())
		},
		Now: now, ExtractorVersion: extract.Version,
	}
	files, err := demo.Files()
	if err != nil {
		t.Fatal(err)
	}
	s := &apiSeed{st: st}
	for _, f := range files {
		inputs, errs := ingest.ReadBytes(f.Name, f.Data)
		if len(errs) > 0 {
			t.Fatalf("read %s: %v", f.Name, errs)
		}
		for _, in := range inputs {
			out, err := p.Ingest(ctx, in)
			if err != nil {
				t.Fatalf("ingest %s: %v", in.Name, err)
			}
			if !out.Duplicate {
				s.docs = append(s.docs, out.Document)
			}
		}
	}
	signer, _, err := translog.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Transact(ctx, func(tx testigo.Store) error {
		_, err := translog.Checkpoint(ctx, tx, signer, now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	s.incidents, err = st.FindIncidents(ctx, testigo.IncidentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.incidents) < 3 || len(s.docs) < 3 {
		t.Fatalf("demo corpus gave %d incidents from %d documents; want at least 3 of each", len(s.incidents), len(s.docs))
	}
	return s
}

// withReports returns an incident with at least n reports.
func (s *apiSeed) withReports(t *testing.T, n int) *testigo.Incident {
	t.Helper()
	for _, inc := range s.incidents {
		if inc.ReportCount >= n && inc.MergedInto == 0 {
			return inc
		}
	}
	t.Fatalf("the demo corpus has no incident with %d reports", n)
	return nil
}

type extractFunc func(text, lang string, published time.Time) []testigo.Event

func (f extractFunc) Extract(text, lang string, published time.Time) []testigo.Event {
	return f(text, lang, published)
}

// tokenMap is a TokenChecker over a fixed set of tokens, standing in for the
// user store's API tokens.
type tokenMap map[string]string

func (m tokenMap) Check(_ context.Context, token string) (string, error) {
	actor, ok := m[token]
	if !ok {
		return "", fmt.Errorf("api token: %w", testigo.ErrUnauthorized)
	}
	return actor, nil
}

// serveAPI starts the handler over st, without a rate limit; edit may
// change its dependencies.
func serveAPI(t *testing.T, st testigo.Store, edit func(*web.Deps)) *httptest.Server {
	t.Helper()
	d := web.Deps{Store: st, RateLimit: web.RateLimit{PerSecond: -1}}
	if edit != nil {
		edit(&d)
	}
	h, err := web.NewHandler(d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// apiSpec is the OpenAPI description loaded and checked by kin-openapi,
// with a router that finds each request's operation.
type apiSpec struct {
	doc    *openapi3.T
	router routers.Router
}

// loadSpec loads openapi.json from the package directory, validates it as
// an OpenAPI document and builds its router.
func loadSpec(t *testing.T) *apiSpec {
	t.Helper()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		t.Fatalf("load openapi.json: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.json is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	// The document's server is relative ("/"); route on paths alone.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("route openapi.json: %v", err)
	}
	return &apiSpec{doc: doc, router: router}
}

// apiExchange is one request and its answer, the body read.
type apiExchange struct {
	req  *http.Request
	body []byte // request body
	resp *http.Response
	got  []byte // response body
}

// apiDo sends a request with an optional JSON body and headers and reads the
// answer.
func apiDo(t *testing.T, method, url string, body any, header map[string]string) *apiExchange {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &apiExchange{req: req, body: raw, resp: resp, got: got}
}

// check validates the request and the response of x against the document:
// the route and operation exist, parameters and body match, and the status,
// documented headers and body match what the operation declares.
func (s *apiSpec) check(t *testing.T, x *apiExchange) {
	t.Helper()
	req := x.req.Clone(context.Background())
	req.Body = io.NopCloser(bytes.NewReader(x.body))
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		t.Errorf("%s %s: not in openapi.json: %v", x.req.Method, x.req.URL.Path, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			// Tokens are checked by the server; here only that the header is there.
			AuthenticationFunc: func(_ context.Context, ai *openapi3filter.AuthenticationInput) error {
				if !strings.HasPrefix(ai.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ") {
					return fmt.Errorf("no bearer token")
				}
				return nil
			},
		},
	}
	// Requests that the server must refuse are sent on purpose; only
	// well-formed ones must match the document.
	if x.resp.StatusCode < 400 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s: request does not match openapi.json: %v", x.req.Method, x.req.URL, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 x.resp.StatusCode,
		Header:                 x.resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(x.got)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s: %d response does not match openapi.json: %v\nbody: %.400s", x.req.Method, x.req.URL, x.resp.StatusCode, err, x.got)
	}
	// ValidateResponse skips 304 and redirects; check their headers here.
	if x.resp.StatusCode == http.StatusNotModified || x.resp.StatusCode == http.StatusPermanentRedirect {
		resp := route.Operation.Responses.Status(x.resp.StatusCode)
		if resp == nil {
			t.Errorf("%s %s: status %d not documented", x.req.Method, x.req.URL, x.resp.StatusCode)
			return
		}
		for name, h := range resp.Value.Headers {
			if h.Value.Required && x.resp.Header.Get(name) == "" {
				t.Errorf("%s %s: %d lacks documented header %s", x.req.Method, x.req.URL, x.resp.StatusCode, name)
			}
		}
	}
}

// apiDecode unmarshals the response body of x into v.
func apiDecode(t *testing.T, x *apiExchange, v any) {
	t.Helper()
	if err := json.Unmarshal(x.got, v); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v: %s", x.req.Method, x.req.URL, err, x.got)
	}
}
