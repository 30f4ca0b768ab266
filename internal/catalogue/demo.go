package catalogue

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// demoPerson is an account the demo Gids uses.
type demoPerson struct {
	ID             int64
	Email          string
	OrganisationID *int64
}

// SeedDemo adds the fictitious demo catalogue inside the demo seed's
// transaction: providers owned by the demo accounts where they exist,
// offerings, reviews by the demo learners (most of them backed by a
// confirmed participation), pilot projects in every phase and a handful
// of quote requests, spread over the year before now. The same accounts
// give the same data; providers that exist are left alone.
func SeedDemo(ctx context.Context, tx bun.Tx, now time.Time) error {
	st := newStore(tx)
	var users []struct {
		ID             int64
		Email          string
		OrganisationID *int64
		Roles          []string `bun:",array"`
	}
	if err := tx.NewRaw("SELECT id, lower(email) AS email, organisation_id, roles FROM users ORDER BY id").Scan(ctx, &users); err != nil {
		return fmt.Errorf("catalogue demo: users: %w", err)
	}
	byEmail := map[string]int64{}
	var learners, managers []demoPerson
	for _, u := range users {
		byEmail[u.Email] = u.ID
		p := demoPerson{u.ID, u.Email, u.OrganisationID}
		switch {
		case len(u.Roles) == 0:
			learners = append(learners, p)
		case len(u.Roles) == 1 && u.Roles[0] == "org_manager":
			managers = append(managers, p)
		}
	}
	day := func(daysAgo int) time.Time { return now.AddDate(0, 0, -daysAgo).Truncate(time.Hour) }
	start := now.AddDate(0, 2, 0).Truncate(24 * time.Hour)
	var offerings []*Offering
	n := 0
	for pi, dp := range demoProviders {
		exists, err := tx.NewSelect().Table("catalogue_providers").Where("lower(name) = lower(?)", dp.Name).Exists(ctx)
		if err != nil {
			return fmt.Errorf("catalogue demo: %w", err)
		}
		if exists {
			continue
		}
		approved := day(330 - pi*7)
		p := &Provider{Kind: dp.Kind, Name: dp.Name, Description: dp.Description, Website: dp.Website, ContactEmail: dp.Email,
			Provinces: dp.Provinces, QualityMarks: nonNil(dp.Marks), Status: "approved", ApprovedAt: &approved,
			KVK: fmt.Sprintf("%08d", 30000000+pi*104729), CreatedAt: approved, UpdatedAt: approved}
		if err := st.createProvider(ctx, p, byEmail[dp.Owner]); err != nil {
			return err
		}
		for _, do := range dp.Offerings {
			created := approved.AddDate(0, 0, n%20)
			o := &Offering{ProviderID: p.ID, Kind: do.Kind, Title: do.Title, Description: do.Description, Themes: do.Themes,
				Provinces: do.Provinces, Format: do.Format, StudyHours: do.Hours, PriceExclCents: do.PriceEuros * 100, VATPercent: do.VAT,
				Language: "nl", CourseSlug: do.CourseSlug, StartDates: []time.Time{start.AddDate(0, 0, 7*(n%5)), start.AddDate(0, 3, 7*(n%5))},
				CreatedAt: created, UpdatedAt: created}
			o.PriceInclCents = o.PriceExclCents + (o.PriceExclCents*int64(o.VATPercent)+50)/100
			o.Provider = p
			if err := st.createOffering(ctx, o); err != nil {
				return err
			}
			offerings = append(offerings, o)
			n++
		}
	}
	if len(offerings) == 0 {
		return nil // seeded before
	}
	if err := seedDemoReviews(ctx, tx, offerings, learners, byEmail, now); err != nil {
		return err
	}
	if err := seedDemoPilots(ctx, tx, managers, byEmail, now); err != nil {
		return err
	}
	return seedDemoQuotes(ctx, tx, offerings, managers, byEmail, now)
}

// seedDemoReviews writes about four and a half reviews per offering, by
// learners in turn, with scores around a quality of its own; four in five
// reviewers took part by record (a confirmed participation). Some open
// participations wait for Lotte's confirmation, to try that page.
func seedDemoReviews(ctx context.Context, tx bun.Tx, offerings []*Offering, learners []demoPerson, byEmail map[string]int64, now time.Time) error {
	if len(learners) == 0 {
		return nil
	}
	lotte := byEmail["lotte@utrecht.example"]
	next := 0
	var reviews []Review
	var proofs []Participation
	for i, o := range offerings {
		owners, err := newStore(tx).owners(ctx, o.ProviderID)
		if err != nil {
			return err
		}
		var by *int64
		if len(owners) > 0 {
			by = &owners[0]
		}
		quality := 22 + (i*17)%27 // 2.2 … 4.8 stars, in tenths
		count := 2 + (i*7)%6
		for j := range count {
			r := learners[next%len(learners)]
			next++
			if r.ID == lotte && o.Title == "Webcare voor gemeenten" {
				r = learners[next%len(learners)] // the browser test reviews this one as Lotte
				next++
			}
			noise := []int{0, 6, -7, 3, -3, 9, -12, 4}[(i+j*3)%8]
			overall := min(5, max(1, (quality+noise+5)/10))
			daysAgo := (i*23 + j*41) % 350
			at := now.AddDate(0, 0, -daysAgo).Add(-time.Duration((i*7+j)%9) * time.Hour)
			verified := (i+j*2)%5 != 0
			if verified {
				took := at.AddDate(0, 0, -3-(j%10)).Truncate(24 * time.Hour)
				confirmed := took.Add(48 * time.Hour)
				uid := r.ID
				proofs = append(proofs, Participation{OfferingID: o.ID, Email: r.Email, TookPartOn: &took, RegisteredBy: by, UserID: &uid,
					CreatedAt: took.Add(24 * time.Hour), ConfirmedAt: &confirmed})
			}
			rv := Review{OfferingID: o.ID, UserID: r.ID, Overall: overall, Content: clampScore(overall + []int{0, 1, -1, 0}[(i+j)%4]),
				Applicability: clampScore(overall + []int{0, 0, -1, 1}[(i+2*j)%4]), Teacher: clampScore(overall + []int{1, 0, 0, -1}[(i+j)%4]),
				Value: clampScore(overall + []int{-1, 0, 0, -1}[(2*i+j)%4]), Body: demoReviewText(o, overall, i, j), Verified: verified,
				CreatedAt: at, UpdatedAt: at}
			if (i+j)%5 == 1 && len(owners) > 0 {
				replied := at.Add(30 * time.Hour)
				rv.Reply, rv.RepliedAt = demoReply(overall, j), &replied
			}
			reviews = append(reviews, rv)
		}
	}
	// One statement each: the ratings are recomputed once, by the reviews trigger.
	if len(proofs) > 0 {
		if _, err := tx.NewInsert().Model(&proofs).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return fmt.Errorf("catalogue demo: participations: %w", err)
		}
	}
	if _, err := tx.NewInsert().Model(&reviews).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("catalogue demo: reviews: %w", err)
	}
	if lotte != 0 {
		for _, o := range offerings {
			if o.Title == "Kennisdelen met online communities" || o.Title == "Workshop slim online vergaderen" {
				if _, err := tx.NewRaw(`INSERT INTO catalogue_participations (offering_id, email, took_part_on, created_at)
					VALUES (?, 'lotte@utrecht.example', ?, ?) ON CONFLICT DO NOTHING`, o.ID, now.AddDate(0, 0, -20), now.AddDate(0, 0, -10)).Exec(ctx); err != nil {
					return fmt.Errorf("catalogue demo: open participation: %w", err)
				}
			}
		}
	}
	return nil
}

func clampScore(x int) int { return min(5, max(1, x)) }

// providerByName returns the id of the demo provider named name.
func providerByName(ctx context.Context, tx bun.Tx, name string) (int64, error) {
	var id int64
	if err := tx.NewRaw("SELECT id FROM catalogue_providers WHERE name = ?", name).Scan(ctx, &id); err != nil {
		return 0, fmt.Errorf("catalogue demo: provider %q: %w", name, err)
	}
	return id, nil
}
