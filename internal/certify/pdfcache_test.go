package certify

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

func testCertificate() *Certificate {
	expires := time.Date(2029, time.November, 22, 9, 30, 0, 0, time.UTC)
	return &Certificate{
		Number: "W20-ADV-2026-000123-2", Kind: KindAdviser, Title: "Gecertificeerd Overheid 2.0-adviseur",
		Achievement: achievement(KindAdviser), HolderName: "Şükrü Yıldız-van Dijk",
		IssuedAt: time.Date(2026, time.November, 22, 9, 30, 0, 0, time.UTC), ExpiresAt: &expires,
		Status: StatusValid, Version: 1, StatusIndex: 7,
	}
}

func testService(now time.Time) *Service {
	return NewService(nil, nil, Config{BaseURL: "https://leren.example.nl", Now: func() time.Time { return now }})
}

// The same record gives the same bytes, from the cache or rendered anew by
// another instance; a change of status or expiry gives other bytes.
func TestService_PDF(t *testing.T) {
	now := time.Date(2027, time.January, 1, 12, 0, 0, 0, time.UTC)
	s1, s2 := testService(now), testService(now)
	c := testCertificate()
	first, err := s1.PDF(c)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := s1.PDF(c)
	other, _ := s2.PDF(c)
	if !bytes.Equal(first, again) || !bytes.Equal(first, other) {
		t.Fatal("the same record gives different PDFs")
	}
	if s1.pdfs.len() != 1 {
		t.Errorf("cache holds %d entries", s1.pdfs.len())
	}

	revoked := *c
	revoked.Status, revoked.StatusReason, revoked.Version = StatusRevoked, "Vervalst bewijs.", 2
	pdf, _ := s1.PDF(&revoked)
	if bytes.Equal(pdf, first) || !bytes.Contains([]byte(mustPDFText(t, pdf)), []byte("INGETROKKEN")) {
		t.Error("revoked certificate's PDF does not say so")
	}
	expired, _ := testService(c.ExpiresAt.Add(time.Hour)).PDF(c)
	if !bytes.Contains([]byte(mustPDFText(t, expired)), []byte("VERLOPEN")) {
		t.Error("expired certificate's PDF does not say so")
	}
}

func TestPDFCache_Bounded(t *testing.T) {
	c := newPDFCache(3)
	for i := range 5 {
		c.put(fmt.Sprint(i), []byte{byte(i)})
	}
	if c.len() != 3 {
		t.Fatalf("len = %d", c.len())
	}
	if _, ok := c.get("0"); ok {
		t.Error("oldest entry kept")
	}
	c.get("2") // now the most recent
	c.put("5", nil)
	if _, ok := c.get("2"); !ok {
		t.Error("recently used entry evicted")
	}
	if _, ok := c.get("3"); ok {
		t.Error("least recently used entry kept")
	}
}

// BenchmarkService_PDF is a certificate PDF as /certificaten/{nummer}.pdf
// serves it: from the cache of rendered records after the first request.
func BenchmarkService_PDF(b *testing.B) {
	s := testService(time.Date(2027, time.January, 1, 12, 0, 0, 0, time.UTC))
	c := testCertificate()
	for b.Loop() {
		if _, err := s.PDF(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkService_PDFDistinct renders many different certificates, more
// than the cache holds: every request is rendered anew.
func BenchmarkService_PDFDistinct(b *testing.B) {
	s := NewService(nil, nil, Config{BaseURL: "https://leren.example.nl", PDFCacheEntries: 16})
	c := testCertificate()
	i := 0
	for b.Loop() {
		c.Number = NewNumber(KindAdviser, 2026, i%1000).String()
		i++
		if _, err := s.PDF(c); err != nil {
			b.Fatal(err)
		}
	}
}
