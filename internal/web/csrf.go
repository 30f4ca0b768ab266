package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"slices"

	"github.com/gofiber/fiber/v2"
)

// CSRF protects every form with a signed double-submit token: a random value
// in an HttpOnly cookie, and in each form its HMAC under the application's
// secret. It keeps no server state, so it survives restarts and works across
// any number of app instances sharing the secret. The JSON API is protected
// instead by requiring a JSON content type, which a cross-site form cannot send.
type CSRF struct {
	Secret     []byte
	CookieName string
	Secure     bool
	// Exempt are paths that other sites post to by design (an LMS's LTI
	// launch); each must protect itself.
	Exempt []string
}

// CSRFField is the form field that carries the token.
const CSRFField = "_csrf"

// Middleware issues the cookie and checks the token on unsafe requests.
func (x CSRF) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		nonce := c.Cookies(x.CookieName)
		if _, err := base64.RawURLEncoding.DecodeString(nonce); err != nil || len(nonce) != 43 {
			nonce = x.newNonce(c)
		}
		tok := x.token(nonce)
		c.Locals(localsCSRF, tok)
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			return c.Next()
		}
		if slices.Contains(x.Exempt, c.Path()) {
			return c.Next()
		}
		if IsAPI(c) {
			if !c.Is("json") {
				return fiber.NewError(fiber.StatusUnsupportedMediaType, "Content-Type moet application/json zijn")
			}
			return c.Next()
		}
		sent := c.FormValue(CSRFField)
		if sent == "" {
			sent = c.Get("X-CSRF-Token")
		}
		if subtle.ConstantTimeCompare([]byte(sent), []byte(tok)) != 1 {
			return ErrCSRF
		}
		return c.Next()
	}
}

func (x CSRF) newNonce(c *fiber.Ctx) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	nonce := base64.RawURLEncoding.EncodeToString(b)
	c.Cookie(&fiber.Cookie{
		Name: x.CookieName, Value: nonce, Path: "/", HTTPOnly: true, Secure: x.Secure,
		SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 60 * 60 * 24 * 30,
	})
	return nonce
}

func (x CSRF) token(nonce string) string {
	m := hmac.New(sha256.New, x.Secret)
	m.Write([]byte("csrf:" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
