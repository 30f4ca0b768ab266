package certify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"
)

// store holds every query of the domain: schemes, applications, evidence,
// certificates, signing keys and the audit log.
type store struct {
	db bun.IDB
}

// newStore returns a store on db (a pool or a transaction).
func newStore(db bun.IDB) *store { return &store{db: db} }

func isUniqueViolation(err error, constraint string) bool {
	var pe pgdriver.Error
	return errors.As(err, &pe) && pe.Field('C') == "23505" && (constraint == "" || pe.Field('n') == constraint)
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("certify: %s: %w", what, err)
}

// --- Schemes ---

// Schemes lists the schemes by title; only the active ones when activeOnly.
func (s *store) Schemes(ctx context.Context, activeOnly bool) ([]Scheme, error) {
	var out []Scheme
	q := s.db.NewSelect().Model(&out).OrderExpr("s.kind = 'training', lower(s.title)")
	if activeOnly {
		q = q.Where("s.active")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: list schemes: %w", err)
	}
	return out, nil
}

// SchemeBySlug returns the scheme with slug, or ErrNotFound.
func (s *store) SchemeBySlug(ctx context.Context, slug string) (*Scheme, error) {
	sc := new(Scheme)
	if err := s.db.NewSelect().Model(sc).Where("s.slug = ?", slug).Scan(ctx); err != nil {
		return nil, notFound(err, "scheme "+slug)
	}
	return sc, nil
}

// Scheme returns the scheme with id, or ErrNotFound.
func (s *store) Scheme(ctx context.Context, id int64) (*Scheme, error) {
	sc := new(Scheme)
	if err := s.db.NewSelect().Model(sc).Where("s.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "scheme")
	}
	return sc, nil
}

// SaveScheme inserts sc when its ID is 0 and updates it otherwise; an
// existing slug gives ErrSlugTaken. Slug, title and kind of a scheme under
// which certificates were issued can still change: certificates keep the
// title they were issued with.
func (s *store) SaveScheme(ctx context.Context, sc *Scheme) error {
	if sc.RequiredCourses == nil {
		sc.RequiredCourses = []string{}
	}
	if sc.Evidence == nil {
		sc.Evidence = []EvidenceItem{}
	}
	var err error
	if sc.ID == 0 {
		_, err = s.db.NewInsert().Model(sc).Returning("*").Exec(ctx)
	} else {
		sc.UpdatedAt = time.Now()
		var res sql.Result
		res, err = s.db.NewUpdate().Model(sc).ExcludeColumn("id", "created_at").WherePK().Exec(ctx)
		if err == nil {
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrNotFound
			}
		}
	}
	if isUniqueViolation(err, "cert_schemes_slug_key") {
		return ErrSlugTaken
	}
	if err != nil {
		return fmt.Errorf("certify: save scheme: %w", err)
	}
	return nil
}

// seedScheme inserts sc unless a scheme with its slug exists, and gives sc
// the stored one's ID.
func (s *store) seedScheme(ctx context.Context, sc *Scheme) error {
	if _, err := s.db.NewInsert().Model(sc).On("CONFLICT (slug) DO NOTHING").Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("certify: seed scheme %s: %w", sc.Slug, err)
	}
	if err := s.db.NewSelect().Table("cert_schemes").Column("id").Where("slug = ?", sc.Slug).Scan(ctx, &sc.ID); err != nil {
		return fmt.Errorf("certify: seed scheme %s: %w", sc.Slug, err)
	}
	return nil
}

// --- Applications ---

func (s *store) selectApplications(out any) *bun.SelectQuery {
	return s.db.NewSelect().Model(out).Relation("Scheme").
		ColumnExpr("a.*").ColumnExpr("u.name AS applicant_name").
		Join("JOIN users AS u ON u.id = a.applicant_id")
}

// Application returns the application with id and its scheme, or ErrNotFound.
func (s *store) Application(ctx context.Context, id int64) (*Application, error) {
	a := new(Application)
	if err := s.selectApplications(a).Where("a.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "application")
	}
	return a, nil
}

// applicationForUpdate locks the application row for the rest of the
// transaction s works in.
func (s *store) applicationForUpdate(ctx context.Context, id int64) (*Application, error) {
	a := new(Application)
	err := s.db.NewSelect().Model(a).Where("a.id = ?", id).For("UPDATE").Scan(ctx)
	if err != nil {
		return nil, notFound(err, "lock application")
	}
	if a.Scheme, err = s.Scheme(ctx, a.SchemeID); err != nil {
		return nil, err
	}
	return a, nil
}

// ApplicationsOf lists the applications of applicantID, newest first.
func (s *store) ApplicationsOf(ctx context.Context, applicantID int64) ([]Application, error) {
	var out []Application
	if err := s.selectApplications(&out).Where("a.applicant_id = ?", applicantID).OrderExpr("a.created_at DESC, a.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: applications of %d: %w", applicantID, err)
	}
	return out, nil
}

// OpenApplication returns the applicant's open application for the scheme,
// or ErrNotFound.
func (s *store) OpenApplication(ctx context.Context, applicantID, schemeID int64) (*Application, error) {
	a := new(Application)
	err := s.selectApplications(a).Where("a.applicant_id = ? AND a.scheme_id = ?", applicantID, schemeID).
		Where("a.state IN (?)", bun.List([]State{StateDraft, StateSubmitted, StateInReview, StateReturned})).Limit(1).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "open application")
	}
	return a, nil
}

// QueueFilter narrows the assessors' queue. Zero values do not filter;
// without a State the queue holds what awaits an assessor (submitted and
// in review).
type QueueFilter struct {
	SchemeID  int64
	State     State
	OlderThan time.Duration // submitted longer ago than this
	Limit     int
}

// Queue lists applications for assessors, oldest submission first.
func (s *store) Queue(ctx context.Context, f QueueFilter, now time.Time) ([]Application, error) {
	var out []Application
	q := s.selectApplications(&out).OrderExpr("a.submitted_at ASC NULLS LAST, a.id ASC")
	if f.State != "" {
		q = q.Where("a.state = ?", f.State)
	} else {
		q = q.Where("a.state IN (?)", bun.List([]State{StateSubmitted, StateInReview}))
	}
	if f.State == StateDraft {
		// Drafts are the applicant's own business.
		return nil, nil
	}
	if f.SchemeID != 0 {
		q = q.Where("a.scheme_id = ?", f.SchemeID)
	}
	if f.OlderThan > 0 {
		q = q.Where("a.submitted_at < ?", now.Add(-f.OlderThan))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	if err := q.Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: queue: %w", err)
	}
	return out, nil
}

// insertApplication stores a new application.
func (s *store) insertApplication(ctx context.Context, a *Application) error {
	if _, err := s.db.NewInsert().Model(a).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("certify: insert application: %w", err)
	}
	return nil
}

// updateDetails stores what the applicant filled in.
func (s *store) updateDetails(ctx context.Context, id int64, d ApplicationDetails, now time.Time) error {
	_, err := s.db.NewUpdate().Table("cert_applications").
		Set("subject_name = ?, motivation = ?, list_in_register = ?, updated_at = ?", d.SubjectName, d.Motivation, d.ListInRegister, now).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("certify: update application %d: %w", id, err)
	}
	return nil
}

// deleteDraft removes applicantID's draft application id and reports
// whether there was one.
func (s *store) deleteDraft(ctx context.Context, id, applicantID int64) (bool, error) {
	res, err := s.db.NewDelete().Table("cert_applications").Where("id = ? AND applicant_id = ? AND state = ?", id, applicantID, StateDraft).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("certify: delete draft: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// applicationChange is a change of an application's state and what goes
// with it; nil fields stay as they are.
type applicationChange struct {
	From, To       State
	At             time.Time
	SubmittedAt    *time.Time
	AssessorID     *int64
	DecidedAt      *time.Time
	Question       *string
	DecisionReason *string
}

// moveApplication changes the state of application id, provided it is still
// in ch.From; it reports whether it was.
func (s *store) moveApplication(ctx context.Context, id int64, ch applicationChange) (bool, error) {
	q := s.db.NewUpdate().Table("cert_applications").Set("state = ?, updated_at = ?", ch.To, ch.At).
		Where("id = ? AND state = ?", id, ch.From)
	if ch.SubmittedAt != nil {
		q = q.Set("submitted_at = ?", *ch.SubmittedAt)
	}
	if ch.AssessorID != nil {
		q = q.Set("assessor_id = ?", *ch.AssessorID)
	}
	if ch.DecidedAt != nil {
		q = q.Set("decided_at = ?", *ch.DecidedAt)
	}
	if ch.Question != nil {
		q = q.Set("question = ?", *ch.Question)
	}
	if ch.DecisionReason != nil {
		q = q.Set("decision_reason = ?", *ch.DecisionReason)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("certify: move application %d to %s: %w", id, ch.To, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// applicationExists reports whether applicantID has any application under
// schemeID.
func (s *store) applicationExists(ctx context.Context, applicantID, schemeID int64) (bool, error) {
	ok, err := s.db.NewSelect().Table("cert_applications").Where("applicant_id = ? AND scheme_id = ?", applicantID, schemeID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("certify: application exists: %w", err)
	}
	return ok, nil
}

// --- Evidence ---

// EvidenceOf lists the evidence of an application, without the contents.
func (s *store) EvidenceOf(ctx context.Context, applicationID int64) ([]Evidence, error) {
	var out []Evidence
	err := s.db.NewSelect().Model(&out).ExcludeColumn("content").
		Where("e.application_id = ?", applicationID).OrderExpr("e.requirement, e.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certify: evidence of %d: %w", applicationID, err)
	}
	return out, nil
}

// EvidenceFile returns one evidence file with its content and the
// application's applicant, or ErrNotFound.
func (s *store) EvidenceFile(ctx context.Context, id int64) (*Evidence, int64, error) {
	var row struct {
		Evidence
		ApplicantID int64 `bun:"applicant_id"`
	}
	err := s.db.NewSelect().Model(&row.Evidence).ColumnExpr("e.*").ColumnExpr("a.applicant_id").
		Join("JOIN cert_applications AS a ON a.id = e.application_id").Where("e.id = ?", id).Scan(ctx, &row)
	if err != nil {
		return nil, 0, notFound(err, "evidence")
	}
	return &row.Evidence, row.ApplicantID, nil
}

// countEvidence counts the files of an application.
func (s *store) countEvidence(ctx context.Context, applicationID int64) (int, error) {
	n, err := s.db.NewSelect().Table("cert_evidence").Where("application_id = ?", applicationID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("certify: count evidence: %w", err)
	}
	return int(n), nil
}

// insertEvidence stores an uploaded file.
func (s *store) insertEvidence(ctx context.Context, e *Evidence) error {
	if _, err := s.db.NewInsert().Model(e).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("certify: insert evidence: %w", err)
	}
	return nil
}

// deleteEvidence removes file evidenceID of application id and reports
// whether there was one.
func (s *store) deleteEvidence(ctx context.Context, id, evidenceID int64) (bool, error) {
	res, err := s.db.NewDelete().Table("cert_evidence").Where("id = ? AND application_id = ?", evidenceID, id).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("certify: delete evidence: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// --- Audit ---

// addAudit writes e and gives it its id.
func (s *store) addAudit(ctx context.Context, e *AuditEntry) error {
	if _, err := s.db.NewInsert().Model(e).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("certify: audit: %w", err)
	}
	return nil
}

// ApplicationAudit is the audit log of an application, oldest first.
func (s *store) ApplicationAudit(ctx context.Context, applicationID int64) ([]AuditEntry, error) {
	return s.audit(ctx, "l.application_id = ?", applicationID)
}

// CertificateAudit is the audit log of a certificate, oldest first.
func (s *store) CertificateAudit(ctx context.Context, certificateID int64) ([]AuditEntry, error) {
	return s.audit(ctx, "l.certificate_id = ?", certificateID)
}

func (s *store) audit(ctx context.Context, where string, id int64) ([]AuditEntry, error) {
	var out []AuditEntry
	if err := s.db.NewSelect().Model(&out).Where(where, id).OrderExpr("l.at, l.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: audit log: %w", err)
	}
	return out, nil
}

// --- People (the accounts the domain mails and names) ---

// contact is someone to mail.
type contact struct {
	ID    int64
	Email string
	Name  string
}

// contact returns the address and name of user id, or ErrNotFound.
func (s *store) contact(ctx context.Context, id int64) (contact, error) {
	var c contact
	err := s.db.NewSelect().TableExpr("users AS u").ColumnExpr("u.id, u.email, u.name").Where("u.id = ?", id).Scan(ctx, &c)
	if err != nil {
		return c, notFound(err, "contact")
	}
	return c, nil
}

// assessors lists everyone with the assessor role, by id.
func (s *store) assessors(ctx context.Context) ([]contact, error) {
	var out []contact
	err := s.db.NewSelect().TableExpr("users AS u").ColumnExpr("u.id, u.email, u.name").
		Where("'assessor' = ANY (u.roles)").OrderExpr("u.id").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("certify: assessors: %w", err)
	}
	return out, nil
}

// subjectID returns the stable subject identifier of user id
// (urn:uuid:…), making it on first use.
func (s *store) subjectID(ctx context.Context, userID int64) (string, error) {
	var id string
	q := s.db.NewSelect().Table("cert_subjects").ColumnExpr("subject_id::text").Where("user_id = ?", userID)
	err := q.Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err = s.db.NewRaw("INSERT INTO cert_subjects (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING", userID).Exec(ctx); err == nil {
			err = q.Scan(ctx, &id)
		}
	}
	if err != nil {
		return "", fmt.Errorf("certify: subject of %d: %w", userID, err)
	}
	return "urn:uuid:" + id, nil
}
