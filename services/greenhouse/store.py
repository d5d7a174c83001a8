"""The Greenhouse adapter's state: its repository, and PostgreSQL behind it (schema `greenhouse`).

The adapter publishes first and records after: a crash in between re-publishes the same
event ids on the next run, which the pipeline counts once. The high-water mark moves
only after a whole poll, so a poll cut short is repeated, never skipped.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import asyncpg

from services.runtime.migrations import PostgresStore

SCHEMA = "greenhouse"
MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class PublishedScorecard:
    scorecard_id: int
    updated_at: datetime
    event_id: uuid.UUID
    candidate_id: str
    role_id: str


class Deliveries(Protocol):
    """One webhook delivery's view of the state, inside one transaction."""

    async def claim(self, delivery_id: str, action: str) -> bool:
        """False when this delivery was handled before."""

    async def scorecards_of_interview(self, interview_id: int) -> list[int]: ...

    async def live_scorecards(self, scorecard_ids: Sequence[int]) -> list[PublishedScorecard]:
        """The published, not yet retracted scorecards among these."""

    async def mark_retracted(self, scorecard_ids: Sequence[int]) -> None: ...


class GreenhouseStore(Protocol):
    async def high_water_mark(self) -> datetime | None: ...

    async def set_high_water_mark(self, mark: datetime) -> None: ...

    async def published_versions(self, scorecard_ids: Sequence[int]) -> dict[int, datetime]: ...

    async def record_published(self, scorecards: Sequence[PublishedScorecard]) -> None: ...

    async def jobs_of(self, application_ids: Sequence[int]) -> dict[int, int | None]: ...

    async def remember_jobs(self, jobs: dict[int, int | None]) -> None: ...

    async def remember_interview_scorecards(self, pairs: Iterable[tuple[int, int]]) -> None: ...

    def delivery(self) -> contextlib.AbstractAsyncContextManager[Deliveries]:
        """Everything done through it commits together, or not at all."""

    async def ping(self) -> None: ...


class PostgresGreenhouseStore(PostgresStore):
    schema = SCHEMA
    migrations = MIGRATIONS

    async def high_water_mark(self) -> datetime | None:
        async with self.pool.acquire() as conn:
            return await conn.fetchval("SELECT high_water_mark FROM greenhouse.sync_state WHERE name = 'scorecards'")

    async def set_high_water_mark(self, mark: datetime) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO greenhouse.sync_state (name, high_water_mark) VALUES ('scorecards', $1)"
                " ON CONFLICT (name) DO UPDATE SET high_water_mark = EXCLUDED.high_water_mark, updated_at = now()",
                mark,
            )

    async def published_versions(self, scorecard_ids: Sequence[int]) -> dict[int, datetime]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT scorecard_id, updated_at FROM greenhouse.scorecards WHERE scorecard_id = ANY($1::bigint[])",
                list(scorecard_ids),
            )
        return {r["scorecard_id"]: r["updated_at"] for r in rows}

    async def record_published(self, scorecards: Sequence[PublishedScorecard]) -> None:
        async with self.pool.acquire() as conn:
            await conn.executemany(
                """
                INSERT INTO greenhouse.scorecards AS s (scorecard_id, updated_at, event_id, candidate_id, role_id)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (scorecard_id) DO UPDATE
                   SET updated_at = EXCLUDED.updated_at, event_id = EXCLUDED.event_id, candidate_id = EXCLUDED.candidate_id,
                       role_id = EXCLUDED.role_id, published_at = now()
                 WHERE s.updated_at < EXCLUDED.updated_at
                """,
                [(s.scorecard_id, s.updated_at, s.event_id, s.candidate_id, s.role_id) for s in scorecards],
            )

    async def jobs_of(self, application_ids: Sequence[int]) -> dict[int, int | None]:
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT application_id, job_id FROM greenhouse.applications WHERE application_id = ANY($1::bigint[])",
                list(application_ids),
            )
        return {r["application_id"]: r["job_id"] for r in rows}

    async def remember_jobs(self, jobs: dict[int, int | None]) -> None:
        async with self.pool.acquire() as conn:
            await conn.executemany(
                "INSERT INTO greenhouse.applications (application_id, job_id) VALUES ($1, $2)"
                " ON CONFLICT (application_id) DO UPDATE SET job_id = EXCLUDED.job_id",
                list(jobs.items()),
            )

    async def remember_interview_scorecards(self, pairs: Iterable[tuple[int, int]]) -> None:
        async with self.pool.acquire() as conn:
            await conn.executemany(
                "INSERT INTO greenhouse.interview_scorecards (interview_id, scorecard_id) VALUES ($1, $2)"
                " ON CONFLICT DO NOTHING",
                list(pairs),
            )

    @contextlib.asynccontextmanager
    async def delivery(self) -> AsyncIterator[Deliveries]:
        async with self.pool.acquire() as conn, conn.transaction():
            yield _PostgresDeliveries(conn)


class _PostgresDeliveries:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def claim(self, delivery_id: str, action: str) -> bool:
        inserted = await self.conn.fetchval(
            "INSERT INTO greenhouse.webhook_deliveries (delivery_id, action) VALUES ($1, $2)"
            " ON CONFLICT (delivery_id) DO NOTHING RETURNING true",
            delivery_id,
            action,
        )
        return bool(inserted)

    async def scorecards_of_interview(self, interview_id: int) -> list[int]:
        rows = await self.conn.fetch(
            "SELECT scorecard_id FROM greenhouse.interview_scorecards WHERE interview_id = $1 ORDER BY scorecard_id",
            interview_id,
        )
        return [r["scorecard_id"] for r in rows]

    async def live_scorecards(self, scorecard_ids: Sequence[int]) -> list[PublishedScorecard]:
        rows = await self.conn.fetch(
            "SELECT scorecard_id, updated_at, event_id, candidate_id, role_id FROM greenhouse.scorecards"
            " WHERE scorecard_id = ANY($1::bigint[]) AND NOT retracted ORDER BY scorecard_id FOR UPDATE",
            list(scorecard_ids),
        )
        return [PublishedScorecard(**dict(r)) for r in rows]

    async def mark_retracted(self, scorecard_ids: Sequence[int]) -> None:
        await self.conn.execute(
            "UPDATE greenhouse.scorecards SET retracted = true WHERE scorecard_id = ANY($1::bigint[])",
            list(scorecard_ids),
        )
