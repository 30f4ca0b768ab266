package certify

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// LearningRecords is what certification needs from the leeromgeving.
type LearningRecords interface {
	// CourseCompletion reports when userID completed the published course with slug.
	CourseCompletion(ctx context.Context, userID int64, courseSlug string) (completedAt time.Time, ok bool, err error)
	// BestQuizScore is the learner's best submitted score (0–100) on quiz quizSlug of course courseSlug.
	BestQuizScore(ctx context.Context, userID int64, courseSlug, quizSlug string) (scorePct int, at time.Time, ok bool, err error)
	// CourseTitle is the title of the course with slug.
	CourseTitle(ctx context.Context, slug string) (title string, ok bool, err error)
}

// Label is the Dutch name of the kind, as a noun for the holder.
func (k Kind) Label() string {
	switch k {
	case KindTrainer:
		return "Trainer"
	case KindAdviser:
		return "Adviseur"
	case KindTraining:
		return "Opleiding"
	case KindCourse:
		return "Cursus afgerond"
	}
	return string(k)
}

// IsTraining and IsTrainer say what kind k is, for pages.
func (k Kind) IsTraining() bool { return k == KindTraining }

// IsTrainer reports whether k certifies trainers.
func (k Kind) IsTrainer() bool { return k == KindTrainer }

// ForPersons reports whether certificates of kind k are held by a person
// (as opposed to a training course).
func (k Kind) ForPersons() bool { return k != KindTraining }

// SchemeKinds are the kinds a scheme can certify, with Dutch labels.
var SchemeKinds = []struct {
	Value Kind
	Label string
}{
	{KindTrainer, "Trainer (persoon)"},
	{KindAdviser, "Adviseur (persoon)"},
	{KindTraining, "Opleiding (van een aanbieder)"},
}

// EvidenceItem is one kind of document a scheme asks for.
type EvidenceItem struct {
	Key   string `json:"key"`   // stable name, e.g. "praktijkcase"
	Label string `json:"label"` // e.g. "Praktijkcase"
	Count int    `json:"count"` // how many files at least
}

// Scheme is a certification scheme: what is certified and what it takes.
type Scheme struct {
	bun.BaseModel `bun:"table:cert_schemes,alias:s"`

	ID              int64          `bun:",pk,autoincrement" json:"-"`
	Slug            string         `bun:",notnull" json:"slug"`
	Title           string         `bun:",notnull" json:"title"`
	Kind            Kind           `bun:",notnull" json:"kind"`
	Summary         string         `bun:",notnull" json:"summary"`
	Criteria        string         `bun:",notnull" json:"criteria"`
	RequiredCourses []string       `bun:",array,notnull" json:"required_courses"`
	ExamCourse      string         `bun:",notnull" json:"exam_course,omitempty"`
	ExamQuiz        string         `bun:",notnull" json:"exam_quiz,omitempty"`
	ExamPassMark    int            `bun:",notnull" json:"exam_pass_mark,omitempty"`
	Evidence        []EvidenceItem `bun:",type:jsonb,notnull" json:"evidence"`
	ValidityYears   int            `bun:",notnull" json:"validity_years"`
	Active          bool           `bun:",notnull" json:"active"`
	CreatedAt       time.Time      `bun:",nullzero,notnull,default:current_timestamp" json:"-"`
	UpdatedAt       time.Time      `bun:",nullzero,notnull,default:current_timestamp" json:"-"`
}

// HasExam reports whether the scheme asks for a passed exam.
func (s *Scheme) HasExam() bool { return s.ExamQuiz != "" }

// Application is someone's request to be certified under a scheme.
type Application struct {
	bun.BaseModel `bun:"table:cert_applications,alias:a"`

	ID             int64      `bun:",pk,autoincrement" json:"id"`
	SchemeID       int64      `bun:",notnull" json:"-"`
	Scheme         *Scheme    `bun:"rel:belongs-to,join:scheme_id=id" json:"scheme,omitempty"`
	ApplicantID    int64      `bun:",notnull" json:"-"`
	ApplicantName  string     `bun:",scanonly" json:"-"`
	SubjectName    string     `bun:",notnull" json:"subject_name,omitempty"`
	Motivation     string     `bun:",notnull" json:"motivation"`
	ListInRegister bool       `bun:",notnull" json:"list_in_register"`
	State          State      `bun:",notnull" json:"state"`
	RenewalOf      *int64     `json:"-"`
	Question       string     `bun:",notnull" json:"question,omitempty"`
	AssessorID     *int64     `json:"-"`
	DecisionReason string     `bun:",notnull" json:"decision_reason,omitempty"`
	SubmittedAt    *time.Time `json:"submitted_at,omitempty"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	CreatedAt      time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"created_at"`
	UpdatedAt      time.Time  `bun:",nullzero,notnull,default:current_timestamp" json:"updated_at"`
}

// Evidence is an uploaded document of an application. Content is only
// loaded when the file itself is asked for.
type Evidence struct {
	bun.BaseModel `bun:"table:cert_evidence,alias:e"`

	ID            int64     `bun:",pk,autoincrement" json:"id"`
	ApplicationID int64     `bun:",notnull" json:"-"`
	Requirement   string    `bun:",notnull" json:"requirement"`
	Filename      string    `bun:",notnull" json:"filename"`
	ContentType   string    `bun:",notnull" json:"content_type"`
	Size          int       `bun:",notnull" json:"size"`
	SHA256        []byte    `bun:"sha256,notnull" json:"-"`
	Content       []byte    `bun:",notnull" json:"-"`
	UploadedAt    time.Time `bun:",nullzero,notnull,default:current_timestamp" json:"uploaded_at"`
}

// AuditEntry is one change of an application or a certificate: who, when,
// from, to and why.
type AuditEntry struct {
	bun.BaseModel `bun:"table:cert_audit,alias:l"`

	ID            int64     `bun:",pk,autoincrement" json:"-"`
	ApplicationID *int64    `json:"-"`
	CertificateID *int64    `json:"-"`
	ActorID       *int64    `json:"-"`
	ActorName     string    `bun:",notnull" json:"by"`
	At            time.Time `bun:",nullzero,notnull,default:current_timestamp" json:"at"`
	FromState     string    `bun:",notnull" json:"from"`
	ToState       string    `bun:",notnull" json:"to"`
	Reason        string    `bun:",notnull" json:"reason,omitempty"`
}

// FromLabel and ToLabel are the Dutch names of the states in the entry.
func (e AuditEntry) FromLabel() string { return stateOrStatusLabel(e.FromState) }

// ToLabel is the Dutch name of the state the entry moved to.
func (e AuditEntry) ToLabel() string { return stateOrStatusLabel(e.ToState) }

func stateOrStatusLabel(s string) string {
	switch s {
	case "":
		return "—"
	case "valid", "suspended", "revoked", "expired", "superseded":
		return StatusLabel(s)
	}
	return State(s).Label()
}

// The stored statuses of a certificate. Expired is derived from the date.
const (
	StatusValid     = "valid"
	StatusSuspended = "suspended"
	StatusRevoked   = "revoked"
	StatusExpired   = "expired"
)

// StatusBadge is the style of the badge of a certificate status.
func StatusBadge(status string) string {
	switch status {
	case StatusValid:
		return "badge-ok"
	case StatusSuspended, "superseded":
		return "badge-warn"
	}
	return "badge-bad"
}

// StatusLabel is the Dutch word for a certificate status.
func StatusLabel(status string) string {
	switch status {
	case StatusValid:
		return "geldig"
	case StatusSuspended:
		return "geschorst"
	case StatusRevoked:
		return "ingetrokken"
	case StatusExpired:
		return "verlopen"
	case "superseded":
		return "vervangen"
	}
	return status
}

// Certificate is an issued certificate. What was issued (number, holder's
// name, title, dates) never changes; only the status does.
type Certificate struct {
	bun.BaseModel `bun:"table:cert_certificates,alias:c"`

	ID              int64      `bun:",pk,autoincrement" json:"-"`
	Number          string     `bun:",notnull" json:"number"`
	Kind            Kind       `bun:",notnull" json:"kind"`
	Year            int        `bun:",notnull" json:"-"`
	Seq             int        `bun:",notnull" json:"-"`
	SchemeID        *int64     `json:"-"`
	CourseSlug      string     `bun:",notnull" json:"course_slug,omitempty"`
	Title           string     `bun:",notnull" json:"title"`
	Achievement     string     `bun:",notnull" json:"achievement"`
	HolderUserID    *int64     `json:"-"`
	HolderName      string     `bun:",notnull" json:"holder_name"`
	ApplicationID   *int64     `json:"-"`
	IssuedAt        time.Time  `bun:",notnull" json:"issued_at"`
	ExpiresAt       *time.Time `json:"expires_at,omitempty"`
	Status          string     `bun:",notnull" json:"status"` // stored: valid, suspended, revoked
	StatusReason    string     `bun:",notnull" json:"status_reason,omitempty"`
	StatusChangedAt *time.Time `json:"status_changed_at,omitempty"`
	StatusIndex     int        `bun:",notnull" json:"-"`
	SigningKID      string     `bun:"signing_kid,notnull" json:"-"`
	SubjectID       string     `bun:",notnull" json:"subject_id"` // credentialSubject.id: urn:uuid:…
	IdentityType    string     `bun:",notnull" json:"-"`          // what IdentityHash hashes: emailAddress or name
	IdentityHash    string     `bun:",notnull" json:"-"`
	IdentitySalt    string     `bun:",notnull" json:"-"`
	SupersedesID    *int64     `json:"-"`
	Listed          bool       `bun:",notnull" json:"listed_in_register"`
	Version         int        `bun:",notnull" json:"-"`

	// Filled by the queries that need them.
	SchemeSlug   string `bun:",scanonly" json:"-"`
	SupersededBy string `bun:",scanonly" json:"superseded_by,omitempty"` // the number of the certificate that replaced this one
	Supersedes   string `bun:",scanonly" json:"supersedes,omitempty"`    // the number of the one this replaced
}

// StatusAt is the certificate's status at now: valid, suspended, revoked or
// expired (a valid or suspended certificate past its expiry date).
func (c *Certificate) StatusAt(now time.Time) string {
	if c.Status == StatusRevoked {
		return StatusRevoked
	}
	if c.ExpiresAt != nil && !now.Before(*c.ExpiresAt) {
		return StatusExpired
	}
	return c.Status
}

// IsValid, IsSuspended and IsRevoked tell the stored status.
func (c *Certificate) IsValid() bool { return c.Status == StatusValid }

// IsSuspended reports whether the certificate is suspended.
func (c *Certificate) IsSuspended() bool { return c.Status == StatusSuspended }

// IsRevoked reports whether the certificate is revoked (for good).
func (c *Certificate) IsRevoked() bool { return c.Status == StatusRevoked }

// ValidAt reports whether the certificate is valid at now.
func (c *Certificate) ValidAt(now time.Time) bool { return c.StatusAt(now) == StatusValid }

// ExpiresWithin reports whether a valid certificate expires within d of now.
func (c *Certificate) ExpiresWithin(now time.Time, d time.Duration) bool {
	return c.ExpiresAt != nil && c.ValidAt(now) && c.ExpiresAt.Sub(now) <= d
}

// Actor is whoever makes a change: the logged-in user as this package needs
// them.
type Actor struct {
	ID       int64
	Name     string
	Assessor bool // may assess applications and change certificates' status
	Admin    bool
}

// ActorOf turns the web layer's viewer into an Actor.
func ActorOf(v *web.Viewer) Actor {
	return Actor{ID: v.ID, Name: v.Name, Assessor: v.Has(web.RoleAssessor), Admin: v.Has(web.RoleAdmin)}
}
