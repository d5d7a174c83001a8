-- Revisions may be timestamps in seconds (the Greenhouse adapter's are): 64-bit.
ALTER TABLE aggregation.interviews ALTER COLUMN revision TYPE bigint;

-- A retracted interview keeps its row as a tombstone (retraction is terminal): payload
-- is then the InterviewRetracted JSON, scored_event_id its event_id, revision null.
ALTER TABLE aggregation.interviews ADD COLUMN retracted boolean NOT NULL DEFAULT false;
ALTER TABLE aggregation.interviews ALTER COLUMN revision DROP NOT NULL;
ALTER TABLE aggregation.interviews ADD CONSTRAINT interviews_revision_unless_retracted
    CHECK (retracted OR revision IS NOT NULL);
