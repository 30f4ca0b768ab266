package catalogue

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

func (h *Handler) apiRoutes(r *web.Router) {
	anyone := r.Public()
	anyone.Get("/api/v1/providers", h.apiProviders)
	anyone.Get("/api/v1/offerings", h.apiOfferings)
	anyone.Get("/api/v1/offerings/:id<int>/reviews", h.apiReviews)
	r.LoggedIn().Post("/api/v1/offerings/:id<int>/reviews", h.apiPostReview)
}

type apiPage[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	Page  int `json:"page"`
	Pages int `json:"pages"`
}

// GET /api/v1/providers
func (h *Handler) apiProviders(c *fiber.Ctx) error {
	kind := c.Query("kind")
	if kind != "" && !ProviderKinds.Has(kind) {
		return apperr.NewValidation("kind", "Onbekende soort; kies institute, firm of independent.")
	}
	page := web.PageNumber(c.Query("page"))
	ps, total, err := h.svc.Store.ListedProviders(c.UserContext(), kind, PerPage, (page-1)*PerPage)
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []Provider{}
	}
	return c.JSON(apiPage[Provider]{Items: ps, Total: total, Page: page, Pages: max(1, (total+PerPage-1)/PerPage)})
}

type apiFacets struct {
	Themes    map[string]int `json:"theme"`
	Provinces map[string]int `json:"province"`
	Formats   map[string]int `json:"format"`
	MinRating map[string]int `json:"min_rating"`
	Certified int            `json:"certified"`
}

func facetMap(fs []Facet) map[string]int {
	m := make(map[string]int, len(fs))
	for _, f := range fs {
		m[f.Value] = f.Count
	}
	return m
}

// GET /api/v1/offerings
func (h *Handler) apiOfferings(c *fiber.Ctx) error {
	f, problems := ParseFilter(queryValues(c), APIParams)
	if len(problems) > 0 {
		return &apperr.Validation{Message: "Onbekende filterwaarden.", Fields: problems}
	}
	res, err := h.svc.Search(c.UserContext(), f)
	if err != nil {
		return err
	}
	hits := res.Hits
	if hits == nil {
		hits = []Hit{}
	}
	return c.JSON(struct {
		apiPage[Hit]
		Facets apiFacets `json:"facets"`
	}{apiPage[Hit]{Items: hits, Total: res.Total, Page: res.Page, Pages: res.Pages}, apiFacets{
		Themes: facetMap(res.Facets.Themes), Provinces: facetMap(res.Facets.Provinces), Formats: facetMap(res.Facets.Formats),
		MinRating: facetMap(res.Facets.Ratings), Certified: res.Facets.Certified}})
}

func (h *Handler) listedOffering(c *fiber.Ctx) (*Offering, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, apperr.Msg(apperr.ErrNotFound, "Onbekend aanbod.")
	}
	o, err := h.svc.Store.Offering(c.UserContext(), id)
	if err != nil {
		return nil, err
	}
	if !o.Listed {
		return nil, apperr.Msg(apperr.ErrNotFound, "Onbekend aanbod.")
	}
	return o, nil
}

// GET /api/v1/offerings/:id/reviews
func (h *Handler) apiReviews(c *fiber.Ctx) error {
	o, err := h.listedOffering(c)
	if err != nil {
		return err
	}
	page := web.PageNumber(c.Query("page"))
	agg, err := h.svc.Store.OfferingAggregate(c.UserContext(), o.ID)
	if err != nil {
		return err
	}
	rs, err := h.svc.Store.Reviews(c.UserContext(), o.ID, PerPage, (page-1)*PerPage)
	if err != nil {
		return err
	}
	if rs == nil {
		rs = []Review{}
	}
	return c.JSON(struct {
		apiPage[Review]
		Aggregate Aggregate `json:"aggregate"`
	}{apiPage[Review]{Items: rs, Total: agg.Count, Page: page, Pages: max(1, (agg.Count+PerPage-1)/PerPage)}, agg})
}

// POST /api/v1/offerings/:id/reviews
func (h *Handler) apiPostReview(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	o, err := h.listedOffering(c)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return apperr.NewValidation("body", "Stuur de review als application/json.")
	}
	var f reviewForm
	if err := json.Unmarshal(c.Body(), &f); err != nil {
		return apperr.NewValidation("body", "De JSON kon niet worden gelezen: controleer de velden en hun typen.")
	}
	f.Body = strings.TrimSpace(f.Body)
	if err := h.validate.Struct(&f); err != nil {
		return err
	}
	r, err := h.svc.SubmitReview(c.UserContext(), v.ID, o.ID, f.input(), false)
	if err != nil {
		return err
	}
	r.AuthorName = v.Name
	c.Location("/api/v1/offerings/" + strconv.FormatInt(o.ID, 10) + "/reviews")
	return c.Status(fiber.StatusCreated).JSON(r)
}
