package certify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Issuing certificates and changing them: what was issued never changes;
// a status does, and a new name or a renewal is a new certificate.

// issueForApplication issues the certificate of an approved application,
// superseding the renewed one so the certification continues without a gap.
func (s *Service) issueForApplication(ctx context.Context, st *store, a *Application, actor Actor) (*Certificate, error) {
	sc := a.Scheme
	now := s.now()
	in := issueInput{
		Kind: sc.Kind, SchemeID: &sc.ID, Title: sc.Title, Achievement: achievement(sc.Kind),
		HolderUserID: &a.ApplicantID, ApplicationID: &a.ID, IssuedAt: now, Listed: a.ListInRegister || sc.Kind == KindTraining,
		Reason: fmt.Sprintf("Uitgegeven na goedkeuring van aanvraag %d", a.ID),
	}
	if sc.Kind == KindTraining {
		in.HolderName = a.SubjectName
	}
	start := now
	var old *Certificate
	if a.RenewalOf != nil {
		var err error
		if old, err = st.certificateForUpdate(ctx, *a.RenewalOf); err != nil {
			return nil, err
		}
		if old.Status != StatusRevoked && old.ExpiresAt != nil && old.ExpiresAt.After(now) {
			start = *old.ExpiresAt // the new period starts where the old one ends
		}
		in.Supersedes = old
		in.Reason = fmt.Sprintf("Verlenging van %s, na goedkeuring van aanvraag %d", old.Number, a.ID)
	}
	expires := start.AddDate(sc.ValidityYears, 0, 0)
	in.ExpiresAt = &expires
	c, err := s.issue(ctx, st, in, actor)
	if err != nil {
		return nil, err
	}
	if old != nil && old.Status != StatusRevoked {
		if _, err := s.supersede(ctx, st, old, c, actor, "verlengd"); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// achievement is the line between the holder and the title on a certificate.
func achievement(k Kind) string {
	switch k {
	case KindTrainer:
		return "is gecertificeerd als trainer volgens de regeling"
	case KindAdviser:
		return "is gecertificeerd als adviseur volgens de regeling"
	case KindTraining:
		return "is gecertificeerd als opleiding volgens de regeling"
	}
	return "heeft met goed gevolg de cursus afgerond"
}

// auditSystem is the actor of changes nobody made by hand.
var auditSystem = Actor{Name: "Leeromgeving (automatisch)"}

// issueInput is what a new certificate states.
type issueInput struct {
	Kind          Kind
	SchemeID      *int64
	CourseSlug    string
	Title         string
	Achievement   string
	HolderUserID  *int64
	HolderName    string // for a person: empty, their account's name is used
	ApplicationID *int64
	IssuedAt      time.Time
	ExpiresAt     *time.Time
	Listed        bool
	Supersedes    *Certificate // the certificate this one replaces
	Reason        string       // for the audit log
}

// issue numbers, identifies and stores a new certificate in st's
// transaction. A person's certificate names its holder by their subject
// identifier and the salted hash of their e-mail address; a training keeps
// the subject identifier of the certificate it replaces.
func (s *Service) issue(ctx context.Context, st *store, in issueInput, actor Actor) (*Certificate, error) {
	c := &Certificate{
		Kind: in.Kind, SchemeID: in.SchemeID, CourseSlug: in.CourseSlug, Title: in.Title, Achievement: in.Achievement,
		HolderUserID: in.HolderUserID, ApplicationID: in.ApplicationID, Status: StatusValid, Listed: in.Listed, Version: 1,
		// Credentials state their dates to the second: so does the record.
		IssuedAt: in.IssuedAt.Truncate(time.Second),
	}
	if in.ExpiresAt != nil {
		e := in.ExpiresAt.Truncate(time.Second)
		c.ExpiresAt = &e
	}
	var holder contact
	if in.HolderUserID != nil {
		var err error
		if holder, err = st.contact(ctx, *in.HolderUserID); err != nil {
			return nil, err
		}
	}
	c.HolderName = strings.Join(strings.Fields(in.HolderName), " ")
	if c.HolderName == "" && in.Kind.ForPersons() {
		c.HolderName = holder.Name
	}
	if c.HolderName == "" || c.Title == "" || c.IssuedAt.IsZero() {
		return nil, errors.New("certify: issue: holder name, title and date are required")
	}
	var identity Identity
	switch {
	case in.Kind == KindTraining && in.Supersedes != nil:
		c.SubjectID = in.Supersedes.SubjectID
	case in.Kind == KindTraining || in.HolderUserID == nil:
		c.SubjectID = newSubjectID()
	default:
		id, err := st.subjectID(ctx, *in.HolderUserID)
		if err != nil {
			return nil, err
		}
		c.SubjectID = id
	}
	if holder.Email != "" {
		identity = NewIdentity("emailAddress", holder.Email)
	} else {
		identity = NewIdentity("name", c.HolderName)
	}
	c.IdentityType, c.IdentityHash, c.IdentitySalt = identity.Type, identity.Hash, identity.Salt
	if in.Supersedes != nil {
		c.SupersedesID = &in.Supersedes.ID
	}
	c.Year = c.IssuedAt.In(web.Amsterdam).Year()
	var err error
	if c.Seq, err = st.nextNumber(ctx, in.Kind, c.Year); err != nil {
		return nil, err
	}
	if c.Seq > maxSeq {
		return nil, fmt.Errorf("certify: issue: more than %d certificates of kind %s in %d", maxSeq, in.Kind, c.Year)
	}
	c.Number = NewNumber(in.Kind, c.Year, c.Seq).String()
	key, err := st.currentKey(ctx, s.now())
	if err != nil {
		return nil, err
	}
	c.SigningKID = key.ID
	if c.StatusIndex, err = st.nextStatusIndex(ctx); err != nil {
		return nil, err
	}
	if err := st.insertCertificate(ctx, c); err != nil {
		return nil, err
	}
	if err := st.addAudit(ctx, &AuditEntry{CertificateID: &c.ID, ActorID: actorID(actor), ActorName: actor.Name,
		At: c.IssuedAt, ToState: StatusValid, Reason: in.Reason}); err != nil {
		return nil, err
	}
	return c, nil
}

func actorID(a Actor) *int64 {
	if a.ID == 0 {
		return nil
	}
	return &a.ID
}

// supersede revokes old because next replaces it, saying so in the reason.
func (s *Service) supersede(ctx context.Context, st *store, old, next *Certificate, actor Actor, why string) (*AuditEntry, error) {
	return s.setStatus(ctx, st, old, StatusRevoked, fmt.Sprintf("Vervangen door %s (%s).", next.Number, why), actor)
}

// setStatus stores a new status of c (locked by the caller), audits it and
// returns the audit entry.
func (s *Service) setStatus(ctx context.Context, st *store, c *Certificate, status, reason string, actor Actor) (*AuditEntry, error) {
	stored := reason
	if status == StatusValid {
		stored = ""
	}
	now := s.now()
	if err := st.setStatus(ctx, c.ID, status, stored, now); err != nil {
		return nil, err
	}
	from := c.Status
	c.Status, c.StatusReason, c.StatusChangedAt, c.Version = status, stored, &now, c.Version+1
	e := &AuditEntry{CertificateID: &c.ID, ActorID: actorID(actor), ActorName: actor.Name,
		At: now, FromState: from, ToState: status, Reason: reason}
	return e, st.addAudit(ctx, e)
}

// StatusAction is a change of a certificate's status by an admin or assessor.
type StatusAction string

// The status actions.
const (
	ActionSuspend   StatusAction = "suspend"
	ActionReinstate StatusAction = "reinstate"
	ActionRevoke    StatusAction = "revoke"
)

// ChangeStatus suspends, reinstates or revokes the certificate with number,
// always with a reason, and mails the holder. Only assessors and admins
// may, and never on their own certificate. It returns ErrNotFound, a
// validation error on "reason", a conflict for a change that does not fit
// the current status (revoking is for good), and a forbidden error.
func (s *Service) ChangeStatus(ctx context.Context, actor Actor, number string, action StatusAction, reason string) (*Certificate, error) {
	if !actor.Assessor && !actor.Admin {
		return nil, apperr.Msg(apperr.ErrForbidden, "Alleen een beoordelaar of beheerder kan een certificaat schorsen of intrekken.")
	}
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n < minReasonLen || n > maxReasonLen {
		return nil, apperr.NewValidation("reason", fmt.Sprintf("Geef een reden op van %d tot %d tekens: zij staat bij het certificaat.", minReasonLen, maxReasonLen))
	}
	found, err := s.store.CertificateByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	var c *Certificate
	err = inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		if c, err = st.certificateForUpdate(ctx, found.ID); err != nil {
			return err
		}
		if c.HolderUserID != nil && *c.HolderUserID == actor.ID {
			return apperr.Msg(apperr.ErrForbidden, "U verandert nooit de status van uw eigen certificaat.")
		}
		var to string
		switch {
		case c.Status == StatusRevoked:
			return ErrRevokedForGood
		case action == ActionSuspend && c.Status == StatusValid:
			to = StatusSuspended
		case action == ActionReinstate && c.Status == StatusSuspended:
			to = StatusValid
		case action == ActionRevoke:
			to = StatusRevoked
		case action == ActionSuspend:
			return apperr.Msg(apperr.ErrConflict, "Dit certificaat is al geschorst.")
		case action == ActionReinstate:
			return apperr.Msg(apperr.ErrConflict, "Alleen een geschorst certificaat kan weer geldig worden gemaakt.")
		default:
			return apperr.NewValidation("action", "Kies wat er met het certificaat gebeurt: schorsen, weer geldig maken of intrekken.")
		}
		e, err := s.setStatus(ctx, st, c, to, reason, actor)
		if err != nil {
			return err
		}
		return notifyStatus(ctx, st, c, e)
	})
	if err != nil {
		return nil, err
	}
	c.SupersededBy, c.Supersedes = found.SupersededBy, found.Supersedes
	return c, nil
}

// Reissue issues a new certificate with newName (a new name, or a
// correction) that supersedes the valid certificate with number: same
// kind, title and expiry date, new number, issued now; the holder is
// mailed. The holder may re-issue their own certificate, an admin any. It
// returns ErrNotFound, a conflict when the certificate is not valid, and a
// validation error on "name".
func (s *Service) Reissue(ctx context.Context, actor Actor, number, newName, reason string) (*Certificate, error) {
	newName = strings.Join(strings.Fields(newName), " ")
	if n := len([]rune(newName)); n < 1 || n > 150 {
		return nil, apperr.NewValidation("name", "Geef de naam op het nieuwe certificaat (hoogstens 150 tekens).")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		reason = "naamswijziging"
	}
	found, err := s.store.CertificateByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	isHolder := found.HolderUserID != nil && *found.HolderUserID == actor.ID
	if !isHolder && !actor.Admin {
		return nil, ErrNotFound
	}
	var next *Certificate
	err = inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		old, err := st.certificateForUpdate(ctx, found.ID)
		if err != nil {
			return err
		}
		if !old.ValidAt(s.now()) {
			return apperr.Msg(apperr.ErrConflict, "Alleen een geldig certificaat kan opnieuw worden uitgegeven.")
		}
		if old.HolderName == newName {
			return apperr.NewValidation("name", "Dit is al de naam op het certificaat.")
		}
		next, err = s.issue(ctx, st, issueInput{
			Kind: old.Kind, SchemeID: old.SchemeID, CourseSlug: old.CourseSlug, Title: old.Title, Achievement: old.Achievement,
			HolderUserID: old.HolderUserID, HolderName: newName, IssuedAt: s.now(), ExpiresAt: old.ExpiresAt,
			Listed: old.Listed, Supersedes: old, Reason: fmt.Sprintf("Heruitgave van %s (%s)", old.Number, reason),
		}, actor)
		if err != nil {
			return err
		}
		if _, err := s.supersede(ctx, st, old, next, actor, reason); err != nil {
			return err
		}
		return notifyIssued(ctx, st, next)
	})
	if err != nil {
		return nil, err
	}
	next.Supersedes = found.Number
	return next, nil
}

// StartRenewal starts an application to renew actor's certificate with
// number, which must be a valid scheme certificate expiring within 90 days
// (ErrNoRenewal otherwise).
func (s *Service) StartRenewal(ctx context.Context, actor Actor, number string) (*Application, error) {
	c, err := s.store.CertificateByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	if c.HolderUserID == nil || *c.HolderUserID != actor.ID {
		return nil, ErrNotFound
	}
	if c.SchemeID == nil || c.SupersededBy != "" || !c.ExpiresWithin(s.now(), RenewalWindow) {
		return nil, ErrNoRenewal
	}
	sc, err := s.store.Scheme(ctx, *c.SchemeID)
	if err != nil {
		return nil, err
	}
	if !sc.Active {
		return nil, ErrSchemeInactive
	}
	return s.startApplication(ctx, actor, sc, c)
}

// SetListed lets the holder of a person's certificate choose whether it is
// in the public register. It returns ErrNotFound for anyone else's.
func (s *Service) SetListed(ctx context.Context, actor Actor, number string, listed bool) error {
	c, err := s.store.CertificateByNumber(ctx, number)
	if err != nil {
		return err
	}
	if c.HolderUserID == nil || *c.HolderUserID != actor.ID || !c.Kind.ForPersons() {
		return ErrNotFound
	}
	return s.store.setListed(ctx, c.ID, listed)
}

// CourseCompletion is a learner's completion of a course, as the
// leeromgeving reports it.
type CourseCompletion struct {
	UserID                              int64
	HolderName, CourseSlug, CourseTitle string
	CompletedAt                         time.Time
}

// IssueCourseCertificate issues the completion certificate (kind
// KindCourse) once per user and course, and mails the learner; calling it
// again does nothing.
//
// It runs in db, which is normally the caller's transaction (in a savepoint
// of it), and serialises concurrent calls for the same user and course.
func (s *Service) IssueCourseCertificate(ctx context.Context, db bun.IDB, c CourseCompletion) error {
	if c.UserID == 0 || c.CourseSlug == "" || strings.TrimSpace(c.HolderName) == "" || strings.TrimSpace(c.CourseTitle) == "" || c.CompletedAt.IsZero() {
		return fmt.Errorf("certify: issue course certificate: incomplete completion %+v", c)
	}
	return inTx(ctx, db, func(ctx context.Context, st *store) error {
		if err := st.lockCourseCertificate(ctx, c.UserID, c.CourseSlug); err != nil {
			return err
		}
		exists, err := st.hasCourseCertificate(ctx, c.UserID, c.CourseSlug)
		if err != nil || exists {
			return err
		}
		cert, err := s.issue(ctx, st, issueInput{
			Kind: KindCourse, CourseSlug: c.CourseSlug, Title: strings.TrimSpace(c.CourseTitle), Achievement: achievement(KindCourse),
			HolderUserID: &c.UserID, HolderName: c.HolderName, IssuedAt: c.CompletedAt, Listed: false,
			Reason: "Cursus afgerond",
		}, auditSystem)
		if err != nil {
			return err
		}
		return notifyIssued(ctx, st, cert)
	})
}
