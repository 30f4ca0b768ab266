package courses

import (
	"errors"
	"html/template"
	"strconv"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/gofiber/fiber/v2"
)

type quizPage struct {
	web.Page
	Course *Course
	Item   *OutlineItem
	State  *QuizState
	Prev   string
	Next   string
}

// GET /cursussen/:slug/toets/:item
func (h *Handler) quiz(c *fiber.Ctx) error {
	course, o, err := h.publishedCourse(c)
	if err != nil {
		return err
	}
	it, err := h.item(c, o, KindQuiz)
	if err != nil {
		return err
	}
	page := quizPage{Page: web.NewPage(c, it.Title), Course: course, Item: it}
	if v := web.CurrentViewer(c); v != nil {
		if page.State, err = h.svc.QuizState(c.UserContext(), learnerOf(v), it); err != nil {
			return err
		}
	} else {
		rev, err := h.svc.Quiz(c.UserContext(), *it.CurrentRevisionID)
		if err != nil {
			return err
		}
		page.State = &QuizState{Revision: rev}
	}
	if it.Index > 0 {
		page.Prev = ItemURL(course.Slug, o.Items[it.Index-1])
	}
	if it.Index+1 < len(o.Items) {
		page.Next = ItemURL(course.Slug, o.Items[it.Index+1])
	}
	return web.Render(c, fiber.StatusOK, "courses/quiz", page)
}

func attemptURL(course string, it *OutlineItem, id int64) string {
	return ItemURL(course, it) + "/poging/" + strconv.FormatInt(id, 10)
}

// POST /cursussen/:slug/toets/:item/starten
func (h *Handler) startAttempt(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	course, o, err := h.publishedCourse(c)
	if err != nil {
		return err
	}
	it, err := h.item(c, o, KindQuiz)
	if err != nil {
		return err
	}
	a, err := h.svc.StartAttempt(c.UserContext(), learnerOf(v), course, it)
	if errors.Is(err, ErrNoAttemptsLeft) {
		web.SetFlashError(c, apperr.UserText(err, ""))
		return c.Redirect(ItemURL(course.Slug, it), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	return c.Redirect(attemptURL(course.Slug, it, a.ID), fiber.StatusSeeOther)
}

// shownQuestion is a question as shown in an attempt or its result: without
// the answer key while the attempt is open.
type shownQuestion struct {
	Number   int
	Key      string
	Field    string
	Type     string
	Text     string
	Options  []shownOption
	Answer   Answer
	Error    string
	Points   float64
	Scored   bool
	Feedback template.HTML
	Ordering []int // positions 1..n for the ordering selects
}

type shownOption struct {
	ID       string
	Text     string
	Chosen   bool
	Position int // ordering: the position the learner gave
	Feedback template.HTML
}

type attemptPage struct {
	web.Page
	Course    *Course
	Item      *OutlineItem
	Attempt   *Attempt
	Rev       *QuizRevision
	Questions []shownQuestion
	Errors    web.FieldErrors
	Action    string
	Answered  int
	Score     int
	Passed    bool
	State     *QuizState
}

// buildQuestions prepares the attempt's questions for the page. Feedback
// and results are included only once the attempt is scored.
func buildQuestions(a *Attempt, rev *QuizRevision, answers map[string]Answer, errs web.FieldErrors) []shownQuestion {
	pool := rev.Pool()
	points := map[string]float64{}
	for _, r := range a.Results {
		points[r.Key] = r.Points
	}
	scored := a.SubmittedAt != nil
	out := make([]shownQuestion, 0, len(a.Layout))
	for i, s := range a.Layout {
		q, ok := pool[s.Key]
		if !ok {
			continue
		}
		ans := answers[s.Key]
		sq := shownQuestion{Number: i + 1, Key: s.Key, Field: "q_" + s.Key, Type: q.Type, Text: q.Text, Answer: ans,
			Error: errs.For("q_" + s.Key), Points: points[s.Key], Scored: scored}
		chosen := map[string]bool{ans.Option: ans.Option != ""}
		for _, id := range ans.Options {
			chosen[id] = true
		}
		pos := map[string]int{}
		for j, id := range ans.Order {
			pos[id] = j + 1
		}
		for _, id := range s.Options {
			o, _ := q.option(id)
			so := shownOption{ID: o.ID, Text: o.Text, Chosen: chosen[o.ID], Position: pos[o.ID]}
			if scored && chosen[o.ID] && o.Feedback != "" {
				so.Feedback = web.Markdown(o.Feedback)
			}
			sq.Options = append(sq.Options, so)
		}
		for j := range s.Options {
			sq.Ordering = append(sq.Ordering, j+1)
		}
		if scored && q.Feedback != "" {
			sq.Feedback = web.Markdown(q.Feedback)
		}
		out = append(out, sq)
	}
	return out
}

func (h *Handler) renderAttempt(c *fiber.Ctx, status int, course *Course, it *OutlineItem, a *Attempt, rev *QuizRevision, answers map[string]Answer, errs web.FieldErrors) error {
	page := attemptPage{Page: web.NewPage(c, rev.Title), Course: course, Item: it, Attempt: a, Rev: rev,
		Questions: buildQuestions(a, rev, answers, errs), Errors: errs, Action: attemptURL(course.Slug, it, a.ID)}
	for _, q := range page.Questions {
		if !q.Answer.Empty() {
			page.Answered++
		}
	}
	if a.SubmittedAt != nil {
		page.Title = "Resultaat: " + rev.Title
		if a.ScorePct != nil {
			page.Score = int(*a.ScorePct)
		}
		page.Passed = a.Passed != nil && *a.Passed
		st, err := h.svc.QuizState(c.UserContext(), learnerOf(web.CurrentViewer(c)), it)
		if err != nil {
			return err
		}
		page.State = st
		return web.Render(c, status, "courses/result", page)
	}
	return web.Render(c, status, "courses/attempt", page)
}

func (h *Handler) attemptContext(c *fiber.Ctx) (*web.Viewer, *Course, *OutlineItem, int64, error) {
	v := web.CurrentViewer(c)
	course, o, err := h.publishedCourse(c)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	it, err := h.item(c, o, KindQuiz)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, nil, nil, 0, ErrNotFound
	}
	return v, course, it, id, nil
}

// GET /cursussen/:slug/toets/:item/poging/:id
func (h *Handler) attempt(c *fiber.Ctx) error {
	v, course, it, id, err := h.attemptContext(c)
	if err != nil {
		return err
	}
	a, rev, err := h.svc.Attempt(c.UserContext(), learnerOf(v), id)
	if err != nil {
		return err
	}
	if a.ItemID != it.ID {
		return ErrNotFound
	}
	return h.renderAttempt(c, fiber.StatusOK, course, it, a, rev, a.Answers, nil)
}

// fiberForm adapts a posted form to FormValues.
type fiberForm struct{ c *fiber.Ctx }

func (f fiberForm) Values(name string) []string {
	var out []string
	for _, b := range f.c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(b))
	}
	return out
}

func (f fiberForm) Names() []string {
	var out []string
	f.c.Request().PostArgs().VisitAll(func(k, _ []byte) { out = append(out, string(k)) })
	return out
}

// autosave reports whether the post came from the page's script, which
// wants a status code rather than a page.
func autosave(c *fiber.Ctx) bool { return c.Get("X-Autosave") == "1" }

// POST /cursussen/:slug/toets/:item/poging/:id/opslaan
func (h *Handler) saveAttempt(c *fiber.Ctx) error {
	return h.postAttempt(c, false)
}

// POST /cursussen/:slug/toets/:item/poging/:id/inleveren
func (h *Handler) submitAttempt(c *fiber.Ctx) error {
	return h.postAttempt(c, true)
}

func (h *Handler) postAttempt(c *fiber.Ctx, submit bool) error {
	v, course, it, id, err := h.attemptContext(c)
	if err != nil {
		return err
	}
	l := learnerOf(v)
	a, rev, err := h.svc.Attempt(c.UserContext(), l, id)
	if err != nil {
		return err
	}
	if a.ItemID != it.ID {
		return ErrNotFound
	}
	back := attemptURL(course.Slug, it, a.ID)
	if a.SubmittedAt != nil { // double click, back button, or time ran out
		if autosave(c) {
			return c.SendStatus(fiber.StatusConflict)
		}
		web.SetFlashError(c, "Deze poging was al ingeleverd; hieronder ziet u de uitslag. Er is niets veranderd.")
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	answers, derr := DecodeFormAnswers(fiberForm{c}, a.Layout, rev.Pool())
	if derr != nil {
		if autosave(c) {
			return c.SendStatus(fiber.StatusUnprocessableEntity)
		}
		fields, _ := web.FieldErrorsOf(derr, nil)
		merged := a.Answers
		for k, v := range answers {
			merged[k] = v
		}
		return h.renderAttempt(c, fiber.StatusUnprocessableEntity, course, it, a, rev, merged, fields)
	}
	if !submit {
		_, err := h.svc.SaveAnswers(c.UserContext(), l, id, answers)
		switch {
		case errors.Is(err, ErrTimeUp), errors.Is(err, ErrAttemptClosed):
			if autosave(c) {
				return c.SendStatus(fiber.StatusConflict)
			}
			web.SetFlashError(c, apperr.UserText(err, ""))
			return c.Redirect(back, fiber.StatusSeeOther)
		case err != nil:
			return err
		}
		if autosave(c) {
			return c.SendStatus(fiber.StatusNoContent)
		}
		web.SetFlash(c, "Uw antwoorden zijn opgeslagen. U kunt later verder gaan.")
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	scored, _, err := h.svc.Submit(c.UserContext(), l, id, answers)
	switch {
	case errors.Is(err, ErrAttemptClosed):
		web.SetFlashError(c, "Deze poging was al ingeleverd; hieronder ziet u de uitslag. Er is niets veranderd.")
	case err != nil:
		return err
	case scored.DeadlineAt != nil && scored.SubmittedAt != nil && !scored.SubmittedAt.Before(*scored.DeadlineAt):
		web.SetFlashError(c, apperr.UserText(ErrTimeUp, ""))
	case scored.Passed != nil && *scored.Passed:
		web.SetFlash(c, "Gehaald! Uw antwoorden zijn nagekeken.")
	default:
		web.SetFlash(c, "Uw antwoorden zijn nagekeken.")
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}
