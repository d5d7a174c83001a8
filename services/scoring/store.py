"""Where scores live: the scoring service's repository, and PostgreSQL behind it.

The store decides idempotency and currency, because only it knows what was seen:
- an event seen before (same source event_id) stores nothing new and gives back the
  exact bytes published the first time, so a re-delivery republishes the same event;
- an event whose revision is lower than one already seen for the interview is stored
  for audit but not published as current.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import asyncpg

from schemas.events import InterviewScored
from services.runtime.migrations import apply_migrations

SCHEMA = "scoring"
MIGRATIONS = Path(__file__).parent / "migrations"


class ScoreStore(Protocol):
    async def save(self, scored: Sequence[InterviewScored]) -> list[bytes | None]:
        """Store a batch atomically; per event, the bytes to publish, or None (stale revision)."""

    async def ping(self) -> None:
        """Raise if the database does not answer."""


class PostgresScoreStore:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @staticmethod
    async def migrate(pool: asyncpg.Pool) -> list[str]:
        async with pool.acquire() as conn:
            return await apply_migrations(conn, SCHEMA, MIGRATIONS)

    async def ping(self) -> None:
        async with self.pool.acquire() as conn:
            await conn.fetchval("SELECT 1")

    async def save(self, scored: Sequence[InterviewScored]) -> list[bytes | None]:
        results: list[bytes | None] = []
        async with self.pool.acquire() as conn, conn.transaction():
            for event in scored:
                results.append(await self._save_one(conn, event))
        return results

    @staticmethod
    async def _save_one(conn: asyncpg.Connection, event: InterviewScored) -> bytes | None:
        seen = await conn.fetchrow(
            "SELECT was_current, payload FROM scoring.scored_interviews WHERE source_event_id = $1",
            event.source_event_id,
        )
        if seen is not None:
            return seen["payload"].encode() if seen["was_current"] else None
        became_current = await conn.fetchval(
            """
            INSERT INTO scoring.current_revisions AS c (interview_id, revision, source_event_id)
            VALUES ($1, $2, $3)
            ON CONFLICT (interview_id) DO UPDATE
               SET revision = EXCLUDED.revision, source_event_id = EXCLUDED.source_event_id
             WHERE c.revision <= EXCLUDED.revision
            RETURNING true
            """,
            event.interview_id, event.revision, event.source_event_id,
        )
        payload = event.model_dump_json()
        await conn.execute(
            """
            INSERT INTO scoring.scored_interviews (source_event_id, scored_event_id, interview_id, revision,
                candidate_id, role_id, rubric_version, was_current, payload, scored_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            event.source_event_id, event.event_id, event.interview_id, event.revision, event.candidate_id,
            event.role_id, event.rubric_version, bool(became_current), payload, event.scored_at,
        )
        await conn.executemany(
            """
            INSERT INTO scoring.competency_scores (source_event_id, competency, score, confidence, red_flags)
            VALUES ($1, $2, $3, $4, $5)
            """,
            [(event.source_event_id, s.competency.value, s.score, s.confidence, s.red_flags) for s in event.scores],
        )
        return payload.encode() if became_current else None
