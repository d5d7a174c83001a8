-- The latest revision of every interview of a candidate-role pair: the aggregation state.
CREATE TABLE aggregation.interviews (
    candidate_id    text NOT NULL,
    role_id         text NOT NULL,
    interview_id    text NOT NULL,
    revision        integer NOT NULL CHECK (revision >= 1),
    scored_event_id uuid NOT NULL,
    payload         text NOT NULL,          -- the InterviewScored JSON that is counted
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (candidate_id, role_id, interview_id)
);

-- The last recommendation issued per pair: its version and what it said.
CREATE TABLE aggregation.recommendations (
    candidate_id text NOT NULL,
    role_id      text NOT NULL,
    version      integer NOT NULL CHECK (version >= 1),
    fingerprint  text NOT NULL,             -- the decision content, without ids and times
    decision     text NOT NULL,
    payload      text NOT NULL,             -- the Recommendation JSON as published
    issued_at    timestamptz NOT NULL,
    PRIMARY KEY (candidate_id, role_id)
);

-- Transactional outbox: rows are written in the same transaction as the state and
-- deleted once the broker has acknowledged them. Published in id order by one relay
-- at a time, so the versions of a pair reach the topic in order.
CREATE TABLE aggregation.outbox (
    id         bigserial PRIMARY KEY,
    topic      text NOT NULL,
    record_key bytea,
    value      bytea NOT NULL,
    headers    jsonb NOT NULL DEFAULT '[]',
    created_at timestamptz NOT NULL DEFAULT now()
);
