"""`hiring-pipeline publish FILE`: send a file of InterviewCompleted events, as an ATS would.

Every line is validated before anything is sent, so a file with a mistake sends nothing.
Records are keyed `candidate_id:role_id` and carry the event id as correlation id.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aiokafka import AIOKafkaProducer

from hiring_pipeline.dry_run import parse_lines
from schemas import topics
from schemas.events import InterviewCompleted
from services.runtime.kafka import KafkaOptions, client_options


def read_events(path: Path) -> list[InterviewCompleted]:
    with path.open(encoding="utf-8") as lines:
        return parse_lines(lines)


async def publish(events: Sequence[InterviewCompleted], kafka: KafkaOptions) -> int:
    producer = AIOKafkaProducer(**client_options(kafka), acks="all", enable_idempotence=True)
    await producer.start()
    try:
        for event in events:  # in file order: the order an ATS would have sent them
            await producer.send_and_wait(
                topics.INTERVIEW_COMPLETED,
                event.model_dump_json().encode(),
                key=event.key.encode(),
                headers=[
                    (topics.CORRELATION_ID, str(event.event_id).encode()),
                    (topics.EVENT_TYPE, b"InterviewCompleted"),
                    (topics.SCHEMA_VERSION, b"1"),
                ],
            )
    finally:
        await producer.stop()
    return len(events)
