package web

import (
	"reflect"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// ErrUnreadableForm is the answer to a form body that does not parse.
var ErrUnreadableForm = apperr.Msg(apperr.ErrInvalid, "Het formulier kon niet worden gelezen. Laad de pagina opnieuw en probeer het nog eens.")

// Bind reads the posted form into form (a pointer to a struct with `form`
// tags), tidies its text and validates it. Every string field is trimmed;
// a field tagged `input:"multiline"` keeps its line breaks (as \n), any
// other field has tabs and line breaks turned into spaces, so a title is
// always one line (runs of spaces become one). It returns ErrUnreadableForm (400) or the validation
// error (422) with a Dutch message per field.
func Bind(c *fiber.Ctx, v *Validator, form any) error {
	if err := c.BodyParser(form); err != nil {
		return ErrUnreadableForm
	}
	Tidy(form)
	return v.Struct(form)
}

// Tidy trims the string fields of the struct form points to, as Bind does.
func Tidy(form any) {
	rv := reflect.ValueOf(form)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return
	}
	rv = rv.Elem()
	rt := rv.Type()
	for i := range rt.NumField() {
		f, fv := rt.Field(i), rv.Field(i)
		if !f.IsExported() {
			continue
		}
		multi := f.Tag.Get("input") == "multiline"
		switch {
		case fv.Kind() == reflect.String:
			fv.SetString(tidyText(fv.String(), multi))
		case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
			for j := range fv.Len() {
				fv.Index(j).SetString(tidyText(fv.Index(j).String(), multi))
			}
		case fv.Kind() == reflect.Struct && f.Anonymous:
			Tidy(fv.Addr().Interface())
		}
	}
}

func tidyText(s string, multiline bool) string {
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		return strings.TrimSpace(strings.ReplaceAll(s, "\r", "\n"))
	}
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// FieldError is the message for one field of a form; Field "" is about the
// form as a whole.
type FieldError struct {
	Field   string
	Message string
}

// FieldErrors are a form's messages in the order of its fields, for the
// error summary and for each field: {{.Errors.For "email"}}.
type FieldErrors []FieldError

// For is the message for field, or "".
func (e FieldErrors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Err is e as a validation error, so a handler can return it.
func (e FieldErrors) Err() error {
	v := &apperr.Validation{}
	for _, fe := range e {
		if fe.Field == "" {
			v.Message = fe.Message
			continue
		}
		v.Add(fe.Field, fe.Message)
	}
	return v.Err()
}

// FieldErrorsOf returns FormErrors of err and true when err is a validation
// error, and false otherwise.
func FieldErrorsOf(err error, form any) (FieldErrors, bool) {
	v, ok := apperr.AsValidation(err)
	if !ok {
		return nil, false
	}
	return FormErrors(v, form), true
}

// FormErrors returns v's messages in the order the fields appear in form (a
// struct or pointer to one with `form` or `json` tags; nil keeps the order
// in which the messages were added), its message about the whole form first.
func FormErrors(v *apperr.Validation, form any) FieldErrors {
	if v == nil {
		return nil
	}
	var out FieldErrors
	if v.Message != "" {
		out = append(out, FieldError{Message: v.Message})
	}
	keys := v.Keys()
	if order := fieldOrder(form); len(order) > 0 {
		pos := func(k string) int {
			name, _, _ := strings.Cut(k, "[")
			name, _, _ = strings.Cut(name, ".")
			if i := slices.Index(order, name); i >= 0 {
				return i
			}
			return len(order)
		}
		slices.SortStableFunc(keys, func(a, b string) int { return pos(a) - pos(b) })
	}
	for _, k := range keys {
		out = append(out, FieldError{Field: k, Message: v.Fields[k]})
	}
	return out
}

// fieldOrder lists the form names of a struct's fields in declaration order.
func fieldOrder(form any) []string {
	if form == nil {
		return nil
	}
	t := reflect.TypeOf(form)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			names = append(names, fieldOrder(reflect.New(f.Type).Interface())...)
			continue
		}
		names = append(names, tagName(f))
	}
	return names
}
