package catalogue

import (
	_ "embed"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Handler serves the Gids' pages and API: it parses, calls one service
// method and renders.
type Handler struct {
	svc      *Service
	validate *web.Validator
}

// NewHandler returns the Gids' pages on svc.
func NewHandler(svc *Service, v *web.Validator) *Handler { return &Handler{svc: svc, validate: v} }

// Routes registers the pages and the API. Pages a user cannot use yet
// (a learner on /gids/mijn or /proefprojecten/nieuw) are open to every
// logged-in user and explain how to get there; only the actions behind
// them need the role.
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
	member.Get("/gids/mijn", h.mine)
	member.Get("/gids/aanmelden", h.requestForm)
	member.Post("/gids/aanmelden", h.requestListing)
	member.Get("/gids/aanbod/:id<int>/beoordelen", h.reviewForm)
	member.Post("/gids/aanbod/:id<int>/beoordelen", h.submitReview)
	member.Post("/gids/reviews/:id<int>/melden", h.report)
	member.Get("/gids/deelnames", h.participations)
	member.Post("/gids/deelnames/:id<int>", h.answerParticipation)
	member.Get("/gids/offertes", h.quoteRequests)
	member.Get("/gids/offertes/nieuw", h.quoteForm)
	member.Get("/gids/offertes/:id<int>", h.quoteRequest)
	member.Get("/gids/offertes/:id<int>/offertes.csv", h.quotesCSV)
	member.Get("/proefprojecten/nieuw", h.newPilot)

	provider := r.Role(web.RoleProvider)
	provider.Get("/gids/aanbieders/:id<int>/bewerken", h.editProvider)
	provider.Post("/gids/aanbieders/:id<int>/bewerken", h.updateProvider)
	provider.Post("/gids/aanbieders/:id<int>/certificaten", h.linkCertificate)
	provider.Get("/gids/aanbieders/:id<int>/aanbod/nieuw", h.newOffering)
	provider.Post("/gids/aanbieders/:id<int>/aanbod", h.createOffering)
	provider.Get("/gids/aanbod/:id<int>/bewerken", h.editOffering)
	provider.Post("/gids/aanbod/:id<int>/bewerken", h.updateOffering)
	provider.Get("/gids/aanbod/:id<int>/deelnemers", h.participants)
	provider.Post("/gids/aanbod/:id<int>/deelnemers", h.registerParticipants)
	provider.Post("/gids/reviews/:id<int>/reactie", h.reply)
	provider.Post("/proefprojecten/:id<int>/interesse", h.interest)
	provider.Post("/gids/offertes/:id<int>/antwoord", h.answerQuote)

	manager := r.Role(web.RoleOrgManager)
	manager.Post("/proefprojecten", h.createPilot)
	manager.Post("/proefprojecten/:id<int>/kiezen", h.choose)
	manager.Post("/proefprojecten/:id<int>/afronden", h.complete)
	manager.Post("/gids/offertes", h.createQuoteRequest)
	manager.Post("/gids/offertes/:id<int>/accepteren", h.acceptQuote)

	admin := r.Role(web.RoleAdmin)
	admin.Get("/beheer/gids", h.admin)
	admin.Post("/beheer/gids/aanmeldingen/:id<int>", h.decideRequest)
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

// actorOf is the viewer as the service knows them.
func actorOf(v *web.Viewer) Actor {
	return Actor{ID: v.ID, Name: v.Name, Email: v.Email, OrganisationID: v.OrganisationID,
		Manager: v.Has(web.RoleOrgManager), Admin: v.Has(web.RoleAdmin)}
}

// viewer is the logged-in user as an actor, or nil for a visitor.
func viewer(c *fiber.Ctx) *Actor {
	v := web.CurrentViewer(c)
	if v == nil {
		return nil
	}
	a := actorOf(v)
	return &a
}

// me is the logged-in user behind a guard.
func me(c *fiber.Ctx) Actor { return actorOf(web.CurrentViewer(c)) }

// ownedProvider loads the provider in the path when the viewer owns it;
// someone else's listing answers 404.
func (h *Handler) ownedProvider(c *fiber.Ctx) (*Provider, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	return h.svc.OwnedProvider(c.UserContext(), me(c).ID, id)
}

// ownedOffering loads the offering in the path when the viewer owns its
// provider; someone else's offering answers 404.
func (h *Handler) ownedOffering(c *fiber.Ctx) (*Offering, error) {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return nil, err
	}
	return h.svc.OwnedOffering(c.UserContext(), me(c).ID, id)
}

// groupFields files messages about one value of a multi-value field
// ("themes[0]") under the field itself, where the form shows them.
func groupFields(err error) error {
	ve, ok := apperr.AsValidation(err)
	if !ok {
		return err
	}
	out := &apperr.Validation{Message: ve.Message}
	for _, k := range ve.Keys() {
		name, _, _ := strings.Cut(k, "[")
		out.Add(name, ve.Fields[k])
	}
	return out
}

// bind reads and validates a form, filing multi-value messages under their field.
func (h *Handler) bind(c *fiber.Ctx, form any) error {
	return groupFields(web.Bind(c, h.validate, form))
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func queryValues(c *fiber.Ctx) url.Values {
	v, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return url.Values{}
	}
	return v
}

// ids reads the positive numeric values of a query parameter, without repeats.
func ids(v url.Values, name string) []int64 {
	var out []int64
	for _, s := range v[name] {
		for _, part := range strings.Split(s, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
			if err == nil && id > 0 && len(out) < 20 && !containsID(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

func containsID(xs []int64, x int64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// formID reads a numeric form value; 0 when it is missing or not a number.
func formID(c *fiber.Ctx, name string) int64 {
	id, err := strconv.ParseInt(strings.TrimSpace(c.FormValue(name)), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}

//go:embed openapi.json
var openAPIFragment []byte

// OpenAPI is this domain's part of the API document.
func OpenAPI() []byte { return openAPIFragment }
