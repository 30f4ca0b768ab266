package courses

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/uptrace/bun"
	"gopkg.in/yaml.v3"
)

// Import writes a course read from a folder in one transaction: a new course
// is created as a draft; an existing one (same slug) is updated in place.
// Items are matched by their file name, so learners keep their progress;
// changed content becomes a new revision; items no longer in the folder are
// removed. It reports whether the course was created.
func (s *Service) Import(ctx context.Context, doc *CourseDoc, authorID *int64) (*Course, bool, error) {
	var c *Course
	created := false
	err := s.inTx(ctx, func(ctx context.Context, _ bun.Tx, st *Store) error {
		var err error
		c, err = st.LockCourseBySlug(ctx, doc.Slug)
		if errors.Is(err, ErrNotFound) {
			created = true
			c = &Course{Slug: doc.Slug, Status: StatusDraft, Version: 1, CreatedBy: authorID}
		} else if err != nil {
			return err
		}
		c.Title, c.Summary, c.Audience, c.StudyHours = doc.Title, doc.Summary, doc.Audience, doc.StudyHours
		if created {
			err = st.InsertCourse(ctx, c)
		} else {
			err = st.UpdateCourseDetails(ctx, c)
		}
		if err != nil {
			return err
		}
		return importStructure(ctx, st, c, doc, authorID)
	})
	if err != nil {
		return nil, false, err
	}
	return c, created, nil
}

func importStructure(ctx context.Context, st *Store, c *Course, doc *CourseDoc, authorID *int64) error {
	mods, err := st.Modules(ctx, c.ID)
	if err != nil {
		return err
	}
	items, err := st.Items(ctx, c.ID)
	if err != nil {
		return err
	}
	bySlug := map[string]*Item{}
	for i := range items {
		bySlug[items[i].Slug] = &items[i]
	}
	keep := map[int64]bool{}
	for mi, md := range doc.Modules {
		var m *Module
		if mi < len(mods) {
			m = &mods[mi]
			m.Title, m.Summary, m.Position = md.Title, md.Summary, mi
		} else {
			m = &Module{CourseID: c.ID, Position: mi, Title: md.Title, Summary: md.Summary}
		}
		if err := st.SaveModule(ctx, m); err != nil {
			return err
		}
		for pos, idoc := range md.Items {
			it, err := importItem(ctx, st, c, m, pos, idoc, bySlug[idoc.Slug()], authorID)
			if err != nil {
				return err
			}
			keep[it.ID] = true
		}
	}
	for _, it := range items {
		if !keep[it.ID] {
			if _, err := st.DeleteItem(ctx, it.ID); err != nil {
				return err
			}
		}
	}
	for mi := len(doc.Modules); mi < len(mods); mi++ {
		if err := st.DeleteModule(ctx, mods[mi].ID); err != nil {
			return err
		}
	}
	return nil
}

func importItem(ctx context.Context, st *Store, c *Course, m *Module, pos int, idoc ItemDoc, existing *Item, authorID *int64) (*Item, error) {
	kind := KindLesson
	if idoc.Quiz != nil {
		kind = KindQuiz
	}
	it := existing
	if it != nil && it.Kind != kind {
		return nil, fmt.Errorf("courses: %s was a %s and is now a %s; give it a new file name", it.Slug, it.Kind, kind)
	}
	if it == nil {
		it = &Item{CourseID: c.ID, ModuleID: m.ID, Position: pos, Kind: kind, Slug: idoc.Slug()}
		if err := st.InsertItem(ctx, it); err != nil {
			return nil, err
		}
	} else {
		it.ModuleID, it.Position = m.ID, pos
		if err := st.PlaceItem(ctx, it); err != nil {
			return nil, err
		}
	}
	var revID int64
	if kind == KindLesson {
		l := idoc.Lesson
		if it.CurrentRevisionID != nil {
			if cur, err := st.Lesson(ctx, *it.CurrentRevisionID); err == nil && cur.Title == l.Title && cur.Minutes == l.Minutes && cur.Body == l.Body {
				return it, nil
			}
		}
		rev := &LessonRevision{ItemID: it.ID, Title: l.Title, Minutes: l.Minutes, Body: l.Body, CreatedBy: authorID}
		if err := st.InsertLessonRevision(ctx, rev); err != nil {
			return nil, err
		}
		revID = rev.ID
	} else {
		q := idoc.Quiz
		rev := &QuizRevision{ItemID: it.ID, Title: q.Title, PassMark: q.PassMark, AttemptsAllowed: q.Attempts,
			TimeLimitSecs: q.TimeLimitMinutes * 60, Draw: q.Draw, ShuffleQuestions: q.ShuffleQuestions,
			ShuffleOptions: q.ShuffleOptions, Questions: q.StoredQuestions(), CreatedBy: authorID}
		if it.CurrentRevisionID != nil {
			if cur, err := st.Quiz(ctx, *it.CurrentRevisionID); err == nil && sameQuiz(cur, rev) {
				return it, nil
			}
		}
		if err := st.InsertQuizRevision(ctx, rev); err != nil {
			return nil, err
		}
		revID = rev.ID
	}
	it.CurrentRevisionID = &revID
	return it, st.SetRevision(ctx, it.ID, revID)
}

func sameQuiz(a, b *QuizRevision) bool {
	return a.Title == b.Title && a.PassMark == b.PassMark && a.AttemptsAllowed == b.AttemptsAllowed &&
		a.TimeLimitSecs == b.TimeLimitSecs && a.Draw == b.Draw && a.ShuffleQuestions == b.ShuffleQuestions &&
		a.ShuffleOptions == b.ShuffleOptions && reflect.DeepEqual(a.Questions, b.Questions)
}

// Export writes the course with slug, with the current revision of every
// item, as a course folder in dir (which must be empty or not exist).
func (s *Service) Export(ctx context.Context, slug, dir string) error {
	c, err := s.store.CourseBySlug(ctx, slug)
	if err != nil {
		return err
	}
	o, err := s.store.loadOutline(ctx, c)
	if err != nil {
		return err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("map %s is niet leeg", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	doc := CourseDoc{Slug: c.Slug, Title: c.Title, Summary: c.Summary, Audience: c.Audience, StudyHours: c.StudyHours}
	for _, m := range o.Modules {
		md := ModuleDoc{Title: m.Title, Summary: m.Summary}
		for _, it := range m.Items {
			if it.CurrentRevisionID == nil {
				continue
			}
			if it.Kind == KindLesson {
				l, err := s.store.Lesson(ctx, *it.CurrentRevisionID)
				if err != nil {
					return err
				}
				name := it.Slug + ".md"
				front, _ := yaml.Marshal(LessonDoc{Title: l.Title, Minutes: l.Minutes})
				body := "---\n" + string(front) + "---\n" + strings.TrimLeft(l.Body, "\n")
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					return err
				}
				md.Items = append(md.Items, ItemDoc{LessonFile: name})
				continue
			}
			q, err := s.store.Quiz(ctx, *it.CurrentRevisionID)
			if err != nil {
				return err
			}
			name := it.Slug + ".yaml"
			b, err := yaml.Marshal(quizToDoc(q))
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				return err
			}
			md.Items = append(md.Items, ItemDoc{QuizFile: name})
		}
		doc.Modules = append(doc.Modules, md)
	}
	b, err := yaml.Marshal(doc)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "course.yaml"), b, 0o644)
}

// quizExport is a quiz file as written by Export: like QuizDoc, with each
// question's answer as a plain value.
type quizExport struct {
	Title            string           `yaml:"title"`
	PassMark         int              `yaml:"pass_mark"`
	Attempts         int              `yaml:"attempts"`
	TimeLimitMinutes int              `yaml:"time_limit_minutes"`
	Draw             int              `yaml:"draw"`
	ShuffleQuestions bool             `yaml:"shuffle_questions"`
	ShuffleOptions   bool             `yaml:"shuffle_options"`
	Questions        []questionExport `yaml:"questions"`
}

type questionExport struct {
	Key       string      `yaml:"key"`
	Type      string      `yaml:"type"`
	Text      string      `yaml:"text"`
	Feedback  string      `yaml:"feedback,omitempty"`
	Scoring   string      `yaml:"scoring,omitempty"`
	Options   []OptionDoc `yaml:"options,omitempty"`
	Answer    any         `yaml:"answer,omitempty"`
	Tolerance float64     `yaml:"tolerance,omitempty"`
	Accepted  []string    `yaml:"accepted,omitempty"`
}

func quizToDoc(q *QuizRevision) quizExport {
	out := quizExport{Title: q.Title, PassMark: q.PassMark, Attempts: q.AttemptsAllowed, TimeLimitMinutes: q.TimeLimitSecs / 60,
		Draw: q.Draw, ShuffleQuestions: q.ShuffleQuestions, ShuffleOptions: q.ShuffleOptions}
	for _, qu := range q.Questions {
		e := questionExport{Key: qu.Key, Type: qu.Type, Text: qu.Text, Feedback: qu.Feedback, Scoring: qu.Scoring,
			Tolerance: qu.Tolerance, Accepted: qu.Accepted}
		for _, o := range qu.Options {
			e.Options = append(e.Options, OptionDoc{Text: o.Text, Correct: o.Correct, Feedback: o.Feedback})
		}
		switch {
		case qu.Answer != nil:
			e.Answer = *qu.Answer
		case qu.Number != nil:
			e.Answer = *qu.Number
		}
		out.Questions = append(out.Questions, e)
	}
	return out
}
