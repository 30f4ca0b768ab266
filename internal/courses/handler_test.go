package courses_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

func folder() fstest.MapFS {
	return fstest.MapFS{
		"course.yaml": {Data: []byte("slug: proef\ntitle: Proefcursus\nsummary: Een proef.\nstudy_hours: 1\nmodules:\n" +
			"  - title: Eén\n    items:\n      - lesson: les-1.md\n      - quiz: toets.yaml\n")},
		"les-1.md": {Data: []byte("---\ntitle: Les één\nminutes: 5\n---\nTekst <script>alert(1)</script> [klik](javascript:alert(1)).\n")},
		"toets.yaml": {Data: []byte("title: Toets\npass_mark: 60\nquestions:\n" +
			"  - type: truefalse\n    text: Waar?\n    answer: true\n    feedback: Het is waar.\n" +
			"  - type: single\n    text: Kies A\n    options:\n      - text: A\n        correct: true\n        feedback: Ja, A.\n      - text: B\n        feedback: Nee, B niet.\n" +
			"  - type: ordering\n    text: Orden\n    options:\n      - text: een\n      - text: twee\n      - text: drie\n")},
	}
}

func mustPublished(t *testing.T, db *bun.DB) { mustPublishedB(t, db) }

func mustPublishedB(t testing.TB, db *bun.DB) {
	t.Helper()
	svc := courses.NewService(db)
	doc, err := courses.ReadFolder(folder())
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
}

func attemptPath(res *webtest.Response) string {
	u, _ := url.Parse(res.Header.Get("Location"))
	return u.Path
}

// A learner enrols, reads, fails and then passes the quiz through the pages.
func TestLearnerJourney(t *testing.T) {
	db := testdb.New(t)
	mustPublished(t, db)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Lotte", "lotte@x.example", "Gemeente L")
	c := webtest.NewClient(t, app)

	list := c.Get("/cursussen")
	webtest.MustStatus(t, list, http.StatusOK)
	if !strings.Contains(list.Body, "Proefcursus") {
		t.Fatal("course not listed")
	}
	if res := c.Get("/cursussen/proef"); !strings.Contains(res.Body, "Log in om in te schrijven") {
		t.Fatal("anonymous course page lacks the login prompt")
	}
	c.Login("lotte@x.example", webtest.Password)
	webtest.MustStatus(t, c.PostForm("/cursussen/proef/inschrijven", nil), http.StatusSeeOther)
	lesson := c.Get("/cursussen/proef/les/les-1")
	webtest.MustStatus(t, lesson, http.StatusOK)
	if strings.Contains(lesson.Body, "<script>alert") || strings.Contains(lesson.Body, "javascript:") {
		t.Fatal("unsafe Markdown reached the page")
	}
	webtest.MustStatus(t, c.PostForm("/cursussen/proef/les/les-1/gelezen", nil), http.StatusSeeOther)
	if res := c.Get("/cursussen/proef"); !strings.Contains(res.Body, `value="50"`) || !strings.Contains(res.Body, "Verder waar je gebleven was") {
		t.Fatalf("course page after reading:\n%s", res.Body)
	}

	start := c.PostForm("/cursussen/proef/toets/toets/starten", nil)
	webtest.MustStatus(t, start, http.StatusSeeOther)
	path := attemptPath(start)
	page := c.Get(path)
	webtest.MustStatus(t, page, http.StatusOK)
	for _, leak := range []string{"Het is waar", "Ja, A.", "correct"} {
		if strings.Contains(page.Body, leak) {
			t.Fatalf("the open attempt shows %q", leak)
		}
	}
	// A reload (or a second start) resumes the same attempt.
	if again := c.PostForm("/cursussen/proef/toets/toets/starten", nil); attemptPath(again) != path {
		t.Fatalf("second start gave %s, want %s", attemptPath(again), path)
	}
	// Save part, then fail by submitting little.
	webtest.MustStatus(t, c.PostForm(path+"/opslaan", webtest.Values("q_q1", "onwaar")), http.StatusSeeOther)
	if page := c.Get(path); !strings.Contains(page.Body, `value="onwaar" checked`) {
		t.Fatal("saved answer not shown after reload")
	}
	res := c.PostForm(path+"/inleveren", webtest.Values("q_q1", "onwaar", "q_q2", "b"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	result := c.Get(path)
	if !strings.Contains(result.Body, "Niet gehaald") || !strings.Contains(result.Body, "Nee, B niet.") || !strings.Contains(result.Body, "Het is waar.") {
		t.Fatalf("result page:\n%s", result.Body)
	}
	// Back button: posting the old form again changes nothing.
	res = c.PostForm(path+"/inleveren", webtest.Values("q_q1", "waar", "q_q2", "a"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if page := c.Get(path); !strings.Contains(page.Body, "al ingeleverd") || !strings.Contains(page.Body, "Niet gehaald") {
		t.Fatal("resubmit was not refused clearly")
	}
	webtest.MustStatus(t, c.PostForm(path+"/opslaan", webtest.Values("q_q1", "waar")), http.StatusSeeOther)

	// Pass on the second attempt.
	start = c.PostForm("/cursussen/proef/toets/toets/starten", nil)
	path2 := attemptPath(start)
	if path2 == path {
		t.Fatal("no new attempt after submitting")
	}
	form := webtest.Values("q_q1", "waar", "q_q2", "a")
	for i, id := range []string{"a", "b", "c"} {
		form.Set("q_q3_"+id, fmt.Sprint(i+1))
	}
	webtest.MustStatus(t, c.PostForm(path2+"/inleveren", form), http.StatusSeeOther)
	if page := c.Get(path2); !strings.Contains(page.Body, "100%") || !strings.Contains(page.Body, "Gehaald") {
		t.Fatalf("second result:\n%s", page.Body)
	}
	my := c.Get("/mijn/voortgang")
	if !strings.Contains(my.Body, "Afgerond op") || !strings.Contains(my.Body, `value="100"`) {
		t.Fatalf("my progress:\n%s", my.Body)
	}
}

func TestAttemptBadInput(t *testing.T) {
	db := testdb.New(t)
	mustPublished(t, db)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "A", "a@x.example", "")
	webtest.MustUser(t, db, "B", "b@x.example", "")
	c := webtest.NewClient(t, app)
	c.Login("a@x.example", webtest.Password)
	path := attemptPath(c.PostForm("/cursussen/proef/toets/toets/starten", nil))
	webtest.MustStatus(t, c.PostForm(path+"/opslaan", webtest.Values("q_q1", "waar")), http.StatusSeeOther)

	tests := []struct {
		name string
		form url.Values
		msg  string
	}{
		{"ForeignQuestion", webtest.Values("q_q77", "a"), "niet bij deze poging"},
		{"ForeignOption", webtest.Values("q_q2", "z"), "hoort niet bij deze vraag"},
		{"NotTrueOrFalse", webtest.Values("q_q1", "misschien"), "Kies waar of niet waar"},
		{"OrderTwiceTheSame", webtest.Values("q_q3_a", "1", "q_q3_b", "1", "q_q3_c", "2"), "eigen plaats"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.PostForm(path+"/inleveren", tt.form)
			webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
			if !strings.Contains(res.Body, tt.msg) {
				t.Fatalf("no %q in:\n%s", tt.msg, res.Body)
			}
		})
	}
	// Nothing was submitted, and the saved answer is intact.
	if page := c.Get(path); !strings.Contains(page.Body, "Inleveren") || !strings.Contains(page.Body, `value="waar" checked`) {
		t.Fatal("bad input changed the attempt")
	}
	other := webtest.NewClient(t, app)
	other.Login("b@x.example", webtest.Password)
	webtest.MustStatus(t, other.Get(path), http.StatusNotFound)
	webtest.MustStatus(t, other.PostForm(path+"/inleveren", webtest.Values("q_q1", "waar")), http.StatusNotFound)
	webtest.MustStatus(t, c.Get("/cursussen/proef/toets/toets/poging/abc"), http.StatusNotFound)
	webtest.MustStatus(t, c.Get("/cursussen/proef/toets/bestaat-niet"), http.StatusNotFound)
	webtest.MustStatus(t, c.Get("/cursussen/proef/les/toets"), http.StatusNotFound) // a quiz is no lesson

	t.Run("AutosaveStatusCodes", func(t *testing.T) {
		req := webtest.Values("q_q1", "onwaar", "_csrf", c.CSRFToken())
		r := httpPost(path+"/opslaan", req)
		r.Header.Set("X-Autosave", "1")
		webtest.MustStatus(t, c.Do(r), http.StatusNoContent)
		r = httpPost(path+"/opslaan", webtest.Values("q_q99", "x", "_csrf", c.CSRFToken()))
		r.Header.Set("X-Autosave", "1")
		webtest.MustStatus(t, c.Do(r), http.StatusUnprocessableEntity)
	})
}

func httpPost(path string, v url.Values) *http.Request {
	r, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// Double clicks: many concurrent submits of one attempt through HTTP give
// exactly one scored result.
func TestConcurrentSubmitOverHTTP(t *testing.T) {
	db := testdb.New(t)
	mustPublished(t, db)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "D", "d@x.example", "")
	c := webtest.NewClient(t, app)
	c.Login("d@x.example", webtest.Password)
	path := attemptPath(c.PostForm("/cursussen/proef/toets/toets/starten", nil))
	form := webtest.Values("q_q1", "waar", "q_q2", "a", "_csrf", c.CSRFToken())
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := c.Do(httpPost(path+"/inleveren", form))
			if res.StatusCode != http.StatusSeeOther {
				t.Errorf("status %d", res.StatusCode)
			}
		}()
	}
	wg.Wait()
	n, _ := db.NewSelect().Table("quiz_attempts").Where("submitted_at IS NOT NULL").Count(context.Background())
	if n != 1 {
		t.Fatalf("%d scored attempts", n)
	}
}

func TestDraftsAndRoles(t *testing.T) {
	db := testdb.New(t)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Leerling", "l@x.example", "")
	webtest.MustUser(t, db, "Trainer", "t@x.example", "", "trainer")
	trainer := webtest.NewClient(t, app)
	trainer.Login("t@x.example", webtest.Password)
	learner := webtest.NewClient(t, app)
	learner.Login("l@x.example", webtest.Password)

	webtest.MustStatus(t, learner.Get("/beheer/cursussen"), http.StatusForbidden)
	webtest.MustStatus(t, learner.PostForm("/beheer/cursussen/nieuw", webtest.Values("slug", "x", "title", "X")), http.StatusForbidden)

	// The trainer builds a course in the browser.
	res := trainer.PostForm("/beheer/cursussen/nieuw", webtest.Values("slug", "Geen Slug", "title", "", "study_hours", "2"))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Titel is verplicht") || !strings.Contains(res.Body, `value="Geen Slug"`) {
		t.Fatalf("create errors:\n%s", res.Body)
	}
	res = trainer.PostForm("/beheer/cursussen/nieuw", webtest.Values("slug", "nieuw", "title", "Nieuwe cursus", "study_hours", "2"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	edit := res.Header.Get("Location")
	webtest.MustStatus(t, trainer.PostForm(edit+"/modules", webtest.Values("title", "Module A")), http.StatusSeeOther)
	var moduleID, courseID int64
	_ = db.NewRaw("SELECT id, course_id FROM modules LIMIT 1").Scan(context.Background(), &moduleID, &courseID)
	mod := fmt.Sprintf("/beheer/modules/%d", moduleID)
	preview := trainer.PostForm(mod+"/les-nieuw", webtest.Values("slug", "les", "title", "Les", "minutes", "5", "body", "## Kop\n\n<script>x()</script>", "actie", "voorbeeld"))
	if !strings.Contains(preview.Body, "<h2") || strings.Contains(preview.Body, "<script>x()") {
		t.Fatalf("preview:\n%s", preview.Body)
	}
	webtest.MustStatus(t, trainer.PostForm(mod+"/les-nieuw", webtest.Values("slug", "les", "title", "Les", "minutes", "5", "body", "Tekst", "actie", "opslaan")), http.StatusSeeOther)
	res = trainer.PostForm(mod+"/toets-nieuw", webtest.Values("slug", "toets", "title", "Toets", "pass_mark", "50", "attempts", "0", "time_limit_minutes", "0", "draw", "0"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	quiz := res.Header.Get("Location")
	iid := strings.TrimSuffix(strings.TrimPrefix(quiz, "/beheer/onderdelen/"), "/toets")

	// Publishing a quiz without questions is refused with the reason.
	webtest.MustStatus(t, trainer.PostForm(edit+"/publiceren", nil), http.StatusSeeOther)
	if page := trainer.Get(edit); !strings.Contains(page.Body, "heeft nog geen vragen") {
		t.Fatal("no reason why publishing failed")
	}
	questions := []url.Values{
		webtest.Values("type", "single", "text", "Een?", "opt_text_0", "ja", "opt_text_1", "nee", "correct", "0"),
		webtest.Values("type", "multiple", "scoring", "all_or_nothing", "text", "Meer?", "opt_text_0", "a", "opt_correct_0", "ja", "opt_text_1", "b"),
		webtest.Values("type", "truefalse", "text", "Waar?", "answer", "false"),
		webtest.Values("type", "numeric", "text", "Getal?", "number", "2,5", "tolerance", "0,1"),
		webtest.Values("type", "text", "text", "Woord?", "accepted", "Woo\nWet open overheid"),
		webtest.Values("type", "ordering", "text", "Orden?", "opt_text_0", "1", "opt_text_1", "2", "opt_text_2", "3"),
	}
	for _, q := range questions {
		webtest.MustStatus(t, trainer.PostForm("/beheer/onderdelen/"+iid+"/vraag/nieuw", q), http.StatusSeeOther)
	}
	bad := trainer.PostForm("/beheer/onderdelen/"+iid+"/vraag/nieuw", webtest.Values("type", "single", "text", "Geen goed antwoord", "opt_text_0", "a", "opt_text_1", "b"))
	webtest.MustStatus(t, bad, http.StatusUnprocessableEntity)
	if !strings.Contains(bad.Body, "precies één antwoord moet goed zijn") {
		t.Fatalf("question error:\n%s", bad.Body)
	}
	// Still a draft: learners do not see it.
	webtest.MustStatus(t, learner.Get("/cursussen/nieuw"), http.StatusNotFound)
	webtest.MustStatus(t, trainer.Get("/cursussen/nieuw"), http.StatusOK)
	webtest.MustStatus(t, trainer.PostForm(edit+"/publiceren", nil), http.StatusSeeOther)
	webtest.MustStatus(t, learner.Get("/cursussen/nieuw"), http.StatusOK)
	stats := trainer.Get("/beheer/onderdelen/" + iid + "/statistiek")
	webtest.MustStatus(t, stats, http.StatusOK)
	if strings.Count(stats.Body, "keer getoond") != 6 {
		t.Fatalf("stats page lists %d questions", strings.Count(stats.Body, "keer getoond"))
	}
}

func TestAPI(t *testing.T) {
	db := testdb.New(t)
	mustPublished(t, db)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Api", "api@x.example", "")
	c := webtest.NewClient(t, app)

	res := c.Get("/api/v1/courses/proef")
	webtest.MustStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, "correct") || strings.Contains(res.Body, "answer") {
		t.Fatalf("answer key in the API: %s", res.Body)
	}
	webtest.MustStatus(t, c.PostJSON("/api/v1/courses/proef/quizzes/toets/attempts", "{}"), http.StatusUnauthorized)
	c.Login("api@x.example", webtest.Password)
	res = c.PostJSON("/api/v1/courses/proef/quizzes/toets/attempts", "")
	webtest.MustStatus(t, res, http.StatusCreated)
	if strings.Contains(res.Body, "Ja, A.") || strings.Contains(res.Body, `"correct"`) {
		t.Fatalf("attempt leaks the key: %s", res.Body)
	}
	var a struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal([]byte(res.Body), &a)
	base := fmt.Sprintf("/api/v1/attempts/%d", a.ID)

	put := func(body string) *webtest.Response {
		r, _ := http.NewRequest(http.MethodPut, base+"/answers", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return c.Do(r)
	}
	for body, status := range map[string]int{
		`{"answers": {"q99": {"option": "a"}}}`:   http.StatusUnprocessableEntity,
		`{"answers": {"q2": {"option": "z"}}}`:    http.StatusUnprocessableEntity,
		`{"antwoorden": {}}`:                      http.StatusUnprocessableEntity,
		`{"answers": {"q1": {"value": "ja"}}}`:    http.StatusUnprocessableEntity,
		`nope`:                                    http.StatusBadRequest,
		`{"answers": {"q1": {"text": "\u0000"}}}`: http.StatusBadRequest,
	} {
		res := put(body)
		webtest.MustStatus(t, res, status)
		if res.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("%s: content type %s", body, res.Header.Get("Content-Type"))
		}
	}
	webtest.MustStatus(t, put(`{"answers": {"q1": {"value": true}, "q2": {"option": "a"}}}`), http.StatusOK)
	res = c.PostJSON(base+"/submit", `{"answers": {"q3": {"order": ["a", "b", "c"]}}}`)
	webtest.MustStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, `"score_pct":100`) || !strings.Contains(res.Body, `"passed":true`) {
		t.Fatalf("submit: %s", res.Body)
	}
	webtest.MustStatus(t, c.PostJSON(base+"/submit", ""), http.StatusConflict)
	webtest.MustStatus(t, put(`{"answers": {}}`), http.StatusConflict)
	res = c.Get("/api/v1/me/progress")
	if !strings.Contains(res.Body, `"progress_percent":50`) {
		t.Fatalf("progress: %s", res.Body)
	}
	webtest.MustStatus(t, c.Get("/api/v1/attempts/999999"), http.StatusNotFound)
	if doc := c.Get("/api/v1/openapi.json"); !strings.Contains(doc.Body, "/attempts/{id}/submit") {
		t.Fatal("API not in the OpenAPI document")
	}
}

// The organisation report shows only the manager's own organisation, and
// its CSV opens in a Dutch spreadsheet.
func TestOrgProgressCSV(t *testing.T) {
	db := testdb.New(t)
	mustPublished(t, db)
	app := webtest.NewApp(t, db)
	mgr := webtest.MustUser(t, db, "Manager", "m@utrecht.example", "Gemeente Utrecht", "org_manager")
	ctx := context.Background()
	var orgID int64
	_ = db.NewRaw("SELECT organisation_id FROM users WHERE id = ?", mgr.ID).Scan(ctx, &orgID)
	colleague := webtest.MustUser(t, db, "=Collega; \"Jansen\"", "c@utrecht.example", "")
	_, _ = db.NewRaw("UPDATE users SET organisation_id = ? WHERE id = ?", orgID, colleague.ID).Exec(ctx)
	webtest.MustUser(t, db, "Buitenstaander", "b@zwolle.example", "Gemeente Zwolle")

	lc := webtest.NewClient(t, app)
	lc.Login("c@utrecht.example", webtest.Password)
	lc.PostForm("/cursussen/proef/les/les-1/gelezen", nil)

	c := webtest.NewClient(t, app)
	c.Login("m@utrecht.example", webtest.Password)
	page := c.Get("/organisatie/voortgang?status=bezig")
	webtest.MustStatus(t, page, http.StatusOK)
	if !strings.Contains(page.Body, "Jansen") || strings.Contains(page.Body, "Manager</td>") || strings.Contains(page.Body, "Buitenstaander") {
		t.Fatalf("report:\n%s", page.Body)
	}
	if page := c.Get("/organisatie/voortgang?status=hoera&cursus=onbekend"); !strings.Contains(page.Body, "Onbekende status") || !strings.Contains(page.Body, "Onbekende cursus") {
		t.Fatal("unknown filter values not noticed")
	}
	res := c.Get("/organisatie/voortgang.csv")
	webtest.MustStatus(t, res, http.StatusOK)
	if !strings.HasPrefix(res.Body, "\uFEFFNaam;E-mailadres;Cursus;Status;Voortgang (%);Ingeschreven op;Afgerond op\r\n") {
		t.Fatalf("csv header: %q", res.Body[:80])
	}
	if !strings.Contains(res.Body, "\"'=Collega; \"\"Jansen\"\"\";c@utrecht.example;Proefcursus;Bezig;50;") {
		t.Fatalf("csv row:\n%s", res.Body)
	}
	if strings.Contains(res.Body, "zwolle") {
		t.Fatal("another organisation's member in the CSV")
	}
	learner := webtest.NewClient(t, app)
	learner.Login("b@zwolle.example", webtest.Password)
	webtest.MustStatus(t, learner.Get("/organisatie/voortgang.csv"), http.StatusForbidden)
}

// Visitors' pages are kept rendered, but an edit shows at once, and a
// logged-in learner never gets a visitor's page.
func TestVisitorPagesFollowEdits(t *testing.T) {
	db := testdb.New(t)
	mustPublished(t, db)
	app := webtest.NewApp(t, db)
	webtest.MustUser(t, db, "Trainer", "t@x.example", "", "trainer")
	webtest.MustUser(t, db, "Lid", "lid@x.example", "")
	visitor := webtest.NewClient(t, app)
	if res := visitor.Get("/cursussen/proef/les/les-1"); !strings.Contains(res.Body, "Log in</a> om uw voortgang") {
		t.Fatal("visitor page")
	}
	visitor.Get("/cursussen/proef/les/les-1") // from the cache
	trainer := webtest.NewClient(t, app)
	trainer.Login("t@x.example", webtest.Password)
	var itemID int64
	_ = db.NewRaw("SELECT id FROM course_items WHERE slug = 'les-1'").Scan(context.Background(), &itemID)
	res := trainer.PostForm(fmt.Sprintf("/beheer/onderdelen/%d/les", itemID), webtest.Values("slug", "les-1", "title", "Les één, herzien", "minutes", "5", "body", "Nieuwe tekst.", "actie", "opslaan"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if res := visitor.Get("/cursussen/proef/les/les-1"); !strings.Contains(res.Body, "Les één, herzien") || !strings.Contains(res.Body, "Nieuwe tekst.") {
		t.Fatalf("visitor still sees the old lesson:\n%s", res.Body)
	}
	learner := webtest.NewClient(t, app)
	learner.Login("lid@x.example", webtest.Password)
	if res := learner.Get("/cursussen/proef/les/les-1"); !strings.Contains(res.Body, "Markeer als gelezen") || strings.Contains(res.Body, "Log in</a> om uw voortgang") {
		t.Fatal("a learner got the visitor's page")
	}
}
