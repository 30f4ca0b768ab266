package courses

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// A course folder holds course.yaml, one Markdown file per lesson (YAML front
// matter with title and minutes) and one YAML file per quiz. docs/course-format.md
// describes it; content/courses holds the shipped courses in this format.

// CourseDoc is a course as read from (or written to) a folder.
type CourseDoc struct {
	Slug       string      `yaml:"slug"`
	Title      string      `yaml:"title"`
	Summary    string      `yaml:"summary"`
	Audience   string      `yaml:"audience"`
	StudyHours int         `yaml:"study_hours"`
	Modules    []ModuleDoc `yaml:"modules"`
}

// ModuleDoc is a module with its items in order.
type ModuleDoc struct {
	Title   string    `yaml:"title"`
	Summary string    `yaml:"summary"`
	Items   []ItemDoc `yaml:"items"`
}

// ItemDoc names a lesson or a quiz file; after reading, exactly one of
// Lesson and Quiz is filled in.
type ItemDoc struct {
	LessonFile string     `yaml:"lesson,omitempty"`
	QuizFile   string     `yaml:"quiz,omitempty"`
	Lesson     *LessonDoc `yaml:"-"`
	Quiz       *QuizDoc   `yaml:"-"`
}

// Slug is the item's name in its course: the file name without extension.
func (it ItemDoc) Slug() string {
	f := it.LessonFile + it.QuizFile
	return strings.TrimSuffix(path.Base(f), path.Ext(f))
}

// LessonDoc is a lesson file.
type LessonDoc struct {
	Title   string `yaml:"title"`
	Minutes int    `yaml:"minutes"`
	Body    string `yaml:"-"`
}

// QuizDoc is a quiz file.
type QuizDoc struct {
	Title            string        `yaml:"title"`
	PassMark         int           `yaml:"pass_mark"`
	Attempts         int           `yaml:"attempts"`
	TimeLimitMinutes int           `yaml:"time_limit_minutes"`
	Draw             int           `yaml:"draw"`
	ShuffleQuestions bool          `yaml:"shuffle_questions"`
	ShuffleOptions   bool          `yaml:"shuffle_options"`
	Questions        []QuestionDoc `yaml:"questions"`
}

// QuestionDoc is a question as written in a quiz file.
type QuestionDoc struct {
	Key       string      `yaml:"key,omitempty"`
	Type      string      `yaml:"type"`
	Text      string      `yaml:"text"`
	Feedback  string      `yaml:"feedback,omitempty"`
	Scoring   string      `yaml:"scoring,omitempty"`
	Options   []OptionDoc `yaml:"options,omitempty"`
	Answer    yaml.Node   `yaml:"answer,omitempty"`
	Tolerance float64     `yaml:"tolerance,omitempty"`
	Accepted  []string    `yaml:"accepted,omitempty"`
}

// OptionDoc is an option as written in a quiz file.
type OptionDoc struct {
	Text     string `yaml:"text"`
	Correct  bool   `yaml:"correct,omitempty"`
	Feedback string `yaml:"feedback,omitempty"`
}

// Problem is one thing wrong in a course folder, with its place.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return p.File + ": " + p.Msg
}

// FolderError lists every problem found in a course folder.
type FolderError struct{ Problems []Problem }

func (e *FolderError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d probleem/problemen in de cursusmap:\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

type folderReader struct {
	fsys     fs.FS
	problems []Problem
}

func (r *folderReader) add(file string, line int, format string, args ...any) {
	r.problems = append(r.problems, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// ReadFolder reads and checks a course folder. It returns a *FolderError
// naming every problem (file and line) when anything is wrong.
func ReadFolder(fsys fs.FS) (*CourseDoc, error) {
	r := &folderReader{fsys: fsys}
	doc := r.readCourse()
	if len(r.problems) > 0 {
		sort.SliceStable(r.problems, func(i, j int) bool {
			if r.problems[i].File != r.problems[j].File {
				return r.problems[i].File < r.problems[j].File
			}
			return r.problems[i].Line < r.problems[j].Line
		})
		return nil, &FolderError{Problems: r.problems}
	}
	return doc, nil
}

// decodeStrict decodes YAML into v, refusing unknown fields, and reports
// errors with their line numbers.
func (r *folderReader) decodeStrict(file string, b []byte, v any) bool {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, e := range te.Errors {
				line, msg := splitYAMLLine(e)
				r.add(file, line, "%s", msg)
			}
			return false
		}
		line, msg := splitYAMLLine(err.Error())
		r.add(file, line, "ongeldige YAML: %s", msg)
		return false
	}
	return true
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func splitYAMLLine(s string) (int, string) {
	if m := yamlLineRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, strings.TrimPrefix(s, "yaml: ")
}

func (r *folderReader) readFile(name string) ([]byte, bool) {
	b, err := fs.ReadFile(r.fsys, name)
	if err != nil {
		r.add(name, 0, "bestand ontbreekt of is niet te lezen")
		return nil, false
	}
	if !utf8.Valid(b) {
		r.add(name, 0, "bestand is geen UTF-8-tekst")
		return nil, false
	}
	return b, true
}

// readYAML reads file into v strictly and also returns its node tree, for
// the line numbers of later checks.
func (r *folderReader) readYAML(file string, v any) (*yaml.Node, bool) {
	b, ok := r.readFile(file)
	if !ok {
		return nil, false
	}
	var node yaml.Node
	if err := yaml.Unmarshal(b, &node); err != nil {
		line, msg := splitYAMLLine(err.Error())
		r.add(file, line, "ongeldige YAML: %s", msg)
		return nil, false
	}
	return &node, r.decodeStrict(file, b, v)
}

func (r *folderReader) readCourse() *CourseDoc {
	const file = "course.yaml"
	doc := &CourseDoc{}
	node, ok := r.readYAML(file, doc)
	if !ok {
		return nil
	}
	line := func(key string) int { return lineOf(node, key) }
	if !slugRE.MatchString(doc.Slug) || len(doc.Slug) > 80 {
		r.add(file, line("slug"), "slug %q moet uit kleine letters, cijfers en streepjes bestaan (hoogstens 80 tekens)", doc.Slug)
	}
	checkLen(r, file, line("title"), "title", doc.Title, 1, 150)
	checkLen(r, file, line("summary"), "summary", doc.Summary, 0, 300)
	checkLen(r, file, line("audience"), "audience", doc.Audience, 0, 200)
	if doc.StudyHours < 0 || doc.StudyHours > 1000 {
		r.add(file, line("study_hours"), "study_hours moet tussen 0 en 1000 liggen")
	}
	if len(doc.Modules) == 0 {
		r.add(file, line("modules"), "een cursus heeft minstens één module")
	}
	seen := map[string]bool{}
	modNodes := childSeq(node, "modules")
	for mi := range doc.Modules {
		m := &doc.Modules[mi]
		mline := nodeLine(modNodes, mi)
		checkLen(r, file, mline, fmt.Sprintf("module %d: title", mi+1), m.Title, 1, 150)
		checkLen(r, file, mline, fmt.Sprintf("module %d: summary", mi+1), m.Summary, 0, 300)
		if len(m.Items) == 0 {
			r.add(file, mline, "module %q heeft geen lessen of toetsen", m.Title)
		}
		var itemNodes []*yaml.Node
		if mi < len(modNodes) {
			itemNodes = childSeq(modNodes[mi], "items")
		}
		for ii := range m.Items {
			it := &m.Items[ii]
			iline := nodeLine(itemNodes, ii)
			switch {
			case (it.LessonFile == "") == (it.QuizFile == ""):
				r.add(file, iline, "elk onderdeel heeft precies één sleutel: lesson of quiz")
				continue
			case it.LessonFile != "" && path.Ext(it.LessonFile) != ".md":
				r.add(file, iline, "les %q moet een .md-bestand zijn", it.LessonFile)
				continue
			case it.QuizFile != "" && path.Ext(it.QuizFile) != ".yaml":
				r.add(file, iline, "toets %q moet een .yaml-bestand zijn", it.QuizFile)
				continue
			}
			slug := it.Slug()
			if !slugRE.MatchString(slug) || strings.Contains(it.LessonFile+it.QuizFile, "/") {
				r.add(file, iline, "bestandsnaam %q: gebruik kleine letters, cijfers en streepjes, zonder map", it.LessonFile+it.QuizFile)
				continue
			}
			if seen[slug] {
				r.add(file, iline, "%q komt twee keer voor", slug)
				continue
			}
			seen[slug] = true
			if it.LessonFile != "" {
				it.Lesson = r.readLesson(it.LessonFile)
			} else {
				it.Quiz = r.readQuiz(it.QuizFile)
			}
		}
	}
	return doc
}

func checkLen(r *folderReader, file string, line int, field, v string, minLen, maxLen int) {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	if n < minLen {
		r.add(file, line, "%s ontbreekt", field)
	} else if n > maxLen {
		r.add(file, line, "%s is %d tekens; hoogstens %d", field, n, maxLen)
	}
}

func (r *folderReader) readLesson(file string) *LessonDoc {
	b, ok := r.readFile(file)
	if !ok {
		return nil
	}
	src := strings.ReplaceAll(string(b), "\r\n", "\n")
	if !strings.HasPrefix(src, "---\n") {
		r.add(file, 1, "de les begint niet met front matter (--- title: … ---)")
		return nil
	}
	end := strings.Index(src[4:], "\n---\n")
	if end < 0 {
		r.add(file, 1, "de front matter wordt niet afgesloten met ---")
		return nil
	}
	front, body := src[4:4+end+1], src[4+end+5:]
	l := &LessonDoc{}
	before := len(r.problems)
	if !r.decodeStrict(file, []byte(front), l) {
		for i := before; i < len(r.problems); i++ {
			if r.problems[i].Line > 0 {
				r.problems[i].Line++ // the front matter starts on line 2
			}
		}
		return nil
	}
	checkLen(r, file, 2, "title", l.Title, 1, 150)
	if l.Minutes == 0 {
		l.Minutes = 10
	}
	if l.Minutes < 1 || l.Minutes > 600 {
		r.add(file, 2, "minutes moet tussen 1 en 600 liggen")
	}
	l.Body = strings.TrimSpace(body) + "\n"
	if strings.TrimSpace(body) == "" {
		r.add(file, strings.Count(front, "\n")+3, "de les heeft geen tekst")
	}
	if len(l.Body) > 200000 {
		r.add(file, 0, "de les is langer dan 200.000 tekens")
	}
	return l
}

func (r *folderReader) readQuiz(file string) *QuizDoc {
	q := &QuizDoc{}
	node, ok := r.readYAML(file, q)
	if !ok {
		return nil
	}
	line := func(key string) int { return lineOf(node, key) }
	checkLen(r, file, line("title"), "title", q.Title, 1, 150)
	if q.PassMark < 1 || q.PassMark > 100 {
		r.add(file, line("pass_mark"), "pass_mark moet tussen 1 en 100 liggen")
	}
	if q.Attempts < 0 {
		r.add(file, line("attempts"), "attempts mag niet negatief zijn (0 is onbeperkt)")
	}
	if q.TimeLimitMinutes < 0 || q.TimeLimitMinutes > 600 {
		r.add(file, line("time_limit_minutes"), "time_limit_minutes moet tussen 0 en 600 liggen")
	}
	if len(q.Questions) == 0 {
		r.add(file, line("questions"), "de toets heeft geen vragen")
	}
	if q.Draw < 0 || q.Draw > len(q.Questions) {
		r.add(file, line("draw"), "draw (%d) moet tussen 0 en het aantal vragen (%d) liggen", q.Draw, len(q.Questions))
	}
	qNodes := childSeq(node, "questions")
	keys := map[string]bool{}
	for i, qd := range q.Questions {
		qline := nodeLine(qNodes, i)
		question, msgs := qd.toQuestion(i)
		if keys[question.Key] {
			msgs = append(msgs, fmt.Sprintf("sleutel %q komt twee keer voor", question.Key))
		}
		keys[question.Key] = true
		msgs = append(msgs, question.Check()...)
		for _, m := range msgs {
			r.add(file, qline, "vraag %d: %s", i+1, m)
		}
	}
	return q
}

// toQuestion turns a question as written into the stored form: keys q1, q2…
// unless given, options a, b, c… in file order.
func (qd QuestionDoc) toQuestion(i int) (Question, []string) {
	var msgs []string
	q := Question{Key: qd.Key, Type: qd.Type, Text: strings.TrimSpace(qd.Text), Feedback: strings.TrimSpace(qd.Feedback),
		Scoring: qd.Scoring, Tolerance: qd.Tolerance, Accepted: qd.Accepted}
	if q.Key == "" {
		q.Key = fmt.Sprintf("q%d", i+1)
	} else if !slugRE.MatchString(q.Key) {
		msgs = append(msgs, fmt.Sprintf("sleutel %q: gebruik kleine letters, cijfers en streepjes", q.Key))
	}
	if q.Type == TypeMultiple && q.Scoring == "" {
		q.Scoring = ScoringPartial
	}
	for j, o := range qd.Options {
		q.Options = append(q.Options, Option{ID: optionID(j), Text: strings.TrimSpace(o.Text), Correct: o.Correct, Feedback: strings.TrimSpace(o.Feedback)})
	}
	if q.Type == TypeOrdering {
		for j := range q.Options {
			q.Options[j].Correct = false
		}
	}
	if qd.Answer.Kind != 0 {
		switch q.Type {
		case TypeTrueFalse:
			var b bool
			if err := qd.Answer.Decode(&b); err != nil {
				msgs = append(msgs, "answer moet true of false zijn")
			} else {
				q.Answer = &b
			}
		case TypeNumeric:
			var f float64
			if err := qd.Answer.Decode(&f); err != nil {
				msgs = append(msgs, "answer moet een getal zijn (met een punt als decimaalteken)")
			} else {
				q.Number = &f
			}
		default:
			msgs = append(msgs, fmt.Sprintf("answer hoort niet bij een vraag van het type %q", q.Type))
		}
	}
	return q, msgs
}

// optionID names the j-th option: a … z, then aa, ab …
func optionID(j int) string {
	if j < 26 {
		return string(rune('a' + j))
	}
	return optionID(j/26-1) + optionID(j%26)
}

// Questions converts the quiz's questions to the stored form (after ReadFolder checked them).
func (q *QuizDoc) StoredQuestions() []Question {
	out := make([]Question, len(q.Questions))
	for i, qd := range q.Questions {
		out[i], _ = qd.toQuestion(i)
	}
	return out
}

// lineOf finds the line of key in a YAML mapping document.
func lineOf(doc *yaml.Node, key string) int {
	m := doc
	if m.Kind == yaml.DocumentNode && len(m.Content) > 0 {
		m = m.Content[0]
	}
	if m.Kind != yaml.MappingNode {
		return 0
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return m.Line
}

// childSeq returns the items of the sequence under key of a mapping node.
func childSeq(n *yaml.Node, key string) []*yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.SequenceNode {
			return n.Content[i+1].Content
		}
	}
	return nil
}

func nodeLine(nodes []*yaml.Node, i int) int {
	if i < len(nodes) {
		return nodes[i].Line
	}
	return 0
}
