package accounts

import (
	_ "embed"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Handler serves the account pages: registration and confirmation
// (handler_register.go), login, logout and password reset
// (handler_login.go), login through an organisation (handler_oidc.go), the
// user's own account (handler_account.go) and the admins' pages
// (handler_admin.go).
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
	anyone.Get("/registreren/verstuurd", h.registerSent)
	anyone.Post("/registreren/opnieuw", h.resendVerification)
	anyone.Get("/registreren/bevestigen", h.verifyForm)
	anyone.Post("/registreren/bevestigen", h.verify)
	anyone.Get("/inloggen", h.loginForm)
	anyone.Post("/inloggen", h.login)
	anyone.Post("/uitloggen", h.logout)
	anyone.Get("/wachtwoord-vergeten", h.forgotForm)
	anyone.Post("/wachtwoord-vergeten", h.forgot)
	anyone.Get("/wachtwoord-herstellen", h.resetForm)
	anyone.Post("/wachtwoord-herstellen", h.reset)
	anyone.Post("/inloggen/organisatie", h.orgLogin)
	anyone.Get(callbackPath, h.orgCallback)

	me := r.LoggedIn()
	me.Get("/mijn/account", h.account)
	me.Post("/mijn/account/naam", h.changeName)
	me.Post("/mijn/account/wachtwoord", h.changePassword)
	me.Post("/mijn/account/meldingen", h.changeMailTopics)
	me.Get("/mijn/account/gegevens.json", h.exportData)
	me.Get("/mijn/account/verwijderen", h.deleteForm)
	me.Post("/mijn/account/verwijderen", h.deleteAccount)
	me.Get("/api/v1/me", h.apiMe)

	admin := r.Role(web.RoleAdmin)
	admin.Get("/beheer/gebruikers", h.adminUsers)
	admin.Post("/beheer/gebruikers/:id<int>/rollen", h.adminRole)
	admin.Get("/beheer/organisaties", h.adminOrganisations)
	admin.Get("/beheer/organisaties/:id<int>", h.adminOrganisation)
	admin.Post("/beheer/organisaties/:id<int>", h.adminSaveOrganisation)
	admin.Post("/beheer/organisaties/:id<int>/verwijderen", h.adminDeleteOrganisation)
}

// safeBack keeps a return address only when it is a path on this site.
func safeBack(s string) string {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.HasPrefix(s, "/\\") {
		return s
	}
	return ""
}

// cookieName is name, with the __Host- prefix on https.
func (h *Handler) cookieName(name string) string {
	if h.svc.cfg.Secure {
		return "__Host-" + name
	}
	return name
}

// device returns the browser's device id, giving it one (in a cookie
// kept for a year) when it has none.
func (h *Handler) device(c *fiber.Ctx) (string, error) {
	name := h.cookieName("apparaat")
	if d := c.Cookies(name); wellFormed(d) {
		return d, nil
	}
	d, err := NewDeviceID()
	if err != nil {
		return "", err
	}
	c.Cookie(&fiber.Cookie{Name: name, Value: d, Path: "/", HTTPOnly: true, Secure: h.svc.cfg.Secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().AddDate(1, 0, 0)})
	return d, nil
}

// startSession sets the session cookie of tok and greets the user on the
// page they return to.
func (h *Handler) startSession(c *fiber.Ctx, tok, flash, back string) error {
	h.svc.Sessions.setCookie(c, tok)
	web.SetFlash(c, flash)
	if back = safeBack(back); back == "" {
		back = "/"
	}
	return c.Redirect(back, fiber.StatusSeeOther)
}

//go:embed openapi.json
var openAPIFragment []byte

// OpenAPI is this domain's part of the API document.
func OpenAPI() []byte { return openAPIFragment }
