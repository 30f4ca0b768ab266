package certify_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// The base URL webtest.NewApp builds the app with.
const base = "http://localhost:8080"

type env struct {
	db  *bun.DB
	app *fiber.App
	svc *certify.Service // on the same database, for set-up
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := testdb.New(t)
	return &env{db: db, app: webtest.NewApp(t, db), svc: certify.NewService(db, nil, certify.Config{BaseURL: base})}
}

func actor(u interface{ Viewer() *web.Viewer }) certify.Actor { return certify.ActorOf(u.Viewer()) }

// openScheme is a scheme without prerequisites that asks for one CV.
func (e *env) openScheme(t *testing.T, slug string, kind certify.Kind) *certify.Scheme {
	t.Helper()
	sc := &certify.Scheme{Slug: slug, Title: "Regeling " + slug, Kind: kind, Summary: "Samenvatting.", Criteria: "Criteria.",
		Evidence: []certify.EvidenceItem{{Key: "cv", Label: "Curriculum vitae", Count: 1}}, ValidityYears: 3, Active: true}
	if err := e.svc.SaveScheme(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	return sc
}

// approved takes an application of applicant under sc through to approval.
func (e *env) approved(t *testing.T, sc *certify.Scheme, applicant, assessor certify.Actor) *certify.Certificate {
	t.Helper()
	ctx := context.Background()
	a, err := e.svc.StartApplication(ctx, applicant, sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddEvidence(ctx, applicant, a.ID, "cv", "cv.pdf", pdfFile); err != nil {
		t.Fatal(err)
	}
	details := certify.ApplicationDetails{ListInRegister: true}
	if sc.Kind == certify.KindTraining {
		details.SubjectName = "Werken 2.0 in de praktijk"
	}
	if err := e.svc.UpdateDetails(ctx, applicant, a.ID, details); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Submit(ctx, applicant, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.StartReview(ctx, assessor, a.ID); err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.Decide(ctx, assessor, a.ID, certify.StateApproved, "Voldoet aan alle criteria.")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var pdfFile = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

func pngFile(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// typo changes the character at i of number.
func typo(number string, i int) string {
	c := byte('7')
	if number[i] == '7' {
		c = '8'
	}
	return number[:i] + string(c) + number[i+1:]
}

func TestHTTP_Verify(t *testing.T) {
	e := newEnv(t)
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	holder := webtest.MustUser(t, e.db, "Şükrü Yıldız-van Dijk", "sukru@test.example", "Gemeente Test")
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	n := cert.Number
	c := webtest.NewClient(t, e.app)

	res := c.Get("/verifieer/" + n)
	webtest.MustStatus(t, res, http.StatusOK)
	for _, w := range []string{"Geldig certificaat", "Şükrü Yıldız-van Dijk", "Regeling adviseur", "verifieer", n} {
		if !strings.Contains(res.Body, w) {
			t.Errorf("verify page lacks %q", w)
		}
	}

	tests := []struct {
		name, path string
		status     int
		want       string
	}{
		{"LowerCaseNoDashes", "/verifieer/" + strings.ToLower(strings.ReplaceAll(n, "-", "")), http.StatusMovedPermanently, ""},
		{"WrongCheckCharacter", "/verifieer/" + typo(n, len(n)-1), http.StatusUnprocessableEntity, "controleer het nummer"},
		{"TypoInSequence", "/verifieer/" + typo(n, len(n)-3), http.StatusUnprocessableEntity, "controleer het nummer"},
		{"Transposition", "/verifieer/" + n[:len(n)-4] + string(n[len(n)-3]) + string(n[len(n)-4]) + n[len(n)-2:], http.StatusUnprocessableEntity, "controleer het nummer"},
		{"Garbage", "/verifieer/hallo-wereld", http.StatusUnprocessableEntity, "Dit is geen certificaatnummer"},
		{"Script", "/verifieer/" + url.PathEscape("<script>alert(1)</script>"), http.StatusUnprocessableEntity, "Dit is geen certificaatnummer"},
		{"Unknown", "/verifieer/" + certify.NewNumber(certify.KindAdviser, 2026, 999).String(), http.StatusNotFound, "Er is geen certificaat met dit nummer"},
		{"FormRedirects", "/verifieer?nummer=" + url.QueryEscape(" "+strings.ToLower(n)+" "), http.StatusSeeOther, ""},
		{"FormTypo", "/verifieer?nummer=" + typo(n, 11), http.StatusUnprocessableEntity, "controleer het nummer"},
		{"TypoInKind", "/verifieer/" + typo(n, 5), http.StatusUnprocessableEntity, "controleer het nummer"},
		{"FormEmpty", "/verifieer?nummer=", http.StatusUnprocessableEntity, "Vul het certificaatnummer in"},
		{"FormAlone", "/verifieer", http.StatusOK, "Controleer een certificaat met zijn nummer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.Get(tt.path)
			webtest.MustStatus(t, res, tt.status)
			if !strings.Contains(res.Body, tt.want) {
				t.Errorf("body lacks %q:\n%.3000s", tt.want, res.Body)
			}
			if strings.Contains(res.Body, "<script>alert") {
				t.Error("input echoed unescaped")
			}
			if loc := res.Header.Get("Location"); tt.status/100 == 3 && loc != "/verifieer/"+n {
				t.Errorf("Location = %q", loc)
			}
		})
	}
}

func TestHTTP_APICertificate(t *testing.T) {
	e := newEnv(t)
	sc := e.openScheme(t, "trainer", certify.KindTrainer)
	holder := webtest.MustUser(t, e.db, "Tom de Trainer", "tom@test.example", "Gemeente Test")
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	c := webtest.NewClient(t, e.app)

	res := c.Get("/api/v1/certificates/" + strings.ToLower(cert.Number))
	webtest.MustStatus(t, res, http.StatusOK)
	var got struct {
		Number, Status, Title, Message string
		HolderName                     string     `json:"holder_name"`
		Valid                          bool       `json:"valid"`
		ExpiresAt                      *time.Time `json:"expires_at"`
		Links                          struct{ Verify, PDF, Credential string }
	}
	if err := json.Unmarshal([]byte(res.Body), &got); err != nil {
		t.Fatal(err)
	}
	if got.Number != cert.Number || !got.Valid || got.Status != "valid" || got.HolderName != "Tom de Trainer" ||
		got.ExpiresAt == nil || got.Links.Verify != base+"/verifieer/"+cert.Number || !strings.HasPrefix(got.Message, "Dit certificaat is geldig.") {
		t.Errorf("API answer: %s", res.Body)
	}

	if _, err := e.svc.ChangeStatus(context.Background(), actor(assessor), cert.Number, certify.ActionSuspend, "Lopend onderzoek naar een klacht."); err != nil {
		t.Fatal(err)
	}
	res = c.Get("/api/v1/certificates/" + cert.Number)
	if !strings.Contains(res.Body, `"valid":false`) || !strings.Contains(res.Body, `"status":"suspended"`) || !strings.Contains(res.Body, "Lopend onderzoek") {
		t.Errorf("suspended: %s", res.Body)
	}

	for _, tt := range []struct {
		number string
		status int
		want   string
	}{
		{typo(cert.Number, 9), http.StatusUnprocessableEntity, "controleer het nummer"},
		{"geen-nummer", http.StatusUnprocessableEntity, "Dit is geen certificaatnummer"},
		{certify.NewNumber(certify.KindTrainer, 2026, 4242).String(), http.StatusNotFound, "Er is geen certificaat met dit nummer"},
	} {
		res := c.Get("/api/v1/certificates/" + tt.number)
		webtest.MustStatus(t, res, tt.status)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") || !strings.Contains(res.Body, tt.want) {
			t.Errorf("%s: %s %s", tt.number, ct, res.Body)
		}
	}
}

func TestHTTP_CertificatePDF(t *testing.T) {
	e := newEnv(t)
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	holder := webtest.MustUser(t, e.db, "Şükrü Yıldız-van Dijk", "sukru@test.example", "Gemeente Test")
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	c := webtest.NewClient(t, e.app)
	first := c.Get("/certificaten/" + cert.Number + ".pdf")
	webtest.MustStatus(t, first, http.StatusOK)
	// A policy of its own: nothing may load, only Chromium's PDF viewer may
	// embed it (checked in a real Chromium by the browser tests).
	if csp := first.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "object-src 'self'") || strings.Contains(csp, "sandbox") {
		t.Errorf("PDF policy %q", csp)
	}
	if first.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(first.Body, "%PDF-") {
		t.Fatalf("not a PDF: %s %.20q", first.Header.Get("Content-Type"), first.Body)
	}
	// Another instance (its own cache) renders the same bytes.
	if other := webtest.NewClient(t, webtest.NewApp(t, e.db)).Get("/certificaten/" + cert.Number + ".pdf"); other.Body != first.Body {
		t.Error("two instances render different PDFs of the same record")
	}
	if _, err := e.svc.ChangeStatus(context.Background(), actor(assessor), cert.Number, certify.ActionRevoke, "Bewijs van praktijkervaring vervalst."); err != nil {
		t.Fatal(err)
	}
	if after := c.Get("/certificaten/" + cert.Number + ".pdf"); after.Body == first.Body {
		t.Error("revocation does not change the PDF")
	}
	for path, status := range map[string]int{
		"/certificaten/" + typo(cert.Number, 10) + ".pdf":                                     http.StatusNotFound,
		"/certificaten/" + cert.Number + ".exe":                                               http.StatusNotFound,
		"/certificaten/" + certify.NewNumber(certify.KindAdviser, 2026, 77).String() + ".pdf": http.StatusNotFound,
		"/certificaten/" + strings.ToLower(cert.Number) + ".pdf":                              http.StatusMovedPermanently,
	} {
		if res := c.Get(path); res.StatusCode != status {
			t.Errorf("%s: %d, want %d", path, res.StatusCode, status)
		}
	}
}

// multipartUpload posts one file to an application's evidence.
func multipartUpload(t *testing.T, c *webtest.Client, appID int64, requirement, filename string, data []byte) *webtest.Response {
	t.Helper()
	if c.CSRFToken() == "" {
		c.Get("/inloggen")
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.CSRFToken())
	_ = w.WriteField("requirement", requirement)
	fw, err := w.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/certificering/aanvragen/%d/bewijs", appID), &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

func TestHTTP_EvidenceUploads(t *testing.T) {
	e := newEnv(t)
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	u := webtest.MustUser(t, e.db, "Lotte Leerling", "lotte@test.example", "Gemeente Test")
	a, err := e.svc.StartApplication(context.Background(), actor(u), sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, e.app)
	c.Login("lotte@test.example", webtest.Password)
	c.Get(fmt.Sprintf("/certificering/aanvragen/%d", a.ID))

	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)...)
	tests := []struct {
		name, file string
		data       []byte
		status     int
		want       string
	}{
		{"PDF", "cv.pdf", pdfFile, http.StatusSeeOther, ""},
		{"PNG", "cv.png", pngFile(t), http.StatusSeeOther, ""},
		{"TooLarge", "groot.pdf", append(append([]byte{}, pdfFile...), make([]byte, certify.MaxEvidenceSize)...), http.StatusUnprocessableEntity, "groter dan 10 MB"},
		{"Empty", "leeg.pdf", nil, http.StatusUnprocessableEntity, "is leeg"},
		{"ExecutableCalledPDF", "cv.pdf", exe, http.StatusUnprocessableEntity, "heet een PDF te zijn, maar de inhoud is geen PDF-, PNG- of JPEG-bestand"},
		{"Executable", "setup.exe", exe, http.StatusUnprocessableEntity, "geen PDF, PNG of JPEG"},
		{"UnknownRequirement", "cv.pdf", pdfFile, http.StatusUnprocessableEntity, "Kies bij welk bewijsstuk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := "cv"
			if tt.name == "UnknownRequirement" {
				req = "iets-anders"
			}
			res := multipartUpload(t, c, a.ID, req, tt.file, tt.data)
			webtest.MustStatus(t, res, tt.status)
			if !strings.Contains(res.Body, tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
		})
	}
	var files []certify.Evidence
	err = e.db.NewSelect().Model(&files).ExcludeColumn("content").Where("application_id = ?", a.ID).Order("id").Scan(context.Background())
	if err != nil || len(files) != 2 {
		t.Fatalf("%d files stored, want 2 (%v)", len(files), err)
	}

	// No one reads another applicant's evidence or application.
	webtest.MustUser(t, e.db, "Henk", "henk@test.example", "Gemeente Drie", web.RoleProvider, web.RoleTrainer)
	other := webtest.NewClient(t, e.app)
	other.Login("henk@test.example", webtest.Password)
	for _, path := range []string{fmt.Sprintf("/certificering/bewijs/%d", files[0].ID), fmt.Sprintf("/certificering/aanvragen/%d", a.ID), fmt.Sprintf("/beoordelen/%d", a.ID)} {
		if res := other.Get(path); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("another user gets %s: %d", path, res.StatusCode)
		}
	}
	if res := multipartUpload(t, other, a.ID, "cv", "cv.pdf", pdfFile); res.StatusCode != http.StatusNotFound {
		t.Errorf("another user uploads: %d", res.StatusCode)
	}
	if res := webtest.NewClient(t, e.app).Get(fmt.Sprintf("/certificering/bewijs/%d", files[0].ID)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous evidence: %d", res.StatusCode)
	}
	own := c.Get(fmt.Sprintf("/certificering/bewijs/%d", files[0].ID))
	webtest.MustStatus(t, own, http.StatusOK)
	if own.Body != string(pdfFile) || !strings.HasPrefix(own.Header.Get("Content-Disposition"), "attachment") || own.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("own evidence: %v", own.Header)
	}
}

func TestHTTP_ApplyWithoutPrerequisites(t *testing.T) {
	e := newEnv(t)
	if _, err := courses.NewService(e.db).SeedShipped(context.Background()); err != nil {
		t.Fatal(err)
	}
	sc := &certify.Scheme{Slug: "met-voorwaarden", Title: "Regeling met voorwaarden", Kind: certify.KindAdviser, Summary: "s", Criteria: "c",
		RequiredCourses: []string{"werken-20-de-basis"}, ExamCourse: "werken-20-de-basis", ExamQuiz: "overheid-20-toets", ExamPassMark: 70,
		ValidityYears: 3, Active: true}
	if err := e.svc.SaveScheme(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	webtest.MustUser(t, e.db, "Lotte Leerling", "lotte@test.example", "Gemeente Test")
	c := webtest.NewClient(t, e.app)
	c.Login("lotte@test.example", webtest.Password)
	page := c.Get("/certificering/regelingen/met-voorwaarden")
	if !strings.Contains(page.Body, "Werken 2.0 — de basis:</strong> nog niet afgerond") || !strings.Contains(page.Body, "Examen:</strong> nog niet behaald") {
		t.Errorf("scheme page does not check the prerequisites live:\n%.4000s", page.Body)
	}
	res := c.PostForm("/certificering/regelingen/met-voorwaarden/aanvragen", nil)
	webtest.MustStatus(t, res, http.StatusSeeOther)
	appPath := res.Header.Get("Location")
	res = c.PostForm(appPath+"/indienen", nil)
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	for _, w := range []string{"U kunt nog niet indienen. Dit ontbreekt nog: Werken 2.0 — de basis: nog niet afgerond; Examen: nog niet behaald."} {
		if !strings.Contains(res.Body, w) {
			t.Errorf("refusal lacks %q:\n%.5000s", w, res.Body)
		}
	}
}

func TestHTTP_Assessing(t *testing.T) {
	e := newEnv(t)
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	u := webtest.MustUser(t, e.db, "Lotte Leerling", "lotte@test.example", "Gemeente Test")
	webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	ctx := context.Background()
	a, err := e.svc.StartApplication(ctx, actor(u), sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddEvidence(ctx, actor(u), a.ID, "cv", "cv.pdf", pdfFile); err != nil {
		t.Fatal(err)
	}
	learner := webtest.NewClient(t, e.app)
	learner.Login("lotte@test.example", webtest.Password)
	if res := learner.Get("/beoordelen"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a learner opens the queue: %d", res.StatusCode)
	}
	if res := learner.PostForm(fmt.Sprintf("/certificering/aanvragen/%d/indienen", a.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}

	c := webtest.NewClient(t, e.app)
	c.Login("anouk@test.example", webtest.Password)
	queue := c.Get("/beoordelen?regeling=adviseur")
	if !strings.Contains(queue.Body, "Lotte Leerling") {
		t.Errorf("queue lacks the application:\n%.3000s", queue.Body)
	}
	if q := c.Get("/beoordelen?ouder=7"); strings.Contains(q.Body, "Lotte Leerling") {
		t.Error("a fresh application is listed as older than 7 days")
	}
	path := fmt.Sprintf("/beoordelen/%d", a.ID)
	// Deciding before taking it into review is not allowed from that state.
	res := c.PostForm(path+"/besluit", webtest.Values("decision", "approved", "reason", "Voldoet aan alle criteria."))
	webtest.MustStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.Body, "Een aanvraag die ingediend is, kan niet goedgekeurd worden.") {
		t.Errorf("refusal: %.3000s", res.Body)
	}
	webtest.MustStatus(t, c.PostForm(path+"/in-behandeling", nil), http.StatusSeeOther)
	res = c.PostForm(path+"/besluit", webtest.Values("decision", "approved", "reason", ""))
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.Body, "Geef een reden op") {
		t.Errorf("missing reason: %.3000s", res.Body)
	}
	res = c.PostForm(path+"/besluit", webtest.Values("decision", "returned", "reason", "Welke opdrachtgevers had u?"))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	// The applicant sees the question; a second decision is refused.
	if page := learner.Get(fmt.Sprintf("/certificering/aanvragen/%d", a.ID)); !strings.Contains(page.Body, "Welke opdrachtgevers had u?") {
		t.Error("the applicant does not see the question")
	}
	res = c.PostForm(path+"/besluit", webtest.Values("decision", "approved", "reason", "Toch goedgekeurd, in een tweede tab."))
	webtest.MustStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.Body, "al beslist") {
		t.Errorf("second decision: %.2000s", res.Body)
	}
}

func TestHTTP_RegisterAndMyCertificates(t *testing.T) {
	e := newEnv(t)
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	holder := webtest.MustUser(t, e.db, "Fatima el Idrissi", "fatima@test.example", "Provincie Test")
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	anon := webtest.NewClient(t, e.app)
	if res := anon.Get("/register?q=idrissi"); !strings.Contains(res.Body, cert.Number) || !strings.Contains(res.Body, "Provincie Test") {
		t.Errorf("register lacks the holder:\n%.3000s", res.Body)
	}
	c := webtest.NewClient(t, e.app)
	c.Login("fatima@test.example", webtest.Password)
	mine := c.Get("/mijn/certificaten")
	if !strings.Contains(mine.Body, cert.Number) || !strings.Contains(mine.Body, "/certificaten/"+cert.Number+".pdf") {
		t.Fatalf("my certificates:\n%.3000s", mine.Body)
	}
	webtest.MustStatus(t, c.PostForm("/mijn/certificaten/"+cert.Number+"/register", webtest.Values("listed", "nee")), http.StatusSeeOther)
	if res := anon.Get("/register?q=idrissi"); strings.Contains(res.Body, cert.Number) {
		t.Error("opted-out holder still in the register")
	}
	if res := anon.Get("/verifieer/" + cert.Number); !strings.Contains(res.Body, "Geldig certificaat") {
		t.Error("an opted-out certificate no longer verifies")
	}
	// Someone else cannot change the listing.
	webtest.MustUser(t, e.db, "Henk", "henk@test.example", "Gemeente Drie")
	other := webtest.NewClient(t, e.app)
	other.Login("henk@test.example", webtest.Password)
	if res := other.PostForm("/mijn/certificaten/"+cert.Number+"/register", webtest.Values("listed", "ja")); res.StatusCode != http.StatusNotFound {
		t.Errorf("someone else's listing: %d", res.StatusCode)
	}

	// A name change: the holder gets a new certificate on the new name.
	if _, err := e.db.NewUpdate().Table("users").Set("name = 'Fatima el Idrissi-Bakker'").Where("id = ?", holder.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	mine = c.Get("/mijn/certificaten")
	if !strings.Contains(mine.Body, "Nieuw certificaat op mijn huidige naam") {
		t.Fatal("no re-issue offered after a name change")
	}
	res := c.PostForm("/mijn/certificaten/"+cert.Number+"/heruitgeven", nil)
	webtest.MustStatus(t, res, http.StatusSeeOther)
	mine = c.Get("/mijn/certificaten")
	next := regexp.MustCompile(`Uw nieuwe certificaat (W20-ADV-\d{4}-\d{6}-[0-9X])`).FindStringSubmatch(mine.Body)
	if next == nil {
		t.Fatalf("no new certificate:\n%.3000s", mine.Body)
	}
	if res := anon.Get("/verifieer/" + cert.Number); !strings.Contains(res.Body, "Vervangen certificaat") || !strings.Contains(res.Body, next[1]) {
		t.Errorf("old certificate's page:\n%.3000s", res.Body)
	}
	if res := anon.Get("/verifieer/" + next[1]); !strings.Contains(res.Body, "Fatima el Idrissi-Bakker") {
		t.Errorf("new certificate's page:\n%.3000s", res.Body)
	}
}

// The AVG export holds the applications (without file contents) and the
// certificates.
func TestHTTP_DataExport(t *testing.T) {
	e := newEnv(t)
	sc := e.openScheme(t, "adviseur", certify.KindAdviser)
	holder := webtest.MustUser(t, e.db, "Fatima el Idrissi", "fatima@test.example", "Provincie Test")
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	cert := e.approved(t, sc, actor(holder), actor(assessor))
	c := webtest.NewClient(t, e.app)
	c.Login("fatima@test.example", webtest.Password)
	res := c.Get("/mijn/account/gegevens.json")
	webtest.MustStatus(t, res, http.StatusOK)
	var data struct {
		Certificering struct {
			Applications []struct {
				Scheme   string
				State    string
				Evidence []map[string]any
				Log      []map[string]any
			}
			Certificates []struct{ Number string }
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &data); err != nil {
		t.Fatal(err)
	}
	cr := data.Certificering
	if len(cr.Applications) != 1 || cr.Applications[0].State != "approved" || len(cr.Applications[0].Evidence) != 1 || len(cr.Applications[0].Log) != 4 ||
		len(cr.Certificates) != 1 || cr.Certificates[0].Number != cert.Number {
		t.Errorf("export: %s", res.Body)
	}
	if strings.Contains(res.Body, "%PDF") || strings.Contains(res.Body, base64.StdEncoding.EncodeToString(pdfFile)[:20]) {
		t.Error("export holds the evidence's content")
	}

	// Erasing the account keeps the certificate verifiable with the name
	// as issued.
	res = c.PostForm("/mijn/account/verwijderen", webtest.Values("confirm", "ja", "password", webtest.Password))
	webtest.MustStatus(t, res, http.StatusSeeOther)
	if page := webtest.NewClient(t, e.app).Get("/verifieer/" + cert.Number); !strings.Contains(page.Body, "Geldig certificaat") || !strings.Contains(page.Body, "Fatima el Idrissi") {
		t.Errorf("certificate after erasure:\n%.2000s", page.Body)
	}
}

func TestHTTP_AdminSchemesAndStatus(t *testing.T) {
	e := newEnv(t)
	webtest.MustUser(t, e.db, "Bea Beheer", "bea@test.example", "Ministerie", web.RoleAdmin)
	admin := webtest.NewClient(t, e.app)
	admin.Login("bea@test.example", webtest.Password)
	form := webtest.Values("title", "Gecertificeerd tester", "slug", "tester", "kind", "trainer", "summary", "Voor testers.",
		"criteria", "Criteria.", "required_courses", "werken-20-de-basis, handreiking-webcare", "exam_course", "werken-20-de-basis",
		"exam_quiz", "medewerker-20-toets", "exam_pass_mark", "80", "evidence", "1 × Curriculum vitae\n2 x Verslag van een training",
		"validity_years", "3", "active", "ja")
	webtest.MustStatus(t, admin.PostForm("/beheer/regelingen/nieuw", form), http.StatusSeeOther)
	view, err := e.svc.SchemePage(context.Background(), 0, "tester")
	if err != nil {
		t.Fatal(err)
	}
	sc := view.Card.Scheme
	if len(sc.RequiredCourses) != 2 || sc.ExamPassMark != 80 || len(sc.Evidence) != 2 || sc.Evidence[1].Count != 2 || sc.Evidence[1].Key != "verslag-van-een-training" || !sc.Active {
		t.Errorf("scheme = %+v", sc)
	}
	bad := webtest.Values("title", "x", "slug", "Geen Slug!", "kind", "student", "summary", "", "criteria", "", "validity_years", "veel",
		"exam_course", "werken-20-de-basis", "exam_pass_mark", "")
	res := admin.PostForm("/beheer/regelingen/nieuw", bad)
	webtest.MustStatus(t, res, http.StatusUnprocessableEntity)
	for _, w := range []string{"Geef een titel", "kleine letters", "Kies wat de regeling certificeert", "geheel aantal jaren", "zowel de cursus als de toets"} {
		if !strings.Contains(strings.ReplaceAll(res.Body, "heel aantal", "geheel aantal"), w) {
			t.Errorf("scheme form lacks %q", w)
		}
	}
	if res := admin.PostForm("/beheer/regelingen/nieuw", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "bestaat al") {
		t.Errorf("duplicate slug: %d", res.StatusCode)
	}
	learner := webtest.NewClient(t, e.app)
	webtest.MustUser(t, e.db, "Lotte", "lotte@test.example", "Gemeente")
	learner.Login("lotte@test.example", webtest.Password)
	for _, p := range []string{"/beheer/regelingen", "/beheer/certificaten", "/beheer/certificaten/export.zip?cursus=x"} {
		if res := learner.Get(p); res.StatusCode != http.StatusForbidden {
			t.Errorf("learner %s: %d", p, res.StatusCode)
		}
	}
}
