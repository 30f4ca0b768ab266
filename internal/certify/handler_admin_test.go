package certify_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// The pages of admins and assessors for schemes and certificates, through
// their forms.
func TestHTTP_AdminPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	holder := webtest.MustUser(t, e.db, "Şükrü Yıldız-van Dijk", "sukru@test.example", "Gemeente Export")
	webtest.MustUser(t, e.db, "Bea Beheer", "bea@test.example", "Ministerie", web.RoleAdmin)
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	if err := e.svc.IssueCourseCertificate(ctx, e.db, certify.CourseCompletion{UserID: holder.ID, HolderName: holder.Name,
		CourseSlug: "werken-20-de-basis", CourseTitle: "Werken 2.0 — de basis", CompletedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	admin := webtest.NewClient(t, e.app)
	admin.Login("bea@test.example", webtest.Password)
	anouk := webtest.NewClient(t, e.app)
	anouk.Login("anouk@test.example", webtest.Password)

	// Schemes: the list, a new form, an existing one to edit.
	for path, want := range map[string]string{
		"/beheer/regelingen":                        "Regeling adviseur",
		"/beheer/regelingen/nieuw":                  "Nieuwe regeling",
		fmt.Sprintf("/beheer/regelingen/%d", sc.ID): "Regeling bewerken: Regeling adviseur",
	} {
		res := admin.Get(path)
		webtest.MustStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Body, want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}
	webtest.MustStatus(t, admin.Get("/beheer/regelingen/99999"), http.StatusNotFound)
	edit := webtest.Values("title", "Regeling adviseur (herzien)", "slug", "adviseur", "kind", "adviser", "summary", "Samenvatting.\nTweede regel.",
		"criteria", "Criteria.", "evidence", "1 × Curriculum vitae", "validity_years", "4", "active", "ja")
	webtest.MustStatus(t, admin.PostForm(fmt.Sprintf("/beheer/regelingen/%d", sc.ID), edit), http.StatusSeeOther)
	view, err := e.svc.SchemePage(ctx, 0, "adviseur")
	if err != nil || view.Card.Title != "Regeling adviseur (herzien)" || view.Card.ValidityYears != 4 || view.Card.Summary != "Samenvatting.\nTweede regel." {
		t.Errorf("edited scheme %+v %v", view, err)
	}

	// The visitors' overview of schemes.
	if res := webtest.NewClient(t, e.app).Get("/certificering"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Regeling adviseur (herzien)") {
		t.Errorf("/certificering: %d", res.StatusCode)
	}

	// Certificates: the list, filtered, and one with its audit log.
	res := anouk.Get("/beheer/certificaten?q=" + strings.ToLower(cert.Number[:7]) + "&status=valid")
	webtest.MustStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, cert.Number) || !strings.Contains(res.Body, "1 certificaat") || strings.Contains(res.Body, "export.zip") {
		t.Errorf("assessor's list: %.500s", res.Body)
	}
	if res := admin.Get("/beheer/certificaten?status=revoked"); !strings.Contains(res.Body, "0 certificaten") || !strings.Contains(res.Body, "export.zip") {
		t.Errorf("admin's list of revoked ones")
	}
	res = anouk.Get("/beheer/certificaten/" + cert.Number)
	webtest.MustStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Body, "Geldig certificaat") || !strings.Contains(res.Body, "Uitgegeven na goedkeuring") {
		t.Errorf("certificate page lacks its verdict or log")
	}

	// Status changes through the form: bad input re-renders with the
	// values, a good one redirects.
	path := "/beheer/certificaten/" + cert.Number + "/status"
	res = anouk.PostForm(path, webtest.Values("action", "suspend", "reason", "kort"))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Geef een reden op van 10 tot 2000 tekens") || !strings.Contains(res.Body, ">kort</textarea>") {
		t.Errorf("short reason: %.300s", res.Body)
	}
	res = anouk.PostForm(path, webtest.Values("action", "opblazen", "reason", "Een reden van voldoende lengte."))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Kies wat er met het certificaat gebeurt") {
		t.Error("unknown action lacks its message")
	}
	webtest.MustStatus(t, anouk.PostForm(path, webtest.Values("action", "suspend", "reason", "Lopend onderzoek naar een klacht.")), http.StatusSeeOther)
	if res := anouk.PostForm(path, webtest.Values("action", "suspend", "reason", "Nog een keer geschorst.")); res.StatusCode != http.StatusConflict {
		t.Errorf("suspending twice: %d", res.StatusCode)
	}
	webtest.MustStatus(t, anouk.PostForm(path, webtest.Values("action", "reinstate", "reason", "Klacht ongegrond verklaard.")), http.StatusSeeOther)

	// Re-issue under a new name, by the admin.
	reissue := "/beheer/certificaten/" + cert.Number + "/heruitgeven"
	res = admin.PostForm(reissue, webtest.Values("name", cert.HolderName, "reissue_reason", "correctie"))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Dit is al de naam") {
		t.Error("same name lacks its message")
	}
	res = admin.PostForm(reissue, webtest.Values("name", "Şükrü Yıldız", "reissue_reason", "correctie van de naam"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	next := strings.TrimPrefix(res.Header.Get("Location"), "/beheer/certificaten/")
	if v, err := e.svc.Verify(ctx, next); err != nil || v.Cert.HolderName != "Şükrü Yıldız" || v.Cert.Supersedes != cert.Number {
		t.Errorf("re-issued %s: %+v %v", next, v.Cert, err)
	}
	if res := anouk.PostForm("/beheer/certificaten/W20-ADV-2026-000999-1/status", webtest.Values("action", "revoke", "reason", "Een reden van voldoende lengte.")); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown certificate: %d", res.StatusCode)
	}

	// The ZIP export, of a course and of an organisation.
	var orgID int64
	if err := e.db.NewSelect().Table("users").Column("organisation_id").Where("id = ?", holder.ID).Scan(ctx, &orgID); err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]int{"cursus=werken-20-de-basis": 1, fmt.Sprintf("organisatie=%d", orgID): 3} {
		res := admin.Get("/beheer/certificaten/export.zip?" + query)
		webtest.MustStatus(t, res, http.StatusOK)
		if ct, csp := res.Header.Get("Content-Type"), res.Header.Get("Content-Security-Policy"); ct != "application/zip" || !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "sandbox") {
			t.Errorf("%s: %s, policy %q", query, ct, csp)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(res.Body)), int64(len(res.Body)))
		if err != nil || len(zr.File) != want {
			t.Errorf("%s: %d entries, want %d (%v)", query, len(zr.File), want, err)
		}
	}
	for query, status := range map[string]int{"": http.StatusBadRequest, "organisatie=abc": http.StatusNotFound} {
		if res := admin.Get("/beheer/certificaten/export.zip?" + query); res.StatusCode != status {
			t.Errorf("export ?%s: %d, want %d", query, res.StatusCode, status)
		}
	}

	// The holder's page: not yet renewable, listed or not.
	mine := webtest.NewClient(t, e.app)
	mine.Login("sukru@test.example", webtest.Password)
	if res := mine.PostForm("/mijn/certificaten/"+next+"/verlengen", nil); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "kan (nog) niet worden verlengd") {
		t.Errorf("renewing three years early: %d", res.StatusCode)
	}
	webtest.MustStatus(t, mine.PostForm("/mijn/certificaten/"+next+"/register", webtest.Values("listed", "nee")), http.StatusSeeOther)
	if res := webtest.NewClient(t, e.app).Get("/register"); strings.Contains(res.Body, next) {
		t.Error("an unlisted certificate is in the register")
	}
}
