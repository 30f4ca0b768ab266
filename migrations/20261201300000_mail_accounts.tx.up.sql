-- Mail, account recovery and organisation login (issue 10).

-- A new account works once its address is confirmed. Accounts that existed
-- before worked without confirmation and stay working: adding the column
-- with a default fills every existing row with it. Registration sets NULL.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz DEFAULT now();

-- Single-use links sent by mail: confirming an address, setting a new
-- password. Only the SHA-256 of the token is kept.
CREATE TABLE account_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('verify', 'reset')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expires_idx ON account_tokens (expires_at);

-- Browsers a user logged in with: failed logins elsewhere never lock them out.
CREATE TABLE trusted_devices (
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_hash  bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_hash)
);
CREATE INDEX trusted_devices_used_idx ON trusted_devices (last_used_at);

-- A mail the recipient does not want (a topic they turned off, an account
-- that no longer exists) is skipped, and shown as such to admins.
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('pending', 'sent', 'failed', 'skipped'));
CREATE INDEX outbox_mail_to_idx ON outbox (lower(payload ->> 'to'), id DESC) WHERE kind = 'mail';

-- Topics of mail a user turned off. Account mail cannot be turned off.
CREATE TABLE mail_optouts (
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    topic      text        NOT NULL CHECK (topic IN ('certificering', 'gids', 'proefprojecten')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, topic)
);

-- An organisation's OpenID Connect provider. The client secret is sealed
-- with AES-GCM under a key kept outside the database.
CREATE TABLE identity_providers (
    id              bigserial PRIMARY KEY,
    organisation_id bigint      NOT NULL UNIQUE REFERENCES organisations (id) ON DELETE CASCADE,
    issuer          text        NOT NULL CHECK (issuer ~ '^https?://'),
    client_id       text        NOT NULL CHECK (client_id <> ''),
    client_secret   bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The e-mail domains a provider vouches for; a domain has one provider.
CREATE TABLE identity_provider_domains (
    domain      text   PRIMARY KEY CHECK (domain = lower(domain)),
    provider_id bigint NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE
);
CREATE INDEX identity_provider_domains_provider_idx ON identity_provider_domains (provider_id);

-- Who a provider's subject is here.
CREATE TABLE user_identities (
    provider_id   bigint      NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
    subject       text        NOT NULL,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider_id, subject)
);
CREATE INDEX user_identities_user_idx ON user_identities (user_id);

-- Logins under way at a provider: state (hashed), nonce and PKCE verifier.
CREATE TABLE oidc_logins (
    state_hash  bytea       PRIMARY KEY,
    provider_id bigint      NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
    nonce       text        NOT NULL,
    verifier    text        NOT NULL,
    back        text        NOT NULL DEFAULT '',
    expires_at  timestamptz NOT NULL
);
CREATE INDEX oidc_logins_expires_idx ON oidc_logins (expires_at);
