package exporter

import (
	"strconv"
	"strings"

	"github.com/testigo-project/testigo"
)

// acledType is an event type's place in ACLED's scheme.
type acledType struct {
	disorder, event, sub string
	// ucdp is the UCDP type of violence: 1 state-based, 2 non-state,
	// 3 one-sided, 0 for events UCDP does not count.
	ucdp int
}

// ACLED's disorder and event types.
const (
	political   = "Political violence"
	demos       = "Demonstrations"
	polDemos    = "Political violence; Demonstrations"
	strategic   = "Strategic developments"
	battles     = "Battles"
	explosions  = "Explosions/Remote violence"
	vac         = "Violence against civilians"
	riots       = "Riots"
	protests    = "Protests"
	otherSubEvt = "Other"
)

// acledTypes maps every testigo event type to ACLED's scheme; the package
// comment lists it in words.
var acledTypes = map[testigo.EventType]acledType{
	testigo.TypeAirDroneStrike:           {political, explosions, "Air/drone strike", 1},
	testigo.TypeShellingArtilleryMissile: {political, explosions, "Shelling/artillery/missile attack", 1},
	testigo.TypeRemoteExplosive:          {political, explosions, "Remote explosive/landmine/IED", 1},
	testigo.TypeSuicideBomb:              {political, explosions, "Suicide bomb", 1},
	testigo.TypeGrenade:                  {political, explosions, "Grenade", 1},
	testigo.TypeArmedClash:               {political, battles, "Armed clash", 1},
	testigo.TypeGovernmentRegains:        {political, battles, "Government regains territory", 1},
	testigo.TypeNonStateTakeover:         {political, battles, "Non-state actor overtakes territory", 1},
	testigo.TypeAttack:                   {political, vac, "Attack", 3},
	testigo.TypeAbduction:                {political, vac, "Abduction/forced disappearance", 3},
	testigo.TypeSexualViolence:           {political, vac, "Sexual violence", 3},
	testigo.TypeMobViolence:              {political, riots, "Mob violence", 2},
	testigo.TypeViolentDemonstration:     {demos, riots, "Violent demonstration", 2},
	testigo.TypeExcessiveForceProtest:    {polDemos, protests, "Excessive force against protesters", 3},
	testigo.TypeProtestWithIntervention:  {demos, protests, "Protest with intervention", 0},
	testigo.TypePeacefulProtest:          {demos, protests, "Peaceful protest", 0},
	testigo.TypeArrest:                   {strategic, strategic, "Arrests", 0},
	testigo.TypeLooting:                  {strategic, strategic, "Looting/property destruction", 0},
	testigo.TypeDisruptedWeaponsUse:      {strategic, strategic, "Disrupted weapons use", 0},
	testigo.TypeHeadquartersEstablished:  {strategic, strategic, "Headquarters or base established", 0},
	testigo.TypeNonViolentTransfer:       {strategic, strategic, "Non-violent transfer of territory", 0},
	testigo.TypeAgreement:                {strategic, strategic, "Agreement", 0},
	testigo.TypeChangeToGroup:            {strategic, strategic, "Change to group/activity", 0},
	testigo.TypeOther:                    {strategic, strategic, otherSubEvt, 0},
	// testigo's own types.
	testigo.TypeVesselStrike:      {political, explosions, "Air/drone strike", 1},
	testigo.TypeGroundRaid:        {political, battles, "Armed clash", 1},
	testigo.TypeDeployment:        {strategic, strategic, "Change to group/activity", 0},
	testigo.TypeOperationPlanning: {strategic, strategic, otherSubEvt, 0},
	testigo.TypeOfficialStatement: {strategic, strategic, otherSubEvt, 0},
	testigo.TypeOrganizedCrime:    {strategic, strategic, otherSubEvt, 0},
	testigo.TypeNaturalDisaster:   {strategic, strategic, otherSubEvt, 0},
	testigo.TypeManMadeDisaster:   {strategic, strategic, otherSubEvt, 0},
	testigo.TypeDiplomaticEvent:   {strategic, strategic, otherSubEvt, 0},
	testigo.TypeAttributionClaim:  {strategic, strategic, otherSubEvt, 0},
}

// ownType reports whether t is one of testigo's types that ACLED lacks,
// which EventTypes lists after TypeOther.
func ownType(t testigo.EventType) bool {
	other := -1
	for i, v := range testigo.EventTypes {
		if v == testigo.TypeOther {
			other = i
		}
		if v == t {
			return other >= 0 && i > other
		}
	}
	return false
}

// countryInfo is a country's numeric ISO 3166-1 code and ACLED region.
type countryInfo struct {
	iso    int
	region string
}

// countries covers the theatres testigo watches and their neighbours; the
// iso and region columns are empty for other countries.
var countries = map[string]countryInfo{
	"AF": {4, "South Asia"}, "PK": {586, "South Asia"}, "IN": {356, "South Asia"},
	"YE": {887, "Middle East"}, "SY": {760, "Middle East"}, "IQ": {368, "Middle East"},
	"IR": {364, "Middle East"}, "LB": {422, "Middle East"}, "IL": {376, "Middle East"},
	"PS": {275, "Middle East"}, "SA": {682, "Middle East"},
	"SO": {706, "Eastern Africa"}, "KE": {404, "Eastern Africa"}, "ET": {231, "Eastern Africa"},
	"LY": {434, "Northern Africa"},
	"NE": {562, "Western Africa"}, "ML": {466, "Western Africa"}, "NG": {566, "Western Africa"},
	"VE": {862, "South America"}, "CO": {170, "South America"}, "EC": {218, "South America"},
	"PE": {604, "South America"}, "BR": {76, "South America"}, "GY": {328, "South America"},
	"SR": {740, "South America"},
	"MX": {484, "Central America"}, "GT": {320, "Central America"}, "HN": {340, "Central America"},
	"SV": {222, "Central America"}, "NI": {558, "Central America"}, "PA": {591, "Central America"},
	"CR": {188, "Central America"},
	"TT": {780, "Caribbean"}, "DO": {214, "Caribbean"}, "HT": {332, "Caribbean"},
	"CU": {192, "Caribbean"}, "JM": {388, "Caribbean"}, "PR": {630, "Caribbean"},
	"US": {840, "North America"}, "CA": {124, "North America"},
}

// acledColumns are ACLED's columns in ACLED's order, then testigo's.
var acledColumns = []string{
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
	"actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
	"iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
	"source", "source_scale", "notes", "fatalities", "tags", "timestamp",
	"fatalities_min", "fatalities_max", "grade", "review_status", "evidence_url", "log_index",
}

func year(date string) string {
	if len(date) < 4 {
		return ""
	}
	return date[:4]
}

func firstAndRest(names []string) (string, string) {
	if len(names) == 0 {
		return "", ""
	}
	return names[0], strings.Join(names[1:], "; ")
}

func acledRecord(opt Options) func(r *row, rec []string) {
	return func(r *row, rec []string) {
		inc, d := r.inc, r.details
		at := acledTypes[inc.Type]
		cc := inc.Country
		if cc == "" {
			cc = "XX"
		}
		rec[0] = cc + strconv.FormatInt(int64(inc.ID), 10)
		rec[1], rec[2] = inc.Date, year(inc.Date)
		if inc.Date != "" {
			rec[3] = "1"
		}
		rec[4], rec[5], rec[6] = at.disorder, at.event, at.sub
		rec[7], rec[8] = firstAndRest(d.perpetrators)
		rec[10], rec[11] = firstAndRest(d.targets)
		// inter1, inter2, interaction (9, 12, 13): testigo does not
		// classify actors.
		if at.event == vac {
			rec[14] = "Civilian targeting"
		}
		if c, ok := countries[inc.Country]; ok {
			rec[15], rec[16] = strconv.Itoa(c.iso), c.region
		}
		rec[17], rec[18], rec[19] = opt.countryName(inc.Country), inc.Admin1, inc.Admin2
		rec[21] = inc.Location
		if rec[21] == "" {
			rec[21] = firstNonEmpty(inc.Admin2, inc.Admin1, rec[17])
		}
		rec[22], rec[23] = latLon(inc)
		switch {
		case inc.Location != "" && pointOf(inc) != nil:
			rec[24] = "1"
		case inc.Location != "" || inc.Admin2 != "":
			rec[24] = "2"
		default:
			rec[24] = "3"
		}
		rec[25] = strings.Join(d.sources, "; ")
		rec[27] = inc.Title
		rec[28] = "0"
		if inc.Killed != nil {
			rec[28] = strconv.Itoa(inc.Killed.Min)
		}
		if ownType(inc.Type) {
			rec[29] = "testigo_type=" + string(inc.Type)
		}
		rec[30] = strconv.FormatInt(inc.UpdatedAt.Unix(), 10)
		rec[31], rec[32] = rangeMin(inc.Killed), rangeMax(inc.Killed)
		rec[33], rec[34], rec[35], rec[36] = string(inc.Grade), string(inc.Review), r.url, logIndexText(r.logIndex)
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// ucdpColumns are UCDP GED's columns testigo can fill, then log_index.
var ucdpColumns = []string{
	"id", "year", "type_of_violence", "side_a", "side_b", "source_article", "where_prec",
	"country", "adm_1", "adm_2", "latitude", "longitude", "date_start", "date_end", "date_prec",
	"best", "low", "high", "log_index",
}

func ucdpRecord(opt Options) func(r *row, rec []string) {
	return func(r *row, rec []string) {
		inc, d := r.inc, r.details
		at := acledTypes[inc.Type]
		rec[0], rec[1] = strconv.FormatInt(int64(inc.ID), 10), year(inc.Date)
		if at.ucdp != 0 {
			rec[2] = strconv.Itoa(at.ucdp)
		}
		if len(d.perpetrators) > 0 {
			rec[3] = d.perpetrators[0]
		}
		if len(d.targets) > 0 {
			rec[4] = d.targets[0]
		} else if at.ucdp == 3 {
			rec[4] = "Civilians"
		}
		rec[5] = strings.Join(d.articles, "; ")
		switch {
		case inc.Location != "" && pointOf(inc) != nil:
			rec[6] = "1"
		case inc.Admin2 != "":
			rec[6] = "3"
		case inc.Admin1 != "":
			rec[6] = "4"
		case inc.Country != "":
			rec[6] = "6"
		default:
			rec[6] = "7"
		}
		rec[7], rec[8], rec[9] = opt.countryName(inc.Country), inc.Admin1, inc.Admin2
		rec[10], rec[11] = latLon(inc)
		rec[12], rec[13] = inc.Date, inc.Date
		if inc.Date != "" {
			rec[14] = "1"
		}
		rec[15], rec[16], rec[17] = rangeMin(inc.Killed), rangeMin(inc.Killed), rangeMax(inc.Killed)
		rec[18] = logIndexText(r.logIndex)
	}
}
