package directory

import (
	"context"
	"reflect"
	"testing"
)

// TestCloneSharesNothing fills every slice of a listing (and the points of
// its locations) and checks that the clone has its own copy of each, so a
// field added to Listing later without a line in clone fails here.
func TestCloneSharesNothing(t *testing.T) {
	l := &Listing{Locations: []Location{{Point: &LatLon{Lat: 1, Lon: 2}}}}
	v := reflect.ValueOf(l).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Slice:
			if f.Len() == 0 {
				f.Set(reflect.Append(f, reflect.Zero(f.Type().Elem())))
			}
		case reflect.Pointer, reflect.Map:
			t.Fatalf("Listing.%s is a %s: teach clone and this test to copy it", v.Type().Field(i).Name, f.Kind())
		}
	}
	c := reflect.ValueOf(l.clone()).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Pointer() == c.Field(i).Pointer() {
			t.Errorf("clone shares Listing.%s with the original", v.Type().Field(i).Name)
		}
	}
	if c.Interface().(Listing).Locations[0].Point == l.Locations[0].Point {
		t.Error("clone shares a location's point with the original")
	}
}

func TestCachedListingsFollowWrites(t *testing.T) {
	ctx := context.Background()
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	l := gardenListing("p", "1", "Allotment club")
	if _, err := d.Apply(ctx, Change{Put: []*Listing{l}}); err != nil {
		t.Fatal(err)
	}
	first, err := d.Listing(ctx, l.ID) // read, and cached
	if err != nil {
		t.Fatal(err)
	}
	first.Name = "changed by a caller"
	first.Locations[0].Point.Lat = 0
	again, _ := d.Listing(ctx, l.ID)
	if again.Name != "Allotment club" || again.Locations[0].Point.Lat == 0 {
		t.Errorf("a caller's change to a listing it was given reached the cache: %+v", again)
	}
	renamed := gardenListing("p", "1", "Allotment and orchard club")
	if _, err := d.Apply(ctx, Change{Put: []*Listing{renamed}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Listing(ctx, l.ID); got.Name != renamed.Name {
		t.Errorf("after an update the cache still gives %q", got.Name)
	}
	if _, err := d.Apply(ctx, Change{Delete: []string{l.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Listing(ctx, l.ID); ErrorCode(err) != ENOTFOUND {
		t.Errorf("after a delete the cache still gives the listing: %v", err)
	}
}
