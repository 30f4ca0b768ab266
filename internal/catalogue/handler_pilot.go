package catalogue

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

const pilotsPerPage = 20

type pilotsPage struct {
	base
	Pilots  []Pilot
	Counts  map[string]int
	Status  string
	Pager   web.Pager
	Matched int
}

// GET /proefprojecten
func (h *Handler) pilots(c *fiber.Ctx) error {
	status := c.Query("status")
	if !PilotStatuses.Has(status) {
		status = ""
	}
	pager := web.NewPager(c, pilotsPerPage)
	ps, total, counts, err := h.svc.Pilots(c.UserContext(), status, pilotsPerPage, pager.Offset())
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/pilots", pilotsPage{base: newBase(c, "Proefprojecten"), Pilots: ps,
		Counts: counts, Status: status, Pager: pager.Of(total), Matched: counts["matched"] + counts["completed"]})
}

type pilotForm struct {
	Title    string `form:"title" label:"Titel" validate:"required,min=5,max=150"`
	Goal     string `form:"goal" input:"multiline" label:"Doel" validate:"required,min=20,max=5000"`
	Theme    string `form:"theme" label:"Thema" validate:"required,oneof=webcare sociale-media online-samenwerken kennisdelen leiderschap participatie open-data open-overheid digitale-vaardigheden netwerkorganisatie"`
	Province string `form:"province" label:"Provincie" validate:"required,oneof=drenthe flevoland friesland gelderland groningen limburg noord-brabant noord-holland overijssel utrecht zeeland zuid-holland landelijk online"`
	StartsOn string `form:"starts_on" label:"Begin" validate:"required,datetime=2006-01-02"`
	EndsOn   string `form:"ends_on" label:"Einde" validate:"required,datetime=2006-01-02"`
	Budget   string `form:"budget" label:"Budget" validate:"required,oneof=tot-5000 5000-15000 15000-50000 vanaf-50000"`
}

type pilotFormPage struct {
	base
	Form    pilotForm
	Errors  web.FieldErrors
	Allowed bool
}

// GET /proefprojecten/nieuw — the form for organisation managers; anyone
// else reads who may post and how to become one.
func (h *Handler) newPilot(c *fiber.Ctx) error {
	return web.Render(c, fiber.StatusOK, "catalogue/pilot_form", pilotFormPage{base: newBase(c, "Proefproject plaatsen"), Allowed: me(c).Manager})
}

// POST /proefprojecten
func (h *Handler) createPilot(c *fiber.Ctx) error {
	var f pilotForm
	err := h.bind(c, &f)
	if err == nil {
		start, _ := time.Parse("2006-01-02", f.StartsOn)
		end, _ := time.Parse("2006-01-02", f.EndsOn)
		var id int64
		id, err = h.svc.CreatePilot(c.UserContext(), me(c), PilotInput{Title: f.Title, Goal: f.Goal, Theme: f.Theme, Province: f.Province,
			Budget: f.Budget, StartsOn: start, EndsOn: end})
		if err == nil {
			web.SetFlash(c, "Het proefproject staat online. Hieronder ziet u gecertificeerde adviseurs die erbij passen.")
			return c.Redirect(fmt.Sprintf("/proefprojecten/%d", id), fiber.StatusSeeOther)
		}
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/pilot_form", pilotFormPage{base: newBase(c, "Proefproject plaatsen"), Form: f, Errors: errs, Allowed: true})
	}
	return err
}

type pilotPage struct {
	base
	*PilotView
	Errors  web.FieldErrors
	Message string
	Tried   string
	Result  string
}

// GET /proefprojecten/:id
func (h *Handler) pilot(c *fiber.Ctx) error {
	return h.renderPilot(c, fiber.StatusOK, nil, pilotPage{})
}

func (h *Handler) renderPilot(c *fiber.Ctx, status int, errs web.FieldErrors, values pilotPage) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	pv, err := h.svc.PilotPage(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	values.base, values.PilotView, values.Errors = newBase(c, pv.Pilot.Title), pv, errs
	return web.Render(c, status, "catalogue/pilot", values)
}

// POST /proefprojecten/:id/interesse
func (h *Handler) interest(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	err = h.svc.ExpressInterest(c.UserContext(), me(c), id, formID(c, "provider"), c.FormValue("message"))
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderPilot(c, fiber.StatusUnprocessableEntity, errs, pilotPage{Message: c.FormValue("message")})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw reactie is doorgegeven aan de organisatie; zij krijgt er een e-mail over.")
	return c.Redirect(fmt.Sprintf("/proefprojecten/%d#interesse", id), fiber.StatusSeeOther)
}

// POST /proefprojecten/:id/kiezen
func (h *Handler) choose(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.ChoosePilotAdviser(c.UserContext(), me(c), id, formID(c, "provider")); err != nil {
		return err
	}
	web.SetFlash(c, "De adviseur is gekozen en krijgt bericht; het proefproject telt nu als begeleid.")
	return c.Redirect(fmt.Sprintf("/proefprojecten/%d", id), fiber.StatusSeeOther)
}

// POST /proefprojecten/:id/afronden
func (h *Handler) complete(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	tried, result := c.FormValue("outcome_tried"), c.FormValue("outcome_result")
	err = h.svc.CompletePilot(c.UserContext(), me(c), id, tried, result)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderPilot(c, fiber.StatusUnprocessableEntity, errs, pilotPage{Tried: tried, Result: result})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Het proefproject is afgerond. U kunt de adviseur nu beoordelen; uw review telt als geverifieerd.")
	return c.Redirect(fmt.Sprintf("/proefprojecten/%d#beoordelen", id), fiber.StatusSeeOther)
}
