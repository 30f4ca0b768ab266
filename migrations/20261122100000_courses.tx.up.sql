-- The leeromgeving: courses → ordered modules → ordered items (lessons and
-- quizzes). An item's content lives in immutable revisions: every edit adds a
-- revision and moves the item's pointer, so an attempt is always scored
-- against the revision it started on, and revisions can be cached forever.
CREATE TABLE courses (
    id           bigserial PRIMARY KEY,
    slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    summary      text NOT NULL DEFAULT '' CHECK (length(summary) <= 300),
    audience     text NOT NULL DEFAULT '' CHECK (length(audience) <= 200),
    study_hours  integer NOT NULL DEFAULT 1 CHECK (study_hours BETWEEN 0 AND 1000),
    status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    -- version goes up with every change to the course or its content, so the
    -- outline can be cached by (id, version).
    version      integer NOT NULL DEFAULT 1,
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX courses_published_idx ON courses (title) WHERE status = 'published';

CREATE TABLE modules (
    id        bigserial PRIMARY KEY,
    course_id bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    title     text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    summary   text NOT NULL DEFAULT '' CHECK (length(summary) <= 300)
);
CREATE INDEX modules_course_idx ON modules (course_id, position);

CREATE TABLE course_items (
    id                  bigserial PRIMARY KEY,
    course_id           bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id           bigint NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
    position            integer NOT NULL,
    kind                text NOT NULL CHECK (kind IN ('lesson', 'quiz')),
    -- slug is the item's name in its course folder (file name without extension).
    slug                text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    current_revision_id bigint,
    UNIQUE (course_id, slug)
);
CREATE INDEX course_items_module_idx ON course_items (module_id, position);

CREATE TABLE lesson_revisions (
    id         bigserial PRIMARY KEY,
    item_id    bigint NOT NULL REFERENCES course_items (id) ON DELETE CASCADE,
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    minutes    integer NOT NULL DEFAULT 10 CHECK (minutes BETWEEN 1 AND 600),
    body       text NOT NULL CHECK (length(body) <= 200000),
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lesson_revisions_item_idx ON lesson_revisions (item_id);

CREATE TABLE quiz_revisions (
    id                bigserial PRIMARY KEY,
    item_id           bigint NOT NULL REFERENCES course_items (id) ON DELETE CASCADE,
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
    pass_mark         integer NOT NULL CHECK (pass_mark BETWEEN 1 AND 100),
    attempts_allowed  integer NOT NULL DEFAULT 0 CHECK (attempts_allowed >= 0),
    time_limit_secs   integer NOT NULL DEFAULT 0 CHECK (time_limit_secs >= 0),
    draw              integer NOT NULL DEFAULT 0 CHECK (draw >= 0),
    shuffle_questions boolean NOT NULL DEFAULT false,
    shuffle_options   boolean NOT NULL DEFAULT false,
    -- The question pool with answer keys; never sent to the browser.
    questions         jsonb NOT NULL,
    created_by        bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quiz_revisions_item_idx ON quiz_revisions (item_id);

CREATE TABLE enrolments (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id    bigint NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    enrolled_at  timestamptz NOT NULL DEFAULT now(),
    -- Set once, when every item was done; never cleared.
    completed_at timestamptz,
    PRIMARY KEY (user_id, course_id)
);
CREATE INDEX enrolments_course_idx ON enrolments (course_id, completed_at);
CREATE INDEX enrolments_completed_idx ON enrolments (completed_at) WHERE completed_at IS NOT NULL;

CREATE TABLE lesson_completions (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id      bigint NOT NULL REFERENCES course_items (id) ON DELETE CASCADE,
    completed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, item_id)
);

CREATE TABLE quiz_attempts (
    id               bigserial PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id          bigint NOT NULL REFERENCES course_items (id) ON DELETE CASCADE,
    quiz_revision_id bigint NOT NULL REFERENCES quiz_revisions (id),
    -- layout: the drawn questions in order, each with its option order.
    layout           jsonb NOT NULL,
    answers          jsonb NOT NULL DEFAULT '{}',
    started_at       timestamptz NOT NULL,
    deadline_at      timestamptz,
    saved_at         timestamptz,
    submitted_at     timestamptz,
    score_pct        numeric(5, 2),
    passed           boolean,
    -- results: per question points and feedback keys, written at scoring.
    results          jsonb
);
CREATE INDEX quiz_attempts_user_item_idx ON quiz_attempts (user_id, item_id);
CREATE INDEX quiz_attempts_revision_idx ON quiz_attempts (quiz_revision_id) WHERE submitted_at IS NOT NULL;
-- One attempt at a time per learner and quiz.
CREATE UNIQUE INDEX quiz_attempts_one_open ON quiz_attempts (user_id, item_id) WHERE submitted_at IS NULL;
