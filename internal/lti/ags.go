package lti

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/courses"
	"github.com/ambtenaar20/leeromgeving/internal/outbox"
	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// scoreJob is the payload of an outbox row: send the result of a column as
// it stands, unless a later change (a higher version) will send it anyway.
type scoreJob struct {
	LinkID  int64 `json:"link_id"`
	Version int   `json:"version"`
}

func enqueueScore(ctx context.Context, db bun.IDB, ch changedLink) error {
	key := fmt.Sprintf("%s:%d:%d", ScoreKind, ch.ID, ch.Version)
	return outbox.Enqueue(ctx, db, ScoreKind, key, scoreJob{LinkID: ch.ID, Version: ch.Version})
}

// AttemptScored is the leeromgeving's score hook: a scored quiz attempt
// changes the learner's course result, so each of their gradebook columns
// for the course gets it, from the outbox, in the same transaction.
func (s *Service) AttemptScored(ctx context.Context, db bun.IDB, a courses.AttemptScore) error {
	return s.resultChanged(ctx, db, a.UserID, a.CourseID, a.SubmittedAt)
}

// CourseCompleted is the leeromgeving's completion hook, likewise.
func (s *Service) CourseCompleted(ctx context.Context, db bun.IDB, c courses.Completion) error {
	return s.resultChanged(ctx, db, c.UserID, c.CourseID, c.CompletedAt)
}

func (s *Service) resultChanged(ctx context.Context, db bun.IDB, userID, courseID int64, at time.Time) error {
	changed, err := NewStore(db).BumpGradeLinks(ctx, userID, courseID, at)
	if err != nil {
		return err
	}
	for _, ch := range changed {
		if err := enqueueScore(ctx, db, ch); err != nil {
			return err
		}
	}
	return nil
}

// Score is an AGS score (application/vnd.ims.lis.v1.score+json).
type Score struct {
	UserID           string  `json:"userId"`
	ScoreGiven       float64 `json:"scoreGiven"`
	ScoreMaximum     float64 `json:"scoreMaximum"`
	Comment          string  `json:"comment,omitempty"`
	ActivityProgress string  `json:"activityProgress"`
	GradingProgress  string  `json:"gradingProgress"`
	Timestamp        string  `json:"timestamp"`
}

// courseScore is the learner's result in a course, out of 100: the mean of
// their best scores on its quizzes (a quiz not taken counts 0); for a course
// without quizzes, the share of its lessons read.
func courseScore(o *courses.Outline, p *courses.Progress) (score float64, done, total int) {
	done, total = p.Counts(o)
	quizzes := 0
	sum := 0.0
	for _, it := range o.Items {
		if it.Kind == courses.KindQuiz {
			quizzes++
			sum += p.BestScore[it.ID]
		}
	}
	switch {
	case quizzes > 0:
		score = sum / float64(quizzes)
	case p.CompletedAt != nil:
		score = 100
	case total > 0:
		score = float64(done) * 100 / float64(total)
	}
	return math.Round(score*100) / 100, done, total
}

// scoreOf builds the score of a column from the learner's progress now.
func scoreOf(g *gradeLink, o *courses.Outline, p *courses.Progress) Score {
	score, done, total := courseScore(o, p)
	activity := "Started"
	switch {
	case p.CompletedAt != nil:
		activity = "Completed"
	case done > 0 || len(p.BestScore) > 0:
		activity = "InProgress"
	}
	parts := "onderdelen"
	if total == 1 {
		parts = "onderdeel"
	}
	comment := fmt.Sprintf("%d van %d %s afgerond in de Leeromgeving Werken 2.0.", done, total, parts)
	if p.CompletedAt != nil {
		comment = "Cursus afgerond in de Leeromgeving Werken 2.0 op " + web.DutchDate(*p.CompletedAt) + "."
	}
	return Score{UserID: g.Subject, ScoreGiven: score, ScoreMaximum: 100, Comment: comment, ActivityProgress: activity,
		GradingProgress: "FullyGraded", Timestamp: g.ChangedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00")}
}

// DeliverScore sends the current result of the outbox row's column to the
// platform: a token from its token URL (client credentials, with a client
// assertion signed by the tool key), then a POST to the column's /scores.
// A row a later change supersedes, of a column or platform since removed,
// or of a learner not enrolled, sends nothing. Failures are retried by the
// outbox; answers that retrying cannot change (a 4xx other than 401, 408
// and 429) are permanent.
func (s *Service) DeliverScore(ctx context.Context, row outbox.Row) error {
	var job scoreJob
	if err := json.Unmarshal(row.Payload, &job); err != nil {
		return outbox.Permanent(fmt.Errorf("lti: score payload: %w", err))
	}
	g, err := s.Store.GradeLink(ctx, job.LinkID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if g.Version != job.Version {
		return nil
	}
	p, err := s.Store.Platform(ctx, g.PlatformID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	c, err := s.courses.CourseByID(ctx, g.CourseID)
	if err != nil {
		return err
	}
	o, err := s.courses.Outline(ctx, c)
	if err != nil {
		return err
	}
	prog, err := s.courses.Progress(ctx, g.UserID, g.CourseID)
	if err != nil {
		return err
	}
	if !prog.Enrolled {
		return nil
	}
	return s.postScore(ctx, p, g.LineItemURL, scoreOf(g, o, prog))
}

// scoresURL is the line item's scores endpoint: /scores appended to the
// path, keeping the query (Moodle's line items carry ?type_id=…).
func scoresURL(lineItem string) (string, error) {
	u, err := url.Parse(lineItem)
	if err != nil {
		return "", err
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/scores"
	u.RawPath = ""
	return u.String(), nil
}

func (s *Service) postScore(ctx context.Context, p *Platform, lineItem string, sc Score) error {
	target, err := scoresURL(lineItem)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("lti: line item %q: %w", lineItem, err))
	}
	tok, err := s.accessToken(ctx, p)
	if err != nil {
		return err
	}
	body, err := json.Marshal(sc)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("lti: encode score: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return outbox.Permanent(fmt.Errorf("lti: score request: %w", err))
	}
	req.Header.Set("Content-Type", "application/vnd.ims.lis.v1.score+json")
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("lti: post score to %s: %w", target, err)
	}
	defer res.Body.Close()
	detail, _ := io.ReadAll(io.LimitReader(res.Body, 2048))
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("lti: post score to %s: %d %s", target, res.StatusCode, strings.TrimSpace(string(detail)))
	if res.StatusCode == http.StatusUnauthorized {
		s.tokens.drop(p.ID) // the token may have expired or been revoked early
	}
	return retryable(res.StatusCode, err)
}

// retryable marks err permanent when the status says trying again cannot
// help: a 4xx other than 401 (a fresh token may do), 408 and 429.
func retryable(status int, err error) error {
	if status >= 400 && status < 500 && status != http.StatusUnauthorized && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests {
		return outbox.Permanent(err)
	}
	return err
}

// --- Access tokens ---

type accessToken struct {
	value   string
	expires time.Time
}

// tokenCache keeps each platform's AGS access token until shortly before
// it expires.
type tokenCache struct {
	mu     sync.Mutex
	tokens map[int64]accessToken
}

func (t *tokenCache) get(id int64, now time.Time) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tok, ok := t.tokens[id]
	if !ok || !now.Before(tok.expires) {
		return "", false
	}
	return tok.value, true
}

func (t *tokenCache) put(id int64, tok accessToken) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tokens[id] = tok
}

func (t *tokenCache) drop(id int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.tokens, id)
}

// accessToken returns a token for the score scope, from the cache or from
// the platform's token URL (OAuth 2 client credentials with a JWT client
// assertion, RFC 7523, as the LTI Security Framework asks).
func (s *Service) accessToken(ctx context.Context, p *Platform) (string, error) {
	now := s.now()
	if tok, ok := s.tokens.get(p.ID, now); ok {
		return tok, nil
	}
	assertion, err := s.clientAssertion(ctx, p, now)
	if err != nil {
		return "", err
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
		"scope":                 {ScopeScore},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", outbox.Permanent(fmt.Errorf("lti: token request: %w", err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := s.cfg.HTTPClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("lti: token from %s: %w", p.TokenURL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		err := fmt.Errorf("lti: token from %s: %d %s", p.TokenURL, res.StatusCode, strings.TrimSpace(string(b)))
		if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusBadRequest {
			return "", outbox.Permanent(err) // the platform does not accept our client: only an admin can fix that
		}
		return "", retryable(res.StatusCode, err)
	}
	var out struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.Unmarshal(b, &out); err != nil || out.AccessToken == "" {
		return "", fmt.Errorf("lti: token from %s: no access_token in %q", p.TokenURL, string(b))
	}
	if out.ExpiresIn <= 0 {
		out.ExpiresIn = 300
	}
	s.tokens.put(p.ID, accessToken{value: out.AccessToken, expires: now.Add(time.Duration(out.ExpiresIn)*time.Second - 30*time.Second)})
	return out.AccessToken, nil
}

// clientAssertion is the JWT the tool authenticates with at the token URL:
// issued by and about the client (iss = sub = client id), for the token
// URL (or the platform's own audience), short-lived, with a unique jti.
func (s *Service) clientAssertion(ctx context.Context, p *Platform, now time.Time) (string, error) {
	return s.sign(ctx, map[string]any{
		"iss": p.ClientID,
		"sub": p.ClientID,
		"aud": p.Audience(),
		"iat": now.Add(-backdate).Unix(),
		"exp": now.Add(5 * time.Minute).Unix(),
		"jti": randomToken(),
	})
}
