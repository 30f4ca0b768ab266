package catalogue

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Fmt gives templates the Gids' formatting and labels; every page model
// carries one as F.
type Fmt struct{}

// Euros formats cents as "€ 1.234,50".
func (Fmt) Euros(cents int64) string { return Euros(cents) }

// Decimal formats 4.25 as "4,3".
func (Fmt) Decimal(x float64) string { return Decimal(x) }

// Hours formats study hours.
func (Fmt) Hours(x float64) string { return Hours(x) }

// Stars draws a score as stars.
func (Fmt) Stars(x float64) string { return Stars(x) }

// StarsInt draws a whole score as stars.
func (Fmt) StarsInt(x int) string { return Stars(float64(x)) }

// Markdown renders sanitised Markdown.
func (Fmt) Markdown(s string) template.HTML { return web.Markdown(s) }

// Theme is a theme's label.
func (Fmt) Theme(v string) string { return Themes.Label(v) }

// Themes lists theme labels.
func (Fmt) Themes(vs []string) string { return labels(Themes, vs) }

// Province is a province's label.
func (Fmt) Province(v string) string { return Provinces.Label(v) }

// Provinces lists province labels.
func (Fmt) Provinces(vs []string) string { return labels(Provinces, vs) }

// Format is a format's label.
func (Fmt) Format(v string) string { return Formats.Label(v) }

// OfferingKind is the label of an offering kind.
func (Fmt) OfferingKind(v string) string { return OfferingKinds.Label(v) }

// ProviderKind is the label of a provider kind.
func (Fmt) ProviderKind(v string) string { return ProviderKinds.Label(v) }

// Language is a language's label.
func (Fmt) Language(v string) string { return Languages.Label(v) }

// Mark is a declared quality mark's label.
func (Fmt) Mark(v string) string { return QualityMarks.Label(v) }

// QuoteBudget is a quote request's budget label.
func (Fmt) QuoteBudget(v string) string { return QuoteBudgets.Label(v) }

// Budget is a budget range's label.
func (Fmt) Budget(v string) string { return Budgets.Label(v) }

// CertKind is a certificate kind's label.
func (Fmt) CertKind(v string) string { return CertificateKinds.Label(v) }

// Criterion is a review criterion's label.
func (Fmt) Criterion(v string) string { return Criteria.Label(v) }

// Dates lists dates in Dutch.
func (Fmt) Dates(ds []time.Time) string { return dateList(ds, web.DutchDate) }

// Date formats one date in Dutch; "" for nil.
func (Fmt) Date(t *time.Time) string {
	if t == nil {
		return ""
	}
	return web.DutchDate(*t)
}

// PathEscape escapes a path segment.
func (Fmt) PathEscape(s string) string { return url.PathEscape(s) }

// Has reports whether xs holds x (for checked boxes).
func (Fmt) Has(xs []string, x string) bool { return slices.Contains(xs, x) }

// Prior describes the Bayesian prior in Dutch.
func (Fmt) Prior() string {
	return "Voor de rangorde telt elk aanbod alsof het al " + Hours(PriorWeight) + " beoordelingen van " +
		Decimal(PriorMean) + " sterren heeft (een Bayesiaans gemiddelde), zodat één enkele 5-sterrenreview niet boven veel goede reviews uitkomt. " +
		"Een review van iemand van wie het platform niet kan aantonen dat hij heeft deelgenomen, telt daarin voor " + strings.Replace(strconv.FormatFloat(UnverifiedWeight, 'f', -1, 64), ".", ",", 1) +
		" keer mee; een review van een aantoonbare deelnemer voor 1."
}

// QuoteStatus is a quote's status label.
func (Fmt) QuoteStatus(v string) string { return QuoteStatuses.Label(v) }

// Euro formats optional cents; "–" for nil.
func (Fmt) Euro(cents *int64) string {
	if cents == nil {
		return "–"
	}
	return Euros(*cents)
}

// Plural picks one or many by n.
func (Fmt) Plural(n int, one, many string) string { return plural(n, one, many) }

// Lists are the fixed lists for forms and filters.
type Lists struct{}

// ProviderKinds lists provider kinds.
func (Lists) ProviderKinds() Options { return ProviderKinds }

// OfferingKinds lists offering kinds.
func (Lists) OfferingKinds() Options { return OfferingKinds }

// Themes lists themes.
func (Lists) Themes() Options { return Themes }

// Provinces lists provinces.
func (Lists) Provinces() Options { return Provinces }

// Formats lists formats.
func (Lists) Formats() Options { return Formats }

// Languages lists languages.
func (Lists) Languages() Options { return Languages }

// QualityMarks lists the quality marks a provider may declare.
func (Lists) QualityMarks() Options { return QualityMarks }

// VATRates lists the VAT rates.
func (Lists) VATRates() Options { return VATRates }

// QuoteBudgets lists the budget indications of a quote request.
func (Lists) QuoteBudgets() Options { return QuoteBudgets }

// Budgets lists pilot budget ranges.
func (Lists) Budgets() Options { return Budgets }

// Sorts lists search sort orders.
func (Lists) Sorts() Options { return Sorts }

// Criteria lists the review criteria.
func (Lists) Criteria() Options { return Criteria }

// Scores are the possible scores.
func (Lists) Scores() []int { return []int{5, 4, 3, 2, 1} }
