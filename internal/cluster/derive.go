package cluster

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/testigo-project/testigo"
)

// Derive recomputes inc's derived fields from the reports attached to it:
// type, date, place, casualty ranges, grade, title and a plain-language
// derivation. Analyst-owned fields (ID, review state, assignee, version,
// overrides) are kept. reports must be non-empty; it does nothing otherwise.
//
// The rules, after Airwars' method:
//   - type and date: the value most reports give; ties go to the earliest report;
//   - place: the most specific place given by a report in the majority country;
//   - killed and injured: min is the highest minimum any source claims and max
//     the highest maximum, so the range runs from the most a careful reader
//     must accept to the most any source says;
//   - grade: contested when a source denies the event, fair with two or more
//     independent documents, weak with one; a grade an analyst set is kept;
//   - a field an analyst edited (inc.Overrides) is derived as above and then
//     set to the analyst's value, and the derivation says who set it, why and
//     what the reports give; the title is built from the fields after the
//     overrides, unless the title itself was edited.
func Derive(inc *testigo.Incident, reports []*testigo.Report) {
	if len(reports) == 0 {
		return
	}
	rs := append([]*testigo.Report(nil), reports...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })

	inc.ReportCount = len(rs)
	inc.Type = testigo.EventType(majority(rs, func(r *testigo.Report) string { return string(r.Type) }))
	inc.Date = majority(rs, func(r *testigo.Report) string { return r.Date })
	inc.Place = bestPlace(rs)

	var why []string
	inc.Killed, why = deriveRange(rs, "killed", func(r *testigo.Report) *testigo.Range { return r.Killed }, why)
	inc.Injured, why = deriveRange(rs, "injured", func(r *testigo.Report) *testigo.Range { return r.Injured }, why)
	if len(why) == 0 {
		why = append(why, "no source gives a casualty figure")
	}
	if !inc.GradeSet {
		inc.Grade, inc.GradeReason = grade(rs)
	}
	for _, f := range testigo.EditableFields {
		if f != "title" {
			why = applyOverride(inc, f, why)
		}
	}
	inc.Title = title(inc)
	why = applyOverride(inc, "title", why)
	inc.Derivation = strings.Join(why, "; ")
}

// applyOverride sets field f of inc to the analyst's value, if there is
// one, and appends a sentence saying so to why.
func applyOverride(inc *testigo.Incident, f string, why []string) []string {
	o, ok := inc.Overrides[f]
	if !ok {
		return why
	}
	derived, _ := inc.Field(f) // f is one of EditableFields
	if err := inc.SetField(f, o.Value); err != nil {
		return append(why, fmt.Sprintf("%s override by %s ignored: %v", f, o.Actor, err))
	}
	return append(why, fmt.Sprintf("%s set to %s by analyst %s (the reports give %s): %s",
		f, fieldText(o.Value), o.Actor, fieldText(derived), o.Reason))
}

// fieldText quotes a field's text form for the derivation.
func fieldText(v string) string {
	if v == "" {
		return "nothing"
	}
	return strconv.Quote(v)
}

func majority(rs []*testigo.Report, key func(*testigo.Report) string) string {
	counts := map[string]int{}
	best, bestN := "", 0
	for _, r := range rs {
		k := key(r)
		if k == "" {
			continue
		}
		counts[k]++
		if counts[k] > bestN {
			best, bestN = k, counts[k]
		}
	}
	return best
}

func specificity(p testigo.Place) int {
	n := 0
	for _, s := range []string{p.Country, p.Admin1, p.Admin2, p.Location} {
		if s != "" {
			n++
		}
	}
	if p.Lat != nil {
		n++
	}
	return n
}

func bestPlace(rs []*testigo.Report) testigo.Place {
	country := majority(rs, func(r *testigo.Report) string { return r.Country })
	var best testigo.Place
	for _, r := range rs {
		if country != "" && r.Country != country {
			continue
		}
		if specificity(r.Place) > specificity(best) {
			best = r.Place
		}
	}
	return best
}

func deriveRange(rs []*testigo.Report, what string, get func(*testigo.Report) *testigo.Range, why []string) (*testigo.Range, []string) {
	var out *testigo.Range
	var minFrom, maxFrom *testigo.Report
	for _, r := range rs {
		g := get(r)
		if g == nil {
			continue
		}
		if out == nil {
			out = &testigo.Range{Min: g.Min, Max: g.Max}
			minFrom, maxFrom = r, r
			continue
		}
		if g.Min > out.Min {
			out.Min, minFrom = g.Min, r
		}
		if g.Max > out.Max {
			out.Max, maxFrom = g.Max, r
		}
	}
	if out == nil {
		return nil, why
	}
	if out.Max < out.Min {
		out.Max = out.Min
	}
	var claims []string
	for _, r := range rs {
		if g := get(r); g != nil {
			claims = append(claims, fmt.Sprintf("report %d says %s", r.ID, g))
		}
	}
	rule := fmt.Sprintf("%s %s", what, out)
	if minFrom == maxFrom {
		rule += fmt.Sprintf(" from report %d", minFrom.ID)
	} else {
		rule += fmt.Sprintf(" (min %d from report %d, max %d from report %d)", out.Min, minFrom.ID, out.Max, maxFrom.ID)
	}
	if len(claims) > 1 {
		rule += ": " + strings.Join(claims, ", ")
	}
	why = append(why, rule)
	return out, why
}

func grade(rs []*testigo.Report) (testigo.Grade, string) {
	docs := map[testigo.DocumentID]bool{}
	sources := map[string]bool{}
	denied := 0
	for _, r := range rs {
		if !docs[r.DocumentID] {
			docs[r.DocumentID] = true
			sources[sourceKey(r)] = true
		}
		if r.Modality == testigo.Denied {
			denied++
		}
	}
	copies := len(docs) - len(sources)
	switch {
	case denied > 0 && denied < len(rs):
		return testigo.GradeContested, fmt.Sprintf("%d of %d reports deny what the others assert", denied, len(rs))
	case len(sources) >= 2 && copies > 0:
		return testigo.GradeFair, fmt.Sprintf("%d independent sources report it (%d documents; %d repeat another's wording)",
			len(sources), len(docs), copies)
	case len(sources) >= 2:
		return testigo.GradeFair, fmt.Sprintf("%d independent documents report it", len(docs))
	case len(docs) >= 2:
		return testigo.GradeWeak, fmt.Sprintf("%d documents carry the same wording (one wire report repeated): one source", len(docs))
	default:
		return testigo.GradeWeak, "a single document reports it"
	}
}

// sourceKey tells wire copy from independent reporting: two outlets that
// print one agency's report share the sentences the event was read from,
// word for word, while independent reports word them differently. The key
// is the quoted evidence of the event's type, casualties and place when it
// is long enough to be distinctive; otherwise the document itself.
func sourceKey(r *testigo.Report) string {
	var b strings.Builder
	fields := 0
	for _, f := range []string{"type", "killed", "injured", "date", "admin2", "location", "attribution"} {
		if sp, ok := r.Evidence[f]; ok && sp.Quote != "" {
			b.WriteString(strings.Join(strings.Fields(strings.ToLower(sp.Quote)), " "))
			b.WriteByte('|')
			fields++
		}
	}
	if fields < 3 || b.Len() < 60 {
		return fmt.Sprintf("document:%d", r.DocumentID)
	}
	return b.String()
}

func title(inc *testigo.Incident) string {
	what := strings.ReplaceAll(string(inc.Type), "_", " ")
	if what == "" {
		what = "event"
	}
	where := inc.Location
	for _, s := range []string{inc.Admin2, inc.Admin1, inc.Country} {
		if where == "" {
			where = s
		}
	}
	t := strings.ToUpper(what[:1]) + what[1:]
	if where != "" {
		t += " in " + where
	}
	if inc.Date != "" {
		t += ", " + inc.Date
	}
	return t
}
