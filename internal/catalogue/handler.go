package catalogue

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Handler serves the Gids' pages and API.
type Handler struct {
	svc      *Service
	validate *web.Validator
}

// NewHandler returns the Gids' pages on svc.
func NewHandler(svc *Service, v *web.Validator) *Handler { return &Handler{svc: svc, validate: v} }

// Routes registers the pages and the API.
func (h *Handler) Routes(r *web.Router) {
	anyone := r.Public()
	anyone.Get("/gids", h.search)
	anyone.Get("/gids/vergelijk", h.compare)
	anyone.Get("/gids/vergelijk.csv", h.compareCSV)
	anyone.Get("/gids/aanbieders/:id<int>", h.provider)
	anyone.Get("/gids/aanbod/:id<int>", h.offering)
	anyone.Get("/proefprojecten", h.pilots)
	anyone.Get("/proefprojecten/:id<int>", h.pilot)
	anyone.Get("/rapportage", h.reporting)

	member := r.LoggedIn()
	member.Get("/gids/aanbod/:id<int>/beoordelen", h.reviewForm)
	member.Post("/gids/aanbod/:id<int>/beoordelen", h.submitReview)
	member.Post("/gids/reviews/:id<int>/melden", h.report)

	provider := r.Role(web.RoleProvider)
	provider.Get("/gids/mijn", h.mine)
	provider.Get("/gids/aanbieders/nieuw", h.newProvider)
	provider.Post("/gids/aanbieders", h.createProvider)
	provider.Get("/gids/aanbieders/:id<int>/bewerken", h.editProvider)
	provider.Post("/gids/aanbieders/:id<int>/bewerken", h.updateProvider)
	provider.Post("/gids/aanbieders/:id<int>/certificaten", h.linkCertificate)
	provider.Get("/gids/aanbieders/:id<int>/aanbod/nieuw", h.newOffering)
	provider.Post("/gids/aanbieders/:id<int>/aanbod", h.createOffering)
	provider.Get("/gids/aanbod/:id<int>/bewerken", h.editOffering)
	provider.Post("/gids/aanbod/:id<int>/bewerken", h.updateOffering)
	provider.Post("/gids/reviews/:id<int>/reactie", h.reply)
	provider.Post("/proefprojecten/:id<int>/interesse", h.interest)

	manager := r.Role(web.RoleOrgManager)
	manager.Get("/proefprojecten/nieuw", h.newPilot)
	manager.Post("/proefprojecten", h.createPilot)
	manager.Post("/proefprojecten/:id<int>/kiezen", h.choose)
	manager.Post("/proefprojecten/:id<int>/afronden", h.complete)

	admin := r.Role(web.RoleAdmin)
	admin.Get("/beheer/gids", h.admin)
	admin.Post("/beheer/gids/aanbieders/:id<int>", h.adminProvider)
	admin.Post("/beheer/gids/reviews/:id<int>", h.adminReview)
	admin.Get("/rapportage.csv", h.reportCSV)
	h.apiRoutes(r)
}

// base is what every Gids page model embeds.
type base struct {
	web.Page
	F Fmt
	L Lists
}

func newBase(c *fiber.Ctx, title string) base { return base{Page: web.NewPage(c, title)} }

// ----- search -----

type searchPage struct {
	base
	Filter   Filter
	Results  Results
	Query    string // the search as a query string, page left out
	MaxPrice string
}

// PageURL is the link to page n of the same search.
func (p searchPage) PageURL(n int) string {
	v, _ := url.ParseQuery(p.Query)
	v.Set("pagina", strconv.Itoa(n))
	return "/gids?" + v.Encode()
}

// GET /gids
func (h *Handler) search(c *fiber.Ctx) error {
	f, problems := ParseFilter(queryValues(c), HTMLParams)
	res, err := h.svc.Search(c.UserContext(), f)
	if err != nil {
		return err
	}
	page := searchPage{base: newBase(c, "Gouden Gids"), Filter: f, Results: res, Query: f.Values(HTMLParams).Encode()}
	if f.MaxPriceCents > 0 {
		page.MaxPrice = strconv.FormatInt(f.MaxPriceCents/100, 10)
	}
	keys := make([]string, 0, len(problems))
	for k := range problems {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		page.Notices = append(page.Notices, problems[k])
	}
	if res.Corrected != "" {
		page.Notices = append(page.Notices, fmt.Sprintf("Niets gevonden voor “%s”; dit zijn de resultaten voor “%s”.", f.Q, res.Corrected))
	}
	if f.Page != res.Page {
		page.Notices = append(page.Notices, fmt.Sprintf("Pagina %d bestaat niet; u ziet de laatste pagina.", f.Page))
	}
	return web.Render(c, fiber.StatusOK, "catalogue/search", page)
}

func queryValues(c *fiber.Ctx) url.Values {
	v, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return url.Values{}
	}
	return v
}

// ----- offering page -----

type offeringPage struct {
	base
	Offering     *Offering
	Certificates []Certificate
	Aggregate    Aggregate
	Reviews      []Review
	Mine         *Review
	Owner        bool
	Errors       web.FieldErrors
	Values       map[string]string
}

// GET /gids/aanbod/:id
func (h *Handler) offering(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	return h.renderOffering(c, id, fiber.StatusOK, nil, nil)
}

// renderOffering renders the offering page, also to show the errors of
// the small forms on it (reply, report) with status 422.
func (h *Handler) renderOffering(c *fiber.Ctx, id int64, status int, errs web.FieldErrors, values map[string]string) error {
	ctx := c.UserContext()
	o, err := h.svc.Store.Offering(ctx, id)
	if err != nil {
		return err
	}
	v := web.CurrentViewer(c)
	page := offeringPage{base: newBase(c, o.Title), Offering: o, Errors: errs, Values: values}
	if v != nil {
		if page.Owner, err = h.svc.Store.Owns(ctx, o.ProviderID, v.ID); err != nil {
			return err
		}
	}
	if !o.Listed && !page.Owner && !v.Has(web.RoleAdmin) {
		return ErrNotFound
	}
	certs, err := h.svc.Certificates(ctx, o.ProviderID)
	if err != nil {
		return err
	}
	for _, cert := range certs {
		if cert.OfferingID == nil || *cert.OfferingID == o.ID {
			page.Certificates = append(page.Certificates, cert)
		}
	}
	page.Offering.Certified = len(page.Certificates) > 0
	if page.Aggregate, err = h.svc.Store.OfferingAggregate(ctx, id); err != nil {
		return err
	}
	if page.Reviews, err = h.svc.Store.Reviews(ctx, id, 50, 0); err != nil {
		return err
	}
	if v != nil {
		r, err := h.svc.Store.ReviewBy(ctx, id, v.ID)
		if err == nil {
			page.Mine = r
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return web.Render(c, status, "catalogue/offering", page)
}

// ----- provider page -----

type providerPage struct {
	base
	Provider     *Provider
	Certificates []Certificate
	Offerings    []Offering
	Aggregate    Aggregate
	Owner        bool
	Errors       web.FieldErrors
	Number       string
}

// GET /gids/aanbieders/:id
func (h *Handler) provider(c *fiber.Ctx) error {
	return h.renderProvider(c, fiber.StatusOK, nil, "")
}

func (h *Handler) renderProvider(c *fiber.Ctx, status int, errs web.FieldErrors, number string) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := h.svc.Store.Provider(ctx, id)
	if err != nil {
		return err
	}
	page := providerPage{base: newBase(c, p.Name), Provider: p, Errors: errs, Number: number}
	v := web.CurrentViewer(c)
	if v != nil {
		if page.Owner, err = h.svc.Store.Owns(ctx, id, v.ID); err != nil {
			return err
		}
	}
	if p.Status != "approved" && !page.Owner && !v.Has(web.RoleAdmin) {
		return ErrNotFound
	}
	if page.Certificates, err = h.svc.Certificates(ctx, id); err != nil {
		return err
	}
	if page.Offerings, err = h.svc.Store.OfferingsOf(ctx, id); err != nil {
		return err
	}
	if page.Aggregate, err = h.svc.Store.ProviderAggregate(ctx, id); err != nil {
		return err
	}
	return web.Render(c, status, "catalogue/provider", page)
}

// POST /gids/aanbieders/:id/certificaten
func (h *Handler) linkCertificate(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var offering int64
	if s := c.FormValue("offering"); s != "" {
		if offering, err = strconv.ParseInt(s, 10, 64); err != nil {
			return h.renderProvider(c, fiber.StatusUnprocessableEntity, web.FieldErrors{{Field: "offering", Message: "Kies een aanbod uit de lijst."}}, c.FormValue("number"))
		}
	}
	err = h.svc.LinkCertificate(c.UserContext(), v.ID, id, offering, c.FormValue("number"))
	if ve, ok := apperr.AsValidation(err); ok {
		return h.renderProvider(c, fiber.StatusUnprocessableEntity, web.FormErrors(ve, nil), c.FormValue("number"))
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Het certificaat is gecontroleerd in het register en gekoppeld.")
	return c.Redirect(fmt.Sprintf("/gids/aanbieders/%d", id), fiber.StatusSeeOther)
}

// ----- provider self-service -----

type providerForm struct {
	Kind         string   `form:"kind" label:"Soort aanbieder" validate:"required,oneof=institute firm independent"`
	Name         string   `form:"name" label:"Naam" validate:"required,min=2,max=150"`
	Description  string   `form:"description" label:"Beschrijving" validate:"required,min=20,max=5000"`
	Website      string   `form:"website" label:"Website" validate:"omitempty,http_url,max=300"`
	ContactEmail string   `form:"contact_email" label:"E-mailadres voor contact" validate:"required,email,max=254"`
	ContactPhone string   `form:"contact_phone" label:"Telefoonnummer" validate:"omitempty,max=40"`
	Provinces    []string `form:"provinces" label:"Werkgebied" validate:"required,min=1,dive,oneof=drenthe flevoland friesland gelderland groningen limburg noord-brabant noord-holland overijssel utrecht zeeland zuid-holland landelijk online"`
	QualityMarks []string `form:"quality_marks" label:"Keurmerken" validate:"dive,oneof=crkbo nrto"`
}

type providerFormPage struct {
	base
	ID     int64
	Form   providerForm
	Errors web.FieldErrors
}

// GET /gids/mijn
func (h *Handler) mine(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	ps, err := h.svc.Store.ProvidersOf(c.UserContext(), v.ID)
	if err != nil {
		return err
	}
	type item struct {
		Provider  Provider
		Offerings []Offering
	}
	page := struct {
		base
		Items []item
	}{base: newBase(c, "Mijn vermelding in de Gids")}
	for _, p := range ps {
		os, err := h.svc.Store.OfferingsOf(c.UserContext(), p.ID)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, item{p, os})
	}
	return web.Render(c, fiber.StatusOK, "catalogue/mine", page)
}

// GET /gids/aanbieders/nieuw
func (h *Handler) newProvider(c *fiber.Ctx) error {
	return web.Render(c, fiber.StatusOK, "catalogue/provider_form", providerFormPage{base: newBase(c, "Aanbieder aanmelden")})
}

func (h *Handler) decodeProvider(c *fiber.Ctx) (providerForm, *Provider, error) {
	var f providerForm
	if err := c.BodyParser(&f); err != nil {
		return f, nil, apperr.Msg(apperr.ErrForbidden, "Het formulier kon niet worden gelezen.")
	}
	f.Name, f.Description, f.Website = strings.TrimSpace(f.Name), strings.TrimSpace(f.Description), strings.TrimSpace(f.Website)
	f.ContactEmail, f.ContactPhone = strings.TrimSpace(f.ContactEmail), strings.TrimSpace(f.ContactPhone)
	if err := h.validate.Struct(&f); err != nil {
		return f, nil, groupFields(err)
	}
	return f, &Provider{Kind: f.Kind, Name: f.Name, Description: f.Description, Website: f.Website,
		ContactEmail: f.ContactEmail, ContactPhone: f.ContactPhone, Provinces: f.Provinces, QualityMarks: nonNil(f.QualityMarks)}, nil
}

// groupFields files messages about one value of a multi-value field
// ("themes[0]") under the field itself, where the form shows them.
func groupFields(err error) error {
	ve, ok := apperr.AsValidation(err)
	if !ok {
		return err
	}
	out := &apperr.Validation{Message: ve.Message}
	for k, msg := range ve.Fields {
		name, _, _ := strings.Cut(k, "[")
		out.Add(name, msg)
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// POST /gids/aanbieders
func (h *Handler) createProvider(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	f, p, err := h.decodeProvider(c)
	if err == nil {
		err = h.svc.CreateProvider(c.UserContext(), v.ID, p)
	}
	if ve, ok := apperr.AsValidation(err); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/provider_form", providerFormPage{base: newBase(c, "Aanbieder aanmelden"), Form: f, Errors: web.FormErrors(ve, &f)})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Uw aanmelding is ontvangen. Het programmabureau keurt haar goed; daarna staat u in de Gids. U kunt alvast aanbod toevoegen.")
	return c.Redirect(fmt.Sprintf("/gids/aanbieders/%d", p.ID), fiber.StatusSeeOther)
}

// GET /gids/aanbieders/:id/bewerken
func (h *Handler) editProvider(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := mustOwn(c.UserContext(), h.svc.Store, id, v.ID); err != nil {
		return err
	}
	p, err := h.svc.Store.Provider(c.UserContext(), id)
	if err != nil {
		return err
	}
	f := providerForm{Kind: p.Kind, Name: p.Name, Description: p.Description, Website: p.Website, ContactEmail: p.ContactEmail,
		ContactPhone: p.ContactPhone, Provinces: p.Provinces, QualityMarks: p.QualityMarks}
	return web.Render(c, fiber.StatusOK, "catalogue/provider_form", providerFormPage{base: newBase(c, "Vermelding bewerken"), ID: id, Form: f})
}

// POST /gids/aanbieders/:id/bewerken
func (h *Handler) updateProvider(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := mustOwn(c.UserContext(), h.svc.Store, id, v.ID); err != nil {
		return err
	}
	f, p, err := h.decodeProvider(c)
	if err == nil {
		p.ID = id
		err = h.svc.Store.UpdateProvider(c.UserContext(), p, v.ID)
	}
	if ve, ok := apperr.AsValidation(err); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/provider_form", providerFormPage{base: newBase(c, "Vermelding bewerken"), ID: id, Form: f, Errors: web.FormErrors(ve, &f)})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "De vermelding is opgeslagen.")
	return c.Redirect(fmt.Sprintf("/gids/aanbieders/%d", id), fiber.StatusSeeOther)
}

type offeringForm struct {
	Kind        string   `form:"kind" label:"Soort aanbod" validate:"required,oneof=training advice"`
	Title       string   `form:"title" label:"Titel" validate:"required,min=3,max=150"`
	Description string   `form:"description" label:"Beschrijving" validate:"required,min=20,max=20000"`
	Themes      []string `form:"themes" label:"Thema's" validate:"required,min=1,max=8,dive,oneof=webcare sociale-media online-samenwerken kennisdelen leiderschap participatie open-data open-overheid digitale-vaardigheden netwerkorganisatie"`
	Provinces   []string `form:"provinces" label:"Provincies" validate:"required,min=1,dive,oneof=drenthe flevoland friesland gelderland groningen limburg noord-brabant noord-holland overijssel utrecht zeeland zuid-holland landelijk online"`
	Format      string   `form:"format" label:"Vorm" validate:"required,oneof=klassikaal online blended incompany"`
	StudyHours  string   `form:"study_hours" label:"Studie-uren" validate:"required,max=10"`
	Price       string   `form:"price" label:"Prijs exclusief btw" validate:"required,max=15"`
	VAT         string   `form:"vat" label:"Btw-tarief" validate:"required,oneof=0 9 21"`
	Language    string   `form:"language" label:"Taal" validate:"required,oneof=nl en"`
	StartDates  string   `form:"start_dates" label:"Startdata" validate:"max=500"`
	CourseSlug  string   `form:"course_slug" label:"Cursus in de leeromgeving" validate:"omitempty,max=100"`
}

type offeringFormPage struct {
	base
	ID         int64
	ProviderID int64
	Form       offeringForm
	Errors     web.FieldErrors
}

// parseAmount reads a Dutch or international amount ("1.250,50", "1250.5") in cents.
func parseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€"))
	if strings.Contains(s, ",") {
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > 1_000_000 {
		return 0, false
	}
	return int64(math.Round(x * 100)), true
}

func (h *Handler) decodeOffering(c *fiber.Ctx) (offeringForm, *Offering, error) {
	var f offeringForm
	if err := c.BodyParser(&f); err != nil {
		return f, nil, apperr.Msg(apperr.ErrForbidden, "Het formulier kon niet worden gelezen.")
	}
	f.Title, f.Description, f.CourseSlug = strings.TrimSpace(f.Title), strings.TrimSpace(f.Description), strings.TrimSpace(f.CourseSlug)
	verr := &apperr.Validation{}
	if err := h.validate.Struct(&f); err != nil {
		ve, ok := apperr.AsValidation(groupFields(err))
		if !ok {
			return f, nil, err
		}
		verr = ve
	}
	o := &Offering{Kind: f.Kind, Title: f.Title, Description: f.Description, Themes: f.Themes, Provinces: f.Provinces,
		Format: f.Format, Language: f.Language, CourseSlug: f.CourseSlug}
	hours, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(f.StudyHours), ",", ".", 1), 64)
	if _, done := verr.Fields["study_hours"]; !done && (err != nil || !(hours > 0 && hours <= 2000)) {
		verr.Add("study_hours", "Vul het aantal studie-uren in: een getal van 0,5 tot 2000.")
	}
	o.StudyHours = math.Round(hours*10) / 10
	if cents, ok := parseAmount(f.Price); ok {
		o.PriceExclCents = cents
	} else if _, done := verr.Fields["price"]; !done {
		verr.Add("price", "Vul de prijs in euro's in, bijvoorbeeld 1250 of 1.250,00 (hoogstens € 1.000.000).")
	}
	o.VATPercent, _ = strconv.Atoi(f.VAT)
	o.PriceInclCents = o.PriceExclCents + (o.PriceExclCents*int64(o.VATPercent)+50)/100
	for _, s := range strings.FieldsFunc(f.StartDates, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		s = strings.TrimSpace(s)
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			d, err = time.Parse("2-1-2006", s)
		}
		if err != nil || d.Year() < 2000 || d.Year() > 2100 {
			verr.Add("start_dates", fmt.Sprintf("%q is geen datum; schrijf bijvoorbeeld 2027-03-15 of 15-3-2027.", truncate(s, 20)))
			continue
		}
		o.StartDates = append(o.StartDates, d)
	}
	if o.CourseSlug != "" && !slugPattern.MatchString(o.CourseSlug) {
		verr.Add("course_slug", "Gebruik het adres van de cursus zoals in /cursussen/…, bijvoorbeeld werken-20-de-basis.")
	}
	if len(o.StartDates) > 20 {
		verr.Add("start_dates", "Geef hoogstens 20 startdata.")
	}
	slices.SortFunc(o.StartDates, func(a, b time.Time) int { return a.Compare(b) })
	return f, o, verr.Err()
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func formOf(o *Offering) offeringForm {
	dates := make([]string, len(o.StartDates))
	for i, d := range o.StartDates {
		dates[i] = d.Format("2006-01-02")
	}
	price := strconv.FormatInt(o.PriceExclCents/100, 10)
	if o.PriceExclCents%100 != 0 {
		price = fmt.Sprintf("%d,%02d", o.PriceExclCents/100, o.PriceExclCents%100)
	}
	return offeringForm{Kind: o.Kind, Title: o.Title, Description: o.Description, Themes: o.Themes, Provinces: o.Provinces,
		Format: o.Format, StudyHours: Hours(o.StudyHours), Price: price, VAT: strconv.Itoa(o.VATPercent),
		Language: o.Language, StartDates: strings.Join(dates, ", "), CourseSlug: o.CourseSlug}
}

// GET /gids/aanbieders/:id/aanbod/nieuw
func (h *Handler) newOffering(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := mustOwn(c.UserContext(), h.svc.Store, id, v.ID); err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/offering_form", offeringFormPage{base: newBase(c, "Aanbod toevoegen"),
		ProviderID: id, Form: offeringForm{Kind: "training", VAT: "21", Language: "nl"}})
}

// POST /gids/aanbieders/:id/aanbod
func (h *Handler) createOffering(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	f, o, err := h.decodeOffering(c)
	if err == nil {
		o.ProviderID = id
		err = h.svc.CreateOffering(c.UserContext(), v.ID, o)
	}
	if ve, ok := apperr.AsValidation(err); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/offering_form", offeringFormPage{base: newBase(c, "Aanbod toevoegen"), ProviderID: id, Form: f, Errors: web.FormErrors(ve, &f)})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Het aanbod is toegevoegd.")
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d", o.ID), fiber.StatusSeeOther)
}

// GET /gids/aanbod/:id/bewerken
func (h *Handler) editOffering(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	o, err := h.svc.Store.Offering(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := mustOwn(c.UserContext(), h.svc.Store, o.ProviderID, v.ID); err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/offering_form", offeringFormPage{base: newBase(c, "Aanbod bewerken"), ID: id, ProviderID: o.ProviderID, Form: formOf(o)})
}

// POST /gids/aanbod/:id/bewerken
func (h *Handler) updateOffering(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.svc.Store.Offering(c.UserContext(), id)
	if err != nil {
		return err
	}
	if err := mustOwn(c.UserContext(), h.svc.Store, cur.ProviderID, v.ID); err != nil {
		return err
	}
	f, o, err := h.decodeOffering(c)
	if err == nil {
		o.ID = id
		err = h.svc.UpdateOffering(c.UserContext(), v.ID, o)
	}
	if ve, ok := apperr.AsValidation(err); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/offering_form", offeringFormPage{base: newBase(c, "Aanbod bewerken"), ID: id, ProviderID: cur.ProviderID, Form: f, Errors: web.FormErrors(ve, &f)})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Het aanbod is opgeslagen.")
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d", id), fiber.StatusSeeOther)
}

// ----- reviews -----

type reviewForm struct {
	Overall       int    `form:"overall" json:"overall" label:"Totaaloordeel" validate:"required,min=1,max=5"`
	Content       int    `form:"content" json:"content" label:"Inhoud" validate:"required,min=1,max=5"`
	Applicability int    `form:"applicability" json:"applicability" label:"Praktische toepasbaarheid" validate:"required,min=1,max=5"`
	Teacher       int    `form:"teacher" json:"teacher" label:"Docent/adviseur" validate:"required,min=1,max=5"`
	Value         int    `form:"value" json:"value" label:"Prijs-kwaliteit" validate:"required,min=1,max=5"`
	Body          string `form:"text" json:"text" label:"Uw ervaring" validate:"required,min=50,max=5000"`
}

func (f reviewForm) input() ReviewInput {
	return ReviewInput{Overall: f.Overall, Content: f.Content, Applicability: f.Applicability, Teacher: f.Teacher, Value: f.Value, Body: f.Body}
}

type reviewFormPage struct {
	base
	Offering *Offering
	Form     reviewForm
	Edit     bool
	Errors   web.FieldErrors
}

// Score is the form's value for a criterion name (or "overall").
func (p reviewFormPage) Score(name string) int {
	r := Review{Overall: p.Form.Overall, Content: p.Form.Content, Applicability: p.Form.Applicability, Teacher: p.Form.Teacher, Value: p.Form.Value}
	return r.Score(name)
}

// GET /gids/aanbod/:id/beoordelen
func (h *Handler) reviewForm(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	o, err := h.svc.Store.Offering(c.UserContext(), id)
	if err != nil {
		return err
	}
	if !o.Listed {
		return ErrNotFound
	}
	page := reviewFormPage{base: newBase(c, "Beoordeel "+o.Title), Offering: o}
	r, err := h.svc.Store.ReviewBy(c.UserContext(), id, v.ID)
	switch {
	case err == nil:
		page.Edit = true
		page.Form = reviewForm{Overall: r.Overall, Content: r.Content, Applicability: r.Applicability, Teacher: r.Teacher, Value: r.Value, Body: r.Body}
	case !errors.Is(err, ErrNotFound):
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/review_form", page)
}

// POST /gids/aanbod/:id/beoordelen
func (h *Handler) submitReview(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	o, err := h.svc.Store.Offering(c.UserContext(), id)
	if err != nil {
		return err
	}
	var f reviewForm
	if err := c.BodyParser(&f); err != nil {
		f = reviewForm{Body: c.FormValue("text")}
	}
	f.Body = strings.TrimSpace(f.Body)
	edit := c.FormValue("edit") == "1"
	err = h.validate.Struct(&f)
	if err == nil {
		_, err = h.svc.SubmitReview(c.UserContext(), v.ID, id, f.input(), edit)
	}
	if ve, ok := apperr.AsValidation(err); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/review_form", reviewFormPage{base: newBase(c, "Beoordeel "+o.Title), Offering: o, Form: f, Edit: edit, Errors: web.FormErrors(ve, &f)})
	}
	if err != nil {
		return err
	}
	if edit {
		web.SetFlash(c, "Uw review is bijgewerkt.")
	} else {
		web.SetFlash(c, "Dank u wel! Uw review staat op de pagina.")
	}
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d#reviews", id), fiber.StatusSeeOther)
}

// POST /gids/reviews/:id/reactie
func (h *Handler) reply(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.svc.Store.Review(c.UserContext(), id)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(c.FormValue("reply"))
	if n := len([]rune(text)); n < 10 || n > 3000 {
		return h.renderOffering(c, r.OfferingID, fiber.StatusUnprocessableEntity, web.FieldErrors{{Field: fmt.Sprintf("reply-%d", id), Message: "Schrijf een reactie van 10 tot 3000 tekens."}}, map[string]string{fmt.Sprintf("reply-%d", id): text})
	}
	if err := h.svc.Store.SetReply(c.UserContext(), id, v.ID, text); err != nil {
		return err
	}
	web.SetFlash(c, "Uw reactie staat bij de review.")
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d#review-%d", r.OfferingID, id), fiber.StatusSeeOther)
}

// POST /gids/reviews/:id/melden
func (h *Handler) report(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.svc.Store.Review(c.UserContext(), id)
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if n := len([]rune(reason)); n < 5 || n > 1000 {
		return h.renderOffering(c, r.OfferingID, fiber.StatusUnprocessableEntity,
			web.FieldErrors{{Field: fmt.Sprintf("report-%d", id), Message: "Schrijf in 5 tot 1000 tekens wat er mis is met deze review."}},
			map[string]string{fmt.Sprintf("report-%d", id): reason})
	}
	if _, err := h.svc.Store.Report(c.UserContext(), id, v.ID, reason); err != nil {
		return err
	}
	web.SetFlash(c, "Dank u. Het programmabureau bekijkt de melding.")
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d#review-%d", r.OfferingID, id), fiber.StatusSeeOther)
}

// ----- compare -----

type comparePage struct {
	base
	Offerings  []Offering
	Aggregates map[int64]Aggregate
	Query      string
}

func (h *Handler) compareOfferings(c *fiber.Ctx) ([]Offering, map[int64]Aggregate, error) {
	var ids []int64
	for _, s := range queryValues(c)["id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err == nil && id > 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) < 2 || len(ids) > 4 {
		return nil, nil, apperr.Msg(apperr.ErrConflict, "Kies twee tot vier aanbiedingen om te vergelijken.")
	}
	os, err := h.svc.Store.OfferingsByID(c.UserContext(), ids)
	if err != nil {
		return nil, nil, err
	}
	if len(os) < 2 {
		return nil, nil, apperr.Msg(apperr.ErrNotFound, "Niet alle gekozen aanbiedingen staan (nog) in de Gids.")
	}
	aggs, err := h.svc.Store.OfferingAggregates(c.UserContext(), ids)
	return os, aggs, err
}

// GET /gids/vergelijk
func (h *Handler) compare(c *fiber.Ctx) error {
	os, aggs, err := h.compareOfferings(c)
	if err != nil {
		if errors.Is(err, apperr.ErrConflict) {
			return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/compare", comparePage{base: newBase(c, "Vergelijken")})
		}
		return err
	}
	v := url.Values{}
	for _, o := range os {
		v.Add("id", strconv.FormatInt(o.ID, 10))
	}
	return web.Render(c, fiber.StatusOK, "catalogue/compare", comparePage{base: newBase(c, "Vergelijken"), Offerings: os, Aggregates: aggs, Query: v.Encode()})
}

// GET /gids/vergelijk.csv
func (h *Handler) compareCSV(c *fiber.Ctx) error {
	os, aggs, err := h.compareOfferings(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	header := []string{"Kenmerk"}
	for _, o := range os {
		header = append(header, o.Title)
	}
	rows := [][]string{header}
	row := func(label string, f func(o Offering, a Aggregate) string) {
		r := []string{label}
		for _, o := range os {
			r = append(r, f(o, aggs[o.ID]))
		}
		rows = append(rows, r)
	}
	row("Aanbieder", func(o Offering, _ Aggregate) string { return o.Provider.Name })
	row("Adres in de Gids", func(o Offering, _ Aggregate) string { return fmt.Sprintf("/gids/aanbod/%d", o.ID) })
	row("Prijs excl. btw", func(o Offering, _ Aggregate) string { return Euros(o.PriceExclCents) })
	row("Prijs incl. btw", func(o Offering, _ Aggregate) string { return Euros(o.PriceInclCents) })
	row("Prijs per uur incl. btw", func(o Offering, _ Aggregate) string { return Euros(o.PricePerHourCents()) })
	row("Studie-uren", func(o Offering, _ Aggregate) string { return Hours(o.StudyHours) })
	row("Vorm", func(o Offering, _ Aggregate) string { return Formats.Label(o.Format) })
	row("Provincies", func(o Offering, _ Aggregate) string { return labels(Provinces, o.Provinces) })
	row("Gecertificeerd", func(o Offering, _ Aggregate) string { return yesNo(o.Certified) })
	row("Totaaloordeel", func(_ Offering, a Aggregate) string { return scoreText(a.Mean, a.Count) })
	for _, cr := range Criteria {
		row(cr.Label, func(_ Offering, a Aggregate) string { return scoreText(a.Criteria[cr.Value], a.Count) })
	}
	row("Aantal reviews", func(_ Offering, a Aggregate) string { return strconv.Itoa(a.Count) })
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="gouden-gids-vergelijking.csv"`)
	return c.Send(append([]byte("\ufeff"), buf.Bytes()...))
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}

func scoreText(x float64, n int) string {
	if n == 0 {
		return "geen reviews"
	}
	return Decimal(x)
}

// ----- admin -----

type adminPage struct {
	base
	Pending []Provider
	Queue   []QueueItem
	Errors  web.FieldErrors
}

// GET /beheer/gids
func (h *Handler) admin(c *fiber.Ctx) error {
	return h.renderAdmin(c, fiber.StatusOK, nil)
}

func (h *Handler) renderAdmin(c *fiber.Ctx, status int, errs web.FieldErrors) error {
	pending, err := h.svc.Store.ProvidersByStatus(c.UserContext(), "pending", 100)
	if err != nil {
		return err
	}
	queue, err := h.svc.Store.ModerationQueue(c.UserContext(), 100)
	if err != nil {
		return err
	}
	return web.Render(c, status, "catalogue/admin", adminPage{base: newBase(c, "Beheer van de Gids"), Pending: pending, Queue: queue, Errors: errs})
}

// POST /beheer/gids/aanbieders/:id
func (h *Handler) adminProvider(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	status := map[string]string{"approve": "approved", "reject": "rejected"}[c.FormValue("action")]
	if status == "" {
		return apperr.Msg(apperr.ErrConflict, "Onbekende handeling.")
	}
	if err := h.svc.SetProviderStatus(c.UserContext(), id, status); err != nil {
		return err
	}
	if status == "approved" {
		web.SetFlash(c, "De aanbieder is goedgekeurd en staat in de Gids.")
	} else {
		web.SetFlash(c, "De aanmelding is afgewezen.")
	}
	return c.Redirect("/beheer/gids", fiber.StatusSeeOther)
}

// POST /beheer/gids/reviews/:id
func (h *Handler) adminReview(c *fiber.Ctx) error {
	admin := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	action := c.FormValue("action")
	if action != "hide" && action != "restore" {
		return apperr.Msg(apperr.ErrConflict, "Onbekende handeling.")
	}
	err = h.svc.Moderate(c.UserContext(), admin.ID, id, action == "hide", c.FormValue("reason"))
	if ve, ok := apperr.AsValidation(err); ok {
		return h.renderAdmin(c, fiber.StatusUnprocessableEntity, web.FieldErrors{{Field: fmt.Sprintf("reason-%d", id), Message: ve.Fields["reason"]}})
	}
	if err != nil {
		return err
	}
	if action == "hide" {
		web.SetFlash(c, "De review is verborgen en telt niet meer mee.")
	} else {
		web.SetFlash(c, "De review is teruggezet.")
	}
	return c.Redirect("/beheer/gids", fiber.StatusSeeOther)
}

//go:embed openapi.json
var openAPIFragment []byte

// OpenAPI is this domain's part of the API document.
func OpenAPI() []byte { return openAPIFragment }
