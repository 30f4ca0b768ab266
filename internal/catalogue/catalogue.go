// Package catalogue is the Gouden Gids: providers of training and advice,
// their offerings, reviews and ratings, search, side-by-side comparison,
// pilot projects matched to certified advisers, and the programme's
// reporting page with its success factors.
package catalogue

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Errors returned by the store and the service.
var (
	ErrNotFound        = fmt.Errorf("catalogue: %w", apperr.ErrNotFound)
	ErrForbidden       = apperr.Msg(apperr.ErrForbidden, "Dit mag alleen de aanbieder zelf.")
	ErrProviderTaken   = apperr.NewValidation("name", "Er staat al een aanbieder met deze naam in de Gids.")
	ErrDuplicateReview = apperr.Msg(apperr.ErrConflict, "U heeft dit aanbod al beoordeeld. U kunt uw review wel aanpassen.")
	ErrOwnReview       = apperr.Msg(apperr.ErrForbidden, "U kunt uw eigen aanbod niet beoordelen.")
	ErrReviewSpam      = apperr.Msg(apperr.ErrTooMany, "U heeft het afgelopen uur te veel reviews geplaatst. Probeer het later opnieuw.")
	ErrReplyExists     = apperr.Msg(apperr.ErrConflict, "Op deze review is al gereageerd.")
	ErrPilotState      = apperr.Msg(apperr.ErrConflict, "Dit kan niet meer in de huidige fase van het proefproject.")
	ErrNotAdviser      = apperr.Msg(apperr.ErrForbidden, "Alleen gecertificeerde adviseurs kunnen op proefprojecten reageren. Vraag de certificering als Overheid 2.0-adviseur aan via Certificering.")
	ErrQuoteState      = apperr.Msg(apperr.ErrConflict, "Dit kan niet meer: de offerteaanvraag is al afgehandeld.")
	ErrRequestDecided  = apperr.Msg(apperr.ErrConflict, "Over deze aanmelding is al besloten.")
)

// CertifiedRecord is a currently valid certificate from the public register.
type CertifiedRecord struct {
	Number     string // e.g. W20-ADV-2026-000123-7; link to /verifieer/{Number}
	Kind       string // "trainer", "adviser" or "training"
	Title      string // the scheme, e.g. "Gecertificeerd Overheid 2.0-adviseur"
	HolderName string // a person, or for a training the training's name
	ValidUntil *time.Time
}

// Register answers from the certification register.
type Register interface {
	// ValidCertificates returns the currently valid certificates held by each of userIDs.
	ValidCertificates(ctx context.Context, userIDs []int64) (map[int64][]CertifiedRecord, error)
	// ValidCertificate returns the certificate with number when it is currently valid, and the user who holds it.
	ValidCertificate(ctx context.Context, number string) (rec CertifiedRecord, holderUserID int64, ok bool, err error)
}

// Course is what the Gids needs to know of a course in the leeromgeving.
type Course struct {
	Slug, Title string
	AuthorID    int64 // 0: shipped with the product
}

// Learning answers from the leeromgeving.
type Learning interface {
	CourseCompletion(ctx context.Context, userID int64, courseSlug string) (completedAt time.Time, ok bool, err error)
	// Course returns the course with slug; ok is false when there is none.
	Course(ctx context.Context, slug string) (c Course, ok bool, err error)
}

// Roles grants roles through the accounts domain, inside the caller's transaction.
type Roles interface {
	GrantRole(ctx context.Context, db bun.IDB, userID int64, role string) error
}

// MonthCount is a count for the calendar month starting at Month.
type MonthCount struct {
	Month time.Time
	Count int
}

// ProgrammeMetrics are the figures of the other domains shown on /rapportage.
type ProgrammeMetrics interface {
	CourseCompletionsPerMonth(ctx context.Context, from, to time.Time) ([]MonthCount, error)         // distinct learners who completed a course
	CertificatesPerMonth(ctx context.Context, kind string, from, to time.Time) ([]MonthCount, error) // kind: trainer, adviser, training
	ValidCertificates(ctx context.Context) (map[string]int, error)                                   // kind → number valid now
	MembersPerMonth(ctx context.Context, from, to time.Time) ([]MonthCount, error)                   // new accounts
	MemberCount(ctx context.Context) (int, error)
}

// Provider is a training institute, advisory firm or independent adviser.
type Provider struct {
	bun.BaseModel `bun:"table:catalogue_providers,alias:p"`

	ID           int64      `bun:",pk,autoincrement" json:"id"`
	Kind         string     `bun:",notnull" json:"kind"`
	Name         string     `bun:",notnull" json:"name"`
	Description  string     `bun:",notnull" json:"description"`
	Website      string     `bun:",notnull" json:"website,omitempty"`
	ContactEmail string     `bun:",notnull" json:"contact_email,omitempty"`
	ContactPhone string     `bun:",notnull" json:"contact_phone,omitempty"`
	Provinces    []string   `bun:",array,notnull" json:"provinces"`
	QualityMarks []string   `bun:",array,notnull" json:"declared_quality_marks"`
	KVK          string     `bun:"kvk,notnull" json:"-"`
	Status       string     `bun:",notnull" json:"-"`
	CreatedAt    time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"created_at"`
	UpdatedAt    time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"updated_at"`
	ApprovedAt   *time.Time `json:"-"`
}

// KindLabel is the Dutch name of the provider's kind.
func (p *Provider) KindLabel() string { return ProviderKinds.Label(p.Kind) }

// Advises reports whether the provider is of a kind that guides pilot
// projects: an advisory firm or an independent adviser, approved.
func (p *Provider) Advises() bool {
	return p.Status == "approved" && (p.Kind == "firm" || p.Kind == "independent")
}

// Offering is a training or advice service of a provider.
type Offering struct {
	bun.BaseModel `bun:"table:catalogue_offerings,alias:o"`

	ID             int64       `bun:",pk,autoincrement" json:"id"`
	ProviderID     int64       `bun:",notnull" json:"provider_id"`
	Provider       *Provider   `bun:"rel:belongs-to,join:provider_id=id" json:"provider,omitempty"`
	Kind           string      `bun:",notnull" json:"kind"`
	Title          string      `bun:",notnull" json:"title"`
	Description    string      `bun:",notnull" json:"description_markdown"`
	Themes         []string    `bun:",array,notnull" json:"themes"`
	Provinces      []string    `bun:",array,notnull" json:"provinces"`
	Format         string      `bun:",notnull" json:"format"`
	StudyHours     float64     `bun:",notnull" json:"study_hours"`
	PriceExclCents int64       `bun:",notnull" json:"price_excl_vat_cents"`
	VATPercent     int         `bun:"vat_percent,notnull" json:"vat_percent"`
	PriceInclCents int64       `bun:",notnull" json:"price_incl_vat_cents"`
	Language       string      `bun:",notnull" json:"language"`
	StartDates     []time.Time `bun:",array,type:date[],notnull" json:"start_dates"`
	CourseSlug     string      `bun:",notnull" json:"course_slug,omitempty"`
	Listed         bool        `bun:",notnull" json:"-"`
	Certified      bool        `bun:",notnull" json:"certified"`
	ReviewCount    int         `bun:",notnull" json:"review_count"`
	VerifiedCount  int         `bun:",notnull" json:"verified_review_count"`
	RatingMean     float64     `bun:",notnull" json:"rating_mean"`
	RatingBayes    float64     `bun:",notnull" json:"rating_bayesian"`
	CreatedAt      time.Time   `bun:",nullzero,notnull,default:current_timestamp" json:"created_at"`
	UpdatedAt      time.Time   `bun:",nullzero,notnull,default:current_timestamp" json:"updated_at"`
}

// PricePerHourCents is the price including VAT per study hour.
func (o *Offering) PricePerHourCents() int64 {
	if o.StudyHours <= 0 {
		return 0
	}
	return int64(float64(o.PriceInclCents)/o.StudyHours + 0.5)
}

// Certificate is a register certificate linked to a provider or an offering.
type Certificate struct {
	bun.BaseModel `bun:"table:catalogue_certificates,alias:c"`

	ID           int64      `bun:",pk,autoincrement" json:"-"`
	ProviderID   int64      `bun:",notnull" json:"-"`
	OfferingID   *int64     `json:"-"`
	Number       string     `bun:",notnull" json:"number"`
	Kind         string     `bun:",notnull" json:"kind"`
	Title        string     `bun:",notnull" json:"title"`
	HolderName   string     `bun:",notnull" json:"holder_name"`
	HolderUserID int64      `bun:",notnull" json:"-"`
	ValidUntil   *time.Time `json:"valid_until,omitempty"`
	LinkedAt     time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"-"`
	CheckedAt    time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"-"`
	RevokedAt    *time.Time `json:"-"`
}

// Review is one user's rating of an offering.
type Review struct {
	bun.BaseModel `bun:"table:catalogue_reviews,alias:r"`

	ID            int64      `bun:",pk,autoincrement" json:"id"`
	OfferingID    int64      `bun:",notnull" json:"offering_id"`
	UserID        int64      `bun:",notnull" json:"-"`
	AuthorName    string     `bun:",scanonly" json:"author"`
	Overall       int        `bun:",notnull" json:"overall"`
	Content       int        `bun:",notnull" json:"content"`
	Applicability int        `bun:",notnull" json:"applicability"`
	Teacher       int        `bun:",notnull" json:"teacher"`
	Value         int        `bun:",notnull" json:"value"`
	Body          string     `bun:",notnull" json:"text"`
	Verified      bool       `bun:",notnull" json:"verified_participant"`
	Hidden        bool       `bun:",notnull" json:"-"`
	Reply         string     `bun:",notnull" json:"provider_reply,omitempty"`
	RepliedAt     *time.Time `json:"replied_at,omitempty"`
	CreatedAt     time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"created_at"`
	UpdatedAt     time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"updated_at"`
}

// Score is the review's score for criterion (see Criteria).
func (r *Review) Score(criterion string) int {
	switch criterion {
	case "content":
		return r.Content
	case "applicability":
		return r.Applicability
	case "teacher":
		return r.Teacher
	case "value":
		return r.Value
	}
	return r.Overall
}

// Pilot is a pilot project (proefproject) of an organisation looking for an adviser.
type Pilot struct {
	bun.BaseModel `bun:"table:catalogue_pilots,alias:pp"`

	ID             int64      `bun:",pk,autoincrement" json:"id"`
	OrganisationID *int64     `json:"-"`
	Organisation   string     `bun:",scanonly" json:"organisation"`
	CreatedBy      *int64     `json:"-"`
	Title          string     `bun:",notnull" json:"title"`
	Goal           string     `bun:",notnull" json:"goal"`
	Theme          string     `bun:",notnull" json:"theme"`
	Province       string     `bun:",notnull" json:"province"`
	StartsOn       time.Time  `bun:",type:date,notnull" json:"starts_on"`
	EndsOn         time.Time  `bun:",type:date,notnull" json:"ends_on"`
	Budget         string     `bun:",notnull" json:"budget"`
	Status         string     `bun:",notnull" json:"status"`
	ProviderID     *int64     `json:"provider_id,omitempty"`
	ProviderName   string     `bun:",scanonly" json:"provider_name,omitempty"`
	CreatedAt      time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"created_at"`
	MatchedAt      *time.Time `json:"matched_at,omitempty"`
	CompletedAt    *time.Time `json:"completed_at,omitempty"`
	OutcomeTried   string     `bun:",notnull" json:"outcome_tried,omitempty"`
	OutcomeResult  string     `bun:",notnull" json:"outcome_result,omitempty"`
}

// ManagedBy reports whether v may choose the adviser and complete the pilot
// project: an organisation manager who posted it or works at its organisation.
func (p *Pilot) ManagedBy(v Actor) bool {
	if !v.Manager {
		return false
	}
	return (p.CreatedBy != nil && *p.CreatedBy == v.ID) || (p.OrganisationID != nil && v.OrganisationID != 0 && *p.OrganisationID == v.OrganisationID)
}

// PilotStatuses are the phases of a pilot project with Dutch labels.
var PilotStatuses = Options{{"open", "Zoekt begeleiding"}, {"matched", "Gekoppeld"}, {"completed", "Afgerond"}}

// StatusLabel is the Dutch name of the pilot's phase.
func (p *Pilot) StatusLabel() string { return PilotStatuses.Label(p.Status) }

// Interest is an adviser's response to a pilot project.
type Interest struct {
	bun.BaseModel `bun:"table:catalogue_pilot_interests,alias:pi"`

	PilotID      int64  `bun:",pk"`
	ProviderID   int64  `bun:",pk"`
	ProviderName string `bun:",scanonly"`
	Message      string `bun:",notnull"`
	CreatedBy    *int64
	CreatedAt    time.Time `bun:",nullzero,notnull,default:current_timestamp"`
}

// Actor is who acts in the Gids, as the service needs to know them.
type Actor struct {
	ID             int64
	Name           string
	Email          string
	OrganisationID int64
	Manager        bool // holds the organisation manager role
	Admin          bool
}
