ALTER TABLE catalogue_pilot_interests DROP COLUMN IF EXISTS created_by;
ALTER TABLE catalogue_pilots DROP CONSTRAINT IF EXISTS catalogue_pilots_theme_check;
ALTER TABLE catalogue_pilots DROP COLUMN IF EXISTS outcome_result;
ALTER TABLE catalogue_pilots DROP COLUMN IF EXISTS outcome_tried;
DROP TABLE IF EXISTS catalogue_quote_events;
DROP TABLE IF EXISTS catalogue_quotes;
DROP TABLE IF EXISTS catalogue_quote_requests;
ALTER TABLE catalogue_providers DROP COLUMN IF EXISTS kvk;
DROP TABLE IF EXISTS catalogue_provider_requests;
DROP TABLE IF EXISTS catalogue_submissions;
DROP TABLE IF EXISTS catalogue_participations;

DROP TRIGGER IF EXISTS catalogue_reviews_inserted ON catalogue_reviews;
DROP TRIGGER IF EXISTS catalogue_reviews_updated ON catalogue_reviews;
DROP TRIGGER IF EXISTS catalogue_reviews_deleted ON catalogue_reviews;
DROP FUNCTION IF EXISTS catalogue_reviews_changed();
DROP FUNCTION IF EXISTS catalogue_recompute_ratings(bigint[]);
ALTER TABLE catalogue_offerings DROP COLUMN IF EXISTS verified_count;

DROP TRIGGER IF EXISTS catalogue_providers_indexed ON catalogue_providers;
DROP FUNCTION IF EXISTS catalogue_provider_indexed();
DROP TRIGGER IF EXISTS catalogue_offerings_indexed ON catalogue_offerings;
DROP FUNCTION IF EXISTS catalogue_offering_indexed();
DROP FUNCTION IF EXISTS catalogue_add_words(text);
ALTER TABLE catalogue_offerings DROP COLUMN search;
ALTER TABLE catalogue_offerings ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('dutch', title), 'A') ||
    setweight(to_tsvector('dutch', replace(catalogue_join_words(themes), '-', ' ')), 'B') ||
    setweight(to_tsvector('dutch', description), 'C')) STORED;
ALTER TABLE catalogue_offerings ADD COLUMN search_words text GENERATED ALWAYS AS (
    lower(title || ' ' || replace(catalogue_join_words(themes), '-', ' '))) STORED;
CREATE INDEX catalogue_offerings_search_idx ON catalogue_offerings USING gin (search);
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
DROP FUNCTION IF EXISTS catalogue_offering_document(text, text, text[], text[], text, text, text);
DROP FUNCTION IF EXISTS catalogue_place_words(text[]);
DROP FUNCTION IF EXISTS catalogue_slug_words(text[]);
DROP FUNCTION IF EXISTS catalogue_kind_words(text);
DROP TEXT SEARCH CONFIGURATION IF EXISTS catalogue_nl;
DROP FUNCTION IF EXISTS catalogue_unaccent(text);
