// Package web is the HTTP plumbing every domain shares: the page model of the
// layout, rendering, the central error handler, CSRF protection, validation
// with Dutch messages, flash messages and the standard middleware.
package web

import (
	"html/template"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/bytebufferpool"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Roles a user can hold. Every user is a learner; the others are granted.
const (
	RoleLearner    = "learner"
	RoleTrainer    = "trainer"
	RoleAssessor   = "assessor"
	RoleProvider   = "provider"
	RoleOrgManager = "org_manager"
	RoleAdmin      = "admin"
)

// Viewer is the logged-in user as the web layer sees it. The accounts
// package puts it in the request; domains read it with CurrentViewer.
type Viewer struct {
	ID             int64
	Name           string
	Email          string
	OrganisationID int64
	Roles          []string
}

// Has reports whether the viewer holds role (admins hold every role).
func (v *Viewer) Has(role string) bool {
	if v == nil {
		return false
	}
	return role == RoleLearner || slices.Contains(v.Roles, role) || slices.Contains(v.Roles, RoleAdmin)
}

const (
	localsViewer  = "web.viewer"
	localsCSRF    = "web.csrf"
	localsFlash   = "web.flash"
	localsExpired = "web.sessionExpired"
)

// MarkSessionExpired notes that the request came with a session that has
// ended, so a redirect to the login page can say so.
func MarkSessionExpired(c *fiber.Ctx) {
	c.Locals(localsExpired, true)
	FlashNow(c, "fout", "Uw sessie is verlopen. Log opnieuw in.")
}

// SetViewer stores the logged-in user in the request.
func SetViewer(c *fiber.Ctx, v *Viewer) { c.Locals(localsViewer, v) }

// CurrentViewer is the logged-in user, or nil.
func CurrentViewer(c *fiber.Ctx) *Viewer {
	v, _ := c.Locals(localsViewer).(*Viewer)
	return v
}

// Page is what the layout needs; every page's view model embeds it.
type Page struct {
	Title     string
	Viewer    *Viewer
	CSRFToken string
	Flash     *Flash
	Path      string
	Notices   []string
}

// NewPage fills the layout's fields for the current request.
func NewPage(c *fiber.Ctx, title string) Page {
	f, _ := c.Locals(localsFlash).(*Flash)
	tok, _ := c.Locals(localsCSRF).(string)
	return Page{Title: title, Viewer: CurrentViewer(c), CSRFToken: tok, Flash: f, Path: c.Path()}
}

// Layout returns the page's layout fields; every view model embeds Page
// and so has this method.
func (p Page) Layout() Page { return p }

// layoutView is what the layout template renders: the page's layout fields
// and the page's own HTML.
type layoutView struct {
	Page
	Content template.HTML
}

// Render renders the page template name inside the main layout with status.
//
// The page is rendered first and handed to the layout as HTML. The template
// engine's own layout mechanism is not used: it holds one lock for every
// render in the process, so pages could only be drawn one at a time.
func Render(c *fiber.Ctx, status int, name string, data any) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	views := c.App().Config().Views
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := views.Render(buf, name, data); err != nil {
		return err
	}
	lv := layoutView{Content: template.HTML(buf.String())} //nolint:gosec // the page's own template output
	if p, ok := data.(interface{ Layout() Page }); ok {
		lv.Page = p.Layout()
	}
	c.Status(status).Type("html", "utf-8")
	return views.Render(c.Response().BodyWriter(), "layouts/main", lv)
}

// RequireViewer returns the logged-in user or an error that sends anonymous
// visitors to the login page.
func RequireViewer(c *fiber.Ctx) (*Viewer, error) {
	if v := CurrentViewer(c); v != nil {
		return v, nil
	}
	return nil, errLoginRequired
}

// RequireRole returns the logged-in user when they hold role.
func RequireRole(c *fiber.Ctx, role string) (*Viewer, error) {
	v, err := RequireViewer(c)
	if err != nil {
		return nil, err
	}
	if !v.Has(role) {
		return nil, errForbiddenRole
	}
	return v, nil
}

// PageNumber reads a 1-based page number from a query value, clamping
// garbage and absurd values into 1..10000.
func PageNumber(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, 10000)
}

// ParamID reads a positive numeric id from the route parameter name; any
// other value is a page that does not exist.
func ParamID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}
