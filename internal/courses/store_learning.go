package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Enrol enrols userID in courseID at at; enrolling twice changes nothing.
func (s *Store) Enrol(ctx context.Context, userID, courseID int64, at time.Time) error {
	_, err := s.db.NewRaw("INSERT INTO enrolments (user_id, course_id, enrolled_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		userID, courseID, at).Exec(ctx)
	if err != nil {
		return fmt.Errorf("courses: enrol: %w", err)
	}
	return nil
}

// ItemKind is the kind of item itemID of course courseID; ErrNotFound when
// the course has no such item.
func (s *Store) ItemKind(ctx context.Context, courseID, itemID int64) (string, error) {
	var kind string
	if err := s.db.NewRaw("SELECT kind FROM course_items WHERE id = ? AND course_id = ?", itemID, courseID).Scan(ctx, &kind); err != nil {
		return "", notFound(err, "item")
	}
	return kind, nil
}

// MarkRead records that userID read lesson itemID at at (once).
func (s *Store) MarkRead(ctx context.Context, userID, itemID int64, at time.Time) error {
	_, err := s.db.NewRaw("INSERT INTO lesson_completions (user_id, item_id, completed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
		userID, itemID, at).Exec(ctx)
	if err != nil {
		return fmt.Errorf("courses: mark read: %w", err)
	}
	return nil
}

// ItemsDone counts the current items of courseID and how many of them userID
// has done (lessons read, quizzes passed).
func (s *Store) ItemsDone(ctx context.Context, userID, courseID int64) (total, done int, err error) {
	err = s.db.NewRaw(`
		SELECT count(*) AS total,
		       count(*) FILTER (WHERE (i.kind = 'lesson' AND EXISTS (SELECT 1 FROM lesson_completions lc WHERE lc.item_id = i.id AND lc.user_id = ?))
		                           OR (i.kind = 'quiz' AND EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.item_id = i.id AND a.user_id = ? AND a.passed))) AS done
		FROM course_items i WHERE i.course_id = ?`, userID, userID, courseID).Scan(ctx, &total, &done)
	if err != nil {
		return 0, 0, fmt.Errorf("courses: count done: %w", err)
	}
	return total, done, nil
}

// RecordCompletion marks userID's enrolment in courseID completed at at and
// reports whether it was not completed before.
func (s *Store) RecordCompletion(ctx context.Context, userID, courseID int64, at time.Time) (bool, error) {
	res, err := s.db.NewRaw("UPDATE enrolments SET completed_at = ? WHERE user_id = ? AND course_id = ? AND completed_at IS NULL",
		at, userID, courseID).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("courses: record completion: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Attempts are userID's attempts on quiz itemID, newest first.
func (s *Store) Attempts(ctx context.Context, userID, itemID int64) ([]Attempt, error) {
	var all []Attempt
	if err := s.db.NewSelect().Model(&all).Where("user_id = ? AND item_id = ?", userID, itemID).OrderExpr("id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: attempts: %w", err)
	}
	return all, nil
}

// ExpiredAttempt is the id of userID's open attempt on itemID whose deadline
// has passed at now, or 0.
func (s *Store) ExpiredAttempt(ctx context.Context, userID, itemID int64, now time.Time) (int64, error) {
	var id int64
	err := s.db.NewRaw("SELECT id FROM quiz_attempts WHERE user_id = ? AND item_id = ? AND submitted_at IS NULL AND deadline_at <= ?",
		userID, itemID, now).Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("courses: expired attempt: %w", err)
	}
	return id, nil
}

// InsertAttempt stores a new attempt and sets its id. A second open attempt
// of the same learner on the same quiz is a unique violation (isUnique).
func (s *Store) InsertAttempt(ctx context.Context, a *Attempt) error {
	_, err := s.db.NewInsert().Model(a).ExcludeColumn("saved_at", "submitted_at", "score_pct", "passed", "results").Returning("id").Exec(ctx)
	return err
}

// Attempt returns userID's attempt id; another learner's is ErrNotFound.
// forUpdate locks it until the transaction ends.
func (s *Store) Attempt(ctx context.Context, userID, id int64, forUpdate bool) (*Attempt, error) {
	a := new(Attempt)
	q := s.db.NewSelect().Model(a).Where("id = ? AND user_id = ?", id, userID)
	if forUpdate {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "attempt")
	}
	return a, nil
}

// SaveAttemptAnswers writes the attempt's answers and when they were saved.
func (s *Store) SaveAttemptAnswers(ctx context.Context, a *Attempt) error {
	if _, err := s.db.NewUpdate().Model(a).Column("answers", "saved_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("courses: save answers: %w", err)
	}
	return nil
}

// SaveAttemptScore writes the attempt's final answers and result.
func (s *Store) SaveAttemptScore(ctx context.Context, a *Attempt) error {
	if _, err := s.db.NewUpdate().Model(a).Column("answers", "results", "score_pct", "passed", "submitted_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("courses: score attempt: %w", err)
	}
	return nil
}

// CourseOfItem is the course that item itemID belongs to.
func (s *Store) CourseOfItem(ctx context.Context, itemID int64) (*Course, error) {
	c := new(Course)
	if err := s.db.NewSelect().Model(c).Join("JOIN course_items AS i ON i.course_id = c.id").Where("i.id = ?", itemID).Scan(ctx); err != nil {
		return nil, notFound(err, "course of item")
	}
	return c, nil
}

// SubmittedAttempts are the layouts, answers and results of every
// submitted attempt on quiz revision revID, for statistics.
func (s *Store) SubmittedAttempts(ctx context.Context, revID int64) ([]Attempt, error) {
	var attempts []Attempt
	if err := s.db.NewSelect().Model(&attempts).Column("layout", "answers", "results").
		Where("quiz_revision_id = ? AND submitted_at IS NOT NULL", revID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: stats: %w", err)
	}
	return attempts, nil
}
