package certify

import (
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

type queuePage struct {
	web.Page
	Rows    []QueueRow
	Schemes []Scheme
	Scheme  string // slug filtered on
	State   string
	Age     int // days
	States  []State
	Ages    []int
}

// GET /beoordelen?regeling=slug&status=state&ouder=days
func (h *Handler) queue(c *fiber.Ctx) error {
	days, _ := strconv.Atoi(c.Query("ouder")) // anything but a number: no filter
	view, err := h.svc.Queue(c.UserContext(), ActorOf(web.CurrentViewer(c)), QueueQuery{Scheme: c.Query("regeling"), State: c.Query("status"), Days: days})
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "certify/queue", queuePage{Page: web.NewPage(c, "Beoordelen"),
		Rows: view.Rows, Schemes: view.Schemes, Scheme: view.Query.Scheme, State: view.Query.State, Age: view.Query.Days,
		States: QueueStates, Ages: []int{7, 14, 30}})
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
	return h.renderReview(c, fiber.StatusOK, decisionForm{}, nil)
}

func (h *Handler) renderReview(c *fiber.Ctx, status int, f decisionForm, errs web.FieldErrors) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	view, err := h.svc.ApplicationView(c.UserContext(), ActorOf(web.CurrentViewer(c)), id, true)
	if err != nil {
		return err
	}
	return web.Render(c, status, "certify/review", reviewPage{
		Page: web.NewPage(c, fmt.Sprintf("Aanvraag %d beoordelen", id)), View: view, Own: view.Own,
		Decision: f.Decision, Reason: f.Reason, Errors: errs,
	})
}

// POST /beoordelen/:id/in-behandeling
func (h *Handler) startReview(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.StartReview(c.UserContext(), ActorOf(web.CurrentViewer(c)), id); err != nil {
		return err
	}
	web.SetFlash(c, "U heeft de aanvraag in behandeling genomen.")
	return c.Redirect(fmt.Sprintf("/beoordelen/%d", id), fiber.StatusSeeOther)
}

// decisionForm is an assessor's decision.
type decisionForm struct {
	Decision string `form:"decision"`
	Reason   string `form:"reason" input:"multiline"`
}

// POST /beoordelen/:id/besluit (decision: approved, rejected or returned; reason)
func (h *Handler) decide(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	var f decisionForm
	if err := web.Bind(c, h.validate, &f); err != nil {
		return err
	}
	cert, err := h.svc.Decide(c.UserContext(), ActorOf(web.CurrentViewer(c)), id, State(f.Decision), f.Reason)
	if errs, ok := web.FieldErrorsOf(err, &f); ok {
		return h.renderReview(c, fiber.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	switch State(f.Decision) {
	case StateApproved:
		web.SetFlash(c, fmt.Sprintf("De aanvraag is goedgekeurd. Certificaat %s is uitgegeven.", cert.Number))
	case StateRejected:
		web.SetFlash(c, "De aanvraag is afgewezen. De aanvrager ziet uw reden.")
	default:
		web.SetFlash(c, "De aanvraag is teruggestuurd. De aanvrager ziet uw vraag en kan aanvullen.")
	}
	return c.Redirect(fmt.Sprintf("/beoordelen/%d", id), fiber.StatusSeeOther)
}
