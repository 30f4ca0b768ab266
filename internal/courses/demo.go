package courses

import (
	"context"
	"fmt"

	"github.com/ambtenaar20/leeromgeving/content"
)

// SeedShipped imports the courses shipped with the product and publishes
// them. Importing unchanged content again changes nothing.
func (s *Service) SeedShipped(ctx context.Context) ([]*Course, error) {
	folders, err := content.Courses()
	if err != nil {
		return nil, err
	}
	var out []*Course
	for slug, fsys := range folders {
		doc, err := ReadFolder(fsys)
		if err != nil {
			return nil, fmt.Errorf("courses: shipped course %s: %w", slug, err)
		}
		c, _, err := s.Import(ctx, doc, nil)
		if err != nil {
			return nil, err
		}
		if err := s.SetPublished(ctx, c.ID, true); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// StudyDemo gives a demo learner real progress in a published course: the
// first lessons items read, and, when all is true, every quiz passed with
// correct answers, so the completion is recorded as for anyone.
func (s *Service) StudyDemo(ctx context.Context, l Learner, slug string, items int, all bool) error {
	c, err := s.store.CourseBySlug(ctx, slug)
	if err != nil {
		return err
	}
	o, err := s.store.loadOutline(ctx, c)
	if err != nil {
		return err
	}
	if err := s.Enrol(ctx, l, c); err != nil {
		return err
	}
	for i, it := range o.Items {
		if !all && i >= items {
			break
		}
		if it.Kind == KindLesson {
			if err := s.MarkRead(ctx, l, c, it.ID); err != nil {
				return err
			}
			continue
		}
		a, err := s.StartAttempt(ctx, l, c, it)
		if err != nil {
			return err
		}
		rev, err := s.store.Quiz(ctx, a.QuizRevisionID)
		if err != nil {
			return err
		}
		answers := map[string]Answer{}
		pool := rev.Pool()
		for _, sl := range a.Layout {
			answers[sl.Key] = CorrectAnswer(pool[sl.Key])
		}
		if _, _, err := s.Submit(ctx, l, a.ID, answers); err != nil {
			return err
		}
	}
	return nil
}
