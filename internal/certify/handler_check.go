package certify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Checking a credential file on the verify page and in the API.

// POST /verifieer (multipart or form: credential, the pasted text; bestand, a file)
func (h *Handler) verifyCredential(c *fiber.Ctx) error {
	p := verifyPage{Page: web.NewPage(c, "Digitaal certificaat controleren"), MaxKB: MaxCredentialSize >> 10}
	text, err := credentialText(c)
	if err == nil {
		p.Credential = text
		p.Check, err = h.svc.CheckCredential(c.UserContext(), text)
	}
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		p.Errors = errs
		return web.Render(c, fiber.StatusUnprocessableEntity, "certify/verify", p)
	}
	if err != nil {
		return err
	}
	p.Title = p.Check.Headline + ": digitaal certificaat"
	return web.Render(c, fiber.StatusOK, "certify/verify", p)
}

// credentialText is the uploaded file when there is one, and the pasted
// text otherwise.
func credentialText(c *fiber.Ctx) (string, error) {
	fh, err := c.FormFile("bestand")
	if err != nil || fh.Size == 0 {
		return c.FormValue("credential"), nil
	}
	tooBig := apperr.NewValidation("credential", fmt.Sprintf("Het bestand %q is te groot voor een certificaat (hoogstens %d kB).", cleanFilename(fh.Filename), MaxCredentialSize>>10))
	if fh.Size > MaxCredentialSize {
		return "", tooBig
	}
	f, err := fh.Open()
	if err != nil {
		return "", fmt.Errorf("certify: open upload: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxCredentialSize+1))
	if err != nil {
		return "", fmt.Errorf("certify: read upload: %w", err)
	}
	if len(b) > MaxCredentialSize {
		return "", tooBig
	}
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return "", apperr.NewValidation("credential", fmt.Sprintf("Het bestand %q is geen tekst: een digitaal certificaat is een VC-JWT of een JSON-bestand.", cleanFilename(fh.Filename)))
	}
	return string(b), nil
}

// verificationRequest is the body of POST /api/v1/verifications.
type verificationRequest struct {
	// Credential is a compact VC-JWT (a string) or the credential itself
	// (an object, or its JSON as a string).
	Credential json.RawMessage `json:"credential"`
}

// verificationJSON is the verdict on a credential in the API.
type verificationJSON struct {
	Result      Outcome    `json:"result"`
	ResultLabel string     `json:"result_label"`
	Valid       bool       `json:"valid"`
	Genuine     bool       `json:"genuine"`
	Format      string     `json:"format,omitempty"`
	Headline    string     `json:"headline"`
	Message     string     `json:"message"`
	Reasons     []string   `json:"reasons"`
	Number      string     `json:"number,omitempty"`
	HolderName  string     `json:"holder_name,omitempty"`
	Achievement string     `json:"achievement,omitempty"`
	Issuer      string     `json:"issuer,omitempty"`
	IssuedAt    *time.Time `json:"issued_at,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	Verify      string     `json:"verify,omitempty"`
	CheckedAt   time.Time  `json:"checked_at"`
}

// POST /api/v1/verifications
func (h *Handler) apiVerification(c *fiber.Ctx) error {
	var req verificationRequest
	if err := json.Unmarshal(c.Body(), &req); err != nil {
		return apperr.Msg(apperr.ErrInvalid, "De body is geen JSON-object van de vorm {\"credential\": …}.")
	}
	text := string(bytes.TrimSpace(req.Credential))
	var s string
	if json.Unmarshal(req.Credential, &s) == nil {
		text = s
	} else if len(text) > 0 && text[0] != '{' {
		return apperr.NewValidation("credential", "Geef het certificaat als tekst (een VC-JWT of JSON) of als JSON-object.")
	}
	chk, err := h.svc.CheckCredential(c.UserContext(), text)
	if err != nil {
		return err
	}
	out := verificationJSON{
		Result: chk.Outcome, ResultLabel: chk.Outcome.Label(), Valid: chk.Valid, Genuine: chk.Outcome.Genuine(), Format: chk.Format,
		Headline: chk.Headline, Message: chk.Sentence, Reasons: chk.Reasons, Number: chk.Number, HolderName: chk.HolderName,
		Achievement: chk.Achievement, Issuer: chk.IssuerName, IssuedAt: utcPtr(chk.IssuedAt), ExpiresAt: utcPtr(chk.ExpiresAt),
		CheckedAt: chk.CheckedAt.UTC().Truncate(time.Second),
	}
	if chk.Cert != nil {
		out.Verify = h.svc.VerifyURL(chk.Cert.Number)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(out)
}
