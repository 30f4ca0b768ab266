package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/ambtenaar20/leeromgeving/internal/certify"
	"github.com/ambtenaar20/leeromgeving/internal/webtest"
)

// pdfViewer is the extension in which Chromium shows a PDF.
const pdfViewer = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"

// A certificate's PDF carries a content security policy of its own, and
// Chromium's PDF viewer still opens it: the viewer shows the document's
// title, which it reads from the PDF itself.
func TestBrowser_CertificatePDFUnderItsPolicy(t *testing.T) {
	base, db := startAppDB(t)
	u := webtest.MustUser(t, db, "Lotte Leerling", "lotte@e2e.example", "Gemeente E2E")
	svc := certify.NewService(db, nil, certify.Config{BaseURL: base})
	ctx := context.Background()
	if err := svc.IssueCourseCertificate(ctx, db, certify.CourseCompletion{UserID: u.ID, HolderName: u.Name,
		CourseSlug: "werken-20-de-basis", CourseTitle: "Werken 2.0 — de basis", CompletedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	certs, _, err := svc.Certificates(ctx, certify.CertificateFilter{CourseSlug: "werken-20-de-basis"})
	if err != nil || len(certs) != 1 {
		t.Fatalf("certificates: %v %v", certs, err)
	}
	url := base + "/certificaten/" + certs[0].Number + ".pdf"
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("the PDF's policy is %q", csp)
	}

	browser := newBrowser(t)
	must(t, browser, "open the PDF", chromedp.Navigate(url))
	// The viewer is a frame of its own: attach to it once it is there, then
	// wait for the document's title in its toolbar.
	var viewerID target.ID
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline) && viewerID == ""; time.Sleep(50 * time.Millisecond) {
		targets, err := chromedp.Targets(browser)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range targets {
			if strings.HasPrefix(tg.URL, pdfViewer) {
				viewerID = tg.TargetID
			}
		}
	}
	if viewerID == "" {
		t.Fatal("Chromium opened no PDF viewer for the certificate")
	}
	viewer, cancel := chromedp.NewContext(browser, chromedp.WithTargetID(viewerID))
	defer cancel()
	want, seen := "Certificaat "+certs[0].Number, ""
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		seen, _ = chromedp.Run(viewer, chromedp.Evaluate[string](`(() => {
			const v = document.querySelector("pdf-viewer");
			const bar = v && v.shadowRoot && v.shadowRoot.querySelector("viewer-toolbar");
			return bar && bar.shadowRoot ? bar.shadowRoot.textContent : "";
		})()`))
		if strings.Contains(seen, want) {
			return
		}
	}
	t.Fatalf("Chromium's PDF viewer did not open the certificate (toolbar: %q)", strings.Join(strings.Fields(seen), " "))
}
