-- The Greenhouse adapter's own state. Ids only: no names, emails or notes.

-- Where the next poll starts (Harvest's updated_after), set once a whole poll has completed.
CREATE TABLE greenhouse.sync_state (
    name            text PRIMARY KEY,       -- 'scorecards'
    high_water_mark timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- The version of each scorecard last published: a re-fetched version publishes nothing,
-- and a deletion webhook finds the candidate-role pair to retract from.
CREATE TABLE greenhouse.scorecards (
    scorecard_id bigint PRIMARY KEY,
    updated_at   timestamptz NOT NULL,
    event_id     uuid NOT NULL,
    candidate_id text NOT NULL,
    role_id      text NOT NULL,
    retracted    boolean NOT NULL DEFAULT false,
    published_at timestamptz NOT NULL DEFAULT now()
);

-- Application -> job, so each application is fetched once (job_id null: a prospect).
CREATE TABLE greenhouse.applications (
    application_id bigint PRIMARY KEY,
    job_id         bigint
);

-- Scheduled interview -> its scorecards, for the interview_deleted webhook (whose payload
-- holds only the interview id).
CREATE TABLE greenhouse.interview_scorecards (
    interview_id bigint NOT NULL,
    scorecard_id bigint NOT NULL,
    PRIMARY KEY (interview_id, scorecard_id)
);

-- Webhook deliveries handled (Greenhouse-Event-ID): a redelivery does nothing twice.
CREATE TABLE greenhouse.webhook_deliveries (
    delivery_id text PRIMARY KEY,
    action      text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
