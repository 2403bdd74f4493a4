package directory

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/paulmach/orb"
)

// Listing is one offer in the directory: an activity, a group, a service or a
// volunteering role, published by one partner. It follows the shape of an
// Open Referral HSDS 3.0 service (with its organization, locations,
// schedules, cost options and attributes) flattened for this product.
type Listing struct {
	ID           string       `json:"id"`
	PartnerID    string       `json:"partner_id"`
	Ref          string       `json:"ref"`
	Organisation Organisation `json:"organisation"`
	Name         string       `json:"name"`
	Summary      string       `json:"summary,omitempty"`
	Description  string       `json:"description"`

	// Categories are taxonomy term codes. Codes that are not in the Living
	// Well taxonomy (for example from an imported HSDS file) are kept as-is.
	Categories []string `json:"categories"`
	// Stages are the journey stages the listing serves. When a partner does
	// not give them they come from the categories' stages.
	Stages    []Stage  `json:"stages,omitempty"`
	Interests []string `json:"interests,omitempty"`
	// Strengths the listing uses or builds, such as "cooking" for a kitchen
	// volunteering role: the "meaningful contribution" outcome.
	Strengths []string `json:"strengths,omitempty"`

	Locations   []Location `json:"locations,omitempty"`
	Online      bool       `json:"online,omitempty"`
	ServiceArea string     `json:"service_area,omitempty"`
	Sessions    []Session  `json:"sessions,omitempty"`
	Cost        Cost       `json:"cost"`
	HowToJoin   JoinMethod `json:"how_to_join,omitempty"`
	// MinAge and MaxAge bound who may come; 0 means no bound.
	MinAge        int       `json:"min_age,omitempty"`
	MaxAge        int       `json:"max_age,omitempty"`
	Accessibility []Access  `json:"accessibility,omitempty"`
	Languages     []string  `json:"languages,omitempty"` // ISO 639-1 codes
	Formats       []Format  `json:"formats,omitempty"`
	Contact       Contact   `json:"contact"`
	Status        Status    `json:"status"`
	LastVerified  time.Time `json:"last_verified"`
	Created       time.Time `json:"created"`
	Updated       time.Time `json:"updated"`
}

// Organisation is who runs a listing (HSDS organization).
type Organisation struct {
	Name    string `json:"name"`
	Website string `json:"website,omitempty"`
}

// Location is a place where a listing happens (HSDS location and address).
type Location struct {
	Name     string  `json:"name,omitempty"`
	Address  string  `json:"address,omitempty"`
	Postcode string  `json:"postcode,omitempty"`
	Point    *LatLon `json:"point,omitempty"`
}

// LatLon is a WGS84 point.
type LatLon struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Orb returns the point as an orb.Point (longitude first).
func (p LatLon) Orb() orb.Point { return orb.Point{p.Lon, p.Lat} }

// Cost says what a listing costs (HSDS cost_option).
type Cost struct {
	Free bool `json:"free"`
	// Pence is the usual amount to pay, in pence; 0 when free or unknown.
	Pence int `json:"pence,omitempty"`
	// Words is the partner's own description, e.g. "£3, free for carers".
	Words string `json:"words,omitempty"`
}

// Contact is how to reach the people running a listing.
type Contact struct {
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Website string `json:"website,omitempty"`
}

// Stage is one of the six Living Well journey stages (DESIGN §2).
type Stage string

// The journey stages.
const (
	StageBasicNeeds     Stage = "basic-needs"
	StageCoping         Stage = "coping-recovery"
	StageRelationships  Stage = "relationships"
	StageWellbeing      Stage = "wellbeing"
	StagePositiveFuture Stage = "positive-future"
	StageKeepingInTouch Stage = "keeping-in-touch"
)

// Stages lists the journey stages in their usual order.
var Stages = []Stage{StageBasicNeeds, StageCoping, StageRelationships, StageWellbeing, StagePositiveFuture, StageKeepingInTouch}

var stageLabels = map[Stage]string{
	StageBasicNeeds:     "Basic needs",
	StageCoping:         "Coping and recovery",
	StageRelationships:  "Relationships",
	StageWellbeing:      "Wellbeing",
	StagePositiveFuture: "Positive future",
	StageKeepingInTouch: "Keeping in touch",
}

// Label returns the stage's name as people read it.
func (s Stage) Label() string { return stageLabels[s] }

// Valid reports whether s is one of the six stages.
func (s Stage) Valid() bool { _, ok := stageLabels[s]; return ok }

// JoinMethod says how a person can start going to a listing.
type JoinMethod string

// The ways to join.
const (
	JoinDropIn    JoinMethod = "drop-in"    // just turn up
	JoinSelfRefer JoinMethod = "self-refer" // get in touch yourself first
	JoinReferral  JoinMethod = "referral"   // another service must introduce you
)

// JoinMethods lists the ways to join, easiest first.
var JoinMethods = []JoinMethod{JoinDropIn, JoinSelfRefer, JoinReferral}

// Valid reports whether j is a known way to join.
func (j JoinMethod) Valid() bool { return slices.Contains(JoinMethods, j) }

// Label returns the way to join in plain words.
func (j JoinMethod) Label() string {
	switch j {
	case JoinDropIn:
		return "Just turn up"
	case JoinSelfRefer:
		return "Get in touch to join"
	case JoinReferral:
		return "Needs an introduction from another service"
	}
	return ""
}

// Access is an accessibility feature of a listing.
type Access string

// The accessibility features.
const (
	AccessStepFree   Access = "step-free"
	AccessToilet     Access = "accessible-toilet"
	AccessHearing    Access = "hearing-loop"
	AccessBSL        Access = "bsl"
	AccessQuiet      Access = "quiet-space"
	AccessLargePrint Access = "large-print"
)

// AccessFeatures lists every accessibility feature.
var AccessFeatures = []Access{AccessStepFree, AccessToilet, AccessHearing, AccessBSL, AccessQuiet, AccessLargePrint}

var accessLabels = map[Access]string{
	AccessStepFree:   "Step-free access",
	AccessToilet:     "Accessible toilet",
	AccessHearing:    "Hearing loop",
	AccessBSL:        "British Sign Language",
	AccessQuiet:      "Quiet space",
	AccessLargePrint: "Large print",
}

// Label returns the feature's name as people read it.
func (a Access) Label() string { return accessLabels[a] }

// Valid reports whether a is a known feature.
func (a Access) Valid() bool { _, ok := accessLabels[a]; return ok }

// Format is how a listing is run.
type Format string

// The formats.
const (
	FormatGroup    Format = "group"
	FormatOneToOne Format = "one-to-one"
	FormatDropIn   Format = "drop-in"
)

// Formats lists every format.
var Formats = []Format{FormatGroup, FormatOneToOne, FormatDropIn}

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return slices.Contains(Formats, f) }

// Label returns the format as people read it.
func (f Format) Label() string {
	switch f {
	case FormatGroup:
		return "Group"
	case FormatOneToOne:
		return "One-to-one"
	case FormatDropIn:
		return "Drop-in"
	}
	return ""
}

// Status says whether a listing is running.
type Status string

// The statuses.
const (
	StatusActive     Status = "active"
	StatusTempClosed Status = "temporarily-closed"
	StatusInactive   Status = "inactive"
)

// Statuses lists every status.
var Statuses = []Status{StatusActive, StatusTempClosed, StatusInactive}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Label returns the status as people read it.
func (s Status) Label() string {
	switch s {
	case StatusActive:
		return "Running"
	case StatusTempClosed:
		return "Temporarily closed"
	case StatusInactive:
		return "No longer running"
	}
	return ""
}

// ListingID returns the stable id of a partner's listing with the given
// reference: the same partner and reference always give the same id, so
// links and shortlists survive re-uploads.
func ListingID(partnerID, ref string) string {
	sum := sha256.Sum256([]byte(partnerID + "\x00" + ref))
	return hex.EncodeToString(sum[:8])
}

// StaleAfter is how long after its last check a listing counts as stale:
// six months, the interval at which the network asks partners to confirm
// their listings.
const StaleAfter = 183 * 24 * time.Hour

// Stale reports whether the listing was last verified more than StaleAfter before now.
func (l *Listing) Stale(now time.Time) bool {
	return !l.LastVerified.IsZero() && now.Sub(l.LastVerified) > StaleAfter
}

// Points returns the listing's located points.
func (l *Listing) Points() []LatLon {
	var pts []LatLon
	for _, loc := range l.Locations {
		if loc.Point != nil {
			pts = append(pts, *loc.Point)
		}
	}
	return pts
}

// OnlineOnly reports whether the listing happens online and nowhere else.
func (l *Listing) OnlineOnly() bool { return l.Online && len(l.Points()) == 0 }

// ServesAge reports whether a person of the given age may come.
func (l *Listing) ServesAge(age int) bool {
	return (l.MinAge == 0 || age >= l.MinAge) && (l.MaxAge == 0 || age <= l.MaxAge)
}

// HasAccess reports whether the listing offers the feature.
func (l *Listing) HasAccess(a Access) bool { return slices.Contains(l.Accessibility, a) }

// HasStage reports whether the listing serves the stage.
func (l *Listing) HasStage(s Stage) bool { return slices.Contains(l.Stages, s) }
