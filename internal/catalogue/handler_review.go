package catalogue

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type reviewForm struct {
	Overall       int    `form:"overall" json:"overall" label:"Totaaloordeel" validate:"required,min=1,max=5"`
	Content       int    `form:"content" json:"content" label:"Inhoud" validate:"required,min=1,max=5"`
	Applicability int    `form:"applicability" json:"applicability" label:"Praktische toepasbaarheid" validate:"required,min=1,max=5"`
	Teacher       int    `form:"teacher" json:"teacher" label:"Docent/adviseur" validate:"required,min=1,max=5"`
	Value         int    `form:"value" json:"value" label:"Prijs-kwaliteit" validate:"required,min=1,max=5"`
	Body          string `form:"text" json:"text" input:"multiline" label:"Uw ervaring" validate:"required,min=50,max=5000"`
}

func (f reviewForm) input() ReviewInput {
	return ReviewInput(f)
}

type reviewFormPage struct {
	base
	Offering *Offering
	Form     reviewForm
	Edit     bool
	Errors   web.FieldErrors
}

// Score is the form's value for a criterion name (or "overall").
func (p reviewFormPage) Score(name string) int {
	r := Review{Overall: p.Form.Overall, Content: p.Form.Content, Applicability: p.Form.Applicability, Teacher: p.Form.Teacher, Value: p.Form.Value}
	return r.Score(name)
}

// GET /gids/aanbod/:id/beoordelen
func (h *Handler) reviewForm(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	o, r, err := h.svc.Reviewable(c.UserContext(), me(c).ID, id)
	if err != nil {
		return err
	}
	page := reviewFormPage{base: newBase(c, "Beoordeel "+o.Title), Offering: o}
	if r != nil {
		page.Edit = true
		page.Form = reviewForm{Overall: r.Overall, Content: r.Content, Applicability: r.Applicability, Teacher: r.Teacher, Value: r.Value, Body: r.Body}
	}
	return web.Render(c, fiber.StatusOK, "catalogue/review_form", page)
}

// POST /gids/aanbod/:id/beoordelen
func (h *Handler) submitReview(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var f reviewForm
	edit := c.FormValue("edit") == "1"
	err = h.bind(c, &f)
	if err == nil {
		_, err = h.svc.SubmitReview(c.UserContext(), me(c).ID, id, f.input(), edit)
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		o, _, lerr := h.svc.Reviewable(c.UserContext(), me(c).ID, id)
		if lerr != nil {
			return lerr
		}
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/review_form", reviewFormPage{base: newBase(c, "Beoordeel "+o.Title), Offering: o, Form: f, Edit: edit, Errors: errs})
	}
	if err != nil {
		return err
	}
	if edit {
		web.SetFlash(c, "Uw review is bijgewerkt.")
	} else {
		web.SetFlash(c, "Dank u wel! Uw review staat op de pagina.")
	}
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d#reviews", id), fiber.StatusSeeOther)
}

// POST /gids/reviews/:id/reactie
func (h *Handler) reply(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	text := c.FormValue("reply")
	r, err := h.svc.Reply(c.UserContext(), me(c).ID, id, text)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderOffering(c, r.OfferingID, fiber.StatusUnprocessableEntity, errs, map[string]string{fmt.Sprintf("reply-%d", id): text})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw reactie staat bij de review.")
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d#review-%d", r.OfferingID, id), fiber.StatusSeeOther)
}

// POST /gids/reviews/:id/melden
func (h *Handler) report(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	r, err := h.svc.Report(c.UserContext(), me(c).ID, id, reason)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderOffering(c, r.OfferingID, fiber.StatusUnprocessableEntity, errs, map[string]string{fmt.Sprintf("report-%d", id): reason})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Dank u. Het programmabureau bekijkt de melding.")
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d#review-%d", r.OfferingID, id), fiber.StatusSeeOther)
}

type participationsPage struct {
	base
	Participations []Participation
}

// GET /gids/deelnames — the participations providers registered under the viewer's address.
func (h *Handler) participations(c *fiber.Ctx) error {
	ps, err := h.svc.MyParticipations(c.UserContext(), me(c))
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/participations", participationsPage{base: newBase(c, "Mijn deelnames"), Participations: ps})
}

// POST /gids/deelnames/:id
func (h *Handler) answerParticipation(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	confirm := c.FormValue("answer") == "confirm"
	p, err := h.svc.AnswerParticipation(c.UserContext(), me(c), id, confirm)
	if err != nil {
		return err
	}
	if confirm {
		web.SetFlash(c, fmt.Sprintf("Uw deelname aan “%s” is bevestigd. Uw review daarvan telt als die van een geverifieerde deelnemer.", p.OfferingTitle))
	} else {
		web.SetFlash(c, fmt.Sprintf("U heeft aangegeven niet te hebben deelgenomen aan “%s”.", p.OfferingTitle))
	}
	return c.Redirect("/gids/deelnames", fiber.StatusSeeOther)
}
