package courses

import (
	_ "embed"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

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

// publishedCourse loads the course of the URL for the viewer: trainers may
// preview drafts. Pages read the course row from the short-lived cache;
// posts read it fresh.
func (h *Handler) publishedCourse(c *fiber.Ctx) (*Course, *Outline, error) {
	return h.svc.VisibleCourse(c.UserContext(), c.Params("slug"), web.CurrentViewer(c).Has(web.RoleTrainer), c.Method() != fiber.MethodGet)
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
	ls, err := h.svc.Published(c.UserContext(), q, learnerOf(v).ID)
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
	p, err := h.svc.Progress(c.UserContext(), learnerOf(web.CurrentViewer(c)).ID, course.ID)
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
	l, err := h.svc.Lesson(c.UserContext(), *it.CurrentRevisionID)
	if err != nil {
		return err
	}
	p, err := h.svc.Progress(c.UserContext(), learnerOf(web.CurrentViewer(c)).ID, course.ID)
	if err != nil {
		return err
	}
	page := lessonPage{Page: web.NewPage(c, l.Title), Course: course, Outline: o, Item: it, Lesson: l,
		Body: h.svc.LessonHTML(l), Read: p.Read[it.ID], Progress: p, Percent: p.Percent(o)}
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
	p, err := h.svc.Progress(c.UserContext(), userID, course.ID)
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

type myProgressPage struct {
	web.Page
	Courses []MyCourse
}

// GET /mijn/voortgang
func (h *Handler) myProgress(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	cs, err := h.svc.Enrolled(c.UserContext(), v.ID)
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
