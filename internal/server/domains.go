package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/catalogue"
	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/lti"
	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/scorm"
	"github.com/ambtenaar20/leeromgeving/views"
)

// Domains are the services of every domain, wired to each other the one way
// dependencies run (catalogue → certify → courses → accounts). The web app
// and the demo seed build them the same way, so a course completed while
// seeding earns its certificate as one completed in the browser does.
type Domains struct {
	Accounts  *accounts.Service
	Learning  *courses.Service
	Certify   *certify.Service
	Catalogue *catalogue.Service
	SCORM     *scorm.Exporter // courses as SCORM 1.2 packages for other LMSs
	LTI       *lti.Service    // the leeromgeving as an LTI 1.3 tool of other LMSs
	Mail      *mail.Mailbox
}

// NewDomains builds and wires the domain services on db.
func NewDomains(db *bun.DB, cfg Config) *Domains {
	d := &Domains{
		Accounts: accounts.New(db, accounts.Config{Secure: cfg.Secure, BaseURL: cfg.BaseURL, SecretKey: cfg.SecretKey}),
		Learning: courses.NewService(db),
		Mail:     mail.NewMailbox(db, cfg.BaseURL, cfg.SMTPURL != ""),
	}
	d.Certify = certify.NewService(db, d.Learning, certify.Config{BaseURL: cfg.BaseURL})
	// A learner who completes a course gets the completion certificate in
	// the same transaction: both happen, or neither.
	d.Learning.OnCompletion(func(ctx context.Context, tx bun.IDB, c courses.Completion) error {
		return d.Certify.IssueCourseCertificate(ctx, tx, certify.CourseCompletion{UserID: c.UserID, HolderName: c.UserName,
			CourseSlug: c.CourseSlug, CourseTitle: c.CourseTitle, CompletedAt: c.CompletedAt})
	})
	// LTI: a scored attempt or a completion goes to the learner's
	// gradebook columns in their LMS, queued in the same transaction.
	d.LTI = lti.NewService(db, lti.Config{BaseURL: cfg.BaseURL, Secure: cfg.Secure, Log: cfg.Log},
		ltiAccounts{acc: d.Accounts, secure: cfg.Secure}, d.Learning)
	d.Learning.OnAttemptScored(d.LTI.AttemptScored)
	d.Learning.OnCompletion(d.LTI.CourseCompleted)
	d.Catalogue = catalogue.NewService(db, catalogue.Deps{Register: register{d.Certify}, Learning: learning{d.Learning},
		Metrics: programmeMetrics{learning: d.Learning, certs: d.Certify, users: d.Accounts},
		Roles:   roles{}, BaseURL: cfg.BaseURL})
	d.SCORM = scorm.New(d.Learning, scorm.Config{BaseURL: cfg.BaseURL,
		Images: scorm.FSImages{FS: views.Static(), Prefix: "/static/"}})
	d.Accounts.AddDataSection("leeromgeving", d.Learning.ExportUserData)
	d.Accounts.AddDataSection("certificering", d.Certify.ExportUserData)
	d.Accounts.AddDataSection("lti", d.LTI.ExportUserData)
	d.Accounts.AddDataSection("gouden_gids", func(ctx context.Context, userID int64) (any, error) {
		return d.Catalogue.ExportUser(ctx, userID)
	})
	d.Accounts.AddDataSection("e-mail", func(ctx context.Context, userID int64) (any, error) {
		return d.Mail.ToUser(ctx, userID)
	})
	return d
}

// learning answers the Gids from the leeromgeving.
type learning struct{ courses *courses.Service }

func (l learning) CourseCompletion(ctx context.Context, userID int64, slug string) (time.Time, bool, error) {
	return l.courses.CourseCompletion(ctx, userID, slug)
}

func (l learning) Course(ctx context.Context, slug string) (catalogue.Course, bool, error) {
	c, err := l.courses.CourseBySlug(ctx, slug)
	if errors.Is(err, courses.ErrNotFound) {
		return catalogue.Course{}, false, nil
	}
	if err != nil {
		return catalogue.Course{}, false, err
	}
	out := catalogue.Course{Slug: c.Slug, Title: c.Title}
	if c.CreatedBy != nil {
		out.AuthorID = *c.CreatedBy
	}
	return out, true, nil
}

// roles grants the roles the Gids hands out (a provider listing approved)
// through the accounts store, in the Gids' transaction.
type roles struct{}

func (roles) GrantRole(ctx context.Context, db bun.IDB, userID int64, role string) error {
	return accounts.NewStore(db).GrantRole(ctx, userID, role)
}

// programmeMetrics answers the reporting page from the other domains.
type programmeMetrics struct {
	learning *courses.Service
	certs    *certify.Service
	users    *accounts.Service
}

func (m programmeMetrics) CourseCompletionsPerMonth(ctx context.Context, from, to time.Time) ([]catalogue.MonthCount, error) {
	rows, err := m.learning.CompletionsPerMonth(ctx, from, to)
	out := make([]catalogue.MonthCount, len(rows))
	for i, r := range rows {
		out[i] = catalogue.MonthCount{Month: r.Month, Count: r.Count}
	}
	return out, err
}

func (m programmeMetrics) CertificatesPerMonth(ctx context.Context, kind string, from, to time.Time) ([]catalogue.MonthCount, error) {
	rows, err := m.certs.IssuedPerMonth(ctx, certify.Kind(kind), from, to)
	out := make([]catalogue.MonthCount, len(rows))
	for i, r := range rows {
		out[i] = catalogue.MonthCount{Month: r.Month, Count: r.Count}
	}
	return out, err
}

func (m programmeMetrics) ValidCertificates(ctx context.Context) (map[string]int, error) {
	byKind, err := m.certs.CountValidByKind(ctx, time.Now())
	out := make(map[string]int, len(byKind))
	for k, n := range byKind {
		out[string(k)] = n
	}
	return out, err
}

func (m programmeMetrics) MembersPerMonth(ctx context.Context, from, to time.Time) ([]catalogue.MonthCount, error) {
	rows, err := m.users.NewUsersPerMonth(ctx, from, to)
	out := make([]catalogue.MonthCount, len(rows))
	for i, r := range rows {
		out[i] = catalogue.MonthCount{Month: r.Month, Count: r.Count}
	}
	return out, err
}

func (m programmeMetrics) MemberCount(ctx context.Context) (int, error) {
	return m.users.CountUsers(ctx)
}

// register answers the Gids from the certification register. Course
// completion certificates are not certifications of trainers, advisers or
// trainings, so the Gids never sees them.
type register struct{ certs *certify.Service }

func recordOf(c certify.Certificate) catalogue.CertifiedRecord {
	return catalogue.CertifiedRecord{Number: c.Number, Kind: string(c.Kind), Title: c.Title, HolderName: c.HolderName, ValidUntil: c.ExpiresAt}
}

func (r register) ValidCertificates(ctx context.Context, userIDs []int64) (map[int64][]catalogue.CertifiedRecord, error) {
	byUser, err := r.certs.ValidCertificatesOfUsers(ctx, userIDs, time.Now())
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]catalogue.CertifiedRecord, len(byUser))
	for id, cs := range byUser {
		for _, c := range cs {
			if c.Kind != certify.KindCourse {
				out[id] = append(out[id], recordOf(c))
			}
		}
	}
	return out, nil
}

func (r register) ValidCertificate(ctx context.Context, number string) (catalogue.CertifiedRecord, int64, bool, error) {
	c, err := r.certs.CertificateByNumber(ctx, number)
	if errors.Is(err, certify.ErrNotFound) {
		return catalogue.CertifiedRecord{}, 0, false, nil
	}
	if err != nil {
		return catalogue.CertifiedRecord{}, 0, false, err
	}
	if c.Kind == certify.KindCourse || c.HolderUserID == nil || c.StatusAt(time.Now()) != "valid" {
		return catalogue.CertifiedRecord{}, 0, false, nil
	}
	return recordOf(*c), *c.HolderUserID, true, nil
}

// ltiAccounts answers the LTI tool from the accounts domain, on the
// launch's transaction.
type ltiAccounts struct {
	acc    *accounts.Service
	secure bool
}

func (a ltiAccounts) UserIDByEmail(ctx context.Context, db bun.IDB, email string) (int64, bool, error) {
	u, err := accounts.NewStore(db).UserByEmail(ctx, email)
	if errors.Is(err, accounts.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	return u.ID, true, nil
}

// CreateUser makes an account whose password nobody knows: the person
// comes in through their LMS.
func (a ltiAccounts) CreateUser(ctx context.Context, db bun.IDB, name, email string, orgID int64) (int64, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return 0, fmt.Errorf("server: lti user password: %w", err)
	}
	u := &accounts.User{Name: name, Email: email, PasswordHash: accounts.HashPassword(hex.EncodeToString(secret))}
	if orgID != 0 {
		u.OrganisationID = &orgID
	}
	err := accounts.NewStore(db).CreateUser(ctx, u)
	if errors.Is(err, accounts.ErrEmailTaken) {
		return 0, lti.ErrEmailTaken
	}
	return u.ID, err
}

func (a ltiAccounts) StartSession(ctx context.Context, db bun.IDB, userID int64) (string, error) {
	s := accounts.NewSessions(db, a.secure)
	s.TTL, s.Now = a.acc.Sessions.TTL, a.acc.Sessions.Now
	return s.Create(ctx, userID)
}

func (a ltiAccounts) SetSessionCookie(c *fiber.Ctx, token string) { a.acc.Sessions.SetCookie(c, token) }

func (a ltiAccounts) Organisations(ctx context.Context) ([]accounts.Organisation, error) {
	return a.acc.Organisations(ctx)
}
