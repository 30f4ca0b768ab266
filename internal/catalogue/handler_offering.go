package catalogue

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type offeringPage struct {
	base
	*OfferingView
	Errors web.FieldErrors
	Values map[string]string
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
	ov, err := h.svc.OfferingPage(c.UserContext(), viewer(c), id)
	if err != nil {
		return err
	}
	return web.Render(c, status, "catalogue/offering", offeringPage{base: newBase(c, ov.Offering.Title), OfferingView: ov, Errors: errs, Values: values})
}

type offeringForm struct {
	Kind        string   `form:"kind" label:"Soort aanbod" validate:"required,oneof=training advice"`
	Title       string   `form:"title" label:"Titel" validate:"required,min=3,max=150"`
	Description string   `form:"description" input:"multiline" label:"Beschrijving" validate:"required,min=20,max=20000"`
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

// thousands is an amount written with dots between groups of three: 5.400.
var thousands = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)

// parseAmount reads a Dutch or international amount ("1.250,50", "5.400",
// "1250.5") in cents.
func parseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "€"))
	s = strings.ReplaceAll(s, " ", "")
	switch {
	case strings.Contains(s, ","):
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case thousands.MatchString(s):
		s = strings.ReplaceAll(s, ".", "")
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > 1_000_000 {
		return 0, false
	}
	return int64(math.Round(x * 100)), true
}

// parseDates reads dates separated by commas, semicolons or lines.
func parseDates(field, s string, verr *apperr.Validation) []time.Time {
	var out []time.Time
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		part = strings.TrimSpace(part)
		d, ok := parseDate(part)
		if !ok {
			verr.Add(field, fmt.Sprintf("%q is geen datum; schrijf bijvoorbeeld 2027-03-15 of 15-3-2027.", truncate(part, 20)))
			continue
		}
		out = append(out, d)
	}
	if len(out) > 20 {
		verr.Add(field, "Geef hoogstens 20 data.")
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// decodeOffering reads the offering form; the offering is nil when the form does not parse.
func (h *Handler) decodeOffering(c *fiber.Ctx) (offeringForm, *Offering, error) {
	var f offeringForm
	verr := &apperr.Validation{}
	if err := h.bind(c, &f); err != nil {
		ve, ok := apperr.AsValidation(err)
		if !ok {
			return f, nil, err
		}
		verr = ve
	}
	o := &Offering{Kind: f.Kind, Title: f.Title, Description: f.Description, Themes: f.Themes, Provinces: f.Provinces,
		Format: f.Format, Language: f.Language, CourseSlug: f.CourseSlug}
	hours, err := strconv.ParseFloat(strings.Replace(f.StudyHours, ",", ".", 1), 64)
	if _, done := verr.Fields["study_hours"]; !done && (err != nil || !(hours >= 0.5 && hours <= 2000)) {
		verr.Add("study_hours", "Vul het aantal studie-uren in: een getal van 0,5 tot 2000.")
	}
	o.StudyHours = math.Round(hours*10) / 10
	if cents, ok := parseAmount(f.Price); ok {
		o.PriceExclCents = cents
	} else if _, done := verr.Fields["price"]; !done {
		verr.Add("price", "Vul de prijs in euro's in, bijvoorbeeld 1250 of 1.250,00 (0 tot € 1.000.000).")
	}
	o.VATPercent, _ = strconv.Atoi(f.VAT)
	o.PriceInclCents = o.PriceExclCents + (o.PriceExclCents*int64(o.VATPercent)+50)/100
	o.StartDates = parseDates("start_dates", f.StartDates, verr)
	if o.CourseSlug != "" && !slugPattern.MatchString(o.CourseSlug) {
		verr.Add("course_slug", "Gebruik het adres van de cursus zoals in /cursussen/…, bijvoorbeeld werken-20-de-basis.")
	}
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
	p, err := h.ownedProvider(c)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/offering_form", offeringFormPage{base: newBase(c, "Aanbod toevoegen"),
		ProviderID: p.ID, Form: offeringForm{Kind: "training", VAT: "21", Language: "nl"}})
}

// POST /gids/aanbieders/:id/aanbod
func (h *Handler) createOffering(c *fiber.Ctx) error {
	p, err := h.ownedProvider(c)
	if err != nil {
		return err
	}
	f, o, err := h.decodeOffering(c)
	if err == nil {
		o.ProviderID = p.ID
		err = h.svc.CreateOffering(c.UserContext(), me(c).ID, o)
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/offering_form", offeringFormPage{base: newBase(c, "Aanbod toevoegen"), ProviderID: p.ID, Form: f, Errors: errs})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Het aanbod is toegevoegd.")
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d", o.ID), fiber.StatusSeeOther)
}

// GET /gids/aanbod/:id/bewerken
func (h *Handler) editOffering(c *fiber.Ctx) error {
	o, err := h.ownedOffering(c)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/offering_form", offeringFormPage{base: newBase(c, "Aanbod bewerken"), ID: o.ID, ProviderID: o.ProviderID, Form: formOf(o)})
}

// POST /gids/aanbod/:id/bewerken
func (h *Handler) updateOffering(c *fiber.Ctx) error {
	cur, err := h.ownedOffering(c)
	if err != nil {
		return err
	}
	f, o, err := h.decodeOffering(c)
	if err == nil {
		o.ID, o.ProviderID = cur.ID, cur.ProviderID
		err = h.svc.UpdateOffering(c.UserContext(), o)
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/offering_form", offeringFormPage{base: newBase(c, "Aanbod bewerken"), ID: cur.ID, ProviderID: cur.ProviderID, Form: f, Errors: errs})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "Het aanbod is opgeslagen.")
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d", cur.ID), fiber.StatusSeeOther)
}

type participantsPage struct {
	base
	Offering     *Offering
	Participants []Participation
	Emails       string
	TookPartOn   string
	Errors       web.FieldErrors
}

// GET /gids/aanbod/:id/deelnemers
func (h *Handler) participants(c *fiber.Ctx) error {
	o, err := h.ownedOffering(c)
	if err != nil {
		return err
	}
	return h.renderParticipants(c, o, fiber.StatusOK, "", "", nil)
}

func (h *Handler) renderParticipants(c *fiber.Ctx, o *Offering, status int, emails, on string, errs web.FieldErrors) error {
	ps, err := h.svc.Participants(c.UserContext(), o)
	if err != nil {
		return err
	}
	return web.Render(c, status, "catalogue/participants", participantsPage{base: newBase(c, "Deelnemers van "+o.Title),
		Offering: o, Participants: ps, Emails: emails, TookPartOn: on, Errors: errs})
}

// POST /gids/aanbod/:id/deelnemers — addresses typed or pasted, and/or a CSV file.
func (h *Handler) registerParticipants(c *fiber.Ctx) error {
	o, err := h.ownedOffering(c)
	if err != nil {
		return err
	}
	l := ParticipantList{Emails: c.FormValue("emails"), TookPartOn: strings.TrimSpace(c.FormValue("took_part_on"))}
	if fh, err := c.FormFile("csv"); err == nil && fh.Size > 0 {
		if fh.Size > 2<<20 {
			return h.renderParticipants(c, o, fiber.StatusUnprocessableEntity, l.Emails, l.TookPartOn,
				web.FieldErrors{{Field: "csv", Message: "Het CSV-bestand is groter dan 2 MB; splits het in kleinere bestanden."}})
		}
		f, err := fh.Open()
		if err != nil {
			return fmt.Errorf("catalogue: open upload: %w", err)
		}
		l.CSV, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("catalogue: read upload: %w", err)
		}
	}
	added, known, err := h.svc.RegisterParticipants(c.UserContext(), me(c).ID, o, l)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderParticipants(c, o, fiber.StatusUnprocessableEntity, l.Emails, l.TookPartOn, errs)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%d %s geregistreerd; zij krijgen een e-mail om hun deelname te bevestigen.", added, plural(added, "deelnemer", "deelnemers"))
	if known > 0 {
		msg += fmt.Sprintf(" %d %s al eerder geregistreerd.", known, plural(known, "adres was", "adressen waren"))
	}
	web.SetFlash(c, msg)
	return c.Redirect(fmt.Sprintf("/gids/aanbod/%d/deelnemers", o.ID), fiber.StatusSeeOther)
}
