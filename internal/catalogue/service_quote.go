package catalogue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// MaxQuoteProviders is how many providers one quote request may go to.
const MaxQuoteProviders = 5

// QuoteTarget is a provider a quote request goes to, with the offering it is about.
type QuoteTarget struct {
	ProviderID    int64
	ProviderName  string
	OfferingID    int64 // 0: about the provider's services in general
	OfferingTitle string
}

// QuoteTargets resolves the offerings and providers a manager picked (on
// the compare page, an offering or a provider page) to at most
// MaxQuoteProviders distinct listed providers.
func (s *Service) QuoteTargets(ctx context.Context, offerings, providers []int64) ([]QuoteTarget, error) {
	var out []QuoteTarget
	seen := func(p int64) bool {
		return slices.ContainsFunc(out, func(t QuoteTarget) bool { return t.ProviderID == p })
	}
	os, err := s.st.offeringsByID(ctx, offerings)
	if err != nil {
		return nil, err
	}
	for _, o := range os {
		if !seen(o.ProviderID) && len(out) < MaxQuoteProviders {
			out = append(out, QuoteTarget{ProviderID: o.ProviderID, ProviderName: o.Provider.Name, OfferingID: o.ID, OfferingTitle: o.Title})
		}
	}
	for _, id := range providers {
		if seen(id) || len(out) >= MaxQuoteProviders {
			continue
		}
		p, err := s.st.provider(ctx, id)
		if err == ErrNotFound || (err == nil && p.Status != "approved") {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, QuoteTarget{ProviderID: p.ID, ProviderName: p.Name})
	}
	return out, nil
}

// QuoteInput is what an organisation manager asks.
type QuoteInput struct {
	Targets      []QuoteTarget
	Subject      string
	Details      string
	Participants int
	Province     string
	Location     string
	StartsAfter  time.Time
	EndsBefore   time.Time
	Budget       string
	Deadline     time.Time
}

// Validate checks the request against the day today.
func (in QuoteInput) Validate(today time.Time) error {
	v := &apperr.Validation{}
	switch {
	case len(in.Targets) == 0:
		v.Add("providers", "Kies minstens één aanbieder om een offerte te vragen.")
	case len(in.Targets) > MaxQuoteProviders:
		v.Add("providers", fmt.Sprintf("Vraag hoogstens %d aanbieders tegelijk om een offerte.", MaxQuoteProviders))
	}
	if in.Participants < 1 || in.Participants > 10000 {
		v.Add("participants", "Vul het aantal deelnemers in: 1 tot 10.000.")
	}
	if in.StartsAfter.Before(today) {
		v.Add("starts_after", "De periode begint in het verleden; kies vandaag of later.")
	}
	if in.EndsBefore.Before(in.StartsAfter) {
		v.Add("ends_before", "Het einde van de periode ligt voor het begin.")
	}
	if in.EndsBefore.After(today.AddDate(3, 0, 0)) {
		v.Add("ends_before", "Kies een periode binnen drie jaar.")
	}
	switch {
	case in.Deadline.Before(today.AddDate(0, 0, 1)):
		v.Add("deadline", "De uiterste datum voor antwoorden moet na vandaag liggen, zodat aanbieders tijd hebben.")
	case in.Deadline.After(today.AddDate(0, 6, 0)):
		v.Add("deadline", "Kies een uiterste datum voor antwoorden binnen een half jaar.")
	}
	return v.Err()
}

// CreateQuoteRequest sends v's request to its providers (once for
// identical submissions), logs it and tells each provider.
func (s *Service) CreateQuoteRequest(ctx context.Context, v Actor, in QuoteInput) (int64, error) {
	if !v.Manager {
		return 0, apperr.Msg(apperr.ErrForbidden, "Alleen organisatiebeheerders vragen offertes aan.")
	}
	if err := in.Validate(today(s.Now())); err != nil {
		return 0, err
	}
	return s.createOnce(ctx, "quote-request", v.ID, in, func(ctx context.Context, tx bun.Tx, st *store) (int64, error) {
		r := &QuoteRequest{CreatedBy: &v.ID, Subject: in.Subject, Details: in.Details, Participants: in.Participants,
			Province: in.Province, Location: in.Location, StartsAfter: in.StartsAfter, EndsBefore: in.EndsBefore,
			Budget: in.Budget, Deadline: in.Deadline}
		if v.OrganisationID != 0 {
			r.OrganisationID = &v.OrganisationID
		}
		if err := st.createQuoteRequest(ctx, r); err != nil {
			return 0, err
		}
		full, err := st.quoteRequest(ctx, r.ID)
		if err != nil {
			return 0, err
		}
		for _, t := range in.Targets {
			q := &Quote{RequestID: r.ID, ProviderID: t.ProviderID}
			if t.OfferingID != 0 {
				q.OfferingID = &t.OfferingID
			}
			if err := st.createQuote(ctx, q); err != nil {
				return 0, err
			}
			if err := st.logQuote(ctx, r.ID, &t.ProviderID, v.ID, "asked"); err != nil {
				return 0, err
			}
			if err := s.noticeQuoteAsked(ctx, tx, st, full, q); err != nil {
				return 0, err
			}
		}
		return r.ID, nil
	})
}

// QuoteView is a quote request as one viewer may see it.
type QuoteView struct {
	Request *QuoteRequest
	// Quotes are every answer for the requesting side and the admin, and
	// only the viewer's own for a provider.
	Quotes    []Quote
	Requester bool
	// Own are the quotes of providers the viewer owns.
	Own    []Quote
	Events []QuoteEvent
	Closed bool
}

// QuoteRequestPage gathers the quote request for v: the requesting
// organisation's managers and admins see every answer, an asked provider
// its own; for anyone else it does not exist.
func (s *Service) QuoteRequestPage(ctx context.Context, v Actor, id int64) (*QuoteView, error) {
	r, err := s.st.quoteRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	qs, err := s.st.quotesOf(ctx, id)
	if err != nil {
		return nil, err
	}
	qv := &QuoteView{Request: r, Closed: r.Closed(s.Now())}
	qv.Requester = v.Admin || r.RequestedBy(v)
	for _, q := range qs {
		own, err := s.st.owns(ctx, q.ProviderID, v.ID)
		if err != nil {
			return nil, err
		}
		if own {
			qv.Own = append(qv.Own, q)
		}
	}
	if !qv.Requester && len(qv.Own) == 0 {
		return nil, ErrNotFound
	}
	if qv.Requester {
		qv.Quotes = qs
		if qv.Events, err = s.st.quoteEvents(ctx, id); err != nil {
			return nil, err
		}
	} else {
		qv.Quotes = qv.Own
	}
	return qv, nil
}

// QuoteAnswer is a provider's answer: a price excl. VAT with the VAT rate,
// start dates and a note; or a refusal with an optional note.
type QuoteAnswer struct {
	Decline    bool
	PriceCents int64
	VATPercent int
	StartDates []time.Time
	Note       string
}

// AnswerQuote records provider's answer to the open request (before its
// deadline), logs it and tells the requester. Only the provider's owners
// may answer; the same answer twice changes nothing.
func (s *Service) AnswerQuote(ctx context.Context, v Actor, request, provider int64, a QuoteAnswer) error {
	qv, err := s.QuoteRequestPage(ctx, v, request)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(qv.Own, func(q Quote) bool { return q.ProviderID == provider })
	if i < 0 {
		return ErrNotFound
	}
	if qv.Closed {
		return apperr.Msg(apperr.ErrConflict, "Deze aanvraag is gesloten: de uiterste datum is verstreken of er is al een offerte gekozen.")
	}
	q := qv.Own[i]
	a.Note = strings.TrimSpace(a.Note)
	if n := len([]rune(a.Note)); n > 3000 || (!a.Decline && n < 10) {
		return apperr.NewValidation("note", "Schrijf een toelichting van 10 tot 3000 tekens: wat zit er in de prijs, wie voert het uit?")
	}
	status := "offered"
	if a.Decline {
		status, q.PriceExclCents, q.VATPercent, q.PriceInclCents, q.StartDates = "declined", nil, nil, nil, []time.Time{}
	} else {
		if a.PriceCents <= 0 {
			return apperr.NewValidation("price", "Vul een prijs van meer dan € 0 in.")
		}
		incl := a.PriceCents + (a.PriceCents*int64(a.VATPercent)+50)/100
		vat := a.VATPercent
		q.PriceExclCents, q.VATPercent, q.PriceInclCents, q.StartDates = &a.PriceCents, &vat, &incl, nonNilDates(a.StartDates)
	}
	q.Status, q.Note, q.AnsweredBy = status, a.Note, &v.ID
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		if _, err := tx.ExecContext(ctx, "SELECT 1 FROM catalogue_quotes WHERE id = ? FOR UPDATE", q.ID); err != nil {
			return fmt.Errorf("catalogue: lock quote: %w", err)
		}
		cur, err := st.quotesOf(ctx, request)
		if err != nil {
			return err
		}
		j := slices.IndexFunc(cur, func(c Quote) bool { return c.ID == q.ID })
		if j >= 0 && sameAnswer(cur[j], q) {
			return nil
		}
		if err := st.answerQuote(ctx, &q); err != nil {
			return err
		}
		if err := st.logQuote(ctx, request, &q.ProviderID, v.ID, status); err != nil {
			return err
		}
		return s.noticeQuoteAnswered(ctx, tx, st, qv.Request, &q)
	})
}

func ptrEq[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// sameAnswer reports whether the stored quote already holds answer q.
func sameAnswer(stored, q Quote) bool {
	return stored.Status == q.Status && stored.Note == q.Note && ptrEq(stored.PriceExclCents, q.PriceExclCents) &&
		ptrEq(stored.VATPercent, q.VATPercent) && slices.EqualFunc(stored.StartDates, q.StartDates, func(a, b time.Time) bool { return a.Equal(b) })
}

func nonNilDates(ds []time.Time) []time.Time {
	if ds == nil {
		return []time.Time{}
	}
	return ds
}

// AcceptQuote accepts one offered quote of v's open request; the other
// providers are told they were not chosen. Every change is logged.
func (s *Service) AcceptQuote(ctx context.Context, v Actor, request, quote int64) error {
	qv, err := s.QuoteRequestPage(ctx, v, request)
	if err != nil {
		return err
	}
	if !qv.Request.RequestedBy(v) {
		return ErrNotFound
	}
	if qv.Request.Status != "open" {
		return ErrQuoteState
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		if err := st.acceptQuote(ctx, request, quote); err != nil {
			return err
		}
		qs, err := st.quotesOf(ctx, request)
		if err != nil {
			return err
		}
		for _, q := range qs {
			if q.Status != "accepted" && q.Status != "not_chosen" {
				continue
			}
			if err := st.logQuote(ctx, request, &q.ProviderID, v.ID, q.Status); err != nil {
				return err
			}
			if err := s.noticeQuoteDecided(ctx, tx, st, qv.Request, q); err != nil {
				return err
			}
		}
		return nil
	})
}

// MyQuoteRequests lists the quote requests of v's organisation.
func (s *Service) MyQuoteRequests(ctx context.Context, v Actor) ([]QuoteRequest, error) {
	return s.st.quoteRequestsOf(ctx, v.ID, v.OrganisationID)
}

// QuotesForProvider lists the quote requests sent to v's listings.
func (s *Service) QuotesForProvider(ctx context.Context, v Actor) ([]ProviderQuote, error) {
	return s.st.quotesForOwner(ctx, v.ID)
}

func today(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
