package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"time"

	"github.com/gofiber/template/html/v2"
)

// NewEngine parses the templates in fsys once, with the functions every
// template may use, and reports a broken template at start rather than on
// first use.
func NewEngine(fsys fs.FS, funcs template.FuncMap) (*html.Engine, error) {
	e := html.NewFileSystem(http.FS(fsys), ".html")
	e.AddFuncMap(template.FuncMap{
		"datum":      func(t any) string { return DutchDate(timeOf(t)) },
		"datumtijd":  func(t any) string { return DutchDateTime(timeOf(t)) },
		"deref":      func(b *bool) bool { return b != nil && *b },
		"dict":       dict,
		"add":        func(a, b int) int { return a + b },
		"sub":        func(a, b int) int { return a - b },
		"csrfField":  func() string { return CSRFField },
		"percentage": func(part, whole int) int { return Percent(part, whole) },
	})
	e.AddFuncMap(funcs)
	if err := e.Load(); err != nil {
		return nil, fmt.Errorf("web: load templates: %w", err)
	}
	return e, nil
}

// Percent is part/whole as a whole percentage, 0 when whole is 0.
func Percent(part, whole int) int {
	if whole <= 0 {
		return 0
	}
	return part * 100 / whole
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

var dutchMonths = [...]string{"januari", "februari", "maart", "april", "mei", "juni", "juli",
	"augustus", "september", "oktober", "november", "december"}

// Amsterdam is the time zone dates are shown in.
var Amsterdam = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return l
	}
	return time.FixedZone("CET", 3600)
}()

// DutchDate formats t as "22 november 2026" in Dutch time; "" for zero.
func DutchDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Amsterdam)
	return fmt.Sprintf("%d %s %d", t.Day(), dutchMonths[t.Month()-1], t.Year())
}

// DutchDateTime formats t as "22 november 2026, 14:05".
func DutchDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return DutchDate(t) + ", " + t.In(Amsterdam).Format("15:04")
}

// timeOf accepts a time or a pointer to one (nil is the zero time), so
// templates can format optional dates.
func timeOf(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case *time.Time:
		if t != nil {
			return *t
		}
	}
	return time.Time{}
}
