package courses

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/web"
	"github.com/gofiber/fiber/v2"
)

// itemContext resolves the module (new item) or the item (edit) of the URL.
func (h *Handler) itemContext(c *fiber.Ctx) (*Course, int64, *Item, error) {
	ctx := c.UserContext()
	if c.Params("iid") != "" {
		id, err := web.ParamID(c, "iid")
		if err != nil {
			return nil, 0, nil, err
		}
		it, err := h.svc.ItemByID(ctx, id)
		if err != nil {
			return nil, 0, nil, err
		}
		course, err := h.svc.CourseByID(ctx, it.CourseID)
		return course, it.ModuleID, it, err
	}
	mid, err := web.ParamID(c, "mid")
	if err != nil {
		return nil, 0, nil, err
	}
	m, err := h.svc.ModuleByID(ctx, mid)
	if err != nil {
		return nil, 0, nil, err
	}
	course, err := h.svc.CourseByID(ctx, m.CourseID)
	return course, mid, nil, err
}

type authorLessonPage struct {
	web.Page
	Course  *Course
	Item    *Item
	Form    LessonInput
	Errors  web.FieldErrors
	Preview template.HTML
	Action  string
}

// GET /beheer/modules/:mid/les-nieuw and /beheer/onderdelen/:iid/les
func (h *Handler) authorLessonForm(c *fiber.Ctx) error {
	course, mid, it, err := h.itemContext(c)
	if err != nil {
		return err
	}
	page := authorLessonPage{Page: web.NewPage(c, "Les bewerken"), Course: course, Item: it, Form: LessonInput{Minutes: 10},
		Action: fmt.Sprintf("/beheer/modules/%d/les-nieuw", mid)}
	if it != nil {
		if it.Kind != KindLesson || it.CurrentRevisionID == nil {
			return ErrNotFound
		}
		l, err := h.svc.Lesson(c.UserContext(), *it.CurrentRevisionID)
		if err != nil {
			return err
		}
		page.Form = LessonInput{Slug: it.Slug, Title: l.Title, Minutes: l.Minutes, Body: l.Body}
		page.Action = fmt.Sprintf("/beheer/onderdelen/%d/les", it.ID)
	} else {
		page.Title = "Nieuwe les"
	}
	return web.Render(c, fiber.StatusOK, "courses/author_lesson", page)
}

// POST /beheer/modules/:mid/les-nieuw and /beheer/onderdelen/:iid/les.
// The button "Voorbeeld" shows the rendered lesson without saving.
func (h *Handler) authorSaveLesson(c *fiber.Ctx) error {
	course, mid, it, err := h.itemContext(c)
	if err != nil {
		return err
	}
	page := authorLessonPage{Page: web.NewPage(c, "Les bewerken"), Course: course, Item: it, Action: c.Path()}
	var in LessonInput
	if err := c.BodyParser(&in); err != nil {
		page.Errors = web.FieldErrors{{Field: "minutes", Message: "Vul een heel getal in."}}
		return web.Render(c, fiber.StatusUnprocessableEntity, "courses/author_lesson", page)
	}
	in.Slug, in.Title = strings.TrimSpace(in.Slug), strings.TrimSpace(in.Title)
	page.Form = in
	if c.FormValue("actie") == "voorbeeld" {
		page.Preview = web.Markdown(in.Body)
		return web.Render(c, fiber.StatusOK, "courses/author_lesson", page)
	}
	if err := h.validate.Struct(&in); err != nil {
		page.Errors, _ = web.FieldErrorsOf(err, nil)
		return web.Render(c, fiber.StatusUnprocessableEntity, "courses/author_lesson", page)
	}
	var itemID int64
	if it != nil {
		itemID = it.ID
	}
	if _, err := h.svc.SaveLesson(c.UserContext(), mid, itemID, in, web.CurrentViewer(c).ID); err != nil {
		if errs, ok := web.FieldErrorsOf(err, nil); ok {
			page.Errors = errs
			return web.Render(c, fiber.StatusUnprocessableEntity, "courses/author_lesson", page)
		}
		return err
	}
	web.SetFlash(c, "Les opgeslagen als nieuwe versie.")
	return c.Redirect(editURL(course.ID), fiber.StatusSeeOther)
}

type authorQuizPage struct {
	web.Page
	Course    *Course
	Item      *Item
	Form      QuizInput
	Errors    web.FieldErrors
	Questions []Question
	Action    string
	Types     []struct{ Value, Label string }
}

// GET /beheer/modules/:mid/toets-nieuw and /beheer/onderdelen/:iid/toets
func (h *Handler) authorQuizForm(c *fiber.Ctx) error {
	course, mid, it, err := h.itemContext(c)
	if err != nil {
		return err
	}
	page := authorQuizPage{Page: web.NewPage(c, "Nieuwe toets"), Course: course, Item: it, Types: QuestionTypes,
		Form: QuizInput{PassMark: 70}, Action: fmt.Sprintf("/beheer/modules/%d/toets-nieuw", mid)}
	if it != nil {
		if it.Kind != KindQuiz || it.CurrentRevisionID == nil {
			return ErrNotFound
		}
		q, err := h.svc.Quiz(c.UserContext(), *it.CurrentRevisionID)
		if err != nil {
			return err
		}
		page.Title = "Toets bewerken: " + q.Title
		page.Form = QuizInput{Slug: it.Slug, Title: q.Title, PassMark: q.PassMark, Attempts: q.AttemptsAllowed,
			TimeLimitMinutes: q.TimeLimitSecs / 60, Draw: q.Draw, ShuffleQuestions: q.ShuffleQuestions, ShuffleOptions: q.ShuffleOptions}
		page.Questions = q.Questions
		page.Action = fmt.Sprintf("/beheer/onderdelen/%d/toets", it.ID)
	}
	return web.Render(c, fiber.StatusOK, "courses/author_quiz", page)
}

// POST /beheer/modules/:mid/toets-nieuw and /beheer/onderdelen/:iid/toets
func (h *Handler) authorSaveQuiz(c *fiber.Ctx) error {
	course, mid, it, err := h.itemContext(c)
	if err != nil {
		return err
	}
	page := authorQuizPage{Page: web.NewPage(c, "Toets bewerken"), Course: course, Item: it, Action: c.Path(), Types: QuestionTypes}
	var in QuizInput
	if err := c.BodyParser(&in); err != nil {
		page.Errors = web.FieldErrors{{Field: "pass_mark", Message: "Vul hele getallen in."}}
		return web.Render(c, fiber.StatusUnprocessableEntity, "courses/author_quiz", page)
	}
	in.Slug, in.Title = strings.TrimSpace(in.Slug), strings.TrimSpace(in.Title)
	page.Form = in
	if it != nil && it.CurrentRevisionID != nil {
		if q, err := h.svc.Quiz(c.UserContext(), *it.CurrentRevisionID); err == nil {
			page.Questions = q.Questions
		}
	}
	if err := h.validate.Struct(&in); err != nil {
		page.Errors, _ = web.FieldErrorsOf(err, nil)
		return web.Render(c, fiber.StatusUnprocessableEntity, "courses/author_quiz", page)
	}
	var itemID int64
	if it != nil {
		itemID = it.ID
	}
	saved, err := h.svc.SaveQuiz(c.UserContext(), mid, itemID, in, web.CurrentViewer(c).ID)
	if err != nil {
		if errs, ok := web.FieldErrorsOf(err, nil); ok {
			page.Errors = errs
			return web.Render(c, fiber.StatusUnprocessableEntity, "courses/author_quiz", page)
		}
		return err
	}
	web.SetFlash(c, "Toets opgeslagen als nieuwe versie.")
	return c.Redirect(fmt.Sprintf("/beheer/onderdelen/%d/toets", saved.ID), fiber.StatusSeeOther)
}

// optionRows is how many option rows the question form offers.
const optionRows = 8

type optionRow struct {
	Index    int
	ID       string
	Text     string
	Correct  bool
	Feedback string
}

type authorQuestionPage struct {
	web.Page
	Course   *Course
	Item     *Item
	Question Question
	Rows     []optionRow
	Accepted string
	Number   string
	Answer   string
	Error    string
	Action   string
	TypeName string
}

func typeLabel(t string) string {
	for _, qt := range QuestionTypes {
		if qt.Value == t {
			return qt.Label
		}
	}
	return t
}

func (h *Handler) questionContext(c *fiber.Ctx) (*Course, *Item, *QuizRevision, error) {
	course, _, it, err := h.itemContext(c)
	if err != nil {
		return nil, nil, nil, err
	}
	if it == nil || it.Kind != KindQuiz || it.CurrentRevisionID == nil {
		return nil, nil, nil, ErrNotFound
	}
	rev, err := h.svc.Quiz(c.UserContext(), *it.CurrentRevisionID)
	return course, it, rev, err
}

func questionPage(c *fiber.Ctx, course *Course, it *Item, q Question) authorQuestionPage {
	p := authorQuestionPage{Page: web.NewPage(c, "Vraag bewerken"), Course: course, Item: it, Question: q, TypeName: typeLabel(q.Type),
		Accepted: strings.Join(q.Accepted, "\n")}
	key := q.Key
	if key == "" {
		key = "nieuw"
	}
	p.Action = fmt.Sprintf("/beheer/onderdelen/%d/vraag/%s", it.ID, key)
	if q.Number != nil {
		p.Number = strings.Replace(strconv.FormatFloat(*q.Number, 'f', -1, 64), ".", ",", 1)
	}
	if q.Answer != nil {
		p.Answer = strconv.FormatBool(*q.Answer)
	}
	for i := 0; i < optionRows; i++ {
		row := optionRow{Index: i}
		if i < len(q.Options) {
			o := q.Options[i]
			row.ID, row.Text, row.Correct, row.Feedback = o.ID, o.Text, o.Correct, o.Feedback
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

// GET /beheer/onderdelen/:iid/vraag/:key — key "nieuw" with ?type= for a new question.
func (h *Handler) authorQuestionForm(c *fiber.Ctx) error {
	course, it, rev, err := h.questionContext(c)
	if err != nil {
		return err
	}
	q := Question{Type: c.Query("type"), Scoring: ScoringPartial}
	if key := c.Params("key"); key != "nieuw" {
		found, ok := rev.Pool()[key]
		if !ok {
			return ErrNotFound
		}
		q = *found
	} else if typeLabel(q.Type) == q.Type {
		return apperr.Msg(apperr.ErrNotFound, "Kies een bekend vraagtype.")
	}
	return web.Render(c, fiber.StatusOK, "courses/author_question", questionPage(c, course, it, q))
}

// decodeQuestion reads the question form; option ids are kept per row so
// statistics stay comparable across revisions.
func decodeQuestion(c *fiber.Ctx, q Question) Question {
	q.Text = strings.TrimSpace(c.FormValue("text"))
	q.Feedback = strings.TrimSpace(c.FormValue("feedback"))
	q.Options, q.Accepted, q.Answer, q.Number, q.Tolerance = nil, nil, nil, nil, 0
	if q.Type == TypeMultiple {
		q.Scoring = c.FormValue("scoring")
	} else {
		q.Scoring = ""
	}
	used := map[string]bool{}
	for i := 0; i < optionRows; i++ {
		if id := c.FormValue(fmt.Sprintf("opt_id_%d", i)); id != "" {
			used[id] = true
		}
	}
	next := 0
	for i := 0; i < optionRows; i++ {
		text := strings.TrimSpace(c.FormValue(fmt.Sprintf("opt_text_%d", i)))
		if text == "" {
			continue
		}
		id := c.FormValue(fmt.Sprintf("opt_id_%d", i))
		if !slugRE.MatchString(id) {
			for used[optionID(next)] {
				next++
			}
			id = optionID(next)
			used[id] = true
		}
		correct := c.FormValue(fmt.Sprintf("opt_correct_%d", i)) == "ja" || c.FormValue("correct") == strconv.Itoa(i)
		q.Options = append(q.Options, Option{ID: id, Text: text, Correct: correct && q.Type != TypeOrdering,
			Feedback: strings.TrimSpace(c.FormValue(fmt.Sprintf("opt_feedback_%d", i)))})
	}
	switch q.Type {
	case TypeTrueFalse:
		if v := c.FormValue("answer"); v == "true" || v == "false" {
			b := v == "true"
			q.Answer = &b
		}
	case TypeNumeric:
		if f, ok := ParseNumber(c.FormValue("number")); ok {
			q.Number = &f
		}
		if t, ok := ParseNumber(c.FormValue("tolerance")); ok {
			q.Tolerance = t
		}
	case TypeText:
		for _, line := range strings.Split(c.FormValue("accepted"), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				q.Accepted = append(q.Accepted, line)
			}
		}
	}
	return q
}

// POST /beheer/onderdelen/:iid/vraag/:key
func (h *Handler) authorSaveQuestion(c *fiber.Ctx) error {
	course, it, rev, err := h.questionContext(c)
	if err != nil {
		return err
	}
	q := Question{Type: c.FormValue("type")}
	if key := c.Params("key"); key != "nieuw" {
		found, ok := rev.Pool()[key]
		if !ok {
			return ErrNotFound
		}
		q = *found
	}
	q = decodeQuestion(c, q)
	if err := h.svc.SaveQuestion(c.UserContext(), it.ID, q, web.CurrentViewer(c).ID); err != nil {
		if v, ok := apperr.AsValidation(err); ok {
			page := questionPage(c, course, it, q)
			page.Error = v.Message
			page.Number, page.Accepted = c.FormValue("number"), c.FormValue("accepted")
			return web.Render(c, fiber.StatusUnprocessableEntity, "courses/author_question", page)
		}
		return err
	}
	web.SetFlash(c, "Vraag opgeslagen in een nieuwe versie van de toets. Lopende pogingen houden hun eigen versie.")
	return c.Redirect(fmt.Sprintf("/beheer/onderdelen/%d/toets", it.ID), fiber.StatusSeeOther)
}

// POST /beheer/onderdelen/:iid/vraag/:key/verwijderen
func (h *Handler) authorDeleteQuestion(c *fiber.Ctx) error {
	_, it, _, err := h.questionContext(c)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteQuestion(c.UserContext(), it.ID, c.Params("key"), web.CurrentViewer(c).ID); err != nil {
		return err
	}
	web.SetFlash(c, "Vraag verwijderd in een nieuwe versie van de toets.")
	return c.Redirect(fmt.Sprintf("/beheer/onderdelen/%d/toets", it.ID), fiber.StatusSeeOther)
}

type statsPage struct {
	web.Page
	Course   *Course
	Item     *Item
	Rev      *QuizRevision
	Stats    []QuestionStat
	Attempts int
}

// GET /beheer/onderdelen/:iid/statistiek
func (h *Handler) authorStats(c *fiber.Ctx) error {
	course, _, it, err := h.itemContext(c)
	if err != nil {
		return err
	}
	if it == nil {
		return ErrNotFound
	}
	rev, stats, n, err := h.svc.Stats(c.UserContext(), it.ID)
	if err != nil {
		return err
	}
	return web.Render(c, fiber.StatusOK, "courses/author_stats", statsPage{Page: web.NewPage(c, "Statistiek: "+rev.Title),
		Course: course, Item: it, Rev: rev, Stats: stats, Attempts: n})
}
