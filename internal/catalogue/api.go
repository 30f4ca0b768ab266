package catalogue

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

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
	ps, total, err := h.svc.ListedProviders(c.UserContext(), kind, PerPage, (page-1)*PerPage)
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

// apiProviderRef is the provider as a search hit names it.
type apiProviderRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// apiOffering is an offering in search results: every field filled.
type apiOffering struct {
	ID             int64          `json:"id"`
	Provider       apiProviderRef `json:"provider"`
	Kind           string         `json:"kind"`
	Title          string         `json:"title"`
	URL            string         `json:"url"`
	Themes         []string       `json:"themes"`
	Provinces      []string       `json:"provinces"`
	Format         string         `json:"format"`
	StudyHours     float64        `json:"study_hours"`
	PriceExclCents int64          `json:"price_excl_vat_cents"`
	VATPercent     int            `json:"vat_percent"`
	PriceInclCents int64          `json:"price_incl_vat_cents"`
	Language       string         `json:"language"`
	StartDates     []string       `json:"start_dates"`
	CourseSlug     string         `json:"course_slug,omitempty"`
	Certified      bool           `json:"certified"`
	ReviewCount    int            `json:"review_count"`
	VerifiedCount  int            `json:"verified_review_count"`
	RatingMean     float64        `json:"rating_mean"`
	RatingBayes    float64        `json:"rating_bayesian"`
	MissingWords   []string       `json:"missing_words,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

func (h *Handler) apiHit(x Hit) apiOffering {
	dates := make([]string, len(x.StartDates))
	for i, d := range x.StartDates {
		dates[i] = d.Format("2006-01-02")
	}
	o := apiOffering{ID: x.ID, Kind: x.Kind, Title: x.Title, URL: h.svc.URL("/gids/aanbod/" + strconv.FormatInt(x.ID, 10)),
		Themes: x.Themes, Provinces: x.Provinces, Format: x.Format, StudyHours: x.StudyHours, PriceExclCents: x.PriceExclCents,
		VATPercent: x.VATPercent, PriceInclCents: x.PriceInclCents, Language: x.Language, StartDates: dates, CourseSlug: x.CourseSlug,
		Certified: x.Certified, ReviewCount: x.ReviewCount, VerifiedCount: x.VerifiedCount, RatingMean: x.RatingMean,
		RatingBayes: x.RatingBayes, MissingWords: x.Missing, CreatedAt: x.CreatedAt, UpdatedAt: x.UpdatedAt}
	o.Provider.ID = x.ProviderID
	if x.Provider != nil {
		o.Provider.Name, o.Provider.Kind = x.Provider.Name, x.Provider.Kind
	}
	return o
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
	items := make([]apiOffering, len(res.Hits))
	for i, x := range res.Hits {
		items[i] = h.apiHit(x)
	}
	return c.JSON(struct {
		apiPage[apiOffering]
		Corrected string    `json:"corrected_query,omitempty"`
		Facets    apiFacets `json:"facets"`
	}{apiPage[apiOffering]{Items: items, Total: res.Total, Page: res.Page, Pages: res.Pages}, res.Corrected, apiFacets{
		Themes: facetMap(res.Facets.Themes), Provinces: facetMap(res.Facets.Provinces), Formats: facetMap(res.Facets.Formats),
		MinRating: facetMap(res.Facets.Ratings), Certified: res.Facets.Certified}})
}

// GET /api/v1/offerings/:id/reviews
func (h *Handler) apiReviews(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return apperr.Msg(apperr.ErrNotFound, "Onbekend aanbod.")
	}
	page := web.PageNumber(c.Query("page"))
	rs, agg, err := h.svc.Reviews(c.UserContext(), id, page)
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
	id, err := web.ParamID(c, "id")
	if err != nil {
		return apperr.Msg(apperr.ErrNotFound, "Onbekend aanbod.")
	}
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return apperr.NewValidation("body", "Stuur de review als application/json.")
	}
	var f reviewForm
	if err := json.Unmarshal(c.Body(), &f); err != nil {
		return apperr.NewValidation("body", "De JSON kon niet worden gelezen: controleer de velden en hun typen.")
	}
	web.Tidy(&f)
	if err := h.validate.Struct(&f); err != nil {
		return err
	}
	r, err := h.svc.SubmitReview(c.UserContext(), me(c).ID, id, f.input(), false)
	if err != nil {
		return err
	}
	c.Location("/api/v1/offerings/" + strconv.FormatInt(id, 10) + "/reviews")
	return c.Status(fiber.StatusCreated).JSON(r)
}
