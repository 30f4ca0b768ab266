package certify

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// EvidenceSlot is one kind of evidence a scheme asks for, with the files
// uploaded for it.
type EvidenceSlot struct {
	Item     EvidenceItem
	Files    []Evidence
	Complete bool
}

func evidenceSlots(items []EvidenceItem, files []Evidence) []EvidenceSlot {
	out := make([]EvidenceSlot, len(items))
	for i, it := range items {
		out[i].Item = it
		for _, f := range files {
			if f.Requirement == it.Key {
				out[i].Files = append(out[i].Files, f)
			}
		}
		out[i].Complete = len(out[i].Files) >= it.Count
	}
	return out
}

// ApplicationView is an application with everything its page shows.
type ApplicationView struct {
	App         *Application
	Checks      []Check
	Slots       []EvidenceSlot
	Audit       []AuditEntry
	Missing     []string     // what stops the applicant from submitting
	Renewal     *Certificate // the certificate being renewed
	Certificate *Certificate // the certificate issued on approval
	Own         bool         // the viewer is the applicant
}

// ApplicationView returns application id as actor may see it: the
// applicant, or (asAssessor) an assessor. Anyone else gets ErrNotFound, so
// that no one learns of someone else's application.
func (s *Service) ApplicationView(ctx context.Context, actor Actor, id int64, asAssessor bool) (*ApplicationView, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.ApplicantID != actor.ID && !(asAssessor && actor.Assessor) {
		return nil, ErrNotFound
	}
	if asAssessor && a.State == StateDraft {
		return nil, ErrNotFound // a draft is the applicant's own business
	}
	v := &ApplicationView{App: a, Own: a.ApplicantID == actor.ID}
	if v.Checks, err = s.Prerequisites(ctx, a.ApplicantID, a.Scheme); err != nil {
		return nil, err
	}
	files, err := s.store.EvidenceOf(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	v.Slots = evidenceSlots(a.Scheme.Evidence, files)
	if v.Audit, err = s.store.ApplicationAudit(ctx, a.ID); err != nil {
		return nil, err
	}
	v.Missing = missing(a, v.Checks, v.Slots)
	if a.RenewalOf != nil {
		if v.Renewal, err = s.store.certificateByID(ctx, *a.RenewalOf); err != nil {
			return nil, err
		}
	}
	if a.State == StateApproved {
		if v.Certificate, err = s.store.certificateOfApplication(ctx, a.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return v, nil
}

// missing lists, in plain Dutch, what the application lacks to be submitted.
func missing(a *Application, checks []Check, slots []EvidenceSlot) []string {
	var out []string
	if a.Scheme.Kind == KindTraining && strings.TrimSpace(a.SubjectName) == "" {
		out = append(out, "De naam van de opleiding: vul die in bij de gegevens van de aanvraag")
	}
	for _, c := range checks {
		if !c.Met {
			out = append(out, c.String())
		}
	}
	for _, sl := range slots {
		if !sl.Complete {
			out = append(out, fmt.Sprintf("%s: %d van %d bestand(en) geüpload", sl.Item.Label, len(sl.Files), sl.Item.Count))
		}
	}
	return out
}

// StartApplication starts a draft application of actor for the scheme. It
// returns ErrSchemeInactive for a scheme that takes no applications, and
// ErrOpenApplication (with the open one) when actor already has one open.
func (s *Service) StartApplication(ctx context.Context, actor Actor, schemeSlug string) (*Application, error) {
	sc, err := s.store.SchemeBySlug(ctx, schemeSlug)
	if err != nil {
		return nil, err
	}
	if !sc.Active {
		return nil, ErrSchemeInactive
	}
	return s.startApplication(ctx, actor, sc, nil)
}

func (s *Service) startApplication(ctx context.Context, actor Actor, sc *Scheme, renewal *Certificate) (*Application, error) {
	now := s.now()
	// Persons are listed in the public register only when they agree to it.
	a := &Application{SchemeID: sc.ID, Scheme: sc, ApplicantID: actor.ID, State: StateDraft, CreatedAt: now, UpdatedAt: now}
	reason := ""
	if renewal != nil {
		a.RenewalOf = &renewal.ID
		a.ListInRegister = renewal.Listed
		if sc.Kind == KindTraining {
			a.SubjectName = renewal.HolderName
		}
		reason = "Verlenging van " + renewal.Number
	}
	err := inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		if err := st.insertApplication(ctx, a); err != nil {
			return err
		}
		return st.addAudit(ctx, &AuditEntry{ApplicationID: &a.ID, ActorID: &actor.ID, ActorName: actor.Name, At: now, ToState: string(StateDraft), Reason: reason})
	})
	if isUniqueViolation(err, "cert_applications_one_open") {
		open, oerr := s.store.OpenApplication(ctx, actor.ID, sc.ID)
		if oerr != nil {
			return nil, ErrOpenApplication
		}
		return open, ErrOpenApplication
	}
	if err != nil {
		return nil, fmt.Errorf("certify: start application: %w", err)
	}
	return a, nil
}

// ApplicationDetails is what an applicant fills in besides the evidence.
type ApplicationDetails struct {
	SubjectName    string `form:"subject_name"` // the training's title, for a training scheme
	Motivation     string `form:"motivation" input:"multiline"`
	ListInRegister bool   `form:"-"`
	List           string `form:"list_in_register"` // "ja" when ticked
}

// UpdateDetails changes the details of actor's draft or returned
// application. It returns ErrNotFound for someone else's application,
// ErrNotEditable after submission, and validation errors per field.
func (s *Service) UpdateDetails(ctx context.Context, actor Actor, id int64, d ApplicationDetails) error {
	d.SubjectName, d.Motivation = strings.TrimSpace(d.SubjectName), strings.TrimSpace(d.Motivation)
	d.ListInRegister = d.ListInRegister || d.List == "ja"
	v := &apperr.Validation{}
	if len([]rune(d.SubjectName)) > 150 {
		v.Add("subject_name", "De naam van de opleiding is hoogstens 150 tekens.")
	}
	if len([]rune(d.Motivation)) > 5000 {
		v.Add("motivation", "De toelichting is hoogstens 5.000 tekens.")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		a, err := ownEditable(ctx, st, actor, id)
		if err != nil {
			return err
		}
		if a.Scheme.Kind != KindTraining {
			d.SubjectName = ""
		}
		return st.updateDetails(ctx, id, d, s.now())
	})
}

// ownEditable locks actor's application id and checks it may be edited.
func ownEditable(ctx context.Context, st *store, actor Actor, id int64) (*Application, error) {
	a, err := st.applicationForUpdate(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.ApplicantID != actor.ID {
		return nil, ErrNotFound
	}
	if !a.State.Editable() {
		return nil, ErrNotEditable
	}
	return a, nil
}

// AddEvidence stores an uploaded file for requirement of actor's draft or
// returned application, after CheckEvidence. It returns validation errors
// on the field "file" for a refused file or an unknown requirement.
func (s *Service) AddEvidence(ctx context.Context, actor Actor, id int64, requirement, filename string, data []byte) (*Evidence, error) {
	contentType, name, err := CheckEvidence("file", filename, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	e := &Evidence{ApplicationID: id, Requirement: requirement, Filename: name, ContentType: contentType,
		Size: len(data), SHA256: sum[:], Content: data, UploadedAt: s.now()}
	err = inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		a, err := ownEditable(ctx, st, actor, id)
		if err != nil {
			return err
		}
		known := false
		for _, it := range a.Scheme.Evidence {
			known = known || it.Key == requirement
		}
		if !known {
			return apperr.NewValidation("file", "Kies bij welk bewijsstuk dit bestand hoort.")
		}
		n, err := st.countEvidence(ctx, id)
		if err != nil {
			return err
		}
		if n >= maxEvidenceFiles {
			return apperr.NewValidation("file", fmt.Sprintf("Een aanvraag heeft hoogstens %d bestanden. Verwijder eerst een bestand.", maxEvidenceFiles))
		}
		return st.insertEvidence(ctx, e)
	})
	if err != nil {
		return nil, err
	}
	e.Content = nil
	return e, nil
}

// DeleteEvidence removes a file from actor's draft or returned application.
func (s *Service) DeleteEvidence(ctx context.Context, actor Actor, id, evidenceID int64) error {
	return inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		if _, err := ownEditable(ctx, st, actor, id); err != nil {
			return err
		}
		found, err := st.deleteEvidence(ctx, id, evidenceID)
		if err == nil && !found {
			return ErrNotFound
		}
		return err
	})
}

// EvidenceFile returns an evidence file for actor: the applicant, an
// assessor or an admin. Anyone else gets ErrNotFound.
func (s *Service) EvidenceFile(ctx context.Context, actor Actor, evidenceID int64) (*Evidence, error) {
	e, applicant, err := s.store.EvidenceFile(ctx, evidenceID)
	if err != nil {
		return nil, err
	}
	if applicant != actor.ID && !actor.Assessor && !actor.Admin {
		return nil, ErrNotFound
	}
	return e, nil
}

// DeleteDraft removes actor's draft application and its evidence. It
// returns ErrNotFound for someone else's application and ErrNotEditable for
// one that is no longer a draft.
func (s *Service) DeleteDraft(ctx context.Context, actor Actor, id int64) error {
	return inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		a, err := st.applicationForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if a.ApplicantID != actor.ID {
			return ErrNotFound
		}
		if a.State != StateDraft {
			return ErrNotEditable
		}
		_, err = st.deleteDraft(ctx, id, actor.ID)
		return err
	})
}

// Submit sends actor's draft or returned application to the assessors, and
// mails them. It returns a validation error listing exactly what is missing
// (unmet prerequisites, evidence, the training's name) when it is not
// complete.
func (s *Service) Submit(ctx context.Context, actor Actor, id int64, answer string) error {
	answer = strings.TrimSpace(answer)
	if len([]rune(answer)) > maxReasonLen {
		return apperr.NewValidation("answer", "Uw antwoord is hoogstens 2.000 tekens.")
	}
	return inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		a, err := st.applicationForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if a.ApplicantID != actor.ID {
			return ErrNotFound
		}
		if err := CheckTransition(a.State, StateSubmitted, RoleApplicant, answer); err != nil {
			return err
		}
		again := a.State == StateReturned
		if again && answer == "" {
			return apperr.NewValidation("answer", "Beantwoord de vraag van de beoordelaar voordat u opnieuw indient.")
		}
		checks, err := s.Prerequisites(ctx, a.ApplicantID, a.Scheme)
		if err != nil {
			return err
		}
		files, err := st.EvidenceOf(ctx, a.ID)
		if err != nil {
			return err
		}
		if m := missing(a, checks, evidenceSlots(a.Scheme.Evidence, files)); len(m) > 0 {
			return &apperr.Validation{Message: "U kunt nog niet indienen. Dit ontbreekt nog: " + strings.Join(m, "; ") + "."}
		}
		now := s.now()
		e, err := s.move(ctx, st, a, actor, answer, applicationChange{To: StateSubmitted, SubmittedAt: &now})
		if err != nil {
			return err
		}
		return notifySubmitted(ctx, st, a, actor.Name, e, again)
	})
}

// move changes a's state (which the caller checked and locked) as ch says,
// writes the audit entry and returns it.
func (s *Service) move(ctx context.Context, st *store, a *Application, actor Actor, reason string, ch applicationChange) (*AuditEntry, error) {
	ch.From, ch.At = a.State, s.now()
	moved, err := st.moveApplication(ctx, a.ID, ch)
	if err != nil {
		return nil, err
	}
	if !moved {
		return nil, ErrAlreadyDecided
	}
	a.State = ch.To
	e := &AuditEntry{ApplicationID: &a.ID, ActorID: &actor.ID, ActorName: actor.Name,
		At: ch.At, FromState: string(ch.From), ToState: string(ch.To), Reason: reason}
	return e, st.addAudit(ctx, e)
}

// StartReview lets an assessor take a submitted application into review.
func (s *Service) StartReview(ctx context.Context, actor Actor, id int64) error {
	if !actor.Assessor {
		return apperr.Msg(apperr.ErrForbidden, "Alleen een beoordelaar kan een aanvraag in behandeling nemen.")
	}
	return inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		a, err := assessed(ctx, st, actor, id)
		if err != nil {
			return err
		}
		if a.State == StateInReview {
			return apperr.Msg(apperr.ErrConflict, "Deze aanvraag is al in behandeling.")
		}
		if err := CheckTransition(a.State, StateInReview, RoleAssessor, ""); err != nil {
			return err
		}
		_, err = s.move(ctx, st, a, actor, "", applicationChange{To: StateInReview, AssessorID: &actor.ID})
		return err
	})
}

// assessed locks application id for actor, an assessor: ErrNotFound for a
// draft (the applicant's own business), ErrOwnApplication for their own.
func assessed(ctx context.Context, st *store, actor Actor, id int64) (*Application, error) {
	a, err := st.applicationForUpdate(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.State == StateDraft {
		return nil, ErrNotFound
	}
	if a.ApplicantID == actor.ID {
		return nil, ErrOwnApplication
	}
	return a, nil
}

// Decide records an assessor's decision on an application in review:
// approved (which issues the certificate, returned), rejected, or returned
// to the applicant with a question, and mails the applicant. The reason is
// required. An assessor never decides their own application
// (ErrOwnApplication), and of two decisions at once only the first counts:
// the second gets ErrAlreadyDecided. Another decision than the three is a
// validation error on "decision".
func (s *Service) Decide(ctx context.Context, actor Actor, id int64, to State, reason string) (*Certificate, error) {
	if !actor.Assessor {
		return nil, apperr.Msg(apperr.ErrForbidden, "Alleen een beoordelaar kan over een aanvraag beslissen.")
	}
	if to != StateApproved && to != StateRejected && to != StateReturned {
		return nil, apperr.NewValidation("decision", "Kies een besluit: goedkeuren, afwijzen of terugsturen voor aanvulling.")
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > maxReasonLen {
		return nil, apperr.NewValidation("reason", "De reden is hoogstens 2.000 tekens.")
	}
	var cert *Certificate
	err := inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		a, err := assessed(ctx, st, actor, id)
		if err != nil {
			return err
		}
		switch a.State {
		case StateApproved, StateRejected, StateReturned:
			return ErrAlreadyDecided
		}
		if err := CheckTransition(a.State, to, RoleAssessor, reason); err != nil {
			return err
		}
		now := s.now()
		ch := applicationChange{To: to, AssessorID: &actor.ID, DecidedAt: &now}
		if to == StateReturned {
			ch.Question = &reason
		} else {
			ch.DecisionReason = &reason
		}
		e, err := s.move(ctx, st, a, actor, reason, ch)
		if err != nil {
			return err
		}
		if to == StateApproved {
			if cert, err = s.issueForApplication(ctx, st, a, actor); err != nil {
				return err
			}
		}
		if err := notifyDecision(ctx, st, a, e, cert); err != nil {
			return err
		}
		if cert != nil {
			return notifyIssued(ctx, st, cert)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return cert, nil
}

// --- The assessors' queue ---

// QueueQuery is the assessors' filter as typed: a scheme's slug, a state,
// a minimum age in days. Unknown values do not filter.
type QueueQuery struct {
	Scheme string
	State  string
	Days   int
}

// QueueRow is one application in the assessors' queue.
type QueueRow struct {
	Application
	Own     bool // the viewer's own application: someone else assesses it
	AgeDays int
}

// QueueView is the queue with what it was filtered on.
type QueueView struct {
	Rows    []QueueRow
	Schemes []Scheme
	Query   QueueQuery // the filter as applied: unknown values dropped
}

// QueueStates are the states an assessor can filter the queue on.
var QueueStates = []State{StateSubmitted, StateInReview, StateReturned, StateApproved, StateRejected}

// Queue lists the applications for assessors matching q, oldest submission
// first.
func (s *Service) Queue(ctx context.Context, actor Actor, q QueueQuery) (*QueueView, error) {
	schemes, err := s.store.Schemes(ctx, false)
	if err != nil {
		return nil, err
	}
	v := &QueueView{Schemes: schemes}
	f := QueueFilter{}
	for _, sc := range schemes {
		if sc.Slug == q.Scheme {
			f.SchemeID, v.Query.Scheme = sc.ID, sc.Slug
		}
	}
	for _, st := range QueueStates {
		if string(st) == q.State {
			f.State, v.Query.State = st, q.State
		}
	}
	if q.Days > 0 && q.Days <= 3650 {
		f.OlderThan, v.Query.Days = time.Duration(q.Days)*24*time.Hour, q.Days
	}
	now := s.now()
	apps, err := s.store.Queue(ctx, f, now)
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		r := QueueRow{Application: a, Own: a.ApplicantID == actor.ID}
		if a.SubmittedAt != nil {
			r.AgeDays = int(now.Sub(*a.SubmittedAt).Hours() / 24)
		}
		v.Rows = append(v.Rows, r)
	}
	return v, nil
}
