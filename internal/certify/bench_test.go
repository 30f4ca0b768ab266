package certify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// benchCertificate sets up the app with one valid adviser certificate and
// returns the app's handler and the number.
func benchCertificate(b *testing.B) (func(path string), string) {
	b.Helper()
	db := testdb.New(b)
	app := webtest.NewApp(b, db)
	svc := certify.NewService(db, nil, certify.Config{BaseURL: base})
	ctx := context.Background()
	sc := &certify.Scheme{Slug: "adviseur", Title: "Gecertificeerd Overheid 2.0-adviseur", Kind: certify.KindAdviser, Summary: "s", Criteria: "c", ValidityYears: 3, Active: true}
	if err := svc.SaveScheme(ctx, sc); err != nil {
		b.Fatal(err)
	}
	holder := certify.ActorOf(webtest.MustUser(b, db, "Şükrü Yıldız-van Dijk", "sukru@bench.example", "Gemeente Bench").Viewer())
	assessor := certify.ActorOf(webtest.MustUser(b, db, "Anouk", "anouk@bench.example", "", web.RoleAssessor).Viewer())
	a, err := svc.StartApplication(ctx, holder, sc.Slug)
	if err != nil {
		b.Fatal(err)
	}
	if err := svc.Submit(ctx, holder, a.ID, ""); err != nil {
		b.Fatal(err)
	}
	if err := svc.StartReview(ctx, assessor, a.ID); err != nil {
		b.Fatal(err)
	}
	cert, err := svc.Decide(ctx, assessor, a.ID, certify.StateApproved, "Voldoet aan alle criteria.")
	if err != nil {
		b.Fatal(err)
	}
	get := func(path string) {
		res, err := app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", path, res.StatusCode)
		}
	}
	return get, cert.Number
}

// BenchmarkVerifyPage is the public verify page of a valid certificate,
// through the whole application (middleware, one query, template).
func BenchmarkVerifyPage(b *testing.B) {
	get, number := benchCertificate(b)
	for b.Loop() {
		get("/verifieer/" + number)
	}
}

// BenchmarkAPICertificate is the same verification as JSON.
func BenchmarkAPICertificate(b *testing.B) {
	get, number := benchCertificate(b)
	for b.Loop() {
		get("/api/v1/certificates/" + number)
	}
}

// BenchmarkCertificatePDFHTTP is /certificaten/{nummer}.pdf through the
// whole application, the record read from PostgreSQL and the PDF from the
// cache of rendered records.
func BenchmarkCertificatePDFHTTP(b *testing.B) {
	get, number := benchCertificate(b)
	for b.Loop() {
		get("/certificaten/" + number + ".pdf")
	}
}

// BenchmarkCredentialJWT is the signed credential through the whole
// application: the record and the key from PostgreSQL, an Ed25519 signature.
func BenchmarkCredentialJWT(b *testing.B) {
	get, number := benchCertificate(b)
	for b.Loop() {
		get("/certificaten/" + number + ".jwt")
	}
}
