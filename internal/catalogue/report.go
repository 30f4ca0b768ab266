package catalogue

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Indicator is one success factor of the programme with its monthly figures.
type Indicator struct {
	Key      string
	Label    string
	Value    float64
	Target   float64 // 0: no target
	Decimals bool
	Months   []MonthCount
	Note     string
}

// ValueText formats the indicator's value.
func (i Indicator) ValueText() string {
	if i.Decimals {
		return Decimal(i.Value)
	}
	return formatInt(int64(i.Value))
}

// TargetText formats the target.
func (i Indicator) TargetText() string { return formatInt(int64(i.Target)) }

// Percent is how far the indicator is towards its target (0–100).
func (i Indicator) Percent() int {
	if i.Target <= 0 {
		return 0
	}
	return min(100, int(i.Value*100/i.Target))
}

// Chart draws the monthly figures as an inline SVG bar chart.
func (i Indicator) Chart() template.HTML { return barChart(i.Label, i.Months) }

func formatInt(n int64) string { return strings.TrimPrefix(Euros(n*100), "€ ") }

// Report is the programme's dashboard for one year.
type Report struct {
	Year       int
	Indicators []Indicator
}

// months lists the first day of each month of year up to and including now.
func months(year int, now time.Time) []time.Time {
	var out []time.Time
	for m := time.January; m <= time.December; m++ {
		t := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
		if t.After(now) {
			break
		}
		out = append(out, t)
	}
	return out
}

// fill puts counts on every month of ms, zero where none.
func fill(ms []time.Time, counts []MonthCount) []MonthCount {
	by := map[string]int{}
	for _, c := range counts {
		by[c.Month.UTC().Format("2006-01")] += c.Count
	}
	out := make([]MonthCount, len(ms))
	for i, m := range ms {
		out[i] = MonthCount{Month: m, Count: by[m.Format("2006-01")]}
	}
	return out
}

func sum(cs []MonthCount) int {
	n := 0
	for _, c := range cs {
		n += c.Count
	}
	return n
}

// BuildReport gathers the success factors of year from the Gids and the
// other domains.
func (s *Service) BuildReport(ctx context.Context, year int) (Report, error) {
	now := s.Now()
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	ms := months(year, now)
	r := Report{Year: year}
	completions, err := s.Metrics.CourseCompletionsPerMonth(ctx, from, to)
	if err != nil {
		return r, fmt.Errorf("catalogue: completions: %w", err)
	}
	pilots, err := s.Store.MonthlyCounts(ctx, "pilots_matched", from, to)
	if err != nil {
		return r, err
	}
	members, err := s.Metrics.MembersPerMonth(ctx, from, to)
	if err != nil {
		return r, fmt.Errorf("catalogue: members: %w", err)
	}
	memberCount, err := s.Metrics.MemberCount(ctx)
	if err != nil {
		return r, fmt.Errorf("catalogue: member count: %w", err)
	}
	valid, err := s.Metrics.ValidCertificates(ctx)
	if err != nil {
		return r, fmt.Errorf("catalogue: valid certificates: %w", err)
	}
	totals, err := s.Store.GidsTotals(ctx)
	if err != nil {
		return r, err
	}
	r.Indicators = append(r.Indicators,
		Indicator{Key: "voltooid", Label: "Ambtenaren die dit jaar een Werken 2.0-cursus afrondden", Value: float64(sum(completions)), Target: 1000, Months: fill(ms, completions)},
		Indicator{Key: "proefprojecten", Label: "Proefprojecten gekoppeld aan een adviseur (sinds de start)", Value: float64(totals.PilotsMatched), Target: 100, Months: fill(ms, pilots)},
		Indicator{Key: "leden", Label: "Leden van het netwerk", Value: float64(memberCount), Target: 10000, Months: fill(ms, members)},
	)
	for _, k := range []struct{ kind, label string }{{"trainer", "Gecertificeerde trainers"}, {"adviser", "Gecertificeerde adviseurs"}, {"training", "Gecertificeerde opleidingen"}} {
		per, err := s.Metrics.CertificatesPerMonth(ctx, k.kind, from, to)
		if err != nil {
			return r, fmt.Errorf("catalogue: certificates %s: %w", k.kind, err)
		}
		r.Indicators = append(r.Indicators, Indicator{Key: "gecertificeerd-" + k.kind, Label: k.label + " (nu geldig)", Value: float64(valid[k.kind]), Months: fill(ms, per)})
	}
	offerings, err := s.Store.MonthlyCounts(ctx, "offerings", from, to)
	if err != nil {
		return r, err
	}
	reviews, err := s.Store.MonthlyCounts(ctx, "reviews", from, to)
	if err != nil {
		return r, err
	}
	r.Indicators = append(r.Indicators,
		Indicator{Key: "aanbod", Label: "Aanbod in de Gouden Gids", Value: float64(totals.Offerings), Months: fill(ms, offerings)},
		Indicator{Key: "reviews", Label: "Reviews in de Gouden Gids", Value: float64(totals.Reviews), Months: fill(ms, reviews)},
		Indicator{Key: "waardering", Label: "Gemiddelde waardering (1–5)", Value: totals.RatingMean, Decimals: true,
			Note: fmt.Sprintf("over %d reviews", totals.Reviews)},
	)
	return r, nil
}

var shortMonths = [...]string{"jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"}

// barChart draws counts per month as an accessible SVG: a title, a
// description with the figures, and one labelled bar per month.
func barChart(title string, ms []MonthCount) template.HTML {
	if len(ms) == 0 {
		return ""
	}
	const w, h, top, bottom = 360, 120, 14, 18
	peak := 1
	var desc []string
	for _, m := range ms {
		peak = max(peak, m.Count)
		desc = append(desc, fmt.Sprintf("%s: %d", shortMonths[m.Month.Month()-1], m.Count))
	}
	slot := float64(w) / float64(len(ms))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s per maand: %s" xmlns="http://www.w3.org/2000/svg">`,
		w, h, template.HTMLEscapeString(title), template.HTMLEscapeString(strings.Join(desc, ", ")))
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" class="chart-axis"/>`, h-bottom, w, h-bottom)
	for i, m := range ms {
		bh := float64(h-top-bottom) * float64(m.Count) / float64(peak)
		x := float64(i)*slot + slot*0.15
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" class="chart-bar"><title>%s: %d</title></rect>`,
			x, float64(h-bottom)-bh, slot*0.7, bh, shortMonths[m.Month.Month()-1], m.Count)
		if m.Count > 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" class="chart-value">%d</text>`, x+slot*0.35, float64(h-bottom)-bh-3, m.Count)
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="chart-label">%s</text>`, x+slot*0.35, h-4, shortMonths[m.Month.Month()-1])
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built from numbers and escaped text
}

type reportPage struct {
	base
	Report Report
	Admin  bool
}

func (h *Handler) reportYear(c *fiber.Ctx) int {
	year := h.svc.Now().Year()
	if y, err := strconv.Atoi(c.Query("jaar")); err == nil && y >= 2020 && y <= year {
		year = y
	}
	return year
}

// GET /rapportage
func (h *Handler) reporting(c *fiber.Ctx) error {
	r, err := h.svc.BuildReport(c.UserContext(), h.reportYear(c))
	if err != nil {
		return err
	}
	v := web.CurrentViewer(c)
	return web.Render(c, fiber.StatusOK, "catalogue/report", reportPage{base: newBase(c, "Rapportage"), Report: r, Admin: v.Has(web.RoleAdmin)})
}

// GET /rapportage.csv
func (h *Handler) reportCSV(c *fiber.Ctx) error {
	r, err := h.svc.BuildReport(c.UserContext(), h.reportYear(c))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write([]string{"indicator", "omschrijving", "maand", "aantal", "stand", "doel"})
	for _, in := range r.Indicators {
		target := ""
		if in.Target > 0 {
			target = in.TargetText()
		}
		_ = w.Write([]string{in.Key, in.Label, "", "", in.ValueText(), target})
		for _, m := range in.Months {
			_ = w.Write([]string{in.Key, in.Label, m.Month.Format("2006-01"), strconv.Itoa(m.Count), "", ""})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="rapportage-%d.csv"`, r.Year))
	return c.Send(append([]byte("\ufeff"), buf.Bytes()...))
}
