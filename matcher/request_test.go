package matcher_test

import (
	"strings"
	"testing"
	"time"

	"github.com/livingwell/livingwell/data"
	"github.com/livingwell/livingwell/directory"
	"github.com/livingwell/livingwell/matcher"
)

func gazetteer(t *testing.T) *directory.Gazetteer {
	t.Helper()
	g, err := data.Gazetteer()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestRequestParse(t *testing.T) {
	gaz := gazetteer(t)
	three := 3.5
	zero := 0.0
	req := matcher.Request{
		Interests: []string{" gardening ", "Gardening", "football"}, Strengths: []string{"good cook"}, Goals: []string{"relationships"},
		Needs: []string{"money"}, Postcode: "sw9 8ab", MaxDistanceKm: "walking", OnlineOK: true, Days: []string{"Tuesday", "weekends"},
		Times: []string{"mornings", "lunchtime"}, MaxCost: &three, Accessibility: []string{"wheelchair", "hearing-loop"},
		Languages: []string{"Portuguese", "en"}, Age: 34, Format: "1:1", NoReferral: true, Exclude: []string{"abc"}, Limit: 7,
	}
	p, err := req.Parse(gaz)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"repeated interests are dropped and words trimmed", len(p.Interests) == 2 && p.Interests[0] == "gardening"},
		{"the postcode is normalised and placed", p.Postcode == "SW9 8AB" && p.Near != nil},
		{"walking is 1.5 km", p.MaxDistanceKm == 1.5},
		{"days include the weekend", len(p.Days) == 3 && p.Days[0] == time.Tuesday && p.Days[2] == time.Sunday},
		{"times are read", len(p.Times) == 2 && p.Times[0] == matcher.Morning && p.Times[1] == matcher.Afternoon},
		{"the cost is in pence", p.MaxPence == 350 && !p.FreeOnly},
		{"accessibility words are read", len(p.Accessibility) == 2 && p.Accessibility[0] == directory.AccessStepFree},
		{"languages are codes", len(p.Languages) == 2 && p.Languages[0] == "pt" && p.Languages[1] == "en"},
		{"1:1 is one-to-one", p.Format == directory.FormatOneToOne},
		{"the rest is kept", p.Age == 34 && p.NoReferral && p.OnlineOK && len(p.Exclude) == 1 && p.Limit == 7},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: got %+v", c.name, p)
		}
	}

	t.Run("defaults", func(t *testing.T) {
		p, err := (&matcher.Request{Postcode: "SE27", MaxCost: &zero, OnlineOnly: true}).Parse(gaz)
		if err != nil {
			t.Fatal(err)
		}
		if p.MaxDistanceKm != matcher.DefaultDistanceKm || p.Limit != matcher.DefaultLimit || !p.FreeOnly || !p.OnlineOK {
			t.Errorf("got %+v, want a short bus ride, the default limit, free only (max cost 0) and online ok (online only)", p)
		}
	})
}

func TestRequestParseErrors(t *testing.T) {
	gaz := gazetteer(t)
	neg := -1.0
	many := make([]string, matcher.MaxListItems+1)
	for i := range many {
		many[i] = "word"
	}
	tests := []struct {
		name string
		req  matcher.Request
		want string
	}{
		{"unknown postcode district", matcher.Request{Postcode: "ZZ99"}, "postcode"},
		{"not a postcode", matcher.Request{Postcode: "hello there"}, "not a full UK postcode"},
		{"postcode and point", matcher.Request{Postcode: "SW9", Point: &directory.LatLon{Lat: 51.4, Lon: -0.1}}, "not both"},
		{"point off the Earth", matcher.Request{Point: &directory.LatLon{Lat: 91, Lon: 0}}, "not on Earth"},
		{"distance without a place", matcher.Request{MaxDistanceKm: "3"}, "needs a postcode"},
		{"distance in words we do not know", matcher.Request{Postcode: "SW9", MaxDistanceKm: "a fair way"}, "walking, short bus ride"},
		{"distance too far", matcher.Request{Postcode: "SW9", MaxDistanceKm: "500"}, "up to 100 km"},
		{"unknown day", matcher.Request{Days: []string{"funday"}}, "not a day of the week"},
		{"unknown time", matcher.Request{Times: []string{"teatime"}}, "morning, afternoon or evening"},
		{"unknown accessibility", matcher.Request{Accessibility: []string{"lift to the moon"}}, "step-free"},
		{"unknown language", matcher.Request{Languages: []string{"Klingon"}}, "not a language we know"},
		{"unknown format", matcher.Request{Format: "choir"}, "group, one-to-one or either"},
		{"negative cost", matcher.Request{MaxCost: &neg}, "max_cost"},
		{"age too high", matcher.Request{Age: 130}, "age"},
		{"limit too high", matcher.Request{Limit: 51}, "limit should be from 1 to 50"},
		{"too many interests", matcher.Request{Interests: many}, "give at most 20"},
		{"too many days", matcher.Request{Days: many}, "days has 21 items"},
		{"a word too long", matcher.Request{Goals: []string{strings.Repeat("x", 101)}}, "too long"},
		{"too many left out", matcher.Request{Exclude: make([]string, matcher.MaxExclude+1)}, "leave out at most"},
		{"an empty id left out", matcher.Request{Exclude: []string{" "}}, "listing ids"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.req.Parse(gaz)
			if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(directory.ErrorMessage(err), tt.want) {
				t.Errorf("got %v, want EINVALID saying %q", err, tt.want)
			}
		})
	}
}

func TestParseDistance(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"", 0}, {"3", 3}, {"2.5 km", 2.5}, {"2.5km", 2.5}, {"1 mile", 1.609344}, {"walking", 1.5}, {"Walking distance", 1.5},
		{"a short bus ride", 5}, {"short bus ride", 5}, {"bus ride", 8}, {"long bus ride", 15}, {"anywhere", matcher.MaxDistanceKm},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := matcher.ParseDistance(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseDistance(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"far", "-3", "0", "NaN", "Inf", "3 parsecs", "101"} {
		if _, err := matcher.ParseDistance(bad); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("ParseDistance(%q): got %v, want EINVALID", bad, err)
		}
	}
}

func TestParseTimes(t *testing.T) {
	got, err := matcher.ParseTimes([]string{"daytime", "evenings", "Morning"})
	if err != nil {
		t.Fatal(err)
	}
	want := []matcher.PartOfDay{matcher.Morning, matcher.Afternoon, matcher.Evening}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
}

func TestProfileValidate(t *testing.T) {
	tests := []struct {
		name string
		p    matcher.Profile
		want string
	}{
		{"limit", matcher.Profile{Limit: 99}, "limit"},
		{"distance", matcher.Profile{MaxDistanceKm: -1}, "distance"},
		{"day", matcher.Profile{Days: []time.Weekday{9}}, "not a day"},
		{"time", matcher.Profile{Times: []matcher.PartOfDay{"noonish"}}, "part of the day"},
		{"access", matcher.Profile{Accessibility: []directory.Access{"moat"}}, "accessibility"},
		{"format", matcher.Profile{Format: directory.FormatDropIn}, "format"},
		{"empty interest", matcher.Profile{Interests: []string{" "}}, "interests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(directory.ErrorMessage(err), tt.want) {
				t.Errorf("got %v, want EINVALID about %q", err, tt.want)
			}
		})
	}
}
