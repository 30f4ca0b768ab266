package accounts

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

const usersPerPage = 25

type adminUsersPage struct {
	web.Page
	Query     string
	Users     []User
	Pager     web.Pager
	Grantable []struct{ Value, Label string }
}

// GET /beheer/gebruikers
func (h *Handler) adminUsers(c *fiber.Ctx) error {
	q := c.Query("q")
	if len(q) > 100 {
		q = q[:100]
	}
	pager := web.NewPager(c, usersPerPage)
	res, err := h.svc.SearchUsers(c.UserContext(), q, usersPerPage, pager.Offset())
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "accounts/admin_users", adminUsersPage{
		Page: web.NewPage(c, "Gebruikers beheren"), Query: q, Users: res.Users, Pager: pager.Of(res.Total), Grantable: GrantableRoles,
	})
}

// POST /beheer/gebruikers/:id/rollen
func (h *Handler) adminRole(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	role, action := c.FormValue("role"), c.FormValue("action")
	if !validRole(role) || (action != "grant" && action != "revoke") {
		return apperr.Msg(apperr.ErrConflict, "Onbekende rol of handeling.")
	}
	u, err := h.svc.ChangeRole(c.UserContext(), web.CurrentViewer(c).ID, id, role, action == "grant")
	if err != nil {
		return err
	}
	verb := "toegekend aan"
	if action == "revoke" {
		verb = "ingetrokken bij"
	}
	web.SetFlash(c, fmt.Sprintf("Rol %q %s %s.", RoleLabel(role), verb, u.Name))
	back := safeBack(c.FormValue("terug"))
	if back == "" {
		back = "/beheer/gebruikers"
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

type adminOrganisationsPage struct {
	web.Page
	Logins []OrganisationLogin
}

// GET /beheer/organisaties
func (h *Handler) adminOrganisations(c *fiber.Ctx) error {
	logins, err := h.svc.OrganisationLogins(c.UserContext())
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "accounts/admin_organisations", adminOrganisationsPage{Page: web.NewPage(c, "Organisaties"), Logins: logins})
}

type adminOrganisationPage struct {
	web.Page
	OrganisationLogin
	Form        ProviderInput
	CallbackURL string
	Errors      web.FieldErrors
}

// GET /beheer/organisaties/:id
func (h *Handler) adminOrganisation(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	return h.renderOrganisation(c, fiber.StatusOK, id, nil, nil)
}

func (h *Handler) renderOrganisation(c *fiber.Ctx, status int, id int64, f *ProviderInput, errs web.FieldErrors) error {
	ol, err := h.svc.OrganisationLoginOf(c.UserContext(), id)
	if err != nil {
		return err
	}
	page := adminOrganisationPage{Page: web.NewPage(c, ol.Organisation.Name), OrganisationLogin: ol, CallbackURL: h.svc.CallbackURL(), Errors: errs}
	switch {
	case f != nil:
		page.Form = *f
	case ol.Provider != nil:
		page.Form = ProviderInput{Issuer: ol.Provider.Issuer, ClientID: ol.Provider.ClientID, Domains: strings.Join(ol.Provider.Domains, "\n")}
	}
	page.Form.ClientSecret = ""
	return web.Render(c, status, "accounts/admin_organisation", page)
}

// POST /beheer/organisaties/:id
func (h *Handler) adminSaveOrganisation(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var f ProviderInput
	err = web.Bind(c, h.validate, &f)
	if err == nil {
		err = h.svc.SaveOrganisationLogin(c.UserContext(), id, f)
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return h.renderOrganisation(c, fiber.StatusUnprocessableEntity, id, &f, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Inloggen met de organisatie is ingesteld.")
	return c.Redirect(fmt.Sprintf("/beheer/organisaties/%d", id), fiber.StatusSeeOther)
}

// POST /beheer/organisaties/:id/verwijderen
func (h *Handler) adminDeleteOrganisation(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteOrganisationLogin(c.UserContext(), id); err != nil {
		return err
	}
	web.SetFlash(c, "Inloggen met de organisatie is uitgezet; haar medewerkers loggen weer in met een wachtwoord.")
	return c.Redirect(fmt.Sprintf("/beheer/organisaties/%d", id), fiber.StatusSeeOther)
}
