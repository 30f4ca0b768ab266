package catalogue

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// fakeRegister is the certification register's answers, in memory.
type fakeRegister struct {
	mu    sync.Mutex
	certs map[string]fakeCert
}

type fakeCert struct {
	rec    CertifiedRecord
	holder int64
}

func (f *fakeRegister) add(number, kind string, holder int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.certs == nil {
		f.certs = map[string]fakeCert{}
	}
	f.certs[number] = fakeCert{CertifiedRecord{Number: number, Kind: kind, Title: "Gecertificeerd " + kind, HolderName: "Houder"}, holder}
}

func (f *fakeRegister) revoke(number string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.certs, number)
}

func (f *fakeRegister) ValidCertificates(_ context.Context, users []int64) (map[int64][]CertifiedRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64][]CertifiedRecord{}
	for _, c := range f.certs {
		if slices.Contains(users, c.holder) {
			out[c.holder] = append(out[c.holder], c.rec)
		}
	}
	return out, nil
}

func (f *fakeRegister) ValidCertificate(_ context.Context, number string) (CertifiedRecord, int64, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.certs[number]
	return c.rec, c.holder, ok, nil
}

// fakeLearning knows which users completed which course.
type fakeLearning map[string]bool

func (f fakeLearning) CourseCompletion(_ context.Context, user int64, slug string) (time.Time, bool, error) {
	return time.Now(), f[fmt.Sprintf("%d/%s", user, slug)], nil
}

type noMetrics struct{}

func (noMetrics) CourseCompletionsPerMonth(context.Context, time.Time, time.Time) ([]MonthCount, error) {
	return []MonthCount{{Month: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Count: 12}}, nil
}
func (noMetrics) CertificatesPerMonth(context.Context, string, time.Time, time.Time) ([]MonthCount, error) {
	return nil, nil
}
func (noMetrics) ValidCertificates(context.Context) (map[string]int, error) {
	return map[string]int{"adviser": 3}, nil
}
func (noMetrics) MembersPerMonth(context.Context, time.Time, time.Time) ([]MonthCount, error) {
	return nil, nil
}
func (noMetrics) MemberCount(context.Context) (int, error) { return 42, nil }

type fixture struct {
	db    *bun.DB
	svc   *Service
	reg   *fakeRegister
	learn fakeLearning
	n     int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.New(t)
	f := &fixture{db: db, reg: &fakeRegister{}, learn: fakeLearning{}}
	f.svc = NewService(db, f.reg, f.learn, noMetrics{})
	return f
}

func (f *fixture) user(t *testing.T) int64 {
	t.Helper()
	f.n++
	u, err := accounts.NewService(f.db, false).Register(context.Background(), accounts.NewUser{
		Name: fmt.Sprintf("Gebruiker %d", f.n), Email: fmt.Sprintf("u%d@test.example", f.n), Password: "een-lang-testwachtwoord-42"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func (f *fixture) provider(t *testing.T, owner int64, kind string, approve bool) *Provider {
	t.Helper()
	f.n++
	p := &Provider{Kind: kind, Name: fmt.Sprintf("Aanbieder %d", f.n), Description: "Een aanbieder om mee te testen.",
		ContactEmail: "a@test.example", Provinces: []string{"utrecht"}, QualityMarks: []string{}}
	if err := f.svc.CreateProvider(context.Background(), owner, p); err != nil {
		t.Fatal(err)
	}
	if approve {
		if err := f.svc.SetProviderStatus(context.Background(), p.ID, "approved"); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func (f *fixture) offering(t *testing.T, owner, provider int64, title, desc string, themes, provinces []string, format string, euros int64) *Offering {
	t.Helper()
	o := &Offering{ProviderID: provider, Kind: "training", Title: title, Description: desc, Themes: themes, Provinces: provinces,
		Format: format, StudyHours: 8, PriceExclCents: euros * 100, VATPercent: 0, PriceInclCents: euros * 100, Language: "nl"}
	if err := f.svc.CreateOffering(context.Background(), owner, o); err != nil {
		t.Fatal(err)
	}
	return o
}

func review(overall int) ReviewInput {
	return ReviewInput{Overall: overall, Content: overall, Applicability: overall, Teacher: overall, Value: overall,
		Body: "Een review die lang genoeg is om aan de minimale lengte van vijftig tekens te voldoen."}
}

func search(t *testing.T, s *Store, query string) Results {
	t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	flt, problems := ParseFilter(v, HTMLParams)
	if len(problems) > 0 {
		t.Fatalf("problems for %q: %v", query, problems)
	}
	res, err := s.Search(context.Background(), flt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func titles(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Title
	}
	return out
}

func TestStore_Search(t *testing.T) {
	f := newFixture(t)
	owner := f.user(t)
	p := f.provider(t, owner, "institute", true)
	f.offering(t, owner, p.ID, "Training webcare voor gemeenten", "Reageren op inwoners via sociale media.", []string{"webcare"}, []string{"utrecht"}, "klassikaal", 500)
	f.offering(t, owner, p.ID, "Leiderschap in netwerken", "Sturen op vertrouwen; een training voor leidinggevenden.", []string{"leiderschap"}, []string{"gelderland", "online"}, "online", 1200)
	f.offering(t, owner, p.ID, "Open data publiceren", "Datasets publiceren met een open licentie.", []string{"open-data"}, []string{"online"}, "online", 300)
	hidden := f.provider(t, owner, "firm", false)
	f.offering(t, owner, hidden.ID, "Webcare voor provincies", "Nog niet goedgekeurd.", []string{"webcare"}, []string{"utrecht"}, "klassikaal", 100)

	tests := []struct {
		name, query string
		want        []string
	}{
		{"Dutch stemming: trainingen finds training", "q=trainingen", []string{"Training webcare voor gemeenten", "Leiderschap in netwerken"}},
		{"typo tolerance", "q=webcaer", []string{"Training webcare voor gemeenten"}},
		{"title outranks description", "q=training&sorteer=relevantie", []string{"Training webcare voor gemeenten", "Leiderschap in netwerken"}},
		{"theme filter", "thema=open-data", []string{"Open data publiceren"}},
		{"province filter any of", "provincie=utrecht&provincie=gelderland&sorteer=prijs", []string{"Training webcare voor gemeenten", "Leiderschap in netwerken"}},
		{"format and max price", "vorm=online&maxprijs=500", []string{"Open data publiceren"}},
		{"price sort", "sorteer=prijs", []string{"Open data publiceren", "Training webcare voor gemeenten", "Leiderschap in netwerken"}},
		{"unapproved provider not listed", "q=provincies", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, f.svc.Store, tt.query)
			got := titles(res.Hits)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("%s: got %q, want %q", tt.query, got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Fatalf("total %d, want %d", res.Total, len(tt.want))
			}
		})
	}

	t.Run("facet counts agree with results", func(t *testing.T) {
		base := "provincie=online"
		res := search(t, f.svc.Store, base)
		for _, fc := range res.Facets.Themes {
			with := search(t, f.svc.Store, base+"&thema="+fc.Value)
			if with.Total != fc.Count {
				t.Errorf("theme %s: facet %d, results %d", fc.Value, fc.Count, with.Total)
			}
		}
		for _, fc := range res.Facets.Formats {
			with := search(t, f.svc.Store, base+"&vorm="+fc.Value)
			if with.Total != fc.Count {
				t.Errorf("format %s: facet %d, results %d", fc.Value, fc.Count, with.Total)
			}
		}
		// A facet of the selected dimension counts as if that filter were not set.
		sel := search(t, f.svc.Store, "thema=webcare")
		for _, fc := range sel.Facets.Themes {
			if fc.Value == "leiderschap" && fc.Count != 1 {
				t.Errorf("leiderschap facet with webcare selected = %d, want 1", fc.Count)
			}
		}
	})

	t.Run("page beyond the end is clamped", func(t *testing.T) {
		res := search(t, f.svc.Store, "pagina=9999")
		if res.Page != 1 || len(res.Hits) != 3 {
			t.Fatalf("page %d with %d hits", res.Page, len(res.Hits))
		}
	})
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		query    string
		problems []string
		check    func(Filter) bool
	}{
		{"thema=webcare&thema=onzin", []string{"thema"}, func(f Filter) bool { return slices.Equal(f.Themes, []string{"webcare"}) }},
		{"maxprijs=99999999999", nil, func(f Filter) bool { return f.MaxPriceCents == MaxPriceEuros*100 }},
		{"maxprijs=-5", nil, func(f Filter) bool { return f.MaxPriceCents == 0 }},
		{"maxprijs=NaN", []string{"maxprijs"}, func(f Filter) bool { return f.MaxPriceCents == 0 }},
		{"pagina=-3", nil, func(f Filter) bool { return f.Page == 1 }},
		{"pagina=99999999999999999999", nil, func(f Filter) bool { return f.Page == 1 }},
		{"pagina=123456", nil, func(f Filter) bool { return f.Page == 10000 }},
		{"minscore=9", nil, func(f Filter) bool { return f.MinRating == 5 }},
		{"sorteer=willekeurig&q=x", []string{"sorteer"}, func(f Filter) bool { return f.Sort == "relevance" }},
		{"gecertificeerd=misschien", []string{"gecertificeerd"}, func(f Filter) bool { return !f.CertifiedOnly }},
		{"", nil, func(f Filter) bool { return f.Sort == "rating" }},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.query)
		f, problems := ParseFilter(v, HTMLParams)
		var keys []string
		for k := range problems {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, tt.problems) || !tt.check(f) {
			t.Errorf("%q: filter %+v, problems %v", tt.query, f, problems)
		}
	}
}

func TestService_ReviewsAndRatings(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := f.user(t)
	p := f.provider(t, owner, "institute", true)
	a := f.offering(t, owner, p.ID, "Eén perfecte review", "Beschrijving van het aanbod.", []string{"webcare"}, []string{"utrecht"}, "online", 100)
	b := f.offering(t, owner, p.ID, "Veel goede reviews", "Beschrijving van het aanbod.", []string{"webcare"}, []string{"utrecht"}, "online", 100)
	b.CourseSlug = "werken-20-de-basis"
	if err := f.svc.Store.UpdateOffering(ctx, b, owner); err != nil {
		t.Fatal(err)
	}

	if _, err := f.svc.SubmitReview(ctx, f.user(t), a.ID, review(5), false); err != nil {
		t.Fatal(err)
	}
	scores := []int{5, 5, 4, 5, 4, 5, 4, 5, 5, 4}
	var learner int64
	for i, s := range scores {
		u := f.user(t)
		if i == 0 {
			learner = u
			f.learn[fmt.Sprintf("%d/werken-20-de-basis", u)] = true
		}
		if _, err := f.svc.SubmitReview(ctx, u, b.ID, review(s), false); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("aggregate", func(t *testing.T) {
		agg, err := f.svc.Store.OfferingAggregate(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if agg.Count != 10 || math.Abs(agg.Mean-4.6) > 1e-9 || agg.Distribution != [5]int{0, 0, 0, 4, 6} {
			t.Fatalf("aggregate %+v", agg)
		}
		if want := (5*3.5 + 46) / 15; math.Abs(agg.Bayes-want) > 1e-9 {
			t.Fatalf("bayes %v, want %v", agg.Bayes, want)
		}
	})
	t.Run("Bayesian ranking puts many good reviews above one perfect one", func(t *testing.T) {
		res := search(t, f.svc.Store, "sorteer=waardering")
		if got := titles(res.Hits); !slices.Equal(got, []string{"Veel goede reviews", "Eén perfecte review"}) {
			t.Fatalf("order %q", got)
		}
		if got := search(t, f.svc.Store, "minscore=5"); got.Total != 1 {
			t.Fatalf("min rating 5 gives %d", got.Total)
		}
	})
	t.Run("verified participant", func(t *testing.T) {
		r, err := f.svc.Store.ReviewBy(ctx, b.ID, learner)
		if err != nil || !r.Verified {
			t.Fatalf("review of course finisher: %+v, %v", r, err)
		}
	})
	t.Run("own offering refused", func(t *testing.T) {
		if _, err := f.svc.SubmitReview(ctx, owner, a.ID, review(5), false); !errors.Is(err, ErrOwnReview) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("duplicate refused, edit allowed", func(t *testing.T) {
		if _, err := f.svc.SubmitReview(ctx, learner, b.ID, review(1), false); !errors.Is(err, ErrDuplicateReview) {
			t.Fatalf("err = %v", err)
		}
		if _, err := f.svc.SubmitReview(ctx, learner, b.ID, review(1), true); err != nil {
			t.Fatal(err)
		}
		o, _ := f.svc.Store.Offering(ctx, b.ID)
		if o.ReviewCount != 10 || math.Abs(o.RatingMean-4.2) > 1e-9 {
			t.Fatalf("after edit: count %d mean %v", o.ReviewCount, o.RatingMean)
		}
	})
	t.Run("concurrent duplicates: exactly one stored", func(t *testing.T) {
		u := f.user(t)
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.SubmitReview(ctx, u, a.ID, review(3), false)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, ErrDuplicateReview):
				t.Fatalf("unexpected error %v", err)
			}
		}
		n, _ := f.db.NewSelect().Table("catalogue_reviews").Where("offering_id = ? AND user_id = ?", a.ID, u).Count(ctx)
		if ok != 1 || n != 1 {
			t.Fatalf("%d succeeded, %d stored", ok, n)
		}
	})
	t.Run("rate limit", func(t *testing.T) {
		u := f.user(t)
		var last error
		for i := 0; i <= ReviewsPerHour; i++ {
			o := f.offering(t, owner, p.ID, fmt.Sprintf("Aanbod voor spam %d", i), "Beschrijving van het aanbod.", []string{"webcare"}, []string{"utrecht"}, "online", 100)
			_, last = f.svc.SubmitReview(ctx, u, o.ID, review(3), false)
		}
		if !errors.Is(last, ErrReviewSpam) || !errors.Is(last, apperr.ErrTooMany) {
			t.Fatalf("review %d: err = %v", ReviewsPerHour+1, last)
		}
	})
}

func TestService_ModerationAndReplies(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner, other, admin, author := f.user(t), f.user(t), f.user(t), f.user(t)
	p := f.provider(t, owner, "institute", true)
	f.provider(t, other, "institute", true)
	o := f.offering(t, owner, p.ID, "Te modereren aanbod", "Beschrijving van het aanbod.", []string{"webcare"}, []string{"utrecht"}, "online", 100)
	r, err := f.svc.SubmitReview(ctx, author, o.ID, review(1), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SubmitReview(ctx, f.user(t), o.ID, review(5), false); err != nil {
		t.Fatal(err)
	}

	t.Run("reply only by the provider, only once", func(t *testing.T) {
		if err := f.svc.Store.SetReply(ctx, r.ID, other, "Niet mijn review."); !errors.Is(err, ErrForbidden) {
			t.Fatalf("other provider: %v", err)
		}
		if err := f.svc.Store.SetReply(ctx, r.ID, owner, "Dank voor uw feedback."); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Store.SetReply(ctx, r.ID, owner, "Nog een reactie."); !errors.Is(err, ErrReplyExists) {
			t.Fatalf("second reply: %v", err)
		}
	})
	t.Run("report, hide leaves the averages, restore", func(t *testing.T) {
		if isNew, err := f.svc.Store.Report(ctx, r.ID, other, "Dit is geen eerlijke review."); err != nil || !isNew {
			t.Fatalf("report: %v %v", isNew, err)
		}
		if isNew, _ := f.svc.Store.Report(ctx, r.ID, other, "Nog eens gemeld."); isNew {
			t.Fatal("second report by the same user counted")
		}
		q, err := f.svc.Store.ModerationQueue(ctx, 10)
		if err != nil || len(q) != 1 || q[0].Reports != 1 {
			t.Fatalf("queue %+v %v", q, err)
		}
		if err := f.svc.Moderate(ctx, admin, r.ID, true, "kort"); err == nil {
			t.Fatal("short reason accepted")
		}
		if err := f.svc.Moderate(ctx, admin, r.ID, true, "Persoonlijke aanval op de docent."); err != nil {
			t.Fatal(err)
		}
		got, _ := f.svc.Store.Offering(ctx, o.ID)
		if got.ReviewCount != 1 || got.RatingMean != 5 {
			t.Fatalf("after hide: %d reviews, mean %v", got.ReviewCount, got.RatingMean)
		}
		if rs, _ := f.svc.Store.Reviews(ctx, o.ID, 10, 0); len(rs) != 1 {
			t.Fatalf("hidden review still listed: %d", len(rs))
		}
		if err := f.svc.Moderate(ctx, admin, r.ID, false, "Na overleg toch toegestaan."); err != nil {
			t.Fatal(err)
		}
		got, _ = f.svc.Store.Offering(ctx, o.ID)
		if got.ReviewCount != 2 || got.RatingMean != 3 {
			t.Fatalf("after restore: %d reviews, mean %v", got.ReviewCount, got.RatingMean)
		}
	})
}

func TestService_CertificatesAndPilots(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	adviser, stranger, manager := f.user(t), f.user(t), f.user(t)
	p := f.provider(t, adviser, "independent", true)
	o := f.offering(t, adviser, p.ID, "Advies participatie", "Beschrijving van het aanbod.", []string{"participatie"}, []string{"utrecht"}, "incompany", 5000)
	f.reg.add("W20-ADV-2026-000001-1", "adviser", adviser)
	f.reg.add("W20-ADV-2026-000002-2", "adviser", stranger)

	if err := f.svc.LinkCertificate(ctx, adviser, p.ID, 0, "W20-ADV-2026-000002-2"); err == nil {
		t.Fatal("someone else's certificate accepted")
	}
	if err := f.svc.LinkCertificate(ctx, adviser, p.ID, 0, "W20-XXX-0"); err == nil {
		t.Fatal("unknown certificate accepted")
	}
	if err := f.svc.LinkCertificate(ctx, stranger, p.ID, 0, "W20-ADV-2026-000002-2"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-owner: %v", err)
	}
	if err := f.svc.LinkCertificate(ctx, adviser, p.ID, 0, " w20-adv-2026-000001-1 "); err != nil {
		t.Fatal(err)
	}
	if res := search(t, f.svc.Store, "gecertificeerd=1"); res.Total != 1 {
		t.Fatalf("certified only: %d", res.Total)
	}

	pilot := &Pilot{CreatedBy: &manager, Title: "Proefproject participatie", Goal: "Bewoners betrekken bij de wijkaanpak.",
		Theme: "participatie", Province: "utrecht", StartsOn: time.Now(), EndsOn: time.Now().AddDate(0, 6, 0), Budget: "5000-15000"}
	if err := f.svc.Store.CreatePilot(ctx, pilot); err != nil {
		t.Fatal(err)
	}
	cands, err := f.svc.Store.Candidates(ctx, f.reg, pilot, 10)
	if err != nil || len(cands) != 1 || cands[0].Provider.ID != p.ID || !cands[0].ThemeMatch || !cands[0].RegionMatch {
		t.Fatalf("candidates %+v %v", cands, err)
	}
	if err := f.svc.Store.MatchPilot(ctx, pilot.ID, p.ID, manager, 0); !errors.Is(err, ErrPilotState) {
		t.Fatalf("match without interest: %v", err)
	}
	if err := f.svc.ExpressInterest(ctx, adviser, pilot.ID, p.ID, "Ik begeleid dit graag met ervaring in Utrecht."); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Store.MatchPilot(ctx, pilot.ID, p.ID, stranger, 0); !errors.Is(err, ErrPilotState) {
		t.Fatalf("match by someone else: %v", err)
	}
	if err := f.svc.Store.MatchPilot(ctx, pilot.ID, p.ID, manager, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Store.CompletePilot(ctx, pilot.ID, manager, 0); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.SubmitReview(ctx, manager, o.ID, review(4), false)
	if err != nil || !r.Verified {
		t.Fatalf("review after pilot: %+v %v", r, err)
	}
	rep, err := f.svc.BuildReport(ctx, time.Now().Year())
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range rep.Indicators {
		if in.Key == "proefprojecten" && in.Value != 1 {
			t.Fatalf("pilots matched = %v", in.Value)
		}
	}

	t.Run("revoked certificate stops counting when shown", func(t *testing.T) {
		f.reg.revoke("W20-ADV-2026-000001-1")
		cs, err := f.svc.Certificates(ctx, p.ID)
		if err != nil || len(cs) != 0 {
			t.Fatalf("certificates %+v %v", cs, err)
		}
		if res := search(t, f.svc.Store, "gecertificeerd=1"); res.Total != 0 {
			t.Fatalf("certified only after revocation: %d", res.Total)
		}
	})
}
