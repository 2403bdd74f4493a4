package directory

import (
	"context"
	"fmt"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestIndexOrderFollowsPlaces checks that listings go into the index
// grouped by where they are (placeorder.go), after an import and in a
// rebuild: stored by reference, the listings of three cities come
// interleaved; queued for the index, each city's are together, removals
// first and the listings with no place last.
func TestIndexOrderFollowsPlaces(t *testing.T) {
	d := mustOpen(t, testConfig(t, t.TempDir()))
	defer d.Close()
	cities := []struct {
		name     string
		lat, lon float64
	}{{"london", 51.5, -0.12}, {"leeds", 53.8, -1.55}, {"bristol", 51.45, -2.59}, {"online", 0, 0}}
	var puts []*Listing
	// Ids are hashes: cityOf says where each is.
	cityOf := map[string]string{}
	for i := range 30 {
		c := cities[i%len(cities)]
		l := gardenListing("p1", fmt.Sprintf("%02d-%s", i, c.name), "Garden "+c.name)
		if c.name == "online" {
			l.Locations, l.Online = nil, true
		} else {
			// A few hundred metres apart within the city.
			l.Locations[0].Point = &LatLon{Lat: c.lat + float64(i)*0.001, Lon: c.lon - float64(i)*0.001}
		}
		puts = append(puts, l)
		cityOf[l.ID] = c.name
	}
	ctx := context.Background()
	if _, err := d.Apply(ctx, Change{Put: puts[:20]}); err != nil {
		t.Fatal(err)
	}
	// The next change, queued but not yet indexed: a removal and more
	// listings.
	gen, err := d.ix().generation()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.store.db.Update(func(tx *bolt.Tx) error {
		_, err := writeListings(tx, "", puts[20:], []string{puts[0].ID}, d.now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	queued, err := d.store.pendingSince(gen)
	if err != nil {
		t.Fatal(err)
	}
	if len(queued) != 11 || queued[0] != puts[0].ID {
		t.Fatalf("queued %v: want the removal of %s first, then the 10 new listings", queued, puts[0].ID)
	}
	checkGrouped(t, "queued for the index", queued[1:], cityOf)

	var all []string
	if err := d.store.db.View(func(tx *bolt.Tx) error {
		all, err = idsByPlace(tx.Bucket(bucketListings))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(all) != 29 {
		t.Fatalf("a rebuild takes %d listings, want 29", len(all))
	}
	checkGrouped(t, "in a rebuild", all, cityOf)
}

// checkGrouped fails unless the listings of each city follow each other,
// with the online ones last.
func checkGrouped(t *testing.T, what string, ids []string, cityOf map[string]string) {
	t.Helper()
	city := func(id string) string { return cityOf[id] }
	done := map[string]bool{}
	for i, id := range ids {
		c := city(id)
		if i > 0 && city(ids[i-1]) != c {
			if done[c] {
				t.Fatalf("%s, the listings of %s are not together: %v", what, c, ids)
			}
			done[city(ids[i-1])] = true
		}
	}
	if last := city(ids[len(ids)-1]); last != "online" {
		t.Errorf("%s, the last listing is in %s; want those with no place last: %v", what, last, ids)
	}
}

// TestPlaceKeyKeepsNeighboursNear checks the curve: points a street apart
// are nearer on it than points in two cities.
func TestPlaceKeyKeepsNeighboursNear(t *testing.T) {
	key := func(lat, lon float64) uint64 {
		return placeKey(&Listing{Locations: []Location{{Point: &LatLon{Lat: lat, Lon: lon}}}})
	}
	dist := func(a, b uint64) uint64 { return max(a, b) - min(a, b) }
	brixton, stockwell, leeds := key(51.4626, -0.1155), key(51.4723, -0.1228), key(53.8008, -1.5491)
	if dist(brixton, stockwell) >= dist(brixton, leeds) {
		t.Errorf("Brixton %x is as far from Stockwell %x as from Leeds %x on the curve", brixton, stockwell, leeds)
	}
	if got := placeKey(&Listing{Online: true}); got != ^uint64(0) {
		t.Errorf("a listing with no place has key %x, want the last", got)
	}
	if key(-90, -180) != 0 || key(90, 180) != 1<<48-1 {
		t.Errorf("the corners of the map are %x and %x, want 0 and the last 48-bit key", key(-90, -180), key(90, 180))
	}
}
