package web

import (
	"errors"
	"log/slog"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

var (
	errLoginRequired = apperr.ErrUnauthorized
	errForbiddenRole = apperr.Msg(apperr.ErrForbidden, "Voor deze pagina heeft u een andere rol nodig.")
	// ErrCSRF is returned for a form post without a valid token.
	ErrCSRF = apperr.Msg(apperr.ErrForbidden, "Het formulier is verlopen of niet geldig. Laad de pagina opnieuw en probeer het nog eens.")
)

// errorPage is the view model of the Dutch error page.
type errorPage struct {
	Page
	Status  int
	Heading string
	Message string
}

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []FieldProblem `json:"errors,omitempty"`
}

// FieldProblem is one invalid field of a request.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// classify maps an error to its status, a Dutch heading and a message.
func classify(err error) (status int, heading, msg string) {
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		return fiberStatus(fe)
	case errors.Is(err, apperr.ErrUnauthorized):
		return fiber.StatusUnauthorized, "Inloggen nodig", apperr.UserText(err, "Log in om verder te gaan.")
	case errors.Is(err, apperr.ErrForbidden):
		return fiber.StatusForbidden, "Geen toegang", apperr.UserText(err, "U heeft geen toegang tot deze pagina.")
	case errors.Is(err, apperr.ErrNotFound):
		return fiber.StatusNotFound, "Pagina niet gevonden", apperr.UserText(err, "Wat u zoekt bestaat niet (meer). Controleer het adres.")
	case errors.Is(err, apperr.ErrConflict):
		return fiber.StatusConflict, "Dit kan nu niet", apperr.UserText(err, "Dit past niet bij de huidige toestand. Laad de pagina opnieuw.")
	case errors.Is(err, apperr.ErrTooMany):
		return fiber.StatusTooManyRequests, "Even geduld", apperr.UserText(err, "U heeft te veel verzoeken gedaan. Probeer het later opnieuw.")
	case errors.Is(err, apperr.ErrInvalid):
		return fiber.StatusBadRequest, "Ongeldige invoer", apperr.UserText(err, "Het verzoek kon niet worden gelezen. Controleer de invoer.")
	case Unavailable(err):
		return fiber.StatusServiceUnavailable, "Tijdelijk niet beschikbaar", msgUnavailable
	}
	if v, ok := apperr.AsValidation(err); ok {
		msg := v.Message
		if msg == "" {
			msg = "Controleer de invoer."
		}
		return fiber.StatusUnprocessableEntity, "Controleer de invoer", msg
	}
	return fiber.StatusInternalServerError, "Er ging iets mis", "Er ging bij ons iets mis. Probeer het later opnieuw; blijft het misgaan, meld het dan aan het programmabureau."
}

func fiberStatus(fe *fiber.Error) (int, string, string) {
	switch fe.Code {
	case fiber.StatusNotFound:
		return fe.Code, "Pagina niet gevonden", "Deze pagina bestaat niet. Controleer het adres of ga naar de startpagina."
	case fiber.StatusRequestEntityTooLarge:
		return fe.Code, "Te groot", "Wat u verstuurde is te groot. Verstuur minder of kleinere bestanden."
	case fiber.StatusRequestHeaderFieldsTooLarge, fiber.StatusRequestURITooLong:
		return fe.Code, "Adres te lang", "Het adres of de kopregels van uw verzoek zijn te lang. Gebruik een korter adres, bijvoorbeeld met minder filters."
	case fiber.StatusMethodNotAllowed:
		return fe.Code, "Niet toegestaan", "Deze handeling is op dit adres niet mogelijk."
	case fiber.StatusBadRequest, fiber.StatusUnprocessableEntity:
		return fe.Code, "Ongeldig verzoek", "Het verzoek kon niet worden gelezen. Controleer de invoer."
	case fiber.StatusForbidden:
		return fe.Code, "Geen toegang", "U heeft geen toegang tot deze pagina."
	case fiber.StatusServiceUnavailable:
		return fe.Code, "Tijdelijk niet beschikbaar", msgUnavailable
	}
	if fe.Code >= 500 {
		return fe.Code, "Er ging iets mis", "Er ging bij ons iets mis. Probeer het later opnieuw."
	}
	return fe.Code, "Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."
}

// IsAPI reports whether the request is for the JSON API.
func IsAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// ErrorHandler is the one place where errors become responses: a Dutch page
// for people, problem+json for the API. Only server errors are logged.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status, heading, msg := classify(err)
		if status == fiber.StatusServiceUnavailable {
			c.Set(fiber.HeaderRetryAfter, "1")
			log.Warn("unavailable", "err", err, "method", c.Method(), "path", c.Path(), "request_id", RequestID(c))
		} else if status >= 500 {
			log.Error("request failed", "err", err, "method", c.Method(), "path", c.Path(), "request_id", RequestID(c))
		}
		if status == fiber.StatusUnauthorized && !IsAPI(c) && c.Method() == fiber.MethodGet {
			to := "/inloggen?terug=" + url.QueryEscape(c.OriginalURL())
			if expired, _ := c.Locals(localsExpired).(bool); expired {
				to += "&verlopen=1"
			}
			return c.Redirect(to, fiber.StatusSeeOther)
		}
		if IsAPI(c) {
			return WriteProblem(c, status, heading, msg, err)
		}
		page := errorPage{Page: NewPage(c, heading), Status: status, Heading: heading, Message: msg}
		if rerr := Render(c, status, "errors/error", page); rerr != nil {
			log.Error("render error page", "err", rerr)
			return c.Status(status).SendString(heading + ": " + msg)
		}
		return nil
	}
}

// WriteProblem writes an RFC 9457 problem document, with per-field errors
// when err is a validation error.
func WriteProblem(c *fiber.Ctx, status int, title, detail string, err error) error {
	p := Problem{Type: "about:blank", Title: title, Status: status, Detail: detail, Instance: c.OriginalURL()}
	if v, ok := apperr.AsValidation(err); ok {
		for _, k := range v.Keys() {
			p.Errors = append(p.Errors, FieldProblem{Field: k, Message: v.Fields[k]})
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).JSON(p, "application/problem+json")
}
