package certify

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// ReminderJob is the name of the scheduled job that sends the expiry
// reminders.
const ReminderJob = "certificate-expiry-reminders"

// reminderDays are the days before expiry at which a holder is reminded,
// farthest first.
var reminderDays = []int{60, 14}

// SendExpiryReminders queues a reminder for every valid certificate that
// expires within 60 days of now, and another within 14 days, to its holder,
// with the way to renew. Each reminder is queued once per certificate and
// threshold however often it runs (the outbox keeps one row per key), and
// a certificate being renewed is not reminded. A certificate first seen
// within 14 days gets only the 14-day reminder. It returns how many
// reminders it queued or found queued.
func (s *Service) SendExpiryReminders(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := inTx(ctx, s.db, func(ctx context.Context, st *store) error {
		for i, days := range reminderDays {
			from := now
			if i+1 < len(reminderDays) {
				from = now.AddDate(0, 0, reminderDays[i+1])
			}
			certs, err := st.expiring(ctx, now, from, now.AddDate(0, 0, days))
			if err != nil {
				return err
			}
			for i := range certs {
				if err := expiryNotice(&certs[i], days, now).send(ctx, st, *certs[i].HolderUserID); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("certify: expiry reminders: %w", err)
	}
	return n, nil
}

// expiryNotice is the reminder of the threshold days for c.
func expiryNotice(c *Certificate, days int, now time.Time) notice {
	left := int(math.Ceil(c.ExpiresAt.Sub(now).Hours() / 24))
	inDays := fmt.Sprintf("over %d dagen", left)
	if left == 1 {
		inDays = "morgen"
	}
	return notice{
		key:     fmt.Sprintf("certify:expiry-%d:%s", days, c.Number),
		subject: fmt.Sprintf("Uw certificaat %s verloopt op %s", c.Number, web.DutchDate(*c.ExpiresAt)),
		body: fmt.Sprintf("Uw certificaat %s (%s) verloopt op %s, %s. Vraag nu verlenging aan: na goedkeuring loopt uw certificering zonder onderbreking door, vanaf de huidige vervaldatum.\n\nNa de vervaldatum is het certificaat niet meer geldig.",
			c.Number, c.Title, web.DutchDate(*c.ExpiresAt), inDays),
		link: "/mijn/certificaten#" + c.Number, action: "Vraag verlenging aan",
	}
}
