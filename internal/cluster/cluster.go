// Package cluster decides which incident a report describes and derives an
// incident's fields (type, date, place, casualty range, grade) from the reports
// attached to it. It is pure: it reads root types and returns results, and the
// caller loads and saves them.
package cluster

import (
	"math"
	"strings"
	"time"

	"github.com/testigo-project/testigo"
)

// Threshold is the lowest Score at which a report is attached to an existing
// incident rather than starting a new one.
const Threshold = 0.55

// DateWindow is how many days either side of a report's date an incident's
// date may lie and still be a candidate.
const DateWindow = 3

// family groups event types that reporters use for the same event: one outlet
// says "airstrike", another "drone strike", an official "vessel strike".
func family(t testigo.EventType) string {
	switch t {
	case testigo.TypeAirDroneStrike, testigo.TypeShellingArtilleryMissile,
		testigo.TypeVesselStrike, testigo.TypeGroundRaid, testigo.TypeRemoteExplosive,
		testigo.TypeSuicideBomb, testigo.TypeGrenade:
		return "strike"
	case testigo.TypeArmedClash, testigo.TypeAttack, testigo.TypeGovernmentRegains,
		testigo.TypeNonStateTakeover, testigo.TypeOrganizedCrime, testigo.TypeMobViolence:
		return "violence"
	case testigo.TypeAbduction, testigo.TypeSexualViolence:
		return "violence"
	case testigo.TypePeacefulProtest, testigo.TypeProtestWithIntervention,
		testigo.TypeViolentDemonstration, testigo.TypeExcessiveForceProtest:
		return "protest"
	case testigo.TypeArrest, testigo.TypeDisruptedWeaponsUse:
		// One raid, two leads: "twelve arrested" and "rifles seized".
		return "enforcement"
	case testigo.TypeOperationPlanning, testigo.TypeDeployment, testigo.TypeOfficialStatement,
		testigo.TypeDiplomaticEvent, testigo.TypeAttributionClaim:
		return "statement"
	case "":
		return ""
	}
	return string(t)
}

// specific reports whether loc names a place below the municipality admin2.
func specific(loc, admin2 string) bool {
	return loc != "" && !sameName(loc, admin2) && !strings.Contains(foldName(admin2), foldName(loc))
}

// AtSea reports whether events of type t happen at sea, where place names
// do not separate events.
func AtSea(t testigo.EventType) bool { return t == testigo.TypeVesselStrike }

// Window returns the inclusive date range (YYYY-MM-DD) in which candidate
// incidents for ev must lie. ok is false when ev has no date.
func Window(ev *testigo.Event) (since, until string, ok bool) {
	d := ev.Day()
	if d.IsZero() {
		return "", "", false
	}
	return d.AddDate(0, 0, -DateWindow).Format(testigo.DateLayout),
		d.AddDate(0, 0, DateWindow).Format(testigo.DateLayout), true
}

// Score returns how likely it is, from 0 to 1, that ev describes inc. It is 0
// when the two cannot be the same event: different countries, different
// admin1 units, incompatible types or dates more than DateWindow days apart.
func Score(ev *testigo.Event, inc *testigo.Incident) float64 {
	de, okE := civilDay(ev.Date)
	di, okI := civilDay(inc.Date)
	return scoreDays(ev, inc, dayNum{de, okE}, dayNum{di, okI})
}

// dayNum is a date read by civilDay: its number, and whether there is one.
type dayNum struct {
	n  int64
	ok bool
}

// scoreDays is Score with both dates already read (the Index keeps them).
func scoreDays(ev *testigo.Event, inc *testigo.Incident, de, di dayNum) float64 {
	if inc.MergedInto != 0 {
		return 0
	}
	fe, fi := family(ev.Type), family(inc.Type)
	crossFamily := false
	if fe != "" && fi != "" && fe != fi {
		// One outlet's "drone strike" is another's "attack" or "bodies
		// found": strikes and other violence may be one event, but only on
		// the same day in the same municipality, and at a cost.
		if !(fe == "strike" && fi == "violence" || fe == "violence" && fi == "strike") ||
			ev.Date == "" || ev.Date != inc.Date || ev.Admin2 == "" || !sameName(ev.Admin2, inc.Admin2) {
			return 0
		}
		crossFamily = true
	}
	// At sea, the country a report names is the nearest coast or the
	// crew's home, and outlets differ: it does not separate two reports of
	// one strike on a vessel.
	atSea := AtSea(ev.Type) && AtSea(inc.Type)
	if !atSea && ev.Country != "" && inc.Country != "" && ev.Country != inc.Country {
		return 0
	}
	if !atSea && ev.Admin1 != "" && inc.Admin1 != "" && !sameName(ev.Admin1, inc.Admin1) {
		return 0
	}
	score := 0.0

	// Date: the same day is strong evidence; every day apart weakens it.
	switch {
	case !de.ok || !di.ok:
		score += 0.1
	default:
		days := math.Abs(float64(de.n - di.n))
		if days > DateWindow {
			return 0
		}
		score += 0.35 * (1 - days/(DateWindow+1))
	}

	// Place: the most specific level both sides name decides.
	switch {
	case ev.Lat != nil && inc.Lat != nil && ev.Lon != nil && inc.Lon != nil &&
		distanceKm(*ev.Lat, *ev.Lon, *inc.Lat, *inc.Lon) <= 25:
		score += 0.35
	case ev.Admin2 != "" && inc.Admin2 != "":
		if sameName(ev.Admin2, inc.Admin2) {
			score += 0.35
		} else {
			score -= 0.2
		}
	case ev.Admin1 != "" && inc.Admin1 != "":
		score += 0.2
	case ev.Country != "" && inc.Country != "":
		score += 0.1
	}

	// Named locations below the municipality (a village, a neighbourhood)
	// that differ are different places, even on the same day.
	if specific(ev.Location, ev.Admin2) && specific(inc.Location, inc.Admin2) && !sameName(ev.Location, inc.Location) {
		// Two strikes at sea in different seas (the extractor names the
		// sea: "Pacific Ocean", "Caribbean Sea") are never one strike.
		if atSea && ev.Lat == nil && inc.Lat == nil {
			return 0
		}
		score -= 0.3
	}
	if crossFamily {
		score -= 0.1
	}
	if fe != "" && fe == fi {
		score += 0.15
		if ev.Type == inc.Type {
			score += 0.05
		}
	}

	// Casualties: overlapping or close figures support the match; figures
	// far apart count against it. Reporters disagree and tolls rise, so a
	// small gap costs little; but two exact tolls far apart ("six killed",
	// "two killed") are two events, and at sea, where each strike is
	// announced with its exact toll, any two different exact tolls are.
	if ev.Killed != nil && inc.Killed != nil {
		a, b := *ev.Killed, *inc.Killed
		exact := a.Min == a.Max && b.Min == b.Max
		switch {
		case exact && a.Min == b.Min:
			score += 0.15
		case atSea && exact:
			score -= 0.35
		case rangesClose(a, b):
			score += 0.1
		case a.Min == a.Max || b.Min == b.Max:
			score -= 0.4 // an exact toll far from the other figures
		default:
			score -= 0.1
		}
	}
	return math.Max(0, math.Min(1, score))
}

// Best returns the candidate that ev most likely describes, or nil when none
// scores at least Threshold. Ties go to the older incident (smaller ID).
func Best(ev *testigo.Event, candidates []*testigo.Incident) *testigo.Incident {
	var best *testigo.Incident
	bestScore := 0.0
	for _, inc := range candidates {
		s := Score(ev, inc)
		if s < Threshold {
			continue
		}
		if best == nil || s > bestScore || (s == bestScore && inc.ID < best.ID) {
			best, bestScore = inc, s
		}
	}
	return best
}

func rangesClose(a, b testigo.Range) bool {
	if a.Max >= b.Min && b.Max >= a.Min {
		return true
	}
	lo, hi := a, b
	if lo.Max > hi.Min {
		lo, hi = b, a
	}
	// Within a factor of two, or a few deaths apart.
	return hi.Min-lo.Max <= 3 || hi.Min <= 2*lo.Max
}

// civilDay returns the day number (days since 1970-01-01) of a date
// written as testigo.DateLayout, and false when s is not such a date,
// exactly as time.Parse with that layout would decide. Score reads two
// dates per comparison, and parsing them with time.Parse dominated
// clustering at scale.
func civilDay(s string) (int64, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	num := func(t string) (int, bool) {
		n := 0
		for i := range len(t) {
			c := t[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(m, y) {
		return 0, false
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400, true
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// sameName reports whether two place names are equal once folded; names
// in plain ASCII, the common case, are compared without building folded
// copies.
func sameName(a, b string) bool {
	if a == b {
		return true
	}
	if ascii(a) && ascii(b) {
		return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
	}
	return foldName(a) == foldName(b)
}

func ascii(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// foldName lower-cases a place name and drops the accents common in Spanish
// names, so that "Culiacán" and "Culiacan" compare equal.
func foldName(s string) string {
	return strings.TrimSpace(strings.ToLower(accentFolder.Replace(s)))
}

// accentFolder is built once: a Replacer is immutable and safe for
// concurrent use, and building one per comparison dominated clustering.
var accentFolder = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n",
	"Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u", "Ñ", "n")

func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKm = 6371.0
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(a)))
}
