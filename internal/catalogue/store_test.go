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

func (f *fakeRegister) add(number, kind, name string, holder int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.certs == nil {
		f.certs = map[string]fakeCert{}
	}
	f.certs[number] = fakeCert{CertifiedRecord{Number: number, Kind: kind, Title: "Gecertificeerd " + kind, HolderName: name}, holder}
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

// fakeLearning knows which users completed which course, and the courses' authors.
type fakeLearning struct {
	mu      sync.Mutex
	done    map[string]bool
	courses map[string]Course
}

func (f *fakeLearning) CourseCompletion(_ context.Context, user int64, slug string) (time.Time, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return time.Now(), f.done[fmt.Sprintf("%d/%s", user, slug)], nil
}

func (f *fakeLearning) Course(_ context.Context, slug string) (Course, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.courses[slug]
	return c, ok, nil
}

func (f *fakeLearning) complete(user int64, slug string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.done[fmt.Sprintf("%d/%s", user, slug)] = true
}

type noMetrics struct{}

func (noMetrics) CourseCompletionsPerMonth(context.Context, time.Time, time.Time) ([]MonthCount, error) {
	return nil, nil
}
func (noMetrics) CertificatesPerMonth(context.Context, string, time.Time, time.Time) ([]MonthCount, error) {
	return nil, nil
}
func (noMetrics) ValidCertificates(context.Context) (map[string]int, error) { return nil, nil }
func (noMetrics) MembersPerMonth(context.Context, time.Time, time.Time) ([]MonthCount, error) {
	return nil, nil
}
func (noMetrics) MemberCount(context.Context) (int, error) { return 0, nil }

type grants struct{}

func (grants) GrantRole(ctx context.Context, db bun.IDB, user int64, role string) error {
	return accounts.NewStore(db).GrantRole(ctx, user, role)
}

type fixture struct {
	db    *bun.DB
	svc   *Service
	reg   *fakeRegister
	learn *fakeLearning
	n     int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.New(t)
	f := &fixture{db: db, reg: &fakeRegister{}, learn: &fakeLearning{done: map[string]bool{}, courses: map[string]Course{}}}
	f.svc = NewService(db, Deps{Register: f.reg, Learning: f.learn, Metrics: noMetrics{}, Roles: grants{}, BaseURL: "https://gids.example"})
	return f
}

// user registers a user with email (generated when "") and returns it as an actor.
func (f *fixture) user(t *testing.T, email string, roles ...string) Actor {
	t.Helper()
	f.n++
	if email == "" {
		email = fmt.Sprintf("u%d@test.example", f.n)
	}
	u, err := accounts.NewService(f.db, false).Register(context.Background(), accounts.NewUser{
		Name: fmt.Sprintf("Gebruiker %d", f.n), Email: email, Password: "een-lang-testwachtwoord-42", Roles: roles})
	if err != nil {
		t.Fatal(err)
	}
	return Actor{ID: u.ID, Name: u.Name, Email: u.Email, Manager: slices.Contains(roles, "org_manager")}
}

// provider creates an approved listing owned by owner.
func (f *fixture) provider(t *testing.T, owner int64, kind string) *Provider {
	t.Helper()
	f.n++
	p := &Provider{Kind: kind, Name: fmt.Sprintf("Aanbieder %d", f.n), Description: "Een aanbieder om mee te testen.",
		ContactEmail: "a@test.example", Provinces: []string{"utrecht"}, QualityMarks: []string{}, Status: "approved"}
	if err := f.svc.st.createProvider(context.Background(), p, owner); err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) offering(t *testing.T, owner, provider int64, title string, themes []string) *Offering {
	t.Helper()
	o := &Offering{ProviderID: provider, Kind: "training", Title: title, Description: "Een beschrijving van het aanbod.", Themes: themes,
		Provinces: []string{"utrecht"}, Format: "online", StudyHours: 8, PriceExclCents: 50000, PriceInclCents: 50000, Language: "nl"}
	if err := f.svc.CreateOffering(context.Background(), owner, o); err != nil {
		t.Fatal(err)
	}
	return o
}

func review(overall int) ReviewInput {
	return ReviewInput{Overall: overall, Content: overall, Applicability: overall, Teacher: overall, Value: overall,
		Body: "Een review die lang genoeg is om aan de minimale lengte van vijftig tekens te voldoen."}
}

func search(t *testing.T, s *Service, query string) Results {
	t.Helper()
	v, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	flt, problems := ParseFilter(v, HTMLParams)
	if len(problems) > 0 {
		t.Fatalf("problems for %q: %v", query, problems)
	}
	res, err := s.st.search(context.Background(), flt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
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
		{"q=webcaer&precies=1", nil, func(f Filter) bool { return f.Exact }},
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

func TestTokensAndVariants(t *testing.T) {
	if got := tokens("Werken 2.0, Cursussen; cursussen. Şükrü"); !slices.Equal(got, []string{"werken", "2.0", "cursussen", "şükrü"}) {
		t.Errorf("tokens %q", got)
	}
	for w, want := range map[string]string{"cursussen": "cursus", "trainingen": "", "webcare": "", "bussen": "bus"} {
		if got := variant(w); got != want {
			t.Errorf("variant(%q) = %q, want %q", w, got, want)
		}
	}
}

// The stored ranking (computed by the database) and the one the pages
// explain (rating.go) are the same numbers: weights and prior agree.
func TestRating_SameAsDatabase(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := f.user(t, "")
	p := f.provider(t, owner.ID, "institute")
	o := f.offering(t, owner.ID, p.ID, "Rangorde", []string{"webcare"})
	scores := []int{5, 4, 2, 5, 3}
	for i, s := range scores {
		u := f.user(t, "")
		if i%2 == 0 {
			if _, err := f.db.NewRaw("INSERT INTO catalogue_participations (offering_id, email, user_id, confirmed_at) VALUES (?, ?, ?, now())", o.ID, u.Email, u.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.SubmitReview(ctx, u.ID, o.ID, review(s), false); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.svc.st.offering(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Verified: 5, 2, 3 (weight 1); not: 4, 5 (weight 0.5).
	want := Bayesian(5+2+3+UnverifiedWeight*(4+5), 3+2*UnverifiedWeight)
	agg, _ := f.svc.st.offeringAggregate(ctx, o.ID)
	if math.Abs(got.RatingBayes-want) > 0.0005 || math.Abs(agg.Bayes-want) > 1e-9 || got.VerifiedCount != 3 || got.ReviewCount != 5 {
		t.Fatalf("stored %v (%d of %d verified), aggregate %v, want %v", got.RatingBayes, got.VerifiedCount, got.ReviewCount, agg.Bayes, want)
	}
}

// Counts and ranking follow a deleted account and moderation at once.
func TestRatings_FollowDeletionAndModeration(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner, admin := f.user(t, ""), f.user(t, "")
	p := f.provider(t, owner.ID, "institute")
	o := f.offering(t, owner.ID, p.ID, "Te volgen aanbod", []string{"webcare"})
	good, bad := f.user(t, ""), f.user(t, "")
	if _, err := f.svc.SubmitReview(ctx, good.ID, o.ID, review(5), false); err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.SubmitReview(ctx, bad.ID, o.ID, review(1), false)
	if err != nil {
		t.Fatal(err)
	}
	state := func() (int, float64) {
		got, _ := f.svc.st.offering(ctx, o.ID)
		return got.ReviewCount, got.RatingMean
	}
	if n, mean := state(); n != 2 || mean != 3 {
		t.Fatalf("before: %d reviews, mean %v", n, mean)
	}
	if err := f.svc.Moderate(ctx, admin.ID, r.ID, true, "Persoonlijke aanval op de docent."); err != nil {
		t.Fatal(err)
	}
	if n, mean := state(); n != 1 || mean != 5 {
		t.Fatalf("after hiding: %d reviews, mean %v", n, mean)
	}
	if err := f.svc.Moderate(ctx, admin.ID, r.ID, false, "Na overleg toch toegestaan."); err != nil {
		t.Fatal(err)
	}
	if err := accounts.NewStore(f.db).DeleteUser(ctx, good.ID); err != nil {
		t.Fatal(err)
	}
	if n, mean := state(); n != 1 || mean != 1 {
		t.Fatalf("after deleting the account: %d reviews, mean %v", n, mean)
	}
	if res := search(t, f.svc, "minscore=4"); res.Total != 0 {
		t.Fatalf("a deleted account's 5 stars still count in the filters: %d", res.Total)
	}
}

// "Verified participant" needs proof: linking someone else's course
// proves nothing; the provider's own course, a training certificate for
// it, a confirmed participation and a pilot project do.
func TestService_VerifiedNeedsProof(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	author := f.user(t, "")
	f.learn.courses["werken-20-de-basis"] = Course{Slug: "werken-20-de-basis", Title: "Werken 2.0 — de basis"}
	f.learn.courses["eigen-cursus"] = Course{Slug: "eigen-cursus", Title: "Eigen cursus", AuthorID: author.ID}
	learner := f.user(t, "")
	f.learn.complete(learner.ID, "werken-20-de-basis")
	f.learn.complete(learner.ID, "eigen-cursus")

	fraud := f.user(t, "")
	fp := f.provider(t, fraud.ID, "institute")
	linked := f.offering(t, fraud.ID, fp.ID, "Gratis cursus, nu met ons", []string{"webcare"})
	linked.CourseSlug = "werken-20-de-basis"
	if err := f.svc.UpdateOffering(ctx, linked); err != nil {
		t.Fatal(err)
	}
	t.Run("someone else's course proves nothing", func(t *testing.T) {
		r, err := f.svc.SubmitReview(ctx, learner.ID, linked.ID, review(5), false)
		if err != nil || r.Verified {
			t.Fatalf("review %+v, %v: want unverified", r, err)
		}
	})
	t.Run("the provider's own course", func(t *testing.T) {
		ap := f.provider(t, author.ID, "institute")
		own := f.offering(t, author.ID, ap.ID, "Eigen cursus, begeleid", []string{"webcare"})
		own.CourseSlug = "eigen-cursus"
		if err := f.svc.UpdateOffering(ctx, own); err != nil {
			t.Fatal(err)
		}
		if r, err := f.svc.SubmitReview(ctx, learner.ID, own.ID, review(4), false); err != nil || !r.Verified {
			t.Fatalf("review %+v, %v: want verified", r, err)
		}
	})
	t.Run("a training certificate for the course", func(t *testing.T) {
		trainer := f.user(t, "")
		tp := f.provider(t, trainer.ID, "institute")
		o := f.offering(t, trainer.ID, tp.ID, "De basis, met gecertificeerde training", []string{"webcare"})
		o.CourseSlug = "werken-20-de-basis"
		if err := f.svc.UpdateOffering(ctx, o); err != nil {
			t.Fatal(err)
		}
		f.reg.add("W20-OPL-2026-000009-1", "training", "Werken 2.0 – de basis", trainer.ID)
		if err := f.svc.LinkCertificate(ctx, tp, o.ID, "W20-OPL-2026-000009-1"); err != nil {
			t.Fatal(err)
		}
		if r, err := f.svc.SubmitReview(ctx, learner.ID, o.ID, review(4), false); err != nil || !r.Verified {
			t.Fatalf("review %+v, %v: want verified", r, err)
		}
	})
	t.Run("a confirmed participation, also after the review", func(t *testing.T) {
		owner := f.user(t, "")
		p := f.provider(t, owner.ID, "firm")
		o := f.offering(t, owner.ID, p.ID, "Advies met deelnemerslijst", []string{"participatie"})
		taker, stranger := f.user(t, "deelnemer@gemeente.example"), f.user(t, "")
		if r, err := f.svc.SubmitReview(ctx, taker.ID, o.ID, review(5), false); err != nil || r.Verified {
			t.Fatalf("before proof: %+v, %v", r, err)
		}
		added, known, err := f.svc.RegisterParticipants(ctx, owner.ID, o, ParticipantList{Emails: "Deelnemer@Gemeente.example\nander@gemeente.example"})
		if err != nil || added != 2 || known != 0 {
			t.Fatalf("registered %d new, %d known, %v", added, known, err)
		}
		if added, known, _ := f.svc.RegisterParticipants(ctx, owner.ID, o, ParticipantList{Emails: "deelnemer@gemeente.example"}); added != 0 || known != 1 {
			t.Fatalf("again: %d new, %d known", added, known)
		}
		mine, _ := f.svc.MyParticipations(ctx, taker)
		if len(mine) != 1 {
			t.Fatalf("participations %+v", mine)
		}
		if _, err := f.svc.AnswerParticipation(ctx, stranger, mine[0].ID, true); !errors.Is(err, ErrNotFound) {
			t.Fatalf("someone else's participation: %v", err)
		}
		if _, err := f.svc.AnswerParticipation(ctx, taker, mine[0].ID, true); err != nil {
			t.Fatal(err)
		}
		r, _ := f.svc.st.reviewBy(ctx, o.ID, taker.ID)
		if !r.Verified {
			t.Fatal("confirming did not verify the review")
		}
		var mails int
		_ = f.db.NewRaw("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'gids-participation%'").Scan(ctx, &mails)
		if mails != 3 { // two invitations, one confirmation to the provider's owner
			t.Fatalf("%d participation mails", mails)
		}
	})
}

// Identical submissions create one record, also when they arrive at once;
// each caller gets the same id.
func TestService_CreateOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := f.user(t, "")
	p := f.provider(t, owner.ID, "institute")
	ids := make([]int64, 50)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			o := &Offering{ProviderID: p.ID, Kind: "training", Title: "Dubbel geklikt", Description: "Twee keer verstuurd, één keer opgeslagen.",
				Themes: []string{"webcare"}, Provinces: []string{"online"}, Format: "online", StudyHours: 2, Language: "nl"}
			if err := f.svc.CreateOffering(ctx, owner.ID, o); err != nil {
				t.Error(err)
			}
			ids[i] = o.ID
		})
	}
	wg.Wait()
	n, _ := f.db.NewSelect().Table("catalogue_offerings").Where("title = 'Dubbel geklikt'").Count(ctx)
	if n != 1 || slices.ContainsFunc(ids, func(id int64) bool { return id != ids[0] }) {
		t.Fatalf("%d offerings, ids %v", n, ids)
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]int64{"5.400": 540000, "1.250,50": 125050, "1250.5": 125050, "€ 895": 89500, "1.000.000": 100000000,
		"0,99": 99, "12.5": 1250, "5 400": 540000} {
		if got, ok := parseAmount(in); !ok || got != want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"-5", "gratis", "1e9", "NaN", "1.000.001"} {
		if _, ok := parseAmount(in); ok {
			t.Errorf("parseAmount(%q) accepted", in)
		}
	}
}
