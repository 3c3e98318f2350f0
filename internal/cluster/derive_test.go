package cluster

import (
	"strings"
	"testing"

	"github.com/testigo-project/testigo"
)

func TestGradeCountsWireCopyOnce(t *testing.T) {
	quote := func(q string) testigo.Span { return testigo.Span{Quote: q} }
	wire := func(doc testigo.DocumentID) *testigo.Report {
		return &testigo.Report{ID: testigo.ReportID(doc), DocumentID: doc, Event: testigo.Event{
			Type: testigo.TypeVesselStrike, Date: "2025-09-15", Killed: &testigo.Range{Min: 3, Max: 3},
			Evidence: testigo.Evidence{
				"type":   quote("US forces struck a vessel in the southern Caribbean"),
				"killed": quote("killing three people the administration described as narco-terrorists"),
				"date":   quote("on Monday"),
			}}}
	}
	inc := &testigo.Incident{}
	Derive(inc, []*testigo.Report{wire(1), wire(2)})
	if inc.Grade != testigo.GradeWeak || !strings.Contains(inc.GradeReason, "same wording") {
		t.Errorf("two outlets printing one wire report: %s (%s), want weak: one source", inc.Grade, inc.GradeReason)
	}
	own := wire(3)
	own.Evidence = testigo.Evidence{"type": quote("atacó una lancha"), "killed": quote("mató a tres tripulantes")}
	Derive(inc, []*testigo.Report{wire(1), wire(2), own})
	if inc.Grade != testigo.GradeFair || !strings.Contains(inc.GradeReason, "2 independent sources report it (3 documents") {
		t.Errorf("wire copy plus an independent report: %s (%s)", inc.Grade, inc.GradeReason)
	}
}

func TestDeriveKeepsOverrides(t *testing.T) {
	report := func(id testigo.ReportID, killed int) *testigo.Report {
		return &testigo.Report{ID: id, DocumentID: testigo.DocumentID(id), Event: testigo.Event{
			Type: testigo.TypeVesselStrike, Date: "2025-09-15", Place: testigo.Place{Country: "VE", Admin1: "Sucre"},
			Killed: &testigo.Range{Min: killed, Max: killed}}}
	}
	by := func(v, reason string) testigo.Override {
		return testigo.Override{Value: v, Actor: "ana", Reason: reason}
	}
	inc := &testigo.Incident{Overrides: map[string]testigo.Override{
		"killed":   by("3-7", "the hospital counted seven"),
		"location": by("off Güiria", "the coast guard named the place"),
		"coords":   by("bad", "typed wrong before validation existed"),
	}}
	Derive(inc, []*testigo.Report{report(1, 3)})
	if inc.Killed == nil || *inc.Killed != (testigo.Range{Min: 3, Max: 7}) || inc.Location != "off Güiria" {
		t.Errorf("after Derive: killed %v, location %q; want the analyst's 3-7 and off Güiria", inc.Killed, inc.Location)
	}
	if inc.Title != "Vessel strike in off Güiria, 2025-09-15" {
		t.Errorf("title %q is not built from the overridden location", inc.Title)
	}
	for _, want := range []string{
		`killed 3 from report 1`,
		`killed set to "3-7" by analyst ana (the reports give "3"): the hospital counted seven`,
		`location set to "off Güiria" by analyst ana (the reports give nothing): the coast guard named the place`,
		`coords override by ana ignored`,
	} {
		if !strings.Contains(inc.Derivation, want) {
			t.Errorf("derivation %q does not say %q", inc.Derivation, want)
		}
	}

	// A later report with a higher count is derived, then the override
	// applies again; an edited title replaces the built one.
	inc.Overrides["title"] = by("Strike on a fishing boat off Güiria", "clearer")
	Derive(inc, []*testigo.Report{report(1, 3), report(2, 9)})
	if *inc.Killed != (testigo.Range{Min: 3, Max: 7}) || inc.Title != "Strike on a fishing boat off Güiria" {
		t.Errorf("after a new report: killed %v, title %q", inc.Killed, inc.Title)
	}
	if !strings.Contains(inc.Derivation, `(the reports give "9")`) {
		t.Errorf("derivation %q does not give the reports' new figure", inc.Derivation)
	}

	// Without the override the reports decide again.
	delete(inc.Overrides, "killed")
	Derive(inc, []*testigo.Report{report(1, 3), report(2, 9)})
	if *inc.Killed != (testigo.Range{Min: 9, Max: 9}) || strings.Contains(inc.Derivation, "killed set to") {
		t.Errorf("after clearing: killed %v, derivation %q", inc.Killed, inc.Derivation)
	}
}
