package accounts

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type loginPage struct {
	web.Page
	Email      string
	Back       string
	Error      string // why the password login failed
	Unverified bool   // the password was right; offer a new confirmation link
	Choices    []LoginChoice
	OrgChoice  int64
	OrgEmail   string
	OrgError   string          // why the organisation login failed
	Errors     web.FieldErrors // the organisation form's fields
}

func (h *Handler) renderLogin(c *fiber.Ctx, status int, p loginPage) error {
	choices, err := h.svc.LoginChoices(c.UserContext())
	if err != nil {
		return err
	}
	if _, err := h.device(c); err != nil {
		return err
	}
	p.Page, p.Choices = web.NewPage(c, "Inloggen"), choices
	return web.Render(c, status, "accounts/login", p)
}

// GET /inloggen
func (h *Handler) loginForm(c *fiber.Ctx) error {
	if c.Query("verlopen") == "1" {
		web.FlashNow(c, "fout", "Uw sessie is verlopen. Log opnieuw in.")
	}
	return h.renderLogin(c, fiber.StatusOK, loginPage{Back: safeBack(c.Query("terug"))})
}

// POST /inloggen
func (h *Handler) login(c *fiber.Ctx) error {
	email, back := strings.TrimSpace(c.FormValue("email")), safeBack(c.FormValue("terug"))
	if len(email) > 254 {
		email = email[:254]
	}
	device, err := h.device(c)
	if err != nil {
		return err
	}
	u, tok, err := h.svc.Login(c.UserContext(), LoginInput{Email: email, Password: c.FormValue("password"), Client: c.IP(),
		Device: device, OldSession: c.Cookies(h.svc.Sessions.Cookie)})
	var status int
	switch {
	case errors.Is(err, ErrBadLogin):
		status = fiber.StatusUnauthorized
	case errors.Is(err, ErrNotVerified):
		status = fiber.StatusForbidden
	case errors.Is(err, ErrLoginLocked):
		status = fiber.StatusTooManyRequests
	case err != nil:
		return err
	default:
		return h.startSession(c, tok, "U bent ingelogd als "+u.Name+".", back)
	}
	return h.renderLogin(c, status, loginPage{Email: email, Back: back, Error: apperr.UserText(err, ""), Unverified: errors.Is(err, ErrNotVerified)})
}

// POST /uitloggen
func (h *Handler) logout(c *fiber.Ctx) error {
	if err := h.svc.Logout(c.UserContext(), c.Cookies(h.svc.Sessions.Cookie)); err != nil {
		return err
	}
	h.svc.Sessions.clearCookie(c)
	web.SetFlash(c, "U bent uitgelogd.")
	return c.Redirect("/", fiber.StatusSeeOther)
}

type forgotPage struct {
	web.Page
	Email  string
	Sent   bool
	Errors web.FieldErrors
}

// GET /wachtwoord-vergeten
func (h *Handler) forgotForm(c *fiber.Ctx) error {
	email := c.Query("email")
	if len(email) > 254 {
		email = ""
	}
	return web.Render(c, fiber.StatusOK, "accounts/forgot", forgotPage{Page: web.NewPage(c, "Wachtwoord vergeten"), Email: email, Sent: c.Query("verstuurd") == "1"})
}

// POST /wachtwoord-vergeten — the same answer for any address.
func (h *Handler) forgot(c *fiber.Ctx) error {
	var f emailForm
	err := web.Bind(c, h.validate, &f)
	if err == nil {
		err = h.svc.RequestReset(c.UserContext(), f.Email, c.IP())
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "accounts/forgot", forgotPage{Page: web.NewPage(c, "Wachtwoord vergeten"), Email: f.Email, Errors: errs})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Als "+f.Email+" bij een account hoort, hebben we er een link naartoe gestuurd om een nieuw wachtwoord in te stellen.")
	return c.Redirect("/wachtwoord-vergeten?verstuurd=1", fiber.StatusSeeOther)
}

type resetForm struct {
	Token           string `form:"token"`
	Password        string `form:"password" label:"Nieuw wachtwoord" validate:"required,max=128"`
	PasswordConfirm string `form:"password_confirm" label:"Herhaal het nieuwe wachtwoord" validate:"required,eqfield=Password"`
}

// GET /wachtwoord-herstellen?token=
func (h *Handler) resetForm(c *fiber.Ctx) error {
	tok := c.Query("token")
	if err := h.svc.CheckReset(c.UserContext(), tok); isLinkProblem(err) {
		return linkProblem(c, "accounts/reset", "Nieuw wachtwoord instellen", err)
	} else if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "accounts/reset", linkPage{Page: web.NewPage(c, "Nieuw wachtwoord instellen"), Token: tok})
}

// POST /wachtwoord-herstellen
func (h *Handler) reset(c *fiber.Ctx) error {
	var f resetForm
	err := web.Bind(c, h.validate, &f)
	var tok string
	if err == nil {
		var device string
		if device, err = h.device(c); err != nil {
			return err
		}
		_, tok, err = h.svc.ResetPassword(c.UserContext(), f.Token, f.Password, device, c.Cookies(h.svc.Sessions.Cookie))
	}
	if isLinkProblem(err) {
		return linkProblem(c, "accounts/reset", "Nieuw wachtwoord instellen", err)
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "accounts/reset", linkPage{Page: web.NewPage(c, "Nieuw wachtwoord instellen"), Token: f.Token, Errors: errs})
	}
	if err != nil {
		return err
	}
	return h.startSession(c, tok, "Uw nieuwe wachtwoord is ingesteld en u bent ingelogd. Overal anders bent u uitgelogd.", "/")
}
