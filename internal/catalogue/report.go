package catalogue

import (
	"context"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
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

// Report is the programme's dashboard for a period: a calendar year, or
// the last twelve months.
type Report struct {
	Year       int // 0: the twelve months up to now
	Period     string
	Indicators []Indicator
	Quotes     QuoteFigures
}

// reportMonths lists the first day of each month of the period: the
// calendar year up to now, or the twelve months ending with this one.
func reportMonths(year int, now time.Time) []time.Time {
	var out []time.Time
	if year == 0 {
		first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
		for i := range 12 {
			out = append(out, first.AddDate(0, i, 0))
		}
		return out
	}
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

// BuildReport gathers the success factors of year (0: the last twelve
// months) from the Gids and the other domains.
func (s *Service) BuildReport(ctx context.Context, year int) (Report, error) {
	now := s.Now()
	ms := reportMonths(year, now)
	from, to := ms[0], ms[len(ms)-1].AddDate(0, 1, 0)
	r := Report{Year: year, Period: "de afgelopen twaalf maanden"}
	if year != 0 {
		r.Period = strconv.Itoa(year)
		to = time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	completions, err := s.metrics.CourseCompletionsPerMonth(ctx, from, to)
	if err != nil {
		return r, fmt.Errorf("catalogue: completions: %w", err)
	}
	pilots, err := s.st.monthlyCounts(ctx, "pilots_matched", from, to)
	if err != nil {
		return r, err
	}
	members, err := s.metrics.MembersPerMonth(ctx, from, to)
	if err != nil {
		return r, fmt.Errorf("catalogue: members: %w", err)
	}
	memberCount, err := s.metrics.MemberCount(ctx)
	if err != nil {
		return r, fmt.Errorf("catalogue: member count: %w", err)
	}
	valid, err := s.metrics.ValidCertificates(ctx)
	if err != nil {
		return r, fmt.Errorf("catalogue: valid certificates: %w", err)
	}
	totals, err := s.st.gidsTotals(ctx)
	if err != nil {
		return r, err
	}
	r.Indicators = append(r.Indicators,
		Indicator{Key: "voltooid", Label: "Ambtenaren die een Werken 2.0-cursus afrondden (" + r.Period + ")", Value: float64(sum(completions)), Target: 1000, Months: fill(ms, completions),
			Note: "doel: 1.000 per jaar"},
		Indicator{Key: "proefprojecten", Label: "Proefprojecten met professionele begeleiding (sinds de start)", Value: float64(totals.PilotsMatched), Target: 100, Months: fill(ms, pilots),
			Note: "geteld vanaf het moment dat de organisatie een gecertificeerde adviseur kiest"},
		Indicator{Key: "leden", Label: "Leden van het netwerk", Value: float64(memberCount), Target: 10000, Months: fill(ms, members)},
	)
	for _, k := range []struct{ kind, label string }{{"trainer", "Gecertificeerde trainers"}, {"adviser", "Gecertificeerde adviseurs"}, {"training", "Gecertificeerde opleidingen"}} {
		per, err := s.metrics.CertificatesPerMonth(ctx, k.kind, from, to)
		if err != nil {
			return r, fmt.Errorf("catalogue: certificates %s: %w", k.kind, err)
		}
		r.Indicators = append(r.Indicators, Indicator{Key: "gecertificeerd-" + k.kind, Label: k.label + " (nu geldig)", Value: float64(valid[k.kind]), Months: fill(ms, per),
			Note: "de grafiek toont de uitgereikte certificaten per maand"})
	}
	offerings, err := s.st.monthlyCounts(ctx, "offerings", from, to)
	if err != nil {
		return r, err
	}
	reviews, err := s.st.monthlyCounts(ctx, "reviews", from, to)
	if err != nil {
		return r, err
	}
	quotes, err := s.st.monthlyCounts(ctx, "quotes", from, to)
	if err != nil {
		return r, err
	}
	if r.Quotes, err = s.st.quoteFigures(ctx); err != nil {
		return r, err
	}
	r.Indicators = append(r.Indicators,
		Indicator{Key: "aanbod", Label: "Aanbod in de Gouden Gids", Value: float64(totals.Offerings), Months: fill(ms, offerings)},
		Indicator{Key: "reviews", Label: "Reviews in de Gouden Gids", Value: float64(totals.Reviews), Months: fill(ms, reviews),
			Note: fmt.Sprintf("waarvan %s van aantoonbare deelnemers", formatInt(int64(totals.VerifiedReviews)))},
		Indicator{Key: "offertes", Label: "Offerteaanvragen via de Gids", Value: float64(r.Quotes.Asked), Months: fill(ms, quotes),
			Note: fmt.Sprintf("%s beantwoord met een prijs, %s met een gekozen offerte", formatInt(int64(r.Quotes.Answered)), formatInt(int64(r.Quotes.Accepted)))},
		Indicator{Key: "waardering", Label: "Gemiddelde waardering (1–5)", Value: totals.RatingMean, Decimals: true,
			Note: fmt.Sprintf("over %s %s", formatInt(int64(totals.Reviews)), plural(totals.Reviews, "review", "reviews"))},
	)
	return r, nil
}

// Saving is how much lower the median accepted price is than the median
// list price, in whole percent (negative: higher).
func (f QuoteFigures) Saving() int {
	if f.MedianListCents == 0 {
		return 0
	}
	return int((f.MedianListCents - f.MedianAcceptedCents) * 100 / f.MedianListCents)
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
