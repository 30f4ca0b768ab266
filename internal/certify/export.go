package certify

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"runtime"
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
	certs, total, err := s.store.Certificates(ctx, f)
	if err != nil {
		return 0, err
	}
	if progress != nil {
		progress(0, total)
	}
	// Rendering is the slow part and every certificate is independent: one
	// renderer per core, written in order of issue (oldest first) as each
	// is done. At most one PDF per core is held in memory.
	type rendered struct {
		pdf []byte
		err error
	}
	workers := runtime.GOMAXPROCS(0)
	slots := make(chan struct{}, workers)
	results := make([]chan rendered, len(certs))
	for i := range results {
		results[i] = make(chan rendered, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for i := len(certs) - 1; i >= 0; i-- {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func(i int) {
				pdf, err := s.PDF(&certs[i])
				results[i] <- rendered{pdf, err}
			}(i)
		}
	}()
	zw := zip.NewWriter(w)
	done := 0
	for i := len(certs) - 1; i >= 0; i-- {
		c := &certs[i]
		var r rendered
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		<-slots
		if r.err != nil {
			return 0, fmt.Errorf("certify: export %s: %w", c.Number, r.err)
		}
		entry, err := zw.CreateHeader(&zip.FileHeader{
			Name:     zipName(c),
			Method:   zip.Store, // PDFs are compressed already
			Modified: c.IssuedAt.In(web.Amsterdam),
		})
		if err != nil {
			return 0, fmt.Errorf("certify: export: %w", err)
		}
		if _, err := entry.Write(r.pdf); err != nil {
			return 0, fmt.Errorf("certify: export: %w", err)
		}
		done++
		if progress != nil {
			progress(done, total)
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
