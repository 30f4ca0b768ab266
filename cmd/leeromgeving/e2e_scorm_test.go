package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/npmtest"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// scormAgain is the independent SCORM 1.2 API implementation the test's
// LMS uses (npm, MIT), installed by the test into a cache outside the repo.
const scormAgain = "3.4.3"

// lmsStore is the test LMS's back end: the last data committed per SCO,
// handed back at the next launch, and every commit received.
type lmsStore struct {
	mu      sync.Mutex
	last    map[string]json.RawMessage
	commits map[string][]lmsCommit
}

// lmsCommit is the part of a scorm-again commit the test reads.
type lmsCommit struct {
	CMI struct {
		Core struct {
			LessonStatus string `json:"lesson_status"`
			Exit         string `json:"exit"`
			SessionTime  string `json:"session_time"`
			Score        struct {
				Raw string `json:"raw"`
				Min string `json:"min"`
				Max string `json:"max"`
			} `json:"score"`
		} `json:"core"`
		SuspendData string `json:"suspend_data"`
	} `json:"cmi"`
}

func (s *lmsStore) handler(pkgDir, lmsDir, saDir string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/pakket/", http.StripPrefix("/pakket/", http.FileServer(http.Dir(pkgDir))))
	mux.Handle("/lms/scorm-again/", http.StripPrefix("/lms/scorm-again/", http.FileServer(http.Dir(filepath.Join(saDir, "dist")))))
	mux.HandleFunc("/lms/state", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if b, ok := s.last[r.URL.Query().Get("sco")]; ok {
			w.Write(b)
			return
		}
		io.WriteString(w, "{}")
	})
	mux.HandleFunc("/lms/commit", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var c lmsCommit
		if json.Unmarshal(b, &c) == nil {
			s.mu.Lock()
			sco := r.URL.Query().Get("sco")
			s.last[sco] = b
			s.commits[sco] = append(s.commits[sco], c)
			s.mu.Unlock()
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"result": true, "errorCode": 0}`)
	})
	mux.Handle("/lms/", http.StripPrefix("/lms/", http.FileServer(http.Dir(lmsDir))))
	return mux
}

// waitCommit waits until the LMS received a commit for sco that ok accepts.
func (s *lmsStore) waitCommit(t *testing.T, sco, what string, ok func(lmsCommit) bool) lmsCommit {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		s.mu.Lock()
		cs := s.commits[sco]
		s.mu.Unlock()
		for i := len(cs) - 1; i >= 0; i-- {
			if ok(cs[i]) {
				return cs[i]
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t.Fatalf("the LMS never received %s for %s; commits: %+v", what, sco, s.commits[sco])
	return lmsCommit{}
}

// What the SCO sends is HHHH:MM:SS.SS; what the LMS stores is any
// CMITimespan (scorm-again writes two-digit hours).
var (
	sentTimespan = regexp.MustCompile(`^\d{4}:\d{2}:\d{2}\.\d{2}$`)
	cmiTimespan  = regexp.MustCompile(`^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$`)
)

// A trainer downloads the SCORM package from the course editor; an LMS
// (scorm-again's SCORM 1.2 API in a player page, the SCO two frames down)
// plays a lesson and a quiz from it. The LMS receives lesson_status,
// score.raw as the site would score the same answers, session_time as
// HHHH:MM:SS.SS, and a second launch resumes from suspend_data.
func TestBrowser_SCORMPackageInLMS(t *testing.T) {
	saDir := npmtest.Install(t, "scorm-again", scormAgain)
	base, db := startAppDB(t)
	svc := courses.NewService(db)
	long := strings.Repeat("Een alinea over samenwerken in het netwerk, om te kunnen scrollen.\n\n", 80)
	doc, err := courses.ReadFolder(fstest.MapFS{
		"course.yaml": {Data: []byte("slug: scorm-e2e\ntitle: SCORM-proef\nmodules:\n  - title: Alles\n    items:\n      - lesson: lang.md\n      - quiz: alles.yaml\n      - quiz: getimed.yaml\n")},
		"getimed.yaml": {Data: []byte("title: Getimede toets\npass_mark: 60\ntime_limit_minutes: 10\nquestions:\n" +
			"  - type: truefalse\n    text: De Woo geldt voor provincies.\n    answer: true\n" +
			"  - type: single\n    text: Kies Woo.\n    options:\n      - text: Woo\n        correct: true\n      - text: Wob\n")},
		"lang.md": {Data: []byte("---\ntitle: Een lange les\nminutes: 4\n---\n" + long + "## Tot slot\n\nHet einde.\n")},
		"alles.yaml": {Data: []byte("title: Alle soorten vragen\npass_mark: 70\nattempts: 3\nquestions:\n" +
			"  - type: single\n    text: Welke wet gaat over openbaarheid?\n    options:\n      - text: Woo\n        correct: true\n      - text: Wegenverkeerswet\n        feedback: Nee, die gaat over het verkeer.\n" +
			"  - type: multiple\n    text: Wat hoort bij open overheid?\n    options:\n      - text: Openbaarheid\n        correct: true\n      - text: Participatie\n        correct: true\n      - text: Geheimhouding\n" +
			"  - type: truefalse\n    text: De Woo geldt voor gemeenten.\n    answer: true\n" +
			"  - type: numeric\n    text: Hoeveel uur?\n    answer: 72\n    tolerance: 0.5\n" +
			"  - type: text\n    text: Voluit, de Woo is de …\n    accepted: [Wet open overheid]\n" +
			"  - type: ordering\n    text: Zet op volgorde.\n    options:\n      - text: Eerst\n      - text: Dan\n      - text: Tot slot\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := svc.Import(context.Background(), doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	webtest.MustUser(t, db, "Tessa Trainer", "tessa@e2e.example", "Gemeente E2E", "trainer")

	// The download button of the course editor.
	ctx := newBrowser(t)
	login(t, ctx, base, "tessa@e2e.example")
	must(t, ctx, "course editor", chromedp.Navigate(base+"/beheer/cursussen/"+strconv.FormatInt(c.ID, 10)))
	waitText(t, ctx, "main", "SCORM 1.2-pakket downloaden")
	b64, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const a = Array.from(document.querySelectorAll("a")).find(a => a.textContent.includes("SCORM 1.2-pakket downloaden"));
		const r = await fetch(a.href);
		if (!r.ok || r.headers.get("Content-Type") !== "application/zip" || !r.headers.get("Content-Disposition").includes("scorm-e2e-scorm12.zip")) throw new Error("download: " + r.status);
		const b = new Uint8Array(await r.arrayBuffer());
		let s = ""; for (const x of b) s += String.fromCharCode(x);
		return btoa(s);
	})()`, func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
	if err != nil {
		t.Fatalf("download the package: %v", err)
	}
	zipped, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	pkgDir := t.TempDir()
	unzipTo(t, zipped, pkgDir)

	store := &lmsStore{last: map[string]json.RawMessage{}, commits: map[string][]lmsCommit{}}
	lms := httptest.NewServer(store.handler(pkgDir, "testdata/lms", saDir))
	t.Cleanup(lms.Close)

	// sco evaluates js in the SCO's document, two frames below the player.
	const scoDoc = `document.getElementById("speler").contentDocument.getElementById("sco").contentDocument`
	waitJS := func(what, js string) {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { try { return !!(`+js+`); } catch (e) { return false; } })()`))
			if err == nil && ok {
				return
			}
		}
		page, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { try { return `+scoDoc+`.body.innerText; } catch (e) { return document.body.innerText; } })()`))
		t.Fatalf("%s: never happened\nSCO text:\n%s", what, page)
	}
	do := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const d = `+scoDoc+`; `+js+`; return true; })()`)); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	launch := func(sco string) {
		t.Helper()
		must(t, ctx, "LMS course page", chromedp.Navigate(lms.URL+"/lms/index.html"))
		waitJS("manifest read", `document.body.dataset.klaar === "ja"`)
		leave(t, ctx, "launch "+sco, chromedp.Click(chromedp.CSS(`a[data-sco="`+sco+`"]`)))
		waitJS("SCO connected to the LMS", scoDoc+`.getElementById("lms-status").textContent.includes("Welkom, Lotte Leerling")`)
	}
	closeSCO := func() {
		t.Helper()
		must(t, ctx, "close the SCO", chromedp.Click(chromedp.CSS("#afsluiten")))
		waitJS("LMSFinish called", `lmsLog.some(e => e[0] === "LMSFinish")`)
	}
	sessionTimes := func() {
		t.Helper()
		times, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`lmsLog.filter(e => e[1] === "cmi.core.session_time").map(e => e[2])`))
		if err != nil || len(times) != 1 || !sentTimespan.MatchString(times[0]) {
			t.Fatalf("session_time set as %q (%v), want once as HHHH:MM:SS.SS", times, err)
		}
	}

	// The lesson: read half of it, leave, come back where the learner was, mark it read.
	lesson, quiz := "ITEM-lang", "ITEM-alles"
	launch(lesson)
	do("scroll", `d.defaultView.scrollTo(0, (d.documentElement.scrollHeight - d.defaultView.innerHeight) / 2)`)
	closeSCO()
	sessionTimes()
	first := store.waitCommit(t, lesson, "the first session's end", func(c lmsCommit) bool { return c.CMI.Core.Exit == "suspend" })
	var place struct{ Y float64 }
	if err := json.Unmarshal([]byte(first.CMI.SuspendData), &place); err != nil || place.Y < 0.4 || place.Y > 0.6 ||
		first.CMI.Core.LessonStatus != "incomplete" || !cmiTimespan.MatchString(first.CMI.Core.SessionTime) {
		t.Fatalf("after reading half the lesson the LMS has %+v", first.CMI)
	}
	launch(lesson)
	waitJS("resumed at the reading position", scoDoc+`.getElementById("hervat").hidden === false && `+scoDoc+`.defaultView.scrollY > 200`)
	do("mark read", `d.getElementById("gelezen").click()`)
	waitJS("marked read", scoDoc+`.getElementById("gelezen-klaar").hidden === false`)
	store.waitCommit(t, lesson, "completed", func(c lmsCommit) bool { return c.CMI.Core.LessonStatus == "completed" })
	closeSCO()
	sessionTimes()
	store.waitCommit(t, lesson, "the end of the completed session", func(c lmsCommit) bool {
		return c.CMI.Core.LessonStatus == "completed" && c.CMI.Core.Exit == "" && c.CMI.Core.SessionTime != ""
	})

	// The quiz, first attempt: some answers wrong. The LMS gets the score
	// the site gives the same answers, and failed.
	rev := quizRevision(t, svc, c, "alles")
	launch(quiz)
	waitJS("quiz intro", scoDoc+`.body.innerText.includes("6 vragen · 70% nodig om te slagen · 3 pogingen toegestaan")`)
	do("start", `Array.from(d.querySelectorAll("button")).find(b => b.textContent === "Toets starten").click()`)
	waitJS("questions shown", scoDoc+`.querySelectorAll("fieldset.question").length === 6`)
	answer := func(a map[string]string) {
		t.Helper()
		for label, v := range a {
			do("answer "+label, `
				const fs = Array.from(d.querySelectorAll("fieldset.question")).find(f => f.querySelector("legend").textContent.includes(`+strconv.Quote(label)+`));
				const v = `+strconv.Quote(v)+`;
				const text = fs.querySelector("input[type=text]");
				if (text) { text.value = v; text.dispatchEvent(new Event("change", {bubbles: true})); }
				else if (fs.querySelector("select")) {
					v.split("|").forEach((opt, i) => {
						const row = Array.from(fs.querySelectorAll(".order-row")).find(r => r.querySelector("label").textContent === opt);
						const s = row.querySelector("select"); s.value = String(i + 1); s.dispatchEvent(new Event("change", {bubbles: true}));
					});
				} else {
					v.split("|").forEach(opt => Array.from(fs.querySelectorAll("label.choice")).find(l => l.textContent.trim() === opt).querySelector("input").click());
				}`)
		}
	}
	hand := func() {
		t.Helper()
		do("hand in", `Array.from(d.querySelectorAll("button")).find(b => b.textContent === "Inleveren").click()`)
		waitJS("result shown", scoDoc+`.querySelector(".result-summary") !== null`)
	}
	answer(map[string]string{"openbaarheid?": "Wegenverkeerswet", "open overheid?": "Openbaarheid|Geheimhouding", "gemeenten": "Waar",
		"Hoeveel": "72,4", "Voluit": " wet  open overheid!", "volgorde": "Eerst|Tot slot|Dan"})
	hand()
	want := scoreOf(rev, map[string]courses.Answer{"q1": {Option: "b"}, "q2": {Options: []string{"a", "c"}}, "q3": {Value: new(true)},
		"q4": {Number: "72,4"}, "q5": {Text: " wet  open overheid!"}, "q6": {Order: []string{"a", "c", "b"}}})
	if want >= 70 || want <= 0 {
		t.Fatalf("the wrong answers score %v on the site", want)
	}
	waitJS("score shown", scoDoc+`.querySelector(".score").textContent.includes(`+strconv.Quote(strings.Replace(fmtPct(want), ".", ",", 1)+"% Niet gehaald")+`)`)
	failed := store.waitCommit(t, quiz, "failed", func(c lmsCommit) bool { return c.CMI.Core.LessonStatus == "failed" })
	if failed.CMI.Core.Score.Raw != fmtPct(want) || failed.CMI.Core.Score.Min != "0" || failed.CMI.Core.Score.Max != "100" {
		t.Fatalf("after the first attempt the LMS has score %+v, want raw %s", failed.CMI.Core.Score, fmtPct(want))
	}

	// Second attempt: two answers, leave, resume with them kept, finish right.
	do("retry", `Array.from(d.querySelectorAll("button")).find(b => b.textContent === "Opnieuw proberen").click()`)
	waitJS("second attempt", scoDoc+`.querySelectorAll("fieldset.question").length === 6`)
	answer(map[string]string{"openbaarheid?": "Woo", "Hoeveel": "72"})
	closeSCO()
	sessionTimes()
	store.waitCommit(t, quiz, "the open attempt", func(c lmsCommit) bool {
		return c.CMI.Core.Exit == "suspend" && strings.Contains(c.CMI.SuspendData, `"o":{`) && strings.Contains(c.CMI.SuspendData, `"72"`)
	})
	launch(quiz)
	waitJS("attempt resumed", scoDoc+`.body.innerText.includes("U gaat verder met uw poging")`)
	waitJS("answers kept", scoDoc+`.querySelector("input[inputmode=decimal]").value === "72" && Array.from(`+scoDoc+`.querySelectorAll("label.choice")).find(l => l.textContent.trim() === "Woo").querySelector("input").checked`)
	answer(map[string]string{"open overheid?": "Openbaarheid|Participatie", "gemeenten": "Waar", "Voluit": "WET OPEN OVERHEID", "volgorde": "Eerst|Dan|Tot slot"})
	hand()
	waitJS("passed", scoDoc+`.querySelector(".score").textContent.includes("100% Gehaald")`)
	passed := store.waitCommit(t, quiz, "passed", func(c lmsCommit) bool { return c.CMI.Core.LessonStatus == "passed" })
	if passed.CMI.Core.Score.Raw != "100" {
		t.Fatalf("after passing the LMS has score %+v", passed.CMI.Core.Score)
	}
	closeSCO()
	sessionTimes()
	store.waitCommit(t, quiz, "the end of the passed session", func(c lmsCommit) bool {
		return c.CMI.Core.LessonStatus == "passed" && c.CMI.Core.Exit == "" && cmiTimespan.MatchString(c.CMI.Core.SessionTime)
	})

	// A timed quiz: one answer given, the learner leaves and comes back
	// after the deadline; what was saved is scored at once.
	timed := "ITEM-getimed"
	launch(timed)
	do("start", `Array.from(d.querySelectorAll("button")).find(b => b.textContent === "Toets starten").click()`)
	waitJS("timer shown", scoDoc+`.querySelector(".timer").textContent.includes("Resterende tijd: 10:00") || `+scoDoc+`.querySelector(".timer").textContent.includes("Resterende tijd: 9:5")`)
	answer(map[string]string{"provincies": "Waar"})
	closeSCO()
	store.waitCommit(t, timed, "the open timed attempt", func(c lmsCommit) bool { return strings.Contains(c.CMI.SuspendData, `"d":`) })
	store.expire(t, timed)
	launch(timed)
	waitJS("scored when the time was up", scoDoc+`.body.innerText.includes("De tijd is om. Wat u had ingevuld, is nagekeken.")`)
	late := store.waitCommit(t, timed, "the late score", func(c lmsCommit) bool { return c.CMI.Core.LessonStatus == "failed" })
	if late.CMI.Core.Score.Raw != "50" {
		t.Fatalf("after the time ran out the LMS has score %+v, want 50", late.CMI.Core.Score)
	}
}

// expire sets the deadline of the open attempt the LMS keeps for sco in
// the past, as if the learner came back after the time limit.
func (s *lmsStore) expire(t *testing.T, sco string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var data map[string]map[string]any
	if err := json.Unmarshal(s.last[sco], &data); err != nil {
		t.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal([]byte(data["cmi"]["suspend_data"].(string)), &state); err != nil {
		t.Fatalf("suspend_data: %v", err)
	}
	open, ok := state["o"].(map[string]any)
	if !ok || open["d"].(float64) < float64(time.Now().UnixMilli()) {
		t.Fatalf("no open attempt with a deadline ahead in %v", state)
	}
	open["d"] = time.Now().Add(-time.Minute).UnixMilli()
	b, _ := json.Marshal(state)
	data["cmi"]["suspend_data"] = string(b)
	s.last[sco], _ = json.Marshal(data)
}

// quizRevision is the current revision of the course's quiz slug.
func quizRevision(t *testing.T, svc *courses.Service, c *courses.Course, slug string) *courses.QuizRevision {
	t.Helper()
	ctx := context.Background()
	c, err := svc.CourseByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.Outline(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	it, ok := o.ItemBySlug(slug)
	if !ok {
		t.Fatalf("no item %s", slug)
	}
	rev, err := svc.Quiz(ctx, *it.CurrentRevisionID)
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// scoreOf is the site's score of answers to every question of rev.
func scoreOf(rev *courses.QuizRevision, answers map[string]courses.Answer) float64 {
	layout := courses.Draw(rev.Questions, 0, false, false, rand.New(rand.NewPCG(1, 1)))
	_, pct := courses.ScoreAttempt(rev.Pool(), layout, answers)
	return pct
}

func fmtPct(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func unzipTo(t *testing.T, b []byte, dir string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the download is not a zip: %v", err)
	}
	for _, f := range zr.File {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(p, dir+string(os.PathSeparator)) {
			t.Fatalf("zip entry outside the folder: %s", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
