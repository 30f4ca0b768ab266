package certify

import (
	"fmt"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

// Errors of the store and the service. The ones made with apperr.Msg carry
// the Dutch text a person sees.
var (
	// ErrNotFound is returned for an unknown scheme, application,
	// certificate or evidence file, and for one the viewer may not see.
	ErrNotFound = fmt.Errorf("certify: %w", apperr.ErrNotFound)

	ErrOwnApplication  = apperr.Msg(apperr.ErrForbidden, "U beoordeelt nooit uw eigen aanvraag. Een andere beoordelaar neemt haar op.")
	ErrAlreadyDecided  = apperr.Msg(apperr.ErrConflict, "Over deze aanvraag is al beslist, of zij is intussen door iemand anders veranderd. Laad de pagina opnieuw.")
	ErrOpenApplication = apperr.Msg(apperr.ErrConflict, "U heeft voor deze regeling al een lopende aanvraag. Ga verder met die aanvraag.")
	ErrNotEditable     = apperr.Msg(apperr.ErrConflict, "Deze aanvraag is ingediend en kan nu niet worden gewijzigd.")
	ErrSchemeInactive  = apperr.Msg(apperr.ErrConflict, "Voor deze regeling kunt u op dit moment geen aanvraag doen.")
	ErrSlugTaken       = apperr.Msg(apperr.ErrConflict, "Er bestaat al een regeling met dit webadres (slug).")
	ErrRevokedForGood  = apperr.Msg(apperr.ErrConflict, "Dit certificaat is ingetrokken; intrekken is definitief.")
	ErrNoRenewal       = apperr.Msg(apperr.ErrConflict, "Dit certificaat kan (nog) niet worden verlengd: verlengen kan vanaf 90 dagen voor de vervaldatum, zolang het niet geschorst of ingetrokken is.")
)
