package hsds

// The HSDS 3.0 records this package writes, shaped as the Open Referral UK
// API answers them: each JSON name is the HSDS field (and CSV column)
// name, optional fields are left out when empty, and related records nest
// as the UK profile's compiled schemas show them. The CSV export writes the
// same records flat, one table each, with the nested ones in their own
// tables.

// Organization is who runs services: for this directory, the organisation
// named on a partner's listings.
type Organization struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Email       string `json:"email,omitempty"`
	Website     string `json:"website,omitempty"`
	// Services are filled only for the API's full organization.
	Services []*Service `json:"services,omitempty"`
}

// Service is one listing.
type Service struct {
	ID                 string        `json:"id"`
	OrganizationID     string        `json:"organization_id,omitempty"`
	Name               string        `json:"name"`
	Description        string        `json:"description,omitempty"`
	URL                string        `json:"url,omitempty"`
	Email              string        `json:"email,omitempty"`
	Status             string        `json:"status"`
	ApplicationProcess string        `json:"application_process,omitempty"`
	FeesDescription    string        `json:"fees_description,omitempty"`
	Fees               string        `json:"fees,omitempty"`
	MinimumAge         *int          `json:"minimum_age,omitempty"`
	MaximumAge         *int          `json:"maximum_age,omitempty"`
	AssuredDate        string        `json:"assured_date,omitempty"`
	LastModified       string        `json:"last_modified,omitempty"`
	Organization       *Organization `json:"organization,omitempty"`

	ServiceAtLocations []*ServiceAtLocation `json:"service_at_locations,omitempty"`
	Schedules          []*Schedule          `json:"schedules,omitempty"`
	ServiceAreas       []*ServiceArea       `json:"service_areas,omitempty"`
	CostOptions        []*CostOption        `json:"cost_options,omitempty"`
	Contacts           []*Contact           `json:"contacts,omitempty"`
	Phones             []*Phone             `json:"phones,omitempty"`
	Languages          []*Language          `json:"languages,omitempty"`
	Attributes         []*Attribute         `json:"attributes,omitempty"`
}

// ServiceAtLocation links a service to a place where it happens.
type ServiceAtLocation struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id,omitempty"`
	LocationID string    `json:"location_id,omitempty"`
	Location   *Location `json:"location,omitempty"`
	// Service is filled only for the API's service_at_locations answers.
	Service *Service `json:"service,omitempty"`
}

// Location is a place: physical with an address, or virtual (online).
type Location struct {
	ID            string           `json:"id"`
	LocationType  string           `json:"location_type"`
	URL           string           `json:"url,omitempty"`
	Name          string           `json:"name,omitempty"`
	Latitude      *float64         `json:"latitude,omitempty"`
	Longitude     *float64         `json:"longitude,omitempty"`
	Addresses     []*Address       `json:"addresses,omitempty"`
	Accessibility []*Accessibility `json:"accessibility,omitempty"`
}

// Address is a location's postal address.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Schedule is when a service happens, as iCalendar recurrence fields.
type Schedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Freq        string `json:"freq,omitempty"`
	Interval    int    `json:"interval,omitempty"`
	ByDay       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
}

// ServiceArea is the area a service covers.
type ServiceArea struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	// ServiceArea repeats Name for readers of the UK profile, which calls
	// it so.
	ServiceArea string `json:"service_area,omitempty"`
}

// CostOption is what a service costs.
type CostOption struct {
	ID                string   `json:"id"`
	ServiceID         string   `json:"service_id,omitempty"`
	Currency          string   `json:"currency,omitempty"`
	Amount            *float64 `json:"amount,omitempty"`
	AmountDescription string   `json:"amount_description,omitempty"`
}

// Contact is who to get in touch with about a service.
type Contact struct {
	ID        string   `json:"id"`
	ServiceID string   `json:"service_id,omitempty"`
	Name      string   `json:"name,omitempty"`
	Email     string   `json:"email,omitempty"`
	Phones    []*Phone `json:"phones,omitempty"`
}

// Phone is a phone number for a service, through its contact.
type Phone struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	ContactID string `json:"contact_id,omitempty"`
	Number    string `json:"number"`
	Type      string `json:"type,omitempty"`
}

// Language is a language a service is offered in.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
}

// Accessibility is one accessibility feature of a location.
type Accessibility struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id,omitempty"`
	Description string `json:"description,omitempty"`
	Details     string `json:"details,omitempty"`
}

// Attribute links a service to a taxonomy term, with a value for the
// terms of the details taxonomy.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id"`
	TaxonomyTermID string        `json:"taxonomy_term_id"`
	LinkType       string        `json:"link_type"`
	LinkEntity     string        `json:"link_entity"`
	Value          string        `json:"value,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is one category.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    string `json:"parent_id,omitempty"`
	Taxonomy    string `json:"taxonomy,omitempty"`
	TaxonomyID  string `json:"taxonomy_id,omitempty"`
	// Term repeats Code for readers of the UK profile, which calls it so.
	Term string `json:"term,omitempty"`
}

// Taxonomy is a set of terms.
type Taxonomy struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	Description   string          `json:"description"`
	URI           string          `json:"uri,omitempty"`
	Version       string          `json:"version,omitempty"`
	TaxonomyTerms []*TaxonomyTerm `json:"taxonomy_terms,omitempty"`
}
