package lti

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/courses"
)

// CourseField is the custom parameter that names the course of a link.
const CourseField = "cursus"

// checkDeepLinking refuses a deep-linking request the tool cannot answer:
// from someone who does not teach, or for content other than LTI links.
func checkDeepLinking(c *launchClaims) error {
	if !isTeacher(c.Roles) {
		return errNotTeacher
	}
	if types := c.DeepLinking.AcceptTypes; len(types) > 0 && !slices.Contains(types, "ltiResourceLink") {
		return errNoLinkTypes
	}
	return nil
}

// prepareDeepLink keeps the deep-linking request for the teacher's choice.
func (s *Service) prepareDeepLink(ctx context.Context, st *Store, p *Platform, c *launchClaims, out *Outcome) error {
	tok := randomToken()
	d := &deepLinkRow{TokenHash: hashToken(tok), PlatformID: p.ID, DeploymentID: c.DeploymentID,
		ReturnURL: c.DeepLinking.ReturnURL, AcceptWindow: slices.Contains(c.DeepLinking.AcceptTargets, "window"),
		ExpiresAt: s.now().Add(deepLinkTTL)}
	if len(c.DeepLinking.Data) > 0 && string(c.DeepLinking.Data) != "null" {
		d.Data = c.DeepLinking.Data
	}
	if err := st.CreateDeepLink(ctx, d); err != nil {
		return err
	}
	pk, err := s.picker(ctx, tok, p)
	out.Picker = pk
	return err
}

// Picker is the page on which a teacher picks a course to link.
type Picker struct {
	Token    string
	Platform *Platform
	Courses  []courses.Listing
}

func (s *Service) picker(ctx context.Context, tok string, p *Platform) (*Picker, error) {
	list, err := s.courses.Published(ctx, "", 0)
	if err != nil {
		return nil, err
	}
	return &Picker{Token: tok, Platform: p, Courses: list}, nil
}

// PickerFor returns the picker of a deep-linking request still waiting
// under token (to show it again).
func (s *Service) PickerFor(ctx context.Context, token string) (*Picker, error) {
	_, p, err := s.deepLink(ctx, token)
	if err != nil {
		return nil, err
	}
	return s.picker(ctx, token, p)
}

func (s *Service) deepLink(ctx context.Context, token string) (*deepLinkRow, *Platform, error) {
	d, err := s.Store.DeepLink(ctx, token, s.now())
	if errors.Is(err, ErrNotFound) {
		return nil, nil, errDeepLinkGone
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Store.Platform(ctx, d.PlatformID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, errDeepLinkGone
	}
	return d, p, err
}

// DeepLinkReturn is the signed answer to a deep-linking request, to post
// to the platform (field JWT) from the teacher's browser.
type DeepLinkReturn struct {
	URL         string
	JWT         string
	Platform    *Platform
	CourseTitle string // "" when the teacher cancelled
}

// ErrPickCourse means no (published) course was chosen.
var ErrPickCourse = apperr.NewValidation("course", "Kies een cursus uit de lijst.")

// DeepLinkResponse answers the deep-linking request waiting under token
// with the course slug (or with nothing when cancel): an
// LtiDeepLinkingResponse signed with the tool's key, carrying one
// ltiResourceLink with the course's title, address, custom parameter and a
// line item of 100 points (so the platform makes a gradebook column), and
// the request's data claim as it came. The request stays open until it
// expires, so choosing again (or a double click) just answers again.
func (s *Service) DeepLinkResponse(ctx context.Context, token, slug string, cancel bool) (*DeepLinkReturn, error) {
	d, p, err := s.deepLink(ctx, token)
	if err != nil {
		return nil, err
	}
	items := []map[string]any{}
	out := &DeepLinkReturn{URL: d.ReturnURL, Platform: p}
	msg := "Er is geen cursus gekozen."
	if !cancel {
		c, err := s.courses.CourseBySlug(ctx, slug)
		if errors.Is(err, courses.ErrNotFound) || (err == nil && !c.Published()) || slug == "" {
			return nil, ErrPickCourse
		}
		if err != nil {
			return nil, err
		}
		item := map[string]any{
			"type":   "ltiResourceLink",
			"title":  c.Title,
			"text":   c.Summary,
			"url":    s.cfg.BaseURL + "/cursussen/" + c.Slug,
			"custom": map[string]string{CourseField: c.Slug},
			"lineItem": map[string]any{
				"scoreMaximum": 100,
				"label":        c.Title,
				"resourceId":   c.Slug,
				"tag":          "leeromgeving-werken-20",
			},
		}
		if d.AcceptWindow {
			item["window"] = map[string]any{"targetName": "leeromgeving-werken-20"}
		}
		items = append(items, item)
		out.CourseTitle = c.Title
		msg = "De cursus " + c.Title + " is gekoppeld."
	}
	now := s.now()
	claims := map[string]any{
		"iss":             p.ClientID,
		"aud":             p.Issuer,
		"iat":             jwt.NewNumericDate(now.Add(-backdate)),
		"exp":             jwt.NewNumericDate(now.Add(5 * time.Minute)),
		"nonce":           randomToken(),
		claimDeploymentID: d.DeploymentID,
		claimMessageType:  messageDLResponse,
		claimVersion:      version13,
		claimDLItems:      items,
		claimDLMsg:        msg,
	}
	if len(d.Data) > 0 {
		claims[claimDLData] = json.RawMessage(d.Data)
	}
	if out.JWT, err = s.sign(ctx, claims); err != nil {
		return nil, err
	}
	return out, nil
}
