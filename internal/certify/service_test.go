package certify

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

func TestService_ApplyAndApprove(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	applicant := f.mustUser(t, "Şükrü Yıldız-van Dijk", "sukru@test.example")
	assessor := f.mustUser(t, "Anouk Beoordelaar", "anouk@test.example", web.RoleAssessor)

	cert := f.mustApproved(t, sc, applicant, assessor)
	if cert.Kind != KindAdviser || cert.HolderName != "Şükrü Yıldız-van Dijk" || cert.Title != sc.Title {
		t.Errorf("certificate = %+v", cert)
	}
	n, err := ParseNumber(cert.Number)
	if err != nil || n.Kind() != KindAdviser || n.Year() != 2026 || n.Seq() != 1 {
		t.Errorf("number %s: %v", cert.Number, err)
	}
	want := f.clock.Now().AddDate(3, 0, 0)
	if cert.ExpiresAt == nil || !cert.ExpiresAt.Equal(want) {
		t.Errorf("expires %v, want %v", cert.ExpiresAt, want)
	}
	got, err := f.svc.Store.CertificateByNumber(ctx, strings.ToLower(cert.Number))
	if err != nil || got.ID != cert.ID || got.StatusAt(f.clock.Now()) != StatusValid {
		t.Fatalf("CertificateByNumber: %+v, %v", got, err)
	}
	if _, err := f.svc.Store.CertificateByNumber(ctx, "W20-ADV-2026-000002-X"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown number: %v", err)
	}
	if _, err := f.svc.Store.CertificateByNumber(ctx, "W20-ADV-2026-000001-3"); !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrCheckCharacter) {
		t.Errorf("wrong check character: %v", err)
	}
}

func TestService_SubmitListsWhatIsMissing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	applicant := f.mustUser(t, "Lotte Leerling", "lotte@test.example")
	a, err := f.svc.StartApplication(ctx, applicant, sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	f.records.score(applicant.ID, "werken-20-de-basis", "overheid-20-toets", 55)
	if _, err := f.svc.AddEvidence(ctx, applicant, a.ID, "praktijkcase", "case.pdf", minimalPDF); err != nil {
		t.Fatal(err)
	}
	err = f.svc.Submit(ctx, applicant, a.ID, "")
	v, ok := apperr.AsValidation(err)
	if !ok {
		t.Fatalf("Submit error = %v, want a validation error", err)
	}
	for _, w := range []string{
		"Werken 2.0 — de basis: nog niet afgerond",
		"Examen: nog niet behaald (beste score 55%, nodig 70%)",
		"Curriculum vitae: 0 van 1 bestand(en) geüpload",
		"Praktijkcase: 1 van 2 bestand(en) geüpload",
	} {
		if !strings.Contains(v.Message, w) {
			t.Errorf("message lacks %q:\n%s", w, v.Message)
		}
	}
	view, err := f.svc.ApplicationView(ctx, applicant, a.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(view.Missing) != 4 || view.App.State != StateDraft {
		t.Errorf("missing = %q, state %s", view.Missing, view.App.State)
	}
	f.records.complete(applicant.ID, "werken-20-de-basis", time.Date(2026, time.November, 3, 15, 0, 0, 0, time.UTC))
	checks, err := f.svc.Prerequisites(ctx, applicant.ID, sc)
	if err != nil {
		t.Fatal(err)
	}
	if checks[0].String() != "Werken 2.0 — de basis: afgerond op 3 november 2026" {
		t.Errorf("check = %q", checks[0].String())
	}
}
