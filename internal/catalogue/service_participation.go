package catalogue

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// MaxParticipants is how many addresses one participant list may hold.
const MaxParticipants = 1000

// ParticipantList is what a provider sends to register participants: a
// pasted list of work e-mail addresses and/or an uploaded CSV file (every
// cell with an address counts), and optionally the day they took part.
type ParticipantList struct {
	Emails     string
	CSV        []byte
	TookPartOn string
}

// parse returns the distinct lower-case addresses and the day, or a
// validation error naming what could not be read.
func (l ParticipantList) parse(now time.Time) ([]string, *time.Time, error) {
	v := &apperr.Validation{}
	var cells []string
	cells = append(cells, strings.FieldsFunc(l.Emails, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})...)
	if len(l.CSV) > 0 {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(l.CSV, []byte("\uFEFF"))))
		r.FieldsPerRecord = -1
		r.LazyQuotes = true
		if bytes.Count(l.CSV[:min(len(l.CSV), 4096)], []byte(";")) > bytes.Count(l.CSV[:min(len(l.CSV), 4096)], []byte(",")) {
			r.Comma = ';'
		}
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				v.Add("csv", "Het CSV-bestand kon niet worden gelezen. Sla het op als CSV (puntkomma- of kommagescheiden) en probeer het opnieuw.")
				break
			}
			for _, c := range rec {
				if strings.Contains(c, "@") {
					cells = append(cells, strings.TrimSpace(c))
				}
			}
		}
	}
	var emails, bad []string
	for _, c := range cells {
		c = strings.Trim(strings.TrimSpace(c), "<>\"'")
		if c == "" {
			continue
		}
		a, err := mail.ParseAddress(c)
		if err != nil || a.Address != c || len(c) > 254 || !strings.Contains(c[strings.LastIndex(c, "@"):], ".") {
			bad = append(bad, c)
			continue
		}
		if e := strings.ToLower(c); !slices.Contains(emails, e) {
			emails = append(emails, e)
		}
	}
	switch {
	case len(bad) > 0:
		v.Add("emails", fmt.Sprintf("Geen geldig e-mailadres: %s. Verbeter of verwijder %s.", strings.Join(quoteAll(bad[:min(len(bad), 5)]), ", "),
			map[bool]string{true: "dit adres", false: "deze adressen"}[len(bad) == 1]))
	case len(emails) == 0 && v.Err() == nil:
		v.Add("emails", "Vul minstens één e-mailadres in, of kies een CSV-bestand met e-mailadressen.")
	case len(emails) > MaxParticipants:
		v.Add("emails", fmt.Sprintf("Stuur hoogstens %d adressen tegelijk; deze lijst heeft er %d.", MaxParticipants, len(emails)))
	}
	var on *time.Time
	if s := strings.TrimSpace(l.TookPartOn); s != "" {
		d, ok := parseDate(s)
		switch {
		case !ok:
			v.Add("took_part_on", "Schrijf de datum als 2026-03-15 of 15-3-2026.")
		case d.After(now):
			v.Add("took_part_on", "Deze datum ligt in de toekomst; registreer deelnemers nadat zij hebben deelgenomen.")
		default:
			on = &d
		}
	}
	return emails, on, v.Err()
}

// parseDate reads 2026-03-15 or 15-3-2026, between 2000 and 2100.
func parseDate(s string) (time.Time, bool) {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		d, err = time.Parse("2-1-2006", s)
	}
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return time.Time{}, false
	}
	return d, true
}

// RegisterParticipants records the addresses of l as participants of o
// (an offering its owner loaded), once per address however often the
// list is sent, and asks each new participant to confirm. It returns how
// many addresses were new and how many were registered before.
func (s *Service) RegisterParticipants(ctx context.Context, user int64, o *Offering, l ParticipantList) (added, known int, err error) {
	emails, on, err := l.parse(s.Now())
	if err != nil {
		return 0, 0, err
	}
	if o.Provider == nil {
		if o, err = s.st.offering(ctx, o.ID); err != nil {
			return 0, 0, err
		}
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		fresh, err := st.addParticipations(ctx, o.ID, user, emails, on)
		if err != nil {
			return err
		}
		added, known = len(fresh), len(emails)-len(fresh)
		for _, e := range fresh {
			if err := s.noticeParticipation(ctx, tx, o, e); err != nil {
				return err
			}
		}
		return nil
	})
	return added, known, err
}

// Participants lists the participants registered for o (loaded by its owner).
func (s *Service) Participants(ctx context.Context, o *Offering) ([]Participation, error) {
	return s.st.participationsOf(ctx, o.ID)
}

// MyParticipations lists the participations registered under v's address.
func (s *Service) MyParticipations(ctx context.Context, v Actor) ([]Participation, error) {
	return s.st.participationsFor(ctx, v.ID, v.Email)
}

// AnswerParticipation confirms or declines, for v, a participation
// registered under v's own address; someone else's is ErrNotFound. A
// confirmation makes v's review of the offering verified and tells the
// provider. Answering again changes nothing.
func (s *Service) AnswerParticipation(ctx context.Context, v Actor, id int64, confirm bool) (*Participation, error) {
	p, err := s.st.participation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(p.Email, v.Email) && (p.UserID == nil || *p.UserID != v.ID) {
		return nil, ErrNotFound
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := newStore(tx)
		changed, err := st.answerParticipation(ctx, id, v.ID, confirm)
		if err != nil || !changed || !confirm {
			return err
		}
		if err := st.markVerified(ctx, p.OfferingID, v.ID); err != nil {
			return err
		}
		o, err := st.offering(ctx, p.OfferingID)
		if err != nil {
			return err
		}
		return s.noticeConfirmed(ctx, tx, st, o, p, v)
	})
	if err != nil {
		return nil, err
	}
	s.facets.clear()
	return s.st.participation(ctx, id)
}

// OpenParticipations counts the participations waiting for v's answer.
func (s *Service) OpenParticipations(ctx context.Context, v Actor) (int, error) {
	return s.st.openParticipationCount(ctx, v.Email)
}
