package directory_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/livingwell/livingwell/directory"
)

// fullListing returns a listing with every field set, as a partner's
// upload could make it.
func fullListing(partner, ref string) *directory.Listing {
	return newListing(partner, ref, "Tuesday allotment club", func(l *directory.Listing) {
		l.Organisation = directory.Organisation{Name: "Loughborough Growers", Website: "https://growers.example"}
		l.Summary = "Grow vegetables together on our allotment."
		l.Description = "We meet every Tuesday and on the first Saturday of the month to grow vegetables. Tea and biscuits."
		l.Categories = []string{"community-gardens", "volunteering"}
		l.Stages = []directory.Stage{directory.StageWellbeing, directory.StagePositiveFuture}
		l.Interests = []string{"gardening", "vegetables"}
		l.Strengths = []string{"patience", "practical skills"}
		l.Locations = []directory.Location{
			{Name: "Allotment", Address: "1 Loughborough Road", Postcode: "SW9 7SL", Point: &directory.LatLon{Lat: 51.4665, Lon: -0.1089}},
			{Name: "Greenhouse", Address: "2 Coldharbour Lane", Postcode: "SE5 9NR", Point: &directory.LatLon{Lat: 51.4681, Lon: -0.0993}},
		}
		l.Online = true
		l.ServiceArea = "Lambeth"
		l.Sessions = []directory.Session{
			{Day: time.Tuesday, Start: 10 * 60, End: 12 * 60},
			{Day: time.Saturday, Start: 11 * 60, End: 13*60 + 30, Week: 1},
			{Day: time.Friday, Start: 19 * 60, End: 21 * 60, Week: -1},
		}
		l.Cost = directory.Cost{Pence: 300, Words: "£3, free for carers"}
		l.HowToJoin = directory.JoinDropIn
		l.MinAge, l.MaxAge = 18, 65
		l.Accessibility = []directory.Access{directory.AccessStepFree, directory.AccessToilet}
		l.Languages = []string{"en", "pt"}
		l.Formats = []directory.Format{directory.FormatGroup, directory.FormatDropIn}
		l.Contact = directory.Contact{Phone: "020 7946 0001", Email: "hello@growers.example", Website: "https://growers.example/club"}
		l.LastVerified = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	})
}

// clock is a test clock that can be moved.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// equalListings fails the test, showing both as JSON, when got is not want.
func equalListings(t *testing.T, what string, got, want *directory.Listing) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("%s:\ngot  %s\nwant %s", what, g, w)
	}
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	d := MustOpenDirectory(t, directory.Config{Now: clk.now})

	l := fullListing("growers", "A-1")
	other := newListing("growers", "A-0", "Seed swap")
	elsewhere := newListing("kitchen", "K-1", "Cook and eat")
	mustApply(t, d, directory.Change{Put: []*directory.Listing{l, other, elsewhere}})

	want := *l
	want.Created, want.Updated = clk.t, clk.t
	got, err := d.Listing(ctx, l.ID)
	if err != nil {
		t.Fatalf("Listing: %v", err)
	}
	equalListings(t, "stored listing", got, &want)

	if n, err := d.Count(ctx); err != nil || n != 3 {
		t.Errorf("Count = %d, %v; want 3", n, err)
	}
	mine, err := d.PartnerListings(ctx, "growers")
	if err != nil {
		t.Fatal(err)
	}
	if len(mine) != 2 || mine[0].Ref != "A-0" || mine[1].Ref != "A-1" {
		t.Errorf("PartnerListings(growers) = %v; want A-0 then A-1", refs(mine))
	}
	equalListings(t, "partner listing", mine[1], &want)
	some, err := d.Listings(ctx, []string{elsewhere.ID, "missing", l.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(some) != 2 || some[0].ID != elsewhere.ID || some[1].ID != l.ID {
		t.Errorf("Listings = %v; want the two that exist, in the order asked", refs(some))
	}
	if _, err := d.Listing(ctx, "missing"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("Listing(missing) error = %v; want ENOTFOUND", err)
	}

	t.Run("update keeps Created and sets Updated", func(t *testing.T) {
		created := clk.t
		clk.t = clk.t.Add(48 * time.Hour)
		changed := fullListing("growers", "A-1")
		changed.Name = "Tuesday and Thursday allotment club"
		changed.Created = time.Time{} // an upload does not know it
		mustApply(t, d, directory.Change{PartnerID: "growers", Put: []*directory.Listing{changed}})
		got, err := d.Listing(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Created.Equal(created) || !got.Updated.Equal(clk.t) {
			t.Errorf("after update Created %v Updated %v; want Created %v Updated %v", got.Created, got.Updated, created, clk.t)
		}
		if got.Name != changed.Name {
			t.Errorf("name = %q; want %q", got.Name, changed.Name)
		}
		res := mustSearch(t, d, directory.Query{Text: "thursday allotment"})
		if len(res.Hits) == 0 || res.Hits[0].Listing.ID != l.ID {
			t.Errorf("search after update: %v; want the renamed listing first", hitNames(res))
		}
	})

	t.Run("delete", func(t *testing.T) {
		mustApply(t, d, directory.Change{PartnerID: "growers", Delete: []string{other.ID}})
		if _, err := d.Listing(ctx, other.ID); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("deleted listing still there: %v", err)
		}
		mine, _ := d.PartnerListings(ctx, "growers")
		if len(mine) != 1 {
			t.Errorf("PartnerListings after delete = %v; want only A-1", refs(mine))
		}
		if res := mustSearch(t, d, directory.Query{Text: "seed swap"}); res.Total != 0 {
			t.Errorf("deleted listing still found by search: %v", hitNames(res))
		}
	})
}

func refs(ls []*directory.Listing) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.PartnerID + "/" + l.Ref
	}
	return out
}

func TestApplyKeepsCreatedGiven(t *testing.T) {
	clk := &clock{t: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	d := MustOpenDirectory(t, directory.Config{Now: clk.now})
	l := newListing("p", "1", "Imported listing")
	l.Created = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	mustApply(t, d, directory.Change{Put: []*directory.Listing{l}})
	got, err := d.Listing(context.Background(), l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Created.Equal(l.Created) {
		t.Errorf("Created = %v; want the imported %v kept", got.Created, l.Created)
	}
}

func TestApplyRefusesWithoutStoring(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDirectory(t, directory.Config{})
	a1 := newListing("alpha", "1", "Alpha lunch club")
	b1 := newListing("beta", "1", "Beta walking group")
	mustApply(t, d, directory.Change{Put: []*directory.Listing{a1, b1}})

	bad := newListing("alpha", "3", "Alpha bad one")
	bad.Contact = directory.Contact{}
	tests := []struct {
		name string
		ch   directory.Change
		code string
	}{
		{"put another partner's listing", directory.Change{PartnerID: "alpha", Put: []*directory.Listing{
			newListing("alpha", "2", "Alpha choir"), newListing("beta", "1", "Beta walking group, taken over")}}, directory.EUNAUTHORIZED},
		{"delete another partner's listing", directory.Change{PartnerID: "alpha", Put: []*directory.Listing{newListing("alpha", "2", "Alpha choir")},
			Delete: []string{b1.ID}}, directory.EUNAUTHORIZED},
		{"listing whose id is not its own", directory.Change{PartnerID: "alpha", Put: []*directory.Listing{func() *directory.Listing {
			l := newListing("alpha", "2", "Alpha choir")
			l.ID = b1.ID
			return l
		}()}}, directory.EINVALID},
		{"delete a listing that does not exist", directory.Change{PartnerID: "alpha", Put: []*directory.Listing{newListing("alpha", "2", "Alpha choir")},
			Delete: []string{"0000000000000000"}}, directory.ENOTFOUND},
		{"an invalid listing among valid ones", directory.Change{PartnerID: "alpha", Put: []*directory.Listing{newListing("alpha", "2", "Alpha choir"), bad}}, directory.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := d.Apply(ctx, tt.ch)
			if code := directory.ErrorCode(err); code != tt.code {
				t.Fatalf("Apply error = %v (code %q); want code %q", err, code, tt.code)
			}
			if directory.ErrorMessage(err) == "" {
				t.Error("the error has no message to show")
			}
			if n, _ := d.Count(ctx); n != 2 {
				t.Errorf("Count = %d after a refused change; want 2", n)
			}
			got, err := d.Listing(ctx, b1.ID)
			if err != nil || got.Name != b1.Name || got.PartnerID != "beta" {
				t.Errorf("beta's listing changed by a refused change: %+v, %v", got, err)
			}
			if res := mustSearch(t, d, directory.Query{Text: "choir"}); res.Total != 0 {
				t.Errorf("a refused change reached the index: %v", hitNames(res))
			}
		})
	}
}
