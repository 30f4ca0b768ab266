package certify

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// The mails of a certification journey. Each is queued in the transaction
// of its event, so an event and its mails commit together or not at all,
// with a key naming the event and the recipient, so a retried event mails
// once.

// notice is a mail about to be queued for one account.
type notice struct {
	key     string // the event; the recipient is added
	subject string
	body    string
	link    string // path of the page concerned
	action  string // the link's text
}

// send queues n for user id in st's transaction. An account that is gone
// gets nothing.
func (n notice) send(ctx context.Context, st *store, userID int64) error {
	c, err := st.contact(ctx, userID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return mail.Queue(ctx, st.db, mail.Notice{
		Key: n.key + ":user:" + strconv.FormatInt(c.ID, 10), UserID: c.ID, To: c.Email, ToName: c.Name,
		Topic: mail.TopicCertification, Subject: n.subject, Body: "Beste " + c.Name + ",\n\n" + n.body,
		Link: n.link, Action: n.action,
	})
}

func applicationPath(id int64) string { return fmt.Sprintf("/certificering/aanvragen/%d", id) }

// eventKey names an event by its audit entry.
func eventKey(what string, e *AuditEntry) string {
	return fmt.Sprintf("certify:%s:audit:%d", what, e.ID)
}

// notifySubmitted tells every assessor but the applicant that application
// a is in the queue.
func notifySubmitted(ctx context.Context, st *store, a *Application, applicantName string, e *AuditEntry, again bool) error {
	people, err := st.assessors(ctx)
	if err != nil {
		return err
	}
	n := notice{
		key:     eventKey("submitted", e),
		subject: fmt.Sprintf("Nieuwe aanvraag in de wachtrij: %s", a.Scheme.Title),
		body: fmt.Sprintf("%s heeft een aanvraag voor de regeling %s ingediend. Zij staat in de wachtrij voor beoordeling.\n\nNeem haar in behandeling op de pagina van de aanvraag.",
			applicantName, a.Scheme.Title),
		link: fmt.Sprintf("/beoordelen/%d", a.ID), action: "Bekijk de aanvraag",
	}
	if again {
		n.subject = fmt.Sprintf("Aangevulde aanvraag in de wachtrij: %s", a.Scheme.Title)
		n.body = fmt.Sprintf("%s heeft de aanvraag voor de regeling %s aangevuld en opnieuw ingediend. Zij staat weer in de wachtrij voor beoordeling.\n\nHet antwoord van de aanvrager:\n\n%s",
			applicantName, a.Scheme.Title, e.Reason)
	}
	for _, p := range people {
		if p.ID == a.ApplicantID {
			continue // nobody assesses their own application
		}
		if err := n.send(ctx, st, p.ID); err != nil {
			return err
		}
	}
	return nil
}

// notifyDecision tells the applicant of a what the assessor decided.
func notifyDecision(ctx context.Context, st *store, a *Application, e *AuditEntry, cert *Certificate) error {
	n := notice{key: eventKey(string(a.State), e), link: applicationPath(a.ID), action: "Bekijk uw aanvraag"}
	title := a.Scheme.Title
	switch a.State {
	case StateReturned:
		n.subject = fmt.Sprintf("Uw aanvraag voor %s: aanvulling gevraagd", title)
		n.body = fmt.Sprintf("De beoordelaar heeft uw aanvraag voor de regeling %s teruggestuurd met een vraag:\n\n%s\n\nVul uw aanvraag aan en dien haar opnieuw in.", title, e.Reason)
		n.action = "Vul uw aanvraag aan"
	case StateApproved:
		n.subject = fmt.Sprintf("Uw aanvraag voor %s is goedgekeurd", title)
		n.body = fmt.Sprintf("Uw aanvraag voor de regeling %s is goedgekeurd. De toelichting van de beoordelaar:\n\n%s", title, e.Reason)
		if cert != nil {
			n.body += fmt.Sprintf("\n\nUw certificaat %s is uitgegeven; daarover krijgt u een aparte mail.", cert.Number)
		}
	case StateRejected:
		n.subject = fmt.Sprintf("Uw aanvraag voor %s is afgewezen", title)
		n.body = fmt.Sprintf("Uw aanvraag voor de regeling %s is afgewezen. De reden van de beoordelaar:\n\n%s\n\nU kunt later een nieuwe aanvraag doen.", title, e.Reason)
	default:
		return nil
	}
	return n.send(ctx, st, a.ApplicantID)
}

// notifyIssued tells the holder of c that it was issued.
func notifyIssued(ctx context.Context, st *store, c *Certificate) error {
	if c.HolderUserID == nil {
		return nil
	}
	until := "Het verloopt niet."
	if c.ExpiresAt != nil {
		until = "Het is geldig tot " + web.DutchDate(*c.ExpiresAt) + "."
	}
	return notice{
		key:     "certify:issued:" + c.Number,
		subject: fmt.Sprintf("Uw certificaat %s is uitgegeven", c.Number),
		body: fmt.Sprintf("Uw certificaat %s (%s) is uitgegeven op naam van %s. %s\n\nIedereen kan het controleren op de controlepagina. Daar vindt u ook de PDF en het digitale certificaat (Open Badge) om te delen.",
			c.Number, c.Title, c.HolderName, until),
		link: VerifyPath(c.Number), action: "Bekijk uw certificaat",
	}.send(ctx, st, *c.HolderUserID)
}

// notifyStatus tells the holder of c about its new status.
func notifyStatus(ctx context.Context, st *store, c *Certificate, e *AuditEntry) error {
	if c.HolderUserID == nil {
		return nil
	}
	n := notice{key: eventKey("status-"+c.Status, e), link: VerifyPath(c.Number), action: "Bekijk de status"}
	switch c.Status {
	case StatusSuspended:
		n.subject = fmt.Sprintf("Uw certificaat %s is geschorst", c.Number)
		n.body = fmt.Sprintf("Uw certificaat %s (%s) is geschorst en is tot nader order niet geldig. De reden:\n\n%s", c.Number, c.Title, e.Reason)
	case StatusValid:
		n.subject = fmt.Sprintf("Uw certificaat %s is weer geldig", c.Number)
		n.body = fmt.Sprintf("De schorsing van uw certificaat %s (%s) is opgeheven: het is weer geldig. De toelichting:\n\n%s", c.Number, c.Title, e.Reason)
	case StatusRevoked:
		n.subject = fmt.Sprintf("Uw certificaat %s is ingetrokken", c.Number)
		n.body = fmt.Sprintf("Uw certificaat %s (%s) is ingetrokken en is niet meer geldig. Intrekken is definitief. De reden:\n\n%s", c.Number, c.Title, e.Reason)
	}
	return n.send(ctx, st, *c.HolderUserID)
}
