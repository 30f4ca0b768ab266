package courses

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func opts(correct ...bool) []Option {
	var o []Option
	for i, c := range correct {
		o = append(o, Option{ID: string(rune('a' + i)), Text: "optie", Correct: c})
	}
	return o
}

func TestScore(t *testing.T) {
	single := &Question{Type: TypeSingle, Options: opts(false, true, false)}
	partial := &Question{Type: TypeMultiple, Scoring: ScoringPartial, Options: opts(true, true, false, false)}
	strict := &Question{Type: TypeMultiple, Scoring: ScoringAllOrNothing, Options: opts(true, true, false)}
	tf := &Question{Type: TypeTrueFalse, Answer: ptr(false)}
	num := &Question{Type: TypeNumeric, Number: ptr(72.0)}
	numTol := &Question{Type: TypeNumeric, Number: ptr(2.5), Tolerance: 0.25}
	text := &Question{Type: TypeText, Accepted: []string{"Wet open overheid", "Woo"}}
	order := &Question{Type: TypeOrdering, Options: opts(false, false, false, false)}

	tests := []struct {
		name string
		q    *Question
		a    Answer
		want float64
	}{
		{"single right", single, Answer{Option: "b"}, 1},
		{"single wrong", single, Answer{Option: "a"}, 0},
		{"single unknown option", single, Answer{Option: "z"}, 0},
		{"single empty", single, Answer{}, 0},
		{"partial all right", partial, Answer{Options: []string{"a", "b"}}, 1},
		{"partial half", partial, Answer{Options: []string{"a"}}, 0.5},
		{"partial one right one wrong", partial, Answer{Options: []string{"a", "c"}}, 0},
		{"partial floored at zero", partial, Answer{Options: []string{"c", "d"}}, 0},
		{"partial everything ticked", partial, Answer{Options: []string{"a", "b", "c", "d"}}, 0},
		{"strict exact", strict, Answer{Options: []string{"b", "a"}}, 1},
		{"strict missing one", strict, Answer{Options: []string{"a"}}, 0},
		{"strict one too many", strict, Answer{Options: []string{"a", "b", "c"}}, 0},
		{"truefalse right", tf, Answer{Value: ptr(false)}, 1},
		{"truefalse wrong", tf, Answer{Value: ptr(true)}, 0},
		{"truefalse unanswered", tf, Answer{}, 0},
		{"numeric exact", num, Answer{Number: "72"}, 1},
		{"numeric spaces", num, Answer{Number: " 72 "}, 1},
		{"numeric comma decimal", numTol, Answer{Number: "2,7"}, 1},
		{"numeric at tolerance edge", numTol, Answer{Number: "2.75"}, 1},
		{"numeric outside tolerance", numTol, Answer{Number: "2.76"}, 0},
		{"numeric garbage", num, Answer{Number: "tweeënzeventig"}, 0},
		{"numeric two separators", num, Answer{Number: "7.2,0"}, 0},
		{"numeric NaN", num, Answer{Number: "NaN"}, 0},
		{"text exact", text, Answer{Text: "Woo"}, 1},
		{"text case and spaces", text, Answer{Text: "  wet   OPEN overheid  "}, 1},
		{"text trailing full stop", text, Answer{Text: "De Woo."}, 0},
		{"text accents ignored", &Question{Type: TypeText, Accepted: []string{"privé"}}, Answer{Text: "PRIVE"}, 1},
		{"text accents in key", &Question{Type: TypeText, Accepted: []string{"prive"}}, Answer{Text: "privé"}, 1},
		{"text wrong", text, Answer{Text: "Wob"}, 0},
		{"text empty never matches", &Question{Type: TypeText, Accepted: []string{" "}}, Answer{Text: ""}, 0},
		{"ordering right", order, Answer{Order: []string{"a", "b", "c", "d"}}, 1},
		{"ordering half", order, Answer{Order: []string{"a", "b", "d", "c"}}, 0.5},
		{"ordering reversed", order, Answer{Order: []string{"d", "c", "b", "a"}}, 0},
		{"ordering incomplete", order, Answer{Order: []string{"a", "b"}}, 0},
		{"unknown type", &Question{Type: "essay"}, Answer{Text: "x"}, 0},
	}
	for _, tt := range tests {
		if got := Score(tt.q, tt.a); got != tt.want {
			t.Errorf("%s: Score = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAnswerValidate(t *testing.T) {
	single := &Question{Type: TypeSingle, Options: opts(true, false)}
	multi := &Question{Type: TypeMultiple, Scoring: ScoringPartial, Options: opts(true, false)}
	order := &Question{Type: TypeOrdering, Options: opts(false, false, false)}
	num := &Question{Type: TypeNumeric, Number: ptr(1.0)}
	tests := []struct {
		name string
		q    *Question
		a    Answer
		ok   bool
	}{
		{"single known", single, Answer{Option: "a"}, true},
		{"single foreign option", single, Answer{Option: "x"}, false},
		{"multi duplicate", multi, Answer{Options: []string{"a", "a"}}, false},
		{"multi foreign", multi, Answer{Options: []string{"a", "q"}}, false},
		{"order complete", order, Answer{Order: []string{"c", "a", "b"}}, true},
		{"order duplicate", order, Answer{Order: []string{"a", "a", "b"}}, false},
		{"order short", order, Answer{Order: []string{"a", "b"}}, false},
		{"numeric malformed", num, Answer{Number: "12abc"}, false},
		{"numeric ok", num, Answer{Number: "-3,5"}, true},
		{"numeric blank", num, Answer{Number: ""}, true},
	}
	for _, tt := range tests {
		if got := tt.a.Validate(tt.q); (got == "") != tt.ok {
			t.Errorf("%s: Validate = %q, want ok=%v", tt.name, got, tt.ok)
		}
	}
}

func TestQuestionCheck(t *testing.T) {
	good := []Question{
		{Type: TypeSingle, Text: "v", Options: opts(true, false)},
		{Type: TypeMultiple, Text: "v", Scoring: ScoringPartial, Options: opts(true, true, false)},
		{Type: TypeTrueFalse, Text: "v", Answer: ptr(true)},
		{Type: TypeNumeric, Text: "v", Number: ptr(0.0)},
		{Type: TypeText, Text: "v", Accepted: []string{"x"}},
		{Type: TypeOrdering, Text: "v", Options: opts(false, false, false)},
	}
	for _, q := range good {
		if p := q.Check(); len(p) > 0 {
			t.Errorf("%s: unexpected problems %v", q.Type, p)
		}
	}
	bad := []Question{
		{Type: TypeSingle, Text: "v", Options: opts(true, true)},
		{Type: TypeSingle, Text: "", Options: opts(true, false)},
		{Type: TypeMultiple, Text: "v", Scoring: "half", Options: opts(true, false)},
		{Type: TypeMultiple, Text: "v", Scoring: ScoringPartial, Options: opts(false, false)},
		{Type: TypeTrueFalse, Text: "v"},
		{Type: TypeNumeric, Text: "v"},
		{Type: TypeNumeric, Text: "v", Number: ptr(1.0), Tolerance: -1},
		{Type: TypeText, Text: "v"},
		{Type: TypeOrdering, Text: "v", Options: opts(false, false)},
		{Type: "essay", Text: "v"},
	}
	for _, q := range bad {
		if p := q.Check(); len(p) == 0 {
			t.Errorf("%+v: no problem found", q)
		}
	}
}

func TestDraw(t *testing.T) {
	var pool []Question
	for i := 0; i < 10; i++ {
		pool = append(pool, Question{Key: string(rune('A' + i)), Type: TypeOrdering, Options: opts(false, false, false)})
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 50; i++ {
		slots := Draw(pool, 4, false, false, rnd)
		if len(slots) != 4 {
			t.Fatalf("drew %d", len(slots))
		}
		keys := []string{}
		for _, s := range slots {
			keys = append(keys, s.Key)
			if slices.Equal(s.Options, []string{"a", "b", "c"}) {
				t.Fatal("ordering question shown in its solved order")
			}
		}
		if !slices.IsSorted(keys) {
			t.Fatalf("without shuffling, drawn questions keep pool order: %v", keys)
		}
	}
	if got := Draw(pool, 0, false, false, rnd); len(got) != 10 || got[0].Key != "A" {
		t.Fatalf("draw 0 = all in order, got %v", got)
	}
}

func TestScoreAttempt(t *testing.T) {
	qs := []Question{
		{Key: "q1", Type: TypeTrueFalse, Answer: ptr(true)},
		{Key: "q2", Type: TypeTrueFalse, Answer: ptr(true)},
		{Key: "q3", Type: TypeTrueFalse, Answer: ptr(true)},
	}
	rev := QuizRevision{Questions: qs}
	layout := []Slot{{Key: "q1"}, {Key: "q2"}, {Key: "q3"}}
	res, pct := ScoreAttempt(rev.Pool(), layout, map[string]Answer{"q1": {Value: ptr(true)}, "q2": {Value: ptr(false)}})
	if pct != 33.33 || len(res) != 3 || res[0].Points != 1 || res[2].Points != 0 {
		t.Fatalf("pct = %v, res = %v", pct, res)
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"12", "2,5", "-0.25", " 7 ", "1e3", "NaN", "Inf", "1.000,5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseNumber(s)
		if ok && (v != v) {
			t.Fatalf("%q parsed to NaN", s)
		}
		q := &Question{Type: TypeNumeric, Number: ptr(1.0)}
		_ = Score(q, Answer{Number: s})
		_ = Answer{Number: s}.Validate(q)
	})
}

type formMap map[string][]string

func (f formMap) Values(n string) []string { return f[n] }
func (f formMap) Names() []string {
	var out []string
	for k := range f {
		out = append(out, k)
	}
	return out
}

func decodePool() ([]Slot, map[string]*Question) {
	rev := QuizRevision{Questions: []Question{
		{Key: "q1", Type: TypeSingle, Options: opts(true, false)},
		{Key: "q2", Type: TypeMultiple, Scoring: ScoringPartial, Options: opts(true, true, false)},
		{Key: "q3", Type: TypeTrueFalse, Answer: ptr(true)},
		{Key: "q4", Type: TypeNumeric, Number: ptr(3.0)},
		{Key: "q5", Type: TypeText, Accepted: []string{"x"}},
		{Key: "q6", Type: TypeOrdering, Options: opts(false, false, false)},
		{Key: "q7", Type: TypeTrueFalse, Answer: ptr(true)}, // in the pool, not drawn
	}}
	layout := []Slot{{Key: "q1"}, {Key: "q2"}, {Key: "q3"}, {Key: "q4"}, {Key: "q5"}, {Key: "q6"}}
	return layout, rev.Pool()
}

func TestDecodeFormAnswers(t *testing.T) {
	layout, pool := decodePool()
	good := formMap{"_csrf": {"t"}, "q_q1": {"a"}, "q_q2": {"a", "b"}, "q_q3": {"onwaar"}, "q_q4": {"3,0"}, "q_q5": {" x "},
		"q_q6_a": {"3"}, "q_q6_b": {"1"}, "q_q6_c": {"2"}}
	got, err := DecodeFormAnswers(good, layout, pool)
	if err != nil {
		t.Fatal(err)
	}
	if got["q1"].Option != "a" || len(got["q2"].Options) != 2 || *got["q3"].Value || got["q4"].Number != "3,0" ||
		got["q5"].Text != "x" || !slices.Equal(got["q6"].Order, []string{"b", "c", "a"}) {
		t.Fatalf("decoded %+v", got)
	}
	bad := []formMap{
		{"q_q7": {"waar"}},      // a question of the pool, not of this attempt
		{"q_q99": {"a"}},        // no such question
		{"q_q1": {"z"}},         // an option of no question
		{"q_q2": {"a", "a"}},    // the same option twice
		{"q_q3": {"misschien"}}, // neither true nor false
		{"q_q4": {"drie"}},      // not a number
		{"q_q6_a": {"1"}, "q_q6_b": {"1"}, "q_q6_c": {"2"}}, // two in one place
		{"q_q6_a": {"1"}}, // incomplete ordering
		{"q_q6_z": {"1"}}, // foreign option of an ordering question
	}
	for _, f := range bad {
		if _, err := DecodeFormAnswers(f, layout, pool); err == nil {
			t.Errorf("%v accepted", f)
		}
	}
}

func FuzzDecodeFormAnswers(f *testing.F) {
	layout, pool := decodePool()
	f.Add("q_q1", "a", "q_q6_b", "2")
	f.Add("q_q4", "1e308", "q_q3", "waar")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		got, err := DecodeFormAnswers(formMap{k1: {v1}, k2: {v2}}, layout, pool)
		if err != nil {
			return
		}
		for key, a := range got {
			if msg := a.Validate(pool[key]); msg != "" {
				t.Fatalf("accepted an invalid answer %s=%+v: %s", key, a, msg)
			}
		}
	})
}
