package catalogue

// The prior of the Bayesian average: every offering starts as if it had
// PriorWeight reviews of PriorMean stars, so one 5-star review does not
// outrank fifty reviews averaging 4.6. Shown on the pages that rank by it.
const (
	PriorMean   = 3.5
	PriorWeight = 5
)

// Bayesian is the Bayesian average of n scores summing to sum.
func Bayesian(sum float64, n int) float64 {
	return (PriorWeight*PriorMean + sum) / float64(PriorWeight+n)
}

// Aggregate summarises the visible reviews of an offering or a provider.
type Aggregate struct {
	Count        int                `json:"count"`
	Mean         float64            `json:"mean"`
	Criteria     map[string]float64 `json:"criteria"`     // criterion → mean
	Distribution [5]int             `json:"distribution"` // index 0 = 1 star … 4 = 5 stars
	Bayes        float64            `json:"bayesian"`
}

// Stars lists the distribution from 5 stars down to 1, for display.
func (a Aggregate) Stars() []StarCount {
	out := make([]StarCount, 0, 5)
	for s := 5; s >= 1; s-- {
		out = append(out, StarCount{Stars: s, Count: a.Distribution[s-1], Percent: percent(a.Distribution[s-1], a.Count)})
	}
	return out
}

// StarCount is one bar of the star distribution.
type StarCount struct{ Stars, Count, Percent int }

func percent(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return (part*100 + whole/2) / whole
}
