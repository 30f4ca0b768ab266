package certify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Store reads and writes schemes, applications, evidence, certificates and
// the audit log.
type Store struct {
	db bun.IDB
}

// NewStore returns a store on db (a pool or a transaction).
func NewStore(db bun.IDB) *Store { return &Store{db: db} }

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
func (s *Store) Schemes(ctx context.Context, activeOnly bool) ([]Scheme, error) {
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
func (s *Store) SchemeBySlug(ctx context.Context, slug string) (*Scheme, error) {
	sc := new(Scheme)
	if err := s.db.NewSelect().Model(sc).Where("s.slug = ?", slug).Scan(ctx); err != nil {
		return nil, notFound(err, "scheme "+slug)
	}
	return sc, nil
}

// Scheme returns the scheme with id, or ErrNotFound.
func (s *Store) Scheme(ctx context.Context, id int64) (*Scheme, error) {
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
func (s *Store) SaveScheme(ctx context.Context, sc *Scheme) error {
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

// --- Applications ---

func (s *Store) selectApplications(out any) *bun.SelectQuery {
	return s.db.NewSelect().Model(out).Relation("Scheme").
		ColumnExpr("a.*").ColumnExpr("u.name AS applicant_name").
		Join("JOIN users AS u ON u.id = a.applicant_id")
}

// Application returns the application with id and its scheme, or ErrNotFound.
func (s *Store) Application(ctx context.Context, id int64) (*Application, error) {
	a := new(Application)
	if err := s.selectApplications(a).Where("a.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "application")
	}
	return a, nil
}

// applicationForUpdate locks the application row for the rest of the
// transaction s works in.
func (s *Store) applicationForUpdate(ctx context.Context, id int64) (*Application, error) {
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
func (s *Store) ApplicationsOf(ctx context.Context, applicantID int64) ([]Application, error) {
	var out []Application
	if err := s.selectApplications(&out).Where("a.applicant_id = ?", applicantID).OrderExpr("a.created_at DESC, a.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: applications of %d: %w", applicantID, err)
	}
	return out, nil
}

// OpenApplication returns the applicant's open application for the scheme,
// or ErrNotFound.
func (s *Store) OpenApplication(ctx context.Context, applicantID, schemeID int64) (*Application, error) {
	a := new(Application)
	err := s.selectApplications(a).Where("a.applicant_id = ? AND a.scheme_id = ?", applicantID, schemeID).
		Where("a.state IN (?)", bun.In([]State{StateDraft, StateSubmitted, StateInReview, StateReturned})).Limit(1).Scan(ctx)
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
func (s *Store) Queue(ctx context.Context, f QueueFilter, now time.Time) ([]Application, error) {
	var out []Application
	q := s.selectApplications(&out).OrderExpr("a.submitted_at ASC NULLS LAST, a.id ASC")
	if f.State != "" {
		q = q.Where("a.state = ?", f.State)
	} else {
		q = q.Where("a.state IN (?)", bun.In([]State{StateSubmitted, StateInReview}))
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

// --- Evidence ---

// EvidenceOf lists the evidence of an application, without the contents.
func (s *Store) EvidenceOf(ctx context.Context, applicationID int64) ([]Evidence, error) {
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
func (s *Store) EvidenceFile(ctx context.Context, id int64) (*Evidence, int64, error) {
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

// --- Audit ---

func (s *Store) addAudit(ctx context.Context, e *AuditEntry) error {
	if _, err := s.db.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("certify: audit: %w", err)
	}
	return nil
}

// ApplicationAudit is the audit log of an application, oldest first.
func (s *Store) ApplicationAudit(ctx context.Context, applicationID int64) ([]AuditEntry, error) {
	return s.audit(ctx, "l.application_id = ?", applicationID)
}

// CertificateAudit is the audit log of a certificate, oldest first.
func (s *Store) CertificateAudit(ctx context.Context, certificateID int64) ([]AuditEntry, error) {
	return s.audit(ctx, "l.certificate_id = ?", certificateID)
}

func (s *Store) audit(ctx context.Context, where string, id int64) ([]AuditEntry, error) {
	var out []AuditEntry
	if err := s.db.NewSelect().Model(&out).Where(where, id).OrderExpr("l.at, l.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: audit log: %w", err)
	}
	return out, nil
}

// --- Certificates ---

// selectCertificates selects certificates with the numbers of the ones they
// replace and are replaced by, and their scheme's slug.
func (s *Store) selectCertificates(out any) *bun.SelectQuery {
	return s.db.NewSelect().Model(out).ColumnExpr("c.*").
		ColumnExpr("(SELECT n.number FROM cert_certificates AS n WHERE n.supersedes_id = c.id) AS superseded_by").
		ColumnExpr("(SELECT o.number FROM cert_certificates AS o WHERE o.id = c.supersedes_id) AS supersedes").
		ColumnExpr("coalesce((SELECT sc.slug FROM cert_schemes AS sc WHERE sc.id = c.scheme_id), '') AS scheme_slug")
}

// CertificateByNumber returns the certificate with number, typed in any way
// ParseNumber accepts. It returns ErrNotFound for an unknown number, and
// ErrNotFound wrapping ErrMalformedNumber or ErrCheckCharacter for text
// that is not a valid number.
func (s *Store) CertificateByNumber(ctx context.Context, number string) (*Certificate, error) {
	n, err := ParseNumber(number)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	c := new(Certificate)
	if err := s.selectCertificates(c).Where("c.number = ?", n.String()).Scan(ctx); err != nil {
		return nil, notFound(err, "certificate "+n.String())
	}
	return c, nil
}

// certificateForUpdate locks a certificate for the rest of the transaction.
func (s *Store) certificateForUpdate(ctx context.Context, id int64) (*Certificate, error) {
	c := new(Certificate)
	if err := s.db.NewSelect().Model(c).Where("c.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, notFound(err, "lock certificate")
	}
	return c, nil
}

// CertificatesOfHolder lists every certificate userID holds, newest first.
func (s *Store) CertificatesOfHolder(ctx context.Context, userID int64) ([]Certificate, error) {
	var out []Certificate
	if err := s.selectCertificates(&out).Where("c.holder_user_id = ?", userID).OrderExpr("c.issued_at DESC, c.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("certify: certificates of %d: %w", userID, err)
	}
	return out, nil
}

// validAt is the SQL condition for a certificate valid at a time (one argument).
const validAt = "c.status = 'valid' AND (c.expires_at IS NULL OR c.expires_at > ?)"

// ValidCertificatesOfUsers returns the certificates of every kind that are
// valid at now, per holder, for the holders in userIDs.
func (s *Store) ValidCertificatesOfUsers(ctx context.Context, userIDs []int64, now time.Time) (map[int64][]Certificate, error) {
	out := map[int64][]Certificate{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var certs []Certificate
	err := s.selectCertificates(&certs).Where("c.holder_user_id IN (?)", bun.In(userIDs)).Where(validAt, now).
		OrderExpr("c.holder_user_id, c.issued_at DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certify: valid certificates of users: %w", err)
	}
	for _, c := range certs {
		out[*c.HolderUserID] = append(out[*c.HolderUserID], c)
	}
	return out, nil
}

// CountValidByKind counts the certificates valid at now, per kind. Every
// kind is in the map, with 0 when there are none.
func (s *Store) CountValidByKind(ctx context.Context, now time.Time) (map[Kind]int, error) {
	var rows []struct {
		Kind  Kind
		Count int
	}
	err := s.db.NewSelect().TableExpr("cert_certificates AS c").ColumnExpr("c.kind, count(*) AS count").
		Where(validAt, now).GroupExpr("c.kind").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("certify: count valid by kind: %w", err)
	}
	out := map[Kind]int{KindTrainer: 0, KindAdviser: 0, KindTraining: 0, KindCourse: 0}
	for _, r := range rows {
		out[r.Kind] = r.Count
	}
	return out, nil
}

// MonthCount is the number of certificates issued in a month.
type MonthCount struct {
	Month time.Time // the first day of the month, 00:00 in Europe/Amsterdam
	Count int
}

// IssuedPerMonth counts the certificates of kind (every kind when kind is
// "") issued per calendar month (in Dutch time) from the month of from up to
// and including the month of to, with a zero for months without any.
func (s *Store) IssuedPerMonth(ctx context.Context, kind Kind, from, to time.Time) ([]MonthCount, error) {
	first := monthStart(from)
	last := monthStart(to)
	if last.Before(first) {
		return []MonthCount{}, nil
	}
	var rows []struct {
		Month string
		Count int
	}
	q := s.db.NewSelect().TableExpr("cert_certificates AS c").
		ColumnExpr("to_char(date_trunc('month', c.issued_at AT TIME ZONE 'Europe/Amsterdam'), 'YYYY-MM') AS month, count(*) AS count").
		Where("c.issued_at >= ? AND c.issued_at < ?", first, last.AddDate(0, 1, 0)).GroupExpr("1")
	if kind != "" {
		q = q.Where("c.kind = ?", kind)
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("certify: issued per month: %w", err)
	}
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Month] = r.Count
	}
	var out []MonthCount
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		out = append(out, MonthCount{Month: m, Count: counts[m.Format("2006-01")]})
	}
	return out, nil
}

func monthStart(t time.Time) time.Time {
	t = t.In(web.Amsterdam)
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, web.Amsterdam)
}

// RegisterEntry is one line of the public register.
type RegisterEntry struct {
	Number       string
	Kind         Kind
	Title        string
	HolderName   string
	Organisation string
	IssuedAt     time.Time
	ExpiresAt    *time.Time
}

// Register lists the listed trainer, adviser and training certificates
// valid at now, whose holder, title or organisation contains q, of kind when
// kind is not "". It returns one page and the total.
func (s *Store) Register(ctx context.Context, q string, kind Kind, now time.Time, limit, offset int) ([]RegisterEntry, int, error) {
	var out []RegisterEntry
	sel := s.db.NewSelect().TableExpr("cert_certificates AS c").
		ColumnExpr("c.number, c.kind, c.title, c.holder_name, c.issued_at, c.expires_at").
		ColumnExpr("coalesce(o.name, '') AS organisation").
		Join("LEFT JOIN users AS u ON u.id = c.holder_user_id").
		Join("LEFT JOIN organisations AS o ON o.id = u.organisation_id").
		Where("c.listed AND c.kind IN ('trainer', 'adviser', 'training')").Where(validAt, now).
		OrderExpr("c.kind, lower(c.holder_name), c.id").Limit(int64(limit)).Offset(int64(offset))
	if kind != "" {
		sel = sel.Where("c.kind = ?", kind)
	}
	if q = strings.TrimSpace(q); q != "" {
		// Accents and case never matter: "sukru" finds Şükrü, "Yildiz" Yıldız.
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		sel = sel.Where(`(unaccent(lower(c.holder_name)) LIKE unaccent(?) OR unaccent(lower(c.title)) LIKE unaccent(?)
			OR unaccent(lower(coalesce(o.name, ''))) LIKE unaccent(?) OR c.number = upper(?))`, like, like, like, q)
	}
	n, err := sel.ScanAndCount(ctx, &out)
	if err != nil {
		return nil, 0, fmt.Errorf("certify: register: %w", err)
	}
	return out, int(n), nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// CertificateFilter selects certificates for the admin list and exports.
type CertificateFilter struct {
	Query          string // holder, title or number contains
	Status         string // stored status; "" for any
	CourseSlug     string // completion certificates of this course
	SchemeSlug     string // certificates of this scheme
	OrganisationID int64  // held by the organisation's current members
	Limit, Offset  int
}

// Certificates lists certificates matching f, newest first, and their total.
func (s *Store) Certificates(ctx context.Context, f CertificateFilter) ([]Certificate, int, error) {
	var out []Certificate
	sel := s.selectCertificates(&out).OrderExpr("c.issued_at DESC, c.id DESC")
	if f.Limit > 0 {
		sel = sel.Limit(int64(f.Limit)).Offset(int64(f.Offset))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		sel = sel.Where("(lower(c.holder_name) LIKE ? OR lower(c.title) LIKE ? OR lower(c.number) LIKE ?)", like, like, like)
	}
	if f.Status != "" {
		sel = sel.Where("c.status = ?", f.Status)
	}
	if f.CourseSlug != "" {
		sel = sel.Where("c.kind = 'course' AND c.course_slug = ?", f.CourseSlug)
	}
	if f.SchemeSlug != "" {
		sel = sel.Where("c.scheme_id = (SELECT id FROM cert_schemes WHERE slug = ?)", f.SchemeSlug)
	}
	if f.OrganisationID != 0 {
		sel = sel.Where("c.holder_user_id IN (SELECT id FROM users WHERE organisation_id = ?)", f.OrganisationID)
	}
	n, err := sel.ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("certify: list certificates: %w", err)
	}
	return out, int(n), nil
}

// statusIndexes returns the status list entries of the certificates with
// the stored status.
func (s *Store) statusIndexes(ctx context.Context, status string) ([]int, error) {
	var out []int
	err := s.db.NewSelect().TableExpr("cert_certificates AS c").ColumnExpr("c.status_index").
		Where("c.status = ?", status).OrderExpr("c.status_index").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("certify: status list %s: %w", status, err)
	}
	return out, nil
}

// statusState returns the highest status index handed out and the time of
// the last change of any certificate's status (or the first issue).
func (s *Store) statusState(ctx context.Context) (maxIndex int, changed time.Time, err error) {
	var row struct {
		MaxIndex int
		Changed  *time.Time
	}
	err = s.db.NewSelect().TableExpr("cert_certificates AS c").
		ColumnExpr("coalesce(max(c.status_index), 0) AS max_index").
		ColumnExpr("max(coalesce(c.status_changed_at, c.issued_at)) AS changed").Scan(ctx, &row)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("certify: status state: %w", err)
	}
	if row.Changed != nil {
		changed = *row.Changed
	}
	return row.MaxIndex, changed, nil
}

// CertifiedCourses lists the slugs of the courses with completion certificates.
func (s *Store) CertifiedCourses(ctx context.Context) ([]string, error) {
	var out []string
	err := s.db.NewSelect().TableExpr("cert_certificates AS c").ColumnExpr("DISTINCT c.course_slug").
		Where("c.kind = 'course'").OrderExpr("c.course_slug").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("certify: certified courses: %w", err)
	}
	return out, nil
}

// Organisation is an organisation whose members hold certificates.
type Organisation struct {
	ID   int64
	Name string
}

// HolderOrganisations lists the organisations whose current members hold
// certificates, by name.
func (s *Store) HolderOrganisations(ctx context.Context) ([]Organisation, error) {
	var out []Organisation
	err := s.db.NewSelect().TableExpr("organisations AS o").ColumnExpr("o.id, o.name").
		Where("EXISTS (SELECT 1 FROM users AS u JOIN cert_certificates AS c ON c.holder_user_id = u.id WHERE u.organisation_id = o.id)").
		OrderExpr("lower(o.name)").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("certify: holder organisations: %w", err)
	}
	return out, nil
}
