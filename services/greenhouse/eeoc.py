"""Candidates' voluntary self-identification from Greenhouse, for the adverse-impact report.

`GET /v1/eeoc` (race, gender, veteran and disability status per application) is read by
the sync loop when `GREENHOUSE_EEOC_SYNC` is on, into a schema of its own
(`greenhouse_eeoc`). Only gender and race/ethnicity are kept (what the report uses), with
the application's role through the mapping file; rows submitted longer ago than
`GREENHOUSE_EEOC_RETENTION_DAYS` are deleted at every poll.

Kept away from decisions: nothing here is published, logged (counts only) or readable by
the scoring and aggregation services; `tests/unit/test_eeoc_isolation.py` fails if any
module but this one, the adapter's wiring and the audit tool names it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import structlog

from services.greenhouse.harvest import HarvestClient
from services.greenhouse.mapping import GreenhouseMapping
from services.runtime.migrations import PostgresStore

log = structlog.get_logger(service="greenhouse")


@dataclass(frozen=True)
class SelfIdentification:
    application_id: int
    candidate_id: str
    role_id: str | None
    gender: str | None
    race: str | None
    submitted_at: datetime


def _description(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    text = value.get("description") or value.get("message")  # Harvest's veteran_status says `message`
    return str(text).strip() or None if text else None


def parse(raw: dict[str, Any], role_id: str | None) -> SelfIdentification | None:
    """One EEOC object, or None when it lacks its ids or time (skipped, counted)."""
    try:
        return SelfIdentification(
            application_id=int(raw["application_id"]),
            candidate_id=str(int(raw["candidate_id"])),
            role_id=role_id,
            gender=_description(raw.get("gender")),
            race=_description(raw.get("race")),
            submitted_at=datetime.fromisoformat(str(raw["submitted_at"]).replace("Z", "+00:00")),
        )
    except (KeyError, TypeError, ValueError):
        return None


class PostgresEeocStore(PostgresStore):
    schema = "greenhouse_eeoc"
    migrations = Path(__file__).parent / "eeoc_migrations"

    async def high_water_mark(self) -> datetime | None:
        async with self.pool.acquire() as conn:
            return await conn.fetchval("SELECT high_water_mark FROM greenhouse_eeoc.sync_state WHERE name = 'eeoc'")

    async def set_high_water_mark(self, mark: datetime) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO greenhouse_eeoc.sync_state (name, high_water_mark) VALUES ('eeoc', $1)"
                " ON CONFLICT (name) DO UPDATE SET high_water_mark = EXCLUDED.high_water_mark",
                mark,
            )

    async def save(self, rows: Sequence[SelfIdentification]) -> None:
        async with self.pool.acquire() as conn:
            await conn.executemany(
                """
                INSERT INTO greenhouse_eeoc.self_identification
                       (application_id, candidate_id, role_id, gender, race, submitted_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (application_id) DO UPDATE
                   SET candidate_id = EXCLUDED.candidate_id, role_id = EXCLUDED.role_id, gender = EXCLUDED.gender,
                       race = EXCLUDED.race, submitted_at = EXCLUDED.submitted_at, fetched_at = now()
                """,
                [(r.application_id, r.candidate_id, r.role_id, r.gender, r.race, r.submitted_at) for r in rows],
            )

    async def purge(self, older_than: datetime) -> int:
        async with self.pool.acquire() as conn:
            deleted = await conn.fetchval(
                "WITH d AS (DELETE FROM greenhouse_eeoc.self_identification WHERE submitted_at < $1 RETURNING 1)"
                " SELECT count(*) FROM d",
                older_than,
            )
        return int(deleted)

    async def of_role(self, role_id: str) -> dict[str, SelfIdentification]:
        """candidate_id -> the latest self-identification of their applications to the role."""
        async with self.pool.acquire() as conn:
            rows = await conn.fetch(
                "SELECT DISTINCT ON (candidate_id) application_id, candidate_id, role_id, gender, race, submitted_at"
                " FROM greenhouse_eeoc.self_identification WHERE role_id = $1"
                " ORDER BY candidate_id, submitted_at DESC",
                role_id,
            )
        return {r["candidate_id"]: SelfIdentification(**dict(r)) for r in rows}


@dataclass(frozen=True)
class EeocReport:
    fetched: int
    stored: int
    skipped: int
    purged: int


async def sync_eeoc(
    client: HarvestClient,
    store: PostgresEeocStore,
    mapping: GreenhouseMapping,
    job_of: Callable[[set[int]], Awaitable[dict[int, int | None]]],
    clock: Callable[[], datetime],
    overlap: timedelta,
    retention: timedelta,
) -> EeocReport:
    """One pass: what was submitted since the last pass (minus the overlap), then the purge."""
    started = clock()
    mark = await store.high_water_mark()
    fetched = stored = skipped = 0
    async for page in client.eeoc(mark):
        fetched += len(page)
        jobs = await job_of({int(r["application_id"]) for r in page if str(r.get("application_id", "")).isdigit()})
        rows = []
        for raw in page:
            job = jobs.get(int(raw["application_id"])) if str(raw.get("application_id", "")).isdigit() else None
            row = parse(raw, mapping.jobs.get(job) if job is not None else None)
            if row is None:
                skipped += 1
            else:
                rows.append(row)
        await store.save(rows)
        stored += len(rows)
    purged = await store.purge(started - retention)
    await store.set_high_water_mark(started - overlap)
    log.info("greenhouse_eeoc_synced", fetched=fetched, stored=stored, skipped=skipped, purged=purged)
    return EeocReport(fetched, stored, skipped, purged)
