-- Candidates' voluntary self-identification (Harvest GET /v1/eeoc), for the adverse-impact
-- report only. A schema of its own: no scoring or decision code reads it (a test checks the
-- code), it never travels on a Kafka topic, and rows older than the retention are deleted.
-- Only what the report uses is kept: gender and race/ethnicity (veteran and disability
-- status are not stored).
CREATE TABLE greenhouse_eeoc.self_identification (
    application_id bigint PRIMARY KEY,
    candidate_id   text NOT NULL,
    role_id        text,                 -- the application's job through the mapping; null when unmapped
    gender         text,                 -- Harvest's description, e.g. 'Female', 'Decline To Self Identify'; null: not answered
    race           text,
    submitted_at   timestamptz NOT NULL,
    fetched_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX self_identification_role ON greenhouse_eeoc.self_identification (role_id, candidate_id);

CREATE TABLE greenhouse_eeoc.sync_state (
    name            text PRIMARY KEY,
    high_water_mark timestamptz NOT NULL
);
