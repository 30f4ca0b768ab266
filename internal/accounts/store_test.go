package accounts

import (
	"context"
	"errors"
	"fmt"
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
		got, err := svc.Store.UserByEmail(ctx, "anna@utrecht.EXAMPLE")
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
		if _, err := svc.Store.UserByEmail(ctx, "b@x.example"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("user was stored although the organisation failed: %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := svc.Store.User(ctx, 999999); !errors.Is(err, ErrNotFound) || !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("StoredAsTyped", func(t *testing.T) {
		name := `<script>alert(1)</script> O'Brien; DROP TABLE users;--`
		u := mustRegister(t, svc, name, "obrien@x.example")
		got, err := svc.Store.User(ctx, u.ID)
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
		if err := svc.Store.GrantRole(ctx, u.ID, "assessor"); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := svc.Store.User(ctx, u.ID)
	if fmt.Sprint(got.Roles) != "[assessor]" || !got.Viewer().Has("assessor") || got.Viewer().Has("admin") {
		t.Fatalf("roles = %v", got.Roles)
	}
	if err := svc.Store.RevokeRole(ctx, u.ID, "assessor"); err != nil {
		t.Fatal(err)
	}
	got, _ = svc.Store.User(ctx, u.ID)
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
		p, err := svc.Store.SearchUsers(ctx, tt.q, tt.limit, tt.off)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Users) != tt.wantN || p.Total != tt.total {
			t.Errorf("SearchUsers(%q, %d, %d) = %d users of %d, want %d of %d", tt.q, tt.limit, tt.off, len(p.Users), p.Total, tt.wantN, tt.total)
		}
	}
}

func TestService_Login(t *testing.T) {
	db := testdb.New(t)
	svc := NewService(db, false)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	svc.Throttle.Now = func() time.Time { return now }
	svc.Throttle.Delay = func(int) time.Duration { return 0 }
	ctx := context.Background()
	mustRegister(t, svc, "Lies", "lies@x.example")
	const pw = "correct paard batterij nietje"

	t.Run("OK", func(t *testing.T) {
		u, tok, err := svc.Login(ctx, " LIES@x.example ", pw, "10.0.0.1")
		if err != nil || u.Name != "Lies" || tok == "" {
			t.Fatalf("login: %v", err)
		}
		v, err := svc.Sessions.Lookup(ctx, tok)
		if err != nil || v.Name != "Lies" {
			t.Fatalf("lookup: %v", err)
		}
	})
	t.Run("SameErrorForUnknownAndWrong", func(t *testing.T) {
		_, _, e1 := svc.Login(ctx, "lies@x.example", "verkeerd wachtwoord!!", "10.0.0.2")
		_, _, e2 := svc.Login(ctx, "niemand@x.example", "verkeerd wachtwoord!!", "10.0.0.2")
		if !errors.Is(e1, ErrBadLogin) || !errors.Is(e2, ErrBadLogin) || e1.Error() != e2.Error() {
			t.Fatalf("errors differ: %v / %v", e1, e2)
		}
	})
	t.Run("LockedAfterFiveFailures", func(t *testing.T) {
		var err error
		for i := 0; i < 5; i++ {
			_, _, err = svc.Login(ctx, "lies@x.example", "verkeerd wachtwoord!!", "10.0.0.3")
		}
		if !errors.Is(err, ErrLoginLocked) {
			t.Fatalf("5th failure: %v, want ErrLoginLocked", err)
		}
		if _, _, err := svc.Login(ctx, "lies@x.example", pw, "10.0.0.3"); !errors.Is(err, ErrLoginLocked) {
			t.Fatalf("right password while locked: %v, want ErrLoginLocked", err)
		}
		now = now.Add(16 * time.Minute)
		if _, _, err := svc.Login(ctx, "lies@x.example", pw, "10.0.0.3"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
	})
	t.Run("LockedPerAddress", func(t *testing.T) {
		svc.Throttle.MaxPerAddr = 3
		defer func() { svc.Throttle.MaxPerAddr = 50 }()
		for i := 0; i < 3; i++ {
			_, _, _ = svc.Login(ctx, fmt.Sprintf("gok%d@x.example", i), "verkeerd wachtwoord!!", "10.9.9.9")
		}
		if _, _, err := svc.Login(ctx, "lies@x.example", pw, "10.9.9.9"); !errors.Is(err, ErrLoginLocked) {
			t.Fatalf("err = %v, want ErrLoginLocked for the address", err)
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
