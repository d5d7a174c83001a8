"""Where scores live: the scoring service's repository, and PostgreSQL behind it.

The store decides idempotency and currency, because only it knows what was seen:
- an event seen before (same source event_id) stores nothing new and gives back the
  exact bytes published the first time, so a re-delivery republishes the same event;
- an event whose revision is lower than one already seen for the interview is stored
  for audit but not published as current;
- a retraction is terminal for its interview: it is forwarded (the first one's bytes on
  every re-delivery), and completions of that interview, before or after, are no longer
  published as current.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from schemas.events import InterviewRetracted, InterviewScored
from services.runtime.migrations import PostgresStore

SCHEMA = "scoring"
MIGRATIONS = Path(__file__).parent / "migrations"


Outcome = InterviewScored | InterviewRetracted
"""What scoring makes of one consumed event, in record order."""


class ScoreStore(Protocol):
    async def save(self, outcomes: Sequence[Outcome]) -> list[bytes | None]:
        """Store a batch atomically; per event, the bytes to publish, or None (not current)."""

    async def ping(self) -> None:
        """Raise if the database does not answer."""


class PostgresScoreStore(PostgresStore):
    schema = SCHEMA
    migrations = MIGRATIONS

    async def save(self, outcomes: Sequence[Outcome]) -> list[bytes | None]:
        """The whole batch in one transaction and a handful of round trips, whatever its size:
        one query each for what was seen, the interviews' current revisions and retractions,
        COPY for the new rows."""
        scored = [o for o in outcomes if isinstance(o, InterviewScored)]
        async with self.pool.acquire() as conn, conn.transaction():
            seen = {
                r["source_event_id"]: (r["was_current"], r["payload"].encode())
                for r in await conn.fetch(
                    "SELECT source_event_id, was_current, payload FROM scoring.scored_interviews"
                    " WHERE source_event_id = ANY($1::uuid[])",
                    [e.source_event_id for e in scored],
                )
            }
            current = {
                r["interview_id"]: r["revision"]
                for r in await conn.fetch(
                    "SELECT interview_id, revision FROM scoring.current_revisions WHERE interview_id = ANY($1::text[])"
                    " ORDER BY interview_id FOR UPDATE",
                    sorted({e.interview_id for e in scored}),
                )
            }
            retracted: dict[str, bytes] = {
                r["interview_id"]: r["payload"].encode()
                for r in await conn.fetch(
                    "SELECT interview_id, payload FROM scoring.retractions WHERE interview_id = ANY($1::text[])",
                    sorted({o.interview_id for o in outcomes}),
                )
            }
            results: list[bytes | None] = []
            new_rows, new_scores, revisions, new_retractions = [], [], {}, []
            for event in outcomes:
                if isinstance(event, InterviewRetracted):
                    if event.interview_id not in retracted:
                        retracted[event.interview_id] = event.model_dump_json().encode()
                        new_retractions.append(
                            (
                                event.interview_id,
                                event.event_id,
                                event.candidate_id,
                                event.role_id,
                                event.reason,
                                retracted[event.interview_id].decode(),
                            )
                        )
                    results.append(retracted[event.interview_id])
                    continue
                if event.source_event_id in seen:  # seen before, or earlier in this batch
                    was_current, payload = seen[event.source_event_id]
                    results.append(payload if was_current and event.interview_id not in retracted else None)
                    continue
                is_current = event.interview_id not in retracted and event.revision >= current.get(
                    event.interview_id, 0
                )
                if is_current:
                    current[event.interview_id] = event.revision
                    revisions[event.interview_id] = (event.revision, event.source_event_id)
                payload = event.model_dump_json()
                seen[event.source_event_id] = (is_current, payload.encode())
                results.append(payload.encode() if is_current else None)
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
                        payload,
                        event.scored_at,
                    )
                )
                new_scores += [
                    (event.source_event_id, s.competency.value, s.score, s.confidence, s.red_flags)
                    for s in event.scores
                ]
            if revisions:  # one statement for the batch (keys are unique: a dict)
                await conn.execute(
                    """
                    INSERT INTO scoring.current_revisions AS c (interview_id, revision, source_event_id)
                    SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[])
                    ON CONFLICT (interview_id) DO UPDATE
                       SET revision = EXCLUDED.revision, source_event_id = EXCLUDED.source_event_id
                     WHERE c.revision <= EXCLUDED.revision
                    """,
                    list(revisions),
                    [rev for rev, _ in revisions.values()],
                    [sid for _, sid in revisions.values()],
                )
            if new_retractions:
                await conn.executemany(
                    "INSERT INTO scoring.retractions (interview_id, event_id, candidate_id, role_id, reason, payload)"
                    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (interview_id) DO NOTHING",
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
