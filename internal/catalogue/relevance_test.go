package catalogue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// relevanceCase is a query people type and what they must find at the top.
type relevanceCase struct {
	q string
	// first is the title of the first result; top the set of titles the
	// first len(top) results must be (in any order).
	first string
	top   []string
	// each, when set, must hold for the first n results.
	n    int
	each func(Hit) bool
	// corrected is the query searched instead ("" when none).
	corrected string
	// min is the least number of results.
	min int
}

func kind(k string) func(Hit) bool { return func(h Hit) bool { return h.Kind == k } }
func province(p string) func(Hit) bool {
	return func(h Hit) bool { return slices.Contains(h.Provinces, p) }
}
func theme(th string) func(Hit) bool {
	return func(h Hit) bool { return slices.Contains(h.Themes, th) }
}
func all(fs ...func(Hit) bool) func(Hit) bool {
	return func(h Hit) bool {
		for _, f := range fs {
			if !f(h) {
				return false
			}
		}
		return true
	}
}

var relevanceCases = []relevanceCase{
	{q: "trainingen", top: []string{"Training participatie voor beleidsmakers", "Training sociale media voor raadsgriffies", "Training design thinking voor ambtenaren",
		"Training community management", "Webcare training voor beginners", "Webcare training voor gevorderden"}, n: 40, each: kind("training"), min: 40},
	{q: "training", n: 20, each: kind("training"), min: 40},
	{q: "cursus", top: []string{"Cursus digitale basisvaardigheden voor ambtenaren", "Online cursus veilig samenwerken", "Cursus kennismanagement",
		"Cursus open data voor beginners", "Cursus gespreksleiding voor ambtenaren"}, n: 40, each: kind("training")},
	{q: "cursussen", top: []string{"Cursus digitale basisvaardigheden voor ambtenaren", "Online cursus veilig samenwerken", "Cursus kennismanagement",
		"Cursus open data voor beginners", "Cursus gespreksleiding voor ambtenaren"}, min: 40},
	{q: "opleiding", top: []string{"Opleiding netwerkend werken", "Opleiding samenwerken in de keten"}, n: 40, each: kind("training")},
	{q: "opleidingen", top: []string{"Opleiding netwerkend werken", "Opleiding samenwerken in de keten"}},
	{q: "workshop", top: []string{"Workshop bewonersavond online", "Workshop wijkgesprekken leiden", "Workshop datagedreven werken",
		"Workshop toegankelijke berichten", "Workshop slim online vergaderen", "Workshop kennis delen in kleine teams"}},
	{q: "advies", top: []string{"Advies open overheid en de Woo", "Advies webcare-organisatie"}, n: 18, each: kind("advice")},
	{q: "adviseur", n: 18, each: kind("advice"), min: 18},
	{q: "adviseurs", n: 18, each: kind("advice")},
	{q: "begeleiding", top: []string{"Begeleiding van een proefproject participatie", "Begeleiding dorpsgesprekken"}},
	{q: "coach", n: 10, each: kind("advice")},
	{q: "advies participatie", n: 6, each: all(kind("advice"), theme("participatie"))},
	{q: "adviseur participatie", n: 6, each: all(kind("advice"), theme("participatie"))},
	{q: "training webcare", top: []string{"Webcare training voor beginners", "Webcare training voor gevorderden"}, n: 9, each: all(kind("training"), theme("webcare"))},
	{q: "webcare", n: 10, each: theme("webcare"), min: 10},
	{q: "webcaer", corrected: "webcare", n: 10, each: theme("webcare")},
	{q: "webcare gemeenten", first: "Webcare voor gemeenten"},
	{q: "webcare crisis", top: []string{"Webcare tijdens een crisis", "Webcare bij crisis en calamiteit"}},
	{q: "crisis", top: []string{"Webcare tijdens een crisis", "Webcare bij crisis en calamiteit"}},
	{q: "webcare waterschap", corrected: "webcare waterschappen", first: "Webcare voor waterschappen"},
	{q: "leiderschap", top: []string{"Masterclass leiderschap in netwerken", "Leergang digitaal leiderschap", "Masterclass open leiderschap", "Leiderschap 2.0 voor leidinggevenden"}},
	{q: "leiderchap", corrected: "leiderschap", n: 4, each: theme("leiderschap")},
	{q: "leidinggevenden", top: []string{"Leiderschap 2.0 voor leidinggevenden", "Leergang leidinggeven op afstand"}},
	{q: "masterclass", top: []string{"Masterclass leiderschap in netwerken", "Masterclass open leiderschap"}},
	{q: "leergang", top: []string{"Leergang leidinggeven op afstand", "Leergang digitaal leiderschap"}},
	{q: "open data", top: []string{"Open data publiceren in een dag", "Open data-scan", "Cursus open data voor beginners"}, n: 6, each: theme("open-data")},
	{q: "woo", top: []string{"Actief openbaar maken onder de Woo", "Advies open overheid en de Woo", "E-learning open overheid"}},
	{q: "open overheid", n: 5, each: theme("open-overheid")},
	{q: "e-learning", first: "E-learning open overheid"},
	{q: "sociale media", top: []string{"Sociale media strategisch inzetten", "Schrijven voor sociale media", "Video voor sociale media", "Training sociale media voor raadsgriffies"}},
	{q: "sociale media training", first: "Training sociale media voor raadsgriffies"},
	{q: "kennis delen", top: []string{"Kennis delen in de netwerkorganisatie", "Workshop kennis delen in kleine teams"}},
	{q: "kennisdelen", n: 8, each: theme("kennisdelen")},
	{q: "digitale vaardigheden", first: "Digitale vaardigheden voor teams", n: 6, each: theme("digitale-vaardigheden")},
	{q: "online samenwerken", n: 6, each: theme("online-samenwerken")},
	{q: "participatie", n: 10, each: theme("participatie"), min: 12},
	{q: "partisipatie", corrected: "participatie", n: 10, each: theme("participatie")},
	{q: "netwerkorganisatie", n: 8, each: theme("netwerkorganisatie")},
	{q: "fryslan", n: 6, each: province("friesland")},
	{q: "Fryslân", n: 6, each: province("friesland")},
	{q: "friesland", n: 6, each: province("friesland")},
	{q: "leeuwarden", n: 6, each: province("friesland")},
	{q: "zwolle", n: 5, each: province("overijssel")},
	{q: "participatie den haag", n: 3, each: all(theme("participatie"), province("zuid-holland"))},
	{q: "webcare utrecht", n: 3, each: all(theme("webcare"), province("utrecht"))},
	{q: "groningen", n: 4, each: province("groningen")},
	{q: "limburg cursus", first: "Cursus kennismanagement"},
	{q: "netwerkstad", top: []string{"Participatietraject opzetten", "Leiderschap 2.0 voor leidinggevenden", "Omgevingswet: participatie in de praktijk"}},
	{q: "Netwerkstad Advies", top: []string{"Participatietraject opzetten", "Leiderschap 2.0 voor leidinggevenden", "Omgevingswet: participatie in de praktijk"}},
	{q: "kennislab", top: []string{"Werken 2.0: de basis, begeleid", "Webcare voor gemeenten", "Kennis delen in de netwerkorganisatie"}},
	{q: "werken 2.0", first: "Werken 2.0: de basis, begeleid"},
	{q: "wijkgesprekken", first: "Workshop wijkgesprekken leiden"},
	{q: "bewonersavond", first: "Workshop bewonersavond online"},
	{q: "klantcontactcentrum", first: "Webcare in de praktijk"},
	{q: "design thinking", first: "Training design thinking voor ambtenaren"},
	{q: "datastrategie", first: "Datastrategie voor kleine gemeenten"},
	{q: "algoritmeregister", first: "Algoritmeregister opzetten"},
	{q: "dorpsgesprekken", first: "Begeleiding dorpsgesprekken"},
	{q: "zzp adviseur", n: 5, each: kind("advice")},
	{q: "adviesbureau", n: 10, each: func(h Hit) bool { return h.Provider.Kind == "firm" }},
	{q: "opleidingsinstituut", n: 10, each: func(h Hit) bool { return h.Provider.Kind == "institute" }},
}

// TestRelevance searches the demo Gids as people do and fails when what
// they look for no longer comes first.
func TestRelevance(t *testing.T) {
	if len(relevanceCases) < 40 {
		t.Fatalf("only %d relevance cases", len(relevanceCases))
	}
	f := newFixture(t)
	ctx := context.Background()
	for _, dp := range demoProviders {
		if dp.Owner != "" {
			f.user(t, dp.Owner, "provider")
		}
	}
	for i := range 40 {
		f.user(t, fmt.Sprintf("deelnemer%d@gemeente.example", i))
	}
	for i := range 4 {
		f.user(t, fmt.Sprintf("beheerder%d@gemeente.example", i), "org_manager")
	}
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := SeedDemo(ctx, tx, time.Date(2026, 11, 15, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range relevanceCases {
		t.Run(tc.q, func(t *testing.T) {
			res := search(t, f.svc, "q="+strings.ReplaceAll(tc.q, " ", "+"))
			var titles []string
			for _, h := range res.Hits {
				titles = append(titles, h.Title)
			}
			if res.Corrected != tc.corrected {
				t.Errorf("corrected to %q, want %q", res.Corrected, tc.corrected)
			}
			if res.Total < max(tc.min, 1) {
				t.Fatalf("%d results, want at least %d", res.Total, max(tc.min, 1))
			}
			if tc.first != "" && titles[0] != tc.first {
				t.Errorf("first %q, want %q; got %q", titles[0], tc.first, titles)
			}
			if len(tc.top) > 0 {
				if len(titles) < len(tc.top) {
					t.Fatalf("only %d results: %q", len(titles), titles)
				}
				got := slices.Clone(titles[:len(tc.top)])
				want := slices.Clone(tc.top)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("top %d: %q, want %q", len(tc.top), titles[:len(tc.top)], tc.top)
				}
			}
			if tc.each != nil {
				for i, h := range res.Hits {
					if i >= tc.n {
						break
					}
					if !tc.each(h) {
						t.Errorf("result %d %q (%s, %v, %v) does not fit", i+1, h.Title, h.Kind, h.Themes, h.Provinces)
					}
				}
			}
		})
	}
	t.Run("a word no offering has is left out, not searched", func(t *testing.T) {
		res := search(t, f.svc, "q=participatie+xyzzy")
		if res.Total == 0 || !slices.Equal(res.Unknown, []string{"xyzzy"}) {
			t.Fatalf("%d results, unknown %q", res.Total, res.Unknown)
		}
	})
	t.Run("partial matches come after full ones and say what they miss", func(t *testing.T) {
		res := search(t, f.svc, "q=training+webcare")
		if !res.Partial() || res.Facets.Full == 0 || res.Facets.Full >= res.Total {
			t.Fatalf("full %d of %d", res.Facets.Full, res.Total)
		}
		seenPartial := false
		for _, h := range res.Hits {
			if len(h.Missing) > 0 {
				seenPartial = true
			} else if seenPartial {
				t.Fatalf("full match %q after a partial one", h.Title)
			}
		}
	})
	t.Run("exact search skips the correction", func(t *testing.T) {
		if res := search(t, f.svc, "q=webcaer&precies=1"); res.Total != 0 || res.Corrected != "" {
			t.Fatalf("%d results, corrected %q", res.Total, res.Corrected)
		}
	})
}
