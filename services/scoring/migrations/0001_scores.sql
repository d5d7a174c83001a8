-- Every scored interview event, current or not (audit), with the exact bytes published.
CREATE TABLE scoring.scored_interviews (
    source_event_id uuid PRIMARY KEY,           -- the idempotency key of the ATS event
    scored_event_id uuid NOT NULL UNIQUE,
    interview_id    text NOT NULL,
    revision        integer NOT NULL CHECK (revision >= 1),
    candidate_id    text NOT NULL,
    role_id         text NOT NULL,
    rubric_version  text NOT NULL,
    was_current     boolean NOT NULL,           -- false: a late lower revision, kept for audit only
    payload         text NOT NULL,              -- the InterviewScored JSON exactly as published
    scored_at       timestamptz NOT NULL
);
CREATE INDEX scored_interviews_interview ON scoring.scored_interviews (interview_id, revision);

-- One row per competency of each scored event, for reporting without parsing JSON.
CREATE TABLE scoring.competency_scores (
    source_event_id uuid NOT NULL REFERENCES scoring.scored_interviews ON DELETE CASCADE,
    competency      text NOT NULL,
    score           numeric(4, 3) NOT NULL,
    confidence      numeric(4, 3) NOT NULL,
    red_flags       text[] NOT NULL,
    PRIMARY KEY (source_event_id, competency)
);

-- The highest revision seen per interview: decides what is republished as current.
CREATE TABLE scoring.current_revisions (
    interview_id    text PRIMARY KEY,
    revision        integer NOT NULL,
    source_event_id uuid NOT NULL
);
