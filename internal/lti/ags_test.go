package lti_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// learnerOf is the account a launch of subject made.
func (f *fixture) learnerOf(t *testing.T, subject string) courses.Learner {
	t.Helper()
	var l courses.Learner
	err := f.db.NewRaw("SELECT u.id, u.name FROM users u JOIN lti_users lu ON lu.user_id = u.id WHERE lu.subject = ?", subject).Scan(context.Background(), &l.ID, &l.Name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// takeQuiz submits an attempt at the course's quiz, all right or all empty.
func (f *fixture) takeQuiz(t *testing.T, l courses.Learner, right bool) {
	t.Helper()
	ctx := context.Background()
	svc := f.s.Domains.Learning
	o, err := svc.Outline(ctx, f.course)
	if err != nil {
		t.Fatal(err)
	}
	quiz := o.Items[1]
	a, err := svc.StartAttempt(ctx, l, f.course, quiz)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]courses.Answer{}
	if right {
		rev, err := svc.Quiz(ctx, a.QuizRevisionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range a.Layout {
			answers[s.Key] = courses.CorrectAnswer(rev.Pool()[s.Key])
		}
	}
	if _, _, err := svc.Submit(ctx, l, a.ID, answers); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) readLesson(t *testing.T, l courses.Learner) {
	t.Helper()
	ctx := context.Background()
	o, err := f.s.Domains.Learning.Outline(ctx, f.course)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.Domains.Learning.MarkRead(ctx, l, f.course, o.Items[0].ID); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) deliver(t *testing.T) {
	t.Helper()
	if _, err := f.s.Outbox.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// outboxStates counts the LTI outbox rows per state.
func (f *fixture) outboxStates(t *testing.T) map[string]int {
	t.Helper()
	var rows []struct {
		State string
		N     int
	}
	if err := f.db.NewRaw("SELECT state, count(*) AS n FROM outbox WHERE kind = 'lti.score' GROUP BY state").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out
}

// A learner's quiz results and completion reach the platform's gradebook
// column: a token from the token URL (client credentials, with a client
// assertion the platform checks against the tool's key set), then a score
// posted to the line item's /scores, Moodle's query kept.
func TestAGS_QuizAndCompletion(t *testing.T) {
	f := newFixture(t)
	c := webtest.NewClient(t, f.s.App)
	webtest.MustStatus(t, f.launchAs(t, c, nil), http.StatusSeeOther)
	l := f.learnerOf(t, "17")

	// The new column is queued; the learner has not started, so nothing goes.
	f.deliver(t)
	if _, scores := f.p.recorded(); len(scores) != 0 {
		t.Fatalf("scores before any progress: %+v", scores)
	}
	f.readLesson(t, l)
	f.takeQuiz(t, l, false)
	f.deliver(t)
	tokens, scores := f.p.recorded()
	if len(tokens) != 1 || len(scores) != 1 {
		t.Fatalf("after a failed quiz: %d token requests, %d scores", len(tokens), len(scores))
	}
	tr := tokens[0]
	if tr.Get("grant_type") != "client_credentials" || tr.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" ||
		tr.Get("scope") != "https://purl.imsglobal.org/spec/lti-ags/scope/score" {
		t.Fatalf("token request %v", tr)
	}
	f.p.mu.Lock()
	a := f.p.assertions[0]
	f.p.mu.Unlock()
	if a["iss"] != f.p.clientID || a["sub"] != f.p.clientID || a["aud"] != f.p.srv.URL+"/mod/lti/token.php" || a["jti"] == "" {
		t.Fatalf("client assertion %v", a)
	}
	s := scores[0]
	if s.Path != "/mod/lti/services.php/2/lineitems/7/lineitem/scores" || s.Query != "type_id=1" ||
		s.ContentType != "application/vnd.ims.lis.v1.score+json" || s.Auth != "Bearer tok-1" {
		t.Fatalf("score request %+v", s)
	}
	want := map[string]any{"userId": "17", "scoreGiven": 0.0, "scoreMaximum": 100.0, "activityProgress": "InProgress", "gradingProgress": "FullyGraded"}
	for k, v := range want {
		if s.Score[k] != v {
			t.Fatalf("score %s = %v, want %v (%v)", k, s.Score[k], v, s.Score)
		}
	}
	first, err := time.Parse(time.RFC3339Nano, s.Score["timestamp"].(string))
	if err != nil {
		t.Fatal(err)
	}

	// Passing completes the course: the quiz score and the completion
	// happen in one transaction and go as one score.
	f.takeQuiz(t, l, true)
	f.deliver(t)
	tokens, scores = f.p.recorded()
	if len(tokens) != 1 || len(scores) != 2 {
		t.Fatalf("after passing: %d token requests (the first token is reused), %d scores", len(tokens), len(scores))
	}
	last := scores[1].Score
	if last["scoreGiven"] != 100.0 || last["activityProgress"] != "Completed" || last["gradingProgress"] != "FullyGraded" ||
		!strings.Contains(last["comment"].(string), "afgerond") {
		t.Fatalf("completion score %v", last)
	}
	second, err := time.Parse(time.RFC3339Nano, last["timestamp"].(string))
	if err != nil || !second.After(first) || second.Sub(first) < time.Second {
		t.Fatalf("timestamps %v then %v: a platform refuses a score not newer (by the second) than the last", first, second)
	}
	if st := f.outboxStates(t); st["pending"] != 0 || st["failed"] != 0 {
		t.Fatalf("outbox %v", st)
	}

	// A teacher's launch makes no gradebook column.
	before := f.counts(t)["lti_grade_links"]
	webtest.MustStatus(t, f.launchAs(t, webtest.NewClient(t, f.s.App), func(m map[string]any) {
		m["sub"] = "5"
		m["email"] = "docent@gemeente-proef.nl"
		m["https://purl.imsglobal.org/spec/lti/claim/roles"] = []string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"}
	}), http.StatusSeeOther)
	if f.counts(t)["lti_grade_links"] != before {
		t.Fatal("a teacher got a gradebook column")
	}
}

// A score the platform failed to take is retried with the outbox's
// back-off; an answer retrying cannot change is given up at once.
func TestAGS_Retry(t *testing.T) {
	f := newFixture(t)
	c := webtest.NewClient(t, f.s.App)
	webtest.MustStatus(t, f.launchAs(t, c, nil), http.StatusSeeOther)
	l := f.learnerOf(t, "17")
	f.deliver(t)

	f.p.mu.Lock()
	f.p.scoreFail = []int{http.StatusServiceUnavailable}
	f.p.mu.Unlock()
	f.takeQuiz(t, l, false)
	f.deliver(t)
	if st := f.outboxStates(t); st["pending"] != 1 {
		t.Fatalf("after a failed post: %v", st)
	}
	var lastErr string
	if err := f.db.NewRaw("SELECT last_error FROM outbox WHERE kind = 'lti.score' AND state = 'pending'").Scan(context.Background(), &lastErr); err != nil || !strings.Contains(lastErr, "503") {
		t.Fatalf("last error %q (%v)", lastErr, err)
	}
	f.deliver(t) // not due yet
	if _, scores := f.p.recorded(); len(scores) != 1 {
		t.Fatalf("retried before its time: %d posts", len(scores))
	}
	later := time.Now().Add(time.Hour)
	f.s.Outbox.Now = func() time.Time { return later }
	f.deliver(t)
	_, scores := f.p.recorded()
	if len(scores) != 2 || scores[1].Score["scoreGiven"] != 0.0 {
		t.Fatalf("retry: %d posts", len(scores))
	}
	if st := f.outboxStates(t); st["pending"] != 0 || st["failed"] != 0 {
		t.Fatalf("after the retry: %v", st)
	}

	t.Run("ExpiredToken", func(t *testing.T) {
		// A 401 drops the cached token; the retry fetches a fresh one.
		f.p.mu.Lock()
		f.p.scoreFail = []int{http.StatusUnauthorized}
		f.p.mu.Unlock()
		tokens, _ := f.p.recorded()
		f.takeQuiz(t, l, false)
		f.deliver(t)
		later = later.Add(time.Hour)
		f.deliver(t)
		after, scores := f.p.recorded()
		if len(after) != len(tokens)+1 || len(scores) != 4 || f.outboxStates(t)["pending"] != 0 {
			t.Fatalf("after a 401: %d → %d token requests, %d posts, outbox %v", len(tokens), len(after), len(scores), f.outboxStates(t))
		}
	})

	t.Run("Permanent", func(t *testing.T) {
		f.p.mu.Lock()
		f.p.scoreFail = []int{http.StatusBadRequest}
		f.p.mu.Unlock()
		f.takeQuiz(t, l, false)
		f.deliver(t)
		if st := f.outboxStates(t); st["failed"] != 1 || st["pending"] != 0 {
			t.Fatalf("after a 400: %v", st)
		}
	})

	t.Run("TokenEndpointDown", func(t *testing.T) {
		f.s.Domains.LTI.Now = func() time.Time { return time.Now().Add(2 * time.Hour) } // the cached token has expired
		f.p.mu.Lock()
		f.p.tokenFail = http.StatusBadGateway
		f.p.mu.Unlock()
		f.takeQuiz(t, l, false)
		f.deliver(t)
		if st := f.outboxStates(t); st["pending"] != 1 {
			t.Fatalf("token endpoint down: %v", st)
		}
		f.p.mu.Lock()
		f.p.tokenFail = 0
		f.p.mu.Unlock()
		later = later.Add(time.Hour)
		f.deliver(t)
		if st := f.outboxStates(t); st["pending"] != 0 {
			t.Fatalf("after the token endpoint is back: %v", st)
		}
	})

	t.Run("PlatformRemoved", func(t *testing.T) {
		_, before := f.p.recorded()
		f.takeQuiz(t, l, false)
		if err := f.s.Domains.LTI.DeletePlatform(context.Background(), f.pl.ID); err != nil {
			t.Fatal(err)
		}
		f.deliver(t)
		if _, after := f.p.recorded(); len(after) != len(before) {
			t.Fatal("a score went to a removed platform")
		}
		if st := f.outboxStates(t); st["pending"] != 0 {
			t.Fatalf("outbox %v", st)
		}
	})
}
