package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/testigo-project/testigo"
)

// newIncident returns an incident with every field a caller sets filled in.
func newIncident() *testigo.Incident {
	return &testigo.Incident{
		Title: "Drone strike in Badiraguato", Type: testigo.TypeAirDroneStrike, Date: "2025-11-20",
		Place: testigo.Place{Country: "MX", Admin1: "Sinaloa", Admin2: "Badiraguato", Location: "La Tuna",
			Lat: f64(25.36), Lon: f64(-107.55)},
		Killed: &testigo.Range{Min: 4, Max: 6}, Injured: &testigo.Range{Min: 1, Max: 2},
		Grade: testigo.GradeFair, GradeReason: "two documents", GradeSet: true,
		Derivation: "killed 4 from report 1, 6 from report 2",
		Review:     testigo.ReviewInReview, ReportCount: 2, CreatedAt: at,
		Assignee: "ana",
		Overrides: map[string]testigo.Override{
			"killed":   {Value: "4-7", Actor: "ana", Reason: "the hospital counted seven", At: at},
			"location": {Value: "La Tuna de Badiraguato", Actor: "ben", Reason: "name as on the map", At: at.Add(time.Minute)},
		},
	}
}

func testIncidentRoundTrip(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	inc := newIncident()
	inc.Version = 7 // ignored: a new incident is at version 1
	must(t, st.CreateIncident(ctx, inc))
	if inc.ID == 0 || inc.Version != 1 {
		t.Fatalf("created incident has ID %d, version %d; want an ID and version 1", inc.ID, inc.Version)
	}
	if inc.UpdatedAt.IsZero() {
		t.Error("CreateIncident left UpdatedAt zero")
	}
	got, err := st.FindIncident(ctx, inc.ID)
	must(t, err)
	if diff := cmp.Diff(inc, got); diff != "" {
		t.Errorf("FindIncident mismatch (-want +got):\n%s", diff)
	}
	wantUTC(t, "found incident", got.CreatedAt, got.UpdatedAt)

	bare := &testigo.Incident{}
	must(t, st.CreateIncident(ctx, bare))
	if bare.CreatedAt.IsZero() || bare.UpdatedAt.IsZero() {
		t.Errorf("CreateIncident left times zero: created %v, updated %v", bare.CreatedAt, bare.UpdatedAt)
	}
	wantUTC(t, "created incident", bare.CreatedAt, bare.UpdatedAt)
	got, err = st.FindIncident(ctx, bare.ID)
	must(t, err)
	if diff := cmp.Diff(bare, got); diff != "" {
		t.Errorf("FindIncident of a bare incident mismatch (-want +got):\n%s", diff)
	}
	_, err = st.FindIncident(ctx, 999)
	wantErr(t, err, testigo.ErrNotFound, "FindIncident(999)")
}

func testIncidentUpdate(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	other := newIncident()
	must(t, st.CreateIncident(ctx, other))
	inc := newIncident()
	must(t, st.CreateIncident(ctx, inc))
	stale := *inc

	inc.Title, inc.Type, inc.Date = "Strike on a vessel", testigo.TypeVesselStrike, "2025-11-21"
	inc.Place = testigo.Place{Country: "VE", Admin1: "Sucre", Location: "off Güiria", Lat: f64(10.5)}
	inc.Killed, inc.Injured = &testigo.Range{Min: 3, Max: 3}, nil
	inc.Grade, inc.GradeReason, inc.GradeSet = testigo.GradeConfirmed, "acknowledged", false
	inc.Derivation, inc.Review, inc.MergedInto, inc.ReportCount = "from report 3", testigo.ReviewPublished, other.ID, 5
	inc.Assignee = "ben"
	inc.Overrides = map[string]testigo.Override{"coords": {Value: "10.57,-62.3", Actor: "ben", Reason: "from the photo", At: at}}
	must(t, st.UpdateIncident(ctx, inc))
	if inc.Version != 2 {
		t.Errorf("version after update = %d, want 2", inc.Version)
	}
	if inc.UpdatedAt.Before(inc.CreatedAt) || inc.UpdatedAt.Equal(stale.UpdatedAt) {
		t.Errorf("UpdatedAt after update = %v, created %v, before %v", inc.UpdatedAt, inc.CreatedAt, stale.UpdatedAt)
	}
	wantUTC(t, "updated incident", inc.UpdatedAt)
	got, err := st.FindIncident(ctx, inc.ID)
	must(t, err)
	if diff := cmp.Diff(inc, got); diff != "" {
		t.Errorf("FindIncident after update mismatch (-want +got):\n%s", diff)
	}

	stale.Title = "lost update"
	wantErr(t, st.UpdateIncident(ctx, &stale), testigo.ErrConflict, "update at a stale version")
	if stale.Version != 1 {
		t.Errorf("failed update changed the version to %d", stale.Version)
	}
	got, err = st.FindIncident(ctx, inc.ID)
	must(t, err)
	if got.Title != inc.Title || got.Version != 2 {
		t.Errorf("stale update was stored: title %q, version %d", got.Title, got.Version)
	}
	// Unassigning and clearing every override store empty values.
	inc.Assignee, inc.Overrides = "", nil
	must(t, st.UpdateIncident(ctx, inc))
	got, err = st.FindIncident(ctx, inc.ID)
	must(t, err)
	if got.Assignee != "" || got.Overrides != nil {
		t.Errorf("after clearing: assignee %q, overrides %v", got.Assignee, got.Overrides)
	}

	missing := &testigo.Incident{ID: 999, Version: 1}
	wantErr(t, st.UpdateIncident(ctx, missing), testigo.ErrNotFound, "update of a missing incident")

	untouched, err := st.FindIncident(ctx, other.ID)
	must(t, err)
	if diff := cmp.Diff(other, untouched); diff != "" {
		t.Errorf("update changed another incident (-want +got):\n%s", diff)
	}
}

// listingFixture creates incidents for the listing tests and returns their
// IDs in creation order. Incident 4 is merged into incident 0.
func listingFixture(t *testing.T, st testigo.Store) []testigo.IncidentID {
	ctx := t.Context()
	dates := []string{"2025-11-20", "", "2025-11-22", "2025-11-20", "2025-10-01", "", "2025-11-22", "2025-11-25", ""}
	var ids []testigo.IncidentID
	for i, d := range dates {
		inc := &testigo.Incident{Type: testigo.TypeArmedClash, Date: d, Place: testigo.Place{Country: "MX"}}
		if i%3 == 2 {
			inc.Country = "VE"
		}
		switch i {
		case 0, 6:
			inc.Admin1 = "Sinaloa"
		case 3:
			inc.Admin1 = "Sonora"
		}
		if i == 6 {
			inc.Admin2 = "Culiacán"
		}
		switch i {
		case 0, 4, 6:
			inc.Assignee = "ana"
		case 8:
			inc.Assignee = "ben"
		}
		if i == 7 || i == 8 {
			inc.Type = testigo.TypeVesselStrike
			inc.Review = testigo.ReviewPublished
		}
		must(t, st.CreateIncident(ctx, inc))
		ids = append(ids, inc.ID)
	}
	merged, err := st.FindIncident(ctx, ids[4])
	must(t, err)
	merged.MergedInto = ids[0]
	must(t, st.UpdateIncident(ctx, merged))
	return ids
}

func incidentIDs(incs []*testigo.Incident) []testigo.IncidentID {
	var ids []testigo.IncidentID
	for _, inc := range incs {
		ids = append(ids, inc.ID)
	}
	return ids
}

func testIncidentFilters(t *testing.T, st testigo.Store) {
	ids := listingFixture(t, st)
	// Newest date first, then higher ID first; undated last.
	id := func(is ...int) []testigo.IncidentID {
		var out []testigo.IncidentID
		for _, i := range is {
			out = append(out, ids[i])
		}
		return out
	}
	cases := []struct {
		name string
		f    testigo.IncidentFilter
		want []testigo.IncidentID
	}{
		{"all live", testigo.IncidentFilter{}, id(7, 6, 2, 3, 0, 8, 5, 1)},
		{"merged included", testigo.IncidentFilter{IncludeMerged: true}, id(7, 6, 2, 3, 0, 4, 8, 5, 1)},
		{"limit", testigo.IncidentFilter{Limit: 3}, id(7, 6, 2)},
		{"country", testigo.IncidentFilter{Country: "VE"}, id(2, 8, 5)},
		{"type", testigo.IncidentFilter{Type: testigo.TypeVesselStrike}, id(7, 8)},
		{"review", testigo.IncidentFilter{Review: testigo.ReviewPublished}, id(7, 8)},
		{"review new", testigo.IncidentFilter{Review: testigo.ReviewNew, Country: "MX"}, id(6, 3, 0, 1)},
		{"since", testigo.IncidentFilter{Since: "2025-11-21"}, id(7, 6, 2)},
		{"until", testigo.IncidentFilter{Until: "2025-11-20"}, id(3, 0)},
		{"until with merged", testigo.IncidentFilter{Until: "2025-11-20", IncludeMerged: true}, id(3, 0, 4)},
		{"window", testigo.IncidentFilter{Since: "2025-11-20", Until: "2025-11-22"}, id(6, 2, 3, 0)},
		{"window and country", testigo.IncidentFilter{Since: "2025-11-20", Until: "2025-11-22", Country: "VE"}, id(2)},
		{"nothing", testigo.IncidentFilter{Country: "CO"}, nil},
		{"countries or none", testigo.IncidentFilter{Countries: []string{"VE", ""}}, id(2, 8, 5)},
		{"admin1 or none", testigo.IncidentFilter{Countries: []string{"MX"}, Admin1s: []string{"Sinaloa", ""}}, id(7, 6, 0, 1)},
		{"admin2", testigo.IncidentFilter{Admin2: "Culiacán"}, id(6)},
		{"types", testigo.IncidentFilter{Types: []testigo.EventType{testigo.TypeVesselStrike, ""}}, id(7, 8)},
		{"types in window", testigo.IncidentFilter{Types: []testigo.EventType{testigo.TypeArmedClash},
			Since: "2025-11-20", Until: "2025-11-22"}, id(6, 2, 3, 0)},
		{"empty list", testigo.IncidentFilter{Countries: []string{}}, nil},
		{"assignee", testigo.IncidentFilter{Assignee: "ana"}, id(6, 0)},
		{"assignee with merged", testigo.IncidentFilter{Assignee: "ana", IncludeMerged: true}, id(6, 0, 4)},
		{"assignee and review", testigo.IncidentFilter{Assignee: "ben", Review: testigo.ReviewPublished}, id(8)},
		{"assignee nobody has", testigo.IncidentFilter{Assignee: "cy"}, nil},
	}
	for _, c := range cases {
		got, err := st.FindIncidents(t.Context(), c.f)
		must(t, err)
		if diff := cmp.Diff(c.want, incidentIDs(got)); diff != "" {
			t.Errorf("FindIncidents %s (-want +got):\n%s", c.name, diff)
		}
	}
}

func testIncidentPagination(t *testing.T, st testigo.Store) {
	ctx := t.Context()
	listingFixture(t, st)
	for _, base := range []testigo.IncidentFilter{
		{},
		{IncludeMerged: true},
		{Country: "MX"},
		{Review: testigo.ReviewPublished},
		{Since: "2025-11-01"},
	} {
		all, err := st.FindIncidents(ctx, base)
		must(t, err)
		want := incidentIDs(all)
		for _, limit := range []int{1, 2, 3, len(want)} {
			var walked []testigo.IncidentID
			f := base
			f.Limit = limit
			for range 20 {
				page, err := st.FindIncidents(ctx, f)
				must(t, err)
				if len(page) > limit {
					t.Fatalf("filter %+v: page of %d incidents", f, len(page))
				}
				if len(page) == 0 {
					break
				}
				walked = append(walked, incidentIDs(page)...)
				last := page[len(page)-1]
				f.After = &testigo.IncidentCursor{Date: last.Date, ID: last.ID}
			}
			if diff := cmp.Diff(want, walked); diff != "" {
				t.Errorf("walk of %+v with limit %d (-want +got):\n%s", base, limit, diff)
			}
		}
	}
}
