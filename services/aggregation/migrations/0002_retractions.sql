-- A revision is an ordering number of any size (the Greenhouse adapter writes updated_at in milliseconds): 64-bit.
ALTER TABLE aggregation.interviews ALTER COLUMN revision TYPE bigint;

-- A retracted interview keeps its row as a tombstone (retraction is terminal): payload
-- is then the InterviewRetracted JSON, scored_event_id its event_id, revision null.
ALTER TABLE aggregation.interviews ADD COLUMN retracted boolean NOT NULL DEFAULT false;
ALTER TABLE aggregation.interviews ALTER COLUMN revision DROP NOT NULL;
ALTER TABLE aggregation.interviews ADD CONSTRAINT interviews_revision_unless_retracted
    CHECK (retracted OR revision IS NOT NULL);
