package certify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// The certificate pages: the holder's, the admins' and the public ones.

// CertificateRow is a certificate with what a list shows about it now.
type CertificateRow struct {
	Certificate
	StatusNow   string // valid, suspended, revoked, expired or superseded
	StatusLabel string
	CanRenew    bool         // the holder may apply for renewal now
	NameChanged bool         // the holder's name differs from the one on the certificate
	Open        *Application // an open renewal application
}

// Badge is the style of the row's status badge.
func (r CertificateRow) Badge() string { return StatusBadge(r.StatusNow) }

// ValidNow reports whether the certificate is valid now.
func (r CertificateRow) ValidNow() bool { return r.StatusNow == StatusValid }

func rowsOf(certs []Certificate, now time.Time) []CertificateRow {
	out := make([]CertificateRow, len(certs))
	for i, cert := range certs {
		st := cert.StatusAt(now)
		if cert.SupersededBy != "" {
			st = "superseded"
		}
		out[i] = CertificateRow{Certificate: cert, StatusNow: st, StatusLabel: StatusLabel(st)}
	}
	return out
}

// HolderView is a holder's certificates: the current ones (valid or
// suspended) and the old ones, with a notice per certificate to renew.
type HolderView struct {
	Current, Old []CertificateRow
	Notices      []string
}

// HolderCertificates returns actor's certificates as their page shows them.
func (s *Service) HolderCertificates(ctx context.Context, actor Actor) (*HolderView, error) {
	certs, err := s.store.CertificatesOfHolder(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	apps, err := s.store.ApplicationsOf(ctx, actor.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	v := &HolderView{}
	for _, r := range rowsOf(certs, now) {
		r.CanRenew = r.SchemeID != nil && r.SupersededBy == "" && r.ExpiresWithin(now, RenewalWindow)
		r.NameChanged = r.Kind.ForPersons() && r.StatusNow == StatusValid && r.HolderName != actor.Name
		for i := range apps {
			if apps[i].RenewalOf != nil && *apps[i].RenewalOf == r.ID && apps[i].State.Open() {
				r.Open = &apps[i]
			}
		}
		if r.CanRenew {
			v.Notices = append(v.Notices, fmt.Sprintf("Uw certificaat %s (%s) verloopt op %s. Vraag op tijd verlenging aan, dan loopt uw certificering zonder onderbreking door.",
				r.Number, r.Title, web.DutchDate(*r.ExpiresAt)))
		}
		if r.StatusNow == StatusValid || r.StatusNow == StatusSuspended {
			v.Current = append(v.Current, r)
		} else {
			v.Old = append(v.Old, r)
		}
	}
	return v, nil
}

// AdminCertificatesView is one page of the admins' list of certificates.
type AdminCertificatesView struct {
	Rows    []CertificateRow
	Total   int
	Courses []string       // for the export, to admins only
	Orgs    []Organisation // for the export, to admins only
}

// AdminCertificates lists the certificates matching f for an assessor or
// admin, with what an admin can export.
func (s *Service) AdminCertificates(ctx context.Context, actor Actor, f CertificateFilter) (*AdminCertificatesView, error) {
	certs, total, err := s.store.Certificates(ctx, f)
	if err != nil {
		return nil, err
	}
	v := &AdminCertificatesView{Rows: rowsOf(certs, s.now()), Total: total}
	if actor.Admin {
		if v.Courses, err = s.store.CertifiedCourses(ctx); err != nil {
			return nil, err
		}
		if v.Orgs, err = s.store.HolderOrganisations(ctx); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// CertificateDetail is one certificate as assessors and admins see it.
type CertificateDetail struct {
	Row     CertificateRow
	Verdict Verdict
	Audit   []AuditEntry
	Own     bool // the viewer holds it, and so may not change its status
}

// CertificateDetail returns the certificate with number for actor, or
// ErrNotFound.
func (s *Service) CertificateDetail(ctx context.Context, actor Actor, number string) (*CertificateDetail, error) {
	cert, err := s.store.CertificateByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	audit, err := s.store.CertificateAudit(ctx, cert.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	return &CertificateDetail{Row: rowsOf([]Certificate{*cert}, now)[0], Verdict: s.Verdict(cert, now), Audit: audit,
		Own: cert.HolderUserID != nil && *cert.HolderUserID == actor.ID}, nil
}

// Verify returns the verdict on the certificate with number now. It
// returns ErrNotFound, wrapping ErrMalformedNumber or ErrCheckCharacter for
// text that is not a valid number.
func (s *Service) Verify(ctx context.Context, number string) (Verdict, error) {
	cert, err := s.store.CertificateByNumber(ctx, number)
	if err != nil {
		return Verdict{}, err
	}
	return s.Verdict(cert, s.now()), nil
}

// The forms of a certificate as a file.
const (
	FilePDF  = "pdf"
	FileJSON = "json"
	FileJWT  = "jwt"
)

// CertificateFile is a certificate as a document.
type CertificateFile struct {
	Cert        *Certificate
	ContentType string
	Body        []byte
}

// ErrUnknownFormat is returned by File for a format other than pdf, json
// and jwt.
var ErrUnknownFormat = fmt.Errorf("certify: unknown format: %w", ErrNotFound)

// File returns the certificate with number as a PDF, as its Open Badges
// credential (JSON) or as the same signed (VC-JWT). It returns ErrNotFound
// for an unknown number and ErrUnknownFormat.
func (s *Service) File(ctx context.Context, number, format string) (*CertificateFile, error) {
	if format != FilePDF && format != FileJSON && format != FileJWT {
		return nil, ErrUnknownFormat
	}
	cert, err := s.store.CertificateByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	f := &CertificateFile{Cert: cert}
	switch format {
	case FilePDF:
		f.ContentType = "application/pdf"
		f.Body, err = s.PDF(cert)
	case FileJWT:
		f.ContentType = "application/vc+jwt"
		var token string
		token, err = s.CredentialJWT(ctx, cert)
		f.Body = []byte(token)
	default:
		f.ContentType = "application/json; charset=utf-8"
		f.Body, err = indentJSON(s.Credential(cert))
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// indentJSON is v as indented JSON, for people who open it in a browser.
func indentJSON(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("certify: json: %w", err)
	}
	return b, nil
}
