package certify

import (
	"fmt"
	"strings"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// State is where an application is in its assessment.
type State string

// The states of an application:
//
//	draft → submitted → in_review → approved
//	  ↑                     │      → rejected
//	returned ←──────────────┘  (the assessor asks for more information)
//	returned → submitted
const (
	StateDraft     State = "draft"
	StateSubmitted State = "submitted"
	StateInReview  State = "in_review"
	StateReturned  State = "returned"
	StateApproved  State = "approved"
	StateRejected  State = "rejected"
)

// States lists every state in the order of the process.
var States = []State{StateDraft, StateSubmitted, StateInReview, StateReturned, StateApproved, StateRejected}

// Label is the Dutch name of s, as shown on pages and in the audit log.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "concept"
	case StateSubmitted:
		return "ingediend"
	case StateInReview:
		return "in behandeling"
	case StateReturned:
		return "teruggestuurd voor aanvulling"
	case StateApproved:
		return "goedgekeurd"
	case StateRejected:
		return "afgewezen"
	}
	return string(s)
}

// Open reports whether the application is still being worked on.
func (s State) Open() bool {
	return s == StateDraft || s == StateSubmitted || s == StateInReview || s == StateReturned
}

// IsDraft, IsReturned, IsApproved and IsRejected say where s is, for
// pages.
func (s State) IsDraft() bool { return s == StateDraft }

// IsReturned reports whether the assessor sent the application back.
func (s State) IsReturned() bool { return s == StateReturned }

// IsSubmitted reports whether the application waits for an assessor.
func (s State) IsSubmitted() bool { return s == StateSubmitted }

// IsInReview reports whether an assessor is deciding on the application.
func (s State) IsInReview() bool { return s == StateInReview }

// IsApproved reports whether the application was approved.
func (s State) IsApproved() bool { return s == StateApproved }

// IsRejected reports whether the application was rejected.
func (s State) IsRejected() bool { return s == StateRejected }

// Badge is the style of the state's badge.
func (s State) Badge() string {
	switch s {
	case StateApproved:
		return "badge-ok"
	case StateRejected:
		return "badge-bad"
	case StateReturned:
		return "badge-warn"
	}
	return ""
}

// Editable reports whether the applicant may change the application and
// its evidence.
func (s State) Editable() bool { return s == StateDraft || s == StateReturned }

// Role is who makes a change of state.
type Role int

// The roles in the state machine.
const (
	RoleApplicant Role = iota + 1
	RoleAssessor
)

// transition is one allowed change of state.
type transition struct {
	from, to       State
	by             Role
	reasonRequired bool
}

// transitions is the whole state machine: a change not listed is refused.
var transitions = []transition{
	{StateDraft, StateSubmitted, RoleApplicant, false},
	{StateReturned, StateSubmitted, RoleApplicant, false},
	{StateSubmitted, StateInReview, RoleAssessor, false},
	{StateInReview, StateApproved, RoleAssessor, true},
	{StateInReview, StateRejected, RoleAssessor, true},
	{StateInReview, StateReturned, RoleAssessor, true},
}

// verb is the Dutch past participle used in "kan niet … worden".
func (s State) verb() string {
	switch s {
	case StateSubmitted:
		return "ingediend"
	case StateInReview:
		return "in behandeling genomen"
	case StateApproved:
		return "goedgekeurd"
	case StateRejected:
		return "afgewezen"
	case StateReturned:
		return "teruggestuurd"
	case StateDraft:
		return "een concept"
	}
	return string(s)
}

// CheckTransition reports whether by may move an application from one state
// to another with reason. It returns a conflict error with a Dutch message
// when the change is not allowed from the current state, a forbidden error
// when the change is someone else's to make, and a validation error on the
// field "reason" when a decision comes without a reason.
func CheckTransition(from, to State, by Role, reason string) error {
	for _, t := range transitions {
		if t.from != from || t.to != to {
			continue
		}
		if t.by != by {
			if t.by == RoleAssessor {
				return apperr.Msg(apperr.ErrForbidden, "Alleen een beoordelaar kan een aanvraag "+to.verb()+".")
			}
			return apperr.Msg(apperr.ErrForbidden, "Alleen de aanvrager kan deze aanvraag "+to.verb()+".")
		}
		if t.reasonRequired && len([]rune(strings.TrimSpace(reason))) < minReasonLen {
			return apperr.NewValidation("reason", fmt.Sprintf("Geef een reden op (minstens %d tekens): de aanvrager leest haar.", minReasonLen))
		}
		return nil
	}
	return apperr.Msg(apperr.ErrConflict, fmt.Sprintf("Een aanvraag die %s is, kan niet %s worden.", from.Label(), to.verb()))
}

// minReasonLen is the shortest reason accepted for a decision or a change
// of a certificate's status.
const minReasonLen = 10

// maxReasonLen is the longest.
const maxReasonLen = 2000
