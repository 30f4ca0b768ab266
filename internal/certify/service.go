package certify

import (
	"context"
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
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
// assessment, issuing, status changes, renewal and re-issue, and the proofs
// (PDF, verifiable credential, status lists).
type Service struct {
	db      *bun.DB
	Store   *Store
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
		db: db, Store: NewStore(db), records: records,
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

// --- Schemes ---

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// SaveScheme checks sc and stores it (insert when sc.ID is 0). It returns a
// validation error per field, or ErrSlugTaken.
func (s *Service) SaveScheme(ctx context.Context, sc *Scheme) error {
	if err := validateScheme(sc); err != nil {
		return err
	}
	return s.Store.SaveScheme(ctx, sc)
}

func validateScheme(sc *Scheme) error {
	if sc.RequiredCourses == nil {
		sc.RequiredCourses = []string{}
	}
	if sc.Evidence == nil {
		sc.Evidence = []EvidenceItem{}
	}
	sc.Title, sc.Slug = strings.TrimSpace(sc.Title), strings.TrimSpace(sc.Slug)
	sc.Summary, sc.Criteria = strings.TrimSpace(sc.Summary), strings.TrimSpace(sc.Criteria)
	sc.ExamCourse, sc.ExamQuiz = strings.TrimSpace(sc.ExamCourse), strings.TrimSpace(sc.ExamQuiz)
	v := &apperr.Validation{}
	if n := len([]rune(sc.Title)); n < 3 || n > 150 {
		v.Add("title", "Geef een titel van 3 tot 150 tekens.")
	}
	if !slugPattern.MatchString(sc.Slug) || len(sc.Slug) > 80 {
		v.Add("slug", "Het webadres bestaat uit kleine letters, cijfers en streepjes, zoals gecertificeerd-adviseur.")
	}
	switch sc.Kind {
	case KindTrainer, KindAdviser, KindTraining:
	default:
		v.Add("kind", "Kies wat de regeling certificeert.")
	}
	if sc.Summary == "" || len([]rune(sc.Summary)) > 500 {
		v.Add("summary", "Geef een korte omschrijving van hoogstens 500 tekens.")
	}
	if sc.Criteria == "" || len([]rune(sc.Criteria)) > 10000 {
		v.Add("criteria", "Beschrijf de criteria (hoogstens 10.000 tekens): iedereen kan ze lezen.")
	}
	if sc.ValidityYears < 1 || sc.ValidityYears > 10 {
		v.Add("validity_years", "De geldigheid is 1 tot 10 jaar.")
	}
	for _, c := range sc.RequiredCourses {
		if !slugPattern.MatchString(c) {
			v.Add("required_courses", fmt.Sprintf("%q is geen cursus-slug (kleine letters, cijfers en streepjes).", c))
		}
	}
	if (sc.ExamCourse == "") != (sc.ExamQuiz == "") {
		v.Add("exam_quiz", "Geef voor het examen zowel de cursus als de toets op, of geen van beide.")
	} else if sc.ExamQuiz != "" {
		if !slugPattern.MatchString(sc.ExamCourse) || !slugPattern.MatchString(sc.ExamQuiz) {
			v.Add("exam_quiz", "Cursus en toets worden met hun slug genoemd (kleine letters, cijfers en streepjes).")
		}
		if sc.ExamPassMark < 1 || sc.ExamPassMark > 100 {
			v.Add("exam_pass_mark", "De cesuur is een percentage van 1 tot 100.")
		}
	} else {
		sc.ExamPassMark = 0
	}
	keys := map[string]bool{}
	for _, e := range sc.Evidence {
		if e.Key == "" || e.Label == "" || e.Count < 1 || e.Count > 10 || keys[e.Key] {
			v.Add("evidence", "Noem elk bewijsstuk één keer, met een aantal van 1 tot 10.")
		}
		keys[e.Key] = true
	}
	return v.Err()
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

// --- Applications ---

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
}

// ApplicationView returns application id as actor may see it: the
// applicant, or (asAssessor) an assessor. Anyone else gets ErrNotFound, so
// that no one learns of someone else's application.
func (s *Service) ApplicationView(ctx context.Context, actor Actor, id int64, asAssessor bool) (*ApplicationView, error) {
	a, err := s.Store.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.ApplicantID != actor.ID && !(asAssessor && actor.Assessor) {
		return nil, ErrNotFound
	}
	if asAssessor && a.State == StateDraft {
		return nil, ErrNotFound // a draft is the applicant's own business
	}
	v := &ApplicationView{App: a}
	if v.Checks, err = s.Prerequisites(ctx, a.ApplicantID, a.Scheme); err != nil {
		return nil, err
	}
	files, err := s.Store.EvidenceOf(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	v.Slots = evidenceSlots(a.Scheme.Evidence, files)
	if v.Audit, err = s.Store.ApplicationAudit(ctx, a.ID); err != nil {
		return nil, err
	}
	v.Missing = missing(a, v.Checks, v.Slots)
	if a.RenewalOf != nil {
		var c Certificate
		if err := s.Store.selectCertificates(&c).Where("c.id = ?", *a.RenewalOf).Scan(ctx); err == nil {
			v.Renewal = &c
		}
	}
	if a.State == StateApproved {
		var c Certificate
		if err := s.Store.selectCertificates(&c).Where("c.application_id = ?", a.ID).Scan(ctx); err == nil {
			v.Certificate = &c
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
	sc, err := s.Store.SchemeBySlug(ctx, schemeSlug)
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
	if renewal != nil {
		a.RenewalOf = &renewal.ID
		a.ListInRegister = renewal.Listed
		if sc.Kind == KindTraining {
			a.SubjectName = renewal.HolderName
		}
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(a).Returning("*").Exec(ctx); err != nil {
			return err
		}
		reason := ""
		if renewal != nil {
			reason = "Verlenging van " + renewal.Number
		}
		return NewStore(tx).addAudit(ctx, &AuditEntry{ApplicationID: &a.ID, ActorID: &actor.ID, ActorName: actor.Name, At: now, ToState: string(StateDraft), Reason: reason})
	})
	if isUniqueViolation(err, "cert_applications_one_open") {
		open, oerr := s.Store.OpenApplication(ctx, actor.ID, sc.ID)
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
	SubjectName    string // the training's title, for a training scheme
	Motivation     string
	ListInRegister bool
}

// UpdateDetails changes the details of actor's draft or returned
// application. It returns ErrNotFound for someone else's application,
// ErrNotEditable after submission, and validation errors per field.
func (s *Service) UpdateDetails(ctx context.Context, actor Actor, id int64, d ApplicationDetails) error {
	d.SubjectName, d.Motivation = strings.TrimSpace(d.SubjectName), strings.TrimSpace(d.Motivation)
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
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.ownEditable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if a.Scheme.Kind != KindTraining {
			d.SubjectName = ""
		}
		_, err = tx.NewUpdate().Table("cert_applications").
			Set("subject_name = ?, motivation = ?, list_in_register = ?, updated_at = ?", d.SubjectName, d.Motivation, d.ListInRegister, s.now()).
			Where("id = ?", id).Exec(ctx)
		return err
	})
}

// ownEditable locks actor's application id and checks it may be edited.
func (s *Service) ownEditable(ctx context.Context, tx bun.Tx, actor Actor, id int64) (*Application, error) {
	a, err := NewStore(tx).applicationForUpdate(ctx, id)
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
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.ownEditable(ctx, tx, actor, id)
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
		n, err := tx.NewSelect().Table("cert_evidence").Where("application_id = ?", id).Count(ctx)
		if err != nil {
			return err
		}
		if n >= maxEvidenceFiles {
			return apperr.NewValidation("file", fmt.Sprintf("Een aanvraag heeft hoogstens %d bestanden. Verwijder eerst een bestand.", maxEvidenceFiles))
		}
		_, err = tx.NewInsert().Model(e).Returning("id").Exec(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	e.Content = nil
	return e, nil
}

// DeleteEvidence removes a file from actor's draft or returned application.
func (s *Service) DeleteEvidence(ctx context.Context, actor Actor, id, evidenceID int64) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.ownEditable(ctx, tx, actor, id); err != nil {
			return err
		}
		res, err := tx.NewDelete().Table("cert_evidence").Where("id = ? AND application_id = ?", evidenceID, id).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// EvidenceFile returns an evidence file for actor: the applicant, an
// assessor or an admin. Anyone else gets ErrNotFound.
func (s *Service) EvidenceFile(ctx context.Context, actor Actor, evidenceID int64) (*Evidence, error) {
	e, applicant, err := s.Store.EvidenceFile(ctx, evidenceID)
	if err != nil {
		return nil, err
	}
	if applicant != actor.ID && !actor.Assessor && !actor.Admin {
		return nil, ErrNotFound
	}
	return e, nil
}

// DeleteDraft removes actor's draft application and its evidence.
func (s *Service) DeleteDraft(ctx context.Context, actor Actor, id int64) error {
	res, err := s.db.NewDelete().Table("cert_applications").Where("id = ? AND applicant_id = ? AND state = ?", id, actor.ID, StateDraft).Exec(ctx)
	if err != nil {
		return fmt.Errorf("certify: delete draft: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotEditable
	}
	return nil
}

// Submit sends actor's draft or returned application to the assessors. It
// returns a validation error listing exactly what is missing (unmet
// prerequisites, evidence, the training's name) when it is not complete.
func (s *Service) Submit(ctx context.Context, actor Actor, id int64, answer string) error {
	answer = strings.TrimSpace(answer)
	if len([]rune(answer)) > maxReasonLen {
		return apperr.NewValidation("answer", "Uw antwoord is hoogstens 2.000 tekens.")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := NewStore(tx)
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
		if a.State == StateReturned && answer == "" {
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
		return s.move(ctx, tx, a, StateSubmitted, actor, answer, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("submitted_at = ?", s.now())
		})
	})
}

// move changes a's state (which the caller checked and locked) and writes
// the audit entry.
func (s *Service) move(ctx context.Context, tx bun.Tx, a *Application, to State, actor Actor, reason string, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	q := tx.NewUpdate().Table("cert_applications").Set("state = ?, updated_at = ?", to, s.now()).
		Where("id = ? AND state = ?", a.ID, a.State)
	if set != nil {
		q = set(q)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return fmt.Errorf("certify: move application %d to %s: %w", a.ID, to, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrAlreadyDecided
	}
	from := a.State
	a.State = to
	return NewStore(tx).addAudit(ctx, &AuditEntry{ApplicationID: &a.ID, ActorID: &actor.ID, ActorName: actor.Name,
		At: s.now(), FromState: string(from), ToState: string(to), Reason: reason})
}

// StartReview lets an assessor take a submitted application into review.
func (s *Service) StartReview(ctx context.Context, actor Actor, id int64) error {
	if !actor.Assessor {
		return apperr.Msg(apperr.ErrForbidden, "Alleen een beoordelaar kan een aanvraag in behandeling nemen.")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := NewStore(tx).applicationForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if a.ApplicantID == actor.ID {
			return ErrOwnApplication
		}
		if a.State == StateInReview {
			return apperr.Msg(apperr.ErrConflict, "Deze aanvraag is al in behandeling.")
		}
		if err := CheckTransition(a.State, StateInReview, RoleAssessor, ""); err != nil {
			return err
		}
		return s.move(ctx, tx, a, StateInReview, actor, "", func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("assessor_id = ?", actor.ID)
		})
	})
}

// Decide records an assessor's decision on an application in review:
// approved (which issues the certificate, returned), rejected, or returned
// to the applicant with a question. The reason is required. An assessor
// never decides their own application (ErrOwnApplication), and of two
// decisions at once only the first counts: the second gets
// ErrAlreadyDecided.
func (s *Service) Decide(ctx context.Context, actor Actor, id int64, to State, reason string) (*Certificate, error) {
	if !actor.Assessor {
		return nil, apperr.Msg(apperr.ErrForbidden, "Alleen een beoordelaar kan over een aanvraag beslissen.")
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > maxReasonLen {
		return nil, apperr.NewValidation("reason", "De reden is hoogstens 2.000 tekens.")
	}
	var cert *Certificate
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := NewStore(tx).applicationForUpdate(ctx, id)
		if err != nil {
			return err
		}
		if a.ApplicantID == actor.ID {
			return ErrOwnApplication
		}
		switch a.State {
		case StateApproved, StateRejected, StateReturned:
			return ErrAlreadyDecided
		}
		if err := CheckTransition(a.State, to, RoleAssessor, reason); err != nil {
			return err
		}
		if err := s.move(ctx, tx, a, to, actor, reason, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			q = q.Set("assessor_id = ?, decided_at = ?", actor.ID, s.now())
			if to == StateReturned {
				return q.Set("question = ?", reason)
			}
			return q.Set("decision_reason = ?", reason)
		}); err != nil {
			return err
		}
		if to == StateApproved {
			cert, err = s.issueForApplication(ctx, tx, a, actor)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return cert, nil
}

// ExportUserData is this domain's part of a user's AVG data export: their
// applications (with the evidence's names, not its contents), the
// certificates they hold and the audit log of both.
func (s *Service) ExportUserData(ctx context.Context, userID int64) (any, error) {
	apps, err := s.Store.ApplicationsOf(ctx, userID)
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
		if e.Evidence, err = s.Store.EvidenceOf(ctx, a.ID); err != nil {
			return nil, err
		}
		if e.Log, err = s.Store.ApplicationAudit(ctx, a.ID); err != nil {
			return nil, err
		}
		out.Applications = append(out.Applications, e)
	}
	certs, err := s.Store.CertificatesOfHolder(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, c := range certs {
		e := certExport{Certificate: c}
		if e.Log, err = s.Store.CertificateAudit(ctx, c.ID); err != nil {
			return nil, err
		}
		out.Certificates = append(out.Certificates, e)
	}
	return out, nil
}
