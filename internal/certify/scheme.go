package certify

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate tidies sc (trimmed text, no nil lists, no pass mark without an
// exam) and checks it, returning a validation error per field.
func (sc *Scheme) Validate() error {
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

// SchemeForm is a scheme as the admin's form has it: numbers as typed, the
// required courses as one line, the evidence one item a line ("2 ×
// Praktijkcase").
type SchemeForm struct {
	Title           string `form:"title"`
	Slug            string `form:"slug"`
	Kind            string `form:"kind"`
	Summary         string `form:"summary" input:"multiline"`
	Criteria        string `form:"criteria" input:"multiline"`
	RequiredCourses string `form:"required_courses"`
	ExamCourse      string `form:"exam_course"`
	ExamQuiz        string `form:"exam_quiz"`
	ExamPassMark    string `form:"exam_pass_mark"`
	Evidence        string `form:"evidence" input:"multiline"`
	ValidityYears   string `form:"validity_years"`
	Active          string `form:"active"`
}

// NewSchemeForm is the form for a new scheme.
func NewSchemeForm() SchemeForm {
	return SchemeForm{ValidityYears: "3", Active: "ja", Kind: string(KindAdviser)}
}

// FormOf is the form of a stored scheme.
func FormOf(sc *Scheme) SchemeForm {
	f := SchemeForm{Title: sc.Title, Slug: sc.Slug, Kind: string(sc.Kind), Summary: sc.Summary, Criteria: sc.Criteria,
		RequiredCourses: strings.Join(sc.RequiredCourses, ", "), ExamCourse: sc.ExamCourse, ExamQuiz: sc.ExamQuiz,
		ValidityYears: strconv.Itoa(sc.ValidityYears)}
	if sc.ExamPassMark > 0 {
		f.ExamPassMark = strconv.Itoa(sc.ExamPassMark)
	}
	lines := make([]string, len(sc.Evidence))
	for i, e := range sc.Evidence {
		lines[i] = fmt.Sprintf("%d × %s", e.Count, e.Label)
	}
	f.Evidence = strings.Join(lines, "\n")
	if sc.Active {
		f.Active = "ja"
	}
	return f
}

var evidenceLine = regexp.MustCompile(`^(\d+)\s*[x×X*]\s*(.+)$`)

// apply reads the form into sc and checks the result, with a validation
// message per field (unreadable numbers included).
func (f SchemeForm) apply(sc *Scheme) error {
	errs := &apperr.Validation{}
	sc.Title, sc.Slug, sc.Kind, sc.Summary, sc.Criteria = f.Title, f.Slug, Kind(f.Kind), f.Summary, f.Criteria
	sc.RequiredCourses = strings.FieldsFunc(f.RequiredCourses, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	sc.ExamCourse, sc.ExamQuiz = f.ExamCourse, f.ExamQuiz
	sc.ExamPassMark = 0
	if strings.TrimSpace(f.ExamPassMark) != "" {
		n, err := strconv.Atoi(strings.TrimSpace(f.ExamPassMark))
		if err != nil {
			errs.Add("exam_pass_mark", "De cesuur is een heel getal van 1 tot 100.")
		}
		sc.ExamPassMark = n
	}
	years, err := strconv.Atoi(strings.TrimSpace(f.ValidityYears))
	if err != nil {
		errs.Add("validity_years", "De geldigheid is een heel aantal jaren, 1 tot 10.")
	}
	sc.ValidityYears = years
	sc.Evidence = []EvidenceItem{}
	lines := bufio.NewScanner(strings.NewReader(f.Evidence))
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if line == "" {
			continue
		}
		item := EvidenceItem{Label: line, Count: 1}
		if m := evidenceLine.FindStringSubmatch(line); m != nil {
			item.Count, _ = strconv.Atoi(m[1])
			item.Label = strings.TrimSpace(m[2])
		}
		item.Key = evidenceKey(item.Label)
		sc.Evidence = append(sc.Evidence, item)
	}
	sc.Active = f.Active == "ja"
	if v, ok := apperr.AsValidation(sc.Validate()); ok {
		for _, k := range v.Keys() {
			errs.Add(k, v.Fields[k]) // a number that did not parse keeps its own message
		}
	}
	return errs.Err()
}

// evidenceKey makes a stable key of an evidence label: "Praktijkcase" →
// "praktijkcase", "Leerdoelen & programma" → "leerdoelen-programma".
func evidenceKey(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(label)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case unicode.Is(unicode.Mn, r):
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// --- The service's schemes ---

// SaveScheme checks sc and stores it (insert when sc.ID is 0). It returns a
// validation error per field, or ErrSlugTaken.
func (s *Service) SaveScheme(ctx context.Context, sc *Scheme) error {
	if err := sc.Validate(); err != nil {
		return err
	}
	return s.store.SaveScheme(ctx, sc)
}

// SaveSchemeForm stores the admin's form as scheme id (a new scheme when id
// is 0) and returns it. It returns ErrNotFound for an unknown id and a
// validation error per field, a taken slug included.
func (s *Service) SaveSchemeForm(ctx context.Context, id int64, f SchemeForm) (*Scheme, error) {
	sc := &Scheme{}
	if id != 0 {
		var err error
		if sc, err = s.store.Scheme(ctx, id); err != nil {
			return nil, err
		}
	}
	if err := f.apply(sc); err != nil {
		return sc, err
	}
	err := s.store.SaveScheme(ctx, sc)
	if errors.Is(err, ErrSlugTaken) {
		return sc, apperr.NewValidation("slug", "Er bestaat al een regeling met dit webadres.")
	}
	return sc, err
}

// Schemes lists the schemes by title; only the active ones when activeOnly.
func (s *Service) Schemes(ctx context.Context, activeOnly bool) ([]Scheme, error) {
	return s.store.Schemes(ctx, activeOnly)
}

// Scheme returns the scheme with id, or ErrNotFound.
func (s *Service) Scheme(ctx context.Context, id int64) (*Scheme, error) {
	return s.store.Scheme(ctx, id)
}
