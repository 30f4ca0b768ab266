package catalogue

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// QuoteRequest is an organisation's request for a quote, sent to one to
// five providers.
type QuoteRequest struct {
	bun.BaseModel `bun:"table:catalogue_quote_requests,alias:qr"`

	ID             int64      `bun:",pk,autoincrement" json:"id"`
	OrganisationID *int64     `json:"-"`
	Organisation   string     `bun:",scanonly" json:"organisation"`
	CreatedBy      *int64     `json:"-"`
	CreatorName    string     `bun:",scanonly" json:"-"`
	Subject        string     `bun:",notnull" json:"subject"`
	Details        string     `bun:",notnull" json:"details"`
	Participants   int        `bun:",notnull" json:"participants"`
	Province       string     `bun:",notnull" json:"province"`
	Location       string     `bun:",notnull" json:"location"`
	StartsAfter    time.Time  `bun:",type:date,notnull" json:"starts_after"`
	EndsBefore     time.Time  `bun:",type:date,notnull" json:"ends_before"`
	Budget         string     `bun:",notnull" json:"budget"`
	Deadline       time.Time  `bun:",type:date,notnull" json:"deadline"`
	Status         string     `bun:",notnull" json:"status"`
	CreatedAt      time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"created_at"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
}

// QuoteRequestStatuses are the states of a quote request with Dutch labels.
var QuoteRequestStatuses = Options{{"open", "Open"}, {"accepted", "Offerte gekozen"}, {"withdrawn", "Ingetrokken"}}

// StatusLabel is the Dutch name of the request's state.
func (r *QuoteRequest) StatusLabel() string { return QuoteRequestStatuses.Label(r.Status) }

// RequestedBy reports whether v speaks for the requesting side: the
// manager who asked, or an organisation manager of the same organisation.
func (r *QuoteRequest) RequestedBy(v Actor) bool {
	return (r.CreatedBy != nil && *r.CreatedBy == v.ID) ||
		(v.Manager && r.OrganisationID != nil && v.OrganisationID != 0 && *r.OrganisationID == v.OrganisationID)
}

// Closed reports whether answers can no longer be given: the request is
// decided, or its deadline (a day, inclusive) has passed at now.
func (r *QuoteRequest) Closed(now time.Time) bool {
	return r.Status != "open" || now.After(r.Deadline.AddDate(0, 0, 1))
}

// Quote is one provider's answer to a quote request.
type Quote struct {
	bun.BaseModel `bun:"table:catalogue_quotes,alias:q"`

	ID             int64       `bun:",pk,autoincrement"`
	RequestID      int64       `bun:",notnull"`
	ProviderID     int64       `bun:",notnull"`
	ProviderName   string      `bun:",scanonly"`
	OfferingID     *int64      ``
	OfferingTitle  string      `bun:",scanonly"`
	OfferingKind   string      `bun:",scanonly"`
	ListPriceCents *int64      `bun:",scanonly"` // the offering's price incl. VAT
	Status         string      `bun:",notnull"`
	PriceExclCents *int64      ``
	VATPercent     *int        `bun:"vat_percent"`
	PriceInclCents *int64      ``
	StartDates     []time.Time `bun:",array,type:date[],notnull"`
	Note           string      `bun:",notnull"`
	AnsweredBy     *int64      ``
	AnsweredAt     *time.Time  ``
}

// QuoteStatuses are the states of a quote with Dutch labels.
var QuoteStatuses = Options{{"asked", "Nog geen antwoord"}, {"offered", "Offerte uitgebracht"}, {"declined", "Afgezien"},
	{"accepted", "Geaccepteerd"}, {"not_chosen", "Niet gekozen"}}

// StatusLabel is the Dutch name of the quote's state.
func (q *Quote) StatusLabel() string { return QuoteStatuses.Label(q.Status) }

// Priced reports whether the quote carries a price.
func (q *Quote) Priced() bool { return q.PriceInclCents != nil }

// ListTotalCents is what the offering's list price comes to for n
// participants: per participant for a training, once for advice.
func (q *Quote) ListTotalCents(n int) int64 {
	if q.ListPriceCents == nil {
		return 0
	}
	if q.OfferingKind == "training" {
		return *q.ListPriceCents * int64(n)
	}
	return *q.ListPriceCents
}

func (s *store) quoteRequestQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("qr.*").
		ColumnExpr("coalesce(org.name, '') AS organisation, coalesce(u.name, '') AS creator_name").
		Join("LEFT JOIN organisations AS org ON org.id = qr.organisation_id").
		Join("LEFT JOIN users AS u ON u.id = qr.created_by")
}

func (s *store) quoteQuery(dst any) *bun.SelectQuery {
	return s.db.NewSelect().Model(dst).ColumnExpr("q.*").
		ColumnExpr("p.name AS provider_name, coalesce(o.title, '') AS offering_title, coalesce(o.kind, '') AS offering_kind, o.price_incl_cents AS list_price_cents").
		Join("JOIN catalogue_providers AS p ON p.id = q.provider_id").
		Join("LEFT JOIN catalogue_offerings AS o ON o.id = q.offering_id")
}

func (s *store) createQuoteRequest(ctx context.Context, r *QuoteRequest) error {
	r.Status = "open"
	if _, err := s.db.NewInsert().Model(r).Returning("id, created_at").Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: create quote request: %w", err)
	}
	return nil
}

func (s *store) createQuote(ctx context.Context, q *Quote) error {
	q.Status = "asked"
	if q.StartDates == nil {
		q.StartDates = []time.Time{}
	}
	if _, err := s.db.NewInsert().Model(q).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: create quote: %w", err)
	}
	return nil
}

func (s *store) quoteRequest(ctx context.Context, id int64) (*QuoteRequest, error) {
	r := new(QuoteRequest)
	if err := s.quoteRequestQuery(r).Where("qr.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "quote request")
	}
	return r, nil
}

// quotesOf lists the quotes of request, in the order the providers were asked.
func (s *store) quotesOf(ctx context.Context, request int64) ([]Quote, error) {
	var qs []Quote
	if err := s.quoteQuery(&qs).Where("q.request_id = ?", request).OrderExpr("q.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: quotes of %d: %w", request, err)
	}
	return qs, nil
}

// quoteRequestsOf lists the quote requests made by user or their organisation.
func (s *store) quoteRequestsOf(ctx context.Context, user, org int64) ([]QuoteRequest, error) {
	var rs []QuoteRequest
	q := s.quoteRequestQuery(&rs).OrderExpr("qr.created_at DESC, qr.id DESC").Limit(100)
	if org != 0 {
		q = q.Where("(qr.created_by = ? OR qr.organisation_id = ?)", user, org)
	} else {
		q = q.Where("qr.created_by = ?", user)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: quote requests of %d: %w", user, err)
	}
	return rs, nil
}

// ProviderQuote is a quote request as one asked provider sees it.
type ProviderQuote struct {
	Request QuoteRequest
	Quote   Quote
}

// quotesForOwner lists the quote requests sent to the providers user owns.
func (s *store) quotesForOwner(ctx context.Context, user int64) ([]ProviderQuote, error) {
	var qs []Quote
	if err := s.quoteQuery(&qs).Where("q.provider_id IN (SELECT provider_id FROM catalogue_provider_owners WHERE user_id = ?)", user).
		OrderExpr("q.request_id DESC, q.id").Limit(100).Scan(ctx); err != nil {
		return nil, fmt.Errorf("catalogue: quotes for owner %d: %w", user, err)
	}
	out := make([]ProviderQuote, 0, len(qs))
	for _, q := range qs {
		r, err := s.quoteRequest(ctx, q.RequestID)
		if err != nil {
			return nil, err
		}
		out = append(out, ProviderQuote{Request: *r, Quote: q})
	}
	return out, nil
}

// answerQuote saves a provider's answer while the request is open.
func (s *store) answerQuote(ctx context.Context, q *Quote) error {
	res, err := s.db.NewUpdate().Model(q).Column("status", "price_excl_cents", "vat_percent", "price_incl_cents", "start_dates", "note", "answered_by").
		Set("answered_at = now()").WherePK().Where("status IN ('asked', 'offered', 'declined')").
		Where("EXISTS (SELECT 1 FROM catalogue_quote_requests WHERE id = q.request_id AND status = 'open')").Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: answer quote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrQuoteState
	}
	return nil
}

// acceptQuote closes the open request with quote accepted and the others not chosen.
func (s *store) acceptQuote(ctx context.Context, request, quote int64) error {
	res, err := s.db.NewRaw("UPDATE catalogue_quote_requests SET status = 'accepted', decided_at = now() WHERE id = ? AND status = 'open'", request).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: accept quote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrQuoteState
	}
	res, err = s.db.NewRaw("UPDATE catalogue_quotes SET status = 'accepted' WHERE id = ? AND request_id = ? AND status = 'offered'", quote, request).Exec(ctx)
	if err != nil {
		return fmt.Errorf("catalogue: accept quote: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrQuoteState
	}
	if _, err := s.db.NewRaw("UPDATE catalogue_quotes SET status = 'not_chosen' WHERE request_id = ? AND id <> ? AND status IN ('asked', 'offered')",
		request, quote).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: close other quotes: %w", err)
	}
	return nil
}

// logQuote records a state change of a quote request.
func (s *store) logQuote(ctx context.Context, request int64, provider *int64, actor int64, action string) error {
	if _, err := s.db.NewRaw("INSERT INTO catalogue_quote_events (request_id, provider_id, actor_id, action) VALUES (?, ?, ?, ?)",
		request, provider, actor, action).Exec(ctx); err != nil {
		return fmt.Errorf("catalogue: quote log: %w", err)
	}
	return nil
}

// QuoteEvent is one logged state change of a quote request.
type QuoteEvent struct {
	Action       string
	ProviderName string
	ActorName    string
	CreatedAt    time.Time
}

// Label is the event in Dutch.
func (e QuoteEvent) Label() string {
	return map[string]string{"asked": "Offerte gevraagd", "offered": "Offerte uitgebracht", "declined": "Afgezien van een offerte",
		"accepted": "Offerte geaccepteerd", "not_chosen": "Niet gekozen", "withdrawn": "Aanvraag ingetrokken"}[e.Action]
}

func (s *store) quoteEvents(ctx context.Context, request int64) ([]QuoteEvent, error) {
	var es []QuoteEvent
	err := s.db.NewRaw(`SELECT e.action, coalesce(p.name, '') AS provider_name, coalesce(u.name, '') AS actor_name, e.created_at
		FROM catalogue_quote_events e LEFT JOIN catalogue_providers p ON p.id = e.provider_id LEFT JOIN users u ON u.id = e.actor_id
		WHERE e.request_id = ? ORDER BY e.id`, request).Scan(ctx, &es)
	if err != nil {
		return nil, fmt.Errorf("catalogue: quote events: %w", err)
	}
	return es, nil
}

// QuoteFigures are the quote requests' figures for the reporting page.
type QuoteFigures struct {
	Asked, Answered, Accepted int
	// The medians over accepted quotes for an offering with a list price:
	// the accepted price and what the list price comes to, incl. VAT.
	MedianAcceptedCents, MedianListCents int64
	Compared                             int
}

func (s *store) quoteFigures(ctx context.Context) (QuoteFigures, error) {
	var f QuoteFigures
	err := s.db.NewRaw(`SELECT
		(SELECT count(*) FROM catalogue_quote_requests) AS asked,
		(SELECT count(DISTINCT request_id) FROM catalogue_quotes WHERE status IN ('offered', 'accepted', 'not_chosen') AND price_incl_cents IS NOT NULL) AS answered,
		(SELECT count(*) FROM catalogue_quote_requests WHERE status = 'accepted') AS accepted`).Scan(ctx, &f)
	if err != nil {
		return f, fmt.Errorf("catalogue: quote figures: %w", err)
	}
	var m []struct {
		N        int
		Accepted float64
		List     float64
	}
	err = s.db.NewRaw(`SELECT count(*) AS n,
		coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY q.price_incl_cents), 0) AS accepted,
		coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY CASE WHEN o.kind = 'training' THEN o.price_incl_cents * r.participants ELSE o.price_incl_cents END), 0) AS list
		FROM catalogue_quotes q JOIN catalogue_quote_requests r ON r.id = q.request_id JOIN catalogue_offerings o ON o.id = q.offering_id
		WHERE q.status = 'accepted' AND o.price_incl_cents > 0`).Scan(ctx, &m)
	if err != nil {
		return f, fmt.Errorf("catalogue: quote medians: %w", err)
	}
	if len(m) == 1 {
		f.Compared, f.MedianAcceptedCents, f.MedianListCents = m[0].N, int64(m[0].Accepted+0.5), int64(m[0].List+0.5)
	}
	return f, nil
}
