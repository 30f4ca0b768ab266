package scorm_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ambtenaar20/leeromgeving/content"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
)

// scoreCase is one thing both scorers compute: the points of an answer,
// a number as read, or the percentage of an attempt.
type scoreCase struct {
	Kind    string                       `json:"kind"`
	Q       *courses.Question            `json:"q,omitempty"`
	A       courses.Answer               `json:"a"`
	S       string                       `json:"s,omitempty"`
	Pool    map[string]*courses.Question `json:"pool,omitempty"`
	Layout  []courses.Slot               `json:"layout,omitempty"`
	Answers map[string]courses.Answer    `json:"answers,omitempty"`
}

// nodeScores runs the package's toets-score.js in Node on the cases.
func nodeScores(t *testing.T, cases []scoreCase) []*float64 {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node not found: install it with `apt-get install -y nodejs` (make test does this when run as root)")
	}
	lib, err := filepath.Abs("runtime/toets-score.js")
	if err != nil {
		t.Fatal(err)
	}
	script := `const S = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map(c => {
  switch (c.kind) {
    case "score": return S.score(c.q, c.a);
    case "parse": return S.parseNumber(c.s);
    case "attempt": return S.scoreAttempt(c.pool, c.layout, c.answers).pct;
    case "check": return S.checkAnswer(c.q, c.a) === "" ? 1 : 0;
  }
})));`
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "-e", script, lib)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var res []*float64
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node output %s: %v", out, err)
	}
	if len(res) != len(cases) {
		t.Fatalf("%d results for %d cases", len(res), len(cases))
	}
	return res
}

// goScore computes a case with the site's scoring.
func goScore(c scoreCase) *float64 {
	var v float64
	switch c.Kind {
	case "score":
		v = courses.Score(c.Q, c.A)
	case "parse":
		f, ok := courses.ParseNumber(c.S)
		if !ok {
			return nil
		}
		v = f
	case "attempt":
		_, v = courses.ScoreAttempt(c.Pool, c.Layout, c.Answers)
	case "check":
		if c.A.Validate(c.Q) == "" {
			v = 1
		}
	}
	return &v
}

var numbers = []string{"2,5", "2.5", " 12 ", "12", "1.000", "1.000,5", "1e3", "1E-2", "+3", "-.5", "5.", ".", "-", "+", "e5",
	"0x1p-2", "0X1.8P1", "1__000", "_1", "1_", "1_,5", "1_0,5", "0x_1p0", "0x1_0p1", "0x10", "0x.8p1", "abc", "", "  ", "Infinity", "-Infinity", "NaN", "inf", "1_000", "١٢", "\u00a012\u00a0",
	"\u200912", "\ufeff12", "12\u0085", "\u300012", "1,2,3", "1e400", "-1e-400", "007", "72", "71,5", "72,0000001", "0,1", "0.30000000000000004",
	"1 2", "--1", "1e", "2,5e1", "12abc", strings.Repeat("1", 41), "3.14159265358979323846264338327950288"}

// texts are answers typed to short-answer questions: case, accents,
// punctuation at the ends, spaces of every kind, scripts other than Latin.
var texts = []string{"", " ", "wet open overheid", "WET OPEN OVERHEID", " Wet  Open\tOverheid. ", "Wét ópen overhéid!", "¿Wet open overheid?",
	"wet-open-overheid", "Woo", "woo.", "café", "CAFÉ", "Cafe\u0301", "cafe", "ΟΔΟΣ", "οδος", "οδοσ", "İstanbul", "istanbul", "ISTANBUL",
	"Ærø", "aero", "straße", "STRASSE", "ﬁets", "fiets", "\u00a0fiets\u00a0", "fiets\u0085", "\ufefffiets", "“fiets”", "fiets 💡", "…fiets…"}

// The quiz in the package scores every answer exactly as the site does:
// each shipped question with many answers right, wrong and odd, numbers
// as Dutch learners type them, short answers in every spelling, and whole
// attempts drawn the site's way.
func TestScoring_MatchesSite(t *testing.T) {
	var pool []courses.Question
	shipped, err := content.Courses()
	if err != nil {
		t.Fatal(err)
	}
	for _, fsys := range shipped {
		doc, err := courses.ReadFolder(fsys)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range doc.Modules {
			for _, it := range m.Items {
				if it.Quiz != nil {
					pool = append(pool, it.Quiz.StoredQuestions()...)
				}
			}
		}
	}
	tf := true
	five, tol := 72.0, 0.5
	pool = append(pool,
		courses.Question{Key: "x-num", Type: courses.TypeNumeric, Number: &five, Tolerance: tol},
		courses.Question{Key: "x-num0", Type: courses.TypeNumeric, Number: new(float64)},
		courses.Question{Key: "x-text", Type: courses.TypeText, Accepted: []string{"Wet open overheid", "Woo", "café", "ΟΔΟΣ", "İstanbul", "Ærø", "straße", "fiets"}},
		courses.Question{Key: "x-tf", Type: courses.TypeTrueFalse, Answer: &tf},
		courses.Question{Key: "x-all", Type: courses.TypeMultiple, Scoring: courses.ScoringAllOrNothing, Options: []courses.Option{
			{ID: "a", Correct: true}, {ID: "b"}, {ID: "c", Correct: true}}},
	)
	rnd := rand.New(rand.NewPCG(1, 2))
	var cases []scoreCase
	add := func(q *courses.Question, a courses.Answer) {
		cases = append(cases, scoreCase{Kind: "score", Q: q, A: a}, scoreCase{Kind: "check", Q: q, A: a})
	}
	kinds := map[string]int{}
	for i := range pool {
		q := &pool[i]
		kinds[q.Type]++
		add(q, courses.CorrectAnswer(q))
		add(q, courses.Answer{})
		switch q.Type {
		case courses.TypeSingle:
			for _, o := range q.Options {
				add(q, courses.Answer{Option: o.ID})
			}
			add(q, courses.Answer{Option: "zz"})
		case courses.TypeMultiple:
			for mask := 0; mask < 1<<len(q.Options); mask++ {
				var ids []string
				for j, o := range q.Options {
					if mask&(1<<j) != 0 {
						ids = append(ids, o.ID)
					}
				}
				add(q, courses.Answer{Options: ids})
			}
		case courses.TypeTrueFalse:
			f := false
			add(q, courses.Answer{Value: &tf})
			add(q, courses.Answer{Value: &f})
		case courses.TypeNumeric:
			n := *q.Number
			for _, s := range append(numbers, fmtNum(n), fmtNum(n+q.Tolerance), fmtNum(n-q.Tolerance), fmtNum(n+q.Tolerance+1e-6),
				strings.Replace(fmtNum(n+q.Tolerance/2), ".", ",", 1)) {
				add(q, courses.Answer{Number: s})
			}
		case courses.TypeText:
			for _, s := range append(texts, q.Accepted...) {
				add(q, courses.Answer{Text: s})
				add(q, courses.Answer{Text: strings.ToUpper(s) + " ."})
			}
		case courses.TypeOrdering:
			ids := make([]string, len(q.Options))
			for j, o := range q.Options {
				ids[j] = o.ID
			}
			for range 60 {
				rnd.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
				add(q, courses.Answer{Order: append([]string(nil), ids...)})
			}
			add(q, courses.Answer{Order: ids[:len(ids)-1]})
			add(q, courses.Answer{Order: append(append([]string(nil), ids[1:]...), ids[1])})
		}
	}
	for _, typ := range []string{courses.TypeSingle, courses.TypeMultiple, courses.TypeTrueFalse, courses.TypeNumeric, courses.TypeText, courses.TypeOrdering} {
		if kinds[typ] == 0 {
			t.Errorf("no question of type %s to compare", typ)
		}
	}
	for _, s := range numbers {
		cases = append(cases, scoreCase{Kind: "parse", S: s})
	}
	// One pool of every question, keys made unique across the quizzes.
	qs := make([]courses.Question, len(pool))
	for i, q := range pool {
		qs[i] = q
		qs[i].Key = q.Key + "-" + strconv.Itoa(i)
	}
	pm := map[string]*courses.Question{}
	for i := range qs {
		pm[qs[i].Key] = &qs[i]
	}
	for range 200 {
		layout := courses.Draw(qs, 1+rnd.IntN(len(qs)), rnd.IntN(2) == 0, rnd.IntN(2) == 0, rnd)
		answers := map[string]courses.Answer{}
		for _, s := range layout {
			if rnd.IntN(3) > 0 {
				answers[s.Key] = courses.CorrectAnswer(pm[s.Key])
			}
		}
		cases = append(cases, scoreCase{Kind: "attempt", Pool: pm, Layout: layout, Answers: answers})
	}

	got := nodeScores(t, cases)
	for i, c := range cases {
		want := goScore(c)
		if (want == nil) != (got[i] == nil) || (want != nil && *want != *got[i]) {
			t.Errorf("%s %s %+v: site %v, package %v", c.Kind, questionKey(c), answerOf(c), show(want), show(got[i]))
		}
	}
	t.Logf("%d cases compared", len(cases))
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func questionKey(c scoreCase) string {
	if c.Q != nil {
		return c.Q.Key + " (" + c.Q.Type + ")"
	}
	return ""
}

func answerOf(c scoreCase) any {
	if c.Kind == "parse" {
		return strconv.Quote(c.S)
	}
	return c.A
}

func show(f *float64) string {
	if f == nil {
		return "geen getal"
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}
