-- Certification: schemes, applications with evidence and an audit log,
-- certificates with their numbers and status, and the keys that sign the
-- verifiable credentials.

CREATE TABLE cert_schemes (
    id               bigserial PRIMARY KEY,
    slug             text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    title            text NOT NULL CHECK (length(title) BETWEEN 3 AND 150),
    kind             text NOT NULL CHECK (kind IN ('trainer', 'adviser', 'training')),
    summary          text NOT NULL CHECK (length(summary) <= 500),
    criteria         text NOT NULL CHECK (length(criteria) <= 10000),
    required_courses text[] NOT NULL DEFAULT '{}',
    exam_course      text NOT NULL DEFAULT '',
    exam_quiz        text NOT NULL DEFAULT '',
    exam_pass_mark   integer NOT NULL DEFAULT 0 CHECK (exam_pass_mark BETWEEN 0 AND 100),
    -- What the applicant uploads: [{"key": "cv", "label": "Curriculum vitae", "count": 1}, …]
    evidence         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(evidence) = 'array'),
    validity_years   integer NOT NULL CHECK (validity_years BETWEEN 1 AND 10),
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((exam_course = '') = (exam_quiz = ''))
);

-- Numbers are handed out per kind and year without gaps: the row is locked
-- by the transaction that issues, so a rolled-back issue gives its number back.
CREATE TABLE cert_number_seqs (
    kind text    NOT NULL CHECK (kind IN ('trainer', 'adviser', 'training', 'course')),
    year integer NOT NULL,
    last integer NOT NULL,
    PRIMARY KEY (kind, year)
);

-- Every certificate has an entry in the status lists (revocation and
-- suspension), the same index in both.
CREATE SEQUENCE cert_status_index_seq MINVALUE 0 START 0;

CREATE TABLE cert_signing_keys (
    kid         text PRIMARY KEY,
    private_key bytea NOT NULL CHECK (length(private_key) = 64),
    created_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz -- no longer signs new credentials; its public half stays published
);
CREATE UNIQUE INDEX cert_signing_keys_one_current ON cert_signing_keys ((true)) WHERE retired_at IS NULL;

CREATE TABLE cert_applications (
    id               bigserial PRIMARY KEY,
    scheme_id        bigint NOT NULL REFERENCES cert_schemes (id),
    -- Applications are the applicant's personal data: erased with the account.
    applicant_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject_name     text NOT NULL DEFAULT '' CHECK (length(subject_name) <= 150),
    motivation       text NOT NULL DEFAULT '' CHECK (length(motivation) <= 5000),
    list_in_register boolean NOT NULL DEFAULT false, -- the applicant agrees to be in the public register
    state            text NOT NULL DEFAULT 'draft'
                     CHECK (state IN ('draft', 'submitted', 'in_review', 'returned', 'approved', 'rejected')),
    renewal_of       bigint, -- a certificate; the reference is added below
    question         text NOT NULL DEFAULT '', -- the assessor's question when returned
    assessor_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    decision_reason  text NOT NULL DEFAULT '',
    submitted_at     timestamptz,
    decided_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
-- One open application per applicant and scheme.
CREATE UNIQUE INDEX cert_applications_one_open ON cert_applications (applicant_id, scheme_id)
    WHERE state IN ('draft', 'submitted', 'in_review', 'returned');
CREATE INDEX cert_applications_queue ON cert_applications (state, submitted_at);
CREATE INDEX cert_applications_scheme ON cert_applications (scheme_id);

CREATE TABLE cert_evidence (
    id             bigserial PRIMARY KEY,
    application_id bigint NOT NULL REFERENCES cert_applications (id) ON DELETE CASCADE,
    requirement    text NOT NULL,
    filename       text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type   text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size           integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    sha256         bytea NOT NULL,
    content        bytea NOT NULL,
    uploaded_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (length(content) = size)
);
CREATE INDEX cert_evidence_application ON cert_evidence (application_id);

CREATE TABLE cert_certificates (
    id                bigserial PRIMARY KEY,
    number            text NOT NULL UNIQUE,
    kind              text NOT NULL CHECK (kind IN ('trainer', 'adviser', 'training', 'course')),
    year              integer NOT NULL,
    seq               integer NOT NULL,
    scheme_id         bigint REFERENCES cert_schemes (id),
    course_slug       text NOT NULL DEFAULT '',
    title             text NOT NULL,
    achievement       text NOT NULL,
    -- Erasing an account keeps its certificates verifiable, with the name as issued.
    holder_user_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    holder_name       text NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 150),
    application_id    bigint UNIQUE REFERENCES cert_applications (id) ON DELETE SET NULL,
    issued_at         timestamptz NOT NULL,
    expires_at        timestamptz,
    status            text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'suspended', 'revoked')),
    status_reason     text NOT NULL DEFAULT '',
    status_changed_at timestamptz,
    status_index      integer NOT NULL UNIQUE DEFAULT nextval('cert_status_index_seq'),
    signing_kid       text NOT NULL REFERENCES cert_signing_keys (kid),
    supersedes_id     bigint UNIQUE REFERENCES cert_certificates (id),
    listed            boolean NOT NULL DEFAULT true,
    version           integer NOT NULL DEFAULT 1,
    UNIQUE (kind, year, seq),
    CHECK ((kind = 'course') = (course_slug <> '')),
    CHECK ((kind = 'course') = (scheme_id IS NULL)),
    CHECK (expires_at IS NULL OR expires_at > issued_at),
    CHECK ((status = 'valid') = (status_reason = ''))
);
-- One completion certificate per learner and course (re-issues supersede it).
CREATE UNIQUE INDEX cert_certificates_course_once ON cert_certificates (holder_user_id, course_slug)
    WHERE kind = 'course' AND supersedes_id IS NULL;
CREATE INDEX cert_certificates_holder ON cert_certificates (holder_user_id);
CREATE INDEX cert_certificates_issued ON cert_certificates (kind, issued_at);
CREATE INDEX cert_certificates_register ON cert_certificates (kind, status, expires_at) WHERE listed;
CREATE INDEX cert_certificates_not_valid ON cert_certificates (status_index) WHERE status <> 'valid';

ALTER TABLE cert_applications
    ADD CONSTRAINT cert_applications_renewal_of_fkey FOREIGN KEY (renewal_of) REFERENCES cert_certificates (id);

-- What was issued is never edited in place: a new name or a correction is a
-- new certificate that supersedes the old one. Only the status (with its
-- reason), the register listing and the version that counts status changes
-- may change; and a revoked certificate stays revoked.
CREATE FUNCTION cert_certificates_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER cert_certificates_immutable BEFORE UPDATE ON cert_certificates
    FOR EACH ROW EXECUTE FUNCTION cert_certificates_immutable();

-- Who changed what, when and why: applications and certificates.
CREATE TABLE cert_audit (
    id             bigserial PRIMARY KEY,
    application_id bigint REFERENCES cert_applications (id) ON DELETE CASCADE,
    certificate_id bigint REFERENCES cert_certificates (id) ON DELETE CASCADE,
    actor_id       bigint REFERENCES users (id) ON DELETE SET NULL,
    actor_name     text NOT NULL,
    at             timestamptz NOT NULL DEFAULT now(),
    from_state     text NOT NULL DEFAULT '',
    to_state       text NOT NULL,
    reason         text NOT NULL DEFAULT '',
    CHECK (application_id IS NOT NULL OR certificate_id IS NOT NULL)
);
CREATE INDEX cert_audit_application ON cert_audit (application_id, at);
CREATE INDEX cert_audit_certificate ON cert_audit (certificate_id, at);
