package courses

import (
	"context"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// BenchmarkStartAndSubmit measures a learner's full quiz round trip on the
// real database: start an attempt (draw), submit answers, score, check
// completion.
func BenchmarkStartAndSubmit(b *testing.B) {
	db := testdb.New(b)
	svc := NewService(db)
	c, o := mustCourse(b, svc, 0, 0)
	l := mustLearner(b, db, "Bench")
	ctx := context.Background()
	a, err := svc.StartAttempt(ctx, l, c, o.Items[2])
	if err != nil {
		b.Fatal(err)
	}
	answers := allRight(b, svc, a)
	_, _, _ = svc.Submit(ctx, l, a.ID, answers)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a, err := svc.StartAttempt(ctx, l, c, o.Items[2])
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := svc.Submit(ctx, l, a.ID, answers); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreAttempt measures scoring alone, without the database.
func BenchmarkScoreAttempt(b *testing.B) {
	doc, _ := ReadFolder(testFolder(0, 0))
	rev := QuizRevision{Questions: doc.Modules[0].Items[2].Quiz.StoredQuestions()}
	pool := rev.Pool()
	layout := []Slot{{Key: "q1"}, {Key: "q2"}, {Key: "q3"}}
	answers := map[string]Answer{"q1": CorrectAnswer(pool["q1"]), "q2": CorrectAnswer(pool["q2"]), "q3": {Number: "71,5"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ScoreAttempt(pool, layout, answers)
	}
}
