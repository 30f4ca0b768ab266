package courses

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Service holds the learning rules: enrolment, reading, attempts and their
// scoring, and course completion, each write in one transaction.
type Service struct {
	db    *bun.DB
	store *Store
	Now   func() time.Time
	hooks []CompletionHook
	// scored runs when an attempt is scored, inside that transaction.
	scored []ScoreHook
}

// NewService returns the service on db.
func NewService(db *bun.DB) *Service {
	return &Service{db: db, store: NewStore(db), Now: time.Now}
}

// inTx runs fn in a transaction with a store on it.
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx, st *Store) error) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx, s.store.tx(tx)) })
}

// OnCompletion registers fn to run when a learner completes a course, inside
// the transaction that records it.
func (s *Service) OnCompletion(fn CompletionHook) { s.hooks = append(s.hooks, fn) }

// OnAttemptScored registers fn to run when a quiz attempt is scored, inside
// the transaction that records the score (before a completion it causes).
func (s *Service) OnAttemptScored(fn ScoreHook) { s.scored = append(s.scored, fn) }

// Learner is who does something: the logged-in user.
type Learner struct {
	ID   int64
	Name string
}

// Enrol enrols the learner in the published course (idempotent).
func (s *Service) Enrol(ctx context.Context, l Learner, c *Course) error {
	if !c.Published() {
		return ErrNotFound
	}
	return s.store.Enrol(ctx, l.ID, c.ID, s.Now())
}

// MarkRead records that the learner read a lesson (enrolling them when
// needed) and completes the course when that was the last thing to do.
func (s *Service) MarkRead(ctx context.Context, l Learner, c *Course, itemID int64) error {
	if !c.Published() {
		return ErrNotFound
	}
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, st *Store) error {
		kind, err := st.ItemKind(ctx, c.ID, itemID)
		if err != nil {
			return err
		}
		if kind != KindLesson {
			return ErrNotFound
		}
		now := s.Now()
		if err := st.Enrol(ctx, l.ID, c.ID, now); err != nil {
			return err
		}
		if err := st.MarkRead(ctx, l.ID, itemID, now); err != nil {
			return err
		}
		return s.completeIfDone(ctx, tx, st, l, c)
	})
}

// completeIfDone records the completion, once, when every current item of
// the course is done, and runs the completion hooks in the same transaction.
func (s *Service) completeIfDone(ctx context.Context, tx bun.Tx, st *Store, l Learner, c *Course) error {
	total, done, err := st.ItemsDone(ctx, l.ID, c.ID)
	if err != nil {
		return err
	}
	if total == 0 || done < total {
		return nil
	}
	now := s.Now()
	first, err := st.RecordCompletion(ctx, l.ID, c.ID, now)
	if err != nil || !first {
		return err
	}
	comp := Completion{UserID: l.ID, UserName: l.Name, CourseID: c.ID, CourseSlug: c.Slug, CourseTitle: c.Title, CompletedAt: now}
	for _, h := range s.hooks {
		if err := h(ctx, tx, comp); err != nil {
			return fmt.Errorf("courses: completion hook: %w", err)
		}
	}
	return nil
}

// QuizState is a learner's standing on one quiz.
type QuizState struct {
	Revision  *QuizRevision
	Attempts  []Attempt // submitted ones, newest first
	Open      *Attempt
	Used      int
	BestScore float64
	Passed    bool
}

// AttemptsLeft is the number of attempts still allowed, or -1 for unlimited.
func (q *QuizState) AttemptsLeft() int {
	if q.Revision.AttemptsAllowed == 0 {
		return -1
	}
	return max(0, q.Revision.AttemptsAllowed-q.Used)
}

// QuizState loads the learner's attempts on item, first closing an open
// attempt whose time ran out.
func (s *Service) QuizState(ctx context.Context, l Learner, item *OutlineItem) (*QuizState, error) {
	if item.Kind != KindQuiz || item.CurrentRevisionID == nil {
		return nil, ErrNotFound
	}
	if err := s.closeExpired(ctx, l, item.ID); err != nil {
		return nil, err
	}
	rev, err := s.store.Quiz(ctx, *item.CurrentRevisionID)
	if err != nil {
		return nil, err
	}
	st := &QuizState{Revision: rev}
	all, err := s.store.Attempts(ctx, l.ID, item.ID)
	if err != nil {
		return nil, err
	}
	for i := range all {
		a := &all[i]
		if a.SubmittedAt == nil {
			st.Open = a
			continue
		}
		st.Attempts = append(st.Attempts, *a)
		st.Used++
		if a.ScorePct != nil && *a.ScorePct > st.BestScore {
			st.BestScore = *a.ScorePct
		}
		if a.Passed != nil && *a.Passed {
			st.Passed = true
		}
	}
	return st, nil
}

// closeExpired scores the learner's open attempt on item if its time is up.
func (s *Service) closeExpired(ctx context.Context, l Learner, itemID int64) error {
	id, err := s.store.ExpiredAttempt(ctx, l.ID, itemID, s.Now())
	if err != nil || id == 0 {
		return err
	}
	_, _, err = s.Submit(ctx, l, id, nil)
	if errors.Is(err, ErrAttemptClosed) {
		return nil
	}
	return err
}

// StartAttempt returns the learner's open attempt on item, or starts a new
// one within the attempt limit. Two concurrent starts yield one attempt.
func (s *Service) StartAttempt(ctx context.Context, l Learner, c *Course, item *OutlineItem) (*Attempt, error) {
	if !c.Published() {
		return nil, ErrNotFound
	}
	st, err := s.QuizState(ctx, l, item)
	if err != nil {
		return nil, err
	}
	if st.Open != nil {
		return st.Open, nil
	}
	if st.AttemptsLeft() == 0 {
		return nil, ErrNoAttemptsLeft
	}
	rev := st.Revision
	now := s.Now()
	a := &Attempt{UserID: l.ID, ItemID: item.ID, QuizRevisionID: rev.ID, StartedAt: now, Answers: map[string]Answer{},
		Layout: Draw(rev.Questions, rev.Draw, rev.ShuffleQuestions, rev.ShuffleOptions, rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))}
	if rev.TimeLimitSecs > 0 {
		d := now.Add(time.Duration(rev.TimeLimitSecs) * time.Second)
		a.DeadlineAt = &d
	}
	err = s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		if err := st.Enrol(ctx, l.ID, c.ID, now); err != nil {
			return err
		}
		return st.InsertAttempt(ctx, a)
	})
	if isUnique(err) { // a concurrent start won; use its attempt
		st, err := s.QuizState(ctx, l, item)
		if err != nil {
			return nil, err
		}
		if st.Open != nil {
			return st.Open, nil
		}
		return nil, ErrAttemptClosed
	}
	if err != nil {
		return nil, fmt.Errorf("courses: start attempt: %w", err)
	}
	return a, nil
}

// Attempt returns the learner's attempt with id and the revision it runs
// on; another learner's attempt is ErrNotFound.
func (s *Service) Attempt(ctx context.Context, l Learner, id int64) (*Attempt, *QuizRevision, error) {
	a, err := s.store.Attempt(ctx, l.ID, id, false)
	if err != nil {
		return nil, nil, err
	}
	if a.SubmittedAt == nil && a.DeadlineAt != nil && !s.Now().Before(*a.DeadlineAt) {
		if _, _, err := s.Submit(ctx, l, id, nil); err != nil && !errors.Is(err, ErrAttemptClosed) {
			return nil, nil, err
		}
		return s.Attempt(ctx, l, id)
	}
	rev, err := s.store.Quiz(ctx, a.QuizRevisionID)
	if err != nil {
		return nil, nil, err
	}
	return a, rev, nil
}

// checkAnswers refuses answers to questions outside the attempt and
// malformed ones, with a Dutch message per question.
func checkAnswers(a *Attempt, rev *QuizRevision, answers map[string]Answer) error {
	pool := rev.Pool()
	inLayout := map[string]bool{}
	for _, sl := range a.Layout {
		inLayout[sl.Key] = true
	}
	v := &apperr.Validation{}
	for key, ans := range answers {
		q, ok := pool[key]
		if !ok || !inLayout[key] {
			v.Message = "Er zijn antwoorden gestuurd op vragen die niet bij deze poging horen."
			v.Add("q_"+key, "Deze vraag hoort niet bij deze poging.")
			continue
		}
		if msg := ans.Validate(q); msg != "" {
			v.Add("q_"+key, msg)
		}
	}
	if len(v.Fields) > 0 && v.Message == "" {
		v.Message = "Niet alle antwoorden konden worden opgeslagen."
	}
	return v.Err()
}

// lockOpen locks the learner's attempt for an update and checks it still
// takes answers. An attempt past its deadline is reported as ErrTimeUp.
func lockOpen(ctx context.Context, st *Store, l Learner, id int64) (*Attempt, *QuizRevision, error) {
	a, err := st.Attempt(ctx, l.ID, id, true)
	if err != nil {
		return nil, nil, err
	}
	rev, err := st.Quiz(ctx, a.QuizRevisionID)
	if err != nil {
		return nil, nil, err
	}
	if a.SubmittedAt != nil {
		return a, rev, ErrAttemptClosed
	}
	return a, rev, nil
}

// SaveAnswers merges answers into the learner's open attempt. Answers after
// the deadline are refused (and the attempt is closed with what was saved).
func (s *Service) SaveAnswers(ctx context.Context, l Learner, id int64, answers map[string]Answer) (*Attempt, error) {
	var out *Attempt
	timeUp := false
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, st *Store) error {
		a, rev, err := lockOpen(ctx, st, l, id)
		if err != nil {
			return err
		}
		now := s.Now()
		if a.DeadlineAt != nil && !now.Before(*a.DeadlineAt) {
			timeUp = true
			return s.score(ctx, tx, st, l, a, rev, *a.DeadlineAt)
		}
		if err := checkAnswers(a, rev, answers); err != nil {
			return err
		}
		a.merge(answers)
		a.SavedAt = &now
		out = a
		return st.SaveAttemptAnswers(ctx, a)
	})
	if err != nil {
		return nil, err
	}
	if timeUp {
		return nil, ErrTimeUp
	}
	return out, nil
}

// Submit saves the final answers (nil for none) and scores the attempt on
// the revision it started on, exactly once: a second submit, concurrent or
// later, finds it submitted and gets ErrAttemptClosed with the scored attempt.
// An attempt past its deadline is scored with what was saved before it.
func (s *Service) Submit(ctx context.Context, l Learner, id int64, answers map[string]Answer) (*Attempt, *QuizRevision, error) {
	var out *Attempt
	var outRev *QuizRevision
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx, st *Store) error {
		a, rev, err := lockOpen(ctx, st, l, id)
		out, outRev = a, rev
		if err != nil {
			return err
		}
		now := s.Now()
		at := now
		if a.DeadlineAt != nil && !now.Before(*a.DeadlineAt) {
			at = *a.DeadlineAt // late answers are not taken
		} else if len(answers) > 0 {
			if err := checkAnswers(a, rev, answers); err != nil {
				return err
			}
			a.merge(answers)
		}
		return s.score(ctx, tx, st, l, a, rev, at)
	})
	if errors.Is(err, ErrAttemptClosed) {
		return out, outRev, err
	}
	if err != nil {
		return nil, nil, err
	}
	return out, outRev, nil
}

// score writes the attempt's result and completes the course when this
// pass was the last thing to do.
func (s *Service) score(ctx context.Context, tx bun.Tx, st *Store, l Learner, a *Attempt, rev *QuizRevision, at time.Time) error {
	results, pct := ScoreAttempt(rev.Pool(), a.Layout, a.Answers)
	passed := pct >= float64(rev.PassMark)
	a.Results, a.ScorePct, a.Passed, a.SubmittedAt = results, &pct, &passed, &at
	if err := st.SaveAttemptScore(ctx, a); err != nil {
		return err
	}
	c, err := st.CourseOfItem(ctx, a.ItemID)
	if err != nil {
		return err
	}
	as := AttemptScore{UserID: l.ID, CourseID: c.ID, ItemID: a.ItemID, AttemptID: a.ID, ScorePct: pct, Passed: passed, SubmittedAt: at}
	for _, h := range s.scored {
		if err := h(ctx, tx, as); err != nil {
			return fmt.Errorf("courses: score hook: %w", err)
		}
	}
	if !passed {
		return nil
	}
	return s.completeIfDone(ctx, tx, st, l, c)
}

// merge takes answers into the attempt; an empty answer clears the question.
func (a *Attempt) merge(answers map[string]Answer) {
	if a.Answers == nil {
		a.Answers = map[string]Answer{}
	}
	for k, v := range answers {
		if v.Empty() {
			delete(a.Answers, k)
		} else {
			a.Answers[k] = v
		}
	}
}
