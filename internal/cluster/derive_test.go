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
