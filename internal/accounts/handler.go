package accounts

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Handler serves the account pages.
type Handler struct {
	svc      *Service
	validate *web.Validator
}

// NewHandler returns the account pages on svc.
func NewHandler(svc *Service, v *web.Validator) *Handler { return &Handler{svc: svc, validate: v} }

// Routes registers the account pages and API.
func (h *Handler) Routes(r *web.Router) {
	anyone := r.Public()
	anyone.Get("/registreren", h.registerForm)
	anyone.Post("/registreren", h.register)
	anyone.Get("/inloggen", h.loginForm)
	anyone.Post("/inloggen", h.login)
	anyone.Post("/uitloggen", h.logout)

	me := r.LoggedIn()
	me.Get("/mijn/account", h.account)
	me.Post("/mijn/account/naam", h.changeName)
	me.Post("/mijn/account/wachtwoord", h.changePassword)
	me.Get("/mijn/account/gegevens.json", h.exportData)
	me.Get("/mijn/account/verwijderen", h.deleteForm)
	me.Post("/mijn/account/verwijderen", h.deleteAccount)
	me.Get("/api/v1/me", h.apiMe)

	admin := r.Role(web.RoleAdmin)
	admin.Get("/beheer/gebruikers", h.adminUsers)
	admin.Post("/beheer/gebruikers/:id/rollen", h.adminRole)
}

type registerForm struct {
	Name            string `form:"name" label:"Naam" validate:"required,max=120"`
	Email           string `form:"email" label:"E-mailadres" validate:"required,email,max=254"`
	Organisation    string `form:"organisation" label:"Organisatie"`
	NewOrgName      string `form:"new_organisation" label:"Naam van de organisatie" validate:"omitempty,min=2,max=150"`
	NewOrgKind      string `form:"new_organisation_kind" label:"Soort organisatie" validate:"omitempty,oneof=rijk gemeente provincie waterschap overig"`
	Password        string `form:"password" label:"Wachtwoord" validate:"required,max=128"`
	PasswordConfirm string `form:"password_confirm" label:"Herhaal het wachtwoord" validate:"required,eqfield=Password"`
}

type registerPage struct {
	web.Page
	Form          registerForm
	Errors        web.FieldErrors
	Organisations []Organisation
	Kinds         []struct{ Value, Label string }
}

// GET /registreren
func (h *Handler) registerForm(c *fiber.Ctx) error {
	return h.renderRegister(c, fiber.StatusOK, registerForm{}, nil)
}

func (h *Handler) renderRegister(c *fiber.Ctx, status int, f registerForm, errs web.FieldErrors) error {
	orgs, err := h.svc.Store.Organisations(c.UserContext())
	if err != nil {
		return err
	}
	f.Password, f.PasswordConfirm = "", ""
	return web.Render(c, status, "accounts/register", registerPage{
		Page: web.NewPage(c, "Registreren"), Form: f, Errors: errs, Organisations: orgs, Kinds: OrganisationKinds,
	})
}

// decodeRegister reads and checks the registration form. It is separate
// from the handler so it can be fuzzed.
func decodeRegister(c *fiber.Ctx, v *web.Validator) (registerForm, NewUser, error) {
	var f registerForm
	if err := c.BodyParser(&f); err != nil {
		return f, NewUser{}, apperr.Msg(apperr.ErrForbidden, "Het formulier kon niet worden gelezen.")
	}
	f.Name, f.Email, f.NewOrgName = strings.TrimSpace(f.Name), strings.TrimSpace(f.Email), strings.TrimSpace(f.NewOrgName)
	verr := &apperr.Validation{}
	if err := v.Struct(&f); err != nil {
		if ve, ok := apperr.AsValidation(err); ok {
			verr = ve
		} else {
			return f, NewUser{}, err
		}
	}
	in := NewUser{Name: f.Name, Email: f.Email, Password: f.Password, NewOrgName: f.NewOrgName, NewOrgKind: f.NewOrgKind}
	switch {
	case f.Organisation != "" && f.NewOrgName != "":
		verr.Add("organisation", "Kies een organisatie uit de lijst óf voeg een nieuwe toe, niet allebei.")
	case f.Organisation != "":
		id, err := strconv.ParseInt(f.Organisation, 10, 64)
		if err != nil || id <= 0 {
			verr.Add("organisation", "Kies een organisatie uit de lijst.")
		}
		in.OrganisationID = id
	case f.NewOrgName == "":
		verr.Add("organisation", "Kies uw organisatie, of voeg haar hieronder toe.")
	case f.NewOrgKind == "":
		verr.Add("new_organisation_kind", "Kies de soort organisatie.")
	}
	if _, ok := verr.Fields["password"]; !ok {
		if msg := PasswordProblem(f.Password, f.Email, f.Name); msg != "" {
			verr.Add("password", msg)
		}
	}
	return f, in, verr.Err()
}

// POST /registreren
func (h *Handler) register(c *fiber.Ctx) error {
	f, in, err := decodeRegister(c, h.validate)
	if err == nil {
		var u *User
		u, err = h.svc.Register(c.UserContext(), in)
		if err == nil {
			tok, err := h.svc.Sessions.Create(c.UserContext(), u.ID)
			if err != nil {
				return err
			}
			h.svc.Sessions.setCookie(c, tok)
			web.SetFlash(c, fmt.Sprintf("Welkom, %s! Uw account is aangemaakt.", u.Name))
			return c.Redirect("/", fiber.StatusSeeOther)
		}
	}
	switch {
	case errors.Is(err, ErrEmailTaken):
		return h.renderRegister(c, fiber.StatusUnprocessableEntity, f, web.FieldErrors{{Field: "email", Message: apperr.UserText(err, "")}})
	case errors.Is(err, ErrOrgNameTaken):
		return h.renderRegister(c, fiber.StatusUnprocessableEntity, f, web.FieldErrors{{Field: "new_organisation", Message: apperr.UserText(err, "")}})
	}
	if v, ok := apperr.AsValidation(err); ok {
		return h.renderRegister(c, fiber.StatusUnprocessableEntity, f, web.FormErrors(v, &f))
	}
	return err
}

type loginPage struct {
	web.Page
	Email string
	Back  string
	Error string
}

// safeBack keeps a return address only when it is a path on this site.
func safeBack(s string) string {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.HasPrefix(s, "/\\") {
		return s
	}
	return ""
}

// GET /inloggen
func (h *Handler) loginForm(c *fiber.Ctx) error {
	if c.Query("verlopen") == "1" {
		web.FlashNow(c, "fout", "Uw sessie is verlopen. Log opnieuw in.")
	}
	return web.Render(c, fiber.StatusOK, "accounts/login", loginPage{Page: web.NewPage(c, "Inloggen"), Back: safeBack(c.Query("terug"))})
}

// POST /inloggen
func (h *Handler) login(c *fiber.Ctx) error {
	email, back := strings.TrimSpace(c.FormValue("email")), safeBack(c.FormValue("terug"))
	if len(email) > 254 {
		email = email[:254]
	}
	u, tok, err := h.svc.Login(c.UserContext(), email, c.FormValue("password"), c.IP())
	if errors.Is(err, ErrBadLogin) || errors.Is(err, ErrLoginLocked) {
		status := fiber.StatusUnauthorized
		if errors.Is(err, ErrLoginLocked) {
			status = fiber.StatusTooManyRequests
		}
		return web.Render(c, status, "accounts/login", loginPage{
			Page: web.NewPage(c, "Inloggen"), Email: email, Back: back, Error: apperr.UserText(err, ""),
		})
	}
	if err != nil {
		return err
	}
	if old := c.Cookies(h.svc.Sessions.Cookie); old != "" {
		_ = h.svc.Sessions.Destroy(c.UserContext(), old)
	}
	h.svc.Sessions.setCookie(c, tok)
	web.SetFlash(c, "U bent ingelogd als "+u.Name+".")
	if back == "" {
		back = "/"
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

// POST /uitloggen
func (h *Handler) logout(c *fiber.Ctx) error {
	if tok := c.Cookies(h.svc.Sessions.Cookie); tok != "" {
		if err := h.svc.Sessions.Destroy(c.UserContext(), tok); err != nil {
			return err
		}
	}
	h.svc.Sessions.clearCookie(c)
	web.SetFlash(c, "U bent uitgelogd.")
	return c.Redirect("/", fiber.StatusSeeOther)
}

type accountPage struct {
	web.Page
	User   *User
	Name   string
	Errors web.FieldErrors
	Roles  []string
}

// GET /mijn/account
func (h *Handler) account(c *fiber.Ctx) error {
	return h.renderAccount(c, fiber.StatusOK, "", nil)
}

func (h *Handler) renderAccount(c *fiber.Ctx, status int, name string, errs web.FieldErrors) error {
	v := web.CurrentViewer(c)
	u, err := h.svc.Store.User(c.UserContext(), v.ID)
	if err != nil {
		return err
	}
	if name == "" {
		name = u.Name
	}
	roles := []string{RoleLabel(web.RoleLearner)}
	for _, r := range u.Roles {
		roles = append(roles, RoleLabel(r))
	}
	return web.Render(c, status, "accounts/account", accountPage{Page: web.NewPage(c, "Mijn account"), User: u, Name: name, Errors: errs, Roles: roles})
}

type nameForm struct {
	Name string `form:"name" label:"Naam" validate:"required,max=120"`
}

// POST /mijn/account/naam
func (h *Handler) changeName(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	var f nameForm
	if err := web.Bind(c, h.validate, &f); err != nil {
		if ve, ok := apperr.AsValidation(err); ok {
			return h.renderAccount(c, fiber.StatusUnprocessableEntity, f.Name, web.FormErrors(ve, &f))
		}
		return err
	}
	if err := h.svc.Store.SetName(c.UserContext(), v.ID, f.Name); err != nil {
		return err
	}
	web.SetFlash(c, "Uw naam is gewijzigd.")
	return c.Redirect("/mijn/account", fiber.StatusSeeOther)
}

// POST /mijn/account/wachtwoord
func (h *Handler) changePassword(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	next, confirm := c.FormValue("new_password"), c.FormValue("new_password_confirm")
	if next != confirm {
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, "", web.FieldErrors{{Field: "new_password_confirm", Message: "De twee nieuwe wachtwoorden zijn niet gelijk."}})
	}
	err := h.svc.ChangePassword(c.UserContext(), v.ID, c.FormValue("current_password"), next, c.Cookies(h.svc.Sessions.Cookie))
	if ve, ok := apperr.AsValidation(err); ok {
		return h.renderAccount(c, fiber.StatusUnprocessableEntity, "", web.FormErrors(ve, nil))
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw wachtwoord is gewijzigd. Andere sessies zijn uitgelogd.")
	return c.Redirect("/mijn/account", fiber.StatusSeeOther)
}

// GET /mijn/account/gegevens.json
func (h *Handler) exportData(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	data, err := h.svc.ExportData(c.UserContext(), v.ID)
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
	v := web.CurrentViewer(c)
	var errs web.FieldErrors
	if c.FormValue("confirm") != "ja" {
		errs = web.FieldErrors{{Field: "confirm", Message: "Vink aan dat u uw account en al uw gegevens wilt verwijderen."}}
	} else {
		err := h.svc.DeleteAccount(c.UserContext(), v.ID, c.FormValue("password"))
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

const usersPerPage = 25

type adminUsersPage struct {
	web.Page
	Query     string
	Users     []User
	Total     int
	PageNo    int
	Pages     int
	Grantable []struct{ Value, Label string }
}

// GET /beheer/gebruikers
func (h *Handler) adminUsers(c *fiber.Ctx) error {
	q := c.Query("q")
	if len(q) > 100 {
		q = q[:100]
	}
	pageNo := web.PageNumber(c.Query("pagina"))
	res, err := h.svc.Store.SearchUsers(c.UserContext(), q, usersPerPage, (pageNo-1)*usersPerPage)
	if err != nil {
		return err
	}
	pages := max(1, (res.Total+usersPerPage-1)/usersPerPage)
	return web.Render(c, fiber.StatusOK, "accounts/admin_users", adminUsersPage{
		Page: web.NewPage(c, "Gebruikers beheren"), Query: q, Users: res.Users, Total: res.Total,
		PageNo: pageNo, Pages: pages, Grantable: GrantableRoles,
	})
}

// POST /beheer/gebruikers/:id/rollen
func (h *Handler) adminRole(c *fiber.Ctx) error {
	admin := web.CurrentViewer(c)
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return ErrNotFound
	}
	role, action := c.FormValue("role"), c.FormValue("action")
	if !validRole(role) || (action != "grant" && action != "revoke") {
		return apperr.Msg(apperr.ErrConflict, "Onbekende rol of handeling.")
	}
	ctx := c.UserContext()
	if err := h.changeRole(ctx, admin.ID, id, role, action); err != nil {
		return err
	}
	u, err := h.svc.Store.User(ctx, id)
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

func (h *Handler) changeRole(ctx context.Context, adminID, userID int64, role, action string) error {
	if action == "grant" {
		return h.svc.Store.GrantRole(ctx, userID, role)
	}
	if role == web.RoleAdmin && userID == adminID {
		return ErrLastAdmin
	}
	return h.svc.Store.RevokeRole(ctx, userID, role)
}

// GET /api/v1/me
func (h *Handler) apiMe(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	u, err := h.svc.Store.User(c.UserContext(), v.ID)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

//go:embed openapi.json
var openAPIFragment []byte

// OpenAPI is this domain's part of the API document.
func OpenAPI() []byte { return openAPIFragment }
