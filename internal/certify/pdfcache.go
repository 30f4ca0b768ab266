package certify

import (
	"bytes"
	"container/list"
	"fmt"
	"sync"

	"github.com/ambtenaar20/leeromgeving/internal/web"
)

// pdfCache keeps the most recently rendered certificate PDFs. A PDF is a
// function of the stored record and its status at the time of rendering
// (same record, same bytes), and the record only changes through its
// status, which bumps its version; so an entry keyed by number, version
// and status is never stale and needs no invalidation. It is bounded, and
// each instance of the application has its own.
type pdfCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type pdfCacheEntry struct {
	key string
	pdf []byte
}

func newPDFCache(max int) *pdfCache {
	return &pdfCache{max: max, order: list.New(), items: map[string]*list.Element{}}
}

func (c *pdfCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*pdfCacheEntry).pdf, true
	}
	return nil, false
}

func (c *pdfCache) put(key string, pdf []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.items[key] = c.order.PushFront(&pdfCacheEntry{key: key, pdf: pdf})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*pdfCacheEntry).key)
	}
}

func (c *pdfCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// PDFData is what the PDF of c shows at the service's current time.
func (s *Service) PDFData(c *Certificate) PDFData {
	status := c.StatusAt(s.now())
	d := PDFData{
		Number: c.Number, HolderName: c.HolderName, Title: c.Title, Achievement: c.Achievement,
		IssuedAt: c.IssuedAt.In(web.Amsterdam), Status: status, VerifyURL: s.VerifyURL(c.Number),
	}
	if c.ExpiresAt != nil {
		e := c.ExpiresAt.In(web.Amsterdam)
		d.ExpiresAt = &e
	}
	if status == StatusSuspended || status == StatusRevoked {
		d.StatusReason = c.StatusReason
	}
	return d
}

// PDF returns the certificate as a PDF, rendered from the stored record
// or taken from the cache of rendered ones. A revoked, suspended or expired
// certificate's PDF says so.
func (s *Service) PDF(c *Certificate) ([]byte, error) {
	d := s.PDFData(c)
	key := fmt.Sprintf("%s|%d|%s", c.Number, c.Version, d.Status)
	if pdf, ok := s.pdfs.get(key); ok {
		return pdf, nil
	}
	var buf bytes.Buffer
	if err := RenderPDF(&buf, d); err != nil {
		return nil, err
	}
	pdf := buf.Bytes()
	s.pdfs.put(key, pdf)
	return pdf, nil
}
