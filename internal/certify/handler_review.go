package certify

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// queueRow is one application in the assessors' queue.
type queueRow struct {
	Application
	Own     bool
	AgeDays int
}

type queuePage struct {
	web.Page
	Rows    []queueRow
	Schemes []Scheme
	Scheme  string // slug filtered on
	State   string
	Age     int // days
	States  []State
	Ages    []int
}

// GET /beoordelen?regeling=slug&status=state&ouder=days
func (h *Handler) queue(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	ctx := c.UserContext()
	schemes, err := h.svc.Store.Schemes(ctx, false)
	if err != nil {
		return err
	}
	p := queuePage{Page: web.NewPage(c, "Beoordelen"), Schemes: schemes,
		States: []State{StateSubmitted, StateInReview, StateReturned, StateApproved, StateRejected}, Ages: []int{7, 14, 30}}
	f := QueueFilter{}
	if slug := c.Query("regeling"); slug != "" {
		for _, sc := range schemes {
			if sc.Slug == slug {
				f.SchemeID, p.Scheme = sc.ID, slug
			}
		}
	}
	for _, st := range p.States {
		if string(st) == c.Query("status") {
			f.State, p.State = st, string(st)
		}
	}
	if days, err := strconv.Atoi(c.Query("ouder")); err == nil && days > 0 && days <= 3650 {
		f.OlderThan, p.Age = time.Duration(days)*24*time.Hour, days
	}
	now := h.svc.Now()
	apps, err := h.svc.Store.Queue(ctx, f, now)
	if err != nil {
		return err
	}
	for _, a := range apps {
		r := queueRow{Application: a, Own: a.ApplicantID == v.ID}
		if a.SubmittedAt != nil {
			r.AgeDays = int(now.Sub(*a.SubmittedAt).Hours() / 24)
		}
		p.Rows = append(p.Rows, r)
	}
	return web.Render(c, fiber.StatusOK, "certify/queue", p)
}

type reviewPage struct {
	web.Page
	View     *ApplicationView
	Own      bool
	Decision string
	Reason   string
	Errors   web.FieldErrors
}

// GET /beoordelen/:id
func (h *Handler) review(c *fiber.Ctx) error {
	return h.renderReview(c, fiber.StatusOK, "", "", nil)
}

func (h *Handler) renderReview(c *fiber.Ctx, status int, decision, reason string, errs web.FieldErrors) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	view, err := h.svc.ApplicationView(c.UserContext(), ActorOf(v), id, true)
	if err != nil {
		return err
	}
	return web.Render(c, status, "certify/review", reviewPage{
		Page: web.NewPage(c, fmt.Sprintf("Aanvraag %d beoordelen", id)), View: view, Own: view.App.ApplicantID == v.ID,
		Decision: decision, Reason: reason, Errors: errs,
	})
}

// POST /beoordelen/:id/in-behandeling
func (h *Handler) startReview(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.StartReview(c.UserContext(), ActorOf(v), id); err != nil {
		return err
	}
	web.SetFlash(c, "U heeft de aanvraag in behandeling genomen.")
	return c.Redirect(fmt.Sprintf("/beoordelen/%d", id), fiber.StatusSeeOther)
}

// POST /beoordelen/:id/besluit (decision: approved, rejected or returned; reason)
func (h *Handler) decide(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	decision, reason := c.FormValue("decision"), c.FormValue("reason")
	to := State(decision)
	if to != StateApproved && to != StateRejected && to != StateReturned {
		return h.renderReview(c, fiber.StatusUnprocessableEntity, decision, reason,
			web.FieldErrors{{Field: "decision", Message: "Kies een besluit: goedkeuren, afwijzen of terugsturen voor aanvulling."}})
	}
	cert, err := h.svc.Decide(c.UserContext(), ActorOf(v), id, to, reason)
	if errs, ok := web.FieldErrorsOf(err, nil); ok {
		return h.renderReview(c, fiber.StatusUnprocessableEntity, decision, reason, errs)
	}
	if err != nil {
		return err
	}
	switch to {
	case StateApproved:
		web.SetFlash(c, fmt.Sprintf("De aanvraag is goedgekeurd. Certificaat %s is uitgegeven.", cert.Number))
	case StateRejected:
		web.SetFlash(c, "De aanvraag is afgewezen. De aanvrager ziet uw reden.")
	default:
		web.SetFlash(c, "De aanvraag is teruggestuurd. De aanvrager ziet uw vraag en kan aanvullen.")
	}
	return c.Redirect(fmt.Sprintf("/beoordelen/%d", id), fiber.StatusSeeOther)
}
