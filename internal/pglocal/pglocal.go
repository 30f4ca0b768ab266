// Package pglocal runs a private PostgreSQL cluster for the application and
// its tests: initdb on first use, postgres on a Unix socket only, stopped
// cleanly on exit. PostgreSQL refuses to run as root, so when the process is
// root the cluster runs as the "postgres" system user.
package pglocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/database"
	"github.com/uptrace/bun/driver/pgdriver"
)

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	dataDir string
	sockDir string
	cmd     *exec.Cmd // nil when attached to a server another process runs
	done    chan error
}

// superuser is the role initdb creates; it also owns the application database.
const superuser = "postgres"

// Start initialises dir (when it holds no cluster yet) and starts postgres on
// a Unix socket. Server output goes to logw. When the cluster already runs
// for another live process (the app serving while a CLI command such as
// backup or user create runs), Start connects to it instead, and Stop leaves
// it running. A postmaster left behind by a killed earlier run is stopped
// first, so a restart after kill -9 works.
func Start(ctx context.Context, dir string, logw io.Writer) (*Cluster, error) {
	bin, err := findBinDir()
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("pglocal: %w", err)
	}
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	c := &Cluster{dataDir: filepath.Join(dir, "pgdata"), done: make(chan error, 1)}
	c.sockDir, err = socketDir(dir)
	if err != nil {
		return nil, err
	}
	for _, d := range []string{dir, c.sockDir} {
		if err := ensureDir(d, cred); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := initdb(ctx, bin, c.dataDir, cred, logw); err != nil {
			return nil, err
		}
	}
	if sock, ok := servedByOther(c.dataDir); ok {
		c.sockDir = sock
		if err := c.waitReady(ctx); err != nil {
			return nil, err
		}
		return c, nil
	}
	stopStale(c.dataDir)
	if err := c.start(bin, cred, logw); err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// URL is the connection string for database name on this cluster.
func (c *Cluster) URL(name string) string {
	q := url.Values{"host": {c.sockDir}, "sslmode": {"disable"}}
	return "postgres://" + superuser + "@/" + name + "?" + q.Encode()
}

// SocketPath is the Unix socket file of the server.
func (c *Cluster) SocketPath() string { return filepath.Join(c.sockDir, ".s.PGSQL.5432") }

// Stop shuts the server down with a fast shutdown and waits for it to exit.
func (c *Cluster) Stop() error { return c.stop(syscall.SIGINT) }

// Crash stops the server the way a crash would: an immediate shutdown,
// without a checkpoint, so the next start recovers from the WAL. For tests
// of what the application does when its database goes away.
func (c *Cluster) Crash() error { return c.stop(syscall.SIGQUIT) }

func (c *Cluster) stop(sig syscall.Signal) error {
	if c.cmd == nil || c.cmd.Process == nil {
		return nil // not started here (or attached to another process's server)
	}
	_ = c.cmd.Process.Signal(sig)
	select {
	case <-c.done:
		return nil
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
		return errors.New("pglocal: postgres did not stop in 30s, killed")
	}
}

func (c *Cluster) start(bin string, cred *syscall.Credential, logw io.Writer) error {
	cmd := exec.Command(filepath.Join(bin, "postgres"),
		"-D", c.dataDir,
		"-k", c.sockDir,
		"-c", "listen_addresses=",
		"-c", "max_connections=200",
		"-c", "shared_buffers=256MB",
		"-c", "fsync=on",
		"-c", "log_min_messages=warning",
		"-c", "log_checkpoints=off",
	)
	cmd.Stdout, cmd.Stderr = logw, logw
	// Pdeathsig stops postgres when this process dies, even by kill -9;
	// Setpgid keeps a terminal's Ctrl-C away from it so we stop it in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGINT, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pglocal: start postgres: %w", err)
	}
	c.cmd = cmd
	go func() { c.done <- cmd.Wait() }()
	return nil
}

// waitReady polls until the server accepts connections on its socket.
func (c *Cluster) waitReady(ctx context.Context) error {
	db, err := database.SQL(c.URL("postgres"), pgdriver.WithTimeout(time.Second))
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-c.done:
			c.done <- err
			return fmt.Errorf("pglocal: postgres exited during start-up (%v); see its log", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if db.PingContext(ctx) == nil {
			return nil
		}
	}
	return errors.New("pglocal: postgres not ready after 60s")
}

func initdb(ctx context.Context, bin, dataDir string, cred *syscall.Credential, logw io.Writer) error {
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
		"-D", dataDir, "-U", superuser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions")
	cmd.Stdout, cmd.Stderr = logw, logw
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pglocal: initdb %s: %w", dataDir, err)
	}
	return nil
}

// postmaster reads the data directory's postmaster.pid: the server's pid
// and its socket directory, when that server runs.
func postmaster(dataDir string) (pid int, sockDir string, ok bool) {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return 0, "", false
	}
	lines := strings.Split(string(b), "\n")
	pid, err = strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 1 {
		return 0, "", false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil || !strings.Contains(string(cmdline), dataDir) {
		return 0, "", false // not running, or the pid now belongs to someone else
	}
	if len(lines) > 4 {
		sockDir = strings.TrimSpace(lines[4])
	}
	return pid, sockDir, true
}

// servedByOther reports whether the cluster runs for a live process (another
// one, or another part of this one), and its socket directory. Our
// postmasters die with the process that started them, so one whose parent
// is gone (re-parented to init) is stale.
func servedByOther(dataDir string) (string, bool) {
	pid, sock, ok := postmaster(dataDir)
	if !ok || sock == "" {
		return "", false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", false
	}
	// Fields after the command name, which is in parentheses: state, ppid.
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
	fields := strings.Fields(rest)
	if len(fields) < 2 {
		return "", false
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil || ppid <= 1 {
		return "", false
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", ppid)); err != nil {
		return "", false
	}
	return sock, true
}

// stopStale ends a postmaster of this data directory that outlived its parent.
// PostgreSQL itself removes a pid file whose process is gone.
func stopStale(dataDir string) {
	pid, _, ok := postmaster(dataDir)
	if !ok {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGINT)
	for i := 0; i < 300; i++ {
		if syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Program returns the path of one of PostgreSQL's programs (pg_dump,
// pg_restore, …) from the same installation the private cluster uses.
func Program(name string) (string, error) {
	bin, err := findBinDir()
	if err != nil {
		return "", err
	}
	p := filepath.Join(bin, name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("pglocal: %s not found beside initdb in %s", name, bin)
	}
	return p, nil
}

// findBinDir finds initdb on PATH or in the newest /usr/lib/postgresql/*/bin.
func findBinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		// Debian links initdb into /usr/local/bin; the other programs are
		// only beside the link's target.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "postgres")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", errors.New("pglocal: PostgreSQL server not found (no initdb on PATH or in /usr/lib/postgresql/*/bin); install it, e.g. apt-get install postgresql, or set DATABASE_URL")
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

// runAs returns the credential of the postgres user when we are root, else nil.
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pglocal: running as root needs the postgres system user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// socketDir keeps the socket under dir unless that path would exceed the
// kernel's 107-byte limit for socket addresses.
func socketDir(dir string) (string, error) {
	d := filepath.Join(dir, "run")
	if len(d)+len("/.s.PGSQL.5432") < 100 {
		return d, nil
	}
	t, err := os.MkdirTemp("", "leeromgeving-pg-")
	if err != nil {
		return "", fmt.Errorf("pglocal: socket dir: %w", err)
	}
	return t, nil
}

// ensureDir creates d owned by the cluster's user, and makes sure that user
// can reach it through every parent directory.
func ensureDir(d string, cred *syscall.Credential) error {
	if err := os.MkdirAll(d, 0o700); err != nil {
		return fmt.Errorf("pglocal: %w", err)
	}
	if cred == nil {
		return nil
	}
	if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
		return fmt.Errorf("pglocal: %w", err)
	}
	for p := filepath.Dir(d); p != "/"; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("pglocal: %w", err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(p, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("pglocal: let postgres reach %s: %w", p, err)
			}
		}
	}
	return nil
}

// EnsureDatabase creates database name when it does not exist yet and reports
// whether it did.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) (bool, error) {
	db, err := database.SQL(c.URL("postgres"))
	if err != nil {
		return false, err
	}
	defer db.Close()
	var exists bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return false, fmt.Errorf("pglocal: check database %s: %w", name, err)
	}
	if exists {
		return false, nil
	}
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(name)); err != nil {
		return false, fmt.Errorf("pglocal: create database %s: %w", name, err)
	}
	return true, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
