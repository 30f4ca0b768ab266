package catalogue

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

const pilotsPerPage = 20

type pilotsPage struct {
	base
	Pilots  []Pilot
	Counts  map[string]int
	Status  string
	Total   int
	PageNo  int
	Pages   int
	Matched int
}

// GET /proefprojecten
func (h *Handler) pilots(c *fiber.Ctx) error {
	status := c.Query("status")
	if !PilotStatuses.Has(status) {
		status = ""
	}
	pageNo := web.PageNumber(c.Query("pagina"))
	ps, total, err := h.svc.Store.Pilots(c.UserContext(), status, pilotsPerPage, (pageNo-1)*pilotsPerPage)
	if err != nil {
		return err
	}
	counts, err := h.svc.Store.PilotCounts(c.UserContext())
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/pilots", pilotsPage{base: newBase(c, "Proefprojecten"), Pilots: ps,
		Counts: counts, Status: status, Total: total, PageNo: pageNo, Pages: max(1, (total+pilotsPerPage-1)/pilotsPerPage),
		Matched: counts["matched"] + counts["completed"]})
}

type pilotForm struct {
	Title    string `form:"title" label:"Titel" validate:"required,min=5,max=150"`
	Goal     string `form:"goal" label:"Doel" validate:"required,min=20,max=5000"`
	Theme    string `form:"theme" label:"Thema" validate:"required,oneof=webcare sociale-media online-samenwerken kennisdelen leiderschap participatie open-data open-overheid digitale-vaardigheden netwerkorganisatie"`
	Province string `form:"province" label:"Provincie" validate:"required,oneof=drenthe flevoland friesland gelderland groningen limburg noord-brabant noord-holland overijssel utrecht zeeland zuid-holland landelijk online"`
	StartsOn string `form:"starts_on" label:"Begin" validate:"required,datetime=2006-01-02"`
	EndsOn   string `form:"ends_on" label:"Einde" validate:"required,datetime=2006-01-02"`
	Budget   string `form:"budget" label:"Budget" validate:"required,oneof=tot-5000 5000-15000 15000-50000 vanaf-50000"`
}

type pilotFormPage struct {
	base
	Form   pilotForm
	Errors web.FieldErrors
}

// GET /proefprojecten/nieuw
func (h *Handler) newPilot(c *fiber.Ctx) error {
	return web.Render(c, fiber.StatusOK, "catalogue/pilot_form", pilotFormPage{base: newBase(c, "Proefproject plaatsen")})
}

// POST /proefprojecten
func (h *Handler) createPilot(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	var f pilotForm
	if err := c.BodyParser(&f); err != nil {
		return apperr.Msg(apperr.ErrForbidden, "Het formulier kon niet worden gelezen.")
	}
	f.Title, f.Goal = strings.TrimSpace(f.Title), strings.TrimSpace(f.Goal)
	verr := &apperr.Validation{}
	if err := h.validate.Struct(&f); err != nil {
		ve, ok := apperr.AsValidation(err)
		if !ok {
			return err
		}
		verr = ve
	}
	start, errS := time.Parse("2006-01-02", f.StartsOn)
	end, errE := time.Parse("2006-01-02", f.EndsOn)
	if errS == nil && errE == nil && end.Before(start) {
		verr.Add("ends_on", "Het einde ligt voor het begin.")
	}
	if errS == nil && (start.Year() < 2000 || start.Year() > 2100) {
		verr.Add("starts_on", "Kies een begindatum tussen 2000 en 2100.")
	}
	if errE == nil && end.Year() > 2100 {
		verr.Add("ends_on", "Kies een einddatum voor 2100.")
	}
	if err := verr.Err(); err != nil {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/pilot_form", pilotFormPage{base: newBase(c, "Proefproject plaatsen"), Form: f, Errors: web.FormErrors(verr, &f)})
	}
	p := &Pilot{CreatedBy: &v.ID, Title: f.Title, Goal: f.Goal, Theme: f.Theme, Province: f.Province, StartsOn: start, EndsOn: end, Budget: f.Budget}
	if v.OrganisationID != 0 {
		p.OrganisationID = &v.OrganisationID
	}
	if err := h.svc.Store.CreatePilot(c.UserContext(), p); err != nil {
		return err
	}
	web.SetFlash(c, "Het proefproject staat online. Hieronder ziet u gecertificeerde adviseurs die erbij passen.")
	return c.Redirect(fmt.Sprintf("/proefprojecten/%d", p.ID), fiber.StatusSeeOther)
}

type pilotPage struct {
	base
	Pilot      *Pilot
	Manager    bool
	Candidates []Candidate
	Interests  []Interest
	Mine       []Provider // the viewer's providers that may respond
	Errors     web.FieldErrors
	Message    string
}

// GET /proefprojecten/:id
func (h *Handler) pilot(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	return h.renderPilot(c, id, fiber.StatusOK, nil, "")
}

func (h *Handler) renderPilot(c *fiber.Ctx, id int64, status int, errs web.FieldErrors, message string) error {
	ctx := c.UserContext()
	p, err := h.svc.Store.Pilot(ctx, id)
	if err != nil {
		return err
	}
	page := pilotPage{base: newBase(c, p.Title), Pilot: p, Errors: errs, Message: message}
	v := web.CurrentViewer(c)
	page.Manager = v.Has(web.RoleOrgManager) && ((p.CreatedBy != nil && *p.CreatedBy == v.ID) ||
		(p.OrganisationID != nil && v.OrganisationID == *p.OrganisationID))
	if page.Interests, err = h.svc.Store.Interests(ctx, id); err != nil {
		return err
	}
	if p.Status == "open" {
		if page.Candidates, err = h.svc.Store.Candidates(ctx, h.svc.Register, p, 10); err != nil {
			return err
		}
		if v.Has(web.RoleProvider) {
			ps, err := h.svc.Store.ProvidersOf(ctx, v.ID)
			if err != nil {
				return err
			}
			for _, x := range ps {
				if x.Status == "approved" && (x.Kind == "firm" || x.Kind == "independent") {
					page.Mine = append(page.Mine, x)
				}
			}
		}
	}
	return web.Render(c, status, "catalogue/pilot", page)
}

// POST /proefprojecten/:id/interesse
func (h *Handler) interest(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	provider, _ := strconv.ParseInt(c.FormValue("provider"), 10, 64)
	err = h.svc.ExpressInterest(c.UserContext(), v.ID, id, provider, c.FormValue("message"))
	if ve, ok := apperr.AsValidation(err); ok {
		return h.renderPilot(c, id, fiber.StatusUnprocessableEntity, web.FormErrors(ve, nil), c.FormValue("message"))
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw interesse is doorgegeven aan de organisatie.")
	return c.Redirect(fmt.Sprintf("/proefprojecten/%d", id), fiber.StatusSeeOther)
}

// POST /proefprojecten/:id/kiezen
func (h *Handler) choose(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	provider, _ := strconv.ParseInt(c.FormValue("provider"), 10, 64)
	if err := h.svc.Store.MatchPilot(c.UserContext(), id, provider, v.ID, v.OrganisationID); err != nil {
		return err
	}
	web.SetFlash(c, "De adviseur is gekozen; het proefproject is gekoppeld.")
	return c.Redirect(fmt.Sprintf("/proefprojecten/%d", id), fiber.StatusSeeOther)
}

// POST /proefprojecten/:id/afronden
func (h *Handler) complete(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.Store.CompletePilot(c.UserContext(), id, v.ID, v.OrganisationID); err != nil {
		return err
	}
	web.SetFlash(c, "Het proefproject is afgerond. Vergeet niet de adviseur te beoordelen.")
	return c.Redirect(fmt.Sprintf("/proefprojecten/%d", id), fiber.StatusSeeOther)
}
