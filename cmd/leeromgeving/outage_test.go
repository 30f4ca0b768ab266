package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/pglocal"
)

// While PostgreSQL restarts or crashes under load, every request that needs it is
// answered 503 with Retry-After (a Dutch page, or problem+json for the
// API), never 500; /readyz says not ready; and service returns by itself
// once the database is back. The test runs its own cluster, since it stops
// it (the shared test cluster serves other packages at the same time).
func TestOutage_DatabaseRestartGives503(t *testing.T) {
	dir := t.TempDir()
	logf, err := os.Create(filepath.Join(dir, "postgres.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	pgdir := filepath.Join(dir, "pg")
	cluster, err := pglocal.Start(t.Context(), pgdir, logf)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cluster.Stop() }()
	if _, err := cluster.EnsureDatabase(t.Context(), "leeromgeving"); err != nil {
		t.Fatal(err)
	}
	base := startWith(t, map[string]string{"DATABASE_URL": cluster.URL("leeromgeving")})

	paths := []string{"/cursussen", "/gids", "/api/v1/courses", "/readyz", "/register"}
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		bad      []string
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 6 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				path := paths[(w+i)%len(paths)]
				res, err := client.Get(base + path)
				if err != nil {
					continue
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				mu.Lock()
				statuses[res.StatusCode]++
				switch {
				case res.StatusCode >= 500 && res.StatusCode != http.StatusServiceUnavailable:
					bad = append(bad, path+": "+res.Status+" "+string(body[:min(len(body), 200)]))
				case res.StatusCode == http.StatusServiceUnavailable && path != "/readyz":
					api := strings.HasPrefix(path, "/api/")
					if res.Header.Get("Retry-After") == "" ||
						(api && res.Header.Get("Content-Type") != "application/problem+json") ||
						(!api && !strings.Contains(string(body), "Tijdelijk niet beschikbaar")) {
						bad = append(bad, path+": 503 without Retry-After or the Dutch page/problem: "+res.Header.Get("Content-Type"))
					}
				}
				mu.Unlock()
			}
		})
	}
	waitFor(t, "the app serving under load", func() bool { mu.Lock(); defer mu.Unlock(); return statuses[200] > 50 })

	for _, outage := range []struct {
		name string
		stop func() error
	}{{"restart", func() error { return cluster.Stop() }}, {"crash", func() error { return cluster.Crash() }}} {
		mu.Lock()
		before := statuses[503]
		mu.Unlock()
		if err := outage.stop(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "503s while the database is down ("+outage.name+")", func() bool { mu.Lock(); defer mu.Unlock(); return statuses[503] > before+20 })
		if res, err := client.Get(base + "/readyz"); err != nil || res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz while the database is down: %v %v", res.StatusCode, err)
		}
		cluster, err = pglocal.Start(t.Context(), pgdir, logf)
		if err != nil {
			t.Fatal(err)
		}
		back := time.Now()
		waitFor(t, "service back after the "+outage.name, func() bool {
			for _, p := range []string{"/readyz", "/cursussen", "/api/v1/courses"} {
				res, err := client.Get(base + p)
				if err != nil {
					return false
				}
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					return false
				}
			}
			return true
		})
		t.Logf("%s: full service %v after the database was back", outage.name, time.Since(back).Round(time.Millisecond))
	}
	stop.Store(true)
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	t.Logf("statuses under load: %v", statuses)
	if len(bad) > 0 {
		t.Errorf("%d answers other than 200 or a proper 503, for example:\n%s", len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"))
	}
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("gave up waiting for %s", what)
}
