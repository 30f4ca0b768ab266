package main

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// A learner enrols, reads every lesson, fails and then passes the quiz, and
// sees 100% on /mijn/voortgang.
func TestBrowser_LearnerCompletesCourse(t *testing.T) {
	base, db := startAppDB(t)
	svc := courses.NewService(db)
	doc, err := courses.ReadFolder(fstest.MapFS{
		"course.yaml": {Data: []byte("slug: e2e\ntitle: Browsercursus\nsummary: Voor de browsertest.\nstudy_hours: 1\nmodules:\n" +
			"  - title: Alles\n    items:\n      - lesson: les-1.md\n      - lesson: les-2.md\n      - quiz: toets.yaml\n")},
		"les-1.md": {Data: []byte("---\ntitle: Eerste les\nminutes: 3\n---\nWelkom bij de **eerste** les.\n")},
		"les-2.md": {Data: []byte("---\ntitle: Tweede les\nminutes: 3\n---\nDe tweede les.\n")},
		"toets.yaml": {Data: []byte("title: Slottoets\npass_mark: 100\nquestions:\n" +
			"  - type: truefalse\n    text: De Woo geldt voor de overheid.\n    answer: true\n" +
			"  - type: single\n    text: Welke wet gaat over openbaarheid?\n    options:\n      - text: Woo\n        correct: true\n      - text: Wegenverkeerswet\n        feedback: Nee, die gaat over het verkeer.\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := svc.Import(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetPublished(context.Background(), c.ID, true); err != nil {
		t.Fatal(err)
	}
	webtest.MustUser(t, db, "Lotte Leerling", "lotte@e2e.example", "Gemeente E2E")

	ctx := newBrowser(t)
	login(t, ctx, base, "lotte@e2e.example")
	must(t, ctx, "courses", chromedp.Navigate(base+"/cursussen"))
	leave(t, ctx, "open the course", chromedp.Click(chromedp.CSS(`a[href="/cursussen/e2e"]`)))
	leave(t, ctx, "enrol", chromedp.Click(chromedp.CSS(`form[action="/cursussen/e2e/inschrijven"] button`)))
	if got := textOf(t, ctx, "h1"); got != "Eerste les" {
		t.Fatalf("after enrolling the learner is on %q", got)
	}
	for _, next := range []string{"Tweede les", "Slottoets"} {
		leave(t, ctx, "mark read", chromedp.Click(chromedp.CSS(`form[action$="/gelezen"] button`)))
		waitText(t, ctx, "h1", next)
	}
	answer := func(tf, single string) {
		leave(t, ctx, "start", chromedp.Click(chromedp.CSS(`form[action$="/starten"] button`)))
		waitText(t, ctx, ".quiz-actions", "Inleveren")
		must(t, ctx, "answer",
			chromedp.Click(chromedp.CSS(`input[name="q_q1"][value="`+tf+`"]`)),
			chromedp.Click(chromedp.CSS(`input[name="q_q2"][value="`+single+`"]`)),
		)
		leave(t, ctx, "hand in", chromedp.Click(chromedp.CSS(`.quiz-actions button.button:not(.button-secondary)`)))
	}
	answer("waar", "b")
	waitText(t, ctx, ".score", "50% Niet gehaald")
	if got := textOf(t, ctx, ".question-result.q-wrong .feedback"); !strings.Contains(got, "verkeer") {
		t.Fatalf("feedback on the wrong option: %q", got)
	}
	leave(t, ctx, "retry", chromedp.Click(chromedp.CSS(`.result-summary a.button`)))
	waitText(t, ctx, `form[action$="/starten"] button`, "Opnieuw proberen")
	answer("waar", "a")
	waitText(t, ctx, ".score", "100% Gehaald")
	must(t, ctx, "progress", chromedp.Navigate(base+"/mijn/voortgang"), chromedp.WaitVisible(chromedp.CSS(".percent")))
	waitText(t, ctx, ".percent", "100%")
	if got := textOf(t, ctx, "main"); !strings.Contains(got, "Afgerond op") {
		t.Fatalf("no completion date on /mijn/voortgang:\n%s", got)
	}
	// Completing the course issued its certificate, in the same transaction.
	must(t, ctx, "certificates", chromedp.Navigate(base+"/mijn/certificaten"))
	waitText(t, ctx, "main", "Browsercursus")
}
