package lti

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Handler serves the tool's endpoints and the admin pages.
type Handler struct {
	svc      *Service
	validate *web.Validator
}

// NewHandler returns the handler on svc.
func NewHandler(svc *Service, v *web.Validator) *Handler { return &Handler{svc: svc, validate: v} }

// CSRFExempt are the paths a platform (or a page inside a platform's
// frame, where our cookies may not come along) posts to. Each protects
// itself: login needs nothing (it only redirects to the platform), a launch
// is bound to its browser by state, nonce and the LTI cookie, and the
// course picker by its one-hour token.
var CSRFExempt = []string{"/lti/login", "/lti/launch", "/lti/deeplink"}

// Routes registers the tool's routes.
func (h *Handler) Routes(r *web.Router) {
	anyone := r.Public()
	anyone.Get("/lti/login", h.login)
	anyone.Post("/lti/login", h.login)
	anyone.Post("/lti/launch", h.launch)
	anyone.Get("/lti/jwks", h.jwks)
	anyone.Get("/lti/config", h.config)
	anyone.Get("/api/v1/lti/tool", h.tool)
	anyone.Post("/lti/deeplink", h.deepLink)
	anyone.Get("/lti/open/:token", h.open)
	in := r.LoggedIn()
	in.Get("/lti/koppelen/:token", h.linkForm)
	in.Post("/lti/koppelen/:token", h.link)
	h.adminRoutes(r.Role(web.RoleAdmin))
}

// browserCookie is the cookie that binds a login to its launch. A launch is
// a cross-site form post from the platform (in a window or an iframe), so
// over https it is SameSite=None, and Partitioned so that browsers keeping
// third-party cookies apart still send it within the platform's frame.
func (h *Handler) browserCookie() string {
	if h.svc.cfg.Secure {
		return "__Secure-lti"
	}
	return "lti"
}

func (h *Handler) setBrowserCookie(c *fiber.Ctx, key string) {
	v := h.browserCookie() + "=" + key + "; Path=/lti; Max-Age=28800; HttpOnly"
	if h.svc.cfg.Secure {
		v += "; Secure; SameSite=None; Partitioned"
	} else {
		v += "; SameSite=Lax" // http (a platform on this machine): same-site only
	}
	c.Response().Header.Add(fiber.HeaderSetCookie, v)
}

// frameable lets the registered platforms show the response in a frame,
// and lets its forms post to formTargets besides the tool itself.
func (h *Handler) frameable(c *fiber.Ctx, formTargets ...string) error {
	origins, err := h.svc.FrameOrigins(c.UserContext())
	if err != nil {
		return err
	}
	csp := strings.Replace(web.ContentSecurityPolicy, "frame-ancestors 'none'", strings.TrimSpace("frame-ancestors 'self' "+strings.Join(origins, " ")), 1)
	if len(formTargets) > 0 {
		csp = strings.Replace(csp, "form-action 'self'", "form-action 'self' "+strings.Join(formTargets, " "), 1)
	}
	c.Set(fiber.HeaderContentSecurityPolicy, csp)
	c.Response().Header.Del(fiber.HeaderXFrameOptions)
	return nil
}

type errorPage struct {
	web.Page
	Status  int
	Message string
}

// launchError shows a failed LTI step on a page of its own (in the
// platform's frame if need be): 400 for a malformed or incomplete request,
// 401 for a token we cannot trust, 403, 404 or 503 as their kinds say.
func launchError(c *fiber.Ctx, err error) error {
	var status int
	switch {
	case errors.Is(err, apperr.ErrInvalid):
		status = fiber.StatusBadRequest
	case errors.Is(err, apperr.ErrUnauthorized):
		status = fiber.StatusUnauthorized
	case errors.Is(err, apperr.ErrForbidden):
		status = fiber.StatusForbidden
	case errors.Is(err, apperr.ErrNotFound):
		status = fiber.StatusNotFound
	case errors.Is(err, apperr.ErrUnavailable) && apperr.UserText(err, "") != "":
		status = fiber.StatusServiceUnavailable
	default:
		return err
	}
	return web.Render(c, status, "lti/error", errorPage{Page: web.NewPage(c, "Starten vanuit uw leeromgeving lukt niet"), Status: status,
		Message: apperr.UserText(err, "Het verzoek van uw leeromgeving is niet te verwerken.")})
}

// GET and POST /lti/login — third-party initiated login.
func (h *Handler) login(c *fiber.Ctx) error {
	if err := h.frameable(c); err != nil {
		return err
	}
	to, key, err := h.svc.Login(c.UserContext(), LoginRequest{
		Issuer: c.FormValue("iss"), LoginHint: c.FormValue("login_hint"), TargetLinkURI: c.FormValue("target_link_uri"),
		MessageHint: c.FormValue("lti_message_hint"), ClientID: c.FormValue("client_id"),
		DeploymentID: c.FormValue("lti_deployment_id"), BrowserKey: c.Cookies(h.browserCookie()),
	})
	if err != nil {
		return launchError(c, err)
	}
	h.setBrowserCookie(c, key)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(to, fiber.StatusFound)
}

type pickerPage struct {
	web.Page
	*Picker
	Chosen string
	Errors web.FieldErrors
}

type handoffPage struct {
	web.Page
	Token       string
	Platform    *Platform
	CourseTitle string
}

type linkNeededPage struct {
	web.Page
	Token    string
	Email    string
	Platform *Platform
	InFrame  bool
}

// POST /lti/launch — the platform's form post with the id_token.
func (h *Handler) launch(c *fiber.Ctx) error {
	if err := h.frameable(c); err != nil {
		return err
	}
	dest := c.Get("Sec-Fetch-Dest")
	out, err := h.svc.Launch(c.UserContext(), LaunchRequest{
		IDToken: c.FormValue("id_token"), State: c.FormValue("state"),
		Error: c.FormValue("error"), ErrorDescription: c.FormValue("error_description"),
		BrowserKey: c.Cookies(h.browserCookie()), FetchDest: dest,
	})
	if err != nil {
		return launchError(c, err)
	}
	switch {
	case out.Picker != nil:
		return web.Render(c, fiber.StatusOK, "lti/picker", pickerPage{Page: web.NewPage(c, "Kies een cursus"), Picker: out.Picker})
	case out.Handoff != "":
		return web.Render(c, fiber.StatusOK, "lti/handoff", handoffPage{Page: web.NewPage(c, "Open de leeromgeving"),
			Token: out.Handoff, Platform: out.Platform, CourseTitle: out.CourseTitle})
	case out.Link != "":
		return web.Render(c, fiber.StatusOK, "lti/link_needed", linkNeededPage{Page: web.NewPage(c, "Koppel uw account"),
			Token: out.Link, Email: out.LinkEmail, Platform: out.Platform, InFrame: dest == "iframe" || dest == "frame"})
	}
	h.svc.SetSessionCookie(c, out.Session)
	web.SetFlash(c, out.Flash)
	return c.Redirect(out.Redirect, fiber.StatusSeeOther)
}

// GET /lti/open/:token — a launch that came in an iframe, continued in a
// window of its own.
func (h *Handler) open(c *fiber.Ctx) error {
	session, target, err := h.svc.Open(c.UserContext(), c.Params("token"))
	if err != nil {
		return launchError(c, err)
	}
	h.svc.SetSessionCookie(c, session)
	web.SetFlash(c, "U bent ingelogd vanuit uw leeromgeving.")
	return c.Redirect(target, fiber.StatusSeeOther)
}

type deepLinkReturnPage struct {
	web.Page
	*DeepLinkReturn
}

// POST /lti/deeplink — the teacher's choice on the picker.
func (h *Handler) deepLink(c *fiber.Ctx) error {
	if err := h.frameable(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	tok, slug := c.FormValue("token"), strings.TrimSpace(c.FormValue("course"))
	ret, err := h.svc.DeepLinkResponse(ctx, tok, slug, c.FormValue("action") == "annuleren")
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		pk, perr := h.svc.PickerFor(ctx, tok)
		if perr != nil {
			return launchError(c, perr)
		}
		return web.Render(c, fiber.StatusUnprocessableEntity, "lti/picker", pickerPage{Page: web.NewPage(c, "Kies een cursus"), Picker: pk, Chosen: slug, Errors: errs})
	}
	if err != nil {
		return launchError(c, err)
	}
	if err := h.frameable(c, origin(ret.URL)); err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "lti/deeplink_return", deepLinkReturnPage{Page: web.NewPage(c, "Terug naar uw leeromgeving"), DeepLinkReturn: ret})
}

type linkPage struct {
	web.Page
	Token   string
	Pending *PendingLink
	Same    bool // the viewer's address is the one of the launch
}

// GET /lti/koppelen/:token — link the account to a platform person.
func (h *Handler) linkForm(c *fiber.Ctx) error {
	p, err := h.svc.Pending(c.UserContext(), c.Params("token"))
	if err != nil {
		return launchError(c, err)
	}
	v := web.CurrentViewer(c)
	return web.Render(c, fiber.StatusOK, "lti/link", linkPage{Page: web.NewPage(c, "Account koppelen"), Token: c.Params("token"),
		Pending: p, Same: strings.EqualFold(v.Email, p.Email)})
}

// POST /lti/koppelen/:token
func (h *Handler) link(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	target, err := h.svc.CompleteLink(c.UserContext(), c.Params("token"), v.ID, v.Email)
	if err != nil {
		return launchError(c, err)
	}
	web.SetFlash(c, "Uw account is gekoppeld aan uw leeromgeving. Voortaan komt u er met één klik.")
	return c.Redirect(target, fiber.StatusSeeOther)
}

// GET /lti/jwks — the tool's public keys.
func (h *Handler) jwks(c *fiber.Ctx) error {
	set, err := h.svc.JWKS(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	return c.JSON(set)
}

// GET /lti/config — the tool configuration as JSON.
func (h *Handler) config(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	return c.JSON(h.svc.ToolConfiguration())
}

// GET /api/v1/lti/tool — the configuration and the keys in one document.
func (h *Handler) tool(c *fiber.Ctx) error {
	set, err := h.svc.JWKS(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(map[string]any{"configuration": h.svc.ToolConfiguration(), "keys": set})
}
