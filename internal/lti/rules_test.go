package lti

import (
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
)

// The scores endpoint of a line item keeps its query (Moodle's carry the
// tool type) and does not double a slash.
func TestScoresURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://moodle.example/mod/lti/services.php/2/lineitems/7/lineitem?type_id=1": "https://moodle.example/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=1",
		"https://canvas.example/api/lti/courses/1/line_items/9":                        "https://canvas.example/api/lti/courses/1/line_items/9/scores",
		"https://lms.example/lineitems/9/":                                             "https://lms.example/lineitems/9/scores",
	} {
		if got, err := scoresURL(in); err != nil || got != want {
			t.Errorf("scoresURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// A course's result: the mean of the best quiz scores (a quiz not taken
// counts 0), or for a course without quizzes the share read.
func TestCourseScore(t *testing.T) {
	o := &courses.Outline{Items: []*courses.OutlineItem{{Item: courses.Item{ID: 1, Kind: courses.KindLesson}}, {Item: courses.Item{ID: 2, Kind: courses.KindQuiz}}, {Item: courses.Item{ID: 3, Kind: courses.KindQuiz}}}}
	p := &courses.Progress{Read: map[int64]bool{1: true}, Passed: map[int64]bool{2: true}, BestScore: map[int64]float64{2: 80}}
	if s, done, total := courseScore(o, p); s != 40 || done != 2 || total != 3 {
		t.Fatalf("score %v, %d of %d", s, done, total)
	}
	lessons := &courses.Outline{Items: []*courses.OutlineItem{{Item: courses.Item{ID: 1, Kind: courses.KindLesson}}, {Item: courses.Item{ID: 4, Kind: courses.KindLesson}}, {Item: courses.Item{ID: 5, Kind: courses.KindLesson}}}}
	if s, _, _ := courseScore(lessons, p); s != 33.33 {
		t.Fatalf("lessons only: %v", s)
	}
	now := time.Now()
	p.CompletedAt = &now
	if s, _, _ := courseScore(lessons, p); s != 100 {
		t.Fatalf("completed: %v", s)
	}
}

func TestRoles(t *testing.T) {
	cases := []struct {
		roles            []string
		teacher, learner bool
	}{
		{[]string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"}, false, true},
		{[]string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"}, true, false},
		{[]string{"http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator"}, true, false},
		{[]string{"http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper", "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"}, true, true},
		{[]string{"Instructor"}, true, false},
		{[]string{}, false, true},
		{[]string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"}, false, true},
	}
	for _, c := range cases {
		if isTeacher(c.roles) != c.teacher || isLearner(c.roles) != c.learner {
			t.Errorf("%v: teacher %v learner %v", c.roles, isTeacher(c.roles), isLearner(c.roles))
		}
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"  Jan \t Jansen\n": "Jan Jansen",
		"a\x00b\u0085c":     "a b c",
		"\xffé":             "é",
	} {
		if got := cleanText(in, 120); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanText("ééééé", 3); got != "ééé" {
		t.Errorf("cut: %q", got)
	}
}
