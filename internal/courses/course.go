// Package courses is the leeromgeving: Werken 2.0 courses made of modules,
// lessons and quizzes; enrolments, lesson completions, quiz attempts and
// course completions; the learner, trainer and organisation pages; the
// course folder format (import and export); and the JSON API.
package courses

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Errors returned by the store and the service.
var (
	ErrNotFound       = fmt.Errorf("courses: %w", apperr.ErrNotFound)
	ErrSlugTaken      = apperr.Msg(apperr.ErrConflict, "Er bestaat al een cursus met dit webadres (slug). Kies een ander.")
	ErrNotEnrolled    = apperr.Msg(apperr.ErrConflict, "Schrijf u eerst in voor deze cursus.")
	ErrAttemptClosed  = apperr.Msg(apperr.ErrConflict, "Deze poging is al ingeleverd of gesloten; uw antwoorden zijn niet meer te wijzigen.")
	ErrNoAttemptsLeft = apperr.Msg(apperr.ErrConflict, "U heeft al uw pogingen voor deze toets gebruikt.")
	ErrTimeUp         = apperr.Msg(apperr.ErrConflict, "De tijd voor deze poging is om. Wat u op tijd had opgeslagen, is nagekeken.")
)

// Course statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
)

// Item kinds.
const (
	KindLesson = "lesson"
	KindQuiz   = "quiz"
)

// Course is a Werken 2.0 course.
type Course struct {
	bun.BaseModel `bun:"table:courses,alias:c"`

	ID          int64      `bun:",pk,autoincrement" json:"-"`
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Audience    string     `json:"audience"`
	StudyHours  int        `json:"study_hours"`
	Status      string     `json:"status"`
	Version     int        `json:"-"`
	CreatedBy   *int64     `json:"-"`
	CreatedAt   time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"-"`
	UpdatedAt   time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"updated_at"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
}

// Published reports whether learners can see the course.
func (c *Course) Published() bool { return c.Status == StatusPublished }

// Module is an ordered part of a course.
type Module struct {
	bun.BaseModel `bun:"table:modules,alias:m"`

	ID       int64  `bun:",pk,autoincrement" json:"-"`
	CourseID int64  `json:"-"`
	Position int    `json:"-"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
}

// Item is a lesson or quiz at its place in a module. Its content is the
// current revision.
type Item struct {
	bun.BaseModel `bun:"table:course_items,alias:i"`

	ID                int64  `bun:",pk,autoincrement" json:"id"`
	CourseID          int64  `json:"-"`
	ModuleID          int64  `json:"-"`
	Position          int    `json:"-"`
	Kind              string `json:"kind"`
	Slug              string `json:"slug"`
	CurrentRevisionID *int64 `json:"-"`
}

// LessonRevision is an immutable version of a lesson.
type LessonRevision struct {
	bun.BaseModel `bun:"table:lesson_revisions,alias:lr"`

	ID        int64     `bun:",pk,autoincrement"`
	ItemID    int64     `bun:",notnull"`
	Title     string    `bun:",notnull"`
	Minutes   int       `bun:",notnull"`
	Body      string    `bun:",notnull"`
	CreatedBy *int64    ``
	CreatedAt time.Time `bun:",nullzero,notnull,default:current_timestamp"`
}

// QuizRevision is an immutable version of a quiz with its question pool.
type QuizRevision struct {
	bun.BaseModel `bun:"table:quiz_revisions,alias:qr"`

	ID               int64      `bun:",pk,autoincrement"`
	ItemID           int64      `bun:",notnull"`
	Title            string     `bun:",notnull"`
	PassMark         int        `bun:",notnull"`
	AttemptsAllowed  int        `bun:",notnull"`
	TimeLimitSecs    int        `bun:",notnull"`
	Draw             int        `bun:",notnull"`
	ShuffleQuestions bool       `bun:",notnull"`
	ShuffleOptions   bool       `bun:",notnull"`
	Questions        []Question `bun:",type:jsonb,notnull"`
	CreatedBy        *int64     ``
	CreatedAt        time.Time  `bun:",nullzero,notnull,default:current_timestamp"`
}

// DrawCount is the number of questions in each attempt.
func (q *QuizRevision) DrawCount() int {
	if q.Draw <= 0 || q.Draw > len(q.Questions) {
		return len(q.Questions)
	}
	return q.Draw
}

// Pool indexes the questions by key.
func (q *QuizRevision) Pool() map[string]*Question {
	m := make(map[string]*Question, len(q.Questions))
	for i := range q.Questions {
		m[q.Questions[i].Key] = &q.Questions[i]
	}
	return m
}

// Attempt is one try at a quiz.
type Attempt struct {
	bun.BaseModel `bun:"table:quiz_attempts,alias:a"`

	ID             int64             `bun:",pk,autoincrement" json:"id"`
	UserID         int64             `json:"-"`
	ItemID         int64             `json:"quiz_id"`
	QuizRevisionID int64             `json:"revision_id"`
	Layout         []Slot            `bun:",type:jsonb" json:"-"`
	Answers        map[string]Answer `bun:",type:jsonb" json:"answers"`
	StartedAt      time.Time         `json:"started_at"`
	DeadlineAt     *time.Time        `json:"deadline_at,omitempty"`
	SavedAt        *time.Time        `json:"saved_at,omitempty"`
	SubmittedAt    *time.Time        `json:"submitted_at,omitempty"`
	ScorePct       *float64          `json:"score_pct,omitempty"`
	Passed         *bool             `json:"passed,omitempty"`
	Results        []QuestionResult  `bun:",type:jsonb" json:"-"`
}

// Open reports whether the attempt still takes answers at now.
func (a *Attempt) Open(now time.Time) bool {
	return a.SubmittedAt == nil && (a.DeadlineAt == nil || now.Before(*a.DeadlineAt))
}

// Completion is a learner's completion of a course.
type Completion struct {
	UserID      int64
	UserName    string
	CourseID    int64
	CourseSlug  string
	CourseTitle string
	CompletedAt time.Time
}

// CompletionHook runs inside the transaction that records a completion; an
// error rolls the completion back.
type CompletionHook func(ctx context.Context, db bun.IDB, c Completion) error

// AttemptScore is a quiz attempt that has just been scored.
type AttemptScore struct {
	UserID      int64
	CourseID    int64
	ItemID      int64
	AttemptID   int64
	ScorePct    float64
	Passed      bool
	SubmittedAt time.Time
}

// ScoreHook runs inside the transaction that scores an attempt; an error
// rolls the scoring back.
type ScoreHook func(ctx context.Context, db bun.IDB, s AttemptScore) error
