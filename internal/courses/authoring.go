package courses

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// CourseInput is what an author sets on a course.
type CourseInput struct {
	Slug       string `form:"slug" label:"Webadres (slug)" validate:"required,max=80"`
	Title      string `form:"title" label:"Titel" validate:"required,max=150"`
	Summary    string `form:"summary" label:"Samenvatting" validate:"max=300"`
	Audience   string `form:"audience" label:"Doelgroep" validate:"max=200"`
	StudyHours int    `form:"study_hours" label:"Studie-uren" validate:"gte=0,lte=1000"`
}

// LessonInput is what an author sets on a lesson.
type LessonInput struct {
	Slug    string `form:"slug" label:"Naam in de cursusmap (slug)" validate:"required,max=80"`
	Title   string `form:"title" label:"Titel" validate:"required,max=150"`
	Minutes int    `form:"minutes" label:"Leestijd in minuten" validate:"gte=1,lte=600"`
	Body    string `form:"body" label:"Tekst (Markdown)" validate:"required,max=200000"`
}

// QuizInput is what an author sets on a quiz, apart from its questions.
type QuizInput struct {
	Slug             string `form:"slug" label:"Naam in de cursusmap (slug)" validate:"required,max=80"`
	Title            string `form:"title" label:"Titel" validate:"required,max=150"`
	PassMark         int    `form:"pass_mark" label:"Cesuur (%)" validate:"gte=1,lte=100"`
	Attempts         int    `form:"attempts" label:"Aantal pogingen" validate:"gte=0,lte=100"`
	TimeLimitMinutes int    `form:"time_limit_minutes" label:"Tijdslimiet (minuten)" validate:"gte=0,lte=600"`
	Draw             int    `form:"draw" label:"Vragen per poging" validate:"gte=0,lte=500"`
	ShuffleQuestions bool   `form:"shuffle_questions"`
	ShuffleOptions   bool   `form:"shuffle_options"`
}

func slugProblem(field, slug string) error {
	if !slugRE.MatchString(slug) {
		return apperr.NewValidation(field, "Gebruik alleen kleine letters, cijfers en streepjes, bijvoorbeeld werken-20-de-basis.")
	}
	return nil
}

// touch moves the course's version on, so cached outlines and pages are
// refreshed.
func (s *Service) touch(ctx context.Context, tx bun.IDB, courseID int64) error {
	s.Store.courseChanged()
	_, err := tx.NewRaw("UPDATE courses SET version = version + 1, updated_at = now() WHERE id = ?", courseID).Exec(ctx)
	return err
}

// AllCourses lists every course for authors, drafts included.
func (s *Store) AllCourses(ctx context.Context) ([]Listing, error) {
	var out []Listing
	err := s.db.NewSelect().Model(&out).ModelTableExpr("courses AS c").ColumnExpr("c.*").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id AND i.kind = 'lesson') AS lessons").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id AND i.kind = 'quiz') AS quizzes").
		OrderExpr("c.title").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("courses: all courses: %w", err)
	}
	return out, nil
}

// CreateCourse adds a draft course; ErrSlugTaken when the slug exists.
func (s *Service) CreateCourse(ctx context.Context, in CourseInput, authorID int64) (*Course, error) {
	if err := slugProblem("slug", in.Slug); err != nil {
		return nil, err
	}
	c := &Course{Slug: in.Slug, Title: in.Title, Summary: in.Summary, Audience: in.Audience, StudyHours: in.StudyHours,
		Status: StatusDraft, Version: 1, CreatedBy: &authorID}
	if _, err := s.db.NewInsert().Model(c).Returning("*").Exec(ctx); err != nil {
		if isUnique(err) {
			return nil, ErrSlugTaken
		}
		return nil, fmt.Errorf("courses: create course: %w", err)
	}
	return c, nil
}

// UpdateCourse changes a course's details.
func (s *Service) UpdateCourse(ctx context.Context, id int64, in CourseInput) error {
	if err := slugProblem("slug", in.Slug); err != nil {
		return err
	}
	s.Store.courseChanged()
	res, err := s.db.NewUpdate().Table("courses").Set("slug = ?, title = ?, summary = ?, audience = ?, study_hours = ?",
		in.Slug, in.Title, in.Summary, in.Audience, in.StudyHours).Set("version = version + 1, updated_at = now()").
		Where("id = ?", id).Exec(ctx)
	if isUnique(err) {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("courses: update course: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// PublishProblems lists what keeps a course from being published.
func (s *Service) PublishProblems(ctx context.Context, c *Course) ([]string, error) {
	o, err := s.Store.loadOutline(ctx, c)
	if err != nil {
		return nil, err
	}
	var p []string
	if len(o.Items) == 0 {
		p = append(p, "De cursus heeft nog geen lessen of toetsen.")
	}
	for _, it := range o.Items {
		if it.Kind != KindQuiz || it.CurrentRevisionID == nil {
			continue
		}
		q, err := s.Store.Quiz(ctx, *it.CurrentRevisionID)
		if err != nil {
			return nil, err
		}
		if len(q.Questions) == 0 {
			p = append(p, fmt.Sprintf("Toets %q heeft nog geen vragen.", q.Title))
		}
	}
	return p, nil
}

// SetPublished publishes (after checking it can be taken) or unpublishes a course.
func (s *Service) SetPublished(ctx context.Context, id int64, publish bool) error {
	c, err := s.Store.CourseByID(ctx, id)
	if err != nil {
		return err
	}
	status := StatusDraft
	if publish {
		problems, err := s.PublishProblems(ctx, c)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			return apperr.Msg(apperr.ErrConflict, "Publiceren kan nog niet: "+strings.Join(problems, " "))
		}
		status = StatusPublished
	}
	s.Store.courseChanged()
	_, err = s.db.NewUpdate().Table("courses").Set("status = ?", status).
		Set("published_at = CASE WHEN ? THEN coalesce(published_at, now()) ELSE published_at END", publish).
		Set("version = version + 1, updated_at = now()").Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("courses: publish: %w", err)
	}
	return nil
}

// ModuleByID returns a module.
func (s *Store) ModuleByID(ctx context.Context, id int64) (*Module, error) {
	m := new(Module)
	if err := s.db.NewSelect().Model(m).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "module")
	}
	return m, nil
}

// ItemByID returns an item.
func (s *Store) ItemByID(ctx context.Context, id int64) (*Item, error) {
	it := new(Item)
	if err := s.db.NewSelect().Model(it).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "item")
	}
	return it, nil
}

// SaveModule adds a module at the end of the course (id 0) or renames one.
func (s *Service) SaveModule(ctx context.Context, courseID, id int64, title, summary string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if id == 0 {
			_, err := tx.NewRaw(`INSERT INTO modules (course_id, position, title, summary)
				SELECT ?, coalesce(max(position) + 1, 0), ?, ? FROM modules WHERE course_id = ?`, courseID, title, summary, courseID).Exec(ctx)
			if err != nil {
				return err
			}
		} else if res, err := tx.NewRaw("UPDATE modules SET title = ?, summary = ? WHERE id = ? AND course_id = ?", title, summary, id, courseID).Exec(ctx); err != nil {
			return err
		} else if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.touch(ctx, tx, courseID)
	})
}

// Move swaps a module or item with its neighbour (dir −1 up, +1 down).
func (s *Service) Move(ctx context.Context, table string, id int64, dir int) error {
	if table != "modules" && table != "course_items" {
		return ErrNotFound
	}
	group := "course_id"
	if table == "course_items" {
		group = "module_id"
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var row struct {
			CourseID int64
			GroupID  int64
			Position int
		}
		q := fmt.Sprintf("SELECT course_id, %s AS group_id, position FROM %s WHERE id = ? FOR UPDATE", group, table)
		if err := tx.NewRaw(q, id).Scan(ctx, &row); err != nil {
			return notFound(err, "move")
		}
		// Renumber the group first, so positions are 0..n-1 without gaps.
		renumber := fmt.Sprintf(`UPDATE %[1]s t SET position = r.n FROM (
			SELECT id, row_number() OVER (ORDER BY position, id) - 1 AS n FROM %[1]s WHERE %[2]s = ?) r WHERE t.id = r.id`, table, group)
		if _, err := tx.NewRaw(renumber, row.GroupID).Exec(ctx); err != nil {
			return err
		}
		var pos, count int
		if err := tx.NewRaw(fmt.Sprintf("SELECT position, (SELECT count(*) FROM %s WHERE %s = ?) FROM %s WHERE id = ?", table, group, table), row.GroupID, id).Scan(ctx, &pos, &count); err != nil {
			return err
		}
		target := pos + dir
		if target < 0 || target >= count {
			return nil
		}
		swap := fmt.Sprintf(`UPDATE %s SET position = CASE WHEN id = ? THEN ? ELSE ? END
			WHERE %s = ? AND (id = ? OR position = ?)`, table, group)
		if _, err := tx.NewRaw(swap, id, target, pos, row.GroupID, id, target).Exec(ctx); err != nil {
			return err
		}
		return s.touch(ctx, tx, row.CourseID)
	})
}

// DeleteModule removes an empty module.
func (s *Service) DeleteModule(ctx context.Context, id int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var courseID int64
		var items int
		if err := tx.NewRaw("SELECT course_id, (SELECT count(*) FROM course_items WHERE module_id = m.id) FROM modules m WHERE id = ? FOR UPDATE", id).Scan(ctx, &courseID, &items); err != nil {
			return notFound(err, "module")
		}
		if items > 0 {
			return apperr.Msg(apperr.ErrConflict, "Deze module bevat nog lessen of toetsen. Verwijder die eerst.")
		}
		if _, err := tx.NewRaw("DELETE FROM modules WHERE id = ?", id).Exec(ctx); err != nil {
			return err
		}
		return s.touch(ctx, tx, courseID)
	})
}

// DeleteItem removes a lesson or quiz with its learners' records of it.
// Completions already recorded stay.
func (s *Service) DeleteItem(ctx context.Context, id int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var courseID int64
		if err := tx.NewRaw("DELETE FROM course_items WHERE id = ? RETURNING course_id", id).Scan(ctx, &courseID); err != nil {
			return notFound(err, "item")
		}
		return s.touch(ctx, tx, courseID)
	})
}

// newItem adds an item at the end of a module.
func newItem(ctx context.Context, tx bun.Tx, m *Module, kind, slug string) (*Item, error) {
	it := &Item{CourseID: m.CourseID, ModuleID: m.ID, Kind: kind, Slug: slug}
	err := tx.NewRaw(`INSERT INTO course_items (course_id, module_id, position, kind, slug)
		SELECT ?, ?, coalesce(max(position) + 1, 0), ?, ? FROM course_items WHERE module_id = ? RETURNING id, position`,
		m.CourseID, m.ID, kind, slug, m.ID).Scan(ctx, &it.ID, &it.Position)
	if isUnique(err) {
		return nil, apperr.NewValidation("slug", "Deze cursus heeft al een onderdeel met deze naam.")
	}
	return it, err
}

func (s *Service) setRevision(ctx context.Context, tx bun.Tx, it *Item, revID int64) error {
	if _, err := tx.NewRaw("UPDATE course_items SET current_revision_id = ? WHERE id = ?", revID, it.ID).Exec(ctx); err != nil {
		return err
	}
	return s.touch(ctx, tx, it.CourseID)
}

// SaveLesson adds a lesson to module moduleID (itemID 0) or saves a new
// revision of lesson itemID. Learners' open pages and attempts are unaffected.
func (s *Service) SaveLesson(ctx context.Context, moduleID, itemID int64, in LessonInput, authorID int64) (*Item, error) {
	var out *Item
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		it, err := s.itemFor(ctx, tx, moduleID, itemID, KindLesson, in.Slug)
		if err != nil {
			return err
		}
		rev := &LessonRevision{ItemID: it.ID, Title: in.Title, Minutes: in.Minutes, Body: strings.ReplaceAll(in.Body, "\r\n", "\n"), CreatedBy: &authorID}
		if _, err := tx.NewInsert().Model(rev).Returning("id").Exec(ctx); err != nil {
			return err
		}
		out = it
		return s.setRevision(ctx, tx, it, rev.ID)
	})
	return out, err
}

// itemFor returns the existing item (checking its kind) or creates one.
func (s *Service) itemFor(ctx context.Context, tx bun.Tx, moduleID, itemID int64, kind, slug string) (*Item, error) {
	if itemID != 0 {
		it := new(Item)
		if err := tx.NewSelect().Model(it).Where("id = ?", itemID).For("UPDATE").Scan(ctx); err != nil {
			return nil, notFound(err, "item")
		}
		if it.Kind != kind {
			return nil, ErrNotFound
		}
		if slug != "" && slug != it.Slug {
			if err := slugProblem("slug", slug); err != nil {
				return nil, err
			}
			if _, err := tx.NewRaw("UPDATE course_items SET slug = ? WHERE id = ?", slug, it.ID).Exec(ctx); err != nil {
				if isUnique(err) {
					return nil, apperr.NewValidation("slug", "Deze cursus heeft al een onderdeel met deze naam.")
				}
				return nil, err
			}
			it.Slug = slug
		}
		return it, nil
	}
	if err := slugProblem("slug", slug); err != nil {
		return nil, err
	}
	m := new(Module)
	if err := tx.NewSelect().Model(m).Where("id = ?", moduleID).Scan(ctx); err != nil {
		return nil, notFound(err, "module")
	}
	return newItem(ctx, tx, m, kind, slug)
}

// SaveQuiz adds a quiz (itemID 0, no questions yet) or saves a new revision
// with new settings and the same questions.
func (s *Service) SaveQuiz(ctx context.Context, moduleID, itemID int64, in QuizInput, authorID int64) (*Item, error) {
	var out *Item
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		it, err := s.itemFor(ctx, tx, moduleID, itemID, KindQuiz, in.Slug)
		if err != nil {
			return err
		}
		questions := []Question{}
		if it.CurrentRevisionID != nil {
			cur, err := s.Store.tx(tx).Quiz(ctx, *it.CurrentRevisionID)
			if err != nil {
				return err
			}
			questions = cur.Questions
		}
		if in.Draw > len(questions) {
			return apperr.NewValidation("draw", fmt.Sprintf("De toets heeft %d vragen; er kunnen er niet meer per poging worden getrokken.", len(questions)))
		}
		rev := &QuizRevision{ItemID: it.ID, Title: in.Title, PassMark: in.PassMark, AttemptsAllowed: in.Attempts,
			TimeLimitSecs: in.TimeLimitMinutes * 60, Draw: in.Draw, ShuffleQuestions: in.ShuffleQuestions,
			ShuffleOptions: in.ShuffleOptions, Questions: questions, CreatedBy: &authorID}
		if _, err := tx.NewInsert().Model(rev).Returning("id").Exec(ctx); err != nil {
			return err
		}
		out = it
		return s.setRevision(ctx, tx, it, rev.ID)
	})
	return out, err
}

// SaveQuestion stores q in a new revision of the quiz: replacing the
// question with q.Key, or appended with a fresh key when q.Key is empty.
// Attempts in progress keep scoring against their own revision.
func (s *Service) SaveQuestion(ctx context.Context, itemID int64, q Question, authorID int64) error {
	if problems := q.Check(); len(problems) > 0 {
		return &apperr.Validation{Message: "De vraag is nog niet goed: " + strings.Join(problems, "; ") + "."}
	}
	return s.reviseQuestions(ctx, itemID, authorID, func(qs []Question) ([]Question, error) {
		if q.Key == "" {
			q.Key = nextKey(qs)
			return append(qs, q), nil
		}
		for i := range qs {
			if qs[i].Key == q.Key {
				qs[i] = q
				return qs, nil
			}
		}
		return nil, ErrNotFound
	})
}

// DeleteQuestion removes a question in a new revision of the quiz.
func (s *Service) DeleteQuestion(ctx context.Context, itemID int64, key string, authorID int64) error {
	return s.reviseQuestions(ctx, itemID, authorID, func(qs []Question) ([]Question, error) {
		for i := range qs {
			if qs[i].Key == key {
				return append(qs[:i:i], qs[i+1:]...), nil
			}
		}
		return nil, ErrNotFound
	})
}

func (s *Service) reviseQuestions(ctx context.Context, itemID, authorID int64, change func([]Question) ([]Question, error)) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		it := new(Item)
		if err := tx.NewSelect().Model(it).Where("id = ? AND kind = 'quiz'", itemID).For("UPDATE").Scan(ctx); err != nil {
			return notFound(err, "quiz")
		}
		if it.CurrentRevisionID == nil {
			return ErrNotFound
		}
		cur, err := s.Store.tx(tx).Quiz(ctx, *it.CurrentRevisionID)
		if err != nil {
			return err
		}
		next := *cur
		next.ID, next.CreatedBy, next.CreatedAt = 0, &authorID, cur.CreatedAt
		if next.Questions, err = change(append([]Question(nil), cur.Questions...)); err != nil {
			return err
		}
		if next.Draw > len(next.Questions) {
			next.Draw = 0
		}
		if _, err := tx.NewInsert().Model(&next).ExcludeColumn("created_at").Returning("id").Exec(ctx); err != nil {
			return err
		}
		return s.setRevision(ctx, tx, it, next.ID)
	})
}

// nextKey is a question key not used in qs.
func nextKey(qs []Question) string {
	used := map[string]bool{}
	for _, q := range qs {
		used[q.Key] = true
	}
	for n := len(qs) + 1; ; n++ {
		if k := fmt.Sprintf("q%d", n); !used[k] {
			return k
		}
	}
}

// OptionStat is how often an option was chosen.
type OptionStat struct {
	Option
	Chosen int
	Share  int // percentage of the attempts that showed the question
}

// QuestionStat is how a question fared in submitted attempts.
type QuestionStat struct {
	Question
	Shown        int
	Answered     int
	ShareCorrect int // mean points as a percentage
	Options      []OptionStat
}

// Stats reports per question of the quiz's current revision how often it
// was shown and answered, the mean score, and how often each option was chosen.
func (s *Service) Stats(ctx context.Context, itemID int64) (*QuizRevision, []QuestionStat, int, error) {
	it, err := s.Store.ItemByID(ctx, itemID)
	if err != nil || it.Kind != KindQuiz || it.CurrentRevisionID == nil {
		return nil, nil, 0, ErrNotFound
	}
	rev, err := s.Store.Quiz(ctx, *it.CurrentRevisionID)
	if err != nil {
		return nil, nil, 0, err
	}
	var attempts []Attempt
	if err := s.db.NewSelect().Model(&attempts).Column("layout", "answers", "results").
		Where("quiz_revision_id = ? AND submitted_at IS NOT NULL", rev.ID).Scan(ctx); err != nil {
		return nil, nil, 0, fmt.Errorf("courses: stats: %w", err)
	}
	stats := make([]QuestionStat, len(rev.Questions))
	idx := map[string]int{}
	points := make([]float64, len(rev.Questions))
	chosen := make([]map[string]int, len(rev.Questions))
	for i, q := range rev.Questions {
		stats[i].Question, idx[q.Key], chosen[i] = q, i, map[string]int{}
	}
	for _, a := range attempts {
		for _, sl := range a.Layout {
			if i, ok := idx[sl.Key]; ok {
				stats[i].Shown++
				ans := a.Answers[sl.Key]
				if !ans.Empty() {
					stats[i].Answered++
				}
				for _, id := range append(ans.Options, ans.Option) {
					if id != "" {
						chosen[i][id]++
					}
				}
			}
		}
		for _, r := range a.Results {
			if i, ok := idx[r.Key]; ok {
				points[i] += r.Points
			}
		}
	}
	for i := range stats {
		if stats[i].Shown > 0 {
			stats[i].ShareCorrect = int(points[i] * 100 / float64(stats[i].Shown))
		}
		for _, o := range stats[i].Question.Options {
			os := OptionStat{Option: o, Chosen: chosen[i][o.ID]}
			if stats[i].Shown > 0 {
				os.Share = os.Chosen * 100 / stats[i].Shown
			}
			stats[i].Options = append(stats[i].Options, os)
		}
	}
	return rev, stats, len(attempts), nil
}
