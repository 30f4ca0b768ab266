-- Credentials that other people's software accepts (Open Badges 3.0 with
-- VC-JWT proofs, section 8.2): RS256 signing keys beside the old Ed25519
-- ones, a stable subject identifier per holder that is not their e-mail
-- address, and a salted identity hash for recipient checks. Issued
-- certificates can now be neither edited nor deleted.

-- Keys: RS256 (PKCS #8) from now on; the Ed25519 keys stay published so the
-- tokens they signed keep verifying, but they sign nothing new.
ALTER TABLE cert_signing_keys DROP CONSTRAINT cert_signing_keys_private_key_check;
ALTER TABLE cert_signing_keys ADD COLUMN alg text NOT NULL DEFAULT 'EdDSA' CHECK (alg IN ('EdDSA', 'RS256'));
ALTER TABLE cert_signing_keys ALTER COLUMN alg DROP DEFAULT;
ALTER TABLE cert_signing_keys ADD CONSTRAINT cert_signing_keys_size CHECK (alg <> 'EdDSA' OR length(private_key) = 64);
UPDATE cert_signing_keys SET retired_at = now() WHERE retired_at IS NULL;

-- A holder's subject identifier (credentialSubject.id, the JWT's sub): one
-- random UUID per person, the same on all their certificates. Erased with
-- the account; the certificates keep the identifier they were issued with.
CREATE TABLE cert_subjects (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    subject_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid()
);

ALTER TABLE cert_certificates
    ADD COLUMN subject_id    text NOT NULL DEFAULT '',
    ADD COLUMN identity_type text NOT NULL DEFAULT '',
    ADD COLUMN identity_hash text NOT NULL DEFAULT '',
    ADD COLUMN identity_salt text NOT NULL DEFAULT '';

-- Certificates issued before: persons get their own subject identifier, a
-- training one per line of renewals and re-issues (from its first
-- certificate); the identity hash is of the holder's e-mail address, or of
-- the name on the certificate when the account is gone.
INSERT INTO cert_subjects (user_id)
    SELECT DISTINCT holder_user_id FROM cert_certificates WHERE holder_user_id IS NOT NULL AND kind <> 'training'
    ON CONFLICT DO NOTHING;

CREATE TEMPORARY TABLE cert_lines ON COMMIT DROP AS
    WITH RECURSIVE line AS (
        SELECT id, id AS root FROM cert_certificates WHERE supersedes_id IS NULL
        UNION ALL
        SELECT c.id, line.root FROM cert_certificates AS c JOIN line ON c.supersedes_id = line.id
    )
    SELECT id, root FROM line;
CREATE TEMPORARY TABLE cert_line_subjects ON COMMIT DROP AS
    SELECT root, gen_random_uuid() AS subject_id FROM (SELECT DISTINCT root FROM cert_lines) AS r;

UPDATE cert_certificates AS c SET subject_id = 'urn:uuid:' || s.subject_id
    FROM cert_subjects AS s WHERE s.user_id = c.holder_user_id AND c.kind <> 'training';
UPDATE cert_certificates AS c SET subject_id = 'urn:uuid:' || ls.subject_id
    FROM cert_lines AS l JOIN cert_line_subjects AS ls ON ls.root = l.root
    WHERE l.id = c.id AND c.subject_id = '';
UPDATE cert_certificates SET subject_id = 'urn:uuid:' || gen_random_uuid() WHERE subject_id = '';

UPDATE cert_certificates SET identity_salt = replace(gen_random_uuid()::text, '-', '');
UPDATE cert_certificates AS c SET identity_type = 'emailAddress',
    identity_hash = 'sha256$' || encode(sha256(convert_to(lower(u.email) || c.identity_salt, 'UTF8')), 'hex')
    FROM users AS u WHERE u.id = c.holder_user_id;
UPDATE cert_certificates SET identity_type = 'name',
    identity_hash = 'sha256$' || encode(sha256(convert_to(holder_name || identity_salt, 'UTF8')), 'hex')
    WHERE identity_type = '';

ALTER TABLE cert_certificates
    ALTER COLUMN subject_id DROP DEFAULT, ALTER COLUMN identity_type DROP DEFAULT,
    ALTER COLUMN identity_hash DROP DEFAULT, ALTER COLUMN identity_salt DROP DEFAULT,
    ADD CONSTRAINT cert_certificates_subject CHECK (subject_id ~ '^urn:uuid:[0-9a-f-]{36}$'),
    ADD CONSTRAINT cert_certificates_identity CHECK (identity_type IN ('emailAddress', 'name')
        AND identity_hash ~ '^sha256\$[0-9a-f]{64}$' AND length(identity_salt) BETWEEN 16 AND 64);

-- What was issued is never edited in place, now including the subject and
-- identity; only the status (with its reason), the register listing and the
-- version that counts status changes may change, and revoked stays revoked.
CREATE OR REPLACE FUNCTION cert_certificates_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.number <> OLD.number OR NEW.kind <> OLD.kind OR NEW.year <> OLD.year
       OR NEW.seq <> OLD.seq OR NEW.scheme_id IS DISTINCT FROM OLD.scheme_id OR NEW.course_slug <> OLD.course_slug
       OR NEW.title <> OLD.title OR NEW.achievement <> OLD.achievement OR NEW.holder_name <> OLD.holder_name
       OR NEW.issued_at <> OLD.issued_at OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
       OR NEW.status_index <> OLD.status_index OR NEW.signing_kid <> OLD.signing_kid
       OR NEW.supersedes_id IS DISTINCT FROM OLD.supersedes_id
       OR NEW.subject_id <> OLD.subject_id OR NEW.identity_type <> OLD.identity_type
       OR NEW.identity_hash <> OLD.identity_hash OR NEW.identity_salt <> OLD.identity_salt
       OR (NEW.holder_user_id IS DISTINCT FROM OLD.holder_user_id AND NEW.holder_user_id IS NOT NULL)
       OR (NEW.application_id IS DISTINCT FROM OLD.application_id AND NEW.application_id IS NOT NULL) THEN
        RAISE EXCEPTION 'certificate % was issued and cannot be edited', OLD.number USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status = 'revoked' AND NEW.status <> 'revoked' THEN
        RAISE EXCEPTION 'certificate % is revoked for good', OLD.number USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- An issued certificate is never deleted: revoking it is the way to end it.
CREATE FUNCTION cert_certificates_undeletable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'certificate % was issued and cannot be deleted; revoke it instead', OLD.number
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER cert_certificates_undeletable BEFORE DELETE ON cert_certificates
    FOR EACH ROW EXECUTE FUNCTION cert_certificates_undeletable();
