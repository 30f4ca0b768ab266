package web

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
)

const msgUnavailable = "De dienst is even niet beschikbaar. Probeer het over een paar seconden opnieuw; wat u al had opgeslagen, is bewaard."

// Unavailable reports whether err means the database cannot be reached right
// now (down, restarting, refusing connections) rather than that the request
// was wrong: such a request is answered with 503 and Retry-After, and
// succeeds once the database is back.
func Unavailable(err error) bool {
	// A connection cut mid-query surfaces as a bare EOF from the driver.
	if errors.Is(err, apperr.ErrUnavailable) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return true
	}
	var pe pgdriver.Error
	if errors.As(err, &pe) {
		// 08: connection exception; 57P01–03: admin or crash shutdown,
		// cannot connect now; 53300: too many connections.
		code := pe.Field('C')
		return strings.HasPrefix(code, "08") || strings.HasPrefix(code, "57P") || code == "53300"
	}
	return false
}
