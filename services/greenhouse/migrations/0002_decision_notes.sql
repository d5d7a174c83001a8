-- The write-back of decisions to Greenhouse: what was written for each candidate-role pair.
-- Ids, versions and digests only: the note's text lives in Greenhouse.

-- One row per pair. A note is claimed (pending_*) and committed before it is posted, and
-- marked written after: a crash in between leaves the claim, and the writer then looks in
-- the candidate's activity feed for the note before it posts again.
CREATE TABLE greenhouse.decision_notes (
    candidate_id    text NOT NULL,
    role_id         text NOT NULL,
    handled_version integer NOT NULL DEFAULT 0,  -- every version up to this one is done
    written_digest  text,                        -- decision, reasons, debrief flags of the last note written
    note_id         bigint,                      -- Greenhouse's id of that note
    pending_version integer,
    pending_digest  text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (candidate_id, role_id)
);

-- What happened to each version (written, unchanged, dead_lettered, found_after_crash), for audit.
CREATE TABLE greenhouse.decision_note_log (
    id           bigserial PRIMARY KEY,
    candidate_id text NOT NULL,
    role_id      text NOT NULL,
    version      integer NOT NULL,
    outcome      text NOT NULL,
    note_id      bigint,
    at           timestamptz NOT NULL DEFAULT now()
);
