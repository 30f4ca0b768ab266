package courses

import (
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Member statuses in a course, as used in the URL and the CSV.
const (
	MemberNotStarted = "niet-gestart"
	MemberBusy       = "bezig"
	MemberDone       = "afgerond"
)

var memberStatusLabels = map[string]string{MemberNotStarted: "Niet gestart", MemberBusy: "Bezig", MemberDone: "Afgerond"}

// MemberProgress is one member of an organisation in one published course.
type MemberProgress struct {
	UserID      int64
	Name        string
	Email       string
	CourseSlug  string
	CourseTitle string
	EnrolledAt  *time.Time
	CompletedAt *time.Time
	Total       int
	Done        int
}

// Status is niet-gestart, bezig or afgerond.
func (m MemberProgress) Status() string {
	switch {
	case m.CompletedAt != nil:
		return MemberDone
	case m.EnrolledAt != nil:
		return MemberBusy
	}
	return MemberNotStarted
}

// StatusLabel is the Dutch label of the status.
func (m MemberProgress) StatusLabel() string { return memberStatusLabels[m.Status()] }

// Percent is the share of the course done.
func (m MemberProgress) Percent() int {
	if m.CompletedAt != nil {
		return 100
	}
	if m.Total == 0 {
		return 0
	}
	return m.Done * 100 / m.Total
}

// OrgFilter narrows the organisation report.
type OrgFilter struct {
	Course string // slug, or "" for all
	Status string // one of the member statuses, or ""
}

// OrgProgress lists the members of organisation orgID in every published
// course. The organisation is part of the query, so a manager never sees
// another organisation's people.
func (s *Store) OrgProgress(ctx context.Context, orgID int64, f OrgFilter, limit, offset int) ([]MemberProgress, int, error) {
	var rows []MemberProgress
	q := s.db.NewSelect().TableExpr("users AS u").
		Join("CROSS JOIN courses AS c").
		Join("LEFT JOIN enrolments AS e ON e.user_id = u.id AND e.course_id = c.id").
		ColumnExpr("u.id AS user_id, u.name, u.email, c.slug AS course_slug, c.title AS course_title, e.enrolled_at, e.completed_at").
		ColumnExpr("(SELECT count(*) FROM course_items i WHERE i.course_id = c.id) AS total").
		ColumnExpr(`CASE WHEN e.user_id IS NULL THEN 0 ELSE
			(SELECT count(*) FROM lesson_completions lc JOIN course_items i ON i.id = lc.item_id WHERE lc.user_id = u.id AND i.course_id = c.id) +
			(SELECT count(DISTINCT a.item_id) FROM quiz_attempts a JOIN course_items i ON i.id = a.item_id
			 WHERE a.user_id = u.id AND i.course_id = c.id AND a.passed) END AS done`).
		Where("u.organisation_id = ?", orgID).
		Where("c.status = ?", StatusPublished).
		OrderExpr("lower(u.name), u.id, c.title")
	if f.Course != "" {
		q = q.Where("c.slug = ?", f.Course)
	}
	switch f.Status {
	case MemberNotStarted:
		q = q.Where("e.user_id IS NULL")
	case MemberBusy:
		q = q.Where("e.user_id IS NOT NULL AND e.completed_at IS NULL")
	case MemberDone:
		q = q.Where("e.completed_at IS NOT NULL")
	}
	if limit > 0 {
		q = q.Limit(int64(limit)).Offset(int64(offset))
	}
	n, err := q.ScanAndCount(ctx, &rows)
	if err != nil {
		return nil, 0, fmt.Errorf("courses: organisation progress: %w", err)
	}
	return rows, int(n), nil
}

// orgRoutes are the organisation managers' pages.
func (h *Handler) orgRoutes(r *web.Router) {
	manager := r.Role(web.RoleOrgManager)
	manager.Get("/organisatie/voortgang", h.orgProgress)
	manager.Get("/organisatie/voortgang.csv", h.orgProgressCSV)
}

const orgPageSize = 100

type orgPage struct {
	web.Page
	Filter   OrgFilter
	Rows     []MemberProgress
	Total    int
	PageNo   int
	Pages    int
	Courses  []Listing
	Statuses []struct{ Value, Label string }
}

// orgFilter reads the filter from the URL; unknown values are dropped with a notice.
func (h *Handler) orgFilter(c *fiber.Ctx, courses []Listing) (OrgFilter, []string) {
	f := OrgFilter{Course: c.Query("cursus"), Status: c.Query("status")}
	var notices []string
	if f.Course != "" {
		known := false
		for _, l := range courses {
			known = known || l.Slug == f.Course
		}
		if !known {
			notices = append(notices, "Onbekende cursus in het filter; alle cursussen worden getoond.")
			f.Course = ""
		}
	}
	if _, ok := memberStatusLabels[f.Status]; f.Status != "" && !ok {
		notices = append(notices, "Onbekende status in het filter; alle statussen worden getoond.")
		f.Status = ""
	}
	return f, notices
}

// GET /organisatie/voortgang
func (h *Handler) orgProgress(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	ctx := c.UserContext()
	courses, err := h.svc.Published(ctx, "", 0)
	if err != nil {
		return err
	}
	f, notices := h.orgFilter(c, courses)
	pageNo := web.PageNumber(c.Query("pagina"))
	rows, total, err := h.svc.OrgProgress(ctx, v.OrganisationID, f, orgPageSize, (pageNo-1)*orgPageSize)
	if err != nil {
		return err
	}
	page := orgPage{Page: web.NewPage(c, "Voortgang van mijn organisatie"), Filter: f, Rows: rows, Total: total,
		PageNo: pageNo, Pages: max(1, (total+orgPageSize-1)/orgPageSize), Courses: courses,
		Statuses: []struct{ Value, Label string }{{MemberNotStarted, "Niet gestart"}, {MemberBusy, "Bezig"}, {MemberDone, "Afgerond"}}}
	page.Notices = notices
	return web.Render(c, fiber.StatusOK, "courses/org_progress", page)
}

// GET /organisatie/voortgang.csv — opens correctly in a Dutch spreadsheet:
// semicolons, UTF-8 with a byte order mark, dates as dd-mm-jjjj.
func (h *Handler) orgProgressCSV(c *fiber.Ctx) error {
	v := web.CurrentViewer(c)
	ctx := c.UserContext()
	courses, err := h.svc.Published(ctx, "", 0)
	if err != nil {
		return err
	}
	f, _ := h.orgFilter(c, courses)
	rows, _, err := h.svc.OrgProgress(ctx, v.OrganisationID, f, 0, 0)
	if err != nil {
		return err
	}
	out := web.NewCSV("Naam", "E-mailadres", "Cursus", "Status", "Voortgang (%)", "Ingeschreven op", "Afgerond op")
	for _, r := range rows {
		out.Row(r.Name, r.Email, r.CourseTitle, r.StatusLabel(), r.Percent(), r.EnrolledAt, r.CompletedAt)
	}
	return out.Send(c, "voortgang-organisatie.csv")
}
