package server

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/catalogue"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
)

// Domains are the services of every domain, wired to each other the one way
// dependencies run (catalogue → certify → courses → accounts). The web app
// and the demo seed build them the same way, so a course completed while
// seeding earns its certificate as one completed in the browser does.
type Domains struct {
	Accounts  *accounts.Service
	Learning  *courses.Service
	Catalogue *catalogue.Service
}

// NewDomains builds and wires the domain services on db.
func NewDomains(db *bun.DB, secure bool) *Domains {
	d := &Domains{Accounts: accounts.NewService(db, secure), Learning: courses.NewService(db)}
	d.Catalogue = catalogue.NewService(db, pendingRegister{}, d.Learning.Store,
		programmeMetrics{learning: d.Learning.Store, users: d.Accounts.Store})
	d.Accounts.AddDataSection("leeromgeving", d.Learning.Store.ExportUserData)
	d.Accounts.AddDataSection("gouden_gids", func(ctx context.Context, userID int64) (any, error) {
		return d.Catalogue.Store.ExportUser(ctx, userID)
	})
	return d
}

// programmeMetrics answers the reporting page from the other domains.
type programmeMetrics struct {
	learning *courses.Store
	users    *accounts.Store
}

func (m programmeMetrics) CourseCompletionsPerMonth(ctx context.Context, from, to time.Time) ([]catalogue.MonthCount, error) {
	rows, err := m.learning.CompletionsPerMonth(ctx, from, to)
	out := make([]catalogue.MonthCount, len(rows))
	for i, r := range rows {
		out[i] = catalogue.MonthCount{Month: r.Month, Count: r.Count}
	}
	return out, err
}

func (programmeMetrics) CertificatesPerMonth(context.Context, string, time.Time, time.Time) ([]catalogue.MonthCount, error) {
	return nil, nil
}

func (programmeMetrics) ValidCertificates(context.Context) (map[string]int, error) {
	return map[string]int{}, nil
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

// pendingRegister stands in for the certification register until the
// certify domain is merged: it knows no certificates.
type pendingRegister struct{}

func (pendingRegister) ValidCertificates(context.Context, []int64) (map[int64][]catalogue.CertifiedRecord, error) {
	return map[int64][]catalogue.CertifiedRecord{}, nil
}

func (pendingRegister) ValidCertificate(context.Context, string) (catalogue.CertifiedRecord, int64, bool, error) {
	return catalogue.CertifiedRecord{}, 0, false, nil
}
