package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// ErrBadText is the answer to text that cannot be stored as it came.
var ErrBadText = apperr.Msg(apperr.ErrInvalid, "Uw invoer bevat een teken dat wij niet kunnen verwerken, "+
	"zoals een nul-teken, een stuurteken of tekst die geen geldige UTF-8 is. Haal het weg en probeer het opnieuw.")

// ErrBadJSON is the answer to a JSON body that does not parse.
var ErrBadJSON = apperr.Msg(apperr.ErrInvalid, "De inhoud van het verzoek is geen geldige JSON.")

// CleanText reports whether s can be stored as text: valid UTF-8 without a
// NUL byte or another control character. Tab, line feed and carriage return
// are allowed; Bind decides per field whether a line break belongs there.
func CleanText(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			return false
		}
		if isControl(r) {
			return false
		}
		i += size
	}
	return true
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || (r >= 0x7f && r <= 0x9f)
}

// CleanInput refuses, with 400 and a Dutch message, a request carrying text
// that CleanText rejects anywhere: in the path, a query parameter, a form
// value or a JSON string (a JSON body that does not parse is refused too).
// It runs before every handler, so such text never reaches a query: bun
// writes values into the SQL text, and PostgreSQL stops reading at a NUL.
// Uploaded files are not text and are left to their handlers.
func CleanInput() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if p, err := url.PathUnescape(c.Path()); err != nil || !CleanText(p) {
			return ErrBadText
		}
		if !cleanArgs(c.Request().URI().QueryArgs().VisitAll) {
			return ErrBadText
		}
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			return c.Next()
		}
		if err := checkBody(c); err != nil {
			return err
		}
		return c.Next()
	}
}

func checkBody(c *fiber.Ctx) error {
	switch {
	case c.Is("json"):
		if len(bytes.TrimSpace(c.Body())) == 0 {
			return nil
		}
		return checkJSON(c.Body())
	case c.Is("multipart"):
		form, err := c.MultipartForm()
		if err != nil {
			return ErrUnreadableForm
		}
		for k, vs := range form.Value {
			if !CleanText(k) {
				return ErrBadText
			}
			for _, v := range vs {
				if !CleanText(v) {
					return ErrBadText
				}
			}
		}
	default:
		if !cleanArgs(c.Request().PostArgs().VisitAll) {
			return ErrBadText
		}
	}
	return nil
}

func cleanArgs(visit func(func(k, v []byte))) bool {
	ok := true
	visit(func(k, v []byte) {
		if ok && (!cleanBytes(k) || !cleanBytes(v)) {
			ok = false
		}
	})
	return ok
}

func cleanBytes(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return CleanText(string(b))
		}
	}
	return true
}

// checkJSON refuses a body that is not one JSON value or that holds a
// string (key or value) CleanText rejects, such as "\u0000".
func checkJSON(body []byte) error {
	if !utf8.Valid(body) {
		return ErrBadText
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) && depth == 0 {
			break
		}
		if err != nil {
			return ErrBadJSON
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if !CleanText(t) {
				return ErrBadText
			}
		}
		if depth == 0 && dec.More() {
			return ErrBadJSON
		}
	}
	return nil
}
