package certify

import (
	"errors"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// TestCheckTransition walks every pair of states for both roles: the
// allowed changes are exactly the ones in the table, made by the right
// role, and decisions need a reason.
func TestCheckTransition(t *testing.T) {
	const reason = "Een reden van voldoende lengte."
	allowed := map[[2]State]Role{
		{StateDraft, StateSubmitted}:    RoleApplicant,
		{StateReturned, StateSubmitted}: RoleApplicant,
		{StateSubmitted, StateInReview}: RoleAssessor,
		{StateInReview, StateApproved}:  RoleAssessor,
		{StateInReview, StateRejected}:  RoleAssessor,
		{StateInReview, StateReturned}:  RoleAssessor,
	}
	for _, from := range States {
		for _, to := range States {
			for _, role := range []Role{RoleApplicant, RoleAssessor} {
				err := CheckTransition(from, to, role, reason)
				want, ok := allowed[[2]State{from, to}]
				switch {
				case !ok:
					if !errors.Is(err, apperr.ErrConflict) {
						t.Errorf("%s → %s by %d: %v, want a conflict", from, to, role, err)
					}
				case want != role:
					if !errors.Is(err, apperr.ErrForbidden) {
						t.Errorf("%s → %s by %d: %v, want forbidden", from, to, role, err)
					}
				case err != nil:
					t.Errorf("%s → %s by %d: %v, want allowed", from, to, role, err)
				}
			}
		}
	}
}

func TestCheckTransition_Reasons(t *testing.T) {
	tests := []struct {
		name     string
		from, to State
		reason   string
		wantErr  bool
	}{
		{"ApproveWithoutReason", StateInReview, StateApproved, "", true},
		{"RejectWithSpaces", StateInReview, StateRejected, "          ", true},
		{"ReturnTooShort", StateInReview, StateReturned, "Waarom?", true},
		{"ApproveWithReason", StateInReview, StateApproved, "Voldoet aan alle criteria.", false},
		{"TakeIntoReviewNeedsNone", StateSubmitted, StateInReview, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTransition(tt.from, tt.to, RoleAssessor, tt.reason)
			if tt.wantErr {
				v, ok := apperr.AsValidation(err)
				if !ok || v.Fields["reason"] == "" {
					t.Errorf("error = %v, want a validation error on reason", err)
				}
			} else if err != nil {
				t.Errorf("error = %v", err)
			}
		})
	}
}

func TestCheckTransition_Message(t *testing.T) {
	err := CheckTransition(StateApproved, StateRejected, RoleAssessor, "Toch maar niet.")
	if got := apperr.UserText(err, ""); got != "Een aanvraag die goedgekeurd is, kan niet afgewezen worden." {
		t.Errorf("message = %q", got)
	}
}
