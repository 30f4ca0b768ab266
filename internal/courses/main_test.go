package courses

import (
	"context"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// mustLearner inserts a user directly (the accounts package sits above this
// one in the test graph) and returns them as a learner.
func mustLearner(t testing.TB, db bun.IDB, name string) Learner {
	t.Helper()
	var id int64
	err := db.NewRaw("INSERT INTO users (email, name, password_hash) VALUES (?, ?, 'x') RETURNING id",
		fmt.Sprintf("%s-%d@test.example", name, time.Now().UnixNano()), name).Scan(context.Background(), &id)
	if err != nil {
		t.Fatal(err)
	}
	return Learner{ID: id, Name: name}
}

// testFolder is a small course: two lessons and a quiz of three questions,
// pass mark 60, at most `attempts` attempts.
func testFolder(attempts, timeLimit int) fstest.MapFS {
	return fstest.MapFS{
		"course.yaml": {Data: []byte("slug: proef\ntitle: Proefcursus\nsummary: Een proef.\nstudy_hours: 1\nmodules:\n" +
			"  - title: Eén\n    items:\n      - lesson: les-1.md\n      - lesson: les-2.md\n      - quiz: toets.yaml\n")},
		"les-1.md": {Data: []byte("---\ntitle: Les één\nminutes: 5\n---\nTekst één.\n")},
		"les-2.md": {Data: []byte("---\ntitle: Les twee\nminutes: 5\n---\nTekst twee <script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>\n")},
		"toets.yaml": {Data: []byte(fmt.Sprintf("title: Toets\npass_mark: 60\nattempts: %d\ntime_limit_minutes: %d\nquestions:\n", attempts, timeLimit) +
			"  - type: truefalse\n    text: Waar?\n    answer: true\n" +
			"  - type: single\n    text: Kies A\n    options:\n      - text: A\n        correct: true\n        feedback: Ja, A.\n      - text: B\n        feedback: Nee.\n" +
			"  - type: numeric\n    text: Hoeveel?\n    answer: 72\n")},
	}
}

// mustCourse imports and publishes the test course.
func mustCourse(t testing.TB, svc *Service, attempts, timeLimit int) (*Course, *Outline) {
	t.Helper()
	doc, err := ReadFolder(testFolder(attempts, timeLimit))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, _, err := svc.Import(ctx, doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetPublished(ctx, c.ID, true); err != nil {
		t.Fatal(err)
	}
	c, _ = svc.store.CourseByID(ctx, c.ID)
	o, err := svc.store.Outline(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	return c, o
}

// allRight answers every question of the attempt correctly.
func allRight(t testing.TB, svc *Service, a *Attempt) map[string]Answer {
	t.Helper()
	rev, err := svc.store.Quiz(context.Background(), a.QuizRevisionID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Answer{}
	for _, s := range a.Layout {
		out[s.Key] = CorrectAnswer(rev.Pool()[s.Key])
	}
	return out
}
