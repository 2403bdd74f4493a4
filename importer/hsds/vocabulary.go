package hsds

import (
	"github.com/livingwell/livingwell/directory"
)

// The three taxonomies a listing's attributes use.
var (
	// LivingWellTaxonomy holds the directory's own categories.
	LivingWellTaxonomy = Taxonomy{
		ID:          NameUUID("taxonomy\x00living-well"),
		Name:        "Living Well categories",
		Description: "The Living Well network's categories of help and activity, from money and housing to walking groups and volunteering, each serving one or more of the six journey stages.",
		Version:     "1",
	}
	// OtherTaxonomy holds categories kept from imported data that are not
	// Living Well categories.
	OtherTaxonomy = Taxonomy{
		ID:          NameUUID("taxonomy\x00other"),
		Name:        "Other categories",
		Description: "Categories kept from data imported from other directories that are not Living Well categories.",
	}
	// DetailsTaxonomy names the details of a listing that HSDS has no field
	// for; its attributes carry them as values.
	DetailsTaxonomy = Taxonomy{
		ID:          NameUUID("taxonomy\x00details"),
		Name:        "Living Well listing details",
		Description: "Details of a Living Well listing that HSDS has no field for (the partner's reference, summary, journey stages, interests, strengths, formats and how to join), carried as attribute values.",
		Version:     "1",
	}
)

// Detail is one kind of listing detail carried as an attribute value.
type Detail string

// The listing details.
const (
	DetailRef       Detail = "ref"
	DetailSummary   Detail = "summary"
	DetailStage     Detail = "stage"
	DetailInterest  Detail = "interest"
	DetailStrength  Detail = "strength"
	DetailFormat    Detail = "format"
	DetailHowToJoin Detail = "how-to-join"
)

var detailTerms = []struct {
	detail      Detail
	name, about string
}{
	{DetailRef, "Partner's reference", "The partner's own reference for the listing, the same on every upload."},
	{DetailSummary, "Summary", "The listing in one line."},
	{DetailStage, "Journey stage", "A Living Well journey stage the listing serves: basic-needs, coping-recovery, relationships, wellbeing, positive-future or keeping-in-touch."},
	{DetailInterest, "Interest", "Something people who enjoy the listing like."},
	{DetailStrength, "Strength", "A strength the listing uses or builds."},
	{DetailFormat, "Format", "How the listing is run: group, one-to-one or drop-in."},
	{DetailHowToJoin, "How to join", "How to start: drop-in, self-refer or referral."},
}

// DetailCode returns the taxonomy term code of a detail, e.g. "livingwell-interest".
func DetailCode(d Detail) string { return "livingwell-" + string(d) }

// DetailTerms returns the terms of the details taxonomy.
func DetailTerms() []*TaxonomyTerm {
	out := make([]*TaxonomyTerm, len(detailTerms))
	for i, d := range detailTerms {
		out[i] = &TaxonomyTerm{ID: detailTermID(d.detail), Code: DetailCode(d.detail), Term: DetailCode(d.detail), Name: d.name, Description: d.about,
			Taxonomy: DetailsTaxonomy.Name, TaxonomyID: DetailsTaxonomy.ID}
	}
	return out
}

func detailTermID(d Detail) string { return NameUUID("detail\x00" + string(d)) }

// DetailOf returns the detail a term code names, and false for codes that
// are not details.
func DetailOf(code string) (Detail, bool) {
	for _, d := range detailTerms {
		if DetailCode(d.detail) == code {
			return d.detail, true
		}
	}
	return "", false
}

// CategoryTerm returns the taxonomy term of a category code: a Living Well
// term with its label, description and parent, or a term of the other
// categories for a code kept from imported data.
func CategoryTerm(tax *directory.Taxonomy, code string) *TaxonomyTerm {
	t, ok := tax.Term(code)
	if !ok {
		return &TaxonomyTerm{ID: TermUUID(code), Code: code, Term: code, Name: code,
			Description: "A category kept from imported data: " + code + ".", Taxonomy: OtherTaxonomy.Name, TaxonomyID: OtherTaxonomy.ID}
	}
	term := &TaxonomyTerm{ID: TermUUID(t.Code), Code: t.Code, Term: t.Code, Name: t.Label, Description: t.Description,
		Taxonomy: LivingWellTaxonomy.Name, TaxonomyID: LivingWellTaxonomy.ID}
	if term.Description == "" {
		term.Description = t.Label
	}
	if t.Parent != "" {
		term.ParentID = TermUUID(t.Parent)
	}
	return term
}

// LivingWellTerms returns every term of the Living Well taxonomy, in
// taxonomy order.
func LivingWellTerms(tax *directory.Taxonomy) []*TaxonomyTerm {
	var out []*TaxonomyTerm
	for _, t := range tax.Terms() {
		out = append(out, CategoryTerm(tax, t.Code))
	}
	return out
}
