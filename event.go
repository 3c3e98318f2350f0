package testigo

import (
	"fmt"
	"time"
)

// EventType is the kind of event a report describes. The codes are ACLED's
// sub-event types plus codes for covert strike campaigns; they are listed in
// EventTypes.
type EventType string

// The event types testigo codes.
const (
	TypeAirDroneStrike           EventType = "air_drone_strike"
	TypeShellingArtilleryMissile EventType = "shelling_artillery_missile"
	TypeRemoteExplosive          EventType = "remote_explosive"
	TypeSuicideBomb              EventType = "suicide_bomb"
	TypeGrenade                  EventType = "grenade"
	TypeArmedClash               EventType = "armed_clash"
	TypeAttack                   EventType = "attack"
	TypeAbduction                EventType = "abduction"
	TypeSexualViolence           EventType = "sexual_violence"
	TypeGovernmentRegains        EventType = "government_regains_territory"
	TypeNonStateTakeover         EventType = "non_state_takeover"
	TypeMobViolence              EventType = "mob_violence"
	TypeViolentDemonstration     EventType = "violent_demonstration"
	TypeExcessiveForceProtest    EventType = "excessive_force_protest"
	TypeProtestWithIntervention  EventType = "protest_with_intervention"
	TypePeacefulProtest          EventType = "peaceful_protest"
	TypeArrest                   EventType = "arrest"
	TypeLooting                  EventType = "looting"
	TypeDisruptedWeaponsUse      EventType = "disrupted_weapons_use"
	TypeHeadquartersEstablished  EventType = "headquarters_established"
	TypeNonViolentTransfer       EventType = "non_violent_transfer"
	TypeAgreement                EventType = "agreement"
	TypeChangeToGroup            EventType = "change_to_group"
	TypeOther                    EventType = "other"
	TypeVesselStrike             EventType = "vessel_strike"
	TypeGroundRaid               EventType = "ground_raid"
	TypeDeployment               EventType = "deployment"
	TypeOperationPlanning        EventType = "operation_planning"
	TypeOfficialStatement        EventType = "official_statement"
	TypeOrganizedCrime           EventType = "organized_crime"
	TypeNaturalDisaster          EventType = "natural_disaster"
	TypeManMadeDisaster          EventType = "man_made_disaster"
	TypeDiplomaticEvent          EventType = "diplomatic_event"
	TypeAttributionClaim         EventType = "attribution_claim"
)

// EventTypes lists every event type in a fixed order.
var EventTypes = []EventType{
	TypeAirDroneStrike, TypeShellingArtilleryMissile, TypeRemoteExplosive,
	TypeSuicideBomb, TypeGrenade, TypeArmedClash, TypeAttack, TypeAbduction,
	TypeSexualViolence, TypeGovernmentRegains, TypeNonStateTakeover,
	TypeMobViolence, TypeViolentDemonstration, TypeExcessiveForceProtest,
	TypeProtestWithIntervention, TypePeacefulProtest, TypeArrest, TypeLooting,
	TypeDisruptedWeaponsUse, TypeHeadquartersEstablished, TypeNonViolentTransfer,
	TypeAgreement, TypeChangeToGroup, TypeOther, TypeVesselStrike,
	TypeGroundRaid, TypeDeployment, TypeOperationPlanning,
	TypeOfficialStatement, TypeOrganizedCrime, TypeNaturalDisaster,
	TypeManMadeDisaster, TypeDiplomaticEvent, TypeAttributionClaim,
}

// Valid reports whether t is one of EventTypes.
func (t EventType) Valid() bool {
	for _, v := range EventTypes {
		if t == v {
			return true
		}
	}
	return false
}

// Platform is the means by which a strike was carried out.
type Platform string

// The platforms testigo distinguishes.
const (
	PlatformDrone     Platform = "drone"
	PlatformAircraft  Platform = "manned_aircraft"
	PlatformMissile   Platform = "missile"
	PlatformArtillery Platform = "artillery"
	PlatformGround    Platform = "ground"
	PlatformVessel    Platform = "vessel"
	PlatformUnknown   Platform = "unknown"
)

// Range is an inclusive count range, such as "between 3 and 5 killed".
// A point figure has Min == Max.
type Range struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// String formats the range as "3" or "3–5".
func (r Range) String() string {
	if r.Min == r.Max {
		return fmt.Sprint(r.Min)
	}
	return fmt.Sprintf("%d–%d", r.Min, r.Max)
}

// Place is where an event happened, as precisely as the text says.
type Place struct {
	Country  string   `json:"country"`  // ISO 3166-1 alpha-2
	Admin1   string   `json:"admin1"`   // state, province, governorate
	Admin2   string   `json:"admin2"`   // municipality, district, agency
	Location string   `json:"location"` // named place: town, village, site
	Lat      *float64 `json:"lat"`
	Lon      *float64 `json:"lon"`
}

// ActorRole is what an actor did in an event.
type ActorRole string

// The roles an actor can have.
const (
	RolePerpetrator ActorRole = "perpetrator"
	RoleTarget      ActorRole = "target"
	RoleReporter    ActorRole = "reporter"
	RoleMentioned   ActorRole = "mentioned"
)

// Actor is a party named in a report, normalised to the actor dictionary
// where possible.
type Actor struct {
	Name    string    `json:"name"`              // normalised name, e.g. "CIA"
	Group   string    `json:"group,omitempty"`   // e.g. "United States"
	Role    ActorRole `json:"role"`              // perpetrator, target, reporter
	Mention string    `json:"mention,omitempty"` // the words in the text
}

// Attribution says who reports a claim: named officials, agencies, outlets or
// anonymous sources, such as "two current and two former US officials".
type Attribution struct {
	Text      string `json:"text"`            // the words in the text
	Kind      string `json:"kind"`            // official, agency, media, witness, source
	Count     int    `json:"count,omitempty"` // number of people, when stated
	Anonymous bool   `json:"anonymous"`
}

// Span is a byte range [Start, End) in a document's text together with the
// text it covers.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Quote string `json:"quote"`
	// Basis says where a value without words of its own comes from: "" for
	// the quoted text, "published" for a date taken from the document's
	// publication date (then the span is empty).
	Basis string `json:"basis,omitempty"`
}

// Evidence maps a field name ("type", "date", "killed", "country", …) to the
// span of text that supports it.
type Evidence map[string]Span

// Modality says whether the text reports an event as having happened.
type Modality string

// The modalities the extractor distinguishes.
const (
	Asserted Modality = "asserted" // reported as having happened
	Planned  Modality = "planned"  // planned, considered, threatened
	Denied   Modality = "denied"   // denied by someone
)

// Event is what the extractor reads out of one text about one event. Every
// non-empty field has a span in Evidence.
type Event struct {
	Type        EventType     `json:"type"`
	Date        string        `json:"date"` // YYYY-MM-DD, empty if unknown
	Place                     // country, admin units, location, coordinates
	Killed      *Range        `json:"killed"`
	Injured     *Range        `json:"injured"`
	Actors      []Actor       `json:"actors"`
	Platform    Platform      `json:"platform"`
	Attribution []Attribution `json:"attribution"`
	Modality    Modality      `json:"modality,omitempty"`
	Evidence    Evidence      `json:"evidence"`
}

// DateLayout is the layout of Event.Date and Incident.Date.
const DateLayout = "2006-01-02"

// Day parses the event's date. It returns the zero time if the date is unknown
// or malformed.
func (e *Event) Day() time.Time {
	t, err := time.Parse(DateLayout, e.Date)
	if err != nil {
		return time.Time{}
	}
	return t
}

// ReportID identifies a Report in the store.
type ReportID int64

// Report is what one document says about one event: an Event tied to the
// document it was read from and, once clustered, to an incident.
type Report struct {
	ID               ReportID
	DocumentID       DocumentID
	Index            int        // position of the event within the document, 0 = main event
	IncidentID       IncidentID // zero until attached
	Event                       // the extracted fields and their evidence
	ExtractorVersion string
	CreatedAt        time.Time
}
