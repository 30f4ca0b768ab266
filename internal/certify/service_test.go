package certify

import (
	"context"
	"errors"
	"fmt"
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
	got, err := f.svc.store.CertificateByNumber(ctx, strings.ToLower(cert.Number))
	if err != nil || got.ID != cert.ID || got.StatusAt(f.clock.Now()) != StatusValid {
		t.Fatalf("CertificateByNumber: %+v, %v", got, err)
	}
	if _, err := f.svc.store.CertificateByNumber(ctx, "W20-ADV-2026-000002-X"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown number: %v", err)
	}
	if _, err := f.svc.store.CertificateByNumber(ctx, "W20-ADV-2026-000001-3"); !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrCheckCharacter) {
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

// Two assessors (or two tabs) deciding at once: exactly one decision
// counts, exactly one certificate is issued, and the other is told.
func TestService_DecideTwiceAtOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, &Scheme{Slug: "open", Title: "Open regeling", Kind: KindTrainer, Summary: "s", Criteria: "c", ValidityYears: 2, Active: true})
	applicant := f.mustUser(t, "Tom de Trainer", "tom@test.example")
	a1 := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	a2 := f.mustUser(t, "Bram", "bram@test.example", web.RoleAssessor)
	for round := 0; round < 5; round++ {
		a, err := f.svc.StartApplication(ctx, applicant, sc.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Submit(ctx, applicant, a.ID, ""); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.StartReview(ctx, a1, a.ID); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 2)
		decide := func(who Actor, to State) {
			_, err := f.svc.Decide(ctx, who, a.ID, to, "Mijn besluit, met een reden.")
			errs <- err
		}
		go decide(a1, StateApproved)
		go decide(a2, StateRejected)
		e1, e2 := <-errs, <-errs
		if (e1 == nil) == (e2 == nil) {
			t.Fatalf("round %d: errors %v and %v, want exactly one success", round, e1, e2)
		}
		if lost := errors.Join(e1, e2); !errors.Is(lost, ErrAlreadyDecided) {
			t.Errorf("round %d: the second decision got %v, want ErrAlreadyDecided", round, lost)
		}
		view, err := f.svc.ApplicationView(ctx, applicant, a.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		decisions := 0
		for _, e := range view.Audit {
			if e.FromState == string(StateInReview) {
				decisions++
			}
		}
		if decisions != 1 {
			t.Errorf("round %d: %d decisions in the audit log", round, decisions)
		}
		n, err := f.db.NewSelect().Table("cert_certificates").Where("application_id = ?", a.ID).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[State]int{StateApproved: 1, StateRejected: 0}[view.App.State]; int(n) != want {
			t.Errorf("round %d: state %s with %d certificates", round, view.App.State, n)
		}
	}
}

func TestService_AssessorNeverDecidesOwnApplication(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, &Scheme{Slug: "open", Title: "Open regeling", Kind: KindAdviser, Summary: "s", Criteria: "c", ValidityYears: 2, Active: true})
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	other := f.mustUser(t, "Bram", "bram@test.example", web.RoleAssessor)
	a, err := f.svc.StartApplication(ctx, assessor, sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(ctx, assessor, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.StartReview(ctx, assessor, a.ID); !errors.Is(err, ErrOwnApplication) {
		t.Errorf("own StartReview: %v", err)
	}
	if err := f.svc.StartReview(ctx, other, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, assessor, a.ID, StateApproved, "Ik keur mezelf goed."); !errors.Is(err, ErrOwnApplication) {
		t.Errorf("own Decide: %v", err)
	}
	learner := f.mustUser(t, "Lotte", "lotte@test.example")
	if _, err := f.svc.Decide(ctx, learner, a.ID, StateApproved, "Ik ben geen beoordelaar."); !errors.Is(err, apperr.ErrForbidden) {
		t.Errorf("learner Decide: %v", err)
	}
	if _, err := f.svc.Decide(ctx, other, a.ID, StateApproved, "kort"); err == nil {
		t.Error("decision with a too short reason accepted")
	}
}

// Nobody but the applicant, assessors and admins sees an application or
// its evidence.
func TestService_NoOneReadsAnothersEvidence(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	applicant := f.mustUser(t, "Lotte", "lotte@test.example")
	other := f.mustUser(t, "Henk", "henk@test.example", web.RoleTrainer, web.RoleProvider)
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	a, err := f.svc.StartApplication(ctx, applicant, sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.svc.AddEvidence(ctx, applicant, a.ID, "cv", "cv.pdf", minimalPDF)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.EvidenceFile(ctx, other, e.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("other reads evidence: %v", err)
	}
	if _, err := f.svc.ApplicationView(ctx, other, a.ID, false); !errors.Is(err, ErrNotFound) {
		t.Errorf("other sees application: %v", err)
	}
	if _, err := f.svc.ApplicationView(ctx, other, a.ID, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("non-assessor sees application as assessor: %v", err)
	}
	if _, err := f.svc.AddEvidence(ctx, other, a.ID, "cv", "cv.pdf", minimalPDF); !errors.Is(err, ErrNotFound) {
		t.Errorf("other adds evidence: %v", err)
	}
	if err := f.svc.DeleteEvidence(ctx, other, a.ID, e.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("other deletes evidence: %v", err)
	}
	got, err := f.svc.EvidenceFile(ctx, applicant, e.ID)
	if err != nil || string(got.Content) != string(minimalPDF) || got.ContentType != "application/pdf" {
		t.Errorf("applicant reads own evidence: %v", err)
	}
	if _, err := f.svc.EvidenceFile(ctx, assessor, e.ID); err != nil {
		t.Errorf("assessor reads evidence: %v", err)
	}
}

func TestService_Transitions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, &Scheme{Slug: "open", Title: "Open regeling", Kind: KindAdviser, Summary: "s", Criteria: "c", ValidityYears: 2, Active: true})
	applicant := f.mustUser(t, "Lotte", "lotte@test.example")
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	a, err := f.svc.StartApplication(ctx, applicant, sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.StartApplication(ctx, applicant, sc.Slug); !errors.Is(err, ErrOpenApplication) {
		t.Errorf("second open application: %v", err)
	}
	// A draft is the applicant's own business: to an assessor it does not exist.
	if _, err := f.svc.Decide(ctx, assessor, a.ID, StateApproved, "Goedgekeurd zonder indiening."); !errors.Is(err, ErrNotFound) {
		t.Errorf("approving a draft: %v", err)
	}
	if err := f.svc.Submit(ctx, applicant, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(ctx, applicant, a.ID, ""); !errors.Is(err, apperr.ErrConflict) {
		t.Errorf("submitting twice: %v", err)
	}
	if err := f.svc.UpdateDetails(ctx, applicant, a.ID, ApplicationDetails{Motivation: "later"}); !errors.Is(err, ErrNotEditable) {
		t.Errorf("editing after submission: %v", err)
	}
	if err := f.svc.StartReview(ctx, assessor, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, assessor, a.ID, StateReturned, "Voeg een tweede praktijkcase toe."); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Submit(ctx, applicant, a.ID, ""); err == nil {
		t.Error("resubmitting without answering the question accepted")
	}
	if err := f.svc.Submit(ctx, applicant, a.ID, "Toegevoegd: de case van Zwolle."); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.StartReview(ctx, assessor, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, assessor, a.ID, StateRejected, "De praktijkcases zijn te licht."); err != nil {
		t.Fatal(err)
	}
	view, err := f.svc.ApplicationView(ctx, applicant, a.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, e := range view.Audit {
		steps = append(steps, e.FromState+">"+e.ToState)
		if e.ActorName == "" || e.At.IsZero() {
			t.Errorf("audit entry without actor or time: %+v", e)
		}
	}
	want := ">draft draft>submitted submitted>in_review in_review>returned returned>submitted submitted>in_review in_review>rejected"
	if got := strings.Join(steps, " "); got != want {
		t.Errorf("audit log\n got %s\nwant %s", got, want)
	}
	if view.Audit[3].Reason != "Voeg een tweede praktijkcase toe." || view.Audit[4].Reason != "Toegevoegd: de case van Zwolle." {
		t.Errorf("reasons not in the log: %+v", view.Audit)
	}
	// After a rejection a new application may start.
	if _, err := f.svc.StartApplication(ctx, applicant, sc.Slug); err != nil {
		t.Errorf("new application after rejection: %v", err)
	}
}

func TestService_StatusChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	holder := f.mustUser(t, "Şükrü Yıldız-van Dijk", "sukru@test.example")
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	learner := f.mustUser(t, "Lotte", "lotte@test.example")
	cert := f.mustApproved(t, sc, holder, assessor)

	steps := []struct {
		who    Actor
		action StatusAction
		reason string
		want   string // status after, or "" when refused
	}{
		{learner, ActionSuspend, "Ik mag dit helemaal niet.", ""},
		{holder, ActionSuspend, "Mijn eigen certificaat.", ""},
		{assessor, ActionSuspend, "kort", ""},
		{assessor, ActionReinstate, "Niet geschorst, dus niet op te heffen.", ""},
		{assessor, ActionSuspend, "Lopend onderzoek naar een klacht.", StatusSuspended},
		{assessor, ActionSuspend, "Nog eens schorsen.", ""},
		{assessor, ActionReinstate, "Klacht ongegrond verklaard.", StatusValid},
		{assessor, ActionRevoke, "Bewijs van praktijkervaring vervalst.", StatusRevoked},
		{assessor, ActionReinstate, "Toch maar weer geldig.", ""},
		{assessor, ActionSuspend, "Schorsen na intrekken.", ""},
	}
	version := 1
	for i, s := range steps {
		got, err := f.svc.ChangeStatus(ctx, s.who, cert.Number, s.action, s.reason)
		if s.want == "" {
			if err == nil {
				t.Errorf("step %d (%s by %s): accepted, want refused", i, s.action, s.who.Name)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d (%s): %v", i, s.action, err)
		}
		version++
		if got.Status != s.want || got.Version != version {
			t.Errorf("step %d: status %s version %d, want %s %d", i, got.Status, got.Version, s.want, version)
		}
		if s.want != StatusValid && got.StatusReason != s.reason {
			t.Errorf("step %d: reason %q", i, got.StatusReason)
		}
	}
	audit, err := f.svc.store.CertificateAudit(ctx, cert.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 4 || audit[3].ToState != StatusRevoked || audit[3].ActorName != "Anouk" {
		t.Errorf("certificate audit = %+v", audit)
	}
}

// What was issued is never edited in place: the database refuses.
func TestStore_IssuedRecordsAreImmutable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	cert := f.mustApproved(t, sc, f.mustUser(t, "Lotte", "lotte@test.example"), f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor))
	for _, set := range []string{"holder_name = 'Iemand Anders'", "title = 'Andere titel'", "expires_at = expires_at + interval '1 year'", "number = 'W20-ADV-2026-000999-1'", "issued_at = now()",
		"subject_id = 'urn:uuid:00000000-0000-4000-8000-000000000000'", "identity_hash = 'sha256$" + strings.Repeat("0", 64) + "'", "identity_salt = '0123456789abcdef0123'", "signing_kid = signing_kid || 'x'"} {
		if _, err := f.db.NewUpdate().Table("cert_certificates").Set(set).Where("id = ?", cert.ID).Exec(ctx); err == nil {
			t.Errorf("UPDATE … SET %s succeeded", set)
		}
	}
	// Nor deleted, in any status; the status changes themselves still work
	// (they are updates of the status columns, each with its audit row).
	del := func() error {
		_, err := f.db.NewDelete().Table("cert_certificates").Where("id = ?", cert.ID).Exec(ctx)
		return err
	}
	if err := del(); err == nil || !strings.Contains(err.Error(), "cannot be deleted") {
		t.Errorf("DELETE of a valid certificate: %v", err)
	}
	if _, err := f.svc.ChangeStatus(ctx, f.mustUser(t, "Bram", "bram@test.example", web.RoleAssessor), cert.Number, ActionSuspend, "Lopend onderzoek naar een klacht."); err != nil {
		t.Fatal(err)
	}
	if err := del(); err == nil {
		t.Error("DELETE of a suspended certificate succeeded")
	}
	if _, err := f.db.NewUpdate().Table("cert_certificates").Set("status = 'revoked', status_reason = 'x'").Where("id = ?", cert.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.NewUpdate().Table("cert_certificates").Set("status = 'valid', status_reason = ''").Where("id = ?", cert.ID).Exec(ctx); err == nil {
		t.Error("a revoked certificate became valid again")
	}
	if err := del(); err == nil {
		t.Error("DELETE of a revoked certificate succeeded")
	}
	if n, err := f.db.NewSelect().Table("cert_certificates").Where("id = ?", cert.ID).Count(ctx); err != nil || n != 1 {
		t.Errorf("certificate rows: %d %v", n, err)
	}
	// Erasing the holder's account keeps the certificate, without the link.
	if _, err := f.db.NewDelete().Table("users").Where("id = ?", *cert.HolderUserID).Exec(ctx); err != nil {
		t.Fatalf("erasing the holder: %v", err)
	}
}

func TestService_RenewalContinuesWithoutGap(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	holder := f.mustUser(t, "Fatima el Idrissi", "fatima@test.example")
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	old := f.mustApproved(t, sc, holder, assessor)

	if _, err := f.svc.StartRenewal(ctx, holder, old.Number); !errors.Is(err, ErrNoRenewal) {
		t.Fatalf("renewal three years early: %v", err)
	}
	f.clock.Add(old.ExpiresAt.Sub(f.clock.Now()) - 60*24*time.Hour) // 60 days before expiry
	stored, err := f.svc.store.CertificateByNumber(ctx, old.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.ExpiresWithin(f.clock.Now(), RenewalWindow) {
		t.Fatal("certificate does not show as expiring")
	}
	other := f.mustUser(t, "Henk", "henk@test.example")
	if _, err := f.svc.StartRenewal(ctx, other, old.Number); !errors.Is(err, ErrNotFound) {
		t.Errorf("someone else renews: %v", err)
	}
	a, err := f.svc.StartRenewal(ctx, holder, old.Number)
	if err != nil {
		t.Fatal(err)
	}
	f.mustEvidence(t, holder, a.ID, sc)
	if err := f.svc.Submit(ctx, holder, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.StartReview(ctx, assessor, a.ID); err != nil {
		t.Fatal(err)
	}
	next, err := f.svc.Decide(ctx, assessor, a.ID, StateApproved, "Verlenging: praktijk voortgezet.")
	if err != nil {
		t.Fatal(err)
	}
	if want := old.ExpiresAt.AddDate(3, 0, 0); !next.ExpiresAt.Equal(want) {
		t.Errorf("renewed until %v, want %v (old expiry + 3 years)", next.ExpiresAt, want)
	}
	if !next.IssuedAt.Before(*old.ExpiresAt) {
		t.Errorf("renewal issued %v, after the old one expired %v: a gap", next.IssuedAt, old.ExpiresAt)
	}
	oldNow, err := f.svc.store.CertificateByNumber(ctx, old.Number)
	if err != nil {
		t.Fatal(err)
	}
	if oldNow.SupersededBy != next.Number || oldNow.Status != StatusRevoked || !strings.Contains(oldNow.StatusReason, next.Number) {
		t.Errorf("old certificate after renewal: %+v", oldNow)
	}
	nextNow, err := f.svc.store.CertificateByNumber(ctx, next.Number)
	if err != nil || nextNow.Supersedes != old.Number {
		t.Errorf("new certificate does not name the old one: %+v %v", nextNow, err)
	}
}

func TestService_ReissueSupersedes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	holder := f.mustUser(t, "Anne de Vries", "anne@test.example")
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	old := f.mustApproved(t, sc, holder, assessor)
	f.clock.Add(24 * time.Hour)
	next, err := f.svc.Reissue(ctx, holder, old.Number, "Anne van Dam-de Vries", "naamswijziging")
	if err != nil {
		t.Fatal(err)
	}
	if next.Number == old.Number || next.HolderName != "Anne van Dam-de Vries" || !next.ExpiresAt.Equal(*old.ExpiresAt) || next.Title != old.Title {
		t.Errorf("re-issued = %+v", next)
	}
	before, err := f.svc.store.CertificateByNumber(ctx, old.Number)
	if err != nil {
		t.Fatal(err)
	}
	if before.HolderName != "Anne de Vries" || before.StatusAt(f.clock.Now()) != StatusRevoked || before.SupersededBy != next.Number {
		t.Errorf("old certificate: %+v", before)
	}
	if _, err := f.svc.Reissue(ctx, holder, old.Number, "Nog een naam", ""); !errors.Is(err, apperr.ErrConflict) {
		t.Errorf("re-issuing a superseded certificate: %v", err)
	}
	if _, err := f.svc.Reissue(ctx, assessor, next.Number, "Iemand Anders", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("an assessor re-issues someone else's certificate: %v", err)
	}
}

func TestService_IssueCourseCertificateOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	learner := f.mustUser(t, "Zoë Ćosić", "zoe@test.example")
	done := CourseCompletion{UserID: learner.ID, HolderName: "Zoë Ćosić", CourseSlug: "werken-20-de-basis",
		CourseTitle: "Werken 2.0 — de basis", CompletedAt: time.Date(2026, time.March, 1, 9, 0, 0, 0, time.UTC)}
	// As the leeromgeving calls it: inside its own transaction, possibly
	// several times and at once.
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			tx, err := f.db.BeginTx(ctx, nil)
			if err != nil {
				errs <- err
				return
			}
			if err := f.svc.IssueCourseCertificate(ctx, tx, done); err != nil {
				_ = tx.Rollback()
				errs <- err
				return
			}
			errs <- tx.Commit()
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	certs, err := f.svc.store.CertificatesOfHolder(ctx, learner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 1 {
		t.Fatalf("%d certificates, want 1", len(certs))
	}
	c := certs[0]
	if c.Kind != KindCourse || c.Title != "Werken 2.0 — de basis" || c.ExpiresAt != nil || c.Listed || !c.IssuedAt.Equal(done.CompletedAt) || c.Number != "W20-CUR-2026-000001-7" {
		t.Errorf("course certificate = %+v", c)
	}
	// A rolled-back completion leaves nothing behind, not even a number.
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := done
	other.CourseSlug, other.CourseTitle = "handreiking-webcare", "Handreiking webcare"
	if err := f.svc.IssueCourseCertificate(ctx, tx, other); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback()
	if err := f.svc.IssueCourseCertificate(ctx, f.db, other); err != nil {
		t.Fatal(err)
	}
	got, _, err := f.svc.store.Certificates(ctx, CertificateFilter{CourseSlug: "handreiking-webcare"})
	if err != nil || len(got) != 1 || got[0].Seq != 2 {
		t.Errorf("after a rollback: %+v %v", got, err)
	}
}

// The queries the Gouden Gids and the reporting page use.
func TestStore_ContractQueries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	a := f.mustUser(t, "Adviseur Een", "een@test.example")
	b := f.mustUser(t, "Adviseur Twee", "twee@test.example")
	ca := f.mustApproved(t, sc, a, assessor)
	f.clock.Add(40 * 24 * time.Hour)
	cb := f.mustApproved(t, sc, b, assessor)
	if err := f.svc.IssueCourseCertificate(ctx, f.db, CourseCompletion{UserID: a.ID, HolderName: "Adviseur Een",
		CourseSlug: "werken-20-de-basis", CourseTitle: "Werken 2.0 — de basis", CompletedAt: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ChangeStatus(ctx, assessor, cb.Number, ActionSuspend, "Lopend onderzoek naar een klacht."); err != nil {
		t.Fatal(err)
	}
	now := f.clock.Now()
	valid, err := f.svc.store.ValidCertificatesOfUsers(ctx, []int64{a.ID, b.ID, 999}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(valid[a.ID]) != 2 || len(valid[b.ID]) != 0 {
		t.Errorf("valid certificates: %+v", valid)
	}
	counts, err := f.svc.store.CountValidByKind(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if counts[KindAdviser] != 1 || counts[KindCourse] != 1 || counts[KindTrainer] != 0 {
		t.Errorf("counts = %v", counts)
	}
	// After the expiry of the first, it no longer counts.
	later := ca.ExpiresAt.Add(time.Hour)
	if counts, _ := f.svc.store.CountValidByKind(ctx, later); counts[KindAdviser] != 0 {
		t.Errorf("counts after expiry = %v", counts)
	}
	months, err := f.svc.store.IssuedPerMonth(ctx, KindAdviser, time.Date(2026, time.October, 15, 0, 0, 0, 0, time.UTC), time.Date(2027, time.February, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range months {
		got = append(got, fmt.Sprintf("%s:%d", m.Month.Format("2006-01"), m.Count))
	}
	if want := "2026-10:0 2026-11:1 2026-12:0 2027-01:1 2027-02:0"; strings.Join(got, " ") != want {
		t.Errorf("issued per month = %s, want %s", strings.Join(got, " "), want)
	}
	all, err := f.svc.store.IssuedPerMonth(ctx, "", time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, time.January, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(all) != 1 || all[0].Count != 2 {
		t.Errorf("all kinds in January = %+v %v", all, err)
	}
}
