package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

// newReport returns a report with every field of its event set.
func newReport(doc testigo.DocumentID, idx int) *testigo.Report {
	return &testigo.Report{
		DocumentID: doc, Index: idx,
		Event: testigo.Event{
			Type: testigo.TypeAirDroneStrike, Date: "2025-11-20",
			Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato", Location: "La Tuna",
				Lat: f64(25.3636), Lon: f64(-107.55)},
			Killed:  &testigo.Range{Min: 4, Max: 6},
			Injured: &testigo.Range{Min: 0, Max: 0},
			Actors: []testigo.Actor{
				{Name: "CIA", Group: "United States", Role: testigo.RolePerpetrator, Mention: "the CIA"},
				{Name: "Reuters", Role: testigo.RoleReporter},
			},
			Platform: testigo.PlatformDrone,
			Attribution: []testigo.Attribution{{Text: "two current and two former US officials",
				Kind: "official", Count: 4, Anonymous: true}},
			Modality: testigo.Asserted,
			Evidence: testigo.Evidence{
				"type":   {Start: 2, End: 14, Quote: "drone strike"},
				"date":   {Basis: "published"},
				"killed": {Start: 20, End: 33, Quote: "cuatro a seis"},
			},
		},
		ExtractorVersion: "extract/test",
		CreatedAt:        at,
	}
}

func testReportRoundTrip(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	d := newDocument(0, 1)
	must(t, st.CreateDocument(ctx, d))
	inc := &testigo.Incident{Type: testigo.TypeAirDroneStrike}
	must(t, st.CreateIncident(ctx, inc))

	full := newReport(d.ID, 0)
	full.IncidentID = inc.ID
	full.CreatedAt = at.In(mexico)
	must(t, st.CreateReport(ctx, full))
	wantUTC(t, "created report", full.CreatedAt)
	bare := &testigo.Report{DocumentID: d.ID, Index: 1, Event: testigo.Event{Type: testigo.TypeOther}}
	must(t, st.CreateReport(ctx, bare))
	if bare.ID == 0 || bare.ID == full.ID || bare.CreatedAt.IsZero() {
		t.Fatalf("second report has ID %d (first %d), CreatedAt %v", bare.ID, full.ID, bare.CreatedAt)
	}
	for _, want := range []*testigo.Report{full, bare} {
		got, err := st.FindReport(ctx, want.ID)
		must(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FindReport(%d) mismatch (-want +got):\n%s", want.ID, diff)
		}
		wantUTC(t, "found report", got.CreatedAt)
	}

	wantErr(t, st.CreateReport(ctx, newReport(d.ID, 0)), testigo.ErrConflict, "report with a stored document and index")
	wantErr(t, st.CreateReport(ctx, newReport(999, 0)), testigo.ErrNotFound, "report of a missing document")
	orphan := newReport(d.ID, 5)
	orphan.IncidentID = 999
	wantErr(t, st.CreateReport(ctx, orphan), testigo.ErrNotFound, "report of a missing incident")
	_, err := st.FindReport(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "FindReport(999)")
}

func testReportAttach(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	d1, d2 := newDocument(0, 1), newDocument(0, 2)
	must(t, st.CreateDocument(ctx, d1))
	must(t, st.CreateDocument(ctx, d2))
	a, b := &testigo.Incident{Type: testigo.TypeOther}, &testigo.Incident{Type: testigo.TypeOther}
	must(t, st.CreateIncident(ctx, a))
	must(t, st.CreateIncident(ctx, b))
	var rs []*testigo.Report
	for _, r := range []*testigo.Report{newReport(d1.ID, 0), newReport(d2.ID, 0), newReport(d1.ID, 1), newReport(d2.ID, 1)} {
		must(t, st.CreateReport(ctx, r))
		rs = append(rs, r)
	}
	must(t, st.AttachReport(ctx, rs[0].ID, a.ID))
	must(t, st.AttachReport(ctx, rs[1].ID, b.ID))
	must(t, st.AttachReport(ctx, rs[2].ID, b.ID))
	must(t, st.AttachReport(ctx, rs[1].ID, a.ID)) // moves it from b to a
	wantErr(t, st.AttachReport(ctx, 999, a.ID), testigo.ErrNotFound, "attach a missing report")
	wantErr(t, st.AttachReport(ctx, rs[3].ID, 999), testigo.ErrNotFound, "attach to a missing incident")

	got, err := st.FindReport(ctx, rs[1].ID)
	must(t, err)
	if got.IncidentID != a.ID {
		t.Errorf("report %d is attached to incident %d, want %d", got.ID, got.IncidentID, a.ID)
	}
	got, err = st.FindReport(ctx, rs[3].ID)
	must(t, err)
	if got.IncidentID != 0 {
		t.Errorf("failed attach left report %d on incident %d", got.ID, got.IncidentID)
	}

	cases := []struct {
		name string
		f    testigo.ReportFilter
		want []testigo.ReportID
	}{
		{"all", testigo.ReportFilter{}, []testigo.ReportID{rs[0].ID, rs[1].ID, rs[2].ID, rs[3].ID}},
		{"limit", testigo.ReportFilter{Limit: 3}, []testigo.ReportID{rs[0].ID, rs[1].ID, rs[2].ID}},
		{"document", testigo.ReportFilter{DocumentID: d1.ID}, []testigo.ReportID{rs[0].ID, rs[2].ID}},
		{"incident a", testigo.ReportFilter{IncidentID: a.ID}, []testigo.ReportID{rs[0].ID, rs[1].ID}},
		{"incident b", testigo.ReportFilter{IncidentID: b.ID}, []testigo.ReportID{rs[2].ID}},
		{"document and incident", testigo.ReportFilter{DocumentID: d2.ID, IncidentID: a.ID}, []testigo.ReportID{rs[1].ID}},
		{"incident and limit", testigo.ReportFilter{IncidentID: a.ID, Limit: 1}, []testigo.ReportID{rs[0].ID}},
		{"missing document", testigo.ReportFilter{DocumentID: 999}, nil},
		{"incidents", testigo.ReportFilter{IncidentIDs: []testigo.IncidentID{b.ID, a.ID, 999}}, []testigo.ReportID{rs[0].ID, rs[1].ID, rs[2].ID}},
		{"incidents and document", testigo.ReportFilter{IncidentIDs: []testigo.IncidentID{a.ID}, DocumentID: d1.ID}, []testigo.ReportID{rs[0].ID}},
		{"no incidents", testigo.ReportFilter{IncidentIDs: []testigo.IncidentID{}}, nil},
	}
	for _, c := range cases {
		got, err := st.FindReports(ctx, c.f)
		must(t, err)
		var ids []testigo.ReportID
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if diff := cmp.Diff(c.want, ids); diff != "" {
			t.Errorf("FindReports %s (-want +got):\n%s", c.name, diff)
		}
	}
}
