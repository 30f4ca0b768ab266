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

// CreateCourse adds a draft course; ErrSlugTaken when the slug exists.
func (s *Service) CreateCourse(ctx context.Context, in CourseInput, authorID int64) (*Course, error) {
	if err := slugProblem("slug", in.Slug); err != nil {
		return nil, err
	}
	c := &Course{Slug: in.Slug, Title: in.Title, Summary: in.Summary, Audience: in.Audience, StudyHours: in.StudyHours,
		Status: StatusDraft, Version: 1, CreatedBy: &authorID}
	if err := s.store.InsertCourse(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateCourse changes a course's details.
func (s *Service) UpdateCourse(ctx context.Context, id int64, in CourseInput) error {
	if err := slugProblem("slug", in.Slug); err != nil {
		return err
	}
	return s.store.UpdateCourse(ctx, id, in)
}

// PublishProblems lists what keeps a course from being published.
func (s *Service) PublishProblems(ctx context.Context, c *Course) ([]string, error) {
	o, err := s.store.loadOutline(ctx, c)
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
		q, err := s.store.Quiz(ctx, *it.CurrentRevisionID)
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
	c, err := s.store.CourseByID(ctx, id)
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
	return s.store.SetStatus(ctx, id, status)
}

// SaveModule adds a module at the end of the course (id 0) or renames one.
func (s *Service) SaveModule(ctx context.Context, courseID, id int64, title, summary string) error {
	return s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		var err error
		if id == 0 {
			err = st.AppendModule(ctx, courseID, title, summary)
		} else {
			err = st.RenameModule(ctx, courseID, id, title, summary)
		}
		if err != nil {
			return err
		}
		return st.Touch(ctx, courseID)
	})
}

// Move swaps a module or item with its neighbour (dir −1 up, +1 down).
func (s *Service) Move(ctx context.Context, table string, id int64, dir int) error {
	return s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		courseID, err := st.Move(ctx, table, id, dir)
		if err != nil {
			return err
		}
		return st.Touch(ctx, courseID)
	})
}

// DeleteModule removes an empty module.
func (s *Service) DeleteModule(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		courseID, items, err := st.LockModule(ctx, id)
		if err != nil {
			return err
		}
		if items > 0 {
			return apperr.Msg(apperr.ErrConflict, "Deze module bevat nog lessen of toetsen. Verwijder die eerst.")
		}
		if err := st.DeleteModule(ctx, id); err != nil {
			return err
		}
		return st.Touch(ctx, courseID)
	})
}

// DeleteItem removes a lesson or quiz with its learners' records of it.
// Completions already recorded stay.
func (s *Service) DeleteItem(ctx context.Context, id int64) error {
	return s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		courseID, err := st.DeleteItem(ctx, id)
		if err != nil {
			return err
		}
		return st.Touch(ctx, courseID)
	})
}

// setRevision makes revID the item's current revision and moves the
// course's version on.
func setRevision(ctx context.Context, st *Store, it *Item, revID int64) error {
	if err := st.SetRevision(ctx, it.ID, revID); err != nil {
		return err
	}
	return st.Touch(ctx, it.CourseID)
}

// SaveLesson adds a lesson to module moduleID (itemID 0) or saves a new
// revision of lesson itemID. Learners' open pages and attempts are unaffected.
func (s *Service) SaveLesson(ctx context.Context, moduleID, itemID int64, in LessonInput, authorID int64) (*Item, error) {
	var out *Item
	err := s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		it, err := itemFor(ctx, st, moduleID, itemID, KindLesson, in.Slug)
		if err != nil {
			return err
		}
		rev := &LessonRevision{ItemID: it.ID, Title: in.Title, Minutes: in.Minutes, Body: strings.ReplaceAll(in.Body, "\r\n", "\n"), CreatedBy: &authorID}
		if err := st.InsertLessonRevision(ctx, rev); err != nil {
			return err
		}
		out = it
		return setRevision(ctx, st, it, rev.ID)
	})
	return out, err
}

// itemFor returns the existing item (checking its kind, renaming it when
// slug differs) or adds a new one at the end of the module.
func itemFor(ctx context.Context, st *Store, moduleID, itemID int64, kind, slug string) (*Item, error) {
	if itemID != 0 {
		it, err := st.LockItem(ctx, itemID)
		if err != nil {
			return nil, err
		}
		if it.Kind != kind {
			return nil, ErrNotFound
		}
		if slug != "" && slug != it.Slug {
			if err := slugProblem("slug", slug); err != nil {
				return nil, err
			}
			if err := st.RenameItem(ctx, it.ID, slug); err != nil {
				return nil, err
			}
			it.Slug = slug
		}
		return it, nil
	}
	if err := slugProblem("slug", slug); err != nil {
		return nil, err
	}
	m, err := st.ModuleByID(ctx, moduleID)
	if err != nil {
		return nil, err
	}
	return st.AppendItem(ctx, m, kind, slug)
}

// SaveQuiz adds a quiz (itemID 0, no questions yet) or saves a new revision
// with new settings and the same questions.
func (s *Service) SaveQuiz(ctx context.Context, moduleID, itemID int64, in QuizInput, authorID int64) (*Item, error) {
	var out *Item
	err := s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		it, err := itemFor(ctx, st, moduleID, itemID, KindQuiz, in.Slug)
		if err != nil {
			return err
		}
		questions := []Question{}
		if it.CurrentRevisionID != nil {
			cur, err := st.Quiz(ctx, *it.CurrentRevisionID)
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
		if err := st.InsertQuizRevision(ctx, rev); err != nil {
			return err
		}
		out = it
		return setRevision(ctx, st, it, rev.ID)
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
	return s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		it, err := st.LockItem(ctx, itemID)
		if err != nil {
			return err
		}
		if it.Kind != KindQuiz || it.CurrentRevisionID == nil {
			return ErrNotFound
		}
		cur, err := st.Quiz(ctx, *it.CurrentRevisionID)
		if err != nil {
			return err
		}
		next := *cur
		next.ID, next.CreatedBy = 0, &authorID
		if next.Questions, err = change(append([]Question(nil), cur.Questions...)); err != nil {
			return err
		}
		if next.Draw > len(next.Questions) {
			next.Draw = 0
		}
		if err := st.InsertQuizRevision(ctx, &next); err != nil {
			return err
		}
		return setRevision(ctx, st, it, next.ID)
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
	it, err := s.store.ItemByID(ctx, itemID)
	if err != nil || it.Kind != KindQuiz || it.CurrentRevisionID == nil {
		return nil, nil, 0, ErrNotFound
	}
	rev, err := s.store.Quiz(ctx, *it.CurrentRevisionID)
	if err != nil {
		return nil, nil, 0, err
	}
	attempts, err := s.store.SubmittedAttempts(ctx, rev.ID)
	if err != nil {
		return nil, nil, 0, err
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
