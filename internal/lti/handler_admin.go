package lti

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

func (h *Handler) adminRoutes(admin web.Group) {
	admin.Get("/beheer/lti", h.admin)
	admin.Post("/beheer/lti/sleutel", h.rotateKey)
	admin.Get("/beheer/lti/nieuw", h.platformForm)
	admin.Post("/beheer/lti/nieuw", h.savePlatform)
	admin.Get("/beheer/lti/:id<int>", h.platformForm)
	admin.Post("/beheer/lti/:id<int>", h.savePlatform)
	admin.Get("/beheer/lti/:id<int>/verwijderen", h.deleteForm)
	admin.Post("/beheer/lti/:id<int>/verwijderen", h.deletePlatform)
}

// ToolValue is one value an admin copies into a platform.
type ToolValue struct {
	Label, Moodle, Value string
}

// ToolValues are the tool's values for a platform's registration form,
// with the names Moodle gives its fields.
func (s *Service) ToolValues() []ToolValue {
	return []ToolValue{
		{"Tool-URL / target link URI", "Tool URL", s.LaunchURL()},
		{"Login initiation URL", "Initiate login URL", s.LoginURL()},
		{"Redirect- en launch-URL", "Redirection URI(s)", s.LaunchURL()},
		{"Deep linking (inhoud kiezen)", "Content Selection URL", s.LaunchURL()},
		{"Sleutelset (JWKS-URL)", "Public keyset", s.JWKSURL()},
		{"Configuratie als JSON", "", s.ConfigURL()},
	}
}

type adminPage struct {
	web.Page
	Platforms []Platform
	Linked    map[int64]int
	Values    []ToolValue
	Keys      []ToolKey
}

// GET /beheer/lti — the platforms and the tool's own values.
func (h *Handler) admin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ps, linked, err := h.svc.Platforms(ctx)
	if err != nil {
		return err
	}
	keys, err := h.svc.Keys(ctx)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "lti/admin", adminPage{Page: web.NewPage(c, "LTI: leerplatforms"), Platforms: ps, Linked: linked,
		Values: h.svc.ToolValues(), Keys: keys})
}

// POST /beheer/lti/sleutel — a new tool key.
func (h *Handler) rotateKey(c *fiber.Ctx) error {
	k, err := h.svc.RotateKey(c.UserContext())
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Er is een nieuwe sleutel (%s…) die vanaf nu ondertekent. De oude sleutels blijven in de sleutelset staan.", k.ID[:8]))
	return c.Redirect("/beheer/lti", fiber.StatusSeeOther)
}

type platformFormPage struct {
	web.Page
	ID     int64
	Form   PlatformInput
	Errors web.FieldErrors
	Orgs   []accounts.Organisation
	Values []ToolValue
}

func (h *Handler) renderForm(c *fiber.Ctx, status int, id int64, f PlatformInput, errs web.FieldErrors) error {
	orgs, err := h.svc.Organisations(c.UserContext())
	if err != nil {
		return err
	}
	title := "Leerplatform registreren"
	if id != 0 {
		title = "Leerplatform bewerken: " + f.Name
	}
	return web.Render(c, status, "lti/platform_form", platformFormPage{Page: web.NewPage(c, title), ID: id, Form: f, Errors: errs,
		Orgs: orgs, Values: h.svc.ToolValues()})
}

// platformParam is the platform of the :id route parameter.
func (h *Handler) platformParam(ctx context.Context, c *fiber.Ctx) (*Platform, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	return h.svc.Platform(ctx, id)
}

// GET /beheer/lti/nieuw and /beheer/lti/:id
func (h *Handler) platformForm(c *fiber.Ctx) error {
	if c.Params("id") == "" {
		return h.renderForm(c, fiber.StatusOK, 0, PlatformInput{}, nil)
	}
	p, err := h.platformParam(c.UserContext(), c)
	if err != nil {
		return err
	}
	return h.renderForm(c, fiber.StatusOK, p.ID, InputOf(p), nil)
}

// POST /beheer/lti/nieuw and /beheer/lti/:id
func (h *Handler) savePlatform(c *fiber.Ctx) error {
	var id int64
	if c.Params("id") != "" {
		p, err := h.platformParam(c.UserContext(), c)
		if err != nil {
			return err
		}
		id = p.ID
	}
	var f PlatformInput
	if err := web.Bind(c, h.validate, &f); err != nil {
		return err
	}
	p, err := h.svc.SavePlatform(c.UserContext(), id, f)
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return h.renderForm(c, fiber.StatusUnprocessableEntity, id, f, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Het leerplatform %s is opgeslagen.", p.Name))
	return c.Redirect("/beheer/lti", fiber.StatusSeeOther)
}

type deletePage struct {
	web.Page
	Platform *Platform
	Linked   int
}

// GET /beheer/lti/:id/verwijderen
func (h *Handler) deleteForm(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.platformParam(ctx, c)
	if err != nil {
		return err
	}
	_, linked, err := h.svc.Platforms(ctx)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "lti/delete", deletePage{Page: web.NewPage(c, "Leerplatform verwijderen"), Platform: p, Linked: linked[p.ID]})
}

// POST /beheer/lti/:id/verwijderen
func (h *Handler) deletePlatform(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.platformParam(ctx, c)
	if err != nil {
		return err
	}
	if err := h.svc.DeletePlatform(ctx, p.ID); err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Het leerplatform %s is verwijderd. Zijn deelnemers houden hun account en resultaten.", p.Name))
	return c.Redirect("/beheer/lti", fiber.StatusSeeOther)
}
