package lti

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/accounts"
	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
)

// Accounts is what the tool asks of the accounts domain. Methods taking db
// run on the launch's transaction, so a launch links, creates and logs in
// a person entirely or not at all.
type Accounts interface {
	// UserIDByEmail finds the account with email (any letter case).
	UserIDByEmail(ctx context.Context, db bun.IDB, email string) (id int64, found bool, err error)
	// CreateUser makes an account without a usable password in the
	// organisation orgID (0: none); ErrEmailTaken when the address has an
	// account.
	CreateUser(ctx context.Context, db bun.IDB, name, email string, orgID int64) (int64, error)
	// StartSession starts a session for the user, as a password login does,
	// and returns its token.
	StartSession(ctx context.Context, db bun.IDB, userID int64) (string, error)
	// SetSessionCookie sets the cookie of a session token on the response.
	SetSessionCookie(c *fiber.Ctx, token string)
	// Organisations lists the organisations new users can join.
	Organisations(ctx context.Context) ([]accounts.Organisation, error)
}

// ErrEmailTaken is what Accounts.CreateUser returns for an e-mail address
// that has an account (made by a concurrent launch, or meanwhile).
var ErrEmailTaken = errors.New("lti: e-mail address taken")

// Courses is what the tool asks of the leeromgeving.
type Courses interface {
	CourseBySlug(ctx context.Context, slug string) (*courses.Course, error)
	CourseByID(ctx context.Context, id int64) (*courses.Course, error)
	Published(ctx context.Context, q string, userID int64) ([]courses.Listing, error)
	Outline(ctx context.Context, c *courses.Course) (*courses.Outline, error)
	Progress(ctx context.Context, userID, courseID int64) (*courses.Progress, error)
}

// Config is where the tool runs.
type Config struct {
	BaseURL string // public address, without trailing slash
	Secure  bool   // served over https
	// HTTPClient calls platforms (key sets, tokens, scores); nil: a client
	// with a 15-second timeout.
	HTTPClient *http.Client
	Log        *slog.Logger
}

// Lifetimes of what a launch leaves behind.
const (
	loginTTL    = 10 * time.Minute // from login initiation to launch
	deepLinkTTL = time.Hour        // for the teacher to pick a course
	openTTL     = 2 * time.Minute  // to open the course in a new window
	linkTTL     = 30 * time.Minute // to log in and link an existing account
)

// Service is the LTI tool: logins, launches, deep linking, grade passback
// and the registration of platforms.
type Service struct {
	db       *bun.DB
	Store    *Store
	accounts Accounts
	courses  Courses
	cfg      Config
	log      *slog.Logger
	keys     *keySets
	tokens   *tokenCache
	Now      func() time.Time

	keyMu sync.Mutex
	key   ToolKey // the current key, parsed
}

// NewService returns the tool on db.
func NewService(db *bun.DB, cfg Config, acc Accounts, learning Courses) *Service {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &Service{db: db, Store: NewStore(db), accounts: acc, courses: learning, cfg: cfg, log: cfg.Log, Now: time.Now}
	s.keys = &keySets{client: cfg.HTTPClient, now: s.now, maxAge: time.Hour, refetchEvery: 10 * time.Second, sets: map[string]*keySet{}}
	s.tokens = &tokenCache{tokens: map[int64]accessToken{}}
	return s
}

func (s *Service) now() time.Time { return s.Now() }

// URLs of the tool, to give to a platform.
func (s *Service) LoginURL() string  { return s.cfg.BaseURL + "/lti/login" }
func (s *Service) LaunchURL() string { return s.cfg.BaseURL + "/lti/launch" }
func (s *Service) JWKSURL() string   { return s.cfg.BaseURL + "/lti/jwks" }
func (s *Service) ConfigURL() string { return s.cfg.BaseURL + "/lti/config" }

// SetSessionCookie sets the cookie of a session a launch started.
func (s *Service) SetSessionCookie(c *fiber.Ctx, token string) { s.accounts.SetSessionCookie(c, token) }

// randomToken returns 32 random bytes, base64url.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return base64.RawURLEncoding.EncodeToString(b)
}

// platformFor finds the registration of issuer whose client id is in aud.
func (s *Service) platformFor(ctx context.Context, issuer string, aud []string) (*Platform, error) {
	ps, err := s.Store.PlatformsByIssuer(ctx, issuer)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, errUnknownPlatform
	}
	for i := range ps {
		for _, a := range aud {
			if a == ps[i].ClientID {
				return &ps[i], nil
			}
		}
	}
	return nil, errWrongAudience
}

// FrameOrigins are the origins of every registered platform: they may show
// the tool's LTI pages in a frame.
func (s *Service) FrameOrigins(ctx context.Context) ([]string, error) {
	ps, err := s.Store.Platforms(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for i := range ps {
		for _, o := range ps[i].origins() {
			if !slices.Contains(out, o) {
				out = append(out, o)
			}
		}
	}
	return out, nil
}

// ours reports whether raw is an address of this tool (same origin as the
// base URL).
func (s *Service) ours(raw string) bool {
	return origin(raw) != "" && origin(raw) == origin(s.cfg.BaseURL)
}

// --- Login initiation ---

// LoginRequest is a third-party initiated login (GET or POST /lti/login).
type LoginRequest struct {
	Issuer        string // iss
	LoginHint     string // login_hint
	TargetLinkURI string // target_link_uri
	MessageHint   string // lti_message_hint
	ClientID      string // client_id (needed when the issuer is registered more than once)
	DeploymentID  string // lti_deployment_id
	BrowserKey    string // the browser's LTI cookie, "" when it has none
}

// Login checks the initiation, stores state and nonce bound to the browser,
// and returns the platform's authentication URL to send the browser to, and
// the browser key to keep in the cookie.
func (s *Service) Login(ctx context.Context, in LoginRequest) (redirect, browserKey string, err error) {
	switch {
	case in.Issuer == "":
		return "", "", missingParam("iss")
	case in.LoginHint == "":
		return "", "", missingParam("login_hint")
	case in.TargetLinkURI == "":
		return "", "", missingParam("target_link_uri")
	}
	if !s.ours(in.TargetLinkURI) {
		return "", "", errForeignTarget
	}
	ps, err := s.Store.PlatformsByIssuer(ctx, in.Issuer)
	if err != nil {
		return "", "", err
	}
	var p *Platform
	for i := range ps {
		if in.ClientID == "" || ps[i].ClientID == in.ClientID {
			if p != nil {
				return "", "", errAmbiguousClient
			}
			p = &ps[i]
		}
	}
	if p == nil {
		return "", "", errUnknownPlatform
	}
	if in.DeploymentID != "" && !p.HasDeployment(in.DeploymentID) {
		return "", "", errUnknownDeploy
	}
	browserKey = in.BrowserKey
	if len(browserKey) != 43 {
		browserKey = randomToken()
	}
	now := s.now()
	l := &loginRow{State: randomToken(), Nonce: randomToken(), PlatformID: p.ID, BrowserHash: hashToken(browserKey),
		TargetLinkURI: in.TargetLinkURI, CreatedAt: now, ExpiresAt: now.Add(loginTTL)}
	if err := s.Store.CreateLogin(ctx, l); err != nil {
		return "", "", err
	}
	u, err := url.Parse(p.AuthURL)
	if err != nil {
		return "", "", fmt.Errorf("lti: auth url of platform %d: %w", p.ID, err)
	}
	q := u.Query()
	q.Set("scope", "openid")
	q.Set("response_type", "id_token")
	q.Set("response_mode", "form_post")
	q.Set("prompt", "none")
	q.Set("client_id", p.ClientID)
	q.Set("redirect_uri", s.LaunchURL())
	q.Set("login_hint", in.LoginHint)
	if in.MessageHint != "" {
		q.Set("lti_message_hint", in.MessageHint)
	}
	q.Set("state", l.State)
	q.Set("nonce", l.Nonce)
	u.RawQuery = q.Encode()
	return u.String(), browserKey, nil
}

var errForeignTarget = apperr.Msg(apperr.ErrInvalid, "De koppeling wijst naar een ander adres dan deze leeromgeving (target_link_uri). Controleer de tool-URL in uw leeromgeving.")

func missingParam(name string) error {
	return apperr.Msg(apperr.ErrInvalid, fmt.Sprintf("De aanmelding vanuit uw leeromgeving mist het gegeven %s.", name))
}

// --- Launch ---

// LaunchRequest is the platform's form post to /lti/launch.
type LaunchRequest struct {
	IDToken          string
	State            string
	Error            string // error and error_description: the platform refused
	ErrorDescription string
	BrowserKey       string
	FetchDest        string // the browser's Sec-Fetch-Dest: "iframe" when the platform frames the tool
}

// inFrame reports whether the launch shows in a frame: the browser says so,
// or (a browser that does not send Sec-Fetch-Dest) the platform does.
func (in LaunchRequest) inFrame(c *launchClaims) bool {
	switch in.FetchDest {
	case "iframe", "frame":
		return true
	case "":
		return c.Presentation != nil && (c.Presentation.DocumentTarget == "iframe" || c.Presentation.DocumentTarget == "frame")
	}
	return false
}

// Outcome is what a launch leads to; exactly one of its parts is set.
type Outcome struct {
	// Session is a new session to start (a resource link in a window),
	// after which the browser goes to Redirect, with Flash shown.
	Session  string
	Redirect string
	Flash    string
	// Handoff continues in a new window at /lti/open/{Handoff} (the
	// launch came in an iframe, where our session cookie cannot live).
	Handoff string
	// Link asks the person to log in to the existing account with
	// LinkEmail and link it, at /lti/koppelen/{Link}.
	Link      string
	LinkEmail string
	// Picker lets a teacher choose a course (deep linking).
	Picker *Picker

	Platform    *Platform
	CourseTitle string
}

// launchFacts is what a verified resource-link launch says, kept while it
// continues elsewhere (a hand-off).
type launchFacts struct {
	PlatformID int64  `json:"platform_id"`
	Subject    string `json:"sub"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	CourseID   int64  `json:"course_id"`
	CourseSlug string `json:"course_slug"`
	LineItem   string `json:"lineitem"` // a column to send results to, for a learner
	Target     string `json:"target"`
}

// Launch verifies the launch and does what it asks, in one transaction:
// the login's state is used up, the nonce recorded, the person linked (or
// created) and a session started, or a deep-linking choice prepared. A
// launch that fails any check stores nothing.
func (s *Service) Launch(ctx context.Context, in LaunchRequest) (*Outcome, error) {
	if in.Error != "" {
		return nil, platformRefused(in.Error, in.ErrorDescription)
	}
	if in.State == "" {
		return nil, errNoState
	}
	p, c, err := s.verifyIDToken(ctx, in.IDToken)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Platform: p}
	var course *courses.Course
	if c.MessageType == MessageResourceLink {
		if !s.ours(c.TargetLinkURI) {
			return nil, errForeignTarget
		}
		if course, err = s.launchCourse(ctx, c); err != nil {
			return nil, err
		}
	} else if err := checkDeepLinking(c); err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			st := NewStore(tx)
			if err := s.useLogin(ctx, st, p, c, in); err != nil {
				return err
			}
			if c.MessageType == MessageDeepLinking {
				return s.prepareDeepLink(ctx, st, p, c, out)
			}
			return s.resourceLink(ctx, tx, st, p, c, course, in.inFrame(c), out)
		})
		// Two first launches of one person at once: the second finds the
		// account the first made.
		if (isUnique(err, "") || errors.Is(err, ErrEmailTaken)) && attempt == 0 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

func platformRefused(code, desc string) error {
	msg := "Uw leeromgeving heeft de aanmelding geweigerd (" + cleanText(code, 60) + ")."
	if d := cleanText(desc, 300); d != "" {
		msg += " " + d
	}
	return apperr.Msg(apperr.ErrUnauthorized, msg+" Start de activiteit opnieuw; blijft het misgaan, meld het dan aan de beheerder van uw leeromgeving.")
}

// useLogin uses up the login of the launch's state: it must be live, of
// the same platform and browser, with the token's nonce, which is recorded
// as used.
func (s *Service) useLogin(ctx context.Context, st *Store, p *Platform, c *launchClaims, in LaunchRequest) error {
	now := s.now()
	l, err := st.TakeLogin(ctx, in.State, now)
	if errors.Is(err, ErrNotFound) {
		return errNoState
	}
	if err != nil {
		return err
	}
	if l.PlatformID != p.ID {
		return errNoState
	}
	if in.BrowserKey == "" || string(l.BrowserHash) != string(hashToken(in.BrowserKey)) {
		return errOtherBrowser
	}
	if l.Nonce != c.Nonce {
		return errNonceMismatch
	}
	err = st.UseNonce(ctx, p.ID, c.Nonce, c.Expiry.Time().Add(leeway))
	if errors.Is(err, errNonceUsed) {
		return errNonceReused
	}
	return err
}

// launchCourse is the published course the resource link names (custom
// parameter cursus or course, else a /cursussen/{slug} target link URI),
// nil when it names none.
func (s *Service) launchCourse(ctx context.Context, c *launchClaims) (*courses.Course, error) {
	slug := ""
	for _, k := range []string{"cursus", "course"} {
		if v, ok := c.Custom[k].(string); ok && strings.TrimSpace(v) != "" {
			slug = strings.TrimSpace(v)
			break
		}
	}
	if slug == "" {
		u, _ := url.Parse(c.TargetLinkURI)
		if rest, ok := strings.CutPrefix(u.Path, "/cursussen/"); ok {
			slug, _, _ = strings.Cut(rest, "/")
		} else {
			slug = u.Query().Get("cursus")
		}
	}
	if slug == "" {
		return nil, nil
	}
	course, err := s.courses.CourseBySlug(ctx, slug)
	if errors.Is(err, courses.ErrNotFound) || (err == nil && !course.Published()) {
		return nil, errCourseGone
	}
	return course, err
}

// resourceLink links (or creates) the person and starts their session, or
// hands the launch over to a new window.
func (s *Service) resourceLink(ctx context.Context, tx bun.Tx, st *Store, p *Platform, c *launchClaims, course *courses.Course, inFrame bool, out *Outcome) error {
	now := s.now()
	facts := launchFacts{PlatformID: p.ID, Subject: c.Subject, Name: displayName(c, p), Email: cleanEmail(c.Email), Target: "/cursussen"}
	if course != nil {
		facts.CourseID, facts.CourseSlug, facts.Target = course.ID, course.Slug, "/cursussen/"+course.Slug
		out.CourseTitle = course.Title
		if c.AGS != nil && c.AGS.LineItem != "" && slices.Contains(c.AGS.Scope, ScopeScore) && isLearner(c.Roles) && webURL(c.AGS.LineItem) {
			facts.LineItem = c.AGS.LineItem
		}
	}
	lu, err := st.LTIUser(ctx, p.ID, c.Subject)
	switch {
	case errors.Is(err, ErrNotFound):
		if facts.Email != "" {
			_, found, err := s.accounts.UserIDByEmail(ctx, tx, facts.Email)
			if err != nil {
				return err
			}
			if found {
				// Someone already has an account with this address: only
				// they may link it, by logging in to it.
				out.Link, out.LinkEmail = randomToken(), facts.Email
				return s.handOff(ctx, st, out.Link, "link", nil, facts, now.Add(linkTTL))
			}
		}
		email := facts.Email
		if email == "" {
			email = placeholderEmail(p.ID, c.Subject)
		}
		var org int64
		if p.OrganisationID != nil {
			org = *p.OrganisationID
		}
		uid, err := s.accounts.CreateUser(ctx, tx, facts.Name, email, org)
		if err != nil {
			return err
		}
		lu = &ltiUser{PlatformID: p.ID, Subject: c.Subject, UserID: uid}
		if err := st.CreateLTIUser(ctx, lu); err != nil {
			return err
		}
	case err != nil:
		return err
	default:
		if err := st.TouchLTIUser(ctx, lu.ID, now); err != nil {
			return err
		}
	}
	if err := s.rememberColumn(ctx, st, lu, facts, now); err != nil {
		return err
	}
	if inFrame {
		out.Handoff = randomToken()
		return s.handOff(ctx, st, out.Handoff, "open", &lu.UserID, facts, now.Add(openTTL))
	}
	out.Session, err = s.accounts.StartSession(ctx, tx, lu.UserID)
	out.Redirect, out.Flash = facts.Target, arrivalFlash(p, course)
	return err
}

func arrivalFlash(p *Platform, course *courses.Course) string {
	if course == nil {
		return "U bent ingelogd vanuit " + p.Name + ". Uw leeromgeving noemde geen cursus; kies hier een cursus."
	}
	return "U bent ingelogd vanuit " + p.Name + "."
}

// rememberColumn keeps the gradebook column of a learner's launch and
// queues the result when the column is new to this course.
func (s *Service) rememberColumn(ctx context.Context, st *Store, lu *ltiUser, f launchFacts, now time.Time) error {
	if f.LineItem == "" || f.CourseID == 0 {
		return nil
	}
	ch, err := st.UpsertGradeLink(ctx, lu.ID, lu.UserID, f.CourseID, f.LineItem, now)
	if err != nil || ch == nil {
		return err
	}
	return enqueueScore(ctx, st.db, *ch)
}

// displayName is the person's name from the claims, or a stand-in.
func displayName(c *launchClaims, p *Platform) string {
	if n := cleanText(c.Name, 120); n != "" {
		return n
	}
	if n := cleanText(c.GivenName+" "+c.FamilyName, 120); n != "" {
		return n
	}
	return cleanText("Deelnemer via "+p.Name, 120)
}

// cleanEmail is the e-mail claim when it is a plausible address, else "".
func cleanEmail(s string) string {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if len(s) > 254 || at < 1 || at == len(s)-1 || !printable(s) || strings.ContainsAny(s, " <>\"(),;:[]\\") {
		return ""
	}
	return s
}

// placeholderEmail stands in for the address of a person the platform
// does not share one for: unique per platform and subject, and in the
// .invalid domain, which no mail is ever delivered to (RFC 2606).
func placeholderEmail(platformID int64, subject string) string {
	h := sha256.Sum256([]byte(subject))
	return fmt.Sprintf("lti-%d-%s@lti.invalid", platformID, hex.EncodeToString(h[:8]))
}

// ExportUserData is the person's part of the AVG data export: the platform
// accounts linked to theirs.
func (s *Service) ExportUserData(ctx context.Context, userID int64) (any, error) {
	return s.Store.ExportUser(ctx, userID)
}

// Purge forgets expired logins, nonces, deep links and hand-offs.
func (s *Service) Purge(ctx context.Context, now time.Time) error { return s.Store.Purge(ctx, now) }

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return id, err == nil && id > 0
}
