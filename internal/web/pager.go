package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// Pager is one page of a long list: which page is shown, how many there
// are, and the links to the others, which keep the rest of the query string.
// Render it with {{template "partials/pager" .Pager}}.
type Pager struct {
	Page    int // 1-based
	Pages   int // at least 1
	Total   int
	PerPage int
	path    string
	query   string // the request's query string, without the page
}

// PageParam is the query parameter with the page number.
const PageParam = "pagina"

// NewPager reads the page asked for in the request (?pagina=, garbage read
// as 1); call Of once the total is known.
func NewPager(c *fiber.Ctx, perPage int) Pager {
	args := fasthttp.AcquireArgs()
	defer fasthttp.ReleaseArgs(args)
	c.Request().URI().QueryArgs().CopyTo(args)
	args.Del(PageParam)
	return Pager{Page: PageNumber(c.Query(PageParam)), Pages: 1, PerPage: perPage, path: c.Path(), query: args.String()}
}

// Offset is the number of rows before this page.
func (p Pager) Offset() int { return (p.Page - 1) * p.PerPage }

// Of returns the pager for a list of total rows; a page past the end shows
// the last one.
func (p Pager) Of(total int) Pager {
	p.Total = total
	p.Pages = max(1, (total+p.PerPage-1)/p.PerPage)
	p.Page = min(p.Page, p.Pages)
	return p
}

// URL is the link to page n of the same list.
func (p Pager) URL(n int) string {
	q := p.query
	if q != "" {
		q += "&"
	}
	return p.path + "?" + q + PageParam + "=" + strconv.Itoa(n)
}

// Prev is the link to the page before, or "" on the first.
func (p Pager) Prev() string {
	if p.Page <= 1 {
		return ""
	}
	return p.URL(p.Page - 1)
}

// Next is the link to the page after, or "" on the last.
func (p Pager) Next() string {
	if p.Page >= p.Pages {
		return ""
	}
	return p.URL(p.Page + 1)
}
