package catalogue

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
)

// The mails of the Gids, each queued in the transaction of its event, so
// the mail goes if and only if the event happened; the key names the event
// and the recipient, so a retried event mails once.

// tellOwners queues one notice per owner of provider.
func tellOwners(ctx context.Context, tx bun.Tx, st *store, provider int64, key string, n mail.Notice) error {
	owners, err := st.ownerRecipients(ctx, provider)
	if err != nil {
		return err
	}
	for _, o := range owners {
		n := n
		n.Key, n.UserID, n.To, n.ToName = fmt.Sprintf("%s:user:%d", key, o.UserID), o.UserID, o.Email, o.Name
		if err := mail.Queue(ctx, tx, n); err != nil {
			return err
		}
	}
	return nil
}

// tellUser queues a notice to the account user, when it still exists.
func tellUser(ctx context.Context, tx bun.Tx, st *store, user int64, key string, n mail.Notice) error {
	r, ok, err := st.userRecipient(ctx, user)
	if err != nil || !ok {
		return err
	}
	n.Key, n.UserID, n.To, n.ToName = key, r.UserID, r.Email, r.Name
	return mail.Queue(ctx, tx, n)
}

func (s *Service) noticeNewReview(ctx context.Context, tx bun.Tx, st *store, o *Offering, r *Review) error {
	proof := "De schrijver heeft volgens onze gegevens niet aantoonbaar deelgenomen; de review telt daarom minder zwaar mee in de rangorde."
	if r.Verified {
		proof = "De schrijver heeft aantoonbaar deelgenomen."
	}
	return tellOwners(ctx, tx, st, o.ProviderID, fmt.Sprintf("gids-review:%d", r.ID), mail.Notice{
		Topic: mail.TopicCatalogue, Subject: "Nieuwe review van “" + o.Title + "”",
		Body: fmt.Sprintf("Er staat een nieuwe review van %d van 5 sterren bij uw aanbod “%s” in de Gouden Gids.\n\n%s\n\nU kunt één keer openbaar reageren.",
			r.Overall, o.Title, proof),
		Link: fmt.Sprintf("/gids/aanbod/%d#review-%d", o.ID, r.ID), Action: "Bekijk de review",
	})
}

func (s *Service) noticeReply(ctx context.Context, tx bun.Tx, st *store, o *Offering, r *Review) error {
	return tellUser(ctx, tx, st, r.UserID, fmt.Sprintf("gids-reply:%d", r.ID), mail.Notice{
		Topic: mail.TopicCatalogue, Subject: o.Provider.Name + " reageerde op uw review",
		Body: fmt.Sprintf("%s heeft gereageerd op uw review van “%s” in de Gouden Gids.", o.Provider.Name, o.Title),
		Link: fmt.Sprintf("/gids/aanbod/%d#review-%d", o.ID, r.ID), Action: "Lees de reactie",
	})
}

func (s *Service) noticeParticipation(ctx context.Context, tx bun.Tx, o *Offering, email string) error {
	return mail.Queue(ctx, tx, mail.Notice{
		Key: fmt.Sprintf("gids-participation:%d:%s", o.ID, email), To: email, Topic: mail.TopicCatalogue,
		Subject: "Heeft u deelgenomen aan “" + o.Title + "”?",
		Body: fmt.Sprintf("%s heeft u opgegeven als deelnemer aan “%s”. Klopt dat? Bevestig het in de Leeromgeving Werken 2.0, "+
			"met een account op dit e-mailadres. Uw review van dit aanbod krijgt dan het label “Geverifieerde deelnemer”.\n\n"+
			"Klopt het niet, dan kunt u het daar ook afwijzen.", o.Provider.Name, o.Title),
		Link: "/gids/deelnames", Action: "Bevestig uw deelname",
	})
}

func (s *Service) noticeConfirmed(ctx context.Context, tx bun.Tx, st *store, o *Offering, p *Participation, v Actor) error {
	return tellOwners(ctx, tx, st, o.ProviderID, fmt.Sprintf("gids-participation-confirmed:%d", p.ID), mail.Notice{
		Topic: mail.TopicCatalogue, Subject: "Deelname bevestigd: “" + o.Title + "”",
		Body: fmt.Sprintf("%s (%s) heeft bevestigd deel te hebben genomen aan “%s”. Reviews van deze deelnemer tonen wij als geverifieerd.",
			v.Name, p.Email, o.Title),
		Link: fmt.Sprintf("/gids/aanbod/%d/deelnemers", o.ID), Action: "Bekijk de deelnemers",
	})
}

func (s *Service) noticeInterest(ctx context.Context, tx bun.Tx, st *store, p *Pilot, prov *Provider) error {
	if p.CreatedBy == nil {
		return nil
	}
	return tellUser(ctx, tx, st, *p.CreatedBy, fmt.Sprintf("gids-pilot-interest:%d:%d", p.ID, prov.ID), mail.Notice{
		Topic: mail.TopicPilots, Subject: prov.Name + " wil uw proefproject begeleiden",
		Body: fmt.Sprintf("%s heeft gereageerd op uw proefproject “%s”. Lees de aanpak en kies, als die u bevalt, deze adviseur.", prov.Name, p.Title),
		Link: fmt.Sprintf("/proefprojecten/%d#interesse", p.ID), Action: "Bekijk de reactie",
	})
}

func (s *Service) noticeChosen(ctx context.Context, tx bun.Tx, st *store, p *Pilot, provider int64) error {
	return tellOwners(ctx, tx, st, provider, fmt.Sprintf("gids-pilot-chosen:%d", p.ID), mail.Notice{
		Topic: mail.TopicPilots, Subject: "U bent gekozen voor het proefproject “" + p.Title + "”",
		Body: fmt.Sprintf("%s heeft u gekozen om het proefproject “%s” te begeleiden. Neem contact op om te beginnen.", p.Organisation, p.Title),
		Link: fmt.Sprintf("/proefprojecten/%d", p.ID), Action: "Bekijk het proefproject",
	})
}

func (s *Service) noticeQuoteAsked(ctx context.Context, tx bun.Tx, st *store, r *QuoteRequest, q *Quote) error {
	return tellOwners(ctx, tx, st, q.ProviderID, fmt.Sprintf("gids-quote-asked:%d", q.ID), mail.Notice{
		Topic: mail.TopicCatalogue, Subject: "Offerteaanvraag: " + r.Subject,
		Body: fmt.Sprintf("%s vraagt u een offerte voor “%s” voor %d %s. Antwoorden kan tot en met %s.",
			r.Organisation, r.Subject, r.Participants, plural(r.Participants, "deelnemer", "deelnemers"), dutchDate(r.Deadline)),
		Link: fmt.Sprintf("/gids/offertes/%d", r.ID), Action: "Bekijk de aanvraag",
	})
}

func (s *Service) noticeQuoteAnswered(ctx context.Context, tx bun.Tx, st *store, r *QuoteRequest, q *Quote) error {
	if r.CreatedBy == nil {
		return nil
	}
	what := "heeft een offerte uitgebracht"
	if q.Status == "declined" {
		what = "ziet af van een offerte"
	}
	return tellUser(ctx, tx, st, *r.CreatedBy, fmt.Sprintf("gids-quote-answered:%d", q.ID), mail.Notice{
		Topic: mail.TopicCatalogue, Subject: q.ProviderName + " " + what,
		Body: fmt.Sprintf("%s %s op uw aanvraag “%s”. U ziet de antwoorden naast elkaar op de pagina van de aanvraag.", q.ProviderName, what, r.Subject),
		Link: fmt.Sprintf("/gids/offertes/%d", r.ID), Action: "Vergelijk de offertes",
	})
}

func (s *Service) noticeQuoteDecided(ctx context.Context, tx bun.Tx, st *store, r *QuoteRequest, q Quote) error {
	subject, body := "Uw offerte is niet gekozen", fmt.Sprintf("%s heeft voor “%s” een andere aanbieder gekozen. Dank u voor uw offerte.", r.Organisation, r.Subject)
	if q.Status == "accepted" {
		subject, body = "Uw offerte is geaccepteerd", fmt.Sprintf("%s heeft uw offerte voor “%s” geaccepteerd. Neem contact op om de afspraken vast te leggen.", r.Organisation, r.Subject)
	}
	return tellOwners(ctx, tx, st, q.ProviderID, fmt.Sprintf("gids-quote-decided:%d", q.ID), mail.Notice{
		Topic: mail.TopicCatalogue, Subject: subject + ": " + r.Subject, Body: body,
		Link: fmt.Sprintf("/gids/offertes/%d", r.ID), Action: "Bekijk de aanvraag",
	})
}

func (s *Service) noticeRequestDecided(ctx context.Context, tx bun.Tx, st *store, pr *ProviderRequest) error {
	if pr.UserID == nil {
		return nil
	}
	n := mail.Notice{Topic: mail.TopicAccount, Link: "/gids/mijn", Action: "Naar uw vermelding"}
	if pr.Status == "approved" {
		n.Subject = "Uw vermelding in de Gouden Gids is goedgekeurd"
		n.Body = fmt.Sprintf("Het programmabureau heeft uw aanmelding van “%s” goedgekeurd. U staat nu in de Gouden Gids en kunt uw aanbod toevoegen.", pr.Name)
	} else {
		n.Subject = "Uw aanmelding voor de Gouden Gids is afgewezen"
		n.Body = fmt.Sprintf("Het programmabureau heeft uw aanmelding van “%s” afgewezen, met deze reden:\n\n%s\n\nU kunt een nieuwe aanmelding doen.", pr.Name, pr.Reason)
	}
	return tellUser(ctx, tx, st, *pr.UserID, fmt.Sprintf("gids-provider-request:%d", pr.ID), n)
}
