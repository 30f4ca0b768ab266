DROP TRIGGER cert_certificates_undeletable ON cert_certificates;
DROP FUNCTION cert_certificates_undeletable();

CREATE OR REPLACE FUNCTION cert_certificates_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.number <> OLD.number OR NEW.kind <> OLD.kind OR NEW.year <> OLD.year
       OR NEW.seq <> OLD.seq OR NEW.scheme_id IS DISTINCT FROM OLD.scheme_id OR NEW.course_slug <> OLD.course_slug
       OR NEW.title <> OLD.title OR NEW.achievement <> OLD.achievement OR NEW.holder_name <> OLD.holder_name
       OR NEW.issued_at <> OLD.issued_at OR NEW.expires_at IS DISTINCT FROM OLD.expires_at
       OR NEW.status_index <> OLD.status_index OR NEW.signing_kid <> OLD.signing_kid
       OR NEW.supersedes_id IS DISTINCT FROM OLD.supersedes_id
       OR (NEW.holder_user_id IS DISTINCT FROM OLD.holder_user_id AND NEW.holder_user_id IS NOT NULL)
       OR (NEW.application_id IS DISTINCT FROM OLD.application_id AND NEW.application_id IS NOT NULL) THEN
        RAISE EXCEPTION 'certificate % was issued and cannot be edited', OLD.number USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.status = 'revoked' AND NEW.status <> 'revoked' THEN
        RAISE EXCEPTION 'certificate % is revoked for good', OLD.number USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

ALTER TABLE cert_certificates
    DROP COLUMN subject_id, DROP COLUMN identity_type, DROP COLUMN identity_hash, DROP COLUMN identity_salt;
DROP TABLE cert_subjects;

-- RS256 keys may sign certificates that stay: the Ed25519-only size check
-- holds for new keys, not for the ones there are.
UPDATE cert_signing_keys SET retired_at = now() WHERE retired_at IS NULL AND alg = 'RS256';
ALTER TABLE cert_signing_keys DROP CONSTRAINT cert_signing_keys_size;
ALTER TABLE cert_signing_keys DROP COLUMN alg;
ALTER TABLE cert_signing_keys ADD CONSTRAINT cert_signing_keys_private_key_check CHECK (length(private_key) = 64) NOT VALID;
