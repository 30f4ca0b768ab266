-- The outbox: work that must happen because of something the database
-- recorded (a mail, a grade sent to an LMS), written in the same transaction
-- as the event, and delivered afterwards by a worker on any instance.
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind <> ''),
    -- The event that caused the row; the same event is queued once.
    dedupe_key      text        UNIQUE,
    payload         jsonb       NOT NULL,
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_kind_idx ON outbox (kind, id DESC);

-- When each scheduled job last started, so a job runs once per interval
-- however many instances there are.
CREATE TABLE job_runs (
    name        text PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    last_error  text NOT NULL DEFAULT ''
);
