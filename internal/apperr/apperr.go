// Package apperr holds the kinds of domain error that every package shares,
// so one central web error handler can map them to HTTP statuses without
// knowing the domains. Domains wrap these kinds with their own sentinels:
//
//	var ErrNotFound = fmt.Errorf("courses: %w", apperr.ErrNotFound)
package apperr

import (
	"errors"
	"sort"
	"strings"
)

// The kinds of error. The message of each is Dutch, since it may reach a user
// when nothing more specific is said.
var (
	ErrNotFound     = errors.New("niet gevonden")
	ErrForbidden    = errors.New("geen toegang")
	ErrUnauthorized = errors.New("niet ingelogd")
	ErrConflict     = errors.New("conflict met de huidige toestand")
	ErrTooMany      = errors.New("te veel verzoeken")
	// ErrInvalid is a request that cannot be read at all (a form or JSON
	// body that does not parse, a NUL byte, invalid UTF-8): 400. Input that
	// parses but breaks a rule is a Validation (422).
	ErrInvalid = errors.New("ongeldig verzoek")
	// ErrUnavailable is a dependency that is down for now (the database
	// restarting): 503, try again shortly.
	ErrUnavailable = errors.New("tijdelijk niet beschikbaar")
)

// Validation is a failed check of user input: field name → Dutch message.
// Its Message, when set, is a message about the input as a whole.
type Validation struct {
	Message string
	Fields  map[string]string
	order   []string // the fields in the order their messages were added
}

// NewValidation returns a Validation with one field message.
func NewValidation(field, msg string) *Validation {
	v := &Validation{}
	v.Add(field, msg)
	return v
}

func (v *Validation) Error() string {
	if v.Message != "" && len(v.Fields) == 0 {
		return v.Message
	}
	keys := v.Keys()
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+v.Fields[k])
	}
	if v.Message != "" {
		return v.Message + " (" + strings.Join(parts, "; ") + ")"
	}
	return strings.Join(parts, "; ")
}

// Add records msg for field unless the field already has a message.
func (v *Validation) Add(field, msg string) {
	if v.Fields == nil {
		v.Fields = map[string]string{}
	}
	if _, ok := v.Fields[field]; !ok {
		v.Fields[field] = msg
		v.order = append(v.order, field)
	}
}

// Keys are the fields with a message, in the order they were added; fields
// set directly in the map come after them, sorted.
func (v *Validation) Keys() []string {
	keys := make([]string, 0, len(v.Fields))
	seen := make(map[string]bool, len(v.Fields))
	for _, k := range v.order {
		if _, ok := v.Fields[k]; ok && !seen[k] {
			keys, seen[k] = append(keys, k), true
		}
	}
	var rest []string
	for k := range v.Fields {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}

// Err returns v when it holds any message and nil otherwise, so callers can
// collect messages and return v.Err().
func (v *Validation) Err() error {
	if v == nil || (v.Message == "" && len(v.Fields) == 0) {
		return nil
	}
	return v
}

// AsValidation reports whether err is (or wraps) a Validation.
func AsValidation(err error) (*Validation, bool) {
	var v *Validation
	ok := errors.As(err, &v)
	return v, ok
}

// Message is an error carrying a specific Dutch message for the user, wrapping
// one of the kinds: Message{Kind: ErrConflict, Text: "Deze poging is al ingeleverd."}.
type Message struct {
	Kind error
	Text string
}

func (m *Message) Error() string { return m.Text }
func (m *Message) Unwrap() error { return m.Kind }

// Msg returns a Message error of kind with Dutch text.
func Msg(kind error, text string) error { return &Message{Kind: kind, Text: text} }

// UserText is the Dutch message to show for err, or fallback when err
// carries none.
func UserText(err error, fallback string) string {
	var m *Message
	if errors.As(err, &m) {
		return m.Text
	}
	return fallback
}
