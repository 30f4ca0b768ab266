package certify

import (
	"bufio"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type adminSchemesPage struct {
	web.Page
	Schemes []Scheme
}

// GET /beheer/regelingen
func (h *Handler) adminSchemes(c *fiber.Ctx) error {
	list, err := h.svc.Store.Schemes(c.UserContext(), false)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "certify/admin_schemes", adminSchemesPage{Page: web.NewPage(c, "Regelingen beheren"), Schemes: list})
}

// schemeForm is the admin's form for a scheme.
type schemeForm struct {
	Title           string `form:"title"`
	Slug            string `form:"slug"`
	Kind            string `form:"kind"`
	Summary         string `form:"summary"`
	Criteria        string `form:"criteria"`
	RequiredCourses string `form:"required_courses"`
	ExamCourse      string `form:"exam_course"`
	ExamQuiz        string `form:"exam_quiz"`
	ExamPassMark    string `form:"exam_pass_mark"`
	Evidence        string `form:"evidence"`
	ValidityYears   string `form:"validity_years"`
	Active          string `form:"active"`
}

func formOf(sc *Scheme) schemeForm {
	f := schemeForm{Title: sc.Title, Slug: sc.Slug, Kind: string(sc.Kind), Summary: sc.Summary, Criteria: sc.Criteria,
		RequiredCourses: strings.Join(sc.RequiredCourses, ", "), ExamCourse: sc.ExamCourse, ExamQuiz: sc.ExamQuiz,
		ValidityYears: strconv.Itoa(sc.ValidityYears)}
	if sc.ExamPassMark > 0 {
		f.ExamPassMark = strconv.Itoa(sc.ExamPassMark)
	}
	lines := make([]string, len(sc.Evidence))
	for i, e := range sc.Evidence {
		lines[i] = fmt.Sprintf("%d × %s", e.Count, e.Label)
	}
	f.Evidence = strings.Join(lines, "\n")
	if sc.Active {
		f.Active = "ja"
	}
	return f
}

var evidenceLine = regexp.MustCompile(`^(\d+)\s*[x×X*]\s*(.+)$`)

// scheme reads the form into sc, with a validation message per unreadable
// number.
func (f schemeForm) scheme(sc *Scheme) *apperr.Validation {
	errs := &apperr.Validation{}
	sc.Title, sc.Slug, sc.Kind, sc.Summary, sc.Criteria = f.Title, f.Slug, Kind(f.Kind), f.Summary, f.Criteria
	sc.RequiredCourses = strings.FieldsFunc(f.RequiredCourses, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	sc.ExamCourse, sc.ExamQuiz = f.ExamCourse, f.ExamQuiz
	sc.ExamPassMark = 0
	if strings.TrimSpace(f.ExamPassMark) != "" {
		n, err := strconv.Atoi(strings.TrimSpace(f.ExamPassMark))
		if err != nil {
			errs.Add("exam_pass_mark", "De cesuur is een heel getal van 1 tot 100.")
		}
		sc.ExamPassMark = n
	}
	years, err := strconv.Atoi(strings.TrimSpace(f.ValidityYears))
	if err != nil {
		errs.Add("validity_years", "De geldigheid is een heel aantal jaren, 1 tot 10.")
	}
	sc.ValidityYears = years
	sc.Evidence = []EvidenceItem{}
	sc2 := bufio.NewScanner(strings.NewReader(f.Evidence))
	for sc2.Scan() {
		line := strings.TrimSpace(sc2.Text())
		if line == "" {
			continue
		}
		item := EvidenceItem{Label: line, Count: 1}
		if m := evidenceLine.FindStringSubmatch(line); m != nil {
			item.Count, _ = strconv.Atoi(m[1])
			item.Label = strings.TrimSpace(m[2])
		}
		item.Key = evidenceKey(item.Label)
		sc.Evidence = append(sc.Evidence, item)
	}
	sc.Active = f.Active == "ja"
	return errs
}

// evidenceKey makes a stable key of an evidence label: "Praktijkcase" →
// "praktijkcase", "Leerdoelen & programma" → "leerdoelen-programma".
func evidenceKey(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(label)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case unicode.Is(unicode.Mn, r):
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

type schemeFormPage struct {
	web.Page
	ID     int64
	Form   schemeForm
	Errors web.FieldErrors
	Kinds  []struct {
		Value Kind
		Label string
	}
}

// GET /beheer/regelingen/nieuw and /beheer/regelingen/:id
func (h *Handler) adminSchemeForm(c *fiber.Ctx) error {
	p := schemeFormPage{Page: web.NewPage(c, "Nieuwe regeling"), Kinds: SchemeKinds,
		Form: schemeForm{ValidityYears: "3", Active: "ja", Kind: string(KindAdviser)}}
	if c.Params("id") != "" {
		id, err := web.ParamID(c, "id")
		if err != nil {
			return err
		}
		sc, err := h.svc.Store.Scheme(c.UserContext(), id)
		if err != nil {
			return err
		}
		p.ID, p.Form, p.Title = sc.ID, formOf(sc), "Regeling bewerken: "+sc.Title
	}
	return web.Render(c, fiber.StatusOK, "certify/admin_scheme", p)
}

// POST /beheer/regelingen/nieuw and /beheer/regelingen/:id
func (h *Handler) adminSaveScheme(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var f schemeForm
	if err := c.BodyParser(&f); err != nil {
		return fiber.ErrBadRequest
	}
	sc := &Scheme{}
	if c.Params("id") != "" {
		id, err := web.ParamID(c, "id")
		if err != nil {
			return err
		}
		if sc, err = h.svc.Store.Scheme(ctx, id); err != nil {
			return err
		}
	}
	errs := f.scheme(sc)
	if v, ok := apperr.AsValidation(validateScheme(sc)); ok {
		for _, k := range v.Keys() {
			errs.Add(k, v.Fields[k])
		}
	}
	if errs.Err() == nil {
		err := h.svc.SaveScheme(ctx, sc)
		if errors.Is(err, ErrSlugTaken) {
			errs.Add("slug", "Er bestaat al een regeling met dit webadres.")
		} else if err != nil {
			return err
		}
	}
	if errs.Err() != nil {
		title := "Nieuwe regeling"
		if sc.ID != 0 {
			title = "Regeling bewerken"
		}
		return web.Render(c, fiber.StatusUnprocessableEntity, "certify/admin_scheme", schemeFormPage{
			Page: web.NewPage(c, title), ID: sc.ID, Form: f, Errors: web.FormErrors(errs, &f), Kinds: SchemeKinds})
	}
	web.SetFlash(c, fmt.Sprintf("De regeling %q is opgeslagen.", sc.Title))
	return c.Redirect("/beheer/regelingen", fiber.StatusSeeOther)
}

type adminCertificatesPage struct {
	web.Page
	Query    string
	Status   string
	Rows     []certRow
	Total    int
	PageNo   int
	Pages    int
	IsAdmin  bool
	Courses  []string
	Orgs     []Organisation
	Statuses []string
}

const adminCertsPerPage = 50

// GET /beheer/certificaten?q=…&status=…
func (h *Handler) adminCertificates(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	ctx := c.UserContext()
	p := adminCertificatesPage{Page: web.NewPage(c, "Certificaten"), Query: shorten(strings.TrimSpace(c.Query("q")), 100), IsAdmin: v.Has(web.RoleAdmin),
		Statuses: []string{StatusValid, StatusSuspended, StatusRevoked}}
	for _, st := range p.Statuses {
		if c.Query("status") == st {
			p.Status = st
		}
	}
	p.PageNo = web.PageNumber(c.Query("pagina"))
	certs, total, err := h.svc.Store.Certificates(ctx, CertificateFilter{Query: p.Query, Status: p.Status, Limit: adminCertsPerPage, Offset: (p.PageNo - 1) * adminCertsPerPage})
	if err != nil {
		return err
	}
	p.Rows, p.Total = h.rows(certs, h.svc.Now()), total
	p.Pages = max(1, (total+adminCertsPerPage-1)/adminCertsPerPage)
	if p.IsAdmin {
		if p.Courses, err = h.svc.Store.CertifiedCourses(ctx); err != nil {
			return err
		}
		if p.Orgs, err = h.svc.Store.HolderOrganisations(ctx); err != nil {
			return err
		}
	}
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
		return fiber.NewError(fiber.StatusBadRequest, "kies een cursus of een organisatie")
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, contentDisposition("attachment", name+".zip"))
	c.Set(fiber.HeaderCacheControl, "no-store")
	_, err := h.svc.ExportZIP(c.UserContext(), c.Response().BodyWriter(), f, nil)
	return err
}

type adminCertificatePage struct {
	web.Page
	Row     certRow
	Verdict Verdict
	Audit   []AuditEntry
	Own     bool
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
	ctx := c.UserContext()
	cert, err := h.svc.Store.CertificateByNumber(ctx, paramNumber(c))
	if err != nil {
		return err
	}
	audit, err := h.svc.Store.CertificateAudit(ctx, cert.ID)
	if err != nil {
		return err
	}
	now := h.svc.Now()
	return web.Render(c, status, "certify/admin_certificate", adminCertificatePage{
		Page: web.NewPage(c, "Certificaat "+cert.Number), Row: h.rows([]Certificate{*cert}, now)[0], Verdict: h.svc.Verdict(cert, now),
		Audit: audit, Own: cert.HolderUserID != nil && *cert.HolderUserID == v.ID, IsAdmin: v.Has(web.RoleAdmin),
		Action: action, Reason: reason, NewName: newName, Errors: errs, Links: links(cert.Number),
	})
}

// POST /beheer/certificaten/:number/status (action: suspend, reinstate or revoke; reason)
func (h *Handler) adminChangeStatus(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	action, reason := c.FormValue("action"), c.FormValue("reason")
	cert, err := h.svc.ChangeStatus(c.UserContext(), ActorOf(v), paramNumber(c), StatusAction(action), reason)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderAdminCertificate(c, fiber.StatusUnprocessableEntity, action, reason, "", errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Certificaat %s is nu %s.", cert.Number, StatusLabel(cert.Status)))
	return c.Redirect("/beheer/certificaten/"+cert.Number, fiber.StatusSeeOther)
}

// POST /beheer/certificaten/:number/heruitgeven (name, reason)
func (h *Handler) adminReissue(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	name, reason := c.FormValue("name"), c.FormValue("reissue_reason")
	next, err := h.svc.Reissue(c.UserContext(), ActorOf(v), paramNumber(c), name, reason)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderAdminCertificate(c, fiber.StatusUnprocessableEntity, "", reason, name, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Certificaat %s is uitgegeven en vervangt het vorige.", next.Number))
	return c.Redirect("/beheer/certificaten/"+next.Number, fiber.StatusSeeOther)
}
