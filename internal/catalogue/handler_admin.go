package catalogue

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type adminPage struct {
	base
	AdminOverview
	Errors web.FieldErrors
	Values map[string]string
}

// GET /beheer/gids
func (h *Handler) admin(c *fiber.Ctx) error {
	return h.renderAdmin(c, fiber.StatusOK, nil, nil)
}

func (h *Handler) renderAdmin(c *fiber.Ctx, status int, errs web.FieldErrors, values map[string]string) error {
	a, err := h.svc.Admin(c.UserContext())
	if err != nil {
		return err
	}
	return web.Render(c, status, "catalogue/admin", adminPage{base: newBase(c, "Beheer van de Gids"), AdminOverview: a, Errors: errs, Values: values})
}

// POST /beheer/gids/aanmeldingen/:id — approve or refuse a provider request.
func (h *Handler) decideRequest(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	action := c.FormValue("action")
	if action != "approve" && action != "refuse" {
		return apperr.NewValidation("action", "Kies goedkeuren of afwijzen.")
	}
	reason := c.FormValue("reason")
	r, err := h.svc.DecideRequest(c.UserContext(), me(c), id, action == "approve", reason)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderAdmin(c, fiber.StatusUnprocessableEntity, errs, map[string]string{fmt.Sprintf("reason-%d", id): reason})
	}
	if err != nil {
		return err
	}
	if r.Status == "approved" {
		web.SetFlash(c, fmt.Sprintf("%s staat in de Gids; de aanvrager heeft de rol aanbieder gekregen en een e-mail.", r.Name))
	} else {
		web.SetFlash(c, fmt.Sprintf("De aanmelding van %s is afgewezen; de aanvrager krijgt de reden per e-mail.", r.Name))
	}
	return c.Redirect("/beheer/gids", fiber.StatusSeeOther)
}

// POST /beheer/gids/reviews/:id
func (h *Handler) adminReview(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	action := c.FormValue("action")
	if action != "hide" && action != "restore" {
		return apperr.NewValidation("action", "Kies verbergen of terugzetten.")
	}
	err = h.svc.Moderate(c.UserContext(), me(c).ID, id, action == "hide", c.FormValue("reason"))
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderAdmin(c, fiber.StatusUnprocessableEntity, errs, nil)
	}
	if err != nil {
		return err
	}
	if action == "hide" {
		web.SetFlash(c, "De review is verborgen en telt niet meer mee.")
	} else {
		web.SetFlash(c, "De review is teruggezet.")
	}
	return c.Redirect("/beheer/gids", fiber.StatusSeeOther)
}

type reportPage struct {
	base
	Report Report
	Admin  bool
	Years  []int
}

// reportYear reads ?jaar=: a calendar year since 2020, or 0 for the last twelve months.
func (h *Handler) reportYear(c *fiber.Ctx) int {
	if y, err := strconv.Atoi(c.Query("jaar")); err == nil && y >= 2020 && y <= h.svc.Now().Year() {
		return y
	}
	return 0
}

// GET /rapportage
func (h *Handler) reporting(c *fiber.Ctx) error {
	r, err := h.svc.BuildReport(c.UserContext(), h.reportYear(c))
	if err != nil {
		return err
	}
	var years []int
	for y := h.svc.Now().Year(); y >= max(2020, h.svc.Now().Year()-3); y-- {
		years = append(years, y)
	}
	v := web.CurrentViewer(c)
	return web.Render(c, fiber.StatusOK, "catalogue/report", reportPage{base: newBase(c, "Rapportage"), Report: r, Admin: v.Has(web.RoleAdmin), Years: years})
}

// GET /rapportage.csv — per indicator its value and target, then one row per month.
func (h *Handler) reportCSV(c *fiber.Ctx) error {
	r, err := h.svc.BuildReport(c.UserContext(), h.reportYear(c))
	if err != nil {
		return err
	}
	out := web.NewCSV("indicator", "omschrijving", "maand", "aantal", "stand", "doel")
	for _, in := range r.Indicators {
		var value, target any = in.Value, nil
		if !in.Decimals {
			value = int(in.Value)
		} else {
			value = web.Decimal{Value: in.Value, Places: 2}
		}
		if in.Target > 0 {
			target = int(in.Target)
		}
		out.Row(in.Key, in.Label, nil, nil, value, target)
		for _, m := range in.Months {
			out.Row(in.Key, in.Label, m.Month.Format("2006-01"), m.Count, nil, nil)
		}
	}
	q := r.Quotes
	out.Row("offertes-mediaan-geaccepteerd", "Mediaan geaccepteerde offerte incl. btw (euro)", nil, q.Compared, web.Money(q.MedianAcceptedCents), nil)
	out.Row("offertes-mediaan-lijstprijs", "Mediaan lijstprijs van hetzelfde aanbod incl. btw (euro)", nil, q.Compared, web.Money(q.MedianListCents), nil)
	name := "rapportage-laatste-12-maanden.csv"
	if r.Year != 0 {
		name = fmt.Sprintf("rapportage-%d.csv", r.Year)
	}
	return out.Send(c, name)
}
