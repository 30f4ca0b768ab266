-- The leeromgeving as an LTI 1.3 tool: the tool's own RSA keys, the
-- platforms (LMSs) registered by admins, the short-lived state of logins and
-- launches, the LTI users linked to accounts, and the gradebook columns
-- (AGS line items) scores go back to.

-- The tool's signing keys. One is current; retired ones stay published in
-- /lti/jwks so what they signed keeps verifying.
CREATE TABLE lti_tool_keys (
    kid         text PRIMARY KEY,
    private_key bytea NOT NULL, -- PKCS #8 DER
    created_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz
);
CREATE UNIQUE INDEX lti_tool_keys_one_current ON lti_tool_keys ((true)) WHERE retired_at IS NULL;

-- A platform is one registration of the tool in an LMS: its issuer and the
-- client id it gave the tool, the deployments allowed, and its endpoints.
CREATE TABLE lti_platforms (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
    issuer          text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
    client_id       text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255),
    deployment_ids  text[] NOT NULL CHECK (cardinality(deployment_ids) BETWEEN 1 AND 50),
    auth_url        text NOT NULL CHECK (length(auth_url) BETWEEN 1 AND 500),
    token_url       text NOT NULL CHECK (length(token_url) BETWEEN 1 AND 500),
    jwks_url        text NOT NULL CHECK (length(jwks_url) BETWEEN 1 AND 500),
    token_audience  text NOT NULL DEFAULT '' CHECK (length(token_audience) <= 500), -- '' means the token URL
    -- New users of this platform join this organisation.
    organisation_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX lti_platforms_issuer_client_key ON lti_platforms (issuer, client_id);

-- A login initiated by a platform and not yet completed by a launch. The
-- state and nonce are ours; browser_hash binds it to the browser that
-- started it (the SHA-256 of a cookie), against login CSRF.
CREATE TABLE lti_logins (
    state           text PRIMARY KEY,
    nonce           text NOT NULL UNIQUE,
    platform_id     bigint NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    browser_hash    bytea NOT NULL,
    target_link_uri text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL
);
CREATE INDEX lti_logins_expires_idx ON lti_logins (expires_at);

-- Nonces of accepted id_tokens: each is used once, and forgotten after the
-- token has expired.
CREATE TABLE lti_nonces (
    platform_id bigint NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    nonce       text NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (platform_id, nonce)
);
CREATE INDEX lti_nonces_expires_idx ON lti_nonces (expires_at);

-- A person of a platform (iss + sub) linked to an account here.
CREATE TABLE lti_users (
    id             bigserial PRIMARY KEY,
    platform_id    bigint NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    subject        text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_launch_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform_id, subject)
);
CREATE INDEX lti_users_user_idx ON lti_users (user_id);

-- A gradebook column (AGS line item) of a platform that receives a user's
-- result in a course. version counts the changes; changed_at is the
-- timestamp of the latest score, strictly increasing per column.
CREATE TABLE lti_grade_links (
    id           bigserial PRIMARY KEY,
    lti_user_id  bigint NOT NULL REFERENCES lti_users (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    lineitem_url text NOT NULL CHECK (length(lineitem_url) BETWEEN 1 AND 1000),
    version      integer NOT NULL DEFAULT 1,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (lti_user_id, lineitem_url)
);
CREATE INDEX lti_grade_links_user_course_idx ON lti_grade_links (user_id, course_id);

-- A deep-linking launch waiting for the teacher's choice of course. The
-- picker form carries the token; only its hash is kept.
CREATE TABLE lti_deep_links (
    token_hash    bytea PRIMARY KEY,
    platform_id   bigint NOT NULL REFERENCES lti_platforms (id) ON DELETE CASCADE,
    deployment_id text NOT NULL,
    return_url    text NOT NULL,
    data          jsonb, -- the platform's opaque data claim, echoed verbatim
    accept_window boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX lti_deep_links_expires_idx ON lti_deep_links (expires_at);

-- A verified launch that continues in a new window: kind 'open' starts the
-- session of a known user (the launch came in an iframe, where our session
-- cookie cannot live); kind 'link' waits for the person to log in to the
-- existing account with their e-mail address before it is linked.
CREATE TABLE lti_handoffs (
    token_hash bytea PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('open', 'link')),
    user_id    bigint REFERENCES users (id) ON DELETE CASCADE,
    launch     jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CHECK ((kind = 'open') = (user_id IS NOT NULL))
);
CREATE INDEX lti_handoffs_expires_idx ON lti_handoffs (expires_at);
