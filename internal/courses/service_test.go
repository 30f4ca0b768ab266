package courses

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestService_Completion(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	var hooked []Completion
	svc.OnCompletion(func(ctx context.Context, tx bun.IDB, c Completion) error {
		hooked = append(hooked, c)
		return nil
	})
	ctx := context.Background()
	c, o := mustCourse(t, svc, 0, 0)
	l := mustLearner(t, db, "Lotte")
	quiz := o.Items[2]

	for _, it := range o.Items[:2] {
		if err := svc.MarkRead(ctx, l, c, it.ID); err != nil {
			t.Fatal(err)
		}
	}
	// Marking twice changes nothing.
	if err := svc.MarkRead(ctx, l, c, o.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	a, err := svc.StartAttempt(ctx, l, c, quiz)
	if err != nil {
		t.Fatal(err)
	}
	failed, _, err := svc.Submit(ctx, l, a.ID, map[string]Answer{})
	if err != nil || *failed.Passed || *failed.ScorePct != 0 {
		t.Fatalf("empty attempt: %+v, %v", failed, err)
	}
	p, _ := svc.store.Progress(ctx, l.ID, c.ID)
	if p.CompletedAt != nil || p.Percent(o) != 66 {
		t.Fatalf("after a failed quiz: completed %v, %d%%", p.CompletedAt, p.Percent(o))
	}
	a, err = svc.StartAttempt(ctx, l, c, quiz)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Submit(ctx, l, a.ID, allRight(t, svc, a)); err != nil {
		t.Fatal(err)
	}
	p, _ = svc.store.Progress(ctx, l.ID, c.ID)
	if p.CompletedAt == nil || p.Percent(o) != 100 || len(hooked) != 1 || hooked[0].UserName != "Lotte" || hooked[0].CourseSlug != "proef" {
		t.Fatalf("completion %v, %d%%, hooks %+v", p.CompletedAt, p.Percent(o), hooked)
	}
	at := *p.CompletedAt

	// Passing again does not record a second completion.
	a, _ = svc.StartAttempt(ctx, l, c, quiz)
	if _, _, err := svc.Submit(ctx, l, a.ID, allRight(t, svc, a)); err != nil {
		t.Fatal(err)
	}
	if len(hooked) != 1 {
		t.Fatalf("hook ran %d times", len(hooked))
	}

	// The course gains a lesson: the completion and its date stay.
	m, _ := svc.store.ModuleByID(ctx, quiz.ModuleID)
	if _, err := svc.SaveLesson(ctx, m.ID, 0, LessonInput{Slug: "extra", Title: "Extra", Minutes: 3, Body: "Nieuw."}, l.ID); err != nil {
		t.Fatal(err)
	}
	c, _ = svc.store.CourseByID(ctx, c.ID)
	o, _ = svc.store.Outline(ctx, c)
	p, _ = svc.store.Progress(ctx, l.ID, c.ID)
	if len(o.Items) != 4 || p.CompletedAt == nil || !p.CompletedAt.Equal(at) || p.Percent(o) != 100 {
		t.Fatalf("after a new lesson: %d items, completed %v, %d%%", len(o.Items), p.CompletedAt, p.Percent(o))
	}

	t.Run("HookErrorRollsBack", func(t *testing.T) {
		svc.OnCompletion(func(context.Context, bun.IDB, Completion) error { return errors.New("certificaat mislukt") })
		l2 := mustLearner(t, db, "Pech")
		for _, it := range o.Items {
			if it.Kind == KindLesson {
				_ = svc.MarkRead(ctx, l2, c, it.ID)
			}
		}
		a, _ := svc.StartAttempt(ctx, l2, c, quiz)
		if _, _, err := svc.Submit(ctx, l2, a.ID, allRight(t, svc, a)); err == nil {
			t.Fatal("hook error ignored")
		}
		p, _ := svc.store.Progress(ctx, l2.ID, c.ID)
		if p.CompletedAt != nil || p.Passed[quiz.ID] {
			t.Fatal("a failed hook left a completion or a scored attempt behind")
		}
	})
}

// Editing a quiz while an attempt runs: the attempt is scored against the
// revision it started on; the next attempt gets the new one.
func TestService_AttemptKeepsItsRevision(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	ctx := context.Background()
	c, o := mustCourse(t, svc, 0, 0)
	quiz := o.Items[2]
	l := mustLearner(t, db, "Rev")
	a, err := svc.StartAttempt(ctx, l, c, quiz)
	if err != nil {
		t.Fatal(err)
	}
	old := allRight(t, svc, a)

	// The author now makes B the right answer of q2 and 73 that of q3.
	rev, _ := svc.store.Quiz(ctx, a.QuizRevisionID)
	q2 := *rev.Pool()["q2"]
	q2.Options = []Option{{ID: "a", Text: "A"}, {ID: "b", Text: "B", Correct: true}}
	if err := svc.SaveQuestion(ctx, quiz.ID, q2, l.ID); err != nil {
		t.Fatal(err)
	}
	q3 := *rev.Pool()["q3"]
	n := 73.0
	q3.Number = &n
	if err := svc.SaveQuestion(ctx, quiz.ID, q3, l.ID); err != nil {
		t.Fatal(err)
	}
	scored, _, err := svc.Submit(ctx, l, a.ID, old)
	if err != nil {
		t.Fatal(err)
	}
	if *scored.ScorePct != 100 || scored.QuizRevisionID != rev.ID {
		t.Fatalf("scored %v on revision %d, want 100 on %d", *scored.ScorePct, scored.QuizRevisionID, rev.ID)
	}
	c, _ = svc.store.CourseByID(ctx, c.ID)
	o, _ = svc.store.Outline(ctx, c)
	next, err := svc.StartAttempt(ctx, l, c, o.Items[2])
	if err != nil {
		t.Fatal(err)
	}
	if next.QuizRevisionID == rev.ID {
		t.Fatal("a new attempt still uses the old revision")
	}
	again, _, _ := svc.Submit(ctx, l, next.ID, old)
	if *again.ScorePct == 100 {
		t.Fatal("the old answers still score full marks on the new revision")
	}
}

func TestService_ConcurrentSubmitScoresOnce(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	ctx := context.Background()
	c, o := mustCourse(t, svc, 0, 0)
	l := mustLearner(t, db, "Dubbel")

	// Concurrent starts give one attempt.
	var wg sync.WaitGroup
	ids := make([]int64, 8)
	for i := range ids {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			a, err := svc.StartAttempt(ctx, l, c, o.Items[2])
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = a.ID
		}(i)
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent starts gave attempts %v", ids)
		}
	}
	a, _, _ := svc.Attempt(ctx, l, ids[0])
	answers := allRight(t, svc, a)

	var ok, closed int
	var mu sync.Mutex
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := svc.Submit(ctx, l, a.ID, answers)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrAttemptClosed):
				closed++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || closed != 9 {
		t.Fatalf("%d scored, %d refused; want 1 and 9", ok, closed)
	}
	n, _ := db.NewSelect().Table("quiz_attempts").Where("user_id = ? AND submitted_at IS NOT NULL", l.ID).Count(ctx)
	if n != 1 {
		t.Fatalf("%d submitted attempts", n)
	}
	if _, err := svc.SaveAnswers(ctx, l, a.ID, answers); !errors.Is(err, ErrAttemptClosed) {
		t.Fatalf("answers after submission: %v", err)
	}
}

func TestService_TimeLimit(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	svc.Now = func() time.Time { return now }
	ctx := context.Background()
	c, o := mustCourse(t, svc, 0, 10)
	l := mustLearner(t, db, "Tijd")
	a, err := svc.StartAttempt(ctx, l, c, o.Items[2])
	if err != nil {
		t.Fatal(err)
	}
	if a.DeadlineAt == nil || !a.DeadlineAt.Equal(now.Add(10*time.Minute)) {
		t.Fatalf("deadline %v", a.DeadlineAt)
	}
	right := allRight(t, svc, a)
	now = now.Add(9 * time.Minute)
	if _, err := svc.SaveAnswers(ctx, l, a.ID, map[string]Answer{"q1": right["q1"]}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := svc.SaveAnswers(ctx, l, a.ID, right); !errors.Is(err, ErrTimeUp) {
		t.Fatalf("late save: %v, want ErrTimeUp", err)
	}
	got, _, err := svc.Attempt(ctx, l, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SubmittedAt == nil || !got.SubmittedAt.Equal(*a.DeadlineAt) || *got.ScorePct != 33.33 {
		t.Fatalf("closed at %v with %v; want the deadline and only the answer saved in time", got.SubmittedAt, got.ScorePct)
	}

	t.Run("ClosedWhenLearnerComesBack", func(t *testing.T) {
		l := mustLearner(t, db, "Later")
		a, _ := svc.StartAttempt(ctx, l, c, o.Items[2])
		now = now.Add(time.Hour)
		st, err := svc.QuizState(ctx, l, o.Items[2])
		if err != nil || st.Open != nil || st.Used != 1 || len(st.Attempts) != 1 || st.Attempts[0].ID != a.ID {
			t.Fatalf("state %+v, %v", st, err)
		}
	})
}

func TestService_AttemptLimitAndBestCounts(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	ctx := context.Background()
	c, o := mustCourse(t, svc, 2, 0)
	l := mustLearner(t, db, "Limiet")
	quiz := o.Items[2]
	a, _ := svc.StartAttempt(ctx, l, c, quiz)
	if _, _, err := svc.Submit(ctx, l, a.ID, allRight(t, svc, a)); err != nil {
		t.Fatal(err)
	}
	a, _ = svc.StartAttempt(ctx, l, c, quiz)
	if _, _, err := svc.Submit(ctx, l, a.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.StartAttempt(ctx, l, c, quiz); !errors.Is(err, ErrNoAttemptsLeft) {
		t.Fatalf("third start: %v", err)
	}
	st, _ := svc.QuizState(ctx, l, quiz)
	if !st.Passed || st.BestScore != 100 || st.AttemptsLeft() != 0 {
		t.Fatalf("best attempt does not count: %+v", st)
	}
}

func TestService_BadAnswers(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	ctx := context.Background()
	c, o := mustCourse(t, svc, 0, 0)
	l := mustLearner(t, db, "Fout")
	other := mustLearner(t, db, "Ander")
	a, _ := svc.StartAttempt(ctx, l, c, o.Items[2])
	if _, err := svc.SaveAnswers(ctx, l, a.ID, map[string]Answer{"q1": {Value: ptr(true)}}); err != nil {
		t.Fatal(err)
	}
	bad := []map[string]Answer{
		{"q99": {Option: "a"}},                // no such question
		{"q2": {Option: "z"}},                 // no such option
		{"q3": {Number: "twaalf"}},            // not a number
		{"q1": {Value: ptr(false)}, "q9": {}}, // one good, one foreign: nothing saved
	}
	for _, answers := range bad {
		_, err := svc.SaveAnswers(ctx, l, a.ID, answers)
		if _, ok := apperr.AsValidation(err); !ok {
			t.Errorf("%v: err = %v, want a validation error", answers, err)
		}
	}
	got, _, _ := svc.Attempt(ctx, l, a.ID)
	if len(got.Answers) != 1 || !*got.Answers["q1"].Value {
		t.Fatalf("stored answers changed by refused saves: %+v", got.Answers)
	}
	if _, err := svc.SaveAnswers(ctx, other, a.ID, nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another learner's attempt: %v", err)
	}
	if _, _, err := svc.Attempt(ctx, other, a.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another learner reads the attempt: %v", err)
	}
}

func TestService_DraftsHidden(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	ctx := context.Background()
	c, _ := mustCourse(t, svc, 0, 0)
	if err := svc.SetPublished(ctx, c.ID, false); err != nil {
		t.Fatal(err)
	}
	c, _ = svc.store.CourseByID(ctx, c.ID)
	ls, _ := svc.store.Published(ctx, "", 0)
	if len(ls) != 0 {
		t.Fatalf("draft listed: %+v", ls)
	}
	if err := svc.Enrol(ctx, mustLearner(t, db, "X"), c); !errors.Is(err, ErrNotFound) {
		t.Fatalf("enrol in a draft: %v", err)
	}
	author := mustLearner(t, db, "Auteur")
	empty, err := svc.CreateCourse(ctx, CourseInput{Slug: "leeg", Title: "Leeg"}, author.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetPublished(ctx, empty.ID, true); err == nil {
		t.Fatal("an empty course was published")
	}
	if _, err := svc.CreateCourse(ctx, CourseInput{Slug: "leeg", Title: "Nog een"}, author.ID); !errors.Is(err, ErrSlugTaken) {
		t.Fatalf("duplicate slug: %v", err)
	}
}

// Import, export and import again: the same course, no new revisions, and
// learners keep their progress.
func TestService_ImportExportRoundTrip(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	ctx := context.Background()
	c, o := mustCourse(t, svc, 0, 0)
	l := mustLearner(t, db, "Rond")
	if err := svc.MarkRead(ctx, l, c, o.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "export")
	if err := svc.Export(ctx, "proef", dir); err != nil {
		t.Fatal(err)
	}
	doc, err := ReadFolder(os.DirFS(dir))
	if err != nil {
		t.Fatalf("exported folder does not read back: %v", err)
	}
	var before int
	_ = db.NewRaw("SELECT (SELECT count(*) FROM lesson_revisions) + (SELECT count(*) FROM quiz_revisions)").Scan(ctx, &before)
	if _, created, err := svc.Import(ctx, doc, nil); err != nil || created {
		t.Fatalf("re-import: created=%v, %v", created, err)
	}
	var after int
	_ = db.NewRaw("SELECT (SELECT count(*) FROM lesson_revisions) + (SELECT count(*) FROM quiz_revisions)").Scan(ctx, &after)
	if after != before {
		t.Fatalf("re-importing unchanged content made %d new revisions", after-before)
	}
	p, _ := svc.store.Progress(ctx, l.ID, c.ID)
	if !p.Read[o.Items[0].ID] {
		t.Fatal("progress lost by re-import")
	}
	if err := svc.Export(ctx, "proef", dir); err == nil {
		t.Fatal("export into a non-empty folder")
	}
}
