package courses

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

func (h *Handler) apiRoutes(r *web.Router) {
	anyone := r.Public()
	anyone.Get("/api/v1/courses", h.apiCourses)
	anyone.Get("/api/v1/courses/:slug", h.apiCourse)

	learner := r.LoggedIn()
	learner.Get("/api/v1/me/progress", h.apiProgress)
	learner.Post("/api/v1/courses/:slug/quizzes/:item/attempts", h.apiStart)
	learner.Get("/api/v1/attempts/:id<int>", h.apiAttempt)
	learner.Put("/api/v1/attempts/:id<int>/answers", h.apiSave)
	learner.Post("/api/v1/attempts/:id<int>/submit", h.apiSubmit)
}

type apiCourseSummary struct {
	Slug       string `json:"slug"`
	Title      string `json:"title"`
	Summary    string `json:"summary"`
	Audience   string `json:"audience"`
	StudyHours int    `json:"study_hours"`
	Lessons    int    `json:"lessons"`
	Quizzes    int    `json:"quizzes"`
	Percent    *int   `json:"progress_percent,omitempty"`
}

func summaryOf(l Listing, withProgress bool) apiCourseSummary {
	s := apiCourseSummary{Slug: l.Slug, Title: l.Title, Summary: l.Summary, Audience: l.Audience, StudyHours: l.StudyHours, Lessons: l.Lessons, Quizzes: l.Quizzes}
	if withProgress && l.Enrolled {
		p := l.Percent()
		s.Percent = &p
	}
	return s
}

// GET /api/v1/courses
func (h *Handler) apiCourses(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	ls, err := h.svc.Published(c.UserContext(), c.Query("q"), learnerOf(v).ID)
	if err != nil {
		return err
	}
	out := make([]apiCourseSummary, 0, len(ls))
	for _, l := range ls {
		out = append(out, summaryOf(l, v != nil))
	}
	return c.JSON(fiber.Map{"courses": out})
}

type apiItem struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Minutes int    `json:"minutes,omitempty"`
	Done    *bool  `json:"done,omitempty"`
}

type apiModule struct {
	Title   string    `json:"title"`
	Summary string    `json:"summary"`
	Items   []apiItem `json:"items"`
}

// GET /api/v1/courses/:slug — the outline without any answer key.
func (h *Handler) apiCourse(c *fiber.Ctx) error {
	course, err := h.svc.CourseBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if !course.Published() {
		return ErrNotFound
	}
	o, err := h.svc.Outline(c.UserContext(), course)
	if err != nil {
		return err
	}
	v := web.CurrentViewer(c)
	p, err := h.svc.Progress(c.UserContext(), learnerOf(v).ID, course.ID)
	if err != nil {
		return err
	}
	mods := make([]apiModule, 0, len(o.Modules))
	for _, m := range o.Modules {
		am := apiModule{Title: m.Title, Summary: m.Summary, Items: []apiItem{}}
		for _, it := range m.Items {
			ai := apiItem{ID: it.ID, Kind: it.Kind, Slug: it.Slug, Title: it.Title, Minutes: it.Minutes}
			if v != nil {
				d := p.Done(it)
				ai.Done = &d
			}
			am.Items = append(am.Items, ai)
		}
		mods = append(mods, am)
	}
	out := fiber.Map{"slug": course.Slug, "title": course.Title, "summary": course.Summary, "audience": course.Audience,
		"study_hours": course.StudyHours, "modules": mods}
	if v != nil {
		out["progress_percent"] = p.Percent(o)
		out["completed_at"] = p.CompletedAt
	}
	return c.JSON(out)
}

// GET /api/v1/me/progress
func (h *Handler) apiProgress(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	cs, err := h.svc.Enrolled(c.UserContext(), v.ID)
	if err != nil {
		return err
	}
	type quiz struct {
		ID        int64   `json:"quiz_id"`
		Title     string  `json:"title"`
		BestScore float64 `json:"best_score_pct"`
		Passed    bool    `json:"passed"`
		Attempts  int     `json:"attempts"`
	}
	type course struct {
		apiCourseSummary
		CompletedAt *time.Time `json:"completed_at"`
		Quizzes     []quiz     `json:"quiz_results"`
	}
	out := make([]course, 0, len(cs))
	for _, mc := range cs {
		co := course{apiCourseSummary: summaryOf(mc.Listing, true), CompletedAt: mc.CompletedAt, Quizzes: []quiz{}}
		for _, q := range mc.QuizResults {
			co.Quizzes = append(co.Quizzes, quiz{q.ItemID, q.Title, q.BestScore, q.Passed, q.Attempts})
		}
		out = append(out, co)
	}
	return c.JSON(fiber.Map{"courses": out})
}

type apiQuestion struct {
	Key     string      `json:"key"`
	Type    string      `json:"type"`
	Text    string      `json:"text"`
	Options []apiOption `json:"options,omitempty"`
}

type apiOption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

type apiAttemptView struct {
	*Attempt
	Title     string           `json:"title"`
	PassMark  int              `json:"pass_mark"`
	Questions []apiQuestion    `json:"questions"`
	Results   []QuestionResult `json:"results,omitempty"`
}

// attemptView shows the drawn questions with their options in the
// learner's order, never the answer key.
func attemptView(a *Attempt, rev *QuizRevision) apiAttemptView {
	pool := rev.Pool()
	v := apiAttemptView{Attempt: a, Title: rev.Title, PassMark: rev.PassMark, Questions: []apiQuestion{}}
	for _, s := range a.Layout {
		q := pool[s.Key]
		if q == nil {
			continue
		}
		aq := apiQuestion{Key: q.Key, Type: q.Type, Text: q.Text}
		for _, id := range s.Options {
			o, _ := q.option(id)
			aq.Options = append(aq.Options, apiOption{ID: o.ID, Text: o.Text})
		}
		v.Questions = append(v.Questions, aq)
	}
	if a.SubmittedAt != nil {
		v.Results = a.Results
	}
	return v
}

// POST /api/v1/courses/:slug/quizzes/:item/attempts
func (h *Handler) apiStart(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	course, err := h.svc.CourseBySlug(c.UserContext(), c.Params("slug"))
	if err != nil {
		return err
	}
	if !course.Published() {
		return ErrNotFound
	}
	o, err := h.svc.Outline(c.UserContext(), course)
	if err != nil {
		return err
	}
	it, err := h.item(c, o, KindQuiz)
	if err != nil {
		return err
	}
	a, err := h.svc.StartAttempt(c.UserContext(), learnerOf(v), course, it)
	if err != nil {
		return err
	}
	rev, err := h.svc.Quiz(c.UserContext(), a.QuizRevisionID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(attemptView(a, rev))
}

func (h *Handler) apiAttemptOf(c *fiber.Ctx) (Learner, int64, error) {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return Learner{}, 0, ErrNotFound
	}
	return learnerOf(v), id, nil
}

// GET /api/v1/attempts/:id
func (h *Handler) apiAttempt(c *fiber.Ctx) error {
	l, id, err := h.apiAttemptOf(c)
	if err != nil {
		return err
	}
	a, rev, err := h.svc.Attempt(c.UserContext(), l, id)
	if err != nil {
		return err
	}
	return c.JSON(attemptView(a, rev))
}

// decodeAPIAnswers reads {"answers": {"key": {...}}}, refusing unknown fields.
func decodeAPIAnswers(body []byte) (map[string]Answer, error) {
	var in struct {
		Answers map[string]Answer `json:"answers"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, &apperr.Validation{Message: "De body moet JSON zijn van de vorm {\"answers\": {\"q1\": {\"option\": \"a\"}}}: " + err.Error(),
			Fields: map[string]string{"answers": "ongeldig"}}
	}
	if dec.More() {
		return nil, apperr.NewValidation("answers", "Na het JSON-object staat nog meer.")
	}
	if len(in.Answers) > 200 {
		return nil, apperr.NewValidation("answers", "Te veel antwoorden.")
	}
	return in.Answers, nil
}

// PUT /api/v1/attempts/:id/answers
func (h *Handler) apiSave(c *fiber.Ctx) error {
	l, id, err := h.apiAttemptOf(c)
	if err != nil {
		return err
	}
	answers, err := decodeAPIAnswers(c.Body())
	if err != nil {
		return err
	}
	if _, err := h.svc.SaveAnswers(c.UserContext(), l, id, answers); err != nil {
		return err
	}
	a, rev, err := h.svc.Attempt(c.UserContext(), l, id)
	if err != nil {
		return err
	}
	return c.JSON(attemptView(a, rev))
}

// POST /api/v1/attempts/:id/submit — answers in the body are optional.
func (h *Handler) apiSubmit(c *fiber.Ctx) error {
	l, id, err := h.apiAttemptOf(c)
	if err != nil {
		return err
	}
	var answers map[string]Answer
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if answers, err = decodeAPIAnswers(c.Body()); err != nil {
			return err
		}
	}
	a, rev, err := h.svc.Submit(c.UserContext(), l, id, answers)
	if errors.Is(err, ErrAttemptClosed) {
		return err
	}
	if err != nil {
		return err
	}
	return c.JSON(attemptView(a, rev))
}
