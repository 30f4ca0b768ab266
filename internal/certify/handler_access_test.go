package certify_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// Someone else's application, evidence or certificate answers 404 on every
// route that takes its id, whatever its state: never 403 or 409, which
// would tell that it exists. Nothing changes.
func TestHTTP_SomeoneElsesIsNotFound(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	owner := webtest.MustUser(t, e.db, "Lotte", "lotte@test.example", "Gemeente Test")
	webtest.MustUser(t, e.db, "Henk", "henk@test.example", "Gemeente Twee", web.RoleTrainer, web.RoleProvider)
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)

	draft, err := e.svc.StartApplication(ctx, actor(owner), sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := e.svc.AddEvidence(ctx, actor(owner), draft.ID, "cv", "cv.pdf", pdfFile)
	if err != nil {
		t.Fatal(err)
	}
	cert := e.approved(t, e.openScheme(t, "trainer", certify.KindTrainer), actor(owner), actor(assessor))
	submitted, err := e.svc.StartApplication(ctx, actor(owner), "trainer")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddEvidence(ctx, actor(owner), submitted.ID, "cv", "cv.pdf", pdfFile); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Submit(ctx, actor(owner), submitted.ID, ""); err != nil {
		t.Fatal(err)
	}

	henk := webtest.NewClient(t, e.app)
	henk.Login("henk@test.example", webtest.Password)
	anouk := webtest.NewClient(t, e.app)
	anouk.Login("anouk@test.example", webtest.Password)
	for _, id := range []int64{draft.ID, submitted.ID, cert.ID + 1000} {
		for _, r := range []struct {
			method, path string
			form         []string
		}{
			{"GET", fmt.Sprintf("/certificering/aanvragen/%d", id), nil},
			{"POST", fmt.Sprintf("/certificering/aanvragen/%d/gegevens", id), []string{"motivation", "Overgenomen."}},
			{"POST", fmt.Sprintf("/certificering/aanvragen/%d/indienen", id), []string{"answer", "x"}},
			{"POST", fmt.Sprintf("/certificering/aanvragen/%d/verwijderen", id), nil},
			{"POST", fmt.Sprintf("/certificering/aanvragen/%d/bewijs/%d/verwijderen", id, ev.ID), nil},
			{"GET", fmt.Sprintf("/beoordelen/%d", id), nil},
		} {
			var res *webtest.Response
			if r.method == "GET" {
				res = henk.Get(r.path)
			} else {
				res = henk.PostForm(r.path, webtest.Values(r.form...))
			}
			if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden || r.path[:11] != "/beoordelen" && res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s as another user: %d, want 404", r.method, r.path, res.StatusCode)
			}
		}
	}
	if res := henk.Get(fmt.Sprintf("/certificering/bewijs/%d", ev.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("someone else's evidence: %d", res.StatusCode)
	}
	// A draft is the applicant's own business, also to assessors.
	for _, path := range []string{fmt.Sprintf("/beoordelen/%d/in-behandeling", draft.ID), fmt.Sprintf("/beoordelen/%d/besluit", draft.ID)} {
		if res := anouk.PostForm(path, webtest.Values("decision", "approved", "reason", "Alles in orde, goedgekeurd.")); res.StatusCode != http.StatusNotFound {
			t.Errorf("assessor on a draft %s: %d", path, res.StatusCode)
		}
	}
	if res := anouk.Get(fmt.Sprintf("/beoordelen/%d", draft.ID)); res.StatusCode != http.StatusNotFound {
		t.Errorf("assessor reads a draft: %d", res.StatusCode)
	}
	// Someone else's certificate.
	for _, path := range []string{"/mijn/certificaten/" + cert.Number + "/register", "/mijn/certificaten/" + cert.Number + "/verlengen", "/mijn/certificaten/" + cert.Number + "/heruitgeven"} {
		if res := henk.PostForm(path, webtest.Values("listed", "ja")); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s as another user: %d", path, res.StatusCode)
		}
	}
	// Nothing changed.
	view, err := e.svc.ApplicationView(ctx, actor(owner), draft.ID, false)
	if err != nil || view.App.State != certify.StateDraft || view.App.Motivation != "" || len(view.Slots[0].Files) != 1 {
		t.Errorf("the draft changed: %+v %v", view, err)
	}
	// The owner deletes their draft; a second time it is gone.
	owned := webtest.NewClient(t, e.app)
	owned.Login("lotte@test.example", webtest.Password)
	webtest.MustStatus(t, owned.PostForm(fmt.Sprintf("/certificering/aanvragen/%d/verwijderen", draft.ID), nil), http.StatusSeeOther)
	webtest.MustStatus(t, owned.PostForm(fmt.Sprintf("/certificering/aanvragen/%d/verwijderen", draft.ID), nil), http.StatusNotFound)
}
