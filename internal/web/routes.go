package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Access says who may enter a route.
type Access struct {
	LoggedIn bool     // a session is needed
	Roles    []string // and one of these roles (admins hold every role); empty: any user
}

// Public reports whether anyone may enter.
func (a Access) Public() bool { return !a.LoggedIn }

// String is how the route table shows it: "iedereen", "ingelogd", "rol: admin".
func (a Access) String() string {
	switch {
	case !a.LoggedIn:
		return "iedereen"
	case len(a.Roles) == 0:
		return "ingelogd"
	}
	return "rol: " + strings.Join(a.Roles, ", ")
}

// Allows reports whether v may enter.
func (a Access) Allows(v *Viewer) bool {
	if !a.LoggedIn {
		return true
	}
	if v == nil {
		return false
	}
	return len(a.Roles) == 0 || slices.ContainsFunc(a.Roles, v.Has)
}

// Route is one entry of the route table.
type Route struct {
	Method, Path string
	Access       Access
}

// Router registers routes together with who may enter them, so the route
// table says who may do what and a test can check every route. Each route
// gets its own guard: fiber's Group and Use match path prefixes as plain
// strings ("/beheer" would also guard "/beheerder"), and a guard on a prefix
// would apply to routes other domains register under it.
type Router struct {
	r     fiber.Router
	table *[]Route
}

// NewRouter wraps r.
func NewRouter(r fiber.Router) *Router { return &Router{r: r, table: &[]Route{}} }

// Table is every route registered so far, in order.
func (rt *Router) Table() []Route { return slices.Clone(*rt.table) }

// Public is the group of routes anyone may enter.
func (rt *Router) Public() Group { return Group{rt: rt} }

// LoggedIn is the group of routes every logged-in user may enter.
func (rt *Router) LoggedIn() Group { return Group{rt: rt, access: Access{LoggedIn: true}} }

// Role is the group of routes for users holding one of roles.
func (rt *Router) Role(roles ...string) Group {
	return Group{rt: rt, access: Access{LoggedIn: true, Roles: roles}}
}

// Group registers routes with one kind of access.
type Group struct {
	rt     *Router
	access Access
}

// Get registers a GET (and HEAD) route.
func (g Group) Get(path string, handlers ...fiber.Handler) { g.add(fiber.MethodGet, path, handlers) }

// Post registers a POST route.
func (g Group) Post(path string, handlers ...fiber.Handler) { g.add(fiber.MethodPost, path, handlers) }

// Put registers a PUT route.
func (g Group) Put(path string, handlers ...fiber.Handler) { g.add(fiber.MethodPut, path, handlers) }

// Delete registers a DELETE route.
func (g Group) Delete(path string, handlers ...fiber.Handler) {
	g.add(fiber.MethodDelete, path, handlers)
}

func (g Group) add(method, path string, handlers []fiber.Handler) {
	*g.rt.table = append(*g.rt.table, Route{Method: method, Path: path, Access: g.access})
	if g.access.LoggedIn {
		handlers = append([]fiber.Handler{guard(g.access)}, handlers...)
	}
	if method == fiber.MethodGet {
		g.rt.r.Get(path, handlers...) // with HEAD, as fiber's Get does
		return
	}
	g.rt.r.Add(method, path, handlers...)
}

// guard answers a visitor without a session with the way to the login page
// (401 for the API) and a user without the role with 403.
func guard(a Access) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := CurrentViewer(c)
		if v == nil {
			return errLoginRequired
		}
		if !a.Allows(v) {
			return errForbiddenRole
		}
		return c.Next()
	}
}
