package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"sync"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Store reads and writes courses, their content and learners' records.
// Published revisions never change, so lesson and quiz revisions are cached
// by id forever, and course outlines by (course id, version).
type Store struct {
	db bun.IDB
	*cache
	inTx bool // outlines read inside a transaction are not cached
}

// cache holds what never changes once stored: revisions (and their HTML)
// by id, and outlines by course version.
type cache struct {
	mu       sync.RWMutex
	courses  map[string]cachedCourse // course rows by slug, for showing pages
	outlines map[int64]*Outline
	lessons  map[int64]*LessonRevision
	quizzes  map[int64]*QuizRevision
	html     map[int64]template.HTML
}

// NewStore returns a store on db.
func NewStore(db bun.IDB) *Store {
	return &Store{db: db, cache: &cache{courses: map[string]cachedCourse{}, outlines: map[int64]*Outline{}, lessons: map[int64]*LessonRevision{},
		quizzes: map[int64]*QuizRevision{}, html: map[int64]template.HTML{}}}
}

// tx returns a store on tx that shares this store's caches.
func (s *Store) tx(tx bun.IDB) *Store { return &Store{db: tx, cache: s.cache, inTx: true} }

func isUnique(err error) bool {
	var pe pgdriver.Error
	return errors.As(err, &pe) && pe.Field('C') == "23505"
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("courses: %s: %w", what, err)
}

// CourseBySlug returns the course with slug, published or not.
func (s *Store) CourseBySlug(ctx context.Context, slug string) (*Course, error) {
	c := new(Course)
	if err := s.db.NewSelect().Model(c).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, notFound(err, "course "+slug)
	}
	return c, nil
}

// cachedCourse is a course row as read at a moment.
type cachedCourse struct {
	course *Course
	at     time.Time
}

// courseTTL bounds how long a visitor may see a course as it was before an
// edit made by another app instance; edits through this one show at once.
const courseTTL = time.Second

// courseChanged forgets the cached course rows; every change to a course
// through this process calls it before writing.
func (c *cache) courseChanged() {
	c.mu.Lock()
	clear(c.courses)
	c.mu.Unlock()
}

// CachedCourse returns the course with slug for showing a page, from a
// cache of at most courseTTL old: a visitor's kept page then costs no query
// at all, and a learner's page one query less. Writes use CourseBySlug.
func (s *Store) CachedCourse(ctx context.Context, slug string) (*Course, error) {
	s.mu.RLock()
	e, ok := s.courses[slug]
	s.mu.RUnlock()
	if ok && time.Since(e.at) < courseTTL {
		return e.course, nil
	}
	c, err := s.CourseBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.courses[slug] = cachedCourse{course: c, at: time.Now()}
	s.mu.Unlock()
	return c, nil
}

// CourseByID returns the course with id, published or not.
func (s *Store) CourseByID(ctx context.Context, id int64) (*Course, error) {
	c := new(Course)
	if err := s.db.NewSelect().Model(c).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, fmt.Sprint("course ", id))
	}
	return c, nil
}

// Outline is a course's structure with the titles of its current revisions.
type Outline struct {
	Course  Course
	Modules []*OutlineModule
	Items   []*OutlineItem // every item in course order
}

// OutlineModule is a module with its items.
type OutlineModule struct {
	Module
	Items []*OutlineItem
}

// OutlineItem is an item with the title and length of its current revision.
type OutlineItem struct {
	Item
	Title   string
	Minutes int
	Index   int // place in the whole course, from 0
	Module  *OutlineModule
}

// Lessons counts the outline's lessons.
func (o *Outline) Lessons() int {
	n := 0
	for _, it := range o.Items {
		if it.Kind == KindLesson {
			n++
		}
	}
	return n
}

// Quizzes counts the outline's quizzes.
func (o *Outline) Quizzes() int { return len(o.Items) - o.Lessons() }

// Item returns the item with id in this course.
func (o *Outline) Item(id int64) (*OutlineItem, bool) {
	for _, it := range o.Items {
		if it.ID == id {
			return it, true
		}
	}
	return nil, false
}

// ItemBySlug returns the item named slug in this course.
func (o *Outline) ItemBySlug(slug string) (*OutlineItem, bool) {
	for _, it := range o.Items {
		if it.Slug == slug {
			return it, true
		}
	}
	return nil, false
}

// Outline returns the structure of c, from the cache when c's version is known.
func (s *Store) Outline(ctx context.Context, c *Course) (*Outline, error) {
	if !s.inTx {
		s.mu.RLock()
		o, ok := s.outlines[c.ID]
		s.mu.RUnlock()
		if ok && o.Course.Version == c.Version {
			return o, nil
		}
	}
	o, err := s.loadOutline(ctx, c)
	if err != nil {
		return nil, err
	}
	if !s.inTx {
		s.mu.Lock()
		s.outlines[c.ID] = o
		s.mu.Unlock()
	}
	return o, nil
}

func (s *Store) loadOutline(ctx context.Context, c *Course) (*Outline, error) {
	o := &Outline{Course: *c}
	var mods []Module
	if err := s.db.NewSelect().Model(&mods).Where("course_id = ?", c.ID).Order("position", "id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: modules of %d: %w", c.ID, err)
	}
	var rows []struct {
		Item
		Title   string
		Minutes int
	}
	err := s.db.NewSelect().TableExpr("course_items AS i").
		ColumnExpr("i.id, i.course_id, i.module_id, i.position, i.kind, i.slug, i.current_revision_id").
		ColumnExpr("coalesce(lr.title, qr.title, '') AS title, coalesce(lr.minutes, 0) AS minutes").
		Join("LEFT JOIN lesson_revisions AS lr ON i.kind = 'lesson' AND lr.id = i.current_revision_id").
		Join("LEFT JOIN quiz_revisions AS qr ON i.kind = 'quiz' AND qr.id = i.current_revision_id").
		Where("i.course_id = ?", c.ID).OrderExpr("i.position, i.id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("courses: items of %d: %w", c.ID, err)
	}
	byModule := map[int64]*OutlineModule{}
	for i := range mods {
		m := &OutlineModule{Module: mods[i]}
		o.Modules = append(o.Modules, m)
		byModule[m.ID] = m
	}
	for _, r := range rows {
		m := byModule[r.ModuleID]
		it := &OutlineItem{Item: r.Item, Title: r.Title, Minutes: r.Minutes, Module: m}
		m.Items = append(m.Items, it)
	}
	for _, m := range o.Modules {
		for _, it := range m.Items {
			it.Index = len(o.Items)
			o.Items = append(o.Items, it)
		}
	}
	return o, nil
}

// Lesson returns the lesson revision with id (cached forever: revisions never change).
func (s *Store) Lesson(ctx context.Context, id int64) (*LessonRevision, error) {
	s.mu.RLock()
	l, ok := s.lessons[id]
	s.mu.RUnlock()
	if ok {
		return l, nil
	}
	l = new(LessonRevision)
	if err := s.db.NewSelect().Model(l).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "lesson revision")
	}
	s.mu.Lock()
	s.lessons[id] = l
	s.mu.Unlock()
	return l, nil
}

// LessonHTML is the lesson's Markdown rendered and sanitised, cached by revision.
func (s *Store) LessonHTML(l *LessonRevision) template.HTML {
	s.mu.RLock()
	h, ok := s.html[l.ID]
	s.mu.RUnlock()
	if ok {
		return h
	}
	h = web.Markdown(l.Body)
	s.mu.Lock()
	s.html[l.ID] = h
	s.mu.Unlock()
	return h
}

// Quiz returns the quiz revision with id (cached forever).
func (s *Store) Quiz(ctx context.Context, id int64) (*QuizRevision, error) {
	s.mu.RLock()
	q, ok := s.quizzes[id]
	s.mu.RUnlock()
	if ok {
		return q, nil
	}
	q = new(QuizRevision)
	if err := s.db.NewSelect().Model(q).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "quiz revision")
	}
	s.mu.Lock()
	s.quizzes[id] = q
	s.mu.Unlock()
	return q, nil
}

// Progress is a learner's record in one course.
type Progress struct {
	Enrolled    bool
	EnrolledAt  time.Time
	CompletedAt *time.Time
	Read        map[int64]bool // lesson items marked read
	Passed      map[int64]bool // quiz items with a passed attempt
	BestScore   map[int64]float64
}

// Done reports whether the learner finished item.
func (p *Progress) Done(it *OutlineItem) bool {
	if it.Kind == KindLesson {
		return p.Read[it.ID]
	}
	return p.Passed[it.ID]
}

// Counts returns how many of the outline's items are done.
func (p *Progress) Counts(o *Outline) (done, total int) {
	for _, it := range o.Items {
		if p.Done(it) {
			done++
		}
	}
	return done, len(o.Items)
}

// Percent is the share of the outline's items done; a completed course
// stays 100 even after it gains items.
func (p *Progress) Percent(o *Outline) int {
	if p.CompletedAt != nil {
		return 100
	}
	done, total := p.Counts(o)
	if total == 0 {
		return 0
	}
	return done * 100 / total
}

// NextItem is where the learner resumes: the first unfinished item.
func (p *Progress) NextItem(o *Outline) *OutlineItem {
	for _, it := range o.Items {
		if !p.Done(it) {
			return it
		}
	}
	return nil
}

// Progress loads userID's record in course in one query.
func (s *Store) Progress(ctx context.Context, userID, courseID int64) (*Progress, error) {
	p := &Progress{Read: map[int64]bool{}, Passed: map[int64]bool{}, BestScore: map[int64]float64{}}
	if userID == 0 {
		return p, nil
	}
	var rows []struct {
		Kind   string
		ItemID int64
		At     time.Time
		Done   *time.Time
		Score  float64
		Passed bool
	}
	err := s.db.NewRaw(`
		SELECT 'enrolment' AS kind, 0 AS item_id, enrolled_at AS at, completed_at AS done, 0 AS score, false AS passed
		FROM enrolments WHERE user_id = ? AND course_id = ?
		UNION ALL
		SELECT 'lesson', lc.item_id, lc.completed_at, NULL, 0, false
		FROM lesson_completions lc JOIN course_items i ON i.id = lc.item_id
		WHERE lc.user_id = ? AND i.course_id = ?
		UNION ALL
		SELECT 'quiz', a.item_id, max(a.submitted_at), NULL, max(a.score_pct)::float8, bool_or(a.passed)
		FROM quiz_attempts a JOIN course_items i ON i.id = a.item_id
		WHERE a.user_id = ? AND i.course_id = ? AND a.submitted_at IS NOT NULL
		GROUP BY a.item_id`, userID, courseID, userID, courseID, userID, courseID).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("courses: progress: %w", err)
	}
	for _, r := range rows {
		switch r.Kind {
		case "enrolment":
			p.Enrolled, p.EnrolledAt, p.CompletedAt = true, r.At, r.Done
		case "lesson":
			p.Read[r.ItemID] = true
		case "quiz":
			p.BestScore[r.ItemID] = r.Score
			if r.Passed {
				p.Passed[r.ItemID] = true
			}
		}
	}
	return p, nil
}

// Listing is a published course in the list, with the learner's progress.
type Listing struct {
	Course
	Lessons     int
	Quizzes     int
	Enrolled    bool
	Done        int
	CompletedAt *time.Time
}

// Percent is the learner's share done.
func (l Listing) Percent() int {
	if l.CompletedAt != nil {
		return 100
	}
	if l.Lessons+l.Quizzes == 0 {
		return 0
	}
	return l.Done * 100 / (l.Lessons + l.Quizzes)
}

// Published lists the published courses matching q (title, summary or
// audience), with the progress of userID (0 for a visitor), in one query.
func (s *Store) Published(ctx context.Context, q string, userID int64) ([]Listing, error) {
	var out []Listing
	sel := s.db.NewSelect().Model(&out).ModelTableExpr("courses AS c").ColumnExpr("c.*").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id AND i.kind = 'lesson') AS lessons").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id AND i.kind = 'quiz') AS quizzes").
		ColumnExpr("e.user_id IS NOT NULL AS enrolled, e.completed_at").
		ColumnExpr(`(SELECT count(*) FROM lesson_completions lc JOIN course_items i ON i.id = lc.item_id
			WHERE lc.user_id = ? AND i.course_id = c.id) +
			(SELECT count(DISTINCT a.item_id) FROM quiz_attempts a JOIN course_items i ON i.id = a.item_id
			WHERE a.user_id = ? AND i.course_id = c.id AND a.passed) AS done`, userID, userID).
		Join("LEFT JOIN enrolments AS e ON e.course_id = c.id AND e.user_id = ?", userID).
		Where("c.status = ?", StatusPublished).OrderExpr("c.title")
	if q = strings.TrimSpace(q); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
		sel = sel.Where("lower(c.title) LIKE ? OR lower(c.summary) LIKE ? OR lower(c.audience) LIKE ?", like, like, like)
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, fmt.Errorf("courses: list published: %w", err)
	}
	return out, nil
}

// MyCourse is a course the learner is enrolled in, for /mijn/voortgang.
type MyCourse struct {
	Listing
	QuizResults []QuizResult
}

// QuizResult is a learner's best result on a quiz.
type QuizResult struct {
	ItemID    int64
	Title     string
	BestScore float64
	Passed    bool
	Attempts  int
}

// Enrolled lists the courses userID is enrolled in, with quiz results.
func (s *Store) Enrolled(ctx context.Context, userID int64) ([]MyCourse, error) {
	var ls []Listing
	err := s.db.NewSelect().Model(&ls).ModelTableExpr("courses AS c").ColumnExpr("c.*").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id AND i.kind = 'lesson') AS lessons").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id AND i.kind = 'quiz') AS quizzes").
		ColumnExpr("true AS enrolled, e.completed_at").
		ColumnExpr(`(SELECT count(*) FROM lesson_completions lc JOIN course_items i ON i.id = lc.item_id
			WHERE lc.user_id = e.user_id AND i.course_id = c.id) +
			(SELECT count(DISTINCT a.item_id) FROM quiz_attempts a JOIN course_items i ON i.id = a.item_id
			WHERE a.user_id = e.user_id AND i.course_id = c.id AND a.passed) AS done`).
		Join("JOIN enrolments AS e ON e.course_id = c.id AND e.user_id = ?", userID).
		OrderExpr("e.enrolled_at DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("courses: enrolled courses: %w", err)
	}
	var results []struct {
		CourseID int64
		QuizResult
	}
	err = s.db.NewRaw(`
		SELECT i.course_id, i.id AS item_id, qr.title, coalesce(max(a.score_pct), 0)::float8 AS best_score,
		       coalesce(bool_or(a.passed), false) AS passed, count(a.id) AS attempts
		FROM course_items i
		JOIN enrolments e ON e.course_id = i.course_id AND e.user_id = ?
		JOIN quiz_revisions qr ON qr.id = i.current_revision_id
		LEFT JOIN quiz_attempts a ON a.item_id = i.id AND a.user_id = e.user_id AND a.submitted_at IS NOT NULL
		WHERE i.kind = 'quiz'
		GROUP BY i.course_id, i.id, qr.title, i.position ORDER BY i.course_id, i.position`, userID).Scan(ctx, &results)
	if err != nil {
		return nil, fmt.Errorf("courses: quiz results: %w", err)
	}
	out := make([]MyCourse, len(ls))
	for i := range ls {
		out[i].Listing = ls[i]
		for _, r := range results {
			if r.CourseID == ls[i].ID {
				out[i].QuizResults = append(out[i].QuizResults, r.QuizResult)
			}
		}
	}
	return out, nil
}
