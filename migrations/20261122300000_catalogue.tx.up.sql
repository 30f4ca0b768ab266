-- Gouden Gids: providers, offerings, reviews, pilot projects.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Joins a text array with spaces; immutable so generated columns may use it
-- (array_to_string itself is only stable).
CREATE FUNCTION catalogue_join_words(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(array_to_string($1, ' '), '') $$;

CREATE TABLE catalogue_providers (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('institute', 'firm', 'independent')),
    name          text NOT NULL CHECK (length(name) BETWEEN 2 AND 150),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    website       text NOT NULL DEFAULT '' CHECK (length(website) <= 300),
    contact_email text NOT NULL DEFAULT '' CHECK (length(contact_email) <= 254),
    contact_phone text NOT NULL DEFAULT '' CHECK (length(contact_phone) <= 40),
    provinces     text[] NOT NULL DEFAULT '{}',
    quality_marks text[] NOT NULL DEFAULT '{}' CHECK (quality_marks <@ ARRAY['crkbo', 'nrto']),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    approved_at   timestamptz
);
CREATE UNIQUE INDEX catalogue_providers_name_key ON catalogue_providers (lower(name));
CREATE INDEX catalogue_providers_status_idx ON catalogue_providers (status, kind);

-- The users who may manage a provider's listing.
CREATE TABLE catalogue_provider_owners (
    provider_id bigint NOT NULL REFERENCES catalogue_providers (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (provider_id, user_id)
);
CREATE INDEX catalogue_provider_owners_user_idx ON catalogue_provider_owners (user_id);

CREATE TABLE catalogue_offerings (
    id               bigserial PRIMARY KEY,
    provider_id      bigint NOT NULL REFERENCES catalogue_providers (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('training', 'advice')),
    title            text NOT NULL CHECK (length(title) BETWEEN 3 AND 150),
    description      text NOT NULL CHECK (length(description) <= 20000),
    themes           text[] NOT NULL CHECK (cardinality(themes) BETWEEN 1 AND 8),
    provinces        text[] NOT NULL CHECK (cardinality(provinces) >= 1),
    format           text NOT NULL CHECK (format IN ('klassikaal', 'online', 'blended', 'incompany')),
    study_hours      numeric(6,1) NOT NULL CHECK (study_hours > 0 AND study_hours <= 2000),
    price_excl_cents bigint NOT NULL CHECK (price_excl_cents >= 0 AND price_excl_cents <= 100000000),
    vat_percent      smallint NOT NULL CHECK (vat_percent IN (0, 9, 21)),
    price_incl_cents bigint NOT NULL CHECK (price_incl_cents >= price_excl_cents),
    language         text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
    start_dates      date[] NOT NULL DEFAULT '{}',
    course_slug      text NOT NULL DEFAULT '' CHECK (length(course_slug) <= 100),
    -- listed: the provider is approved, so the offering shows in the Gids.
    listed           boolean NOT NULL DEFAULT false,
    -- certified: the offering or its provider has a linked certificate that was valid when last checked.
    certified        boolean NOT NULL DEFAULT false,
    review_count     integer NOT NULL DEFAULT 0,
    rating_mean      numeric(4,3) NOT NULL DEFAULT 0,
    rating_bayes     numeric(4,3) NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    search           tsvector GENERATED ALWAYS AS (
                         setweight(to_tsvector('dutch', title), 'A') ||
                         setweight(to_tsvector('dutch', replace(catalogue_join_words(themes), '-', ' ')), 'B') ||
                         setweight(to_tsvector('dutch', description), 'C')) STORED,
    search_words     text GENERATED ALWAYS AS (
                         lower(title || ' ' || replace(catalogue_join_words(themes), '-', ' '))) STORED
);
CREATE INDEX catalogue_offerings_provider_idx ON catalogue_offerings (provider_id);
CREATE INDEX catalogue_offerings_search_idx ON catalogue_offerings USING gin (search);
CREATE INDEX catalogue_offerings_themes_idx ON catalogue_offerings USING gin (themes) WHERE listed;
CREATE INDEX catalogue_offerings_provinces_idx ON catalogue_offerings USING gin (provinces) WHERE listed;
CREATE INDEX catalogue_offerings_rating_idx ON catalogue_offerings (rating_bayes DESC, id) WHERE listed;
CREATE INDEX catalogue_offerings_price_idx ON catalogue_offerings (price_incl_cents, id) WHERE listed;
CREATE INDEX catalogue_offerings_newest_idx ON catalogue_offerings (created_at DESC, id DESC) WHERE listed;

-- The words of offering titles and themes, for typo tolerance: a search
-- that finds nothing is retried with each word replaced by its nearest
-- neighbour here (pg_trgm similarity).
CREATE TABLE catalogue_words (
    word text PRIMARY KEY
);
CREATE INDEX catalogue_words_trgm_idx ON catalogue_words USING gin (word gin_trgm_ops);

CREATE FUNCTION catalogue_collect_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_words (word)
    SELECT DISTINCT w FROM regexp_split_to_table(NEW.search_words, '[^[:alnum:]]+') AS w
    WHERE length(w) BETWEEN 3 AND 40
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER catalogue_offerings_words AFTER INSERT OR UPDATE OF title, themes ON catalogue_offerings
    FOR EACH ROW EXECUTE FUNCTION catalogue_collect_words();

-- Certificates from the register linked to a provider or to one of its
-- offerings. revoked_at is set when a check finds it no longer valid.
CREATE TABLE catalogue_certificates (
    id             bigserial PRIMARY KEY,
    provider_id    bigint NOT NULL REFERENCES catalogue_providers (id) ON DELETE CASCADE,
    offering_id    bigint REFERENCES catalogue_offerings (id) ON DELETE CASCADE,
    number         text NOT NULL CHECK (length(number) <= 60),
    kind           text NOT NULL CHECK (kind IN ('trainer', 'adviser', 'training')),
    title          text NOT NULL,
    holder_name    text NOT NULL,
    holder_user_id bigint NOT NULL,
    valid_until    timestamptz,
    linked_at      timestamptz NOT NULL DEFAULT now(),
    checked_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz
);
CREATE UNIQUE INDEX catalogue_certificates_target_key ON catalogue_certificates (provider_id, coalesce(offering_id, 0), number);
CREATE INDEX catalogue_certificates_offering_idx ON catalogue_certificates (offering_id);

CREATE TABLE catalogue_reviews (
    id             bigserial PRIMARY KEY,
    offering_id    bigint NOT NULL REFERENCES catalogue_offerings (id) ON DELETE CASCADE,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    overall        smallint NOT NULL CHECK (overall BETWEEN 1 AND 5),
    content        smallint NOT NULL CHECK (content BETWEEN 1 AND 5),
    applicability  smallint NOT NULL CHECK (applicability BETWEEN 1 AND 5),
    teacher        smallint NOT NULL CHECK (teacher BETWEEN 1 AND 5),
    value          smallint NOT NULL CHECK (value BETWEEN 1 AND 5),
    body           text NOT NULL CHECK (length(body) BETWEEN 50 AND 5000),
    verified       boolean NOT NULL DEFAULT false,
    hidden         boolean NOT NULL DEFAULT false,
    reply          text NOT NULL DEFAULT '' CHECK (length(reply) <= 3000),
    replied_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT catalogue_reviews_one_per_user UNIQUE (offering_id, user_id)
);
CREATE INDEX catalogue_reviews_offering_idx ON catalogue_reviews (offering_id, created_at DESC) WHERE NOT hidden;
CREATE INDEX catalogue_reviews_user_idx ON catalogue_reviews (user_id, created_at);
CREATE INDEX catalogue_reviews_created_idx ON catalogue_reviews (created_at);

CREATE TABLE catalogue_review_reports (
    review_id   bigint NOT NULL REFERENCES catalogue_reviews (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason      text NOT NULL CHECK (length(reason) BETWEEN 5 AND 1000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    PRIMARY KEY (review_id, user_id)
);
CREATE INDEX catalogue_review_reports_open_idx ON catalogue_review_reports (created_at) WHERE resolved_at IS NULL;

-- Every moderation decision, with its reason.
CREATE TABLE catalogue_moderations (
    id         bigserial PRIMARY KEY,
    review_id  bigint NOT NULL REFERENCES catalogue_reviews (id) ON DELETE CASCADE,
    admin_id   bigint REFERENCES users (id) ON DELETE SET NULL,
    action     text NOT NULL CHECK (action IN ('hide', 'restore')),
    reason     text NOT NULL CHECK (length(reason) BETWEEN 5 AND 1000),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalogue_moderations_review_idx ON catalogue_moderations (review_id, created_at);

CREATE TABLE catalogue_pilots (
    id              bigserial PRIMARY KEY,
    organisation_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    title           text NOT NULL CHECK (length(title) BETWEEN 5 AND 150),
    goal            text NOT NULL CHECK (length(goal) BETWEEN 20 AND 5000),
    theme           text NOT NULL,
    province        text NOT NULL,
    starts_on       date NOT NULL,
    ends_on         date NOT NULL CHECK (ends_on >= starts_on),
    budget          text NOT NULL CHECK (budget IN ('tot-5000', '5000-15000', '15000-50000', 'vanaf-50000')),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matched', 'completed')),
    provider_id     bigint REFERENCES catalogue_providers (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    matched_at      timestamptz,
    completed_at    timestamptz
);
CREATE INDEX catalogue_pilots_status_idx ON catalogue_pilots (status, created_at DESC);
CREATE INDEX catalogue_pilots_org_idx ON catalogue_pilots (organisation_id);
CREATE INDEX catalogue_pilots_provider_idx ON catalogue_pilots (provider_id);
CREATE INDEX catalogue_pilots_matched_idx ON catalogue_pilots (matched_at) WHERE matched_at IS NOT NULL;

CREATE TABLE catalogue_pilot_interests (
    pilot_id    bigint NOT NULL REFERENCES catalogue_pilots (id) ON DELETE CASCADE,
    provider_id bigint NOT NULL REFERENCES catalogue_providers (id) ON DELETE CASCADE,
    message     text NOT NULL CHECK (length(message) BETWEEN 20 AND 2000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pilot_id, provider_id)
);
