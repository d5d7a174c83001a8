"""`hiring-pipeline calibration`: how each interviewer rates against the rest of their loops.

Read from the aggregation service's own store (the scored interviews it counts), through
its repository, the same computation the service refreshes for its decision records
(`services.aggregation.calibration`). Nothing new is stored and nothing is published.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import asyncpg
from rich.table import Table

from schemas.rubric import RoleProfile
from services.aggregation.calibration import Offset, calibrate
from services.aggregation.store import PostgresAggregationStore


async def offsets(database_url: str, role: str | None = None) -> list[Offset]:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
    try:
        await PostgresAggregationStore.migrate(pool)
        calibration = calibrate(await PostgresAggregationStore(pool).assessments(role))
    finally:
        await pool.close()
    return list(calibration.values())


def selected(found: Iterable[Offset], interviewer: str | None) -> list[Offset]:
    """Largest offsets first; one interviewer's only when asked."""
    chosen = [o for o in found if interviewer is None or o.interviewer_id == interviewer]
    return sorted(chosen, key=lambda o: (-abs(o.offset), o.interviewer_id, o.competency.value))


def beyond(offset: Offset, roles: Iterable[RoleProfile]) -> bool:
    """Named in decision records: beyond the threshold of at least one of these roles."""
    return any(offset.beyond(role) for role in roles)


def as_json(offset: Offset, roles: Iterable[RoleProfile]) -> str:
    return json.dumps(
        {
            "interviewer_id": offset.interviewer_id,
            "competency": offset.competency.value,
            "offset": offset.offset,
            "rating_offset": offset.rating_offset,
            "spread": offset.spread,
            "interviews": offset.interviews,
            "beyond_threshold": beyond(offset, roles),
        }
    )


def table(found: list[Offset], roles: list[RoleProfile]) -> Table:
    thresholds = sorted({(r.calibration_threshold, r.calibration_min_interviews) for r in roles})
    rule = "; ".join(f"|offset| >= {t:.2f} over >= {n} interviews" for t, n in thresholds)
    result = Table(title=f"Interviewer calibration: score against the rest of the loop (named when {rule})")
    for column in ("interviewer", "competency", "offset", "rating offset", "spread", "interviews", "named"):
        result.add_column(column, justify="left" if column in ("interviewer", "competency") else "right")
    for o in found:
        result.add_row(
            o.interviewer_id,
            o.competency.value,
            f"{o.offset:+.2f}",
            "-" if o.rating_offset is None else f"{o.rating_offset:+.2f}",
            f"{o.spread:.2f}",
            str(o.interviews),
            "yes" if beyond(o, roles) else "",
        )
    return result
