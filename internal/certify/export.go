package certify

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// ExportZIP writes the PDFs of every certificate matching f (its Limit and
// Offset are ignored) to w as one ZIP file, one entry per certificate named
// after its number and holder, in the order of issue. progress, when not
// nil, is called with the number done and the total before the first and
// after each PDF. It returns the number of certificates written.
func (s *Service) ExportZIP(ctx context.Context, w io.Writer, f CertificateFilter, progress func(done, total int)) (int, error) {
	f.Limit, f.Offset = 0, 0
	certs, total, err := s.Store.Certificates(ctx, f)
	if err != nil {
		return 0, err
	}
	if progress != nil {
		progress(0, total)
	}
	zw := zip.NewWriter(w)
	for i := len(certs) - 1; i >= 0; i-- { // oldest first
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		c := &certs[i]
		pdf, err := s.PDF(c)
		if err != nil {
			return 0, fmt.Errorf("certify: export %s: %w", c.Number, err)
		}
		entry, err := zw.CreateHeader(&zip.FileHeader{
			Name:     zipName(c),
			Method:   zip.Store, // PDFs are compressed already
			Modified: c.IssuedAt.In(web.Amsterdam),
		})
		if err != nil {
			return 0, fmt.Errorf("certify: export: %w", err)
		}
		if _, err := entry.Write(pdf); err != nil {
			return 0, fmt.Errorf("certify: export: %w", err)
		}
		if progress != nil {
			progress(len(certs)-i, total)
		}
	}
	if err := zw.Close(); err != nil {
		return 0, fmt.Errorf("certify: export: %w", err)
	}
	return len(certs), nil
}

// zipName is "W20-CUR-2026-000001-4 Lotte Leerling.pdf", with only
// characters every file system takes.
func zipName(c *Certificate) string {
	name := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, c.HolderName)
	if len(name) > 80 {
		name = strings.ToValidUTF8(name[:80], "")
	}
	return c.Number + " " + strings.TrimSpace(name) + ".pdf"
}
