package courses

import (
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// visitorPages keeps the rendered pages of published courses as a visitor
// (not logged in) sees them: the same bytes for everyone, until the course
// changes, which moves its version on. It is bounded by the number of pages
// of published courses.
type visitorPages struct {
	mu    sync.RWMutex
	pages map[string]visitorPage
}

type visitorPage struct {
	version int
	body    []byte
}

func newVisitorPages() *visitorPages { return &visitorPages{pages: map[string]visitorPage{}} }

// cacheable reports whether the request sees the visitor's page: no user,
// no one-time message.
func cacheable(c *fiber.Ctx, course *Course) bool {
	p := web.NewPage(c, "")
	return course.Published() && p.Viewer == nil && p.Flash == nil
}

// serveVisitor answers a visitor from the kept page when it is current,
// without a query while the course row is in the short-lived cache.
func (h *Handler) serveVisitor(c *fiber.Ctx) bool {
	p := web.NewPage(c, "")
	if p.Viewer != nil || p.Flash != nil {
		return false
	}
	course, err := h.svc.CachedCourse(c.UserContext(), c.Params("slug"))
	if err != nil || !course.Published() {
		return false
	}
	return h.visitors.serve(c, course)
}

// serve writes the cached page of the request's path for course's version,
// if there is one.
func (v *visitorPages) serve(c *fiber.Ctx, course *Course) bool {
	v.mu.RLock()
	p, ok := v.pages[c.Path()]
	v.mu.RUnlock()
	if !ok || p.version != course.Version {
		return false
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	_ = c.Send(p.body)
	return true
}

// keep stores the page just rendered for the request's path.
func (v *visitorPages) keep(c *fiber.Ctx, course *Course) {
	if c.Response().StatusCode() != fiber.StatusOK {
		return
	}
	body := append([]byte(nil), c.Response().Body()...)
	v.mu.Lock()
	v.pages[c.Path()] = visitorPage{version: course.Version, body: body}
	v.mu.Unlock()
}

// renderKept renders a page and, when it is a visitor's page, keeps it.
func (h *Handler) renderKept(c *fiber.Ctx, course *Course, visitor bool, name string, page any) error {
	if err := web.Render(c, fiber.StatusOK, name, page); err != nil || !visitor {
		return err
	}
	h.visitors.keep(c, course)
	return nil
}
