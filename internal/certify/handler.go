package certify

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Handler serves the certification pages, the verification pages and API,
// and the credentials.
type Handler struct {
	svc      *Service
	validate *web.Validator
}

// NewHandler returns the certification pages on svc.
func NewHandler(svc *Service, v *web.Validator) *Handler { return &Handler{svc: svc, validate: v} }

// Routes registers every page and API route of the domain.
func (h *Handler) Routes(r *web.Router) {
	// Anyone: schemes, verification, the register, the certificate as PDF
	// and credential.
	anyone := r.Public()
	anyone.Get("/certificering", h.schemes)
	anyone.Get("/certificering/regelingen/:slug", h.scheme)
	anyone.Get("/verifieer", h.verifyForm)
	anyone.Post("/verifieer", h.verifyCredential)
	anyone.Get("/verifieer/:number", h.verify)
	anyone.Get("/register", h.register)
	anyone.Get("/certificaten/:file", h.certificateFile)
	anyone.Get("/.well-known/jwks.json", h.jwks)
	anyone.Get("/api/v1/issuer", h.issuer)
	anyone.Get("/api/v1/keys/:kid", h.publicKey)
	anyone.Post("/api/v1/verifications", h.apiVerification)
	anyone.Get("/api/v1/certificates/:number", h.apiCertificate)
	anyone.Get("/api/v1/status-lists/:purpose", h.statusList)

	// Applicants and holders: their own applications and certificates.
	me := r.LoggedIn()
	me.Post("/certificering/regelingen/:slug/aanvragen", h.startApplication)
	me.Get("/certificering/aanvragen/:id<int>", h.application)
	me.Post("/certificering/aanvragen/:id<int>/gegevens", h.updateDetails)
	me.Post("/certificering/aanvragen/:id<int>/bewijs", h.uploadEvidence)
	me.Post("/certificering/aanvragen/:id<int>/bewijs/:eid<int>/verwijderen", h.deleteEvidence)
	me.Post("/certificering/aanvragen/:id<int>/indienen", h.submit)
	me.Post("/certificering/aanvragen/:id<int>/verwijderen", h.deleteDraft)
	me.Get("/certificering/bewijs/:eid<int>", h.evidenceFile)
	me.Get("/mijn/certificaten", h.myCertificates)
	me.Post("/mijn/certificaten/:number/register", h.setListed)
	me.Post("/mijn/certificaten/:number/verlengen", h.renew)
	me.Post("/mijn/certificaten/:number/heruitgeven", h.reissueOwn)

	// Admins: schemes, exports and re-issuing (before the assessors' routes,
	// so export.zip is not read as a certificate number).
	admin := r.Role(web.RoleAdmin)
	admin.Get("/beheer/regelingen", h.adminSchemes)
	admin.Get("/beheer/regelingen/nieuw", h.adminSchemeForm)
	admin.Post("/beheer/regelingen/nieuw", h.adminSaveScheme)
	admin.Get("/beheer/regelingen/:id<int>", h.adminSchemeForm)
	admin.Post("/beheer/regelingen/:id<int>", h.adminSaveScheme)
	admin.Get("/beheer/certificaten/export.zip", h.adminExport)
	admin.Post("/beheer/certificaten/:number/heruitgeven", h.adminReissue)

	// Assessors: the queue and decisions, and certificates' status.
	assessor := r.Role(web.RoleAssessor)
	assessor.Get("/beoordelen", h.queue)
	assessor.Get("/beoordelen/:id<int>", h.review)
	assessor.Post("/beoordelen/:id<int>/in-behandeling", h.startReview)
	assessor.Post("/beoordelen/:id<int>/besluit", h.decide)
	assessor.Get("/beheer/certificaten", h.adminCertificates)
	assessor.Get("/beheer/certificaten/:number", h.adminCertificate)
	assessor.Post("/beheer/certificaten/:number/status", h.adminChangeStatus)
}

//go:embed openapi.json
var openAPIFragment []byte

// OpenAPI is this domain's part of the API document.
func OpenAPI() []byte { return openAPIFragment }

// paramNumber is the certificate number in the route, unescaped.
func paramNumber(c *fiber.Ctx) string {
	n, err := url.PathUnescape(c.Params("number"))
	if err != nil {
		return c.Params("number")
	}
	return n
}

// --- Schemes ---

// viewerID is the id of the logged-in viewer, 0 for a visitor.
func viewerID(c *fiber.Ctx) int64 {
	if v := web.CurrentViewer(c); v != nil {
		return v.ID
	}
	return 0
}

type schemesPage struct {
	web.Page
	*SchemesView
}

// GET /certificering
func (h *Handler) schemes(c *fiber.Ctx) error {
	view, err := h.svc.SchemesOverview(c.UserContext(), viewerID(c))
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "certify/schemes", schemesPage{Page: web.NewPage(c, "Certificering"), SchemesView: view})
}

type schemePage struct {
	web.Page
	Scheme SchemeCard
	Checks []Check
	Open   *Application
}

// GET /certificering/regelingen/:slug
func (h *Handler) scheme(c *fiber.Ctx) error {
	view, err := h.svc.SchemePage(c.UserContext(), viewerID(c), c.Params("slug"))
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "certify/scheme", schemePage{Page: web.NewPage(c, view.Card.Title), Scheme: view.Card, Checks: view.Checks, Open: view.Open})
}

// POST /certificering/regelingen/:slug/aanvragen
func (h *Handler) startApplication(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	a, err := h.svc.StartApplication(c.UserContext(), ActorOf(v), c.Params("slug"))
	if errors.Is(err, ErrOpenApplication) && a != nil {
		web.SetFlash(c, "U had voor deze regeling al een aanvraag; hier gaat u verder.")
		return c.Redirect(fmt.Sprintf("/certificering/aanvragen/%d", a.ID), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw aanvraag is begonnen. Vul haar aan en dien haar in als alles er is.")
	return c.Redirect(fmt.Sprintf("/certificering/aanvragen/%d", a.ID), fiber.StatusSeeOther)
}

// --- The applicant's application ---

type applicationPage struct {
	web.Page
	View    *ApplicationView
	Details ApplicationDetails
	Answer  string
	Errors  web.FieldErrors
	MaxMB   int
}

// GET /certificering/aanvragen/:id
func (h *Handler) application(c *fiber.Ctx) error {
	return h.renderApplication(c, fiber.StatusOK, nil, nil, "")
}

func (h *Handler) renderApplication(c *fiber.Ctx, status int, details *ApplicationDetails, errs web.FieldErrors, answer string) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	view, err := h.svc.ApplicationView(c.UserContext(), ActorOf(v), id, false)
	if err != nil {
		return err
	}
	p := applicationPage{Page: web.NewPage(c, "Aanvraag: "+view.App.Scheme.Title), View: view, Errors: errs, Answer: answer, MaxMB: MaxEvidenceSize >> 20}
	if details != nil {
		p.Details = *details
	} else {
		p.Details = ApplicationDetails{SubjectName: view.App.SubjectName, Motivation: view.App.Motivation, ListInRegister: view.App.ListInRegister}
	}
	return web.Render(c, status, "certify/application", p)
}

// POST /certificering/aanvragen/:id/gegevens
func (h *Handler) updateDetails(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var d ApplicationDetails
	err = web.Bind(c, h.validate, &d)
	if err == nil {
		err = h.svc.UpdateDetails(c.UserContext(), ActorOf(v), id, d)
	}
	d.ListInRegister = d.List == "ja"
	if errs, ok := web.FieldErrorsOf(err, &d); ok {
		return h.renderApplication(c, fiber.StatusUnprocessableEntity, &d, errs, "")
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "De gegevens van uw aanvraag zijn opgeslagen.")
	return c.Redirect(fmt.Sprintf("/certificering/aanvragen/%d", id), fiber.StatusSeeOther)
}

// POST /certificering/aanvragen/:id/bewijs (multipart: requirement, file)
func (h *Handler) uploadEvidence(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	fh, ferr := c.FormFile("file")
	var data []byte
	name := ""
	if ferr == nil {
		name = fh.Filename
		if fh.Size > MaxEvidenceSize {
			err = apperr.NewValidation("file", fmt.Sprintf("Het bestand %q is groter dan 10 MB (%s). Maak het kleiner of verdeel het.", cleanFilename(fh.Filename), humanSize(int(fh.Size))))
		} else {
			data, err = readFormFile(c, "file")
		}
	} else {
		err = apperr.NewValidation("file", "Kies een bestand om te uploaden.")
	}
	if err == nil {
		_, err = h.svc.AddEvidence(c.UserContext(), ActorOf(v), id, c.FormValue("requirement"), name, data)
	}
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderApplication(c, fiber.StatusUnprocessableEntity, nil, errs, "")
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Het bestand %q is toegevoegd.", cleanFilename(name)))
	return c.Redirect(fmt.Sprintf("/certificering/aanvragen/%d#bewijs", id), fiber.StatusSeeOther)
}

// readFormFile reads at most MaxEvidenceSize+1 bytes of the uploaded file.
func readFormFile(c *fiber.Ctx, field string) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, err
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("certify: open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxEvidenceSize+1))
	if err != nil {
		return nil, fmt.Errorf("certify: read upload: %w", err)
	}
	return data, nil
}

// POST /certificering/aanvragen/:id/bewijs/:eid/verwijderen
func (h *Handler) deleteEvidence(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	eid, err := web.ParamID(c, "eid")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteEvidence(c.UserContext(), ActorOf(v), id, eid); err != nil {
		return err
	}
	web.SetFlash(c, "Het bestand is verwijderd.")
	return c.Redirect(fmt.Sprintf("/certificering/aanvragen/%d#bewijs", id), fiber.StatusSeeOther)
}

// POST /certificering/aanvragen/:id/indienen
func (h *Handler) submit(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	answer := c.FormValue("answer")
	err = h.svc.Submit(c.UserContext(), ActorOf(v), id, answer)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderApplication(c, fiber.StatusUnprocessableEntity, nil, errs, answer)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw aanvraag is ingediend. Een beoordelaar neemt haar in behandeling; u ziet hier de voortgang.")
	return c.Redirect(fmt.Sprintf("/certificering/aanvragen/%d", id), fiber.StatusSeeOther)
}

// POST /certificering/aanvragen/:id/verwijderen
func (h *Handler) deleteDraft(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteDraft(c.UserContext(), ActorOf(v), id); err != nil {
		return err
	}
	web.SetFlash(c, "Het concept van uw aanvraag is verwijderd.")
	return c.Redirect("/certificering", fiber.StatusSeeOther)
}

// GET /certificering/bewijs/:eid
func (h *Handler) evidenceFile(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	eid, err := web.ParamID(c, "eid")
	if err != nil {
		return err
	}
	e, err := h.svc.EvidenceFile(c.UserContext(), ActorOf(v), eid)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, e.ContentType)
	c.Set(fiber.HeaderContentDisposition, contentDisposition("attachment", e.Filename))
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	return c.Send(e.Content)
}

// contentDisposition names a download safely in both the old and the
// RFC 6266 form.
func contentDisposition(kind, name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, kind, ascii, url.PathEscape(name))
}

// --- Holders ---

type myCertificatesPage struct {
	web.Page
	Current []CertificateRow
	Old     []CertificateRow
}

// GET /mijn/certificaten
func (h *Handler) myCertificates(c *fiber.Ctx) error {
	view, err := h.svc.HolderCertificates(c.UserContext(), ActorOf(web.CurrentViewer(c)))
	if err != nil {
		return err
	}
	p := myCertificatesPage{Page: web.NewPage(c, "Mijn certificaten"), Current: view.Current, Old: view.Old}
	p.Notices = append(p.Notices, view.Notices...)
	return web.Render(c, fiber.StatusOK, "certify/my_certificates", p)
}

// POST /mijn/certificaten/:number/register
func (h *Handler) setListed(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	listed := c.FormValue("listed") == "ja"
	if err := h.svc.SetListed(c.UserContext(), ActorOf(v), paramNumber(c), listed); err != nil {
		return err
	}
	if listed {
		web.SetFlash(c, "Uw certificaat staat in het openbare register.")
	} else {
		web.SetFlash(c, "Uw certificaat staat niet meer in het openbare register. Het blijft controleerbaar met zijn nummer.")
	}
	return c.Redirect("/mijn/certificaten", fiber.StatusSeeOther)
}

// POST /mijn/certificaten/:number/verlengen
func (h *Handler) renew(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	a, err := h.svc.StartRenewal(c.UserContext(), ActorOf(v), paramNumber(c))
	if errors.Is(err, ErrOpenApplication) && a != nil {
		web.SetFlash(c, "U had voor deze regeling al een lopende aanvraag; hier gaat u verder.")
		return c.Redirect(fmt.Sprintf("/certificering/aanvragen/%d", a.ID), fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw aanvraag tot verlenging is begonnen. Na goedkeuring loopt uw certificaat zonder onderbreking door.")
	return c.Redirect(fmt.Sprintf("/certificering/aanvragen/%d", a.ID), fiber.StatusSeeOther)
}

// POST /mijn/certificaten/:number/heruitgeven
func (h *Handler) reissueOwn(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	next, err := h.svc.Reissue(c.UserContext(), ActorOf(v), paramNumber(c), v.Name, "naamswijziging")
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Uw nieuwe certificaat %s staat op uw huidige naam; het vervangt het oude.", next.Number))
	return c.Redirect("/mijn/certificaten", fiber.StatusSeeOther)
}
