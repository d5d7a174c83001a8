-- An interview's state belongs to its candidate-role pair (#14). Interview ids come from the
-- ATS; keyed by interview_id alone, another candidate's event with the same id and a higher
-- revision made this candidate's own later edit "not current", and its retraction retracted
-- both. The current revision and the retraction are now keyed by candidate, role and interview.
ALTER TABLE scoring.current_revisions ADD COLUMN candidate_id text, ADD COLUMN role_id text;

-- Rebuilt from every scored row: the highest revision per pair's interview (the old table kept
-- one row for two pairs that shared an id).
DELETE FROM scoring.current_revisions;
INSERT INTO scoring.current_revisions (candidate_id, role_id, interview_id, revision, source_event_id)
SELECT DISTINCT ON (candidate_id, role_id, interview_id) candidate_id, role_id, interview_id, revision, source_event_id
  FROM scoring.scored_interviews
 ORDER BY candidate_id, role_id, interview_id, revision DESC, scored_at DESC;

ALTER TABLE scoring.current_revisions
    ALTER COLUMN candidate_id SET NOT NULL,
    ALTER COLUMN role_id SET NOT NULL,
    DROP CONSTRAINT current_revisions_pkey,
    ADD PRIMARY KEY (candidate_id, role_id, interview_id);

ALTER TABLE scoring.retractions
    DROP CONSTRAINT retractions_pkey,
    ADD PRIMARY KEY (candidate_id, role_id, interview_id);

DROP INDEX scoring.scored_interviews_interview;
CREATE INDEX scored_interviews_pair_interview ON scoring.scored_interviews (candidate_id, role_id, interview_id, revision);
