package accounts

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type topicChoice struct {
	Topic mail.Topic
	Label string
	On    bool
}

type accountPage struct {
	web.Page
	Account
	Name   string
	Topics []topicChoice
	Errors web.FieldErrors
}

// GET /mijn/account
func (h *Handler) account(c *fiber.Ctx) error {
	return h.renderAccount(c, fiber.StatusOK, "", nil)
}

func (h *Handler) renderAccount(c *fiber.Ctx, status int, name string, errs web.FieldErrors) error {
	a, err := h.svc.Account(c.UserContext(), web.CurrentViewer(c).ID)
	if err != nil {
		return err
	}
	if name == "" {
		name = a.User.Name
	}
	topics := make([]topicChoice, len(mail.OptionalTopics))
	for i, t := range mail.OptionalTopics {
		topics[i] = topicChoice{Topic: t, Label: t.Label(), On: !a.TopicsOff[t]}
	}
	return web.Render(c, status, "accounts/account", accountPage{Page: web.NewPage(c, "Mijn account"), Account: a, Name: name, Topics: topics, Errors: errs})
}

type nameForm struct {
	Name string `form:"name" label:"Naam" validate:"required,max=120"`
}

// POST /mijn/account/naam
func (h *Handler) changeName(c *fiber.Ctx) error {
	var f nameForm
	err := web.Bind(c, h.validate, &f)
	if err == nil {
		err = h.svc.SetName(c.UserContext(), web.CurrentViewer(c).ID, f.Name)
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, f.Name, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw naam is gewijzigd.")
	return c.Redirect("/mijn/account", fiber.StatusSeeOther)
}

// POST /mijn/account/wachtwoord
func (h *Handler) changePassword(c *fiber.Ctx) error {
	next, confirm := c.FormValue("new_password"), c.FormValue("new_password_confirm")
	if next != confirm {
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, "", web.FieldErrors{{Field: "new_password_confirm", Message: "De twee nieuwe wachtwoorden zijn niet gelijk."}})
	}
	device, err := h.device(c)
	if err != nil {
		return err
	}
	err = h.svc.ChangePassword(c.UserContext(), web.CurrentViewer(c).ID, c.FormValue("current_password"), next, c.Cookies(h.svc.Sessions.Cookie), device)
	if ve, ok := apperr.AsValidation(err); ok {
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, "", web.FormErrors(ve, nil))
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw wachtwoord is gewijzigd. Andere sessies zijn uitgelogd.")
	return c.Redirect("/mijn/account", fiber.StatusSeeOther)
}

type topicsForm struct {
	On []string `form:"on"`
}

// POST /mijn/account/meldingen — the optional topics ticked stay on.
func (h *Handler) changeMailTopics(c *fiber.Ctx) error {
	var f topicsForm
	if err := c.BodyParser(&f); err != nil {
		return web.ErrUnreadableForm
	}
	off := map[mail.Topic]bool{}
	for _, t := range mail.OptionalTopics {
		off[t] = true
		for _, on := range f.On {
			if on == string(t) {
				off[t] = false
			}
		}
	}
	if err := h.svc.SetMailTopics(c.UserContext(), web.CurrentViewer(c).ID, off); err != nil {
		return err
	}
	web.SetFlash(c, "Uw keuze voor e-mails is opgeslagen.")
	return c.Redirect("/mijn/account#meldingen", fiber.StatusSeeOther)
}

// GET /mijn/account/gegevens.json
func (h *Handler) exportData(c *fiber.Ctx) error {
	data, err := h.svc.ExportData(c.UserContext(), web.CurrentViewer(c).ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="mijn-gegevens.json"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(data)
}

type deletePage struct {
	web.Page
	Errors web.FieldErrors
}

// GET /mijn/account/verwijderen
func (h *Handler) deleteForm(c *fiber.Ctx) error {
	return web.Render(c, fiber.StatusOK, "accounts/delete", deletePage{Page: web.NewPage(c, "Account verwijderen")})
}

// POST /mijn/account/verwijderen
func (h *Handler) deleteAccount(c *fiber.Ctx) error {
	var errs web.FieldErrors
	if c.FormValue("confirm") != "ja" {
		errs = web.FieldErrors{{Field: "confirm", Message: "Vink aan dat u uw account en al uw gegevens wilt verwijderen."}}
	} else {
		err := h.svc.DeleteAccount(c.UserContext(), web.CurrentViewer(c).ID, c.FormValue("password"))
		if ve, ok := apperr.AsValidation(err); ok {
			errs = web.FormErrors(ve, nil)
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return web.Render(c, fiber.StatusUnprocessableEntity, "accounts/delete", deletePage{Page: web.NewPage(c, "Account verwijderen"), Errors: errs})
	}
	h.svc.Sessions.clearCookie(c)
	web.SetFlash(c, "Uw account en uw gegevens zijn verwijderd.")
	return c.Redirect("/", fiber.StatusSeeOther)
}

// GET /api/v1/me
func (h *Handler) apiMe(c *fiber.Ctx) error {
	u, err := h.svc.User(c.UserContext(), web.CurrentViewer(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}
