package certify

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// mails are the notices in the outbox, oldest first.
func (f *fixture) mails(t *testing.T) []mail.Notice {
	t.Helper()
	var rows []json.RawMessage
	if err := f.db.NewSelect().Table("outbox").Column("payload").Where("kind = ?", mail.Kind).Order("id").Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	out := make([]mail.Notice, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// mailsTo are the notices to address.
func mailsTo(all []mail.Notice, address string) []mail.Notice {
	var out []mail.Notice
	for _, n := range all {
		if n.To == address {
			out = append(out, n)
		}
	}
	return out
}

func mustMail(t *testing.T, all []mail.Notice, to, subject, link string, body ...string) {
	t.Helper()
	for _, n := range mailsTo(all, to) {
		if !strings.Contains(n.Subject, subject) {
			continue
		}
		if n.Link != link || n.Topic != mail.TopicCertification || n.Action == "" || n.UserID == 0 {
			t.Errorf("mail %q to %s: link %q, topic %s, action %q", n.Subject, to, n.Link, n.Topic, n.Action)
		}
		for _, b := range body {
			if !strings.Contains(n.Body, b) {
				t.Errorf("mail %q to %s lacks %q:\n%s", n.Subject, to, b, n.Body)
			}
		}
		if strings.Contains(n.Body, " je ") || strings.Contains(n.Body, " jij ") || !strings.HasPrefix(n.Body, "Beste ") {
			t.Errorf("mail %q does not address the reader with u:\n%s", n.Subject, n.Body)
		}
		return
	}
	t.Errorf("no mail %q to %s among %d", subject, to, len(mailsTo(all, to)))
}

// mustComplete starts applicant's application under sc, with everything
// it needs for submitting.
func (f *fixture) mustComplete(t *testing.T, sc *Scheme, applicant Actor) *Application {
	t.Helper()
	f.records.complete(applicant.ID, "werken-20-de-basis", f.clock.Now())
	f.records.score(applicant.ID, "werken-20-de-basis", "overheid-20-toets", 90)
	a, err := f.svc.StartApplication(context.Background(), applicant, sc.Slug)
	if err != nil {
		t.Fatal(err)
	}
	f.mustEvidence(t, applicant, a.ID, sc)
	return a
}

func TestService_MailsOfTheJourney(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	applicant := f.mustUser(t, "Priya Adviseur", "priya@test.example")
	anouk := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	bram := f.mustUser(t, "Bram", "bram@test.example", web.RoleAssessor)
	a := f.mustComplete(t, sc, applicant)
	if n := len(f.mails(t)); n != 0 {
		t.Fatalf("%d mails before anything happened", n)
	}
	if err := f.svc.Submit(ctx, applicant, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	all := f.mails(t)
	appLink := applicationPath(a.ID)
	for _, to := range []string{"anouk@test.example", "bram@test.example"} {
		mustMail(t, all, to, "Nieuwe aanvraag in de wachtrij", "/beoordelen/"+itoa(a.ID), "Priya Adviseur", sc.Title)
	}
	if len(mailsTo(all, "priya@test.example")) != 0 {
		t.Error("the applicant is mailed about their own submission")
	}

	if err := f.svc.StartReview(ctx, anouk, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, anouk, a.ID, StateReturned, "Voeg een tweede praktijkcase uit 2026 toe."); err != nil {
		t.Fatal(err)
	}
	mustMail(t, f.mails(t), "priya@test.example", "aanvulling gevraagd", appLink, "Voeg een tweede praktijkcase uit 2026 toe.")
	if err := f.svc.Submit(ctx, applicant, a.ID, "De tweede case is toegevoegd."); err != nil {
		t.Fatal(err)
	}
	mustMail(t, f.mails(t), "bram@test.example", "Aangevulde aanvraag", "/beoordelen/"+itoa(a.ID), "De tweede case is toegevoegd.")
	if err := f.svc.StartReview(ctx, bram, a.ID); err != nil {
		t.Fatal(err)
	}
	cert, err := f.svc.Decide(ctx, bram, a.ID, StateApproved, "Overtuigende praktijkcases, alles in orde.")
	if err != nil {
		t.Fatal(err)
	}
	all = f.mails(t)
	mustMail(t, all, "priya@test.example", "is goedgekeurd", appLink, "Overtuigende praktijkcases", cert.Number)
	mustMail(t, all, "priya@test.example", "Uw certificaat "+cert.Number+" is uitgegeven", "/verifieer/"+cert.Number, web.DutchDate(*cert.ExpiresAt))

	for _, step := range []struct {
		action  StatusAction
		reason  string
		subject string
	}{
		{ActionSuspend, "Lopend onderzoek naar een klacht.", "is geschorst"},
		{ActionReinstate, "Klacht ongegrond verklaard.", "is weer geldig"},
		{ActionRevoke, "Bewijs van praktijkervaring vervalst.", "is ingetrokken"},
	} {
		if _, err := f.svc.ChangeStatus(ctx, anouk, cert.Number, step.action, step.reason); err != nil {
			t.Fatal(err)
		}
		mustMail(t, f.mails(t), "priya@test.example", step.subject, "/verifieer/"+cert.Number, step.reason)
	}

	// A rejection, with its reason.
	other := f.mustUser(t, "Kees", "kees@test.example")
	b := f.mustComplete(t, sc, other)
	if err := f.svc.Submit(ctx, other, b.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.StartReview(ctx, anouk, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, anouk, b.ID, StateRejected, "De praktijkcases gaan niet over werken 2.0."); err != nil {
		t.Fatal(err)
	}
	mustMail(t, f.mails(t), "kees@test.example", "is afgewezen", applicationPath(b.ID), "De praktijkcases gaan niet over werken 2.0.")

	// Every event mails each recipient once: the keys are unique.
	keys := map[string]bool{}
	for _, n := range f.mails(t) {
		if keys[n.Key] {
			t.Errorf("key %s twice", n.Key)
		}
		keys[n.Key] = true
	}
}

// A decision that rolls back takes its mails with it.
func TestService_RolledBackDecisionMailsNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	applicant := f.mustUser(t, "Priya Adviseur", "priya@test.example")
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	a := f.mustComplete(t, sc, applicant)
	if err := f.svc.Submit(ctx, applicant, a.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.StartReview(ctx, assessor, a.ID); err != nil {
		t.Fatal(err)
	}
	before := len(f.mails(t))
	// The last step of an approval (the certificate's mail) fails: the
	// approval mail queued before it must go too.
	if _, err := f.db.ExecContext(ctx, `CREATE FUNCTION refuse_issued_mail() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.dedupe_key LIKE 'certify:issued:%' THEN RAISE EXCEPTION 'mail server weg'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER refuse_issued_mail BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_issued_mail()`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(ctx, assessor, a.ID, StateApproved, "Overtuigende praktijkcases, alles in orde."); err == nil {
		t.Fatal("the approval succeeded although its mail could not be queued")
	}
	if got := len(f.mails(t)); got != before {
		t.Errorf("%d mails after a rolled-back approval, want %d", got, before)
	}
	view, err := f.svc.ApplicationView(ctx, applicant, a.ID, false)
	if err != nil || view.App.State != StateInReview || view.Certificate != nil {
		t.Errorf("after the rollback: %v %v", view.App.State, err)
	}
}

func TestService_ExpiryReminders(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sc := f.mustScheme(t, adviserScheme())
	holder := f.mustUser(t, "Priya Adviseur", "priya@test.example")
	assessor := f.mustUser(t, "Anouk", "anouk@test.example", web.RoleAssessor)
	cert := f.mustApproved(t, sc, holder, assessor)
	expires := *cert.ExpiresAt
	reminders := func(at time.Time) []mail.Notice {
		t.Helper()
		if _, err := f.svc.SendExpiryReminders(ctx, at); err != nil {
			t.Fatal(err)
		}
		var out []mail.Notice
		for _, n := range f.mails(t) {
			if strings.HasPrefix(n.Key, "certify:expiry-") {
				out = append(out, n)
			}
		}
		return out
	}
	if got := reminders(expires.AddDate(0, 0, -61)); len(got) != 0 {
		t.Fatalf("reminder 61 days before: %v", got)
	}
	got := reminders(expires.AddDate(0, 0, -60))
	if len(got) != 1 || !strings.Contains(got[0].Body, "over 60 dagen") || got[0].Link != "/mijn/certificaten#"+cert.Number {
		t.Fatalf("60-day reminder: %+v", got)
	}
	mustMail(t, got, "priya@test.example", "verloopt op "+web.DutchDate(expires), "/mijn/certificaten#"+cert.Number, "Vraag nu verlenging aan")
	// Daily runs until 14 days before add nothing; then the second one.
	for d := 59; d > 14; d -= 7 {
		if got := reminders(expires.AddDate(0, 0, -d)); len(got) != 1 {
			t.Fatalf("%d days before: %d reminders", d, len(got))
		}
	}
	if got := reminders(expires.AddDate(0, 0, -14)); len(got) != 2 || !strings.Contains(got[1].Body, "over 14 dagen") {
		t.Fatalf("14-day reminder: %+v", got)
	}
	if got := reminders(expires.AddDate(0, 0, -3)); len(got) != 2 {
		t.Fatalf("rerun: %d reminders", len(got))
	}
	if got := reminders(expires.AddDate(0, 0, 1)); len(got) != 2 {
		t.Fatalf("after expiry: %d reminders", len(got))
	}

	// Concurrent runs (two instances) queue each reminder once.
	other := f.mustUser(t, "Kees", "kees@test.example")
	second := f.mustApproved(t, sc, other, assessor)
	at := second.ExpiresAt.AddDate(0, 0, -10)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			if _, err := f.svc.SendExpiryReminders(ctx, at); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(mailsTo(reminders(at), "kees@test.example")); n != 1 {
		t.Errorf("%d reminders to kees after four concurrent runs, want 1 (the 14-day one)", n)
	}
	// A certificate being renewed is not reminded.
	third := f.mustUser(t, "Lotte", "lotte@test.example")
	renewing := f.mustApproved(t, sc, third, assessor)
	f.clock.Add(renewing.ExpiresAt.AddDate(0, 0, -30).Sub(f.clock.Now()))
	if _, err := f.svc.StartRenewal(ctx, third, renewing.Number); err != nil {
		t.Fatal(err)
	}
	if n := len(mailsTo(reminders(f.clock.Now()), "lotte@test.example")); n != 0 {
		t.Errorf("%d reminders for a certificate being renewed", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
