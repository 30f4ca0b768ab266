package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The questions other domains ask of the leeromgeving: certification checks
// prerequisites, the reporting page counts completions, and the AVG export
// gathers a learner's records.

// CourseCompletion reports when userID completed the course with slug.
func (s *Store) CourseCompletion(ctx context.Context, userID int64, courseSlug string) (time.Time, bool, error) {
	var at time.Time
	err := s.db.NewRaw(`SELECT e.completed_at FROM enrolments e JOIN courses c ON c.id = e.course_id
		WHERE e.user_id = ? AND c.slug = ? AND e.completed_at IS NOT NULL`, userID, courseSlug).Scan(ctx, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("courses: completion: %w", err)
	}
	return at, true, nil
}

// BestQuizScore is the learner's best submitted score (0–100, rounded down)
// on quiz quizSlug of course courseSlug, with when it was reached.
func (s *Store) BestQuizScore(ctx context.Context, userID int64, courseSlug, quizSlug string) (int, time.Time, bool, error) {
	var row struct {
		Score float64
		At    time.Time
	}
	err := s.db.NewRaw(`SELECT a.score_pct::float8 AS score, a.submitted_at AS at
		FROM quiz_attempts a JOIN course_items i ON i.id = a.item_id JOIN courses c ON c.id = i.course_id
		WHERE a.user_id = ? AND c.slug = ? AND i.slug = ? AND a.submitted_at IS NOT NULL
		ORDER BY a.score_pct DESC, a.submitted_at LIMIT 1`, userID, courseSlug, quizSlug).Scan(ctx, &row)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, time.Time{}, false, fmt.Errorf("courses: best score: %w", err)
	}
	return int(row.Score), row.At, true, nil
}

// CourseTitle is the title of the course with slug.
func (s *Store) CourseTitle(ctx context.Context, slug string) (string, bool, error) {
	c, err := s.CourseBySlug(ctx, slug)
	if errors.Is(err, ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return c.Title, true, nil
}

// MonthCount is a count for the calendar month starting at Month.
type MonthCount struct {
	Month time.Time
	Count int
}

// CompletionsPerMonth counts the distinct learners who completed a course
// in each month from from up to to.
func (s *Store) CompletionsPerMonth(ctx context.Context, from, to time.Time) ([]MonthCount, error) {
	var out []MonthCount
	err := s.db.NewRaw(`SELECT date_trunc('month', completed_at) AS month, count(DISTINCT user_id) AS count
		FROM enrolments WHERE completed_at >= ? AND completed_at < ? GROUP BY 1 ORDER BY 1`, from, to).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("courses: completions per month: %w", err)
	}
	return out, nil
}

// ExportUserData gathers the learner's enrolments, lessons read and quiz
// attempts with their answers, for the AVG right of access.
func (s *Store) ExportUserData(ctx context.Context, userID int64) (any, error) {
	type enrolment struct {
		Course      string     `json:"course"`
		EnrolledAt  time.Time  `json:"enrolled_at"`
		CompletedAt *time.Time `json:"completed_at"`
	}
	type read struct {
		Course string    `json:"course"`
		Lesson string    `json:"lesson"`
		At     time.Time `json:"read_at"`
	}
	type attempt struct {
		Course      string            `json:"course"`
		Quiz        string            `json:"quiz"`
		StartedAt   time.Time         `json:"started_at"`
		SubmittedAt *time.Time        `json:"submitted_at"`
		ScorePct    *float64          `json:"score_pct"`
		Passed      *bool             `json:"passed"`
		Answers     map[string]Answer `json:"answers" bun:",type:jsonb"`
	}
	out := struct {
		Enrolments  []enrolment `json:"enrolments"`
		LessonsRead []read      `json:"lessons_read"`
		Attempts    []attempt   `json:"quiz_attempts"`
	}{[]enrolment{}, []read{}, []attempt{}}
	if err := s.db.NewRaw(`SELECT c.slug AS course, e.enrolled_at, e.completed_at FROM enrolments e
		JOIN courses c ON c.id = e.course_id WHERE e.user_id = ? ORDER BY e.enrolled_at`, userID).Scan(ctx, &out.Enrolments); err != nil {
		return nil, fmt.Errorf("courses: export enrolments: %w", err)
	}
	if err := s.db.NewRaw(`SELECT c.slug AS course, i.slug AS lesson, lc.completed_at AS at FROM lesson_completions lc
		JOIN course_items i ON i.id = lc.item_id JOIN courses c ON c.id = i.course_id WHERE lc.user_id = ? ORDER BY lc.completed_at`, userID).Scan(ctx, &out.LessonsRead); err != nil {
		return nil, fmt.Errorf("courses: export lessons: %w", err)
	}
	if err := s.db.NewRaw(`SELECT c.slug AS course, i.slug AS quiz, a.started_at, a.submitted_at, a.score_pct::float8 AS score_pct, a.passed, a.answers
		FROM quiz_attempts a JOIN course_items i ON i.id = a.item_id JOIN courses c ON c.id = i.course_id
		WHERE a.user_id = ? ORDER BY a.started_at`, userID).Scan(ctx, &out.Attempts); err != nil {
		return nil, fmt.Errorf("courses: export attempts: %w", err)
	}
	return out, nil
}
