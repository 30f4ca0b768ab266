package catalogue

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Euros formats cents as a Dutch amount: "€ 1.234,50", or "€ 1.234" for whole euros.
func Euros(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	s := "€ " + b.String()
	if c := cents % 100; c != 0 {
		s += fmt.Sprintf(",%02d", c)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Decimal formats x with one decimal and a Dutch comma: 4,3.
func Decimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', 1, 64), ".", ",", 1)
}

// Hours formats study hours without a needless ",0".
func Hours(x float64) string {
	if x == float64(int64(x)) {
		return strconv.FormatInt(int64(x), 10)
	}
	return Decimal(x)
}

// Stars renders a score out of five as filled and empty stars, for sighted
// readers; pages always give the number as text too.
func Stars(x float64) string {
	n := int(x + 0.5)
	n = min(max(n, 0), 5)
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// dateList formats start dates as Dutch dates.
func dateList(ds []time.Time, format func(time.Time) string) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = format(d)
	}
	return strings.Join(parts, ", ")
}

// labels maps values to their Dutch labels.
func labels(opts Options, values []string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = opts.Label(v)
	}
	return strings.Join(parts, ", ")
}

// plural picks the singular for n == 1 and the plural otherwise.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// dutchDate formats a day in Dutch: 15 maart 2027.
func dutchDate(t time.Time) string { return web.DutchDate(t) }
