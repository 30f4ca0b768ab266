package mail_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/mail"
	"github.com/ambtenaar20/leeromgeving/internal/outbox"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// received is one message as the SMTP server got it.
type received struct {
	From string
	To   []string
	Data []byte
}

// smtpServer is a real SMTP server (emersion/go-smtp) in the test process.
type smtpServer struct {
	mu       sync.Mutex
	msgs     []received
	user     string // when set, AUTH PLAIN with user and password is required
	password string
	refuse   string // a recipient refused with 550
	srv      *smtp.Server
	Addr     string
}

func startSMTP(t *testing.T, addr string) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	s.listen(t, addr)
	return s
}

func (s *smtpServer) listen(t *testing.T, addr string) {
	t.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.Addr = ln.Addr().String()
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { _ = s.srv.Close() })
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

type session struct {
	s      *smtpServer
	authed bool
	from   string
	to     []string
}

func (x *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != x.s.user || password != x.s.password {
			return errors.New("invalid credentials")
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.user != "" && !x.authed {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if to == x.s.refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, received{From: x.from, To: x.to, Data: b})
	x.s.mu.Unlock()
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

const base = "https://leren.example.nl"

// newWorker returns an outbox worker that delivers mail through the
// server at addr, as server.New wires it.
func newWorker(t *testing.T, db *bun.DB, url string) (*outbox.Worker, *mail.Sender) {
	t.Helper()
	server, err := mail.ParseSMTPURL(url)
	if err != nil {
		t.Fatal(err)
	}
	snd, err := mail.NewSender(db, server, "Leeromgeving Werken 2.0 <noreply@leren.example.nl>", base)
	if err != nil {
		t.Fatal(err)
	}
	snd.Timeout = 5 * time.Second
	w := outbox.NewWorker(db, quiet)
	w.Handle(mail.Kind, snd.Deliver)
	return w, snd
}

func queue(t *testing.T, db bun.IDB, n mail.Notice) int64 {
	t.Helper()
	if err := mail.Queue(context.Background(), db, n); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.NewRaw("SELECT id FROM outbox WHERE dedupe_key = ?", n.Key).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func state(t *testing.T, db *bun.DB, id int64) (st string, attempts int, lastErr string) {
	t.Helper()
	if err := db.NewRaw("SELECT state, attempts, last_error FROM outbox WHERE id = ?", id).Scan(context.Background(), &st, &attempts, &lastErr); err != nil {
		t.Fatal(err)
	}
	return
}

// parsed is a received message read the way a mail program reads it.
type parsed struct {
	Header     netmail.Header
	Subject    string
	Text, HTML string
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := netmail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("not a mail message: %v\n%s", err, data)
	}
	p := parsed{Header: m.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q (%v), want multipart/alternative", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = part
		if part.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			r = quotedprintable.NewReader(part)
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		ct, cp, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if cp["charset"] != "UTF-8" {
			t.Errorf("part %s has charset %q", ct, cp["charset"])
		}
		switch ct {
		case "text/plain":
			p.Text = string(body)
		case "text/html":
			p.HTML = string(body)
		}
	}
	return p
}

// A mail goes through a real SMTP conversation: the envelope, a subject
// with non-ASCII letters encoded, a plain text and an HTML part that both
// carry the absolute link, and the row's own Message-ID.
func TestSender_DeliversOverSMTP(t *testing.T) {
	db := testdb.New(t)
	srv := startSMTP(t, "")
	srv.user, srv.password = "post", "geheim wachtwoord"
	w, _ := newWorker(t, db, "smtp://post:geheim%20wachtwoord@"+srv.Addr)
	id := queue(t, db, mail.Notice{
		Key: "test:approved:1", To: "sukru@utrecht.example", ToName: "Şükrü Yıldız", Topic: mail.TopicCertification,
		Subject: "Uw aanvraag is goedgekeurd – Şükrü",
		Body:    "Uw aanvraag voor de regeling Adviseur Werken 2.0 is goedgekeurd.\n\nUw certificaat staat klaar.",
		Link:    "/certificering/aanvragen/12", Action: "Bekijk uw aanvraag",
	})
	if n, err := w.RunOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("delivered %d (%v)", n, err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages", len(msgs))
	}
	if msgs[0].From != "noreply@leren.example.nl" || len(msgs[0].To) != 1 || msgs[0].To[0] != "sukru@utrecht.example" {
		t.Errorf("envelope from %q to %v", msgs[0].From, msgs[0].To)
	}
	p := parse(t, msgs[0].Data)
	if p.Subject != "Uw aanvraag is goedgekeurd – Şükrü" {
		t.Errorf("subject = %q", p.Subject)
	}
	if raw := p.Header.Get("Subject"); !strings.HasPrefix(raw, "=?UTF-8?") {
		t.Errorf("subject not encoded: %q", raw)
	}
	to, err := p.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Şükrü Yıldız" || to[0].Address != "sukru@utrecht.example" {
		t.Errorf("To = %v (%v)", to, err)
	}
	if got, want := p.Header.Get("Message-Id"), "<"+mail.MessageID(id, "test:approved:1", "leren.example.nl")+">"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	link := base + "/certificering/aanvragen/12"
	for name, part := range map[string]string{"text": p.Text, "html": p.HTML} {
		if !strings.Contains(part, link) || !strings.Contains(part, "Beste Şükrü Yıldız,") || !strings.Contains(part, "is goedgekeurd") {
			t.Errorf("%s part lacks the link, greeting or body:\n%s", name, part)
		}
	}
	if !strings.Contains(p.HTML, `href="`+link+`"`) || !strings.Contains(p.HTML, "/mijn/account#meldingen") {
		t.Errorf("HTML part has no link to the page or the preferences:\n%s", p.HTML)
	}
	if st, attempts, _ := state(t, db, id); st != outbox.StateSent || attempts != 1 {
		t.Errorf("row %s after %d attempts, want sent", st, attempts)
	}
	if n, _ := w.RunOnce(context.Background()); n != 0 || len(srv.messages()) != 1 {
		t.Errorf("a sent mail was delivered again")
	}
}

// Two app instances deliver from the same outbox at once: every mail
// arrives exactly once.
func TestSender_TwoInstancesDeliverEachMailOnce(t *testing.T) {
	db := testdb.New(t)
	srv := startSMTP(t, "")
	for i := range 30 {
		queue(t, db, mail.Notice{Key: "twice:" + string(rune('a'+i)), To: "lotte@utrecht.example", Topic: mail.TopicAccount,
			Subject: "Mail " + string(rune('a'+i)), Body: "Tekst."})
	}
	var wg sync.WaitGroup
	for range 2 {
		w, _ := newWorker(t, db, "smtp://"+srv.Addr)
		wg.Go(func() {
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[string]int{}
	for _, m := range srv.messages() {
		seen[parse(t, m.Data).Header.Get("Message-Id")]++
	}
	if len(seen) != 30 {
		t.Errorf("%d different mails arrived, want 30", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s arrived %d times", id, n)
		}
	}
}

// With the SMTP server down the mail waits, says why, and arrives once the
// server is back and the back-off has passed.
func TestSender_RetriesWhileServerIsDown(t *testing.T) {
	db := testdb.New(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port where no server listens yet
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	srv := &smtpServer{}
	w, _ := newWorker(t, db, "smtp://"+addr)
	now := time.Now().Add(time.Second)
	w.Now = func() time.Time { return now }
	id := queue(t, db, mail.Notice{Key: "down:1", To: "lotte@utrecht.example", Topic: mail.TopicAccount, Subject: "Even geduld", Body: "Tekst."})
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, attempts, lastErr := state(t, db, id)
	if st != outbox.StatePending || attempts != 1 || !strings.Contains(lastErr, "verbinden met smtp://"+addr) {
		t.Fatalf("while down: %s after %d attempts (%q)", st, attempts, lastErr)
	}
	srv.listen(t, addr)
	if n, _ := w.RunOnce(context.Background()); n != 0 {
		t.Fatalf("retried before the back-off")
	}
	now = now.Add(31 * time.Second)
	if n, err := w.RunOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("after the back-off: %d (%v)", n, err)
	}
	if st, attempts, _ := state(t, db, id); st != outbox.StateSent || attempts != 2 || len(srv.messages()) != 1 {
		t.Fatalf("after the server came back: %s after %d attempts, %d messages", st, attempts, len(srv.messages()))
	}
}

// A recipient who turned a topic off does not get its mails (the row says
// it was skipped); account mail cannot be turned off; a refused address
// fails for good.
func TestSender_PreferencesAndRefusals(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	srv := startSMTP(t, "")
	srv.refuse = "weg@utrecht.example"
	w, _ := newWorker(t, db, "smtp://"+srv.Addr)
	var uid int64
	if err := db.NewRaw("INSERT INTO users (email, name, password_hash) VALUES ('fleur@utrecht.example', 'Fleur', 'x') RETURNING id").Scan(ctx, &uid); err != nil {
		t.Fatal(err)
	}
	if err := mail.SetOptedOut(ctx, db, uid, map[mail.Topic]bool{mail.TopicCatalogue: true, mail.TopicAccount: true}); err != nil {
		t.Fatal(err)
	}
	off, err := mail.OptedOut(ctx, db, uid)
	if err != nil || !off[mail.TopicCatalogue] || off[mail.TopicAccount] || len(off) != 1 {
		t.Fatalf("opted out of %v (%v)", off, err)
	}
	gids := queue(t, db, mail.Notice{Key: "p:gids", UserID: uid, To: "fleur@utrecht.example", Topic: mail.TopicCatalogue, Subject: "Nieuwe review", Body: "x"})
	acct := queue(t, db, mail.Notice{Key: "p:acct", UserID: uid, To: "fleur@utrecht.example", Topic: mail.TopicAccount, Subject: "Nieuw wachtwoord", Body: "x"})
	cert := queue(t, db, mail.Notice{Key: "p:cert", UserID: uid, To: "fleur@utrecht.example", Topic: mail.TopicCertification, Subject: "Besluit", Body: "x"})
	gone := queue(t, db, mail.Notice{Key: "p:gone", UserID: uid + 1000, To: "oud@utrecht.example", Topic: mail.TopicAccount, Subject: "Weg", Body: "x"})
	refused := queue(t, db, mail.Notice{Key: "p:refused", To: "weg@utrecht.example", Topic: mail.TopicAccount, Subject: "Geweigerd", Body: "x"})
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id     int64
		state  string
		reason string
	}{
		{gids, outbox.StateSkipped, "uitgezet"},
		{acct, outbox.StateSent, ""},
		{cert, outbox.StateSent, ""},
		{gone, outbox.StateSkipped, "bestaat niet meer"},
		{refused, outbox.StateFailed, "550"},
	} {
		st, _, lastErr := state(t, db, tt.id)
		if st != tt.state || !strings.Contains(lastErr, tt.reason) {
			t.Errorf("row %d: %s (%q), want %s (%q)", tt.id, st, lastErr, tt.state, tt.reason)
		}
	}
	if n := len(srv.messages()); n != 2 {
		t.Errorf("server got %d messages, want 2", n)
	}
}

func TestParseSMTPURL(t *testing.T) {
	for _, tt := range []struct {
		url, want string
		bad       bool
	}{
		{"smtp://mail.example.nl", "smtp://mail.example.nl:587", false},
		{"smtp://u:p%40ss@mail.example.nl:2525", "smtp://u@mail.example.nl:2525", false},
		{"smtps://u:p@mail.example.nl", "smtps://u@mail.example.nl:465", false},
		{"http://mail.example.nl", "", true},
		{"smtp://:25", "", true},
		{"smtp://mail.example.nl:99999", "", true},
	} {
		s, err := mail.ParseSMTPURL(tt.url)
		if (err != nil) != tt.bad || (!tt.bad && s.String() != tt.want) {
			t.Errorf("ParseSMTPURL(%q) = %s, %v", tt.url, s, err)
		}
		if err != nil && strings.Contains(err.Error(), "p@ss") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}
