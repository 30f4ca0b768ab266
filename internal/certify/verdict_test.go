package certify

import (
	"strings"
	"testing"
	"time"
)

func TestService_Verdict(t *testing.T) {
	now := time.Date(2027, time.March, 1, 12, 0, 0, 0, time.UTC)
	changed := time.Date(2027, time.February, 10, 9, 0, 0, 0, time.UTC)
	s := testService(now)
	tests := []struct {
		name   string
		modify func(*Certificate)
		status string
		valid  bool
		want   []string
	}{
		{"Valid", func(*Certificate) {}, StatusValid, true,
			[]string{"Dit certificaat is geldig.", "Şükrü Yıldız-van Dijk is gecertificeerd als adviseur volgens de regeling Gecertificeerd Overheid 2.0-adviseur.", "geldig tot 22 november 2029"}},
		{"CourseNeverExpires", func(c *Certificate) {
			c.Kind, c.Title, c.ExpiresAt = KindCourse, "Werken 2.0 — de basis", nil
		}, StatusValid, true, []string{"heeft de cursus Werken 2.0 — de basis met goed gevolg afgerond op 22 november 2026", "Het verloopt niet."}},
		{"Suspended", func(c *Certificate) {
			c.Status, c.StatusReason, c.StatusChangedAt = StatusSuspended, "Lopend onderzoek naar een klacht.", &changed
		}, StatusSuspended, false, []string{"geschorst sinds 10 februari 2027", "op dit moment niet geldig", "Reden: Lopend onderzoek naar een klacht."}},
		{"Revoked", func(c *Certificate) {
			c.Status, c.StatusReason, c.StatusChangedAt = StatusRevoked, "Vervalst bewijs.", &changed
		}, StatusRevoked, false, []string{"ingetrokken op 10 februari 2027", "Reden: Vervalst bewijs."}},
		{"Superseded", func(c *Certificate) {
			c.Status, c.StatusReason, c.SupersededBy = StatusRevoked, "Vervangen door W20-ADV-2027-000004-3 (naamswijziging).", "W20-ADV-2027-000004-3"
		}, "superseded", false, []string{"vervangen door certificaat W20-ADV-2027-000004-3"}},
		{"Expired", func(c *Certificate) {
			e := now.Add(-24 * time.Hour)
			c.ExpiresAt = &e
		}, StatusExpired, false, []string{"verlopen op 28 februari 2027", "niet meer geldig"}},
		{"SuspendedAndExpired", func(c *Certificate) {
			e := now.Add(-time.Hour)
			c.ExpiresAt, c.Status, c.StatusReason = &e, StatusSuspended, "Onderzoek."
		}, StatusExpired, false, []string{"verlopen"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCertificate()
			tt.modify(c)
			v := s.Verdict(c, now)
			if v.Status != tt.status || v.Valid != tt.valid {
				t.Errorf("status %s valid %v, want %s %v", v.Status, v.Valid, tt.status, tt.valid)
			}
			for _, w := range tt.want {
				if !strings.Contains(v.Sentence, w) {
					t.Errorf("sentence lacks %q: %s", w, v.Sentence)
				}
			}
		})
	}
}
