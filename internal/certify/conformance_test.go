//go:build conformance

package certify_test

// The credentials against 1EdTech's own JSON Schemas for Open Badges 3.0,
// read from OB3_SCHEMA_DIR: `make conformance` runs this, `make test` does
// not (the schemas are reference data, not part of the product).

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

func schema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	dir := os.Getenv("OB3_SCHEMA_DIR")
	if dir == "" {
		t.Fatal("OB3_SCHEMA_DIR names no folder: run this test with make conformance")
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, what string, doc []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(doc)))
	if err != nil {
		t.Fatalf("%s is not JSON: %v", what, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s fails the official schema:\n%v\n%s", what, err, doc)
	}
}

func TestConformance_OpenBadges(t *testing.T) {
	credSchema, profileSchema := schema(t, "achievementcredential.json"), schema(t, "profile.json")
	e := newEnv(t)
	ctx := context.Background()
	assessor := webtest.MustUser(t, e.db, "Anouk", "anouk@test.example", "", web.RoleAssessor)
	var numbers []string
	for i, kind := range []certify.Kind{certify.KindTrainer, certify.KindAdviser, certify.KindTraining} {
		sc := e.openScheme(t, "regeling-"+string(kind), kind)
		holder := webtest.MustUser(t, e.db, "Houder "+string(kind), string(kind)+"@test.example", "Organisatie "+string(kind), web.RoleProvider)
		cert := e.approved(t, sc, actor(holder), actor(assessor))
		numbers = append(numbers, cert.Number)
		switch i {
		case 0: // a suspended one
			if _, err := e.svc.ChangeStatus(ctx, actor(assessor), cert.Number, certify.ActionSuspend, "Lopend onderzoek naar een klacht."); err != nil {
				t.Fatal(err)
			}
		case 1: // a re-issued one, and so a revoked one
			next, err := e.svc.Reissue(ctx, actor(holder), cert.Number, "Houder Adviseur-de Vries", "naamswijziging")
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, next.Number)
		}
	}
	learner := webtest.MustUser(t, e.db, "Şükrü Yıldız-van Dijk", "sukru@test.example", "Gemeente Test")
	if err := e.svc.IssueCourseCertificate(ctx, e.db, certify.CourseCompletion{UserID: learner.ID, HolderName: learner.Name,
		CourseSlug: "werken-20-de-basis", CourseTitle: "Werken 2.0 — de basis", CompletedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	courseCerts, _, err := e.svc.Certificates(ctx, certify.CertificateFilter{CourseSlug: "werken-20-de-basis"})
	if err != nil || len(courseCerts) != 1 {
		t.Fatal(err)
	}
	numbers = append(numbers, courseCerts[0].Number)

	c := webtest.NewClient(t, e.app)
	for _, n := range numbers {
		res := c.Get("/certificaten/" + n + ".json")
		validate(t, credSchema, n+".json", []byte(res.Body))
		token := c.Get("/certificaten/" + n + ".jwt").Body
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			t.Fatalf("%s.jwt is no compact JWS", n)
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		validate(t, credSchema, n+".jwt payload", payload)
		if _, _, err := parseJWT(t, c, token, time.Now()); err != nil {
			t.Errorf("%s.jwt: %v", n, err)
		}
		t.Logf("%s: %s", n, statusOf(t, c, n))
	}
	validate(t, profileSchema, "/api/v1/issuer", []byte(c.Get("/api/v1/issuer").Body))

	// The schema does catch what was wrong before: two status entries.
	var cred map[string]any
	if err := json.Unmarshal([]byte(c.Get("/certificaten/"+numbers[0]+".json").Body), &cred); err != nil {
		t.Fatal(err)
	}
	cred["credentialStatus"] = []any{cred["credentialStatus"], cred["credentialStatus"]}
	bad, _ := json.Marshal(cred)
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(string(bad)))
	if credSchema.Validate(inst) == nil {
		t.Error("the schema accepts an array of status entries: is it the official one?")
	}
}
