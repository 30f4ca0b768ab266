package accounts

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

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
	orgs, err := h.svc.Organisations(c.UserContext())
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
	verr := &apperr.Validation{}
	if err := web.Bind(c, v, &f); errors.Is(err, web.ErrUnreadableForm) {
		return f, NewUser{}, err
	} else if ve, ok := apperr.AsValidation(err); ok {
		verr = ve
	} else if err != nil {
		return f, NewUser{}, err
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

// POST /registreren — the same answer for a new and a known address.
func (h *Handler) register(c *fiber.Ctx) error {
	f, in, err := decodeRegister(c, h.validate)
	if err == nil {
		err = h.svc.SignUp(c.UserContext(), in, c.IP())
	}
	if errors.Is(err, ErrOrgNameTaken) {
		return h.renderRegister(c, fiber.StatusUnprocessableEntity, f, web.FieldErrors{{Field: "new_organisation", Message: apperr.UserText(err, "")}})
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return h.renderRegister(c, fiber.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "We hebben een e-mail gestuurd naar "+strings.TrimSpace(f.Email)+".")
	return c.Redirect("/registreren/verstuurd", fiber.StatusSeeOther)
}

type sentPage struct {
	web.Page
	Email  string
	Errors web.FieldErrors
}

// GET /registreren/verstuurd
func (h *Handler) registerSent(c *fiber.Ctx) error {
	return web.Render(c, fiber.StatusOK, "accounts/register_sent", sentPage{Page: web.NewPage(c, "Controleer uw e-mail")})
}

type emailForm struct {
	Email string `form:"email" label:"E-mailadres" validate:"required,email,max=254"`
}

// POST /registreren/opnieuw — the same answer for any address.
func (h *Handler) resendVerification(c *fiber.Ctx) error {
	var f emailForm
	err := web.Bind(c, h.validate, &f)
	if err == nil {
		err = h.svc.ResendVerification(c.UserContext(), f.Email, c.IP())
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "accounts/register_sent",
			sentPage{Page: web.NewPage(c, "Controleer uw e-mail"), Email: f.Email, Errors: errs})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Als "+f.Email+" bij een account hoort dat nog niet is bevestigd, hebben we een nieuwe link gestuurd.")
	return c.Redirect("/registreren/verstuurd", fiber.StatusSeeOther)
}

type linkPage struct {
	web.Page
	Token   string
	Problem string // why the link does not work, or ""
	Expired bool   // offer a new link
	Used    bool
	Errors  web.FieldErrors
}

// linkProblem renders the page of a mailed link that does not work.
func linkProblem(c *fiber.Ctx, view, title string, err error) error {
	status := fiber.StatusNotFound
	if errors.Is(err, ErrLinkUsed) {
		status = fiber.StatusConflict
	} else if errors.Is(err, ErrLinkExpired) {
		status = fiber.StatusGone
	}
	return web.Render(c, status, view, linkPage{Page: web.NewPage(c, title), Problem: apperr.UserText(err, ""),
		Expired: errors.Is(err, ErrLinkExpired), Used: errors.Is(err, ErrLinkUsed)})
}

func isLinkProblem(err error) bool {
	return errors.Is(err, ErrLinkInvalid) || errors.Is(err, ErrLinkExpired) || errors.Is(err, ErrLinkUsed)
}

// GET /registreren/bevestigen?token= — a button, not the confirmation
// itself: mail scanners that open links would otherwise use them up.
func (h *Handler) verifyForm(c *fiber.Ctx) error {
	tok := c.Query("token")
	if err := h.svc.CheckVerification(c.UserContext(), tok); isLinkProblem(err) {
		return linkProblem(c, "accounts/verify", "E-mailadres bevestigen", err)
	} else if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "accounts/verify", linkPage{Page: web.NewPage(c, "E-mailadres bevestigen"), Token: tok})
}

// POST /registreren/bevestigen
func (h *Handler) verify(c *fiber.Ctx) error {
	device, err := h.device(c)
	if err != nil {
		return err
	}
	u, tok, err := h.svc.Verify(c.UserContext(), c.FormValue("token"), device, c.Cookies(h.svc.Sessions.Cookie))
	if isLinkProblem(err) {
		return linkProblem(c, "accounts/verify", "E-mailadres bevestigen", err)
	}
	if err != nil {
		return err
	}
	return h.startSession(c, tok, "Welkom, "+u.Name+"! Uw e-mailadres is bevestigd en u bent ingelogd.", "/")
}
