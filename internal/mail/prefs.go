package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"
)

// OptedOut returns the optional topics userID turned off.
func OptedOut(ctx context.Context, db bun.IDB, userID int64) (map[Topic]bool, error) {
	var topics []string
	if err := db.NewSelect().Table("mail_optouts").Column("topic").Where("user_id = ?", userID).Scan(ctx, &topics); err != nil {
		return nil, fmt.Errorf("mail: opt-outs of %d: %w", userID, err)
	}
	out := make(map[Topic]bool, len(topics))
	for _, t := range topics {
		out[Topic(t)] = true
	}
	return out, nil
}

// SetOptedOut records which optional topics userID turned off (every
// optional topic not in off is on). Topics that cannot be turned off are
// ignored.
func SetOptedOut(ctx context.Context, db bun.IDB, userID int64, off map[Topic]bool) error {
	var topics []string
	for _, t := range OptionalTopics {
		if off[t] {
			topics = append(topics, string(t))
		}
	}
	q := db.NewDelete().Table("mail_optouts").Where("user_id = ?", userID)
	if len(topics) > 0 {
		q = q.Where("topic NOT IN (?)", bun.List(topics))
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("mail: clear opt-outs of %d: %w", userID, err)
	}
	for _, t := range topics {
		if _, err := db.NewRaw("INSERT INTO mail_optouts (user_id, topic) VALUES (?, ?) ON CONFLICT DO NOTHING", userID, t).Exec(ctx); err != nil {
			return fmt.Errorf("mail: opt out %d of %s: %w", userID, t, err)
		}
	}
	return nil
}

// errNoRecipient and errOptedOut are why a mail is skipped.
var (
	errNoRecipient = errors.New("het account van de ontvanger bestaat niet meer")
	errOptedOut    = errors.New("de ontvanger heeft deze e-mails uitgezet")
)

// wanted reports nil when the notice may go to its recipient, and why not
// otherwise: their account is gone, or they turned its topic off.
func wanted(ctx context.Context, db bun.IDB, n Notice) error {
	if n.UserID == 0 {
		return nil
	}
	var off bool
	err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM mail_optouts WHERE user_id = u.id AND topic = ?) FROM users u WHERE u.id = ?`,
		string(n.Topic), n.UserID).Scan(ctx, &off)
	if errors.Is(err, sql.ErrNoRows) {
		return errNoRecipient
	}
	if err != nil {
		return fmt.Errorf("mail: recipient %d: %w", n.UserID, err)
	}
	if off && n.Topic.Optional() {
		return fmt.Errorf("%w (%s)", errOptedOut, n.Topic.Label())
	}
	return nil
}
