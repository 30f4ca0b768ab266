package certify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// --- Certificates ---

// selectCertificates selects certificates with the numbers of the ones they
// replace and are replaced by, and their scheme's slug.
func (s *store) selectCertificates(out any) *bun.SelectQuery {
	return s.db.NewSelect().Model(out).ColumnExpr("c.*").
		ColumnExpr("(SELECT n.number FROM cert_certificates AS n WHERE n.supersedes_id = c.id) AS superseded_by").
		ColumnExpr("(SELECT o.number FROM cert_certificates AS o WHERE o.id = c.supersedes_id) AS supersedes").
		ColumnExpr("coalesce((SELECT sc.slug FROM cert_schemes AS sc WHERE sc.id = c.scheme_id), '') AS scheme_slug")
}

// CertificateByNumber returns the certificate with number, typed in any way
// ParseNumber accepts. It returns ErrNotFound for an unknown number, and
// ErrNotFound wrapping ErrMalformedNumber or ErrCheckCharacter for text
// that is not a valid number.
func (s *store) CertificateByNumber(ctx context.Context, number string) (*Certificate, error) {
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
func (s *store) certificateForUpdate(ctx context.Context, id int64) (*Certificate, error) {
	c := new(Certificate)
	if err := s.db.NewSelect().Model(c).Where("c.id = ?", id).For("UPDATE").Scan(ctx); err != nil {
		return nil, notFound(err, "lock certificate")
	}
	return c, nil
}

// CertificatesOfHolder lists every certificate userID holds, newest first.
func (s *store) CertificatesOfHolder(ctx context.Context, userID int64) ([]Certificate, error) {
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
func (s *store) ValidCertificatesOfUsers(ctx context.Context, userIDs []int64, now time.Time) (map[int64][]Certificate, error) {
	out := map[int64][]Certificate{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var certs []Certificate
	err := s.selectCertificates(&certs).Where("c.holder_user_id IN (?)", bun.List(userIDs)).Where(validAt, now).
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
func (s *store) CountValidByKind(ctx context.Context, now time.Time) (map[Kind]int, error) {
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
func (s *store) IssuedPerMonth(ctx context.Context, kind Kind, from, to time.Time) ([]MonthCount, error) {
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
func (s *store) Register(ctx context.Context, q string, kind Kind, now time.Time, limit, offset int) ([]RegisterEntry, int, error) {
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
func (s *store) Certificates(ctx context.Context, f CertificateFilter) ([]Certificate, int, error) {
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

// statusState is what the status lists are made of.
type statusState struct {
	MaxIndex int            // the highest status index handed out
	Changed  time.Time      // the last change of any certificate's status (or the last issue)
	NotValid map[int]string // status index → stored status, of the certificates not valid
}

// statusState returns the state of every certificate's status.
func (s *store) statusState(ctx context.Context) (statusState, error) {
	var row struct {
		MaxIndex int
		Changed  *time.Time
	}
	err := s.db.NewSelect().TableExpr("cert_certificates AS c").
		ColumnExpr("coalesce(max(c.status_index), 0) AS max_index").
		ColumnExpr("max(coalesce(c.status_changed_at, c.issued_at)) AS changed").Scan(ctx, &row)
	if err != nil {
		return statusState{}, fmt.Errorf("certify: status state: %w", err)
	}
	st := statusState{MaxIndex: row.MaxIndex, NotValid: map[int]string{}}
	if row.Changed != nil {
		st.Changed = *row.Changed
	}
	var rows []struct {
		StatusIndex int
		Status      string
	}
	err = s.db.NewSelect().TableExpr("cert_certificates AS c").ColumnExpr("c.status_index, c.status").
		Where("c.status <> 'valid'").Scan(ctx, &rows)
	if err != nil {
		return statusState{}, fmt.Errorf("certify: status lists: %w", err)
	}
	for _, r := range rows {
		st.NotValid[r.StatusIndex] = r.Status
	}
	return st, nil
}

// CertifiedCourses lists the slugs of the courses with completion certificates.
func (s *store) CertifiedCourses(ctx context.Context) ([]string, error) {
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
func (s *store) HolderOrganisations(ctx context.Context) ([]Organisation, error) {
	var out []Organisation
	err := s.db.NewSelect().TableExpr("organisations AS o").ColumnExpr("o.id, o.name").
		Where("EXISTS (SELECT 1 FROM users AS u JOIN cert_certificates AS c ON c.holder_user_id = u.id WHERE u.organisation_id = o.id)").
		OrderExpr("lower(o.name)").Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("certify: holder organisations: %w", err)
	}
	return out, nil
}

// certificateByID returns the certificate with id, or ErrNotFound.
func (s *store) certificateByID(ctx context.Context, id int64) (*Certificate, error) {
	c := new(Certificate)
	if err := s.selectCertificates(c).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "certificate")
	}
	return c, nil
}

// certificateOfApplication returns the certificate issued on approval of
// application id, or ErrNotFound.
func (s *store) certificateOfApplication(ctx context.Context, id int64) (*Certificate, error) {
	c := new(Certificate)
	if err := s.selectCertificates(c).Where("c.application_id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "certificate of application")
	}
	return c, nil
}

// nextNumber hands out the next sequence number of kind in year. The row
// stays locked until the transaction ends, so a rolled-back issue gives its
// number back.
func (s *store) nextNumber(ctx context.Context, kind Kind, year int) (int, error) {
	var seq int
	err := s.db.NewRaw(`INSERT INTO cert_number_seqs (kind, year, last) VALUES (?, ?, 1)
		ON CONFLICT (kind, year) DO UPDATE SET last = cert_number_seqs.last + 1 RETURNING last`, kind, year).Scan(ctx, &seq)
	if err != nil {
		return 0, fmt.Errorf("certify: number: %w", err)
	}
	return seq, nil
}

// nextStatusIndex hands out an entry in the status lists.
func (s *store) nextStatusIndex(ctx context.Context) (int, error) {
	var index int
	if err := s.db.NewRaw("SELECT nextval('cert_status_index_seq')").Scan(ctx, &index); err != nil {
		return 0, fmt.Errorf("certify: status index: %w", err)
	}
	return index, nil
}

// insertCertificate stores a new certificate.
func (s *store) insertCertificate(ctx context.Context, c *Certificate) error {
	if _, err := s.db.NewInsert().Model(c).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("certify: insert certificate %s: %w", c.Number, err)
	}
	return nil
}

// setStatus stores a certificate's new status.
func (s *store) setStatus(ctx context.Context, id int64, status, reason string, at time.Time) error {
	_, err := s.db.NewUpdate().Table("cert_certificates").
		Set("status = ?, status_reason = ?, status_changed_at = ?, version = version + 1", status, reason, at).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("certify: status of certificate %d: %w", id, err)
	}
	return nil
}

// setListed stores whether a certificate is in the public register.
func (s *store) setListed(ctx context.Context, id int64, listed bool) error {
	if _, err := s.db.NewUpdate().Table("cert_certificates").Set("listed = ?", listed).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("certify: set listed: %w", err)
	}
	return nil
}

// lockCourseCertificate serialises issuing userID's certificate for a
// course until the transaction ends.
func (s *store) lockCourseCertificate(ctx context.Context, userID int64, courseSlug string) error {
	if _, err := s.db.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext('cert-course'), hashtext(?))",
		fmt.Sprintf("%d/%s", userID, courseSlug)); err != nil {
		return fmt.Errorf("certify: lock course certificate: %w", err)
	}
	return nil
}

// hasCourseCertificate reports whether userID holds the first completion
// certificate of a course.
func (s *store) hasCourseCertificate(ctx context.Context, userID int64, courseSlug string) (bool, error) {
	ok, err := s.db.NewSelect().Table("cert_certificates").
		Where("kind = 'course' AND holder_user_id = ? AND course_slug = ? AND supersedes_id IS NULL", userID, courseSlug).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("certify: course certificate exists: %w", err)
	}
	return ok, nil
}

// hasSchemeCertificate reports whether userID holds any certificate of schemeID.
func (s *store) hasSchemeCertificate(ctx context.Context, userID, schemeID int64) (bool, error) {
	ok, err := s.db.NewSelect().Table("cert_certificates").Where("holder_user_id = ? AND scheme_id = ?", userID, schemeID).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("certify: scheme certificate exists: %w", err)
	}
	return ok, nil
}

// expiring lists the certificates valid at now that expire after from and
// no later than to, held by someone with an account and not being renewed
// (no open renewal application).
func (s *store) expiring(ctx context.Context, now, from, to time.Time) ([]Certificate, error) {
	var out []Certificate
	err := s.selectCertificates(&out).Where(validAt, now).
		Where("c.holder_user_id IS NOT NULL AND c.expires_at > ? AND c.expires_at <= ?", from, to).
		Where("NOT EXISTS (SELECT 1 FROM cert_applications AS a WHERE a.renewal_of = c.id AND a.state IN (?))",
			bun.List([]State{StateDraft, StateSubmitted, StateInReview, StateReturned})).
		OrderExpr("c.expires_at, c.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("certify: expiring certificates: %w", err)
	}
	return out, nil
}
