package main

import (
	"archive/zip"
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

func runWith(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	err := run(t.Context(), args, func(k string) string { return env[k] }, &out)
	return out.String(), err
}

func TestRun_KeysRotate(t *testing.T) {
	dbURL := testdb.NewURL(t)
	env := map[string]string{"DATABASE_URL": dbURL}
	out, err := runWith(t, env, "keys", "rotate")
	if err != nil || !strings.Contains(out, "Nieuwe ondertekeningssleutel") || !strings.Contains(out, "2 sleutel(s)") {
		t.Fatalf("first rotation: %v\n%s", err, out)
	}
	out, err = runWith(t, env, "keys", "rotate")
	if err != nil || !strings.Contains(out, "3 sleutel(s)") {
		t.Fatalf("second rotation: %v\n%s", err, out)
	}
	svc := certify.NewService(testdb.Open(t, dbURL), nil, certify.Config{BaseURL: "http://localhost:8080"})
	jwks, err := svc.JWKS(context.Background())
	if err != nil || len(jwks.Keys) != 3 {
		t.Errorf("JWKS after two rotations: %v %v", jwks, err)
	}
	for _, k := range jwks.Keys {
		if k.Algorithm != certify.AlgRS256 || !strings.HasPrefix(k.KeyID, "http://localhost:8080/api/v1/keys/") {
			t.Errorf("key %s: alg %s", k.KeyID, k.Algorithm)
		}
	}
	if _, err := runWith(t, env, "keys"); err == nil {
		t.Error("keys without a subcommand succeeded")
	}
}

func TestRun_CertificatesExport(t *testing.T) {
	dbURL := testdb.NewURL(t)
	db := testdb.Open(t, dbURL)
	ctx := context.Background()
	svc := certify.NewService(db, nil, certify.Config{BaseURL: "http://localhost:8080"})
	names := []string{"Şükrü Yıldız-van Dijk", "Zoë Ćosić", "Lotte Leerling"}
	for i, name := range names {
		org := "Gemeente Export"
		if i > 0 {
			org = "" // in no organisation
		}
		u := webtest.MustUser(t, db, name, strings.ToLower(strings.Fields(name)[0])+"@export.example", org)
		if err := svc.IssueCourseCertificate(ctx, db, certify.CourseCompletion{UserID: u.ID, HolderName: name, CourseSlug: "werken-20-de-basis",
			CourseTitle: "Werken 2.0 — de basis", CompletedAt: time.Date(2026, time.March, i+1, 10, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"DATABASE_URL": dbURL}
	out := filepath.Join(t.TempDir(), "cursus.zip")
	log, err := runWith(t, env, "certificates", "export", "--course", "werken-20-de-basis", "--out", out)
	if err != nil {
		t.Fatalf("export: %v\n%s", err, log)
	}
	if !strings.Contains(log, "Certificaten") || !strings.Contains(log, "3/3") || !strings.Contains(log, "3 certificaat/certificaten geschreven") {
		t.Errorf("progress and summary:\n%s", log)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 3 || !strings.HasPrefix(zr.File[0].Name, "W20-CUR-2026-000001-7 ") || !strings.HasSuffix(zr.File[0].Name, ".pdf") {
		t.Fatalf("entries: %v", zr.File)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 5)
	f.Read(head)
	f.Close()
	if string(head) != "%PDF-" {
		t.Errorf("entry is not a PDF: %q", head)
	}

	orgOut := filepath.Join(t.TempDir(), "org.zip")
	if log, err := runWith(t, env, "certificates", "export", "--organisation", "gemeente export", "--out", orgOut); err != nil || !strings.Contains(log, "1 certificaat") {
		t.Errorf("organisation export: %v\n%s", err, log)
	}
	for _, args := range [][]string{
		{"certificates", "export", "--out", out},
		{"certificates", "export", "--course", "x", "--organisation", "y", "--out", out},
		{"certificates", "export", "--course", "x", "--out", "x.txt"},
		{"certificates", "export", "--organisation", "Bestaat Niet", "--out", out},
		{"certificates"},
	} {
		if _, err := runWith(t, env, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}

// The demo content loads on a DATABASE_URL database, and loading it again
// adds nothing. It looks lived in: a catalogue, learners and a year.
func TestRun_SeedDemo(t *testing.T) {
	dbURL := testdb.NewURL(t)
	env := map[string]string{"DATABASE_URL": dbURL}
	for range 2 {
		if out, err := runWith(t, env, "seed", "--demo"); err != nil {
			t.Fatalf("seed: %v\n%s", err, out)
		}
	}
	db := testdb.Open(t, dbURL)
	ctx := context.Background()
	count := func(table, where string) int {
		n, err := db.NewSelect().Table(table).Where(where).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	if n := count("cert_schemes", "active"); n != 3 {
		t.Errorf("%d schemes", n)
	}
	if n := count("cert_certificates", "kind <> 'course'"); n != 11 {
		t.Errorf("%d certificates", n)
	}
	// The demo learner who completed a course got its certificate through
	// the same completion hook as anyone.
	if n := count("cert_certificates", "kind = 'course' AND holder_name = 'Lotte Leerling'"); n != 1 {
		t.Errorf("%d course certificates for the demo learner", n)
	}
	if n := count("cert_certificates", "status = 'revoked' AND status_reason <> ''"); n != 1 {
		t.Errorf("%d revoked certificates", n)
	}
	if n := count("cert_certificates", "status = 'suspended'"); n != 1 {
		t.Errorf("%d suspended certificates", n)
	}
	if n := count("cert_certificates", "kind = 'training' AND holder_name = 'Werken 2.0 — de basis'"); n != 1 {
		t.Errorf("%d training certificates", n)
	}
	if n := count("cert_applications", "state = 'submitted'"); n != 1 {
		t.Errorf("%d submitted applications", n)
	}
	if n := count("cert_evidence", "true"); n != 4 {
		t.Errorf("%d evidence files", n)
	}
	for _, c := range []struct {
		table, where string
		min          int
	}{
		{"catalogue_providers", "status = 'approved'", 25},
		{"catalogue_providers", "kind = 'institute'", 8},
		{"catalogue_providers", "kind = 'firm'", 6},
		{"catalogue_providers", "kind = 'independent'", 6},
		{"catalogue_offerings", "listed", 60},
		{"catalogue_reviews", "true", 250},
		{"catalogue_reviews", "verified", 180},
		{"catalogue_reviews", "overall <= 2", 10},
		{"catalogue_pilots", "status = 'open'", 4},
		{"catalogue_pilots", "status = 'matched'", 4},
		{"catalogue_pilots", "status = 'completed'", 4},
		{"catalogue_pilots", "true", 15},
		{"catalogue_quote_requests", "status = 'accepted'", 2},
		{"users", "roles = '{}'", 200},
		{"organisations", "id IN (SELECT organisation_id FROM users WHERE roles = '{}')", 12},
		{"enrolments", "completed_at IS NOT NULL", 120},
	} {
		if n := count(c.table, c.where); n < c.min {
			t.Errorf("%s where %s: %d, want at least %d", c.table, c.where, n, c.min)
		}
	}
	for _, col := range []string{"themes", "provinces"} {
		var missing int
		if err := db.NewRaw("SELECT count(*) FROM unnest(?::text[]) v WHERE NOT EXISTS (SELECT 1 FROM catalogue_offerings WHERE v = ANY("+col+"))",
			pgdialect.Array(map[string][]string{"themes": {"webcare", "sociale-media", "online-samenwerken", "kennisdelen", "leiderschap", "participatie",
				"open-data", "open-overheid", "digitale-vaardigheden", "netwerkorganisatie"}, "provinces": {"drenthe", "flevoland", "friesland", "gelderland",
				"groningen", "limburg", "noord-brabant", "noord-holland", "overijssel", "utrecht", "zeeland", "zuid-holland", "landelijk", "online"}}[col])).Scan(ctx, &missing); err != nil || missing != 0 {
			t.Errorf("%d %s without an offering (%v)", missing, col, err)
		}
	}
	var months int
	if err := db.NewRaw("SELECT count(DISTINCT date_trunc('month', completed_at)) FROM enrolments WHERE completed_at > now() - interval '1 year'").Scan(ctx, &months); err != nil || months < 11 {
		t.Errorf("completions in %d of the last twelve months (%v)", months, err)
	}
	if n := count("cert_certificates", "kind = 'trainer' AND expires_at < now()"); n != 1 {
		t.Errorf("%d expired certificates", n)
	}
	svc := certify.NewService(db, nil, certify.Config{BaseURL: "http://localhost:8080"})
	certs, _, err := svc.Certificates(ctx, certify.CertificateFilter{Query: "Tom de Trainer"})
	if err != nil || len(certs) != 1 || !certs[0].ExpiresWithin(time.Now(), certify.RenewalWindow) {
		t.Errorf("the demo trainer's certificate should expire within 90 days: %+v %v", certs, err)
	}
}

// The expiry reminders with the clock moved by the CLI: two instances at
// once and a rerun queue each reminder once.
func TestRun_JobsExpiryReminders(t *testing.T) {
	dbURL := testdb.NewURL(t)
	env := map[string]string{"DATABASE_URL": dbURL}
	if out, err := runWith(t, env, "seed", "--demo"); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	out, err := runWith(t, env, "jobs", "list")
	if err != nil || !strings.Contains(out, "certificate-expiry-reminders") || !strings.Contains(out, "sessions-purge") {
		t.Fatalf("jobs list: %v\n%s", err, out)
	}
	db := testdb.Open(t, dbURL)
	ctx := context.Background()
	svc := certify.NewService(db, nil, certify.Config{BaseURL: "http://localhost:8080"})
	certs, _, err := svc.Certificates(ctx, certify.CertificateFilter{Query: "Tom de Trainer"})
	if err != nil || len(certs) != 1 {
		t.Fatal(err)
	}
	expires := *certs[0].ExpiresAt
	reminders := func() []string {
		var keys []string
		err := db.NewSelect().Table("outbox").Column("dedupe_key").Where("dedupe_key LIKE 'certify:expiry-%'").Order("dedupe_key").Scan(ctx, &keys)
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	at := expires.AddDate(0, 0, -13).Format(time.RFC3339)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := runWith(t, env, "jobs", "run", certify.ReminderJob, "--now", at)
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if out, err := runWith(t, env, "jobs", "run", certify.ReminderJob, "--now", at); err != nil || !strings.Contains(out, "is uitgevoerd") {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	want := "certify:expiry-14:" + certs[0].Number + ":user:" + strconv.FormatInt(*certs[0].HolderUserID, 10)
	if got := reminders(); !slices.Contains(got, want) || len(got) != len(slices.Compact(got)) {
		t.Errorf("reminders %v, want one %s", got, want)
	}
	for _, args := range [][]string{
		{"jobs", "run", "bestaat-niet"},
		{"jobs", "run", certify.ReminderJob, "--now", "morgen"},
		{"jobs", "run"},
		{"jobs"},
	} {
		if _, err := runWith(t, env, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}
