package courses

import (
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Handler serves the learner pages, the trainer pages and the API.
type Handler struct {
	svc      *Service
	validate *web.Validator
	visitors *visitorPages
	packager Packager // the SCORM download, when wired
}

// NewHandler returns the course pages on svc.
func NewHandler(svc *Service, v *web.Validator) *Handler {
	return &Handler{svc: svc, validate: v, visitors: newVisitorPages()}
}

//go:embed openapi.json
var openAPIFragment []byte

// OpenAPI is this domain's part of the API document.
func OpenAPI() []byte { return openAPIFragment }

// Routes registers the pages and the API.
func (h *Handler) Routes(r *web.Router) {
	anyone := r.Public()
	anyone.Get("/cursussen", h.list)
	anyone.Get("/cursussen/:slug", h.course)
	anyone.Get("/cursussen/:slug/les/:item", h.lesson)
	anyone.Get("/cursussen/:slug/toets/:item", h.quiz)

	learner := r.LoggedIn()
	learner.Post("/cursussen/:slug/inschrijven", h.enrol)
	learner.Post("/cursussen/:slug/les/:item/gelezen", h.markRead)
	learner.Post("/cursussen/:slug/toets/:item/starten", h.startAttempt)
	learner.Get("/cursussen/:slug/toets/:item/poging/:id<int>", h.attempt)
	learner.Post("/cursussen/:slug/toets/:item/poging/:id<int>/opslaan", h.saveAttempt)
	learner.Post("/cursussen/:slug/toets/:item/poging/:id<int>/inleveren", h.submitAttempt)
	learner.Get("/mijn/voortgang", h.myProgress)
	h.orgRoutes(r)
	h.authorRoutes(r)
	h.apiRoutes(r)
}

func learnerOf(v *web.Viewer) Learner {
	if v == nil {
		return Learner{}
	}
	return Learner{ID: v.ID, Name: v.Name}
}

// publishedCourse loads the course of the URL; drafts are visible only to
// trainers (as a preview) and never to learners.
func (h *Handler) publishedCourse(c *fiber.Ctx) (*Course, *Outline, error) {
	load := h.svc.Store.CourseBySlug
	if c.Method() == fiber.MethodGet {
		load = h.svc.Store.CachedCourse
	}
	course, err := load(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, nil, err
	}
	if !course.Published() && !web.CurrentViewer(c).Has(web.RoleTrainer) {
		return nil, nil, ErrNotFound
	}
	o, err := h.svc.Store.Outline(c.UserContext(), course)
	if err != nil {
		return nil, nil, err
	}
	return course, o, nil
}

func (h *Handler) item(c *fiber.Ctx, o *Outline, kind string) (*OutlineItem, error) {
	it, ok := o.ItemBySlug(c.Params("item"))
	if !ok || it.Kind != kind || it.CurrentRevisionID == nil {
		return nil, ErrNotFound
	}
	return it, nil
}

// ItemURL is the page of an item.
func ItemURL(course string, it *OutlineItem) string {
	if it.Kind == KindQuiz {
		return "/cursussen/" + course + "/toets/" + it.Slug
	}
	return "/cursussen/" + course + "/les/" + it.Slug
}

type listPage struct {
	web.Page
	Query   string
	Courses []Listing
}

// GET /cursussen
func (h *Handler) list(c *fiber.Ctx) error {
	q := c.Query("q")
	if len(q) > 100 {
		q = q[:100]
	}
	v := web.CurrentViewer(c)
	ls, err := h.svc.Store.Published(c.UserContext(), q, learnerOf(v).ID)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "courses/list", listPage{Page: web.NewPage(c, "Cursussen"), Query: q, Courses: ls})
}

type coursePage struct {
	web.Page
	Course   *Course
	Outline  *Outline
	Progress *Progress
	Percent  int
	Next     *OutlineItem
	NextURL  string
}

// GET /cursussen/:slug
func (h *Handler) course(c *fiber.Ctx) error {
	if h.serveVisitor(c) {
		return nil
	}
	course, o, err := h.publishedCourse(c)
	if err != nil {
		return err
	}
	visitor := cacheable(c, course)
	p, err := h.svc.Store.Progress(c.UserContext(), learnerOf(web.CurrentViewer(c)).ID, course.ID)
	if err != nil {
		return err
	}
	page := coursePage{Page: web.NewPage(c, course.Title), Course: course, Outline: o, Progress: p, Percent: p.Percent(o), Next: p.NextItem(o)}
	if page.Next != nil {
		page.NextURL = ItemURL(course.Slug, page.Next)
	}
	return h.renderKept(c, course, visitor, "courses/course", page)
}

// POST /cursussen/:slug/inschrijven
func (h *Handler) enrol(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	course, o, err := h.publishedCourse(c)
	if err != nil {
		return err
	}
	if err := h.svc.Enrol(c.UserContext(), learnerOf(v), course); err != nil {
		return err
	}
	web.SetFlash(c, "U bent ingeschreven voor "+course.Title+". Veel leerplezier!")
	if len(o.Items) > 0 {
		return c.Redirect(ItemURL(course.Slug, o.Items[0]), fiber.StatusSeeOther)
	}
	return c.Redirect("/cursussen/"+course.Slug, fiber.StatusSeeOther)
}

type lessonPage struct {
	web.Page
	Course   *Course
	Outline  *Outline
	Item     *OutlineItem
	Lesson   *LessonRevision
	Body     template.HTML
	Prev     *OutlineItem
	Next     *OutlineItem
	PrevURL  string
	NextURL  string
	Read     bool
	Progress *Progress
	Percent  int
}

// GET /cursussen/:slug/les/:item
func (h *Handler) lesson(c *fiber.Ctx) error {
	if h.serveVisitor(c) {
		return nil
	}
	course, o, err := h.publishedCourse(c)
	if err != nil {
		return err
	}
	it, err := h.item(c, o, KindLesson)
	if err != nil {
		return err
	}
	visitor := cacheable(c, course)
	l, err := h.svc.Store.Lesson(c.UserContext(), *it.CurrentRevisionID)
	if err != nil {
		return err
	}
	p, err := h.svc.Store.Progress(c.UserContext(), learnerOf(web.CurrentViewer(c)).ID, course.ID)
	if err != nil {
		return err
	}
	page := lessonPage{Page: web.NewPage(c, l.Title), Course: course, Outline: o, Item: it, Lesson: l,
		Body: h.svc.Store.LessonHTML(l), Read: p.Read[it.ID], Progress: p, Percent: p.Percent(o)}
	if it.Index > 0 {
		page.Prev = o.Items[it.Index-1]
		page.PrevURL = ItemURL(course.Slug, page.Prev)
	}
	if it.Index+1 < len(o.Items) {
		page.Next = o.Items[it.Index+1]
		page.NextURL = ItemURL(course.Slug, page.Next)
	}
	return h.renderKept(c, course, visitor, "courses/lesson", page)
}

// POST /cursussen/:slug/les/:item/gelezen
func (h *Handler) markRead(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	course, o, err := h.publishedCourse(c)
	if err != nil {
		return err
	}
	it, err := h.item(c, o, KindLesson)
	if err != nil {
		return err
	}
	if err := h.svc.MarkRead(c.UserContext(), learnerOf(v), course, it.ID); err != nil {
		return err
	}
	h.flashProgress(c, course, o, v.ID, "Les gemarkeerd als gelezen.")
	if it.Index+1 < len(o.Items) {
		return c.Redirect(ItemURL(course.Slug, o.Items[it.Index+1]), fiber.StatusSeeOther)
	}
	return c.Redirect("/cursussen/"+course.Slug, fiber.StatusSeeOther)
}

// flashProgress says what was done and where the learner stands now.
func (h *Handler) flashProgress(c *fiber.Ctx, course *Course, o *Outline, userID int64, what string) {
	p, err := h.svc.Store.Progress(c.UserContext(), userID, course.ID)
	if err != nil {
		web.SetFlash(c, what)
		return
	}
	if p.CompletedAt != nil && time.Since(*p.CompletedAt) < time.Minute {
		web.SetFlash(c, what+" Gefeliciteerd: u heeft de cursus "+course.Title+" afgerond!")
		return
	}
	web.SetFlash(c, fmt.Sprintf("%s Voortgang: %d%%.", what, p.Percent(o)))
}

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
		rev, err := h.svc.Store.Quiz(c.UserContext(), *it.CurrentRevisionID)
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

type myProgressPage struct {
	web.Page
	Courses []MyCourse
}

// GET /mijn/voortgang
func (h *Handler) myProgress(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	cs, err := h.svc.Store.Enrolled(c.UserContext(), v.ID)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "courses/my_progress", myProgressPage{Page: web.NewPage(c, "Mijn voortgang"), Courses: cs})
}

// minutesLabel is "12 minuten" or "1 uur 5 minuten".
func minutesLabel(m int) string {
	switch {
	case m < 60:
		return fmt.Sprintf("%d minuten", m)
	case m%60 == 0:
		return fmt.Sprintf("%d uur", m/60)
	}
	return fmt.Sprintf("%d uur %d minuten", m/60, m%60)
}

// FuncMap holds the template functions of this domain.
func FuncMap() template.FuncMap {
	return template.FuncMap{
		"minuten": minutesLabel,
		"itemURL": ItemURL,
		"scorePct": func(f *float64) int {
			if f == nil {
				return 0
			}
			return int(*f)
		},
		"lower":     strings.ToLower,
		"div60":     func(n int) int { return n / 60 },
		"mul100":    func(f float64) float64 { return f * 100 },
		"typeLabel": typeLabel,
	}
}
