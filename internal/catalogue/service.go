package catalogue

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Service holds every rule and every write of the Gids: owners only,
// certificates checked against the register, reviews verified by proof of
// participation, creation once, pilot projects and quote requests.
type Service struct {
	db       *bun.DB
	st       *store
	register Register
	learning Learning
	metrics  ProgrammeMetrics
	roles    Roles
	baseURL  string
	// Now is the clock, replaceable in tests.
	Now    func() time.Time
	facets *searchCache
}

// Deps are the other domains' answers the Gids uses, and where it is served.
type Deps struct {
	Register Register
	Learning Learning
	Metrics  ProgrammeMetrics
	Roles    Roles
	BaseURL  string // public address without trailing slash, for links in CSV files
}

// NewService wires the Gids on db.
func NewService(db *bun.DB, d Deps) *Service {
	s := &Service{db: db, st: newStore(db), register: d.Register, learning: d.Learning, metrics: d.Metrics, roles: d.Roles,
		baseURL: strings.TrimRight(d.BaseURL, "/"), Now: time.Now}
	s.facets = newSearchCache(func() time.Time { return s.Now() })
	return s
}

// URL is the absolute address of path on this site.
func (s *Service) URL(path string) string { return s.baseURL + path }

// Forget drops what the Gids keeps in memory (facet counts), after news
// from another instance or the database that something changed.
func (s *Service) Forget() { s.facets.clear() }

// Listen forgets the cached counts whenever news arrives on changes (the
// "catalogue" pubsub channel, fed by the database), until ctx ends.
func (s *Service) Listen(ctx context.Context, news <-chan string) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-news:
			s.facets.clear()
		}
	}
}

// NewsChannel is the pubsub channel on which the database announces
// changes to reviews and listings.
const NewsChannel = "catalogue"

// submissionKey names a submission: who sent what to create, with which
// content. The same key creates once.
func submissionKey(kind string, user int64, input any) []byte {
	b, _ := json.Marshal(input) // plain structs of strings, numbers and slices
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", kind, user)
	h.Write(b)
	return h.Sum(nil)
}

// createOnce runs create in a transaction unless the same user sent the same
// input for kind before (or sends it at the same moment): then it returns
// what that submission created. It returns the id of the record.
func (s *Service) createOnce(ctx context.Context, kind string, user int64, input any,
	create func(ctx context.Context, tx bun.Tx, st *store) (int64, error)) (int64, error) {
	key := submissionKey(kind, user, input)
	var id int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		target, seen, err := st.once(ctx, key, kind, user)
		if err != nil {
			return err
		}
		if seen {
			id = target
			return nil
		}
		if id, err = create(ctx, tx, st); err != nil {
			return err
		}
		return st.done(ctx, key, id)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// OwnedProvider returns the provider with id when user owns it, and
// ErrNotFound otherwise: someone else's listing does not exist for them.
func (s *Service) OwnedProvider(ctx context.Context, user, id int64) (*Provider, error) {
	ok, err := s.st.owns(ctx, id, user)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	return s.st.provider(ctx, id)
}

// OwnedOffering returns the offering with id when user owns its provider,
// and ErrNotFound otherwise.
func (s *Service) OwnedOffering(ctx context.Context, user, id int64) (*Offering, error) {
	o, err := s.st.offering(ctx, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.st.owns(ctx, o.ProviderID, user)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	return o, nil
}

// ProvidersOf lists the listings user owns.
func (s *Service) ProvidersOf(ctx context.Context, user int64) ([]Provider, error) {
	return s.st.providersOf(ctx, user)
}

// UpdateProvider saves the listing p of its owner.
func (s *Service) UpdateProvider(ctx context.Context, p *Provider) error {
	if err := s.st.updateProvider(ctx, p); err != nil {
		return err
	}
	s.facets.clear()
	return nil
}

// CreateOffering adds o to its provider (owned by user, see OwnedProvider),
// once for identical submissions. It sets o.ID.
func (s *Service) CreateOffering(ctx context.Context, user int64, o *Offering) error {
	id, err := s.createOnce(ctx, "offering", user, o, func(ctx context.Context, tx bun.Tx, st *store) (int64, error) {
		if err := st.createOffering(ctx, o); err != nil {
			return 0, err
		}
		return o.ID, nil
	})
	if err != nil {
		return err
	}
	o.ID = id
	s.facets.clear()
	return nil
}

// UpdateOffering saves o, an offering its owner loaded with OwnedOffering.
func (s *Service) UpdateOffering(ctx context.Context, o *Offering) error {
	if err := s.st.updateOffering(ctx, o); err != nil {
		return err
	}
	s.facets.clear()
	return nil
}

// LinkCertificate links the register certificate number to the provider
// (owned by the caller), or to one of its offerings when offering is not 0.
// The certificate must be valid and held by one of the provider's owners.
func (s *Service) LinkCertificate(ctx context.Context, p *Provider, offering int64, number string) error {
	number = strings.ToUpper(strings.TrimSpace(number))
	if number == "" || len(number) > 60 {
		return apperr.NewValidation("number", "Vul het nummer van het certificaat in, zoals het op het certificaat staat.")
	}
	if offering != 0 {
		o, err := s.st.offering(ctx, offering)
		if err != nil || o.ProviderID != p.ID {
			return apperr.NewValidation("offering", "Kies een aanbod van deze aanbieder uit de lijst.")
		}
	}
	rec, holder, ok, err := s.register.ValidCertificate(ctx, number)
	if err != nil {
		return fmt.Errorf("catalogue: register: %w", err)
	}
	if !ok {
		return apperr.NewValidation("number", "Dit nummer staat niet als geldig certificaat in het register. Controleer het op /verifieer.")
	}
	owners, err := s.st.owners(ctx, p.ID)
	if err != nil {
		return err
	}
	if !slices.Contains(owners, holder) {
		return apperr.NewValidation("number", "Dit certificaat staat op naam van iemand anders. U kunt alleen certificaten koppelen die u zelf houdt.")
	}
	c := &Certificate{ProviderID: p.ID, Number: rec.Number, Kind: rec.Kind, Title: rec.Title,
		HolderName: rec.HolderName, HolderUserID: holder, ValidUntil: rec.ValidUntil}
	if offering != 0 {
		c.OfferingID = &offering
	}
	defer s.facets.clear()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return newStore(tx).linkCertificate(ctx, c)
	})
}

// Certificates returns a provider's linked certificates after checking each
// against the register again; those no longer valid stop counting.
func (s *Service) Certificates(ctx context.Context, provider int64) ([]Certificate, error) {
	cs, err := s.st.certificates(ctx, provider)
	if err != nil {
		return nil, err
	}
	var keep []Certificate
	var revoked []int64
	for _, c := range cs {
		rec, holder, ok, err := s.register.ValidCertificate(ctx, c.Number)
		if err != nil {
			return nil, fmt.Errorf("catalogue: register: %w", err)
		}
		if !ok || holder != c.HolderUserID {
			revoked = append(revoked, c.ID)
			continue
		}
		c.ValidUntil = rec.ValidUntil
		keep = append(keep, c)
	}
	if len(revoked) > 0 {
		defer s.facets.clear()
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return newStore(tx).markRevoked(ctx, provider, revoked)
		})
		if err != nil {
			return nil, err
		}
	}
	return keep, nil
}

// ProviderView is what a provider's page shows.
type ProviderView struct {
	Provider     *Provider
	Certificates []Certificate
	Offerings    []Offering
	Aggregate    Aggregate
	Owner        bool
}

// ProviderPage gathers a provider's page for v (nil: a visitor). A listing
// not (yet) approved is shown only to its owners and admins.
func (s *Service) ProviderPage(ctx context.Context, v *Actor, id int64) (*ProviderView, error) {
	p, err := s.st.provider(ctx, id)
	if err != nil {
		return nil, err
	}
	pv := &ProviderView{Provider: p}
	if v != nil {
		if pv.Owner, err = s.st.owns(ctx, id, v.ID); err != nil {
			return nil, err
		}
	}
	if p.Status != "approved" && !pv.Owner && (v == nil || !v.Admin) {
		return nil, ErrNotFound
	}
	if pv.Certificates, err = s.Certificates(ctx, id); err != nil {
		return nil, err
	}
	if pv.Offerings, err = s.st.offeringsOf(ctx, id); err != nil {
		return nil, err
	}
	aggs, err := s.st.providerAggregates(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	pv.Aggregate = aggs[id]
	return pv, nil
}

// Compare returns the listed offerings with ids (2 to 4 distinct) and their review summaries.
func (s *Service) Compare(ctx context.Context, ids []int64) ([]Offering, map[int64]Aggregate, error) {
	if len(ids) < 2 || len(ids) > 4 {
		return nil, nil, apperr.NewValidation("id", "Kies twee tot vier aanbiedingen om te vergelijken.")
	}
	os, err := s.st.offeringsByID(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	if len(os) < 2 {
		return nil, nil, apperr.Msg(apperr.ErrNotFound, "Niet alle gekozen aanbiedingen staan (nog) in de Gids.")
	}
	aggs, err := s.st.offeringAggregates(ctx, ids)
	return os, aggs, err
}

// ListedProviders is one page of approved providers by name.
func (s *Service) ListedProviders(ctx context.Context, kind string, limit, offset int) ([]Provider, int, error) {
	return s.st.listedProviders(ctx, kind, limit, offset)
}

// ExportUser gathers what the Gids stores about user, for the AVG data export.
func (s *Service) ExportUser(ctx context.Context, user int64) (UserData, error) {
	return s.st.exportUser(ctx, user)
}

// OfferingsOf lists a provider's offerings, newest first.
func (s *Service) OfferingsOf(ctx context.Context, provider int64) ([]Offering, error) {
	return s.st.offeringsOf(ctx, provider)
}
