package accounts

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

const stateCookie = "organisatie-login"

// POST /inloggen/organisatie — to the chosen organisation's provider.
func (h *Handler) orgLogin(c *fiber.Ctx) error {
	choice, _ := strconv.ParseInt(c.FormValue("organisation"), 10, 64)
	email, back := c.FormValue("org_email"), safeBack(c.FormValue("terug"))
	if len(email) > 254 {
		email = email[:254]
	}
	to, state, err := h.svc.BeginOrganisationLogin(c.UserContext(), choice, email, back)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderLogin(c, fiber.StatusUnprocessableEntity, loginPage{Back: back, OrgChoice: choice, OrgEmail: email, Errors: errs})
	}
	if errors.Is(err, apperr.ErrUnavailable) {
		return h.renderLogin(c, fiber.StatusServiceUnavailable, loginPage{Back: back, OrgChoice: choice, OrgEmail: email, OrgError: apperr.UserText(err, "")})
	}
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: h.cookieName(stateCookie), Value: state, Path: "/", HTTPOnly: true, Secure: h.svc.cfg.Secure,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 600})
	return c.Redirect(to, fiber.StatusSeeOther)
}

// GET /inloggen/organisatie/terug — the provider sends the browser back here.
func (h *Handler) orgCallback(c *fiber.Ctx) error {
	device, err := h.device(c)
	if err != nil {
		return err
	}
	name := h.cookieName(stateCookie)
	cookieState := c.Cookies(name)
	if cookieState != "" && cookieState == c.Query("state") { // this login ends here, whatever its outcome
		c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, Secure: h.svc.cfg.Secure,
			SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(1, 0)})
	}
	u, tok, back, err := h.svc.CompleteOrganisationLogin(c.UserContext(), Callback{
		State: c.Query("state"), Code: c.Query("code"), Error: c.Query("error"),
		CookieState: cookieState, Device: device, OldSession: c.Cookies(h.svc.Sessions.Cookie),
	})
	switch {
	case errors.Is(err, apperr.ErrUnavailable):
		return h.renderLogin(c, fiber.StatusServiceUnavailable, loginPage{OrgError: apperr.UserText(err, "")})
	case errors.Is(err, apperr.ErrForbidden):
		return h.renderLogin(c, fiber.StatusForbidden, loginPage{OrgError: apperr.UserText(err, "")})
	case err != nil:
		return err
	}
	return h.startSession(c, tok, "U bent ingelogd als "+u.Name+" via uw organisatie.", back)
}
