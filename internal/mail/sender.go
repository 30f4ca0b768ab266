package mail

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"
	gomail "github.com/wneessen/go-mail"

	"github.com/ambtenaar20/leeromgeving/internal/outbox"
)

// SMTP is the server mail is handed to, read from a URL such as
// smtp://user:password@host:587 (STARTTLS when the server offers it) or
// smtps://user:password@host:465 (TLS from the start).
type SMTP struct {
	Host     string
	Port     int
	Implicit bool // smtps: TLS from the first byte
	User     string
	Password string
}

// ParseSMTPURL reads an smtp:// or smtps:// URL.
func ParseSMTPURL(raw string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return SMTP{}, fmt.Errorf("mail: %q is geen smtp:// of smtps:// adres zoals smtp://gebruiker:wachtwoord@mail.example.nl:587", redact(raw))
	}
	s := SMTP{Host: u.Hostname(), Implicit: u.Scheme == "smtps", Port: 587}
	if s.Implicit {
		s.Port = 465
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTP{}, fmt.Errorf("mail: poort %q in het SMTP-adres is ongeldig", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// String is the server without its password, for logs and pages.
func (s SMTP) String() string {
	scheme := "smtp"
	if s.Implicit {
		scheme = "smtps"
	}
	user := ""
	if s.User != "" {
		user = s.User + "@"
	}
	return fmt.Sprintf("%s://%s%s", scheme, user, net.JoinHostPort(s.Host, strconv.Itoa(s.Port)))
}

func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		return u.String()
	}
	return raw
}

// Sender delivers the outbox's mail rows over SMTP, one connection per
// mail, skipping those the recipient does not want.
type Sender struct {
	db       bun.IDB
	server   SMTP
	from     *mail.Address
	render   Renderer
	msgIDDom string
	// TLS is the TLS configuration for STARTTLS and smtps; nil verifies the
	// server against the system's roots.
	TLS *tls.Config
	// Timeout bounds every step of the SMTP conversation.
	Timeout time.Duration
}

// NewSender returns a sender through server, from the address from
// ("Leeromgeving <noreply@example.nl>" or a bare address), rendering links
// for baseURL. It reads recipients' preferences on db.
func NewSender(db bun.IDB, server SMTP, from, baseURL string) (*Sender, error) {
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: afzender %q is geen geldig e-mailadres: %w", from, err)
	}
	if addr.Name == "" {
		addr.Name = SiteName
	}
	host := "leeromgeving.invalid"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return &Sender{db: db, server: server, from: addr, render: Renderer{BaseURL: baseURL}, msgIDDom: host, Timeout: 30 * time.Second}, nil
}

// MessageID is the Message-ID of the mail in outbox row id with dedupe key
// key: the same row always gets the same one, so a mail repeated after a
// crash between the server's acceptance and our record of it can be
// recognised by the receiving side.
func MessageID(id int64, key, domain string) string {
	h := sha256.Sum256([]byte(key))
	return fmt.Sprintf("outbox-%d.%s@%s", id, hex.EncodeToString(h[:6]), domain)
}

// Deliver sends the mail of row. A mail the recipient does not want is
// skipped (outbox.Skip); a refused address or an unreadable row fails for
// good (outbox.Permanent); anything else is tried again later.
func (s *Sender) Deliver(ctx context.Context, row outbox.Row) error {
	var n Notice
	if err := json.Unmarshal(row.Payload, &n); err != nil {
		return outbox.Permanent(fmt.Errorf("mail: row %d is not a notice: %w", row.ID, err))
	}
	if err := wanted(ctx, s.db, n); err != nil {
		if errors.Is(err, errNoRecipient) || errors.Is(err, errOptedOut) {
			return outbox.Skip(err)
		}
		return err
	}
	msg, err := s.Message(row.ID, n)
	if err != nil {
		return outbox.Permanent(err)
	}
	return s.send(ctx, msg)
}

// Message builds the MIME message of notice n in row id: plain text with
// an HTML alternative, UTF-8, and the row's Message-ID.
func (s *Sender) Message(id int64, n Notice) (*gomail.Msg, error) {
	m, err := s.render.Render(n)
	if err != nil {
		return nil, err
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	if err := msg.FromFormat(s.from.Name, s.from.Address); err != nil {
		return nil, fmt.Errorf("mail: sender address: %w", err)
	}
	if err := msg.AddToFormat(n.ToName, n.To); err != nil {
		return nil, fmt.Errorf("mail: recipient %q: %w", n.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(MessageID(id, n.Key, s.msgIDDom))
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return msg, nil
}

func (s *Sender) client() (*gomail.Client, error) {
	tc := s.TLS
	if tc == nil {
		tc = &tls.Config{ServerName: s.server.Host, MinVersion: tls.VersionTLS12}
	}
	opts := []gomail.Option{gomail.WithPort(s.server.Port), gomail.WithTimeout(s.Timeout), gomail.WithTLSConfig(tc)}
	if s.server.Implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.server.User != "" {
		// PLAIN and LOGIN only over TLS or to this machine (go-mail refuses
		// them elsewhere); challenge mechanisms first.
		opts = append(opts, gomail.WithUsername(s.server.User), gomail.WithPassword(s.server.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5,
				gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
	}
	c, err := gomail.NewClient(s.server.Host, opts...)
	if err != nil {
		return nil, outbox.Permanent(fmt.Errorf("mail: smtp client: %w", err))
	}
	return c, nil
}

// send hands msg to the server. Once the server has accepted the message,
// an error while saying goodbye does not count: trying again would send it
// twice.
func (s *Sender) send(ctx context.Context, msg *gomail.Msg) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("mail: verbinden met %s: %w", s.server, err)
	}
	err = c.SendWithSMTPClient(conn, msg)
	_ = c.CloseWithSMTPClient(conn)
	if err == nil {
		return nil
	}
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return outbox.Permanent(fmt.Errorf("mail: %s weigert: %w", s.server, err))
	}
	return fmt.Errorf("mail: versturen via %s: %w", s.server, err)
}

// Describe says in Dutch where mail goes, for the start-up message.
func (s *Sender) Describe() string {
	return fmt.Sprintf("e-mail wordt verstuurd via %s als %s", s.server, strings.TrimSpace(s.from.String()))
}

// Server is the SMTP server mail goes to, without its password.
func (s *Sender) Server() string { return s.server.String() }

// DefaultFrom is the sender's address when none is configured: noreply at
// the site's host.
func DefaultFrom(baseURL string) string {
	host := "localhost"
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return SiteName + " <noreply@" + host + ">"
}
