// Package mail tells people what happened by e-mail. A domain queues a
// Notice in the transaction of the event it is about (an approval and its
// mail commit together or not at all); the outbox delivers it.
package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/outbox"
)

// Kind is the outbox kind of a mail.
const Kind = "mail"

// Topic is what a mail is about, for the recipient's preferences.
type Topic string

// Topics. TopicAccount mails (verification, password reset, security
// warnings) are needed for the service and always sent.
const (
	TopicAccount       Topic = "account"
	TopicCertification Topic = "certificering"
	TopicCatalogue     Topic = "gids"
	TopicPilots        Topic = "proefprojecten"
)

// Notice is one mail to one person, in Dutch.
type Notice struct {
	// Key names the event and the recipient ("cert-issued:W20-…:user:12");
	// the same key is queued once, however often the event is retried.
	Key     string `json:"key"`
	UserID  int64  `json:"user_id,omitempty"` // the recipient's account, when they have one
	To      string `json:"to"`                // the recipient's address
	ToName  string `json:"to_name,omitempty"`
	Topic   Topic  `json:"topic"`
	Subject string `json:"subject"`
	Body    string `json:"body"`             // paragraphs separated by blank lines
	Link    string `json:"link,omitempty"`   // path of the page concerned: /certificering/aanvragen/12
	Action  string `json:"action,omitempty"` // the link's text: "Bekijk uw aanvraag"
	// Links are further links shown under the main one, such as "Inloggen"
	// beside "Nieuw wachtwoord instellen".
	Links []Link `json:"links,omitempty"`
}

// Link is a link in a mail: a path on the site (or an absolute URL) and
// its text.
type Link struct {
	Path string `json:"path"`
	Text string `json:"text"`
}

// OptionalTopics are the topics a user can turn off, in the order the
// account page shows them.
var OptionalTopics = []Topic{TopicCertification, TopicCatalogue, TopicPilots}

// Label is the Dutch name of the topic, as the account page and a mail's
// footer show it.
func (t Topic) Label() string {
	switch t {
	case TopicAccount:
		return "uw account"
	case TopicCertification:
		return "certificering (aanvragen, besluiten, verlopende certificaten)"
	case TopicCatalogue:
		return "de Gouden Gids (reviews, reacties, uw vermelding)"
	case TopicPilots:
		return "proefprojecten (voorstellen en reacties)"
	}
	return string(t)
}

// Optional reports whether a user may turn the topic off.
func (t Topic) Optional() bool { return slices.Contains(OptionalTopics, t) }

// Queue writes n to the outbox on db, which should be the transaction of
// the event the mail is about.
func Queue(ctx context.Context, db bun.IDB, n Notice) error {
	if n.Key == "" || n.To == "" || n.Subject == "" || n.Topic == "" {
		return fmt.Errorf("mail: queue %q: %w", n.Key, errIncomplete)
	}
	return outbox.Enqueue(ctx, db, Kind, n.Key, n)
}

var errIncomplete = errors.New("a notice needs a key, an address, a topic and a subject")
