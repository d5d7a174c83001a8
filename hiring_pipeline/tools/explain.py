"""`hiring-pipeline explain CANDIDATE ROLE`: the decision record of one pair, for a recruiter.

Reads the current recommendation of the pair from the recommendation topic (the highest
version, as `recommendations` does) and prints its record as plain text wrapped to the
terminal (100 columns when there is none), or as the Recommendation's JSON.
"""

from __future__ import annotations

import shutil

from schemas.events import Recommendation, record_key
from schemas.explanation import DEFAULT_WIDTH, explain
from services.runtime.kafka import KafkaOptions


async def current(kafka: KafkaOptions, candidate_id: str, role_id: str, timeout: float = 60) -> Recommendation | None:
    """The pair's current recommendation, or None when the topic has none for it."""
    from hiring_pipeline.tools.recommendations import follow_latest

    latest = await follow_latest(kafka, until=lambda _: False, timeout=timeout, stop_at_end=True)
    return latest.get(record_key(candidate_id, role_id))


def width() -> int:
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns


def render(recommendation: Recommendation, columns: int | None = None) -> str:
    return "\n".join(explain(recommendation, columns or width()))
