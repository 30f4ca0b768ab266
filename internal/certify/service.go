package certify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// IssuerName is who issues every certificate.
const IssuerName = "Programma Ambtenaar 2.0"

// RenewalWindow is how long before its expiry a certificate can be renewed.
const RenewalWindow = 90 * 24 * time.Hour

// Config is what the service needs to know about where it runs.
type Config struct {
	BaseURL         string           // public address, e.g. https://leren.example.nl
	Now             func() time.Time // the clock; time.Now when nil
	PDFCacheEntries int              // rendered PDFs kept in memory; 0 means 512
}

// Service holds the certification rules: applications and their
// assessment, issuing, status changes, renewal and re-issue, the proofs
// (PDF, verifiable credential, status lists) and the mails they cause.
type Service struct {
	db      *bun.DB
	store   *store
	records LearningRecords
	baseURL string
	now     func() time.Time
	pdfs    *pdfCache
}

// NewService returns the service on db, checking prerequisites against
// records (nil: nobody has completed anything).
func NewService(db *bun.DB, records LearningRecords, cfg Config) *Service {
	if records == nil {
		records = noRecords{}
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	size := cfg.PDFCacheEntries
	if size <= 0 {
		size = 512
	}
	return &Service{
		db: db, store: newStore(db), records: records,
		baseURL: strings.TrimRight(cfg.BaseURL, "/"), now: now, pdfs: newPDFCache(size),
	}
}

// noRecords is a leeromgeving in which nobody completed anything, for
// commands that never check prerequisites.
type noRecords struct{}

func (noRecords) CourseCompletion(context.Context, int64, string) (time.Time, bool, error) {
	return time.Time{}, false, nil
}

func (noRecords) BestQuizScore(context.Context, int64, string, string) (int, time.Time, bool, error) {
	return 0, time.Time{}, false, nil
}

func (noRecords) CourseTitle(context.Context, string) (string, bool, error) { return "", false, nil }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

// inTx runs fn in a transaction on db (the pool, or a caller's transaction
// in which it makes a savepoint), with a store on it.
func inTx(ctx context.Context, db bun.IDB, fn func(ctx context.Context, st *store) error) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, newStore(tx)) })
}

// --- Prerequisites ---

// Check is one prerequisite of a scheme, checked against someone's records.
type Check struct {
	Label  string // "Werken 2.0 — de basis" or "Examen"
	Met    bool
	Detail string // "afgerond op 3 november 2026", "nog niet behaald"
	Note   string // what exactly is asked, for the exam
}

// String is the check as one line: "Examen: nog niet behaald".
func (c Check) String() string { return c.Label + ": " + c.Detail }

// Prerequisites checks the scheme's required courses and exam against
// userID's records in the leeromgeving, live.
func (s *Service) Prerequisites(ctx context.Context, userID int64, sc *Scheme) ([]Check, error) {
	var out []Check
	for _, slug := range sc.RequiredCourses {
		title, err := s.courseTitle(ctx, slug)
		if err != nil {
			return nil, err
		}
		at, ok, err := s.records.CourseCompletion(ctx, userID, slug)
		if err != nil {
			return nil, fmt.Errorf("certify: course completion %s: %w", slug, err)
		}
		c := Check{Label: title, Met: ok, Detail: "nog niet afgerond"}
		if ok {
			c.Detail = "afgerond op " + web.DutchDate(at)
		}
		out = append(out, c)
	}
	if sc.HasExam() {
		title, err := s.courseTitle(ctx, sc.ExamCourse)
		if err != nil {
			return nil, err
		}
		score, at, ok, err := s.records.BestQuizScore(ctx, userID, sc.ExamCourse, sc.ExamQuiz)
		if err != nil {
			return nil, fmt.Errorf("certify: quiz score %s/%s: %w", sc.ExamCourse, sc.ExamQuiz, err)
		}
		c := Check{Label: "Examen", Detail: "nog niet behaald",
			Note: fmt.Sprintf("de toets %s van de cursus %s, met minimaal %d%%", sc.ExamQuiz, title, sc.ExamPassMark)}
		switch {
		case ok && score >= sc.ExamPassMark:
			c.Met, c.Detail = true, fmt.Sprintf("behaald op %s met %d%%", web.DutchDate(at), score)
		case ok:
			c.Detail = fmt.Sprintf("nog niet behaald (beste score %d%%, nodig %d%%)", score, sc.ExamPassMark)
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *Service) courseTitle(ctx context.Context, slug string) (string, error) {
	title, ok, err := s.records.CourseTitle(ctx, slug)
	if err != nil {
		return "", fmt.Errorf("certify: course title %s: %w", slug, err)
	}
	if !ok || title == "" {
		return slug, nil
	}
	return title, nil
}

// --- Scheme pages ---

// SchemeCard is a scheme with what it asks in words.
type SchemeCard struct {
	Scheme
	CourseTitles []string
	ExamText     string
}

func (s *Service) schemeCard(ctx context.Context, sc Scheme) (SchemeCard, error) {
	card := SchemeCard{Scheme: sc}
	for _, slug := range sc.RequiredCourses {
		t, err := s.courseTitle(ctx, slug)
		if err != nil {
			return card, err
		}
		card.CourseTitles = append(card.CourseTitles, t)
	}
	if sc.HasExam() {
		t, err := s.courseTitle(ctx, sc.ExamCourse)
		if err != nil {
			return card, err
		}
		card.ExamText = fmt.Sprintf("toets %s van %s, minimaal %d%% goed", sc.ExamQuiz, t, sc.ExamPassMark)
	}
	return card, nil
}

// SchemesView is the overview of the schemes that take applications, with
// the viewer's own applications.
type SchemesView struct {
	Schemes      []SchemeCard
	Applications []Application
}

// SchemesOverview returns the active schemes and, for a logged-in viewer
// (viewerID not 0), their applications.
func (s *Service) SchemesOverview(ctx context.Context, viewerID int64) (*SchemesView, error) {
	list, err := s.store.Schemes(ctx, true)
	if err != nil {
		return nil, err
	}
	v := &SchemesView{}
	for _, sc := range list {
		card, err := s.schemeCard(ctx, sc)
		if err != nil {
			return nil, err
		}
		v.Schemes = append(v.Schemes, card)
	}
	if viewerID != 0 {
		if v.Applications, err = s.store.ApplicationsOf(ctx, viewerID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// SchemeView is one scheme's page: what it asks and, for a logged-in
// viewer, how far they are and their open application.
type SchemeView struct {
	Card   SchemeCard
	Checks []Check
	Open   *Application
}

// SchemePage returns the scheme with slug as viewerID (0: a visitor) sees
// it, or ErrNotFound.
func (s *Service) SchemePage(ctx context.Context, viewerID int64, slug string) (*SchemeView, error) {
	sc, err := s.store.SchemeBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	v := &SchemeView{}
	if v.Card, err = s.schemeCard(ctx, *sc); err != nil {
		return nil, err
	}
	if viewerID == 0 {
		return v, nil
	}
	if v.Checks, err = s.Prerequisites(ctx, viewerID, sc); err != nil {
		return nil, err
	}
	if open, err := s.store.OpenApplication(ctx, viewerID, sc.ID); err == nil {
		v.Open = open
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	return v, nil
}

// --- Reading certificates, for the other domains ---

// CertificateByNumber returns the certificate with number, typed in any way
// ParseNumber accepts, or ErrNotFound (wrapping ErrMalformedNumber or
// ErrCheckCharacter for text that is not a valid number).
func (s *Service) CertificateByNumber(ctx context.Context, number string) (*Certificate, error) {
	return s.store.CertificateByNumber(ctx, number)
}

// ValidCertificatesOfUsers returns the certificates of every kind valid at
// now, per holder, for the holders in userIDs.
func (s *Service) ValidCertificatesOfUsers(ctx context.Context, userIDs []int64, now time.Time) (map[int64][]Certificate, error) {
	return s.store.ValidCertificatesOfUsers(ctx, userIDs, now)
}

// CountValidByKind counts the certificates valid at now, per kind.
func (s *Service) CountValidByKind(ctx context.Context, now time.Time) (map[Kind]int, error) {
	return s.store.CountValidByKind(ctx, now)
}

// IssuedPerMonth counts the certificates of kind ("" for all) issued per
// month from the month of from to the month of to.
func (s *Service) IssuedPerMonth(ctx context.Context, kind Kind, from, to time.Time) ([]MonthCount, error) {
	return s.store.IssuedPerMonth(ctx, kind, from, to)
}

// Certificates lists the certificates matching f, newest first, and their total.
func (s *Service) Certificates(ctx context.Context, f CertificateFilter) ([]Certificate, int, error) {
	return s.store.Certificates(ctx, f)
}

// Register lists one page of the public register: the listed trainer,
// adviser and training certificates valid now matching q and kind.
func (s *Service) Register(ctx context.Context, q string, kind Kind, limit, offset int) ([]RegisterEntry, int, error) {
	return s.store.Register(ctx, q, kind, s.now(), limit, offset)
}

// ExportUserData is this domain's part of a user's AVG data export: their
// applications (with the evidence's names, not its contents), the
// certificates they hold and the audit log of both.
func (s *Service) ExportUserData(ctx context.Context, userID int64) (any, error) {
	apps, err := s.store.ApplicationsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	type appExport struct {
		Application
		Scheme   string       `json:"scheme"`
		Evidence []Evidence   `json:"evidence"`
		Log      []AuditEntry `json:"log"`
	}
	type certExport struct {
		Certificate
		Log []AuditEntry `json:"log"`
	}
	out := struct {
		Applications []appExport  `json:"applications"`
		Certificates []certExport `json:"certificates"`
	}{Applications: []appExport{}, Certificates: []certExport{}}
	for _, a := range apps {
		e := appExport{Application: a, Scheme: a.Scheme.Title}
		e.Application.Scheme = nil
		if e.Evidence, err = s.store.EvidenceOf(ctx, a.ID); err != nil {
			return nil, err
		}
		if e.Log, err = s.store.ApplicationAudit(ctx, a.ID); err != nil {
			return nil, err
		}
		out.Applications = append(out.Applications, e)
	}
	certs, err := s.store.CertificatesOfHolder(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, c := range certs {
		e := certExport{Certificate: c}
		if e.Log, err = s.store.CertificateAudit(ctx, c.ID); err != nil {
			return nil, err
		}
		out.Certificates = append(out.Certificates, e)
	}
	return out, nil
}
