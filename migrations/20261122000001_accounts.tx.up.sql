CREATE TABLE organisations (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 2 AND 150),
    kind       text NOT NULL CHECK (kind IN ('rijk', 'gemeente', 'provincie', 'waterschap', 'overig')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    email           text NOT NULL CHECK (length(email) <= 254),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    password_hash   text NOT NULL,
    organisation_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    roles           text[] NOT NULL DEFAULT '{}'
                    CHECK (roles <@ ARRAY['trainer', 'assessor', 'provider', 'org_manager', 'admin']),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organisation_idx ON users (organisation_id);
CREATE INDEX users_roles_idx ON users USING gin (roles);

-- Sessions live here so any number of app instances can serve; the cookie
-- holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Failed logins per e-mail address and per client address, for throttling.
CREATE TABLE login_failures (
    key          text PRIMARY KEY,
    failures     integer NOT NULL,
    first_at     timestamptz NOT NULL,
    locked_until timestamptz
);

-- Secrets shared by all app instances (the CSRF key), made on first start.
CREATE TABLE app_secrets (
    name       text PRIMARY KEY,
    value      bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One-time events of an installation, such as "the demo content was loaded".
CREATE TABLE app_flags (
    name   text PRIMARY KEY,
    set_at timestamptz NOT NULL DEFAULT now()
);
