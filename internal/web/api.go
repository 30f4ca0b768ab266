package web

import (
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// APIVersion is the version of the JSON API (semantic versioning, as the
// Dutch API Design Rules ask): in the OpenAPI document's info.version and in
// the API-Version header of every response. The major version is in the path.
const APIVersion = "1.0.0"

// APIVersionHeader names the header that carries APIVersion.
const APIVersionHeader = "API-Version"

// Paths answers what the route table says about a request path before the
// routes run: which methods it allows and who may enter. It compiles each
// route's pattern (":id<int>", ":dir<regex(a|b)>", "*") once.
type Paths struct {
	rt    *Router
	once  sync.Once
	rules []pathRule
}

type pathRule struct {
	re     *regexp.Regexp
	method string
	access Access
}

// NewPaths reads rt's table when first asked, so it sees every route
// registered by then.
func NewPaths(rt *Router) *Paths { return &Paths{rt: rt} }

var (
	paramSeg = regexp.MustCompile(`^:[A-Za-z0-9_]+(<(.*)>)?$`)
	choices  = regexp.MustCompile(`^regex\((.*)\)$`)
)

func (p *Paths) compile() {
	for _, r := range p.rt.Table() {
		segs := strings.Split(r.Path, "/")
		for i, s := range segs {
			m := paramSeg.FindStringSubmatch(s)
			switch {
			case s == "*":
				segs[i] = ".*"
			case m == nil:
				segs[i] = regexp.QuoteMeta(s)
			case m[2] == "int":
				segs[i] = `-?\d+`
			case choices.MatchString(m[2]):
				segs[i] = "(?:" + choices.FindStringSubmatch(m[2])[1] + ")"
			default:
				segs[i] = `[^/]+`
			}
		}
		p.rules = append(p.rules, pathRule{re: regexp.MustCompile("^" + strings.Join(segs, "/") + "$"), method: r.Method, access: r.Access})
	}
}

// Allowed lists the methods registered for path (HEAD and OPTIONS where
// they apply), nil when no route has that path.
func (p *Paths) Allowed(path string) []string {
	p.once.Do(p.compile)
	var out []string
	for _, r := range p.rules {
		if r.re.MatchString(path) && !slices.Contains(out, r.method) {
			out = append(out, r.method)
		}
	}
	if slices.Contains(out, fiber.MethodGet) {
		out = append(out, fiber.MethodHead)
	}
	if len(out) > 0 {
		out = append(out, fiber.MethodOptions)
	}
	return out
}

// PublicRead reports whether anyone may GET path.
func (p *Paths) PublicRead(path string) bool {
	p.once.Do(p.compile)
	for _, r := range p.rules {
		if r.method == fiber.MethodGet && r.access.Public() && r.re.MatchString(path) {
			return true
		}
	}
	return false
}

// ErrTrailingSlash is the API's answer to a path ending in a slash.
var ErrTrailingSlash = apperr.Msg(apperr.ErrNotFound, "Onbekend API-pad: paden eindigen niet op een schuine streep.")

// APIConventions applies the Dutch API Design Rules to /api requests before
// anything else reads them: the API-Version header on every response, 404
// for a path with a trailing slash, 405 with Allow for a method the path
// does not take (before the body is checked), and CORS for operations
// anyone may read, from origins (["*"] for any). A page path with a trailing
// slash is redirected to the path without it.
func APIConventions(paths *Paths, origins []string) fiber.Handler {
	anyOrigin := slices.Contains(origins, "*")
	return func(c *fiber.Ctx) error {
		c.Set(APIVersionHeader, APIVersion)
		path := c.Path()
		if len(path) > 1 && strings.HasSuffix(path, "/") {
			if IsAPI(c) {
				return ErrTrailingSlash
			}
			if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
				to := strings.TrimRight(path, "/")
				if q := string(c.Request().URI().QueryString()); q != "" {
					to += "?" + q
				}
				if SafeRedirect(to) == "" {
					return fiber.ErrNotFound
				}
				return c.Redirect(to, fiber.StatusMovedPermanently)
			}
			return fiber.ErrNotFound
		}
		if !IsAPI(c) {
			return c.Next()
		}
		allowed := paths.Allowed(path)
		if origin := c.Get(fiber.HeaderOrigin); origin != "" && paths.PublicRead(path) &&
			(anyOrigin || slices.Contains(origins, origin)) {
			if anyOrigin {
				c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
			} else {
				c.Set(fiber.HeaderAccessControlAllowOrigin, origin)
				c.Vary(fiber.HeaderOrigin)
			}
			c.Set(fiber.HeaderAccessControlExposeHeaders, APIVersionHeader)
			if c.Method() == fiber.MethodOptions {
				c.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD, OPTIONS")
				c.Set(fiber.HeaderAccessControlAllowHeaders, "Accept, Content-Type")
				c.Set(fiber.HeaderAccessControlMaxAge, "86400")
				return c.SendStatus(fiber.StatusNoContent)
			}
		}
		if len(allowed) > 0 && !slices.Contains(allowed, c.Method()) {
			c.Set(fiber.HeaderAllow, strings.Join(allowed, ", "))
			return fiber.ErrMethodNotAllowed
		}
		if c.Method() == fiber.MethodOptions && len(allowed) > 0 {
			c.Set(fiber.HeaderAllow, strings.Join(allowed, ", "))
			return c.SendStatus(fiber.StatusNoContent)
		}
		return c.Next()
	}
}
