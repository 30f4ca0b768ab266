package courses

import (
	"strconv"
	"strings"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// FormValues is what answer decoding needs of a posted form: every value of
// a field, and the names of all fields.
type FormValues interface {
	Values(name string) []string
	Names() []string
}

// DecodeFormAnswers reads the answers of an attempt's form. Field names are
// q_<key> (single, multiple, true/false, numeric, text) and q_<key>_<option>
// with a position (ordering). Fields naming questions outside the attempt,
// or options outside their question, are refused with a Dutch message.
func DecodeFormAnswers(form FormValues, layout []Slot, pool map[string]*Question) (map[string]Answer, error) {
	inLayout := map[string]*Question{}
	for _, s := range layout {
		if q, ok := pool[s.Key]; ok {
			inLayout[s.Key] = q
		}
	}
	v := &apperr.Validation{}
	for _, name := range form.Names() {
		if !strings.HasPrefix(name, "q_") {
			continue
		}
		key := strings.TrimPrefix(name, "q_")
		if q, ok := inLayout[key]; ok && q.Type != TypeOrdering {
			continue
		}
		if k, opt, ok := strings.Cut(key, "_"); ok {
			if q, ok := inLayout[k]; ok && q.Type == TypeOrdering {
				if _, ok := q.option(opt); ok {
					continue
				}
			}
		}
		v.Message = "Het formulier bevat antwoorden op vragen die niet bij deze poging horen."
	}
	if v.Message != "" {
		return nil, v
	}
	out := map[string]Answer{}
	for _, s := range layout {
		q := inLayout[s.Key]
		if q == nil {
			continue
		}
		field := "q_" + s.Key
		first := func() string {
			if vs := form.Values(field); len(vs) > 0 {
				return vs[0]
			}
			return ""
		}
		var a Answer
		switch q.Type {
		case TypeSingle:
			a.Option = first()
		case TypeMultiple:
			for _, id := range form.Values(field) {
				if id != "" {
					a.Options = append(a.Options, id)
				}
			}
		case TypeTrueFalse:
			switch first() {
			case "waar":
				a.Value = ptrBool(true)
			case "onwaar":
				a.Value = ptrBool(false)
			case "":
			default:
				v.Add(field, "Kies waar of niet waar.")
			}
		case TypeNumeric:
			a.Number = strings.TrimSpace(first())
		case TypeText:
			a.Text = strings.TrimSpace(first())
		case TypeOrdering:
			order, msg := decodeOrder(form, field, q)
			if msg != "" {
				v.Add(field, msg)
			}
			a.Order = order
		}
		if msg := a.Validate(q); msg != "" {
			v.Add(field, msg)
		}
		out[s.Key] = a
	}
	if err := v.Err(); err != nil {
		return out, err
	}
	return out, nil
}

// decodeOrder turns the position chosen for each option (1 = first) into
// an order; all blank means unanswered.
func decodeOrder(form FormValues, field string, q *Question) ([]string, string) {
	n := len(q.Options)
	order := make([]string, n)
	blank := 0
	for _, o := range q.Options {
		vs := form.Values(field + "_" + o.ID)
		if len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			blank++
			continue
		}
		pos, err := strconv.Atoi(strings.TrimSpace(vs[0]))
		if err != nil || pos < 1 || pos > n || order[pos-1] != "" {
			return nil, "Geef elk onderdeel een eigen plaats, van 1 tot " + strconv.Itoa(n) + "."
		}
		order[pos-1] = o.ID
	}
	if blank == n {
		return nil, ""
	}
	if blank > 0 {
		return nil, "Geef elk onderdeel een eigen plaats, van 1 tot " + strconv.Itoa(n) + "."
	}
	return order, ""
}

func ptrBool(b bool) *bool { return &b }
