package courses

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// Packager builds a course as a package for another learning environment
// (internal/scorm: SCORM 1.2). It returns the file name and the bytes.
type Packager interface {
	Package(ctx context.Context, courseID int64) (string, []byte, error)
}

// SetPackager gives the course editor its SCORM download.
func (h *Handler) SetPackager(p Packager) { h.packager = p }

// GET /beheer/cursussen/:id/scorm12.zip
func (h *Handler) authorSCORM(c *fiber.Ctx) error {
	id, err := web.ParamID(c, "id")
	if err != nil {
		return err
	}
	if h.packager == nil {
		return ErrNotFound
	}
	name, zip, err := h.packager.Package(c.UserContext(), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Attachment(name)
	return c.Send(zip)
}
