package courses

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Question types.
const (
	TypeSingle    = "single"    // one correct option
	TypeMultiple  = "multiple"  // one or more correct options
	TypeTrueFalse = "truefalse" // a statement that is true or false
	TypeNumeric   = "numeric"   // a number, within a tolerance
	TypeText      = "text"      // a short answer from a list of accepted answers
	TypeOrdering  = "ordering"  // options to put in the right order
)

// QuestionTypes are the types with their Dutch names, in the order offered to authors.
var QuestionTypes = []struct{ Value, Label string }{
	{TypeSingle, "Eén antwoord goed"},
	{TypeMultiple, "Meerdere antwoorden goed"},
	{TypeTrueFalse, "Waar of niet waar"},
	{TypeNumeric, "Getal"},
	{TypeText, "Kort antwoord"},
	{TypeOrdering, "Volgorde"},
}

// Scoring modes of multiple-response questions.
const (
	ScoringPartial      = "partial"
	ScoringAllOrNothing = "all_or_nothing"
)

// Question is one question of a quiz's pool, with its answer key. The key
// and option ids are stable across revisions of the quiz.
type Question struct {
	Key       string   `json:"key"`
	Type      string   `json:"type"`
	Text      string   `json:"text"`
	Feedback  string   `json:"feedback,omitempty"`
	Scoring   string   `json:"scoring,omitempty"`   // multiple
	Options   []Option `json:"options,omitempty"`   // single, multiple, ordering (in the correct order)
	Answer    *bool    `json:"answer,omitempty"`    // truefalse
	Number    *float64 `json:"number,omitempty"`    // numeric
	Tolerance float64  `json:"tolerance,omitempty"` // numeric
	Accepted  []string `json:"accepted,omitempty"`  // text
}

// Option is a choice of a question, with the feedback shown for it.
type Option struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Correct  bool   `json:"correct,omitempty"`
	Feedback string `json:"feedback,omitempty"`
}

// option returns the option with id.
func (q *Question) option(id string) (Option, bool) {
	for _, o := range q.Options {
		if o.ID == id {
			return o, true
		}
	}
	return Option{}, false
}

// Check returns the problems of a question, in Dutch, for authors.
func (q *Question) Check() []string {
	var p []string
	if strings.TrimSpace(q.Text) == "" {
		p = append(p, "de vraagtekst ontbreekt")
	}
	if len(q.Text) > 2000 {
		p = append(p, "de vraagtekst is langer dan 2000 tekens")
	}
	correct := 0
	for _, o := range q.Options {
		if strings.TrimSpace(o.Text) == "" {
			p = append(p, "een antwoordmogelijkheid is leeg")
		}
		if o.Correct {
			correct++
		}
	}
	switch q.Type {
	case TypeSingle:
		if len(q.Options) < 2 || len(q.Options) > 8 {
			p = append(p, "geef 2 tot 8 antwoordmogelijkheden")
		}
		if correct != 1 {
			p = append(p, fmt.Sprintf("precies één antwoord moet goed zijn (nu %d)", correct))
		}
	case TypeMultiple:
		if len(q.Options) < 2 || len(q.Options) > 8 {
			p = append(p, "geef 2 tot 8 antwoordmogelijkheden")
		}
		if correct < 1 {
			p = append(p, "minstens één antwoord moet goed zijn")
		}
		if q.Scoring != ScoringPartial && q.Scoring != ScoringAllOrNothing {
			p = append(p, `kies de puntentelling "partial" of "all_or_nothing"`)
		}
	case TypeTrueFalse:
		if q.Answer == nil {
			p = append(p, "geef aan of de stelling waar of niet waar is (answer: true of false)")
		}
	case TypeNumeric:
		if q.Number == nil || math.IsNaN(*q.Number) || math.IsInf(*q.Number, 0) {
			p = append(p, "het goede getal (answer) ontbreekt")
		}
		if q.Tolerance < 0 || math.IsNaN(q.Tolerance) {
			p = append(p, "de marge (tolerance) mag niet negatief zijn")
		}
	case TypeText:
		if len(q.Accepted) == 0 {
			p = append(p, "geef minstens één goed antwoord (accepted)")
		}
		for _, a := range q.Accepted {
			if normalizeText(a) == "" {
				p = append(p, "een goed antwoord is leeg")
			}
		}
	case TypeOrdering:
		if len(q.Options) < 3 || len(q.Options) > 8 {
			p = append(p, "geef 3 tot 8 onderdelen om te ordenen")
		}
	default:
		p = append(p, fmt.Sprintf("onbekend vraagtype %q (kies single, multiple, truefalse, numeric, text of ordering)", q.Type))
	}
	return p
}

// Answer is a learner's answer to one question, as stored with the attempt.
// Only the field of the question's type is used.
type Answer struct {
	Option  string   `json:"option,omitempty"`  // single
	Options []string `json:"options,omitempty"` // multiple
	Value   *bool    `json:"value,omitempty"`   // truefalse
	Number  string   `json:"number,omitempty"`  // numeric, as typed
	Text    string   `json:"text,omitempty"`    // text
	Order   []string `json:"order,omitempty"`   // ordering
}

// Empty reports whether nothing was answered.
func (a Answer) Empty() bool {
	return a.Option == "" && len(a.Options) == 0 && a.Value == nil && strings.TrimSpace(a.Number) == "" &&
		strings.TrimSpace(a.Text) == "" && len(a.Order) == 0
}

// Validate checks that a refers only to options of q and is well-formed.
// It returns a Dutch message, or "".
func (a Answer) Validate(q *Question) string {
	switch q.Type {
	case TypeSingle:
		if a.Option != "" {
			if _, ok := q.option(a.Option); !ok {
				return "Dit antwoord hoort niet bij deze vraag."
			}
		}
	case TypeMultiple:
		seen := map[string]bool{}
		for _, id := range a.Options {
			if _, ok := q.option(id); !ok || seen[id] {
				return "Dit antwoord hoort niet bij deze vraag."
			}
			seen[id] = true
		}
	case TypeNumeric:
		if strings.TrimSpace(a.Number) != "" {
			if _, ok := ParseNumber(a.Number); !ok {
				return "Vul een getal in, bijvoorbeeld 12 of 2,5."
			}
		}
		if len(a.Number) > 40 {
			return "Dit getal is te lang."
		}
	case TypeText:
		if len(a.Text) > 500 {
			return "Het antwoord mag hoogstens 500 tekens lang zijn."
		}
	case TypeOrdering:
		if len(a.Order) == 0 {
			return ""
		}
		if len(a.Order) != len(q.Options) {
			return "Geef elk onderdeel een eigen plaats."
		}
		seen := map[string]bool{}
		for _, id := range a.Order {
			if _, ok := q.option(id); !ok || seen[id] {
				return "Geef elk onderdeel een eigen plaats."
			}
			seen[id] = true
		}
	}
	return ""
}

// ParseNumber reads a number as a Dutch learner types it: "2,5", "2.5",
// "1.000" is not accepted as thousand grouping (it is 1.0), " 12 " is 12.
func ParseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.Count(s, ",")+strings.Count(s, ".") > 1 {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// Score returns the points (0..1) that a earns on q.
func Score(q *Question, a Answer) float64 {
	switch q.Type {
	case TypeSingle:
		o, ok := q.option(a.Option)
		return boolPoints(ok && o.Correct)
	case TypeMultiple:
		return scoreMultiple(q, a.Options)
	case TypeTrueFalse:
		return boolPoints(a.Value != nil && q.Answer != nil && *a.Value == *q.Answer)
	case TypeNumeric:
		f, ok := ParseNumber(a.Number)
		// A small epsilon keeps 0.1+0.2-style float noise from failing an exact answer.
		return boolPoints(ok && q.Number != nil && math.Abs(f-*q.Number) <= q.Tolerance+1e-9)
	case TypeText:
		got := normalizeText(a.Text)
		return boolPoints(got != "" && slices.ContainsFunc(q.Accepted, func(s string) bool { return normalizeText(s) == got }))
	case TypeOrdering:
		if len(a.Order) != len(q.Options) {
			return 0
		}
		right := 0
		for i, o := range q.Options {
			if a.Order[i] == o.ID {
				right++
			}
		}
		return float64(right) / float64(len(q.Options))
	}
	return 0
}

func boolPoints(ok bool) float64 {
	if ok {
		return 1
	}
	return 0
}

// scoreMultiple gives partial credit as (right choices − wrong choices) /
// correct options, never below 0; all-or-nothing needs the exact set.
func scoreMultiple(q *Question, chosen []string) float64 {
	correct, right, wrong := 0, 0, 0
	set := map[string]bool{}
	for _, id := range chosen {
		set[id] = true
	}
	for _, o := range q.Options {
		if o.Correct {
			correct++
			if set[o.ID] {
				right++
			}
		} else if set[o.ID] {
			wrong++
		}
	}
	if correct == 0 {
		return 0
	}
	if q.Scoring == ScoringAllOrNothing {
		return boolPoints(right == correct && wrong == 0)
	}
	return math.Max(0, float64(right-wrong)/float64(correct))
}

// normalizeText compares short answers ignoring case, accents, punctuation
// at the ends and runs of spaces: " Wet Open Overheid." matches "wet open overheid".
func normalizeText(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.ToLower(strings.Join(strings.Fields(out), " "))
	return strings.TrimFunc(out, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
}

// Slot is one drawn question of an attempt, with its options in the order
// shown to this learner.
type Slot struct {
	Key     string   `json:"key"`
	Options []string `json:"options,omitempty"`
}

// Draw picks the questions of a new attempt: draw of the pool (all when 0),
// in pool order or shuffled, with option orders shuffled when asked.
// Ordering questions always show their options shuffled.
func Draw(qs []Question, draw int, shuffleQuestions, shuffleOptions bool, rnd *rand.Rand) []Slot {
	idx := make([]int, len(qs))
	for i := range idx {
		idx[i] = i
	}
	if draw > 0 && draw < len(qs) {
		rnd.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		idx = idx[:draw]
		if !shuffleQuestions {
			slices.Sort(idx)
		}
	} else if shuffleQuestions {
		rnd.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	}
	slots := make([]Slot, 0, len(idx))
	for _, i := range idx {
		q := qs[i]
		s := Slot{Key: q.Key}
		for _, o := range q.Options {
			s.Options = append(s.Options, o.ID)
		}
		if q.Type == TypeOrdering || (shuffleOptions && q.Type != TypeTrueFalse) {
			shuffleAway(s.Options, rnd)
		}
		slots = append(slots, s)
	}
	return slots
}

// shuffleAway shuffles ids, and for more than one id makes sure the result
// differs from the original order (so an ordering question is never shown solved).
func shuffleAway(ids []string, rnd *rand.Rand) {
	if len(ids) < 2 {
		return
	}
	orig := slices.Clone(ids)
	for i := 0; i < 10; i++ {
		rnd.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
		if !slices.Equal(ids, orig) {
			return
		}
	}
	ids[0], ids[1] = ids[1], ids[0]
}

// QuestionResult is the outcome of one question of a scored attempt.
type QuestionResult struct {
	Key    string  `json:"key"`
	Points float64 `json:"points"`
}

// ScoreAttempt scores every drawn question and returns the results and the
// score as a percentage with two decimals. Unanswered questions earn 0.
func ScoreAttempt(pool map[string]*Question, layout []Slot, answers map[string]Answer) ([]QuestionResult, float64) {
	if len(layout) == 0 {
		return nil, 0
	}
	res := make([]QuestionResult, 0, len(layout))
	total := 0.0
	for _, s := range layout {
		q, ok := pool[s.Key]
		p := 0.0
		if ok {
			p = Score(q, answers[s.Key])
		}
		total += p
		res = append(res, QuestionResult{Key: s.Key, Points: p})
	}
	return res, math.Floor(total/float64(len(layout))*10000) / 100
}

// CorrectAnswer is a full-marks answer to q (for demo data and tests).
func CorrectAnswer(q *Question) Answer {
	var a Answer
	switch q.Type {
	case TypeSingle:
		for _, o := range q.Options {
			if o.Correct {
				a.Option = o.ID
			}
		}
	case TypeMultiple:
		for _, o := range q.Options {
			if o.Correct {
				a.Options = append(a.Options, o.ID)
			}
		}
	case TypeTrueFalse:
		a.Value = q.Answer
	case TypeNumeric:
		if q.Number != nil {
			a.Number = strconv.FormatFloat(*q.Number, 'f', -1, 64)
		}
	case TypeText:
		if len(q.Accepted) > 0 {
			a.Text = q.Accepted[0]
		}
	case TypeOrdering:
		for _, o := range q.Options {
			a.Order = append(a.Order, o.ID)
		}
	}
	return a
}
