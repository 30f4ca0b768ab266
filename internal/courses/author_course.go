package courses

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// authorRoutes are the trainers' pages for writing courses.
func (h *Handler) authorRoutes(r *web.Router) {
	g := r.Role(web.RoleTrainer)
	g.Get("/beheer/cursussen", h.authorList)
	g.Get("/beheer/cursussen/nieuw", h.authorNewCourse)
	g.Post("/beheer/cursussen/nieuw", h.authorCreateCourse)
	g.Get("/beheer/cursussen/:id<int>", h.authorCourse)
	g.Post("/beheer/cursussen/:id<int>", h.authorUpdateCourse)
	g.Post("/beheer/cursussen/:id<int>/publiceren", h.authorPublish(true))
	g.Post("/beheer/cursussen/:id<int>/depubliceren", h.authorPublish(false))
	g.Get("/beheer/cursussen/:id<int>/scorm12.zip", h.authorSCORM)
	g.Post("/beheer/cursussen/:id<int>/modules", h.authorSaveModule)
	g.Post("/beheer/modules/:mid<int>", h.authorSaveModule)
	g.Post("/beheer/modules/:mid<int>/:dir<regex(omhoog|omlaag)>", h.authorMove("modules", "mid"))
	g.Post("/beheer/modules/:mid<int>/verwijderen", h.authorDeleteModule)
	g.Get("/beheer/modules/:mid<int>/les-nieuw", h.authorLessonForm)
	g.Post("/beheer/modules/:mid<int>/les-nieuw", h.authorSaveLesson)
	g.Get("/beheer/modules/:mid<int>/toets-nieuw", h.authorQuizForm)
	g.Post("/beheer/modules/:mid<int>/toets-nieuw", h.authorSaveQuiz)
	g.Get("/beheer/onderdelen/:iid<int>/les", h.authorLessonForm)
	g.Post("/beheer/onderdelen/:iid<int>/les", h.authorSaveLesson)
	g.Get("/beheer/onderdelen/:iid<int>/toets", h.authorQuizForm)
	g.Post("/beheer/onderdelen/:iid<int>/toets", h.authorSaveQuiz)
	g.Get("/beheer/onderdelen/:iid<int>/vraag/:key", h.authorQuestionForm)
	g.Post("/beheer/onderdelen/:iid<int>/vraag/:key", h.authorSaveQuestion)
	g.Post("/beheer/onderdelen/:iid<int>/vraag/:key/verwijderen", h.authorDeleteQuestion)
	g.Get("/beheer/onderdelen/:iid<int>/statistiek", h.authorStats)
	g.Post("/beheer/onderdelen/:iid<int>/:dir<regex(omhoog|omlaag)>", h.authorMove("course_items", "iid"))
	g.Post("/beheer/onderdelen/:iid<int>/verwijderen", h.authorDeleteItem)
}

func editURL(courseID int64) string { return fmt.Sprintf("/beheer/cursussen/%d", courseID) }

type authorListPage struct {
	web.Page
	Courses []Listing
}

// GET /beheer/cursussen
func (h *Handler) authorList(c *fiber.Ctx) error {
	cs, err := h.svc.AllCourses(c.UserContext())
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "courses/author_list", authorListPage{Page: web.NewPage(c, "Cursussen beheren"), Courses: cs})
}

type authorCoursePage struct {
	web.Page
	Course   *Course
	Form     CourseInput
	Errors   web.FieldErrors
	Outline  *Outline
	Problems []string
	New      bool
}

// GET /beheer/cursussen/nieuw
func (h *Handler) authorNewCourse(c *fiber.Ctx) error {
	return web.Render(c, fiber.StatusOK, "courses/author_course", authorCoursePage{Page: web.NewPage(c, "Nieuwe cursus"),
		New: true, Form: CourseInput{StudyHours: 2}})
}

func (h *Handler) decodeCourse(c *fiber.Ctx) (CourseInput, web.FieldErrors) {
	var in CourseInput
	if err := c.BodyParser(&in); err != nil {
		return in, web.FieldErrors{{Field: "study_hours", Message: "Vul een heel getal in."}}
	}
	web.Tidy(&in)
	if err := h.validate.Struct(&in); err != nil {
		errs, _ := web.FieldErrorsOf(err, &in)
		return in, errs
	}
	if err := slugProblem("slug", in.Slug); err != nil {
		errs, _ := web.FieldErrorsOf(err, &in)
		return in, errs
	}
	return in, nil
}

// POST /beheer/cursussen/nieuw
func (h *Handler) authorCreateCourse(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	in, errs := h.decodeCourse(c)
	if errs == nil {
		course, err := h.svc.CreateCourse(c.UserContext(), in, v.ID)
		if err == nil {
			web.SetFlash(c, "Cursus aangemaakt als concept. Voeg nu modules, lessen en toetsen toe.")
			return c.Redirect(editURL(course.ID), fiber.StatusSeeOther)
		}
		if err != ErrSlugTaken {
			return err
		}
		errs = web.FieldErrors{{Field: "slug", Message: apperr.UserText(err, "")}}
	}
	return web.Render(c, fiber.StatusUnprocessableEntity, "courses/author_course", authorCoursePage{Page: web.NewPage(c, "Nieuwe cursus"), New: true, Form: in, Errors: errs})
}

func (h *Handler) renderAuthorCourse(c *fiber.Ctx, status int, id int64, form *CourseInput, errs web.FieldErrors) error {
	course, err := h.svc.CourseByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	o, err := h.svc.Outline(c.UserContext(), course)
	if err != nil {
		return err
	}
	problems, err := h.svc.PublishProblems(c.UserContext(), course)
	if err != nil {
		return err
	}
	page := authorCoursePage{Page: web.NewPage(c, "Bewerken: "+course.Title), Course: course, Outline: o, Errors: errs, Problems: problems,
		Form: CourseInput{Slug: course.Slug, Title: course.Title, Summary: course.Summary, Audience: course.Audience, StudyHours: course.StudyHours}}
	if form != nil {
		page.Form = *form
	}
	return web.Render(c, status, "courses/author_course", page)
}

// GET /beheer/cursussen/:id
func (h *Handler) authorCourse(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	return h.renderAuthorCourse(c, fiber.StatusOK, id, nil, nil)
}

// POST /beheer/cursussen/:id
func (h *Handler) authorUpdateCourse(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	in, errs := h.decodeCourse(c)
	if errs == nil {
		err := h.svc.UpdateCourse(c.UserContext(), id, in)
		if err == nil {
			web.SetFlash(c, "De cursusgegevens zijn opgeslagen.")
			return c.Redirect(editURL(id), fiber.StatusSeeOther)
		}
		if err != ErrSlugTaken {
			return err
		}
		errs = web.FieldErrors{{Field: "slug", Message: apperr.UserText(err, "")}}
	}
	return h.renderAuthorCourse(c, fiber.StatusUnprocessableEntity, id, &in, errs)
}

// POST /beheer/cursussen/:id/publiceren and /depubliceren
func (h *Handler) authorPublish(publish bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := web.ParamID(c, "id")
		if err != nil {
			return err
		}
		err = h.svc.SetPublished(c.UserContext(), id, publish)
		switch {
		case err == nil && publish:
			web.SetFlash(c, "De cursus is gepubliceerd: deelnemers zien haar nu.")
		case err == nil:
			web.SetFlash(c, "De cursus is teruggezet naar concept: deelnemers zien haar niet meer.")
		case apperr.UserText(err, "") != "":
			web.SetFlashError(c, apperr.UserText(err, ""))
		default:
			return err
		}
		return c.Redirect(editURL(id), fiber.StatusSeeOther)
	}
}

// POST /beheer/cursussen/:id/modules and /beheer/modules/:mid
func (h *Handler) authorSaveModule(c *fiber.Ctx) error {
	var courseID, moduleID int64
	if c.Params("mid") != "" {
		var err error
		if moduleID, err = web.ParamID(c, "mid"); err != nil {
			return err
		}
		m, err := h.svc.ModuleByID(c.UserContext(), moduleID)
		if err != nil {
			return err
		}
		courseID = m.CourseID
	} else {
		var err error
		if courseID, err = web.ParamID(c, "id"); err != nil {
			return err
		}
	}
	title, summary := strings.TrimSpace(c.FormValue("title")), strings.TrimSpace(c.FormValue("summary"))
	switch {
	case title == "" || len([]rune(title)) > 150:
		web.SetFlashError(c, "Geef de module een titel van hoogstens 150 tekens.")
	case len([]rune(summary)) > 300:
		web.SetFlashError(c, "De omschrijving van een module is hoogstens 300 tekens.")
	default:
		if err := h.svc.SaveModule(c.UserContext(), courseID, moduleID, title, summary); err != nil {
			return err
		}
		web.SetFlash(c, "Module opgeslagen.")
	}
	return c.Redirect(editURL(courseID), fiber.StatusSeeOther)
}

// POST /beheer/modules/:mid/omhoog|omlaag and /beheer/onderdelen/:iid/omhoog|omlaag
func (h *Handler) authorMove(table, param string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := web.ParamID(c, param)
		if err != nil {
			return err
		}
		dir := 1
		if c.Params("dir") == "omhoog" {
			dir = -1
		}
		if err := h.svc.Move(c.UserContext(), table, id, dir); err != nil {
			return err
		}
		return h.backToCourse(c, table, id)
	}
}

func (h *Handler) backToCourse(c *fiber.Ctx, table string, id int64) error {
	var courseID int64
	if table == "modules" {
		m, err := h.svc.ModuleByID(c.UserContext(), id)
		if err != nil {
			return err
		}
		courseID = m.CourseID
	} else {
		it, err := h.svc.ItemByID(c.UserContext(), id)
		if err != nil {
			return err
		}
		courseID = it.CourseID
	}
	return c.Redirect(editURL(courseID), fiber.StatusSeeOther)
}

// POST /beheer/modules/:mid/verwijderen
func (h *Handler) authorDeleteModule(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "mid")
	if err != nil {
		return err
	}
	m, err := h.svc.ModuleByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteModule(c.UserContext(), id); err != nil {
		if t := apperr.UserText(err, ""); t != "" {
			web.SetFlashError(c, t)
			return c.Redirect(editURL(m.CourseID), fiber.StatusSeeOther)
		}
		return err
	}
	web.SetFlash(c, "Module verwijderd.")
	return c.Redirect(editURL(m.CourseID), fiber.StatusSeeOther)
}

// POST /beheer/onderdelen/:iid/verwijderen
func (h *Handler) authorDeleteItem(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "iid")
	if err != nil {
		return err
	}
	it, err := h.svc.ItemByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	if c.FormValue("bevestig") != "ja" {
		web.SetFlashError(c, "Vink aan dat u dit onderdeel wilt verwijderen.")
		return c.Redirect(editURL(it.CourseID), fiber.StatusSeeOther)
	}
	if err := h.svc.DeleteItem(c.UserContext(), id); err != nil {
		return err
	}
	web.SetFlash(c, "Onderdeel verwijderd.")
	return c.Redirect(editURL(it.CourseID), fiber.StatusSeeOther)
}
