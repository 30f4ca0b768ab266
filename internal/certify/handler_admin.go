package certify

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type adminSchemesPage struct {
	web.Page
	Schemes []Scheme
}

// GET /beheer/regelingen
func (h *Handler) adminSchemes(c *fiber.Ctx) error {
	list, err := h.svc.Schemes(c.UserContext(), false)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "certify/admin_schemes", adminSchemesPage{Page: web.NewPage(c, "Regelingen beheren"), Schemes: list})
}

type schemeFormPage struct {
	web.Page
	ID     int64
	Form   SchemeForm
	Errors web.FieldErrors
	Kinds  []struct {
		Value Kind
		Label string
	}
}

// schemeID is the scheme in the route, 0 for a new one.
func schemeID(c *fiber.Ctx) (int64, error) {
	if c.Params("id") == "" {
		return 0, nil
	}
	return web.ParamID(c, "id")
}

// GET /beheer/regelingen/nieuw and /beheer/regelingen/:id
func (h *Handler) adminSchemeForm(c *fiber.Ctx) error {
	p := schemeFormPage{Page: web.NewPage(c, "Nieuwe regeling"), Kinds: SchemeKinds, Form: NewSchemeForm()}
	id, err := schemeID(c)
	if err != nil {
		return err
	}
	if id != 0 {
		sc, err := h.svc.Scheme(c.UserContext(), id)
		if err != nil {
			return err
		}
		p.ID, p.Form, p.Title = sc.ID, FormOf(sc), "Regeling bewerken: "+sc.Title
	}
	return web.Render(c, fiber.StatusOK, "certify/admin_scheme", p)
}

// POST /beheer/regelingen/nieuw and /beheer/regelingen/:id
func (h *Handler) adminSaveScheme(c *fiber.Ctx) error {
	id, err := schemeID(c)
	if err != nil {
		return err
	}
	var f SchemeForm
	if err := web.Bind(c, h.validate, &f); err != nil {
		return err
	}
	sc, err := h.svc.SaveSchemeForm(c.UserContext(), id, f)
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		title := "Nieuwe regeling"
		if id != 0 {
			title = "Regeling bewerken"
		}
		return web.Render(c, fiber.StatusUnprocessableEntity, "certify/admin_scheme", schemeFormPage{
			Page: web.NewPage(c, title), ID: id, Form: f, Errors: errs, Kinds: SchemeKinds})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("De regeling %q is opgeslagen.", sc.Title))
	return c.Redirect("/beheer/regelingen", fiber.StatusSeeOther)
}

type adminCertificatesPage struct {
	web.Page
	*AdminCertificatesView
	Query    string
	Status   string
	Pager    web.Pager
	IsAdmin  bool
	Statuses []string
}

const adminCertsPerPage = 50

// GET /beheer/certificaten?q=…&status=…&pagina=n
func (h *Handler) adminCertificates(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	p := adminCertificatesPage{Page: web.NewPage(c, "Certificaten"), Query: shorten(strings.TrimSpace(c.Query("q")), 100), IsAdmin: v.Has(web.RoleAdmin),
		Statuses: []string{StatusValid, StatusSuspended, StatusRevoked}, Pager: web.NewPager(c, adminCertsPerPage)}
	for _, st := range p.Statuses {
		if c.Query("status") == st {
			p.Status = st
		}
	}
	view, err := h.svc.AdminCertificates(c.UserContext(), ActorOf(v),
		CertificateFilter{Query: p.Query, Status: p.Status, Limit: adminCertsPerPage, Offset: p.Pager.Offset()})
	if err != nil {
		return err
	}
	p.AdminCertificatesView, p.Pager = view, p.Pager.Of(view.Total)
	return web.Render(c, fiber.StatusOK, "certify/admin_certificates", p)
}

// GET /beheer/certificaten/export.zip?cursus=slug | ?organisatie=id
func (h *Handler) adminExport(c *fiber.Ctx) error {
	f := CertificateFilter{CourseSlug: c.Query("cursus")}
	name := "certificaten-" + evidenceKey(f.CourseSlug)
	if org := c.Query("organisatie"); org != "" && f.CourseSlug == "" {
		id, err := strconv.ParseInt(org, 10, 64)
		if err != nil || id <= 0 {
			return ErrNotFound
		}
		f.OrganisationID = id
		name = fmt.Sprintf("certificaten-organisatie-%d", id)
	}
	if f.CourseSlug == "" && f.OrganisationID == 0 {
		return apperr.Msg(apperr.ErrInvalid, "Kies een cursus of een organisatie om te exporteren.")
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, contentDisposition("attachment", name+".zip"))
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, downloadPolicy)
	_, err := h.svc.ExportZIP(c.UserContext(), c.Response().BodyWriter(), f, nil)
	return err
}

type adminCertificatePage struct {
	web.Page
	*CertificateDetail
	IsAdmin bool
	Action  string
	Reason  string
	NewName string
	Errors  web.FieldErrors
	Links   certificateLinks
}

// GET /beheer/certificaten/:number
func (h *Handler) adminCertificate(c *fiber.Ctx) error {
	return h.renderAdminCertificate(c, fiber.StatusOK, "", "", "", nil)
}

func (h *Handler) renderAdminCertificate(c *fiber.Ctx, status int, action, reason, newName string, errs web.FieldErrors) error {
	v := web.CurrentViewer(c)
	d, err := h.svc.CertificateDetail(c.UserContext(), ActorOf(v), paramNumber(c))
	if err != nil {
		return err
	}
	return web.Render(c, status, "certify/admin_certificate", adminCertificatePage{
		Page: web.NewPage(c, "Certificaat "+d.Row.Number), CertificateDetail: d, IsAdmin: v.Has(web.RoleAdmin),
		Action: action, Reason: reason, NewName: newName, Errors: errs, Links: links(d.Row.Number),
	})
}

// statusForm is the form that changes a certificate's status.
type statusForm struct {
	Action string `form:"action"`
	Reason string `form:"reason" input:"multiline"`
}

// POST /beheer/certificaten/:number/status (action: suspend, reinstate or revoke; reason)
func (h *Handler) adminChangeStatus(c *fiber.Ctx) error {
	var f statusForm
	if err := web.Bind(c, h.validate, &f); err != nil {
		return err
	}
	cert, err := h.svc.ChangeStatus(c.UserContext(), ActorOf(web.CurrentViewer(c)), paramNumber(c), StatusAction(f.Action), f.Reason)
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return h.renderAdminCertificate(c, fiber.StatusUnprocessableEntity, f.Action, f.Reason, "", errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Certificaat %s is nu %s.", cert.Number, StatusLabel(cert.Status)))
	return c.Redirect("/beheer/certificaten/"+cert.Number, fiber.StatusSeeOther)
}

// reissueForm is the admin's form to re-issue a certificate.
type reissueForm struct {
	Name   string `form:"name"`
	Reason string `form:"reissue_reason"`
}

// POST /beheer/certificaten/:number/heruitgeven (name, reissue_reason)
func (h *Handler) adminReissue(c *fiber.Ctx) error {
	var f reissueForm
	if err := web.Bind(c, h.validate, &f); err != nil {
		return err
	}
	next, err := h.svc.Reissue(c.UserContext(), ActorOf(web.CurrentViewer(c)), paramNumber(c), f.Name, f.Reason)
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return h.renderAdminCertificate(c, fiber.StatusUnprocessableEntity, "", f.Reason, f.Name, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Certificaat %s is uitgegeven en vervangt het vorige.", next.Number))
	return c.Redirect("/beheer/certificaten/"+next.Number, fiber.StatusSeeOther)
}
