package web

import (
	"errors"
	"reflect"
	"strings"

	"github.com/go-playground/locales/nl"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	nltrans "github.com/go-playground/validator/v10/translations/nl"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Validator checks structs with validator tags and gives Dutch messages,
// keyed by the field's form (or json) name. Field names in messages come from
// the `label` tag, so a message reads "E-mailadres is een verplicht veld".
type Validator struct {
	v     *validator.Validate
	trans ut.Translator
}

// NewValidator builds the validator with the Dutch translations.
func NewValidator() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if l := f.Tag.Get("label"); l != "" {
			return l
		}
		return f.Name
	})
	loc := nl.New()
	trans, _ := ut.New(loc, loc).GetTranslator("nl")
	if err := nltrans.RegisterDefaultTranslations(v, trans); err != nil {
		panic("web: register Dutch validator messages: " + err.Error())
	}
	override := map[string]string{
		"email":    "{0} is geen geldig e-mailadres",
		"required": "{0} is verplicht",
	}
	for tag, text := range override {
		_ = v.RegisterTranslation(tag, trans, func(u ut.Translator) error {
			return u.Add(tag, text, true)
		}, func(u ut.Translator, fe validator.FieldError) string {
			t, _ := u.T(fe.Tag(), fe.Field())
			return t
		})
	}
	return &Validator{v: v, trans: trans}
}

// Struct validates s (a pointer to a struct) and returns an
// *apperr.Validation with one Dutch message per invalid field, or nil.
func (x *Validator) Struct(s any) error {
	err := x.v.Struct(s)
	if err == nil {
		return nil
	}
	var fes validator.ValidationErrors
	if !errors.As(err, &fes) {
		return err
	}
	t := reflect.TypeOf(s)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	out := &apperr.Validation{}
	for _, fe := range fes {
		out.Add(fieldKey(t, fe.StructNamespace()), fe.Translate(x.trans))
	}
	return out
}

// fieldKey turns "Form.Email" into the field's form or json name ("email"),
// following nested structs; indexes keep their Go spelling.
func fieldKey(t reflect.Type, ns string) string {
	parts := strings.Split(ns, ".")[1:]
	keys := make([]string, 0, len(parts))
	for _, p := range parts {
		name, idx, _ := strings.Cut(p, "[")
		f, ok := t.FieldByName(name)
		if !ok {
			keys = append(keys, p)
			continue
		}
		key := tagName(f)
		if idx != "" {
			key += "[" + idx
		}
		keys = append(keys, key)
		t = f.Type
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
	}
	return strings.Join(keys, ".")
}

func tagName(f reflect.StructField) string {
	for _, tag := range []string{"form", "json"} {
		if n, _, _ := strings.Cut(f.Tag.Get(tag), ","); n != "" && n != "-" {
			return n
		}
	}
	return f.Name
}
