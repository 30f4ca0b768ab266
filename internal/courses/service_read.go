package courses

import (
	"context"
	"html/template"
	"time"
)

// The reads the pages, the API and the other domains need. They go through
// the service like the writes, so a handler has one way in; most pass
// straight to the store, whose caches make them cheap.

// CourseBySlug returns the course with slug, published or not.
func (s *Service) CourseBySlug(ctx context.Context, slug string) (*Course, error) {
	return s.store.CourseBySlug(ctx, slug)
}

// CachedCourse is CourseBySlug from a cache at most a second old, for
// showing pages (writes use CourseBySlug).
func (s *Service) CachedCourse(ctx context.Context, slug string) (*Course, error) {
	return s.store.CachedCourse(ctx, slug)
}

// VisibleCourse returns the course with slug and its outline; a draft is
// ErrNotFound unless preview (a trainer looking at it). fresh reads the
// course row from the database rather than the short-lived cache.
func (s *Service) VisibleCourse(ctx context.Context, slug string, preview, fresh bool) (*Course, *Outline, error) {
	load := s.store.CachedCourse
	if fresh {
		load = s.store.CourseBySlug
	}
	c, err := load(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	if !c.Published() && !preview {
		return nil, nil, ErrNotFound
	}
	o, err := s.store.Outline(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	return c, o, nil
}

// CourseByID returns the course with id, published or not.
func (s *Service) CourseByID(ctx context.Context, id int64) (*Course, error) {
	return s.store.CourseByID(ctx, id)
}

// ModuleByID returns a module.
func (s *Service) ModuleByID(ctx context.Context, id int64) (*Module, error) {
	return s.store.ModuleByID(ctx, id)
}

// ItemByID returns an item.
func (s *Service) ItemByID(ctx context.Context, id int64) (*Item, error) {
	return s.store.ItemByID(ctx, id)
}

// Outline is the course's structure with the titles of its current revisions.
func (s *Service) Outline(ctx context.Context, c *Course) (*Outline, error) {
	return s.store.Outline(ctx, c)
}

// Lesson returns a lesson revision.
func (s *Service) Lesson(ctx context.Context, revID int64) (*LessonRevision, error) {
	return s.store.Lesson(ctx, revID)
}

// LessonHTML is the lesson's sanitised HTML.
func (s *Service) LessonHTML(l *LessonRevision) template.HTML { return s.store.LessonHTML(l) }

// Quiz returns a quiz revision.
func (s *Service) Quiz(ctx context.Context, revID int64) (*QuizRevision, error) {
	return s.store.Quiz(ctx, revID)
}

// Progress is the learner's progress in a course.
func (s *Service) Progress(ctx context.Context, userID, courseID int64) (*Progress, error) {
	return s.store.Progress(ctx, userID, courseID)
}

// Published lists the published courses matching q, with userID's progress
// (0 for a visitor).
func (s *Service) Published(ctx context.Context, q string, userID int64) ([]Listing, error) {
	return s.store.Published(ctx, q, userID)
}

// Enrolled lists the courses userID is enrolled in.
func (s *Service) Enrolled(ctx context.Context, userID int64) ([]MyCourse, error) {
	return s.store.Enrolled(ctx, userID)
}

// AllCourses lists every course for authors, drafts included.
func (s *Service) AllCourses(ctx context.Context) ([]Listing, error) { return s.store.AllCourses(ctx) }

// OrgProgress is the progress of the members of organisation orgID.
func (s *Service) OrgProgress(ctx context.Context, orgID int64, f OrgFilter, limit, offset int) ([]MemberProgress, int, error) {
	return s.store.OrgProgress(ctx, orgID, f, limit, offset)
}

// CourseCompletion reports when userID completed the published course with slug.
func (s *Service) CourseCompletion(ctx context.Context, userID int64, courseSlug string) (time.Time, bool, error) {
	return s.store.CourseCompletion(ctx, userID, courseSlug)
}

// BestQuizScore is the learner's best submitted score (0–100) on a quiz.
func (s *Service) BestQuizScore(ctx context.Context, userID int64, courseSlug, quizSlug string) (int, time.Time, bool, error) {
	return s.store.BestQuizScore(ctx, userID, courseSlug, quizSlug)
}

// CourseTitle is the title of the course with slug.
func (s *Service) CourseTitle(ctx context.Context, slug string) (string, bool, error) {
	return s.store.CourseTitle(ctx, slug)
}

// CompletionsPerMonth counts course completions per calendar month.
func (s *Service) CompletionsPerMonth(ctx context.Context, from, to time.Time) ([]MonthCount, error) {
	return s.store.CompletionsPerMonth(ctx, from, to)
}

// ExportUserData is everything the leeromgeving holds about userID.
func (s *Service) ExportUserData(ctx context.Context, userID int64) (any, error) {
	return s.store.ExportUserData(ctx, userID)
}
