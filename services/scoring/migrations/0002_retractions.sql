-- A revision is an ordering number of any size (the Greenhouse adapter writes updated_at in milliseconds): 64-bit.
ALTER TABLE scoring.scored_interviews ALTER COLUMN revision TYPE bigint;
ALTER TABLE scoring.current_revisions ALTER COLUMN revision TYPE bigint;

-- Retracted interviews (scorecard or interview deleted in the ATS). Terminal: a later
-- completion of the same interview is stored for audit but never published as current.
-- The first retraction is kept; a second one for the same interview republishes it.
CREATE TABLE scoring.retractions (
    interview_id text PRIMARY KEY,
    event_id     uuid NOT NULL,
    candidate_id text NOT NULL,
    role_id      text NOT NULL,
    reason       text NOT NULL,
    payload      text NOT NULL,             -- the InterviewRetracted JSON exactly as forwarded
    retracted_at timestamptz NOT NULL DEFAULT now()
);
