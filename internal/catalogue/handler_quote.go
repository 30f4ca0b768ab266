package catalogue

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type quoteListPage struct {
	base
	Requests []QuoteRequest
	Manager  bool
}

// GET /gids/offertes — the organisation's quote requests.
func (h *Handler) quoteRequests(c *fiber.Ctx) error {
	v := me(c)
	rs, err := h.svc.MyQuoteRequests(c.UserContext(), v)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "catalogue/quotes", quoteListPage{base: newBase(c, "Offerteaanvragen"), Requests: rs, Manager: v.Manager})
}

type quoteForm struct {
	Subject      string `form:"subject" label:"Wat zoekt u" validate:"required,min=3,max=150"`
	Details      string `form:"details" input:"multiline" label:"Toelichting" validate:"max=5000"`
	Participants string `form:"participants" label:"Aantal deelnemers" validate:"required,max=6"`
	Province     string `form:"province" label:"Waar" validate:"required,oneof=drenthe flevoland friesland gelderland groningen limburg noord-brabant noord-holland overijssel utrecht zeeland zuid-holland landelijk online"`
	Location     string `form:"location" label:"Plaats of locatie" validate:"max=150"`
	StartsAfter  string `form:"starts_after" label:"Periode vanaf" validate:"required,datetime=2006-01-02"`
	EndsBefore   string `form:"ends_before" label:"Periode tot en met" validate:"required,datetime=2006-01-02"`
	Budget       string `form:"budget" label:"Budgetindicatie" validate:"required,oneof=onbekend tot-5000 5000-15000 15000-50000 vanaf-50000"`
	Deadline     string `form:"deadline" label:"Antwoorden uiterlijk" validate:"required,datetime=2006-01-02"`
}

type quoteFormPage struct {
	base
	Form    quoteForm
	Targets []QuoteTarget
	Errors  web.FieldErrors
	Allowed bool
}

// QuoteBudgets are the budget indications of a quote request.
var QuoteBudgets = append(Options{{"onbekend", "Nog niet bekend"}}, Budgets...)

// GET /gids/offertes/nieuw?aanbod=…&aanbieder=… — the request form for
// organisation managers; anyone else reads who may ask and how.
func (h *Handler) quoteForm(c *fiber.Ctx) error {
	v := queryValues(c)
	targets, err := h.svc.QuoteTargets(c.UserContext(), ids(v, "aanbod"), ids(v, "aanbieder"))
	if err != nil {
		return err
	}
	f := quoteForm{Participants: "1", Budget: "onbekend", Province: "online"}
	if len(targets) > 0 && targets[0].OfferingTitle != "" {
		f.Subject = targets[0].OfferingTitle
	}
	now := h.svc.Now()
	f.StartsAfter, f.EndsBefore = now.AddDate(0, 1, 0).Format("2006-01-02"), now.AddDate(0, 4, 0).Format("2006-01-02")
	f.Deadline = now.AddDate(0, 0, 14).Format("2006-01-02")
	return web.Render(c, fiber.StatusOK, "catalogue/quote_form", quoteFormPage{base: newBase(c, "Offerte aanvragen"), Form: f, Targets: targets, Allowed: me(c).Manager})
}

// POST /gids/offertes
func (h *Handler) createQuoteRequest(c *fiber.Ctx) error {
	var f quoteForm
	bindErr := h.bind(c, &f)
	postIDs := func(name string) []int64 {
		var out []int64
		for _, b := range c.Request().PostArgs().PeekMulti(name) {
			if id, err := strconv.ParseInt(string(b), 10, 64); err == nil && id > 0 {
				out = append(out, id)
			}
		}
		return out
	}
	offerings, providers := postIDs("aanbod"), postIDs("aanbieder")
	targets, err := h.svc.QuoteTargets(c.UserContext(), offerings, providers)
	if err != nil {
		return err
	}
	verr := &apperr.Validation{}
	if ve, ok := apperr.AsValidation(bindErr); ok {
		verr = ve
	} else if bindErr != nil {
		return bindErr
	}
	n, perr := strconv.Atoi(strings.ReplaceAll(strings.ReplaceAll(f.Participants, ".", ""), " ", ""))
	if _, done := verr.Fields["participants"]; !done && perr != nil {
		verr.Add("participants", "Vul het aantal deelnemers in als getal, bijvoorbeeld 12.")
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	in := QuoteInput{Targets: targets, Subject: f.Subject, Details: f.Details, Participants: n, Province: f.Province, Location: f.Location,
		StartsAfter: day(f.StartsAfter), EndsBefore: day(f.EndsBefore), Budget: f.Budget, Deadline: day(f.Deadline)}
	var id int64
	if verr.Err() == nil {
		id, err = h.svc.CreateQuoteRequest(c.UserContext(), me(c), in)
	} else {
		// Every message at once: the rules of the request beside the form's.
		if ve, ok := apperr.AsValidation(in.Validate(today(h.svc.Now()))); ok {
			for _, k := range ve.Keys() {
				verr.Add(k, ve.Fields[k]) // a field with a message keeps it
			}
		}
		err = verr
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return web.Render(c, fiber.StatusUnprocessableEntity, "catalogue/quote_form", quoteFormPage{base: newBase(c, "Offerte aanvragen"), Form: f, Targets: targets, Errors: errs, Allowed: true})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, fmt.Sprintf("Uw aanvraag is verstuurd naar %d %s. U krijgt een e-mail bij elk antwoord.", len(targets), plural(len(targets), "aanbieder", "aanbieders")))
	return c.Redirect(fmt.Sprintf("/gids/offertes/%d", id), fiber.StatusSeeOther)
}

type quotePage struct {
	base
	*QuoteView
	Errors web.FieldErrors
	Answer quoteAnswerForm
}

// IsBest reports whether q offers the lowest price of two or more, for marking it.
func (p quotePage) IsBest(q Quote) bool {
	var best int64
	n := 0
	for _, x := range p.Quotes {
		if x.PriceInclCents != nil && x.Status != "declined" {
			n++
			if best == 0 || *x.PriceInclCents < best {
				best = *x.PriceInclCents
			}
		}
	}
	return n > 1 && q.PriceInclCents != nil && *q.PriceInclCents == best
}

// GET /gids/offertes/:id
func (h *Handler) quoteRequest(c *fiber.Ctx) error {
	return h.renderQuote(c, fiber.StatusOK, nil, quoteAnswerForm{VAT: "21"})
}

func (h *Handler) renderQuote(c *fiber.Ctx, status int, errs web.FieldErrors, a quoteAnswerForm) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	qv, err := h.svc.QuoteRequestPage(c.UserContext(), me(c), id)
	if err != nil {
		return err
	}
	return web.Render(c, status, "catalogue/quote", quotePage{base: newBase(c, "Offerteaanvraag: "+qv.Request.Subject), QuoteView: qv, Errors: errs, Answer: a})
}

type quoteAnswerForm struct {
	Provider   string `form:"provider"`
	Answer     string `form:"answer"`
	Price      string `form:"price" label:"Prijs exclusief btw" validate:"max=20"`
	VAT        string `form:"vat" label:"Btw-tarief" validate:"omitempty,oneof=0 9 21"`
	StartDates string `form:"start_dates" label:"Voorgestelde data" validate:"max=500"`
	Note       string `form:"note" input:"multiline" label:"Toelichting" validate:"max=3000"`
}

// POST /gids/offertes/:id/antwoord — a price, or declining.
func (h *Handler) answerQuote(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var f quoteAnswerForm
	verr := &apperr.Validation{}
	if err := h.bind(c, &f); err != nil {
		ve, ok := apperr.AsValidation(err)
		if !ok {
			return err
		}
		verr = ve
	}
	a := QuoteAnswer{Decline: f.Answer == "decline", Note: f.Note}
	if !a.Decline {
		cents, ok := parseAmount(f.Price)
		if !ok || cents <= 0 {
			verr.Add("price", "Vul de prijs exclusief btw in euro's in, bijvoorbeeld 4.500 of 4500,00 (meer dan € 0, hoogstens € 1.000.000).")
		}
		a.PriceCents = cents
		if a.VATPercent, err = strconv.Atoi(f.VAT); err != nil {
			verr.Add("vat", "Kies het btw-tarief.")
		}
		a.StartDates = parseDates("start_dates", f.StartDates, verr)
	}
	if err = verr.Err(); err == nil {
		err = h.svc.AnswerQuote(c.UserContext(), me(c), id, formID(c, "provider"), a)
	}
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return h.renderQuote(c, fiber.StatusUnprocessableEntity, errs, f)
	}
	if err != nil {
		return err
	}
	if a.Decline {
		web.SetFlash(c, "U heeft afgezien van een offerte; de aanvrager krijgt bericht.")
	} else {
		web.SetFlash(c, "Uw offerte is verstuurd; de aanvrager krijgt bericht.")
	}
	return c.Redirect(fmt.Sprintf("/gids/offertes/%d", id), fiber.StatusSeeOther)
}

// POST /gids/offertes/:id/accepteren
func (h *Handler) acceptQuote(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.AcceptQuote(c.UserContext(), me(c), id, formID(c, "quote")); err != nil {
		return err
	}
	web.SetFlash(c, "De offerte is geaccepteerd. De aanbieder en de andere aanbieders krijgen bericht.")
	return c.Redirect(fmt.Sprintf("/gids/offertes/%d", id), fiber.StatusSeeOther)
}

// GET /gids/offertes/:id/offertes.csv — the answers side by side, for the requesting side.
func (h *Handler) quotesCSV(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	qv, err := h.svc.QuoteRequestPage(c.UserContext(), me(c), id)
	if err != nil {
		return err
	}
	if !qv.Requester {
		return ErrNotFound
	}
	r := qv.Request
	out := web.NewCSV("Aanbieder", "Aanbod", "Status", "Prijs excl. btw (euro)", "Btw (%)", "Prijs incl. btw (euro)",
		"Lijstprijs incl. btw voor deze aanvraag (euro)", "Voorgestelde data", "Toelichting", "Beantwoord op", "Adres in de Gids")
	for _, q := range qv.Quotes {
		var excl, vat, incl, list any
		if q.PriceExclCents != nil {
			excl, incl = web.Money(*q.PriceExclCents), web.Money(*q.PriceInclCents)
		}
		if q.VATPercent != nil {
			vat = *q.VATPercent
		}
		if q.ListPriceCents != nil {
			list = web.Money(q.ListTotalCents(r.Participants))
		}
		link := h.svc.URL(fmt.Sprintf("/gids/aanbieders/%d", q.ProviderID))
		if q.OfferingID != nil {
			link = h.svc.URL(fmt.Sprintf("/gids/aanbod/%d", *q.OfferingID))
		}
		out.Row(q.ProviderName, q.OfferingTitle, q.StatusLabel(), excl, vat, incl, list, dateList(q.StartDates, web.DutchDate), q.Note, q.AnsweredAt, link)
	}
	return out.Send(c, fmt.Sprintf("offertes-aanvraag-%d.csv", r.ID))
}
