package certify

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Dutch answers for numbers that are not right.
const (
	msgCheckCharacter = "Dit nummer klopt niet: controleer het nummer. Waarschijnlijk is er bij het overnemen een teken verkeerd getypt of zijn twee tekens omgewisseld."
	msgMalformed      = "Dit is geen certificaatnummer. Een certificaatnummer ziet eruit als W20-ADV-2026-000123-2: W20, drie letters, een jaartal, zes cijfers en een controleteken."
	msgUnknown        = "Er is geen certificaat met dit nummer. Het nummer is goed gevormd, maar door het Programma Ambtenaar 2.0 niet uitgegeven."
	msgEmpty          = "Vul het certificaatnummer in. U vindt het linksonder op het certificaat."
)

// numberProblem is the Dutch message for a number that cannot be looked
// up, or "" for one that can. Text as long as a number that is not one
// (W20-A7V-…) is most likely a typing error too.
func numberProblem(s string) string {
	_, err := ParseNumber(s)
	switch {
	case strings.TrimSpace(s) == "":
		return msgEmpty
	case errors.Is(err, ErrCheckCharacter):
		return msgCheckCharacter
	case err != nil:
		if c, ok := compact(s); ok && len(c) == compactLen {
			return msgCheckCharacter
		}
		return msgMalformed
	}
	return ""
}

// Verdict is what a verification says about a certificate, for people
// (the verify page) and machines (the API) alike.
type Verdict struct {
	Cert     *Certificate
	At       time.Time // when the verdict was made
	Status   string    // valid, suspended, revoked, expired, or superseded
	Valid    bool
	Headline string // "Geldig certificaat"
	Sentence string // the whole verdict in one or two plain Dutch sentences
}

// Verdict judges c at now.
func (s *Service) Verdict(c *Certificate, now time.Time) Verdict {
	v := Verdict{Cert: c, Status: c.StatusAt(now), At: now}
	what := fmt.Sprintf("%s %s %s", c.HolderName, c.Achievement, c.Title)
	if c.Kind == KindCourse {
		what = fmt.Sprintf("%s heeft de cursus %s met goed gevolg afgerond op %s", c.HolderName, c.Title, web.DutchDate(c.IssuedAt))
	}
	switch {
	case v.Status == StatusValid:
		v.Valid, v.Headline = true, "Geldig certificaat"
		if c.ExpiresAt != nil {
			v.Sentence = fmt.Sprintf("Dit certificaat is geldig. %s. Het is geldig tot %s.", what, web.DutchDate(*c.ExpiresAt))
		} else {
			v.Sentence = fmt.Sprintf("Dit certificaat is geldig. %s. Het verloopt niet.", what)
		}
	case c.SupersededBy != "":
		v.Status, v.Headline = "superseded", "Vervangen certificaat"
		v.Sentence = fmt.Sprintf("Dit certificaat is vervangen door certificaat %s en is zelf niet meer geldig. %s.", c.SupersededBy, c.StatusReason)
	case v.Status == StatusSuspended:
		v.Headline = "Geschorst certificaat"
		v.Sentence = fmt.Sprintf("Dit certificaat is geschorst sinds %s en is op dit moment niet geldig. Reden: %s", web.DutchDate(derefTime(c.StatusChangedAt)), c.StatusReason)
	case v.Status == StatusRevoked:
		v.Headline = "Ingetrokken certificaat"
		v.Sentence = fmt.Sprintf("Dit certificaat is ingetrokken op %s en is niet geldig. Reden: %s", web.DutchDate(derefTime(c.StatusChangedAt)), c.StatusReason)
	default:
		v.Headline = "Verlopen certificaat"
		v.Sentence = fmt.Sprintf("Dit certificaat is verlopen op %s en is niet meer geldig.", web.DutchDate(derefTime(c.ExpiresAt)))
	}
	return v
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

type verifyPage struct {
	web.Page
	Number  string
	Error   string
	Verdict *Verdict
	Links   certificateLinks
	Checked time.Time
	// Checking a credential file.
	Check      *CredentialCheck
	Credential string // the text pasted
	Errors     web.FieldErrors
	MaxKB      int
}

type certificateLinks struct {
	PDF, JSON, JWT, API string
}

func links(number string) certificateLinks {
	return certificateLinks{
		PDF: "/certificaten/" + number + ".pdf", JSON: "/certificaten/" + number + ".json",
		JWT: "/certificaten/" + number + ".jwt", API: "/api/v1/certificates/" + number,
	}
}

// GET /verifieer?nummer=…
func (h *Handler) verifyForm(c *fiber.Ctx) error {
	p := verifyPage{Page: web.NewPage(c, "Certificaat controleren"), MaxKB: MaxCredentialSize >> 10}
	if _, asked := c.Queries()["nummer"]; !asked {
		return web.Render(c, fiber.StatusOK, "certify/verify", p)
	}
	p.Number = shorten(strings.TrimSpace(c.Query("nummer")), 100)
	if p.Error = numberProblem(p.Number); p.Error != "" {
		return web.Render(c, fiber.StatusUnprocessableEntity, "certify/verify", p)
	}
	n, _ := ParseNumber(p.Number)
	return c.Redirect("/verifieer/"+n.String(), fiber.StatusSeeOther)
}

// GET /verifieer/:number
func (h *Handler) verify(c *fiber.Ctx) error {
	number := paramNumber(c)
	p := verifyPage{Page: web.NewPage(c, "Certificaat controleren"), Number: shorten(number, 100), MaxKB: MaxCredentialSize >> 10}
	if p.Error = numberProblem(number); p.Error != "" {
		return web.Render(c, fiber.StatusUnprocessableEntity, "certify/verify", p)
	}
	n, _ := ParseNumber(number)
	if n.String() != number {
		return c.Redirect("/verifieer/"+n.String(), fiber.StatusMovedPermanently)
	}
	verdict, err := h.svc.Verify(c.UserContext(), number)
	if errors.Is(err, ErrNotFound) {
		p.Error = msgUnknown
		return web.Render(c, fiber.StatusNotFound, "certify/verify", p)
	}
	if err != nil {
		return err
	}
	p.Checked = verdict.At
	p.Verdict, p.Links = &verdict, links(verdict.Cert.Number)
	p.Title = verdict.Headline + " " + verdict.Cert.Number
	return web.Render(c, fiber.StatusOK, "certify/verify", p)
}

// apiCertificate is the JSON form of a verification.
type apiCertificateJSON struct {
	Number       string     `json:"number"`
	Valid        bool       `json:"valid"`
	Status       string     `json:"status"`
	StatusLabel  string     `json:"status_label"`
	StatusReason string     `json:"status_reason,omitempty"`
	Message      string     `json:"message"`
	Kind         Kind       `json:"kind"`
	Title        string     `json:"title"`
	Achievement  string     `json:"achievement"`
	HolderName   string     `json:"holder_name"`
	Issuer       string     `json:"issuer"`
	IssuedAt     time.Time  `json:"issued_at"`
	ExpiresAt    *time.Time `json:"expires_at"`
	SupersededBy string     `json:"superseded_by,omitempty"`
	Supersedes   string     `json:"supersedes,omitempty"`
	CheckedAt    time.Time  `json:"checked_at"`
	Links        struct {
		Verify        string `json:"verify"`
		PDF           string `json:"pdf"`
		Credential    string `json:"credential"`
		CredentialJWT string `json:"credential_jwt"`
	} `json:"links"`
}

// GET /api/v1/certificates/:number
func (h *Handler) apiCertificate(c *fiber.Ctx) error {
	number := paramNumber(c)
	if msg := numberProblem(number); msg != "" {
		return &apperr.Validation{Message: msg, Fields: map[string]string{"number": msg}}
	}
	v, err := h.svc.Verify(c.UserContext(), number)
	if errors.Is(err, ErrNotFound) {
		return apperr.Msg(apperr.ErrNotFound, msgUnknown)
	}
	if err != nil {
		return err
	}
	now, cert := v.At, v.Cert
	out := apiCertificateJSON{
		Number: cert.Number, Valid: v.Valid, Status: v.Status, StatusLabel: StatusLabel(v.Status), StatusReason: cert.StatusReason,
		Message: v.Sentence, Kind: cert.Kind, Title: cert.Title, Achievement: cert.Achievement, HolderName: cert.HolderName,
		Issuer: IssuerName, IssuedAt: cert.IssuedAt.UTC(), ExpiresAt: utcPtr(cert.ExpiresAt),
		SupersededBy: cert.SupersededBy, Supersedes: cert.Supersedes, CheckedAt: now.UTC().Truncate(time.Second),
	}
	out.Links.Verify = h.svc.VerifyURL(cert.Number)
	out.Links.PDF = h.svc.FileURL(cert.Number, FilePDF)
	out.Links.Credential = h.svc.FileURL(cert.Number, FileJSON)
	out.Links.CredentialJWT = h.svc.FileURL(cert.Number, FileJWT)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.JSON(out)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// GET /certificaten/:file (NUMBER.pdf, NUMBER.jwt or NUMBER.json)
func (h *Handler) certificateFile(c *fiber.Ctx) error {
	file, err := url.PathUnescape(c.Params("file"))
	if err != nil {
		return ErrNotFound
	}
	dot := strings.LastIndexByte(file, '.')
	if dot < 0 {
		return ErrNotFound
	}
	number, ext := file[:dot], file[dot+1:]
	if ext != FilePDF && ext != FileJWT && ext != FileJSON {
		return ErrNotFound
	}
	if msg := numberProblem(number); msg != "" {
		return apperr.Msg(apperr.ErrNotFound, msg)
	}
	if n, _ := ParseNumber(number); n.String() != number {
		return c.Redirect("/certificaten/"+n.String()+"."+ext, fiber.StatusMovedPermanently)
	}
	f, err := h.svc.File(c.UserContext(), number, ext)
	if errors.Is(err, ErrNotFound) {
		return apperr.Msg(apperr.ErrNotFound, msgUnknown)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderContentType, f.ContentType)
	if ext == FilePDF {
		c.Set(fiber.HeaderContentDisposition, contentDisposition("inline", "certificaat-"+number+".pdf"))
		c.Set(fiber.HeaderContentSecurityPolicy, pdfPolicy)
	} else {
		c.Set(fiber.HeaderContentSecurityPolicy, downloadPolicy)
	}
	return c.Send(f.Body)
}

// The policies of what is not a page. A PDF we made needs no scripts,
// styles, fonts or connections from anywhere; Chromium shows it in its own
// viewer, which the PDF's policy must let embed it (object-src 'self': with
// 'none' or sandbox the viewer is blocked). Other downloads need nothing.
const (
	pdfPolicy      = "default-src 'none'; object-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
	downloadPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
)

// sendJSON writes v as indented JSON, for people who open it in a browser.
func sendJSON(c *fiber.Ctx, v any) error {
	b, err := indentJSON(v)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(b)
}

// GET /.well-known/jwks.json
func (h *Handler) jwks(c *fiber.Ctx) error {
	set, err := h.svc.JWKS(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.JSON(set, "application/jwk-set+json")
}

// GET /api/v1/keys/:kid — one public key, where the kid of a token points.
func (h *Handler) publicKey(c *fiber.Ctx) error {
	jwk, err := h.svc.PublicKey(c.UserContext(), c.Params("kid"))
	if errors.Is(err, ErrNotFound) {
		return apperr.Msg(apperr.ErrNotFound, "Er is geen sleutel met dit kenmerk. Alle sleutels staan in /.well-known/jwks.json.")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(jwk, "application/jwk+json")
}

// GET /api/v1/issuer
func (h *Handler) issuer(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return sendJSON(c, h.svc.IssuerProfile())
}

// GET /api/v1/status-lists/:purpose — the signed status list credential
// (application/vc+jwt), or its JSON with Accept: application/json.
func (h *Handler) statusList(c *fiber.Ctx) error {
	cred, token, err := h.svc.StatusList(c.UserContext(), c.Params("purpose"))
	if errors.Is(err, ErrNotFound) {
		return apperr.Msg(apperr.ErrNotFound, "Er zijn drie statuslijsten: message (die alle certificaten gebruiken), revocation en suspension (van eerdere certificaten).")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	accept := c.Get(fiber.HeaderAccept)
	if strings.Contains(accept, "application/json") || strings.Contains(accept, "application/vc+ld+json") || c.Query("format") == "json" {
		return sendJSON(c, cred)
	}
	c.Set(fiber.HeaderContentType, "application/vc+jwt")
	return c.SendString(token)
}

type registerPage struct {
	web.Page
	Query   string
	Kind    string
	Kinds   []struct{ Value, Label string }
	Entries []RegisterEntry
	Pager   web.Pager
}

const registerPerPage = 25

// GET /register?q=…&soort=trainer|adviser|training&pagina=n
func (h *Handler) register(c *fiber.Ctx) error {
	p := registerPage{Page: web.NewPage(c, "Register van gecertificeerden"), Query: shorten(strings.TrimSpace(c.Query("q")), 100),
		Kinds: []struct{ Value, Label string }{{"trainer", "Trainers"}, {"adviser", "Adviseurs"}, {"training", "Opleidingen"}},
		Pager: web.NewPager(c, registerPerPage)}
	var kind Kind
	for _, k := range p.Kinds {
		if c.Query("soort") == k.Value {
			kind, p.Kind = Kind(k.Value), k.Value
		}
	}
	entries, total, err := h.svc.Register(c.UserContext(), p.Query, kind, registerPerPage, p.Pager.Offset())
	if err != nil {
		return err
	}
	p.Entries, p.Pager = entries, p.Pager.Of(total)
	return web.Render(c, fiber.StatusOK, "certify/register", p)
}

// Badge is the style of the verdict's status badge.
func (v Verdict) Badge() string { return StatusBadge(v.Status) }

// Label is the Dutch word for the verdict's status.
func (v Verdict) Label() string { return StatusLabel(v.Status) }

// shorten cuts s to at most n bytes, on a character boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
