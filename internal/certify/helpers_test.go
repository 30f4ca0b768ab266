package certify

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// fakeRecords is a leeromgeving in memory: completions and best scores per
// user, and course titles.
type fakeRecords struct {
	mu          sync.Mutex
	completions map[string]time.Time // "user/course"
	scores      map[string]int       // "user/course/quiz"
	titles      map[string]string
}

func newFakeRecords() *fakeRecords {
	return &fakeRecords{completions: map[string]time.Time{}, scores: map[string]int{}, titles: map[string]string{
		"werken-20-de-basis":  "Werken 2.0 — de basis",
		"handreiking-webcare": "Handreiking webcare",
	}}
}

func (f *fakeRecords) complete(userID int64, course string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.completions[fmt.Sprintf("%d/%s", userID, course)] = at
}

func (f *fakeRecords) score(userID int64, course, quiz string, pct int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scores[fmt.Sprintf("%d/%s/%s", userID, course, quiz)] = pct
}

func (f *fakeRecords) CourseCompletion(_ context.Context, userID int64, slug string) (time.Time, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, ok := f.completions[fmt.Sprintf("%d/%s", userID, slug)]
	return at, ok, nil
}

func (f *fakeRecords) BestQuizScore(_ context.Context, userID int64, course, quiz string) (int, time.Time, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	pct, ok := f.scores[fmt.Sprintf("%d/%s/%s", userID, course, quiz)]
	return pct, time.Date(2026, time.October, 5, 14, 0, 0, 0, time.UTC), ok, nil
}

func (f *fakeRecords) CourseTitle(_ context.Context, slug string) (string, bool, error) {
	t, ok := f.titles[slug]
	return t, ok, nil
}

// testClock is a clock the test moves.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type fixture struct {
	db      *bun.DB
	svc     *Service
	records *fakeRecords
	clock   *testClock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := testdb.New(t)
	f := &fixture{db: db, records: newFakeRecords(), clock: &testClock{now: time.Date(2026, time.November, 22, 10, 0, 0, 0, time.UTC)}}
	f.svc = NewService(db, f.records, Config{BaseURL: "https://leren.example.nl", Now: f.clock.Now})
	return f
}

const testPassword = "een-lang-testwachtwoord-42"

// mustUser creates a user with roles and returns them as an Actor.
func (f *fixture) mustUser(t *testing.T, name, email string, roles ...string) Actor {
	t.Helper()
	u, err := accounts.NewService(f.db, false).Register(context.Background(), accounts.NewUser{
		Name: name, Email: email, Password: testPassword, Roles: roles, NewOrgName: "Organisatie van " + email, NewOrgKind: "gemeente"})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return ActorOf(u.Viewer())
}

// adviserScheme is the shipped adviser scheme: one course, an exam, a CV
// and two practice cases.
func adviserScheme() *Scheme {
	return &Scheme{
		Slug: "gecertificeerd-adviseur", Title: "Gecertificeerd Overheid 2.0-adviseur", Kind: KindAdviser,
		Summary: "Voor adviseurs.", Criteria: "Criteria.", RequiredCourses: []string{"werken-20-de-basis"},
		ExamCourse: "werken-20-de-basis", ExamQuiz: "overheid-20-toets", ExamPassMark: 70,
		Evidence:      []EvidenceItem{{Key: "cv", Label: "Curriculum vitae", Count: 1}, {Key: "praktijkcase", Label: "Praktijkcase", Count: 2}},
		ValidityYears: 3, Active: true,
	}
}

func (f *fixture) mustScheme(t *testing.T, sc *Scheme) *Scheme {
	t.Helper()
	if err := f.svc.SaveScheme(context.Background(), sc); err != nil {
		t.Fatalf("save scheme: %v", err)
	}
	return sc
}

// minimalPDF is a tiny but complete PDF file.
var minimalPDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// mustApproved takes an application of applicant for sc from start to
// approval by assessor, with everything it needs, and returns the certificate.
func (f *fixture) mustApproved(t *testing.T, sc *Scheme, applicant, assessor Actor) *Certificate {
	t.Helper()
	ctx := context.Background()
	for _, c := range sc.RequiredCourses {
		f.records.complete(applicant.ID, c, f.clock.Now().Add(-48*time.Hour))
	}
	if sc.HasExam() {
		f.records.score(applicant.ID, sc.ExamCourse, sc.ExamQuiz, 90)
	}
	a, err := f.svc.StartApplication(ctx, applicant, sc.Slug)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	f.mustEvidence(t, applicant, a.ID, sc)
	if sc.Kind == KindTraining {
		if err := f.svc.UpdateDetails(ctx, applicant, a.ID, ApplicationDetails{SubjectName: "Werken 2.0 in de praktijk"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.svc.Submit(ctx, applicant, a.ID, ""); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if err := f.svc.StartReview(ctx, assessor, a.ID); err != nil {
		t.Fatalf("start review: %v", err)
	}
	cert, err := f.svc.Decide(ctx, assessor, a.ID, StateApproved, "Alles in orde, overtuigende praktijkcases.")
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	return cert
}

func (f *fixture) mustEvidence(t *testing.T, applicant Actor, appID int64, sc *Scheme) {
	t.Helper()
	for _, it := range sc.Evidence {
		for i := 0; i < it.Count; i++ {
			if _, err := f.svc.AddEvidence(context.Background(), applicant, appID, it.Key, fmt.Sprintf("%s-%d.pdf", it.Key, i), minimalPDF); err != nil {
				t.Fatalf("evidence %s: %v", it.Key, err)
			}
		}
	}
}
