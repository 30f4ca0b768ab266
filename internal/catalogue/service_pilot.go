package catalogue

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// PilotInput is what an organisation manager enters for a pilot project.
type PilotInput struct {
	Title, Goal, Theme, Province, Budget string
	StartsOn, EndsOn                     time.Time
}

// Validate checks the dates: the end not before the start, and not more than
// five years ahead.
func (in PilotInput) Validate(now time.Time) error {
	v := &apperr.Validation{}
	if in.EndsOn.Before(in.StartsOn) {
		v.Add("ends_on", "Het einde ligt voor het begin.")
	}
	if in.StartsOn.Year() < 2000 || in.StartsOn.After(now.AddDate(5, 0, 0)) {
		v.Add("starts_on", "Kies een begindatum binnen vijf jaar.")
	}
	if in.EndsOn.After(now.AddDate(10, 0, 0)) {
		v.Add("ends_on", "Kies een einddatum binnen tien jaar.")
	}
	if in.EndsOn.Before(now.AddDate(0, 0, -1)) {
		v.Add("ends_on", "Het einde ligt in het verleden; een proefproject plaatst u voordat het afloopt.")
	}
	return v.Err()
}

// CreatePilot posts a pilot project of v's organisation, once for
// identical submissions, and returns it.
func (s *Service) CreatePilot(ctx context.Context, v Actor, in PilotInput) (int64, error) {
	if !v.Manager {
		return 0, apperr.Msg(apperr.ErrForbidden, "Alleen organisatiebeheerders plaatsen proefprojecten.")
	}
	if err := in.Validate(s.Now()); err != nil {
		return 0, err
	}
	return s.createOnce(ctx, "pilot", v.ID, in, func(ctx context.Context, tx bun.Tx, st *store) (int64, error) {
		p := &Pilot{CreatedBy: &v.ID, Title: in.Title, Goal: in.Goal, Theme: in.Theme, Province: in.Province,
			StartsOn: in.StartsOn, EndsOn: in.EndsOn, Budget: in.Budget}
		if v.OrganisationID != 0 {
			p.OrganisationID = &v.OrganisationID
		}
		if err := st.createPilot(ctx, p); err != nil {
			return 0, err
		}
		return p.ID, nil
	})
}

// Pilots is one page of pilot projects, optionally in one status, with the counts per status.
func (s *Service) Pilots(ctx context.Context, status string, limit, offset int) ([]Pilot, int, map[string]int, error) {
	ps, total, err := s.st.pilots(ctx, status, limit, offset)
	if err != nil {
		return nil, 0, nil, err
	}
	counts, err := s.st.pilotCounts(ctx)
	return ps, total, counts, err
}

// Candidate is a certified adviser proposed for a pilot project.
type Candidate struct {
	Provider     Provider
	Certificates []CertifiedRecord
	ThemeMatch   bool
	RegionMatch  bool
	Reviews      int
	Bayes        float64
	score        float64
}

// PilotView is what a pilot project's page shows to a viewer.
type PilotView struct {
	Pilot      *Pilot
	Manager    bool
	Candidates []Candidate
	Interests  []Interest
	// Mine are the viewer's listings that may respond; Uncertified the
	// viewer's advisory listings whose owners lack an adviser certificate.
	Mine, Uncertified []Provider
	// Offerings of the chosen adviser, for the organisation's review.
	Offerings []Offering
}

// PilotPage gathers a pilot project's page for v (nil: a visitor).
func (s *Service) PilotPage(ctx context.Context, v *Actor, id int64) (*PilotView, error) {
	p, err := s.st.pilot(ctx, id)
	if err != nil {
		return nil, err
	}
	pv := &PilotView{Pilot: p, Manager: v != nil && p.ManagedBy(*v)}
	if pv.Interests, err = s.st.interests(ctx, id); err != nil {
		return nil, err
	}
	if p.Status == "open" {
		if pv.Candidates, err = s.candidates(ctx, p, 10); err != nil {
			return nil, err
		}
		if v != nil {
			mine, err := s.st.providersOf(ctx, v.ID)
			if err != nil {
				return nil, err
			}
			for _, x := range mine {
				if !x.Advises() {
					continue
				}
				ok, err := s.certifiedAdviser(ctx, x.ID)
				if err != nil {
					return nil, err
				}
				if ok {
					pv.Mine = append(pv.Mine, x)
				} else {
					pv.Uncertified = append(pv.Uncertified, x)
				}
			}
		}
	}
	if p.ProviderID != nil && pv.Manager {
		if pv.Offerings, err = s.st.offeringsOf(ctx, *p.ProviderID); err != nil {
			return nil, err
		}
	}
	return pv, nil
}

// certifiedAdviser reports whether an owner of provider holds a valid adviser certificate.
func (s *Service) certifiedAdviser(ctx context.Context, provider int64) (bool, error) {
	owners, err := s.st.owners(ctx, provider)
	if err != nil {
		return false, err
	}
	certs, err := s.register.ValidCertificates(ctx, owners)
	if err != nil {
		return false, fmt.Errorf("catalogue: register: %w", err)
	}
	for _, cs := range certs {
		for _, c := range cs {
			if c.Kind == "adviser" {
				return true, nil
			}
		}
	}
	return false, nil
}

// candidates proposes certified advisers for p: providers that advise
// (Provider.Advises) whose owners hold a valid adviser certificate, ranked
// by theme, province and Bayesian rating.
func (s *Service) candidates(ctx context.Context, p *Pilot, limit int) ([]Candidate, error) {
	all, err := s.st.approvedProviders(ctx)
	if err != nil {
		return nil, err
	}
	var ps []Provider
	var ids []int64
	for _, x := range all {
		if x.Advises() {
			ps = append(ps, x)
			ids = append(ids, x.ID)
		}
	}
	owners, err := s.st.ownersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	var users []int64
	for _, us := range owners {
		users = append(users, us...)
	}
	certs, err := s.register.ValidCertificates(ctx, users)
	if err != nil {
		return nil, fmt.Errorf("catalogue: register: %w", err)
	}
	themes, err := s.st.providerThemes(ctx, ids)
	if err != nil {
		return nil, err
	}
	aggs, err := s.st.providerAggregates(ctx, ids)
	if err != nil {
		return nil, err
	}
	var out []Candidate
	for _, prov := range ps {
		var held []CertifiedRecord
		for _, u := range owners[prov.ID] {
			for _, c := range certs[u] {
				if c.Kind == "adviser" {
					held = append(held, c)
				}
			}
		}
		if len(held) == 0 {
			continue
		}
		a := aggs[prov.ID]
		c := Candidate{Provider: prov, Certificates: held, Reviews: a.Count, Bayes: a.Bayes,
			ThemeMatch:  slices.Contains(themes[prov.ID], p.Theme),
			RegionMatch: slices.Contains(prov.Provinces, p.Province) || slices.Contains(prov.Provinces, "landelijk")}
		c.score = c.Bayes
		if c.ThemeMatch {
			c.score += 10
		}
		if c.RegionMatch {
			c.score += 5
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// PilotsFor lists, per listing of v that may guide pilot projects, the
// open pilot projects on the themes of its offerings in its provinces.
func (s *Service) PilotsFor(ctx context.Context, v Actor) (map[int64][]Pilot, error) {
	mine, err := s.st.providersOf(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Pilot{}
	var ids []int64
	for _, p := range mine {
		if p.Advises() {
			ids = append(ids, p.ID)
		}
	}
	themes, err := s.st.providerThemes(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range mine {
		if !p.Advises() || len(themes[p.ID]) == 0 {
			continue
		}
		if ok, err := s.certifiedAdviser(ctx, p.ID); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue
		}
		if out[p.ID], err = s.st.openPilotsFor(ctx, themes[p.ID], p.Provinces, 20); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ExpressInterest records that v's listing provider wants to guide the
// open pilot project, and tells its organisation. Only listings that
// advise (Provider.Advises) of certified advisers may respond.
func (s *Service) ExpressInterest(ctx context.Context, v Actor, pilot, provider int64, message string) error {
	message = strings.TrimSpace(message)
	if n := len([]rune(message)); n < 20 || n > 2000 {
		return apperr.NewValidation("message", "Schrijf in 20 tot 2000 tekens hoe u dit proefproject wilt begeleiden.")
	}
	p, err := s.st.pilot(ctx, pilot)
	if err != nil {
		return err
	}
	prov, err := s.OwnedProvider(ctx, v.ID, provider)
	if err != nil {
		return apperr.NewValidation("provider", "Kies een van uw eigen vermeldingen.")
	}
	if !prov.Advises() {
		return apperr.Msg(apperr.ErrForbidden, "Alleen goedgekeurde adviesbureaus en zelfstandig adviseurs kunnen op proefprojecten reageren.")
	}
	if ok, err := s.certifiedAdviser(ctx, provider); err != nil {
		return err
	} else if !ok {
		return ErrNotAdviser
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		fresh, err := st.addInterest(ctx, pilot, provider, v.ID, message)
		if err != nil || !fresh {
			return err
		}
		return s.noticeInterest(ctx, tx, st, p, prov)
	})
}

// managedPilot returns the pilot project when v manages it; someone
// else's pilot project is ErrNotFound for the actions of its managers.
func (s *Service) managedPilot(ctx context.Context, v Actor, id int64) (*Pilot, error) {
	p, err := s.st.pilot(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.ManagedBy(v) {
		return nil, ErrNotFound
	}
	return p, nil
}

// ChoosePilotAdviser records the organisation's choice of provider (who
// responded) for the open pilot project, and tells the adviser. From then
// on the pilot project counts as having found professional guidance.
func (s *Service) ChoosePilotAdviser(ctx context.Context, v Actor, pilot, provider int64) error {
	p, err := s.managedPilot(ctx, v, pilot)
	if err != nil {
		return err
	}
	if p.Status != "open" {
		return ErrPilotState
	}
	defer s.facets.clear()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		if err := st.matchPilot(ctx, pilot, provider); err != nil {
			return err
		}
		return s.noticeChosen(ctx, tx, st, p, provider)
	})
}

// CompletePilot closes the matched pilot project with its outcome: what
// was tried and what it delivered (20–3000 characters each).
func (s *Service) CompletePilot(ctx context.Context, v Actor, pilot int64, tried, result string) error {
	p, err := s.managedPilot(ctx, v, pilot)
	if err != nil {
		return err
	}
	if p.Status != "matched" {
		return ErrPilotState
	}
	tried, result = strings.TrimSpace(tried), strings.TrimSpace(result)
	ve := &apperr.Validation{}
	if n := len([]rune(tried)); n < 20 || n > 3000 {
		ve.Add("outcome_tried", "Beschrijf in 20 tot 3000 tekens wat u heeft geprobeerd.")
	}
	if n := len([]rune(result)); n < 20 || n > 3000 {
		ve.Add("outcome_result", "Beschrijf in 20 tot 3000 tekens wat het heeft opgeleverd.")
	}
	if err := ve.Err(); err != nil {
		return err
	}
	return s.st.completePilot(ctx, pilot, tried, result)
}
