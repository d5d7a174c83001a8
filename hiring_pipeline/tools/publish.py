"""`hiring-pipeline publish FILE`: send a file of InterviewCompleted events, as an ATS would.

Every line is validated before anything is sent, so a file with a mistake sends nothing.
Records are keyed `candidate_id:role_id` and carry the event id as correlation id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from hiring_pipeline.tools.dry_run import parse_lines
from schemas import topics
from schemas.events import InterviewCompleted
from services.runtime.kafka import KafkaOptions, event_record, kafka_sender


def read_events(path: Path) -> list[InterviewCompleted]:
    with path.open(encoding="utf-8") as lines:
        return parse_lines(lines)


async def publish(
    events: Sequence[InterviewCompleted],
    kafka: KafkaOptions,
    on_progress: Callable[[int], None] = lambda acknowledged: None,
    chunk: int = 1000,
) -> int:
    """In file order, the order an ATS would have sent them (the idempotent producer keeps
    it per partition, so per pair); returns once the broker acknowledged every one.
    `on_progress` gets the number acknowledged so far after each chunk."""
    async with kafka_sender(kafka, client_id="hiring-pipeline-publish") as sender:
        for start in range(0, len(events), chunk):
            await sender.send_all([event_record(topics.INTERVIEW_COMPLETED, e) for e in events[start : start + chunk]])
            on_progress(min(start + chunk, len(events)))
    return len(events)
