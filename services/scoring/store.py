"""Where scores live: the scoring service's repository, and PostgreSQL behind it.

The store decides idempotency and currency, because only it knows what was seen:
- an event seen before (same source event_id) stores nothing new and gives back the
  exact bytes published the first time, so a re-delivery republishes the same event;
- an event whose revision is lower than one already seen for the interview is stored
  for audit but not published as current;
- a retraction is terminal for its interview: it is forwarded (the first one's bytes on
  every re-delivery), and completions of that interview, before or after, are no longer
  published as current.

An interview is always its pair's: the current revision and the retraction are keyed by
candidate, role and interview id, so another candidate's event with the same interview id
(ids come from the ATS) never decides what is current for this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from schemas import wire
from schemas.events import InterviewRetracted
from services.runtime.migrations import PostgresStore

SCHEMA = "scoring"
MIGRATIONS = Path(__file__).parent / "migrations"


Outcome = wire.InterviewScored | InterviewRetracted
"""What scoring makes of one consumed event, in record order."""
InterviewKey = tuple[str, str, str]
"""(candidate_id, role_id, interview_id): whose interview it is."""


def interview_key(event: Outcome) -> InterviewKey:
    return (event.candidate_id, event.role_id, event.interview_id)


def _columns(keys: set[InterviewKey]) -> list[list[str]]:
    ordered = sorted(keys)
    return [[k[0] for k in ordered], [k[1] for k in ordered], [k[2] for k in ordered]]


class ScoreStore(Protocol):
    async def save(
        self, outcomes: Sequence[Outcome], encoded: Sequence[bytes | None] | None = None
    ) -> list[bytes | None]:
        """Store a batch atomically; per event, the bytes to publish, or None (not current).
        `encoded`, beside `outcomes`: a scored event's JSON (`wire.encode`) when the caller wrote
        it already; a new event's own bytes are then given back (the very object), a seen
        event's are those stored the first time."""

    async def ping(self) -> None:
        """Raise if the database does not answer."""


class PostgresScoreStore(PostgresStore):
    schema = SCHEMA
    migrations = MIGRATIONS

    async def save(
        self, outcomes: Sequence[Outcome], encoded: Sequence[bytes | None] | None = None
    ) -> list[bytes | None]:
        """The whole batch in one transaction and a handful of round trips, whatever its size:
        one query each for what was seen, the interviews' current revisions and retractions,
        COPY for the new rows."""
        scored = [o for o in outcomes if isinstance(o, wire.InterviewScored)]
        async with self.pool.acquire() as conn, conn.transaction():
            seen = {
                r["source_event_id"]: (r["was_current"], r["payload"].encode())
                for r in await conn.fetch(
                    "SELECT source_event_id, was_current, payload FROM scoring.scored_interviews"
                    " WHERE source_event_id = ANY($1::uuid[])",
                    [e.source_event_id for e in scored],
                )
            }
            current: dict[InterviewKey, int] = {
                (r["candidate_id"], r["role_id"], r["interview_id"]): r["revision"]
                for r in await conn.fetch(
                    "SELECT c.candidate_id, c.role_id, c.interview_id, c.revision FROM scoring.current_revisions c"
                    " JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(c, r, i)"
                    "   ON c.candidate_id = k.c AND c.role_id = k.r AND c.interview_id = k.i"
                    " ORDER BY c.candidate_id, c.role_id, c.interview_id FOR UPDATE OF c",
                    *_columns({interview_key(e) for e in scored}),
                )
            }
            retracted: dict[InterviewKey, bytes] = {
                (r["candidate_id"], r["role_id"], r["interview_id"]): r["payload"].encode()
                for r in await conn.fetch(
                    "SELECT x.candidate_id, x.role_id, x.interview_id, x.payload FROM scoring.retractions x"
                    " JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(c, r, i)"
                    "   ON x.candidate_id = k.c AND x.role_id = k.r AND x.interview_id = k.i",
                    *_columns({interview_key(o) for o in outcomes}),
                )
            }
            results: list[bytes | None] = []
            new_rows, new_scores, revisions, new_retractions = [], [], {}, []
            for event, written in zip(outcomes, encoded or [None] * len(outcomes), strict=True):
                key = interview_key(event)
                if isinstance(event, InterviewRetracted):
                    if key not in retracted:
                        retracted[key] = event.model_dump_json().encode()
                        new_retractions.append(
                            (
                                event.interview_id,
                                event.event_id,
                                event.candidate_id,
                                event.role_id,
                                event.reason,
                                retracted[key].decode(),
                            )
                        )
                    results.append(retracted[key])
                    continue
                if event.source_event_id in seen:  # seen before, or earlier in this batch
                    was_current, payload = seen[event.source_event_id]
                    results.append(payload if was_current and key not in retracted else None)
                    continue
                is_current = key not in retracted and event.revision >= current.get(key, 0)
                if is_current:
                    current[key] = event.revision
                    revisions[key] = (event.revision, event.source_event_id)
                payload = written if written is not None else wire.encode(event)
                seen[event.source_event_id] = (is_current, payload)
                results.append(payload if is_current else None)
                new_rows.append(
                    (
                        event.source_event_id,
                        event.event_id,
                        event.interview_id,
                        event.revision,
                        event.candidate_id,
                        event.role_id,
                        event.rubric_version,
                        is_current,
                        payload.decode(),
                        datetime.fromisoformat(event.scored_at),
                    )
                )
                new_scores += [
                    (event.source_event_id, s.competency.value, s.score, s.confidence, s.red_flags)
                    for s in event.scores
                ]
            if revisions:  # one statement for the batch (keys are unique: a dict)
                await conn.execute(
                    """
                    INSERT INTO scoring.current_revisions AS c
                           (candidate_id, role_id, interview_id, revision, source_event_id)
                    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::uuid[])
                    ON CONFLICT (candidate_id, role_id, interview_id) DO UPDATE
                       SET revision = EXCLUDED.revision, source_event_id = EXCLUDED.source_event_id
                     WHERE c.revision <= EXCLUDED.revision
                    """,
                    [k[0] for k in revisions],
                    [k[1] for k in revisions],
                    [k[2] for k in revisions],
                    [rev for rev, _ in revisions.values()],
                    [sid for _, sid in revisions.values()],
                )
            if new_retractions:
                await conn.executemany(
                    "INSERT INTO scoring.retractions (interview_id, event_id, candidate_id, role_id, reason, payload)"
                    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (candidate_id, role_id, interview_id) DO NOTHING",
                    new_retractions,
                )
            if new_rows:
                await conn.copy_records_to_table(
                    "scored_interviews",
                    schema_name="scoring",
                    records=new_rows,
                    columns=[
                        "source_event_id",
                        "scored_event_id",
                        "interview_id",
                        "revision",
                        "candidate_id",
                        "role_id",
                        "rubric_version",
                        "was_current",
                        "payload",
                        "scored_at",
                    ],
                )
                await conn.copy_records_to_table(
                    "competency_scores",
                    schema_name="scoring",
                    records=new_scores,
                    columns=["source_event_id", "competency", "score", "confidence", "red_flags"],
                )
        return results
