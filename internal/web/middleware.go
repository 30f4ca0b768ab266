package web

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/helmet"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/valyala/fasthttp"
)

// ContentSecurityPolicy allows only the application's own scripts, styles and
// images: no inline scripts, no third parties, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'"

// Standard installs the middleware every request passes through first, in
// order: request id, access log, recover, security headers (with HSTS and
// Secure cookies when the site is served over https), compression, flash.
func Standard(app *fiber.App, log *slog.Logger, secure bool) {
	app.Use(requestid.New(requestid.Config{ContextKey: "requestid"}))
	if secure {
		app.Use(httpsOnly) // outside the access log, which turns errors into responses
	}
	app.Use(accessLog(log))
	app.Use(recover.New())
	h := helmet.Config{
		ContentSecurityPolicy:     ContentSecurityPolicy,
		ReferrerPolicy:            "strict-origin-when-cross-origin",
		XFrameOptions:             "DENY",
		CrossOriginEmbedderPolicy: "unsafe-none",
		PermissionPolicy:          "camera=(), microphone=(), geolocation=()",
	}
	h.HSTSMaxAge = 0 // helmet sends HSTS only when TLS ends here; httpsOnly sends it behind a proxy too
	app.Use(helmet.New(h))
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	app.Use(flashes)
}

// httpsOnly tells browsers to use https for a year (HSTS) and marks every
// cookie the response sets Secure, whichever code set it.
func httpsOnly(c *fiber.Ctx) error {
	err := c.Next()
	c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains")
	var insecure []*fasthttp.Cookie
	c.Response().Header.VisitAllCookie(func(_, value []byte) {
		ck := fasthttp.AcquireCookie()
		if ck.ParseBytes(value) == nil && !ck.Secure() {
			ck.SetSecure(true)
			insecure = append(insecure, ck)
			return
		}
		fasthttp.ReleaseCookie(ck)
	})
	for _, ck := range insecure {
		c.Response().Header.SetCookie(ck)
		fasthttp.ReleaseCookie(ck)
	}
	return err
}

// RequestID is the id of the current request, as logged and sent back in
// the X-Request-ID header.
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals("requestid").(string)
	return id
}

// accessLog writes one structured line per request after it is handled.
// Errors are handled first (so the logged status is the one sent).
func accessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		if err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
			slog.String("request_id", RequestID(c)),
			slog.String("method", c.Method()),
			slog.String("path", c.Path()),
			slog.Int("status", c.Response().StatusCode()),
			slog.Duration("duration", time.Since(start)),
			slog.Int("bytes", len(c.Response().Body())),
		)
		return nil
	}
}
