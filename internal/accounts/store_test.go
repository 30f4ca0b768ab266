package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ambtenaar20/leeromgeving/internal/apperr"
	"github.com/ambtenaar20/leeromgeving/internal/testdb"
)

func mustRegister(t *testing.T, svc *Service, name, email string) *User {
	t.Helper()
	u, err := svc.Register(context.Background(), NewUser{Name: name, Email: email, Password: "correct paard batterij nietje", NewOrgName: "Org " + email, NewOrgKind: "gemeente"})
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	return u
}

func TestStore_CreateUser(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db, false)
	ctx := context.Background()

	t.Run("OK", func(t *testing.T) {
		u := mustRegister(t, svc, "Anna de Vries", "Anna@Utrecht.example")
		got, err := svc.store.UserByEmail(ctx, "anna@utrecht.EXAMPLE")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != u.ID || got.Email != "Anna@Utrecht.example" || got.OrganisationName() != "Org Anna@Utrecht.example" {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("ErrEmailTaken", func(t *testing.T) {
		_, err := svc.Register(ctx, NewUser{Name: "Ander", Email: "ANNA@utrecht.example", Password: "correct paard batterij nietje"})
		if !errors.Is(err, ErrEmailTaken) || !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("err = %v, want ErrEmailTaken", err)
		}
	})
	t.Run("ErrOrgNameTaken", func(t *testing.T) {
		_, err := svc.Register(ctx, NewUser{Name: "B", Email: "b@x.example", Password: "correct paard batterij nietje", NewOrgName: "org anna@utrecht.example", NewOrgKind: "rijk"})
		if !errors.Is(err, ErrOrgNameTaken) {
			t.Fatalf("err = %v, want ErrOrgNameTaken", err)
		}
		if _, err := svc.store.UserByEmail(ctx, "b@x.example"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("user was stored although the organisation failed: %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := svc.store.User(ctx, 999999); !errors.Is(err, ErrNotFound) || !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("StoredAsTyped", func(t *testing.T) {
		name := `<script>alert(1)</script> O'Brien; DROP TABLE users;--`
		u := mustRegister(t, svc, name, "obrien@x.example")
		got, err := svc.store.User(ctx, u.ID)
		if err != nil || got.Name != name {
			t.Fatalf("name = %q, %v", got.Name, err)
		}
	})
}

func TestStore_Roles(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db, false)
	ctx := context.Background()
	u := mustRegister(t, svc, "Rolf", "rolf@x.example")
	for i := 0; i < 2; i++ { // granting twice keeps one copy
		if err := svc.store.GrantRole(ctx, u.ID, "assessor"); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := svc.store.User(ctx, u.ID)
	if fmt.Sprint(got.Roles) != "[assessor]" || !got.Viewer().Has("assessor") || got.Viewer().Has("admin") {
		t.Fatalf("roles = %v", got.Roles)
	}
	if err := svc.store.RevokeRole(ctx, u.ID, "assessor"); err != nil {
		t.Fatal(err)
	}
	got, _ = svc.store.User(ctx, u.ID)
	if len(got.Roles) != 0 {
		t.Fatalf("roles after revoke = %v", got.Roles)
	}
	if _, err := svc.Register(ctx, NewUser{Name: "X", Email: "x@x.example", Password: "correct paard batterij nietje", Roles: []string{"keizer"}}); err == nil {
		t.Fatal("unknown role accepted")
	}
}

func TestStore_SearchUsers(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db, false)
	for i := 0; i < 30; i++ {
		mustRegister(t, svc, fmt.Sprintf("Gebruiker %02d", i), fmt.Sprintf("g%02d@zoek.example", i))
	}
	mustRegister(t, svc, "Bijzonder_100%", "bijzonder@x.example")
	ctx := context.Background()
	tests := []struct {
		q            string
		limit, off   int
		wantN, total int
	}{
		{"", 25, 0, 25, 31},
		{"", 25, 25, 6, 31},
		{"zoek.example", 10, 0, 10, 30},
		{"GEBRUIKER 1", 25, 0, 10, 10},
		{"_100%", 25, 0, 1, 1}, // LIKE wildcards are matched literally
		{"niemand", 25, 0, 0, 0},
	}
	for _, tt := range tests {
		p, err := svc.store.SearchUsers(ctx, tt.q, tt.limit, tt.off)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Users) != tt.wantN || p.Total != tt.total {
			t.Errorf("SearchUsers(%q, %d, %d) = %d users of %d, want %d of %d", tt.q, tt.limit, tt.off, len(p.Users), p.Total, tt.wantN, tt.total)
		}
	}
}

func mustDevice(t *testing.T) string {
	t.Helper()
	d, err := NewDeviceID()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The lock-out test: a guesser on one browser is made to wait, longer each
// time; the owner on another browser (even behind the same address) logs
// in; the owner is mailed a reset link; many guessers at once make only
// browsers the owner never used wait.
func TestService_LoginThrottle(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db, false)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	svc.Now = func() time.Time { return now }
	ctx := context.Background()
	mustRegister(t, svc, "Lies", "lies@x.example")
	const pw = "correct paard batterij nietje"
	owner := LoginInput{Email: "lies@x.example", Password: pw, Client: "10.0.0.1", Device: mustDevice(t)}

	t.Run("OK", func(t *testing.T) {
		in := owner
		in.Email = " LIES@x.example "
		u, tok, err := svc.Login(ctx, in)
		if err != nil || u.Name != "Lies" || tok == "" {
			t.Fatalf("login: %v", err)
		}
		v, err := svc.Sessions.Lookup(ctx, tok)
		if err != nil || v.Name != "Lies" {
			t.Fatalf("lookup: %v", err)
		}
	})
	t.Run("SameErrorForUnknownAndWrong", func(t *testing.T) {
		d := mustDevice(t)
		_, _, e1 := svc.Login(ctx, LoginInput{Email: "lies@x.example", Password: "verkeerd wachtwoord!!", Client: "10.0.0.2", Device: d})
		_, _, e2 := svc.Login(ctx, LoginInput{Email: "niemand@x.example", Password: "verkeerd wachtwoord!!", Client: "10.0.0.2", Device: d})
		if !errors.Is(e1, ErrBadLogin) || !errors.Is(e2, ErrBadLogin) || e1.Error() != e2.Error() {
			t.Fatalf("errors differ: %v / %v", e1, e2)
		}
		if err := svc.Throttle.Reset(ctx, keyAccount("lies@x.example")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("GuesserWaitsOwnerDoesNot", func(t *testing.T) {
		guesser := LoginInput{Email: "lies@x.example", Password: "verkeerd wachtwoord!!", Client: "10.0.0.1", Device: mustDevice(t)}
		for i := range 5 {
			if _, _, err := svc.Login(ctx, guesser); !errors.Is(err, ErrBadLogin) {
				t.Fatalf("failure %d: %v, want ErrBadLogin", i+1, err)
			}
		}
		right := guesser
		right.Password = pw
		_, _, err := svc.Login(ctx, right)
		if !errors.Is(err, ErrLoginLocked) || !errors.Is(err, apperr.ErrTooMany) || !strings.Contains(apperr.UserText(err, ""), "30 seconden") {
			t.Fatalf("guesser after 5 failures: %v, want a wait of 30 seconden", err)
		}
		fresh := owner
		fresh.Device = mustDevice(t) // a browser the owner never used, behind the guesser's address
		if _, _, err := svc.Login(ctx, fresh); err != nil {
			t.Fatalf("owner on another browser: %v", err)
		}
		if _, _, err := svc.Login(ctx, owner); err != nil {
			t.Fatalf("owner on their own browser: %v", err)
		}
		var body string
		if err := db.NewRaw("SELECT payload->>'body' FROM outbox WHERE dedupe_key LIKE 'login-warning:%'").Scan(ctx, &body); err != nil {
			t.Fatalf("owner not mailed: %v", err)
		}
		if !strings.Contains(body, "5 keer") {
			t.Errorf("warning says %q", body)
		}
		now = now.Add(31 * time.Second)
		if _, _, err := svc.Login(ctx, guesser); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("after the wait: %v, want another try", err)
		}
		if _, _, err := svc.Login(ctx, guesser); !strings.Contains(apperr.UserText(err, ""), "1 minuut") {
			t.Fatalf("6th failure: %v, want a wait of 1 minuut", err)
		}
		var n int
		if err := db.NewRaw("SELECT count(*) FROM outbox WHERE dedupe_key LIKE 'login-warning:%'").Scan(ctx, &n); err != nil || n != 1 {
			t.Errorf("%d warnings (%v), want 1", n, err)
		}
	})
	t.Run("ManyGuessersStopOnlyUnknownBrowsers", func(t *testing.T) {
		now = now.Add(2 * time.Hour)
		for i := range 50 {
			in := LoginInput{Email: "lies@x.example", Password: "verkeerd wachtwoord!!", Client: fmt.Sprintf("10.1.%d.%d", i/250, i%250), Device: mustDevice(t)}
			if _, _, err := svc.Login(ctx, in); !errors.Is(err, ErrBadLogin) {
				t.Fatalf("guess %d: %v", i, err)
			}
		}
		stranger := owner
		stranger.Device, stranger.Client = mustDevice(t), "10.2.0.1"
		if _, _, err := svc.Login(ctx, stranger); !errors.Is(err, ErrLoginLocked) {
			t.Fatalf("unknown browser during the attack: %v, want a wait", err)
		}
		if _, _, err := svc.Login(ctx, owner); err != nil {
			t.Fatalf("owner's own browser during the attack: %v", err)
		}
	})
	t.Run("ManyAccountsFromOneClient", func(t *testing.T) {
		now = now.Add(2 * time.Hour)
		d := mustDevice(t)
		for i := range 50 {
			_, _, _ = svc.Login(ctx, LoginInput{Email: fmt.Sprintf("gok%d@x.example", i), Password: "verkeerd wachtwoord!!", Client: "10.9.9.9", Device: d})
		}
		other := owner
		other.Device, other.Client = mustDevice(t), "10.9.9.9"
		if _, _, err := svc.Login(ctx, other); !errors.Is(err, ErrLoginLocked) {
			t.Fatalf("err = %v, want a wait for the client", err)
		}
		trusted := owner
		trusted.Client = "10.9.9.9"
		if _, _, err := svc.Login(ctx, trusted); err != nil {
			t.Fatalf("owner's own browser behind that client: %v", err)
		}
	})
}

func TestSessions_Expiry(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db, false)
	ctx := context.Background()
	u := mustRegister(t, svc, "Sam", "sam@x.example")
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	svc.Sessions.Now = func() time.Time { return now }
	tok, err := svc.Sessions.Create(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(7 * time.Hour) // activity pushes the expiry forward
	if _, err := svc.Sessions.Lookup(ctx, tok); err != nil {
		t.Fatalf("after 7h: %v", err)
	}
	now = now.Add(7 * time.Hour)
	if _, err := svc.Sessions.Lookup(ctx, tok); err != nil {
		t.Fatalf("7h after last use: %v", err)
	}
	now = now.Add(9 * time.Hour)
	if _, err := svc.Sessions.Lookup(ctx, tok); !errors.Is(err, errNoSession) {
		t.Fatalf("9h idle: %v, want errNoSession", err)
	}
	if err := svc.Sessions.PurgeExpired(ctx, svc.Sessions.Now()); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.NewSelect().Table("sessions").Count(ctx); n != 0 {
		t.Fatalf("%d sessions left after purge", n)
	}
}
