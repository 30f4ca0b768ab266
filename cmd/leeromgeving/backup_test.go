package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

// A seeded instance is backed up while it serves, the copy is restored
// into a new private cluster, and the restored instance shows every
// certificate with the same bytes and signatures and the learner's
// progress as it was. A second restore into the now full database is
// refused.
func TestRun_BackupUnderLoadAndRestore(t *testing.T) {
	const baseURL = "http://leren.test"
	dbURL, demoPw := demoURL(t)
	password := demoPw
	live := startWith(t, map[string]string{"DATABASE_URL": dbURL, "LEEROMGEVING_BASE_URL": baseURL})

	db := testdb.Open(t, dbURL)
	var numbers []string
	if err := db.NewRaw("SELECT number FROM cert_certificates ORDER BY number").Scan(t.Context(), &numbers); err != nil || len(numbers) == 0 {
		t.Fatalf("certificates in the demo: %v %v", numbers, err)
	}
	before := certificateFiles(t, live, numbers)
	progress := learnerProgress(t, live, "lotte@utrecht.example", password)

	// Load while the backup runs: pages, the API and logins (which write).
	var stop atomic.Bool
	var wg sync.WaitGroup
	var served atomic.Int64
	for w := range 4 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				if w == 0 && i%5 == 0 {
					learnerProgress(t, live, "sukru@utrecht.example", password)
					continue
				}
				res, err := http.Get(live + []string{"/cursussen", "/gids", "/api/v1/courses", "/register"}[i%4])
				if err == nil {
					io.Copy(io.Discard, res.Body) //nolint:errcheck
					res.Body.Close()
					served.Add(1)
				}
			}
		})
	}
	file := filepath.Join(t.TempDir(), "leeromgeving.dump")
	var out strings.Builder
	err := run(t.Context(), []string{"backup", file}, func(k string) string { return map[string]string{"DATABASE_URL": dbURL}[k] }, &out)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	t.Logf("backup while serving %d requests: %s", served.Load(), strings.TrimSpace(out.String()))

	dataDir := t.TempDir()
	privateEnv := func(k string) string { return map[string]string{"LEEROMGEVING_DATA_DIR": dataDir}[k] }
	out.Reset()
	if err := run(t.Context(), []string{"restore", file}, privateEnv, &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"restore", file}, privateEnv, &out); err == nil || !strings.Contains(err.Error(), "niet leeg") {
		t.Fatalf("a second restore into the full database: %v", err)
	}
	out.Reset()
	if err := run(t.Context(), []string{"restore", filepath.Join(t.TempDir(), "x")}, privateEnv, &out); err == nil {
		t.Fatal("restoring a missing file succeeded")
	}

	restored := startWith(t, map[string]string{"LEEROMGEVING_DATA_DIR": dataDir, "LEEROMGEVING_BASE_URL": baseURL})
	after := certificateFiles(t, restored, numbers)
	for name, b := range before {
		if !bytes.Equal(b, after[name]) {
			t.Errorf("%s differs after the restore (%d vs %d bytes)", name, len(b), len(after[name]))
		}
	}
	if got := learnerProgress(t, restored, "lotte@utrecht.example", password); got != progress {
		t.Errorf("progress after the restore:\n%s\nwant\n%s", got, progress)
	}

	// A backup of the private cluster while the app serves from it uses the
	// running server and leaves it running.
	out.Reset()
	if err := run(t.Context(), []string{"backup", filepath.Join(t.TempDir(), "again.dump")}, privateEnv, &out); err != nil {
		t.Fatalf("backup of the serving private cluster: %v\n%s", err, out.String())
	}
	if got := learnerProgress(t, restored, "lotte@utrecht.example", password); got != progress {
		t.Errorf("the app lost its database during the backup: %s", got)
	}
}

// certificateFiles fetches each certificate's PDF, credential, signed
// credential and verification, by file name.
func certificateFiles(t *testing.T, base string, numbers []string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, n := range numbers {
		for _, path := range []string{"/certificaten/" + n + ".pdf", "/certificaten/" + n + ".json", "/certificaten/" + n + ".jwt"} {
			files[path] = fetch(t, base+path)
		}
		// The verdict, without the moment it was given.
		var verdict map[string]any
		if err := json.Unmarshal(fetch(t, base+"/api/v1/certificates/"+n), &verdict); err != nil {
			t.Fatal(err)
		}
		delete(verdict, "checked_at")
		files["verdict "+n], _ = json.Marshal(verdict)
	}
	files["/.well-known/jwks.json"] = fetch(t, base+"/.well-known/jwks.json")
	return files
}

// learnerProgress logs in as email and returns their progress as JSON.
func learnerProgress(t *testing.T, base, email, password string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	page, err := c.Get(base + "/inloggen")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	tok := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(body)
	if tok == nil {
		t.Fatal("no CSRF token on the login page")
	}
	res, err := c.PostForm(base+"/inloggen", url.Values{"_csrf": {string(tok[1])}, "email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = c.Get(base + "/api/v1/me/progress")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("progress of %s: %d %s", email, res.StatusCode, b)
	}
	return string(b)
}
