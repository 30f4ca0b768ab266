package courses

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// Every scored attempt, failed or passed, reaches the score hooks inside the
// scoring transaction, before the completion it causes; a hook error rolls
// the score back.
func TestService_OnAttemptScored(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db)
	var events []string
	var scores []AttemptScore
	svc.OnAttemptScored(func(ctx context.Context, tx bun.IDB, s AttemptScore) error {
		var submitted bool
		if err := tx.NewRaw("SELECT submitted_at IS NOT NULL FROM quiz_attempts WHERE id = ?", s.AttemptID).Scan(ctx, &submitted); err != nil {
			return err
		}
		if !submitted {
			return errors.New("the hook does not see the scored attempt")
		}
		scores = append(scores, s)
		events = append(events, "score")
		return nil
	})
	svc.OnCompletion(func(context.Context, bun.IDB, Completion) error {
		events = append(events, "completion")
		return nil
	})
	ctx := context.Background()
	c, o := mustCourse(t, svc, 0, 0)
	l := mustLearner(t, db, "Score")
	quiz := o.Items[2]
	for _, it := range o.Items[:2] {
		if err := svc.MarkRead(ctx, l, c, it.ID); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := svc.StartAttempt(ctx, l, c, quiz)
	if _, _, err := svc.Submit(ctx, l, a.ID, nil); err != nil {
		t.Fatal(err)
	}
	a2, _ := svc.StartAttempt(ctx, l, c, quiz)
	if _, _, err := svc.Submit(ctx, l, a2.ID, allRight(t, svc, a2)); err != nil {
		t.Fatal(err)
	}
	if len(scores) != 2 || scores[0].Passed || scores[0].ScorePct != 0 || !scores[1].Passed || scores[1].ScorePct != 100 ||
		scores[1].CourseID != c.ID || scores[1].ItemID != quiz.ID || scores[1].UserID != l.ID || scores[1].AttemptID != a2.ID {
		t.Fatalf("scores %+v", scores)
	}
	if got := strings.Join(events, " "); got != "score score completion" {
		t.Fatalf("events %q", got)
	}

	t.Run("HookErrorRollsBack", func(t *testing.T) {
		svc.OnAttemptScored(func(context.Context, bun.IDB, AttemptScore) error { return errors.New("platform kwijt") })
		l2 := mustLearner(t, db, "Pech")
		a, _ := svc.StartAttempt(ctx, l2, c, quiz)
		if _, _, err := svc.Submit(ctx, l2, a.ID, allRight(t, svc, a)); err == nil {
			t.Fatal("hook error ignored")
		}
		st, err := svc.QuizState(ctx, l2, quiz)
		if err != nil || st.Used != 0 || st.Open == nil {
			t.Fatalf("a failed hook left a scored attempt: %+v, %v", st, err)
		}
	})
}
