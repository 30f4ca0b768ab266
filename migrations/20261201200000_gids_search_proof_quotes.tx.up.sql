-- Gouden Gids, issue 9: search that finds what people type (kinds of
-- offering, provider names and places, accents ignored), verified reviews
-- that need proof of participation, ratings that follow every change,
-- idempotent creation, provider requests, quote requests, pilot outcomes.
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only stable (its dictionary could change); naming the
-- dictionary makes a wrapper that indexes and triggers may treat as fixed.
CREATE FUNCTION catalogue_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Dutch stemming with accents removed first: "Şükrü" and "sukru",
-- "Fryslân" and "fryslan" are the same word, in documents and in queries.
CREATE TEXT SEARCH CONFIGURATION catalogue_nl (COPY = pg_catalog.dutch);
ALTER TEXT SEARCH CONFIGURATION catalogue_nl
    ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, dutch_stem;

-- The words people use for a kind of offering or provider, so "cursussen",
-- "adviseur" or "begeleiding" find the offerings of that kind.
CREATE FUNCTION catalogue_kind_words(kind text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE kind
        WHEN 'training' THEN 'training trainingen cursus cursussen opleiding opleidingen workshop workshops leergang scholing'
        WHEN 'advice' THEN 'advies adviseur adviseurs advisering begeleiding begeleider coach coaching consultant'
        WHEN 'institute' THEN 'opleidingsinstituut opleider opleiders instituut academie'
        WHEN 'firm' THEN 'adviesbureau adviesbureaus bureau'
        WHEN 'independent' THEN 'zelfstandig adviseur zzp freelance'
        ELSE '' END $$;

-- Theme slugs as words ("sociale-media" → "sociale media").
CREATE FUNCTION catalogue_slug_words(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT replace(catalogue_join_words($1), '-', ' ') $$;

-- Provinces as the words people search a place by: the province, its
-- Frisian name, and its larger cities ("den haag" finds Zuid-Holland).
CREATE FUNCTION catalogue_place_words(text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(string_agg(p || ' ' || CASE p
        WHEN 'drenthe' THEN 'assen emmen hoogeveen'
        WHEN 'flevoland' THEN 'almere lelystad'
        WHEN 'friesland' THEN 'fryslan leeuwarden drachten sneek'
        WHEN 'gelderland' THEN 'arnhem nijmegen apeldoorn ede tiel'
        WHEN 'groningen' THEN 'stad groningen'
        WHEN 'limburg' THEN 'maastricht venlo heerlen roermond'
        WHEN 'noord-brabant' THEN 'brabant eindhoven tilburg breda den bosch s-hertogenbosch'
        WHEN 'noord-holland' THEN 'amsterdam haarlem alkmaar hilversum'
        WHEN 'overijssel' THEN 'zwolle enschede deventer'
        WHEN 'utrecht' THEN 'amersfoort nieuwegein zeist'
        WHEN 'zeeland' THEN 'middelburg vlissingen goes'
        WHEN 'zuid-holland' THEN 'den haag rotterdam leiden delft dordrecht'
        WHEN 'landelijk' THEN 'heel nederland landelijk'
        WHEN 'online' THEN 'op afstand digitaal thuis'
        ELSE '' END, ' '), '') FROM unnest($1) p $$;

-- The search document of an offering: title (A), kind and themes (B), the
-- provider's name and kind and the places (C), description (D).
CREATE FUNCTION catalogue_offering_document(title text, kind text, themes text[], provinces text[],
        description text, provider_name text, provider_kind text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT
        setweight(to_tsvector('catalogue_nl', title), 'A') ||
        setweight(to_tsvector('catalogue_nl', catalogue_kind_words(kind) || ' ' || catalogue_slug_words(themes)), 'B') ||
        setweight(to_tsvector('catalogue_nl', coalesce(provider_name, '') || ' ' || catalogue_kind_words(provider_kind) || ' ' ||
            catalogue_place_words(provinces)), 'C') ||
        setweight(to_tsvector('catalogue_nl', description), 'D') $$;

ALTER TABLE catalogue_offerings DROP COLUMN search;
ALTER TABLE catalogue_offerings ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;
DROP TRIGGER catalogue_offerings_words ON catalogue_offerings;
DROP FUNCTION catalogue_collect_words();
ALTER TABLE catalogue_offerings DROP COLUMN search_words;

-- Typo correction compares with words as people type them: lower case,
-- without accents.
-- A bulk load (SET LOCAL catalogue.bulk = 'on') adds its words once at the end.
CREATE FUNCTION catalogue_add_words(t text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('catalogue.bulk', true) = 'on' THEN
        RETURN;
    END IF;
    INSERT INTO catalogue_words (word)
    SELECT DISTINCT w FROM regexp_split_to_table(catalogue_unaccent(lower(t)), '[^[:alnum:]]+') AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]+$'
    ON CONFLICT DO NOTHING;
END $$;

CREATE FUNCTION catalogue_offering_indexed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pname text;
    pkind text;
BEGIN
    SELECT name, kind INTO pname, pkind FROM catalogue_providers WHERE id = NEW.provider_id;
    NEW.search := catalogue_offering_document(NEW.title, NEW.kind, NEW.themes, NEW.provinces, NEW.description, pname, pkind);
    IF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title OR NEW.themes IS DISTINCT FROM OLD.themes THEN
        PERFORM catalogue_add_words(NEW.title || ' ' || catalogue_slug_words(NEW.themes));
    END IF;
    -- Every instance forgets its cached searches when this commits.
    PERFORM pg_notify('catalogue', 'offerings');
    RETURN NEW;
END $$;
CREATE TRIGGER catalogue_offerings_indexed BEFORE INSERT OR UPDATE OF title, kind, themes, provinces, description, provider_id
    ON catalogue_offerings FOR EACH ROW EXECUTE FUNCTION catalogue_offering_indexed();

-- A provider's new name or kind is searched at once in all its offerings.
CREATE FUNCTION catalogue_provider_indexed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM catalogue_add_words(NEW.name);
    IF TG_OP = 'UPDATE' AND (NEW.name IS DISTINCT FROM OLD.name OR NEW.kind IS DISTINCT FROM OLD.kind) THEN
        UPDATE catalogue_offerings SET provider_id = provider_id WHERE provider_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER catalogue_providers_indexed AFTER INSERT OR UPDATE OF name, kind ON catalogue_providers
    FOR EACH ROW EXECUTE FUNCTION catalogue_provider_indexed();

SELECT catalogue_add_words(catalogue_kind_words(k)) FROM unnest(ARRAY['training', 'advice', 'institute', 'firm', 'independent']) k;
SELECT catalogue_add_words(name) FROM catalogue_providers;
UPDATE catalogue_offerings SET title = title;
CREATE INDEX catalogue_offerings_search_idx ON catalogue_offerings USING gin (search) WHERE listed;

-- Ratings. A review counts fully in the ranking when the platform holds
-- proof that its author took part, and for catalogue_unverified_weight()
-- otherwise; the prior is catalogue_prior_* (mirrored by rating.go, which a
-- test keeps equal). Every insert, change or deletion of reviews (also
-- through a deleted account) recomputes the offerings concerned.
ALTER TABLE catalogue_offerings ADD COLUMN verified_count integer NOT NULL DEFAULT 0;

-- (plpgsql, so its plan is kept per session; an SQL function is planned on every call)
CREATE FUNCTION catalogue_recompute_ratings(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_offerings o SET review_count = a.n, verified_count = a.nv,
        rating_mean = CASE WHEN a.n = 0 THEN 0 ELSE round(a.total::numeric / a.n, 3) END,
        rating_bayes = round((5 * 3.5 + a.wtotal) / (5 + a.wn), 3)
    FROM (SELECT x.id, count(r.id) AS n, count(r.id) FILTER (WHERE r.verified) AS nv,
            coalesce(sum(r.overall), 0) AS total,
            coalesce(sum(r.overall * CASE WHEN r.verified THEN 1 ELSE 0.5 END), 0) AS wtotal,
            coalesce(sum(CASE WHEN r.verified THEN 1 ELSE 0.5 END), 0) AS wn
          FROM (SELECT DISTINCT unnest(ids) AS id) x
          LEFT JOIN catalogue_reviews r ON r.offering_id = x.id AND NOT r.hidden
          GROUP BY x.id) a
    WHERE o.id = a.id;
END $$;

CREATE FUNCTION catalogue_reviews_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM catalogue_recompute_ratings(ARRAY(SELECT offering_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM catalogue_recompute_ratings(ARRAY(SELECT offering_id FROM old_rows));
    ELSE
        PERFORM catalogue_recompute_ratings(ARRAY(SELECT offering_id FROM new_rows UNION SELECT offering_id FROM old_rows));
    END IF;
    PERFORM pg_notify('catalogue', 'reviews');
    RETURN NULL;
END $$;
CREATE TRIGGER catalogue_reviews_inserted AFTER INSERT ON catalogue_reviews
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION catalogue_reviews_changed();
CREATE TRIGGER catalogue_reviews_updated AFTER UPDATE ON catalogue_reviews
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION catalogue_reviews_changed();
CREATE TRIGGER catalogue_reviews_deleted AFTER DELETE ON catalogue_reviews
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION catalogue_reviews_changed();
SELECT catalogue_recompute_ratings(ARRAY(SELECT id FROM catalogue_offerings));

-- Proof of participation: a provider registers who took part in an offering
-- by work e-mail, and the participant confirms it on their own account.
CREATE TABLE catalogue_participations (
    id            bigserial PRIMARY KEY,
    offering_id   bigint NOT NULL REFERENCES catalogue_offerings (id) ON DELETE CASCADE,
    email         text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    took_part_on  date,
    registered_by bigint REFERENCES users (id) ON DELETE SET NULL,
    user_id       bigint REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    confirmed_at  timestamptz,
    declined_at   timestamptz,
    CONSTRAINT catalogue_participations_one UNIQUE (offering_id, email)
);
CREATE INDEX catalogue_participations_email_idx ON catalogue_participations (email) WHERE confirmed_at IS NULL AND declined_at IS NULL;
CREATE INDEX catalogue_participations_user_idx ON catalogue_participations (user_id, offering_id) WHERE confirmed_at IS NOT NULL;

-- Creation happens once: every create records a key (from the user, what
-- is created and the submitted content) with what it created; an identical
-- submission, also one arriving at the same moment, finds the first.
CREATE TABLE catalogue_submissions (
    key        bytea PRIMARY KEY,
    kind       text NOT NULL,
    user_id    bigint REFERENCES users (id) ON DELETE CASCADE,
    target_id  bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- A registered user asks for a provider listing; an admin approves (the
-- listing is created and the role granted) or refuses with a reason.
CREATE TABLE catalogue_provider_requests (
    id            bigserial PRIMARY KEY,
    user_id       bigint REFERENCES users (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('institute', 'firm', 'independent')),
    name          text NOT NULL CHECK (length(name) BETWEEN 2 AND 150),
    kvk           text NOT NULL CHECK (kvk ~ '^[0-9]{8}$'),
    website       text NOT NULL DEFAULT '' CHECK (length(website) <= 300),
    contact_email text NOT NULL CHECK (length(contact_email) <= 254),
    description   text NOT NULL CHECK (length(description) BETWEEN 20 AND 5000),
    provinces     text[] NOT NULL CHECK (cardinality(provinces) >= 1),
    motivation    text NOT NULL CHECK (length(motivation) BETWEEN 20 AND 3000),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused')),
    reason        text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    decided_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    decided_at    timestamptz,
    provider_id   bigint REFERENCES catalogue_providers (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalogue_provider_requests_status_idx ON catalogue_provider_requests (status, created_at);
CREATE INDEX catalogue_provider_requests_user_idx ON catalogue_provider_requests (user_id, created_at DESC);
-- One open request per name at a time.
CREATE UNIQUE INDEX catalogue_provider_requests_pending_name ON catalogue_provider_requests (lower(name)) WHERE status = 'pending';
ALTER TABLE catalogue_providers ADD COLUMN kvk text NOT NULL DEFAULT '' CHECK (kvk = '' OR kvk ~ '^[0-9]{8}$');

-- Quote requests: an organisation manager asks 1–5 providers for a price.
CREATE TABLE catalogue_quote_requests (
    id              bigserial PRIMARY KEY,
    organisation_id bigint REFERENCES organisations (id) ON DELETE SET NULL,
    created_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    subject         text NOT NULL CHECK (length(subject) BETWEEN 3 AND 150),
    details         text NOT NULL DEFAULT '' CHECK (length(details) <= 5000),
    participants    integer NOT NULL CHECK (participants BETWEEN 1 AND 10000),
    province        text NOT NULL,
    location        text NOT NULL DEFAULT '' CHECK (length(location) <= 150),
    starts_after    date NOT NULL,
    ends_before     date NOT NULL CHECK (ends_before >= starts_after),
    budget          text NOT NULL CHECK (budget IN ('onbekend', 'tot-5000', '5000-15000', '15000-50000', 'vanaf-50000')),
    deadline        date NOT NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'withdrawn')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz
);
CREATE INDEX catalogue_quote_requests_creator_idx ON catalogue_quote_requests (created_by, created_at DESC);
CREATE INDEX catalogue_quote_requests_org_idx ON catalogue_quote_requests (organisation_id, created_at DESC);

-- One row per provider asked: its answer (a price or a refusal) and whether
-- it was accepted.
CREATE TABLE catalogue_quotes (
    id               bigserial PRIMARY KEY,
    request_id       bigint NOT NULL REFERENCES catalogue_quote_requests (id) ON DELETE CASCADE,
    provider_id      bigint NOT NULL REFERENCES catalogue_providers (id) ON DELETE CASCADE,
    offering_id      bigint REFERENCES catalogue_offerings (id) ON DELETE SET NULL,
    status           text NOT NULL DEFAULT 'asked' CHECK (status IN ('asked', 'offered', 'declined', 'accepted', 'not_chosen')),
    price_excl_cents bigint CHECK (price_excl_cents BETWEEN 0 AND 10000000000),
    vat_percent      smallint CHECK (vat_percent IN (0, 9, 21)),
    price_incl_cents bigint CHECK (price_incl_cents >= price_excl_cents),
    start_dates      date[] NOT NULL DEFAULT '{}',
    note             text NOT NULL DEFAULT '' CHECK (length(note) <= 3000),
    answered_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    answered_at      timestamptz,
    CONSTRAINT catalogue_quotes_one UNIQUE (request_id, provider_id),
    CHECK (status IN ('asked', 'declined', 'not_chosen') OR (price_excl_cents IS NOT NULL AND price_incl_cents IS NOT NULL))
);
CREATE INDEX catalogue_quotes_provider_idx ON catalogue_quotes (provider_id, request_id DESC);

-- Every state change of a quote request, with who made it.
CREATE TABLE catalogue_quote_events (
    id          bigserial PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES catalogue_quote_requests (id) ON DELETE CASCADE,
    provider_id bigint REFERENCES catalogue_providers (id) ON DELETE SET NULL,
    actor_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    action      text NOT NULL CHECK (action IN ('asked', 'offered', 'declined', 'accepted', 'not_chosen', 'withdrawn')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalogue_quote_events_request_idx ON catalogue_quote_events (request_id, id);

-- A completed pilot project records what was tried and what it delivered.
ALTER TABLE catalogue_pilots ADD COLUMN outcome_tried text NOT NULL DEFAULT '' CHECK (length(outcome_tried) <= 3000);
ALTER TABLE catalogue_pilots ADD COLUMN outcome_result text NOT NULL DEFAULT '' CHECK (length(outcome_result) <= 3000);
ALTER TABLE catalogue_pilots ADD CONSTRAINT catalogue_pilots_theme_check CHECK (theme IN ('webcare', 'sociale-media', 'online-samenwerken',
    'kennisdelen', 'leiderschap', 'participatie', 'open-data', 'open-overheid', 'digitale-vaardigheden', 'netwerkorganisatie'));
ALTER TABLE catalogue_pilot_interests ADD COLUMN created_by bigint REFERENCES users (id) ON DELETE SET NULL;
