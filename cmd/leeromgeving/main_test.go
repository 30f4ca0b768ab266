package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/uptrace/bun"

	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// demoPassword is the demo accounts' password in databases from demoURL.
var demoPassword string

// demoURL returns a fresh database holding the demo content and accounts,
// copied from one seeded once per test run (seeding takes half a minute),
// and the demo accounts' password.
func demoURL(t *testing.T) (string, string) {
	t.Helper()
	tmpl := testdb.Filled(t, "demo", func(u string) error {
		dir, err := os.MkdirTemp("", "leeromgeving-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		env := map[string]string{"DATABASE_URL": u, "LEEROMGEVING_DATA_DIR": dir, "LEEROMGEVING_LOG_LEVEL": "warn"}
		var out strings.Builder
		if err := run(context.Background(), []string{"seed", "--demo"}, func(k string) string { return env[k] }, &out); err != nil {
			return err
		}
		m := regexp.MustCompile(`wachtwoord voor allemaal: (\S+)\)`).FindStringSubmatch(out.String())
		if m == nil {
			return fmt.Errorf("no demo password in %q", out.String())
		}
		demoPassword = m[1]
		return nil
	})
	return testdb.NewURLFrom(t, tmpl), demoPassword
}

// startApp runs the whole program through run, as main does, on a fresh
// database and a free port, and returns its base URL. It stops when the
// test ends.
func startApp(t *testing.T, extraEnv ...string) string {
	t.Helper()
	base, _ := startAppDB(t, extraEnv...)
	return base
}

// startAppDB is startApp that also returns a connection to the app's
// database, for setting up what a test needs.
func startAppDB(t *testing.T, extraEnv ...string) (string, *bun.DB) {
	t.Helper()
	env := map[string]string{"DATABASE_URL": testdb.NewURL(t)}
	for i := 0; i+1 < len(extraEnv); i += 2 {
		env[extraEnv[i]] = extraEnv[i+1]
	}
	base := startWith(t, env)
	return base, testdb.Open(t, env["DATABASE_URL"])
}

// startWith runs the whole program through run with env (a free port, a
// temporary data directory and quiet logs unless env says otherwise) and
// returns its base URL. It stops when the test ends.
func startWith(t *testing.T, env map[string]string) string {
	t.Helper()
	defaults := map[string]string{
		"LEEROMGEVING_ADDR":      "127.0.0.1:0",
		"LEEROMGEVING_LOG_LEVEL": "warn",
		"LEEROMGEVING_DATA_DIR":  t.TempDir(),
	}
	for k, v := range defaults {
		if _, ok := env[k]; !ok {
			env[k] = v
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, func(k string) string { return env[k] }, pw)
		pw.Close()
	}()
	addr := make(chan string, 1)
	var out strings.Builder
	var mu sync.Mutex
	go func() {
		re := regexp.MustCompile(`luistert op http://(\S+)`)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			mu.Lock()
			out.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	select {
	case a := <-addr:
		return "http://" + a
	case err := <-done:
		t.Fatalf("run stopped: %v", err)
	case <-time.After(60 * time.Second):
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("app did not start; output:\n%s", out.String())
	}
	return ""
}

// chromiumPath finds Debian's Chromium; the test fails (never skips) when
// it is missing, saying what to install.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Fatal("Chromium not found: install it with `apt-get install -y chromium` (make test does this when run as root) or set CHROMIUM")
	return ""
}

// newBrowser starts a headless Chromium for the test, offline-safe, with
// the extra options a test needs.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// must runs browser actions and fails the test with the page text when they fail.
func must(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		t.Fatalf("%s: %v\npage text:\n%s", what, err, body)
	}
}

// leave performs act (a click or a submit that leaves the page) and returns
// once the browser shows the next page: the document the action started on
// is gone and the new one has loaded. Waiting for an element instead can be
// fooled by the same element on the old page.
func leave(t *testing.T, ctx context.Context, what string, act chromedp.Action[chromedp.Void]) {
	t.Helper()
	mark := strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`document.documentElement.dataset.e2e = "`+mark+`"`)); err != nil {
		t.Fatalf("%s: mark the page: %v", what, err)
	}
	must(t, ctx, what, act)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && document.documentElement.dataset.e2e !== "`+mark+`"`))
		if err == nil && loaded {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	t.Fatalf("%s: the next page did not load\npage text:\n%s", what, body)
}

// textOf returns the visible text of the first element matching sel.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return s
}

// waitText waits until the text of sel contains want (pages load after a
// click, so reading at once can still see the previous page).
func waitText(t *testing.T, ctx context.Context, sel, want string) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		got, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if strings.Contains(got, want) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s shows %q, want %q", sel, got, want)
	return ""
}
