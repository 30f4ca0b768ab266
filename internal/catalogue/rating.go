package catalogue

// The prior of the Bayesian average: every offering starts as if it had
// PriorWeight reviews of PriorMean stars, so one 5-star review does not
// outrank fifty reviews averaging 4.6. A review whose author the platform
// cannot show to have taken part counts for UnverifiedWeight of a review
// with proof. Shown on the pages that rank by it. The database computes
// the stored ranking with the same numbers (catalogue_recompute_ratings);
// TestRating_SameAsDatabase keeps the two equal.
const (
	PriorMean        = 3.5
	PriorWeight      = 5
	UnverifiedWeight = 0.5
)

// Bayesian is the Bayesian average of reviews whose weights sum to weight
// and whose weighted scores sum to sum (a review with proof weighs 1).
func Bayesian(sum, weight float64) float64 {
	return (PriorWeight*PriorMean + sum) / (PriorWeight + weight)
}

// Aggregate summarises the visible reviews of an offering or a provider.
type Aggregate struct {
	Count        int                `json:"count"`
	Verified     int                `json:"verified_count"`
	Mean         float64            `json:"mean"`
	Criteria     map[string]float64 `json:"criteria"`     // criterion → mean
	Distribution [5]int             `json:"distribution"` // index 0 = 1 star … 4 = 5 stars
	Bayes        float64            `json:"bayesian"`
}

// Unverified is the number of reviews without proof of participation.
func (a Aggregate) Unverified() int { return a.Count - a.Verified }

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
