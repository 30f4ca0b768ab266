package web

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// Flash is a one-time message shown after a redirect (post, redirect, get).
type Flash struct {
	Kind string // "succes" or "fout"
	Text string
}

const flashCookie = "flash"

// SetFlash stores a success message for the next page the browser loads.
func SetFlash(c *fiber.Ctx, text string) { setFlash(c, "succes", text) }

// SetFlashError stores an error message for the next page.
func SetFlashError(c *fiber.Ctx, text string) { setFlash(c, "fout", text) }

func setFlash(c *fiber.Ctx, kind, text string) {
	c.Cookie(&fiber.Cookie{
		Name:     flashCookie,
		Value:    base64.RawURLEncoding.EncodeToString([]byte(kind + "|" + text)),
		Path:     "/",
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode,
		MaxAge:   60,
	})
}

// flashes moves a flash cookie into the request's locals and clears it.
func flashes(c *fiber.Ctx) error {
	raw := c.Cookies(flashCookie)
	if raw == "" {
		return c.Next()
	}
	c.ClearCookie(flashCookie)
	if b, err := base64.RawURLEncoding.DecodeString(raw); err == nil && utf8.Valid(b) {
		if kind, text, ok := strings.Cut(string(b), "|"); ok && (kind == "succes" || kind == "fout") {
			c.Locals(localsFlash, &Flash{Kind: kind, Text: text})
		}
	}
	return c.Next()
}

// FlashNow shows a message on the page rendered for the current request.
func FlashNow(c *fiber.Ctx, kind, text string) { c.Locals(localsFlash, &Flash{Kind: kind, Text: text}) }
