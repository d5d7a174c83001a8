-- What interviewer calibration reads of each counted interview, kept beside its payload when the
-- interview is stored: its interviewer and its covered assessments as [competency, score, rating]
-- (jsonb, a few dozen bytes). Calibration is computed again from every stored interview every few
-- minutes (and at every start); reading these instead of parsing each whole payload (2 KB of
-- signals and quotes) takes a fraction of the database's CPU per interview. NULL for a retracted
-- interview, and for a row stored without them (calibration then parses its payload, as before).
ALTER TABLE aggregation.interviews ADD COLUMN interviewer_id text, ADD COLUMN said jsonb;

-- The rows already stored, once (as long as one calibration run). A payload jsonb cannot read (a
-- quote with a NUL character) is left as it was; if anything fails, every row is: calibration
-- reads those from their payloads, as before, and the service starts either way.
DO $$
BEGIN
    UPDATE aggregation.interviews i
       SET interviewer_id = p.doc->>'interviewer_id',
           said = (SELECT coalesce(jsonb_agg(jsonb_build_array(s->'competency', s->'score', s->'rating') ORDER BY n), '[]')
                     FROM jsonb_array_elements(p.doc->'scores') WITH ORDINALITY AS e(s, n)
                    WHERE NOT (s->'rating' = 'null'::jsonb AND s->'supported_by_notes' = 'false'::jsonb))
      FROM (SELECT candidate_id, role_id, interview_id, payload::jsonb AS doc
              FROM aggregation.interviews
             WHERE NOT retracted AND strpos(payload, '\u0000') = 0) p
     WHERE i.candidate_id = p.candidate_id AND i.role_id = p.role_id AND i.interview_id = p.interview_id;
EXCEPTION WHEN others THEN
    NULL;
END
$$;
